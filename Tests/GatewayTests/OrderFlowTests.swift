import FIXCodec
@testable import Gateway
import Testing
import TestSupport

/// Orders through the whole gateway: FIX in, risk, the simulated venue, execution reports out.
@Suite struct OrderFlowTests {
    @Test func marketableLimitOrderIsAcknowledgedAndFilledWithExactQuantities() throws {
        var harness = try GatewayHarness()
        let reports = harness.order("B1", quantity: 3, price: harness.price(offsetTicks: 50))
        #expect(reports.map(\.execType) == ["A", "0"] + Array(repeating: "F", count: reports.count - 2))
        let last = try #require(reports.last)
        #expect(last.ordStatus == "2")
        #expect(last[14]?.decimal == FIXDecimal(3))
        #expect(last[151]?.decimal == FIXDecimal(0))
        let fills = reports.filter { $0.execType == "F" }
        let notional = fills.reduce(FIXDecimal.zero) { $0 + $1[31]!.decimal! * $1[32]!.decimal! }
        #expect(last[6]?.decimal == notional.divided(by: FIXDecimal(3), toScale: 8)?.normalized)
        #expect(Set(reports.compactMap { $0[17]?.string }).count == reports.count, "ExecIDs are unique")
        #expect(reports.allSatisfy { $0[37]?.string == "WH00000001" && $0[11]?.string == "B1" && $0[1]?.string == "DESK1" })
        let position = try #require(harness.gateway.positions.position(account: "DESK1", symbol: "CLF7"))
        #expect(position.quantity == 3)
    }

    @Test func restingOrderIsCanceledWithTheCancelsClOrdID() throws {
        var harness = try GatewayHarness()
        let placed = harness.order("R1", quantity: 2, price: harness.price(offsetTicks: -40))
        #expect(placed.map(\.execType) == ["A", "0"])
        let answer = harness.send("F", "11=R1C|41=R1|55=CLF7|54=1|60=\(TestClock.start)|").map(\.message)
        #expect(answer.map(\.execType) == ["6", "4"])
        #expect(answer.last?[11]?.string == "R1C")
        #expect(answer.last?[41]?.string == "R1")
        #expect(answer.last?.ordStatus == "4")
        #expect(answer.last?[151]?.decimal == FIXDecimal(0))
        // Cancelling it again names the order by its new ClOrdID: too late now.
        let again = harness.send("F", "11=R1C2|41=R1C|55=CLF7|54=1|60=\(TestClock.start)|").map(\.message)
        #expect(again.first?.msgType == "9")
        #expect(again.first?[102]?.int == 0)
        #expect(again.first?[434]?.int == 1)
    }

    @Test func replaceChangesPriceAndQuantityAndReportsTheChain() throws {
        var harness = try GatewayHarness()
        _ = harness.order("P1", quantity: 2, price: harness.price(offsetTicks: -40))
        let newPrice = harness.price(offsetTicks: -30)
        let answer = harness.send("G", "11=P2|41=P1|55=CLF7|54=1|38=4|40=2|44=\(newPrice)|59=0|60=\(TestClock.start)|").map(\.message)
        #expect(answer.map(\.execType) == ["E", "5"])
        let replaced = try #require(answer.last)
        #expect(replaced[11]?.string == "P2")
        #expect(replaced[41]?.string == "P1")
        #expect(replaced[38]?.decimal == FIXDecimal(4))
        #expect(replaced[44]?.decimal == FIXDecimal(newPrice))
        #expect(replaced.ordStatus == "0")
        let status = harness.send("H", "11=P2|55=CLF7|54=1|").map(\.message)
        #expect(status.first?.execType == "I")
        #expect(status.first?[44]?.decimal == FIXDecimal(newPrice))
    }

