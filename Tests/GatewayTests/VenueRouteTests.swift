import FIXCodec
@testable import Gateway
import Testing
import TestSupport

/// Orders routed to a venue over FIX, with the venue's side played by FIX messages written
/// as a venue writes them (the whole flow against the venue simulator in another process is
/// in `VenueRoutingTests`): what the gateway sends the venue, and what it makes of the answers.
@Suite struct VenueRouteTests {
    static func venueMessage(_ msgType: String, _ fields: String, harness: GatewayHarness) -> FIXMessage {
        let venue = Counterparty(senderCompID: "SIMVENUE", targetCompID: "GATEWAY")
        return try! FIXMessage(parsing: venue.message(msgType, seq: 2, at: FIXTimestamp(nanosecondsSinceEpoch: harness.now), fields))
    }

    /// A harness routing FIXSIM to the venue session SIMVENUE, logged on, with one resting
    /// buy (R1, 5 lots) acknowledged by the venue.
    static func routedOrder() throws -> GatewayHarness {
        var harness = try GatewayHarness(fixVenues: ["FIXSIM": "SIMVENUE"])
        _ = harness.gateway.venueSession("SIMVENUE", up: true, now: harness.now)
        let out = harness.send("D", "11=R1|55=CLF7|54=1|38=5|40=2|44=\(harness.price(offsetTicks: -20))|59=1|100=FIXSIM|60=\(TestClock.start)|")
        #expect(out.map(\.session) == ["OMS1", "SIMVENUE"], "PendingNew to the OMS, the order to the venue")
        let sent = try #require(out.last?.message)
        #expect(sent.msgType == "D" && sent[11]?.string == "WH00000001" && sent[1]?.string == "DESK1" && sent[100] == nil)
        let acknowledged = GatewayHarness.parse(harness.gateway.venueReport(
            venueMessage("8", "37=V1|11=WH00000001|17=E1|150=0|39=0|55=CLF7|54=1|38=5|151=5|14=0|6=0|", harness: harness),
            from: "SIMVENUE", now: harness.now))
        #expect(acknowledged.map { $0.message.execType } == ["0"])
        return harness
    }

    @Test func aFillMissedWhileTheVenueWasAwayIsReconciledAtTheRightPrice() throws {
        var harness = try Self.routedOrder()
        _ = GatewayHarness.parse(harness.gateway.venueReport(
            Self.venueMessage("8", "37=V1|11=WH00000001|17=E2|150=F|39=1|55=CLF7|54=1|38=5|32=2|31=70.00|151=3|14=2|6=70.00|", harness: harness),
            from: "SIMVENUE", now: harness.now))
        let down = GatewayHarness.parse(harness.gateway.venueSession("SIMVENUE", up: false, now: harness.now))
        #expect(down.first?.message.execType == "I" && down.first?.message[58]?.string.contains("disconnected") == true)
        let up = GatewayHarness.parse(harness.gateway.venueSession("SIMVENUE", up: true, now: harness.now))
        let status = try #require(up.first)
        #expect(status.session == "SIMVENUE" && status.message.msgType == "H" && status.message[37]?.string == "V1")
        // The venue filled one more lot at 70.30 while we were apart: average 70.10 over three.
        let reconciled = GatewayHarness.parse(harness.gateway.venueReport(
            Self.venueMessage("8", "37=V1|11=WH00000001|17=E3|150=I|39=1|55=CLF7|54=1|38=5|151=2|14=3|6=70.10|", harness: harness),
            from: "SIMVENUE", now: harness.now)).map(\.message)
        #expect(reconciled.map(\.execType) == ["F"])
        #expect(reconciled.first?[32]?.string == "1" && reconciled.first?[31]?.decimal == FIXDecimal("70.3"))
        #expect(reconciled.first?[14]?.string == "3" && reconciled.first?[6]?.decimal == FIXDecimal("70.1"))
    }

