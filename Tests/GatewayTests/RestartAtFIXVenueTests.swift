import FIXCodec
@testable import Gateway
import RiskSidecar
import Testing
import TestSupport

/// The gateway killed while a FIX venue has yet to answer it (found by
/// `KillUnderLoadTests`): what it sent is journaled with the order's state, so the restart
/// knows the order and follows the venue's answer when it comes.
@Suite struct RestartAtFIXVenueTests {
    static let limits = "firm:\n  maxOrderSize: 500\n  maxPositionPerMonth: 1000\n"

    /// `before`'s decisions journaled, and a new gateway restored from them.
    static func restarted(_ before: GatewayHarness) throws -> (GatewayHarness, OrderGateway.Restored) {
        let journal = before.directory.path("gateway.sqlite")
        try before.journalDecisions(to: journal)
        let after = try GatewayHarness(limits: limits, seed: 99, fixVenues: ["FIXSIM": "SIMVENUE"])
        let (restored, _, _) = try after.restore(fromJournal: journal)
        return (after, restored)
    }

    @Test func anOrderTheVenueHadNotAcknowledgedIsKnownAfterARestartAndItsOrderIDNotGivenAgain() throws {
        var before = try GatewayHarness(limits: Self.limits, fixVenues: ["FIXSIM": "SIMVENUE"])
        _ = before.gateway.venueSession("SIMVENUE", up: true, now: before.now)
        let out = before.send("D", "11=R1|55=CLF7|54=1|38=5|40=2|44=\(before.price(offsetTicks: -20))|59=1|100=FIXSIM|60=\(TestClock.start)|")
        #expect(out.map { $0.message.msgType } == ["8", "D"])
        var (after, restored) = try Self.restarted(before)
        #expect(restored.orders == 1 && restored.workingOrders == 1 && restored.nextOrderNumber == 2, "\(restored)")
        // The venue's acknowledgement, resent after the restart, reaches the OMS under R1.
        let acknowledged = GatewayHarness.parse(after.gateway.venueReport(
            VenueRouteTests.venueMessage("8", "37=V1|11=WH00000001|17=E1|150=0|39=0|55=CLF7|54=1|38=5|151=5|14=0|6=0|", harness: after),
            from: "SIMVENUE", now: after.now)).map(\.message)
        #expect(acknowledged.map(\.execType) == ["0"] && acknowledged.first?[11]?.string == "R1")
        _ = after.gateway.venueSession("SIMVENUE", up: true, now: after.now)
        let next = after.send("D", "11=R2|55=CLF7|54=1|38=1|40=2|44=\(after.price(offsetTicks: -20))|59=1|100=FIXSIM|60=\(TestClock.start)|")
        #expect(next.last?.message[11]?.string == "WH00000002", "a new OrderID, not the unanswered order's")
    }

    @Test func aReplaceTheVenueHadNotAnsweredIsCompletedAfterARestartInTheGatewayAndTheSidecar() throws {
        var before = try GatewayHarness(limits: Self.limits, fixVenues: ["FIXSIM": "SIMVENUE"])
        _ = before.gateway.venueSession("SIMVENUE", up: true, now: before.now)
        _ = before.send("D", "11=R1|55=CLF7|54=1|38=5|40=2|44=\(before.price(offsetTicks: -20))|59=1|100=FIXSIM|60=\(TestClock.start)|")
        _ = before.gateway.venueReport(
            VenueRouteTests.venueMessage("8", "37=V1|11=WH00000001|17=E1|150=0|39=0|55=CLF7|54=1|38=5|151=5|14=0|6=0|", harness: before),
            from: "SIMVENUE", now: before.now)
        let price = before.price(offsetTicks: -21)
        let pending = before.send("G", "11=G1|41=R1|55=CLF7|54=1|38=2|40=2|44=\(price)|59=1|60=\(TestClock.start)|")
        #expect(pending.map { $0.message.msgType } == ["8", "G"])
        let (after, restored) = try Self.restarted(before)
        #expect(restored.workingOrders == 1)
        let replaced = GatewayHarness.parse(after.gateway.venueReport(
            VenueRouteTests.venueMessage("8", "37=V1|11=WH00000001-1|41=WH00000001|17=E2|150=5|39=0|55=CLF7|54=1|38=2|44=\(price)|151=2|14=0|6=0|",
                                         harness: after),
            from: "SIMVENUE", now: after.now)).map(\.message)
        #expect(replaced.map(\.execType) == ["5"] && replaced.first?[11]?.string == "G1" && replaced.first?[38]?.string == "2")
        #expect(after.gateway.order("WH00000001")?.terms.quantity == 2)
        let used = after.gateway.risk.utilisation(now: after.now).filter { $0.kind == .positionPerMonth }.map(\.used)
        #expect(used.contains(FIXDecimal(mantissa: 2)) && !used.contains(FIXDecimal(mantissa: 5)), "the sidecar counts the replaced 2 lots: \(used)")
    }
}