    @Test func rejectsNameWhatIsWrong() throws {
        var harness = try GatewayHarness()
        let price = harness.price(offsetTicks: -40)
        _ = harness.order("D1", price: price)
        let duplicate = try #require(harness.order("D1", price: price).first)
        #expect(duplicate.execType == "8" && duplicate.ordStatus == "8")
        #expect(duplicate[103]?.int == 6)
        #expect(duplicate[58]?.string.contains("duplicate ClOrdID D1") == true)

        let unknown = try #require(harness.order("U1", price: "70.00", symbol: "CLZ9").first)
        #expect(unknown[103]?.int == 1)
        #expect(unknown[58]?.string.contains("unknown instrument CLZ9") == true)

        let venue = try #require(harness.order("V1", price: price, extra: "100=ICE|").first)
        #expect(venue[103]?.int == 0)
        #expect(venue[58]?.string.contains("unknown venue ICE") == true)

        let offTick = try #require(harness.order("T1", price: "70.005").first)
        #expect(offTick[58]?.string.contains("tick grid") == true)

        let fractional = try #require(harness.order("Q1", quantity: 0, price: price).first)
        #expect(fractional[103]?.int == 13)

        let unknownOrder = try #require(harness.send("F", "11=X2|41=NOPE|55=CLF7|54=1|60=\(TestClock.start)|").first?.message)
        #expect(unknownOrder.msgType == "9")
        #expect(unknownOrder[102]?.int == 1)
    }

    @Test func riskRejectNamesTheCheckTheLimitAndTheValue() throws {
        var harness = try GatewayHarness()
        let report = try #require(harness.order("BIG", quantity: 250, price: harness.price(offsetTicks: -10)).first)
        #expect(report.execType == "8")
        #expect(report[103]?.int == 3)
        let text = report[58]?.string ?? ""
        #expect(text.contains("max order size") && text.contains("250") && text.contains("200"), "\(text)")
        let audit = harness.gateway.drainAudit()
        #expect(audit.contains { $0.kind == "risk.decision" && $0.json.contains("BIG") })
    }

    @Test func marketOrderIsCappedByProtectionAndFilled() throws {
        var harness = try GatewayHarness()
        let reports = harness.order("M1", quantity: 2, type: 1, tif: 3)
        #expect(reports.last?.ordStatus == "2", "\(reports.map { $0[58]?.string ?? "" })")
        #expect(reports.last?[40]?.string == "1", "the OMS sees its market order as it sent it")
    }