    @Test func aCancelTheVenueRefusesLeavesTheOrderAndTellsTheOMS() throws {
        var harness = try Self.routedOrder()
        let pending = harness.send("F", "11=C1|41=R1|55=CLF7|54=1|60=\(TestClock.start)|")
        #expect(pending.map { $0.message.msgType } == ["8", "F"])
        #expect(pending.last?.message[41]?.string == "WH00000001" && pending.last?.message[11]?.string == "WH00000001-1")
        let refused = GatewayHarness.parse(harness.gateway.venueReport(
            Self.venueMessage("9", "37=V1|11=WH00000001-1|41=WH00000001|39=0|434=1|102=1|58=too busy|", harness: harness),
            from: "SIMVENUE", now: harness.now)).map(\.message)
        #expect(refused.map(\.msgType) == ["9"])
        #expect(refused.first?[11]?.string == "C1" && refused.first?[41]?.string == "R1" && refused.first?[58]?.string == "venue refused: too busy")
        #expect(harness.gateway.order("WH00000001")?.status == .new)
    }

    @Test func anUnsolicitedVenueCancelReachesTheOMSWithTheVenuesReason() throws {
        let harness = try Self.routedOrder()
        let out = GatewayHarness.parse(harness.gateway.venueReport(
            Self.venueMessage("8", "37=V1|11=WH00000001|17=E4|150=4|39=4|55=CLF7|54=1|38=5|151=0|14=0|6=0|58=end of session|", harness: harness),
            from: "SIMVENUE", now: harness.now)).map(\.message)
        #expect(out.map(\.execType) == ["4"])
        #expect(out.first?[11]?.string == "R1" && out.first?[58]?.string == "canceled by the venue: end of session")
    }

    @Test func ordersForAVenueThatIsDownAreRefused() throws {
        var harness = try GatewayHarness(fixVenues: ["FIXSIM": "SIMVENUE"])
        let out = harness.send("D", "11=R9|55=CLF7|54=1|38=1|40=2|44=\(harness.price(offsetTicks: -20))|59=0|100=FIXSIM|60=\(TestClock.start)|")
        #expect(out.map(\.session) == ["OMS1"])
        #expect(out.first?.message[103]?.int == 2 && out.first?.message[58]?.string.contains("venue FIXSIM is not connected") == true)
    }

    /// Restarts through a journal file (the gateway killed with SIGKILL and started again, its
    /// order at the venue simulator in another process, is
    /// `VenueRoutingTests.afterAGatewayRestartAnOrderAtTheFIXVenueIsReconciledThere`).
    @Test func afterARestartAnOrderAtAFIXVenueIsReconciledThereNotPutOnTheSimulatedVenue() throws {
        let before = try Self.routedOrder()
        let journal = before.directory.path("gateway.sqlite")
        try before.journalDecisions(to: journal)
        let after = try GatewayHarness(seed: 99, fixVenues: ["FIXSIM": "SIMVENUE"])
        let (restored, reports, events) = try after.restore(fromJournal: journal)
        #expect(events.contains { $0.kind == "route" })
        #expect(restored.workingOrders == 1 && reports.isEmpty)
        let up = GatewayHarness.parse(after.gateway.venueSession("SIMVENUE", up: true, now: after.now))
        #expect(up.map { $0.message.msgType } == ["H"])
        #expect(up.first?.message[11]?.string == "WH00000001" && up.first?.message[37]?.string == "V1")
        // The venue's answer is followed: a fill it reports reaches the OMS under R1.
        let fill = GatewayHarness.parse(after.gateway.venueReport(
            Self.venueMessage("8", "37=V1|11=WH00000001|17=E9|150=F|39=1|55=CLF7|54=1|38=5|32=1|31=70.00|151=4|14=1|6=70.00|", harness: after),
            from: "SIMVENUE", now: after.now)).map(\.message)
        #expect(fill.first?[11]?.string == "R1" && fill.first?[14]?.string == "1")
    }
}

extension VenueRouteTests {
    /// A kill switch engaged while the venue is away cannot cancel there at once: the cancel
    /// goes out as soon as the venue is back, after the status request, and the venue's answer
    /// ends the order.
    @Test func aKillSwitchEngagedWhileTheVenueIsAwayCancelsThereWhenItIsBack() throws {
        let harness = try Self.routedOrder()
        _ = harness.gateway.venueSession("SIMVENUE", up: false, now: harness.now)
        let engaged = GatewayHarness.parse(harness.gateway.engageKillSwitch(.firm, by: "risk desk", reason: "runaway algo", now: harness.now))
        #expect(engaged.allSatisfy { $0.session != "SIMVENUE" }, "nothing can reach the venue now")
        let up = GatewayHarness.parse(harness.gateway.venueSession("SIMVENUE", up: true, now: harness.now)).map(\.message)
        #expect(up.map(\.msgType) == ["H", "F"])
        #expect(up.last?[41]?.string == "WH00000001" && up.last?[11]?.string == "WH00000001-1")
        let canceled = GatewayHarness.parse(harness.gateway.venueReport(
            Self.venueMessage("8", "37=V1|11=WH00000001-1|41=WH00000001|17=E5|150=4|39=4|55=CLF7|54=1|38=5|151=0|14=0|6=0|", harness: harness),
            from: "SIMVENUE", now: harness.now)).map(\.message)
        #expect(canceled.map(\.execType) == ["4"])
        #expect(canceled.first?[11]?.string == "R1" && canceled.first?[58]?.string == "kill switch: runaway algo")
    }
}

extension VenueRouteTests {
    /// A venue that announces a halt (TradingSessionStatus) has new orders and replaces refused
    /// at the gateway in its words, cancels still sent, until it announces it is open again;
    /// an instrument's halt (SecurityStatus) stops only that instrument.
    @Test func aVenueHaltRefusesNewOrdersAtTheGatewayUntilItResumes() throws {
        var harness = try Self.routedOrder()
        let price = harness.price(offsetTicks: -20)
        harness.gateway.venueStatus(Self.venueMessage("h", "336=SIM|325=Y|340=1|58=fire drill|", harness: harness),
                                    from: "SIMVENUE", now: harness.now)
        let refused = harness.send("D", "11=N1|55=CLF7|54=1|38=1|40=2|44=\(price)|59=0|100=FIXSIM|60=\(TestClock.start)|")
        #expect(refused.map(\.session) == ["OMS1"] && refused.first?.message[103]?.int == 2)
        #expect(refused.first?.message[58]?.string == "venue FIXSIM has halted CLF7: fire drill")
        let replace = harness.send("G", "11=G1|41=R1|55=CLF7|54=1|38=4|40=2|44=\(price)|59=1|60=\(TestClock.start)|")
        #expect(replace.map { $0.message.msgType } == ["9"] && replace.first?.message[58]?.string.contains("has halted") == true)
        let cancel = harness.send("F", "11=C1|41=R1|55=CLF7|54=1|60=\(TestClock.start)|")
        #expect(cancel.map(\.session) == ["OMS1", "SIMVENUE"], "a cancel still reaches the venue in a halt")
        harness.gateway.venueStatus(Self.venueMessage("h", "336=SIM|325=Y|340=2|", harness: harness), from: "SIMVENUE", now: harness.now)
        // One instrument halted by a circuit breaker: only it is refused.
        harness.gateway.venueStatus(Self.venueMessage("f", "55=CLF7|325=Y|326=2|58=circuit breaker|", harness: harness),
                                    from: "SIMVENUE", now: harness.now)
        let front = harness.send("D", "11=N2|55=CLF7|54=1|38=1|40=2|44=\(price)|59=0|100=FIXSIM|60=\(TestClock.start)|")
        #expect(front.first?.message[58]?.string == "venue FIXSIM has halted CLF7: circuit breaker")
        let next = harness.send("D", "11=N3|55=CLG7|54=1|38=1|40=2|44=\(harness.price(offsetTicks: -20, symbol: "CLG7"))|59=0|100=FIXSIM|60=\(TestClock.start)|")
        #expect(next.map(\.session) == ["OMS1", "SIMVENUE"])
        harness.gateway.venueStatus(Self.venueMessage("f", "55=CLF7|325=Y|326=17|", harness: harness), from: "SIMVENUE", now: harness.now)
        let reopened = harness.send("D", "11=N4|55=CLF7|54=1|38=1|40=2|44=\(price)|59=0|100=FIXSIM|60=\(TestClock.start)|")
        #expect(reopened.map(\.session) == ["OMS1", "SIMVENUE"])
        #expect(harness.gateway.drainAudit().filter { $0.kind == "venue.status" }.count == 4)
    }
}