    @Test func massCancelCancelsEveryWorkingOrderOfTheSession() throws {
        var harness = try GatewayHarness()
        _ = harness.order("W1", price: harness.price(offsetTicks: -40))
        _ = harness.order("W2", price: harness.price(offsetTicks: -41))
        _ = harness.order("W3", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2")
        let answer = harness.send("q", "11=MC1|530=7|60=\(TestClock.start)|")
        let report = try #require(answer.first?.message)
        #expect(report.msgType == "r")
        #expect(report[531]?.int == 7)
        #expect(report[533]?.int == 2)
        #expect(answer.filter { $0.message.execType == "4" }.count == 2)
        #expect(harness.gateway.orders(session: "OMS2").allSatisfy { $0.status == .new })
    }

    @Test func droppedSessionLosesItsDayOrdersButKeepsGTC() throws {
        var harness = try GatewayHarness()
        _ = harness.order("DAY", price: harness.price(offsetTicks: -40))
        _ = harness.order("GTC", price: harness.price(offsetTicks: -40), tif: 1)
        let out = GatewayHarness.parse(harness.gateway.sessionDisconnected("OMS1", loggedOut: false, now: harness.now))
        #expect(out.map { $0.message[11]?.string } == ["DAY"])
        #expect(out.first?.message.execType == "4")
        #expect(harness.gateway.orders(session: "OMS1").map(\.status) == [.canceled, .new])
    }

    @Test func killSwitchCancelsEverythingAndBlocksNewOrders() throws {
        var harness = try GatewayHarness()
        _ = harness.order("K1", price: harness.price(offsetTicks: -40))
        _ = harness.order("K2", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2")
        let out = GatewayHarness.parse(harness.gateway.engageKillSwitch(.firm, by: "risk manager", reason: "test", now: harness.now))
        #expect(Set(out.map(\.session)) == ["OMS1", "OMS2"])
        #expect(out.allSatisfy { $0.message.execType == "4" })
        let blocked = try #require(harness.order("K3", price: harness.price(offsetTicks: -40)).first)
        #expect(blocked.execType == "8")
        #expect(blocked[58]?.string.contains("kill switch") == true)
    }

    @Test func massStatusReportsEveryWorkingOrderOfTheSession() throws {
        var harness = try GatewayHarness()
        _ = harness.order("M1", price: harness.price(offsetTicks: -40))
        _ = harness.order("M2", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7")
        _ = harness.order("OTHER", price: harness.price(offsetTicks: -41), from: "OMS2")
        let all = harness.send("AF", "584=S1|585=7|").map(\.message)
        #expect(all.map(\.execType) == ["I", "I"])
        #expect(all.compactMap { $0[11]?.string } == ["M1", "M2"], "OMS2's order is not OMS1's business")
        #expect(all.allSatisfy { $0[584]?.string == "S1" && $0[911]?.int == 2 })
        #expect(all.map { $0[912]?.string } == [nil, "Y"])
        let bySymbol = harness.send("AF", "584=S2|585=1|55=BZF7|").map(\.message)
        #expect(bySymbol.compactMap { $0[11]?.string } == ["M2"])
        let none = harness.send("AF", "584=S3|585=1|55=HOF7|").map(\.message)
        #expect(none.count == 1 && none.first?[911]?.int == 0 && none.first?[58]?.string == "no working orders")
    }

    @Test func restingOrderFillsAsTheMarketMoves() throws {
        var harness = try GatewayHarness()
        _ = harness.order("S1", side: 1, quantity: 1, price: harness.price(offsetTicks: -3), tif: 1)
        _ = harness.order("S2", side: 2, quantity: 1, price: harness.price(offsetTicks: 3), tif: 1)
        let later = harness.advance(seconds: 300)
        let filled = later.filter { $0.message.ordStatus == "2" }.compactMap { $0.message[11]?.string }
        #expect(!filled.isEmpty, "five minutes of a random walk trade through a 3-tick order")
        #expect(later.allSatisfy { $0.session == "OMS1" })
    }
}

/// A restart in the middle of the day: the gateway rebuilt from its own events, written to a
/// journal file and read back from it. (The appliance killed with SIGKILL and started again is
/// `ApplianceTests.restartAfterSIGKILLKeepsPositionsAndUsedClOrdIDs`.)
@Suite struct RestartTests {
    @Test func ordersPositionsAndOrderIDsComeBackFromTheJournal() throws {
        var before = try GatewayHarness()
        _ = before.order("F1", quantity: 2, price: before.price(offsetTicks: 50))
        _ = before.order("G1", quantity: 3, price: before.price(offsetTicks: -40), tif: 1)
        let journal = before.directory.path("gateway.sqlite")
        try before.journalDecisions(to: journal)
        let position = try #require(before.gateway.positions.position(account: "DESK1", symbol: "CLF7"))

        var after = try GatewayHarness(seed: 99)
        let (restored, reports, _) = try after.restore(fromJournal: journal)
        #expect(restored.orders == 2 && restored.workingOrders == 1)
        #expect(reports.isEmpty, "nothing is reported twice")
        #expect(after.gateway.positions.position(account: "DESK1", symbol: "CLF7")?.quantity == position.quantity)
        #expect(after.gateway.positions.position(account: "DESK1", symbol: "CLF7")?.realised == position.realised)
        // The next order continues the numbering; the old ClOrdIDs are still taken.
        let next = after.order("N1", quantity: 1, price: after.price(offsetTicks: -40))
        #expect(next.first?[37]?.string == "WH00000003")
        #expect(after.order("G1", price: after.price(offsetTicks: -40)).first?[103]?.int == 6)
        // The working GTC order is on the new venue: it can be cancelled.
        let cancel = after.send("F", "11=G1C|41=G1|55=CLF7|54=1|60=\(TestClock.start)|").map(\.message)
        #expect(cancel.map(\.execType) == ["6", "4"])
        #expect(cancel.last?[37]?.string == "WH00000002")
    }
}
