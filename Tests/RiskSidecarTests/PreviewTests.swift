import FIXCodec
import Instruments
import RiskSidecar
import Testing

/// The risk preview: what the check would decide and each limit's use after the order, made
/// without changing the engine; a check after it decides the same.
@Suite struct PreviewTests {
    static let limits = RiskLimits(
        firm: LimitSet(maxGrossNotional: 10_000_000),
        accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100, duplicateWindowNanos: 5 * T.second)],
        sessions: ["CONSOLE": LimitSet(orderRate: RateLimit(limit: 10, windowNanos: T.second))],
        roots: ["CL": LimitSet(maxPositionPerRoot: 400)])

    /// What an engine holds that a check could change, as values to compare.
    struct Held: Equatable {
        var utilisation: [LimitUtilisation]
        var working: [RiskWorkingOrder]
        var worstCase: [Int64]
    }

    static func held(_ engine: borrowing RiskEngine, now: Int64) -> Held {
        let worst = engine.worstCase(account: "DESK1", symbol: "CLK6")
        return Held(utilisation: engine.utilisation(now: now), working: engine.workingOrders(), worstCase: [worst.long, worst.short])
    }

    @Test func aPreviewChangesNothingAndTheCheckAfterItAgrees() throws {
        let logs = LogCapture()
        var engine = makeEngine(Self.limits, logs: logs)
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 60, session: "CONSOLE"), now: T.zero).isAccepted)
        let now = T.at(ms: 100)
        let before = Self.held(engine, now: now)
        let order = orders.order(.buy, 20, session: "CONSOLE")

        let preview = engine.preview(order, now: now)
        #expect(preview.rejection == nil)
        #expect(Self.held(engine, now: now) == before, "the preview changed the engine")
        // Previewed again: the same answer, so no throttle, ClOrdID or duplicate signature was taken.
        let again = engine.preview(order, now: now)
        #expect(again.limits == preview.limits)
        #expect(logs.warnings(containing: "crossed").isEmpty, "a preview raises no warning")

        let month = try #require(preview.limits.first { $0.after.kind == .positionPerMonth })
        #expect(month.after.subject == "account DESK1 CLK6")
        #expect(month.before?.used == FIXDecimal(60))
        #expect(month.after.used == FIXDecimal(80))
        #expect(month.after.percent == FIXDecimal(80))
        #expect(month.after.level == .warning)
        let rate = try #require(preview.limits.first { $0.after.kind == .orderRate })
        #expect(rate.before?.used == FIXDecimal(1) && rate.after.used == FIXDecimal(2), "\(rate)")
        #expect(Set(preview.limits.map(\.after.kind)) == [.positionPerMonth, .positionPerRoot, .grossNotional, .orderRate])

        // The check decides the same, and leaves each limit where the preview said it would.
        let decision = engine.check(order, now: now)
        #expect(decision.isAccepted)
        let after = engine.utilisation(now: now)
        for row in preview.limits {
            let measured = try #require(after.first { $0.kind == row.after.kind && $0.scope == row.after.scope && $0.subject == row.after.subject },
                                        "\(row.after.subject)")
            #expect(measured == row.after)
        }
        #expect(logs.warnings(containing: "crossed").count == 1, "the check itself raises the 75 % warning")
    }

    @Test func aPreviewOfAnOrderOverALimitNamesTheCheckAndHowFarOver() throws {
        var engine = makeEngine(Self.limits)
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 90, session: "CONSOLE"), now: T.zero).isAccepted)
        let before = Self.held(engine, now: T.zero)
        let order = orders.order(.buy, 20, session: "CONSOLE")

        let preview = engine.preview(order, now: T.zero)
        #expect(preview.rejection?.check == .positionLimit)
        #expect(Self.held(engine, now: T.zero) == before)
        let month = try #require(preview.limits.first { $0.after.kind == .positionPerMonth })
        #expect(month.after.used == FIXDecimal(110) && month.after.level == .critical, "\(month)")
        #expect(month.before?.percent == FIXDecimal(90))

        let decision = engine.check(order, now: T.zero)
        #expect(decision.check == .positionLimit)
        #expect(decision.text == preview.decision.text)
        #expect(Self.held(engine, now: T.zero).working == before.working)
    }

    @Test func aReplacePreviewShowsTheLimitsOnceTheVenueAppliedIt() throws {
        var engine = makeEngine(Self.limits)
        var orders = OrderFactory()
        let order = orders.order(.buy, 60, session: "CONSOLE")
        #expect(engine.check(order, now: T.zero).isAccepted)
        engine.orderAccepted(key: order.key)
        let before = Self.held(engine, now: T.zero)

        let larger = orders.replace(order.key, quantity: 95, price: "75.30", session: "CONSOLE")
        let preview = engine.preview(larger, now: T.zero)
        #expect(preview.rejection == nil, "\(preview.decision)")
        #expect(Self.held(engine, now: T.zero) == before, "the preview changed the engine")
        let month = try #require(preview.limits.first { $0.after.kind == .positionPerMonth })
        #expect(month.before?.used == FIXDecimal(60) && month.after.used == FIXDecimal(95) && month.after.level == .critical, "\(month)")

        let tooLarge = orders.replace(order.key, quantity: 120, price: "75.30", session: "CONSOLE")
        let refused = engine.preview(tooLarge, now: T.zero)
        #expect(refused.rejection?.check == .positionLimit)
        #expect(engine.check(tooLarge, now: T.zero).text == refused.decision.text)
        #expect(engine.check(larger, now: T.zero).isAccepted)
    }

    /// Through the sidecar (its lock), as the gateway calls it: nothing counted either.
    @Test func theSidecarsPreviewLeavesItsStateAlone() {
        let sidecar = RiskSidecar(limits: Self.limits, contracts: TestContracts.all)
        sidecar.updateReferencePrices(ReferencePrices(last: dec("75.28"), bid: dec("75.27"), ask: dec("75.29"), settlement: dec("75.00")),
                                      symbol: "CLK6", root: "CL", now: T.zero)
        var orders = OrderFactory()
        let order = orders.order(.sell, 5, session: "CONSOLE")
        let preview = sidecar.preview(order, now: T.zero)
        #expect(preview.rejection == nil)
        #expect(sidecar.workingOrders().isEmpty)
        #expect(sidecar.utilisation(now: T.zero).allSatisfy { $0.used == .zero }, "\(sidecar.utilisation(now: T.zero))")
        #expect(sidecar.check(order, now: T.zero).isAccepted)
        #expect(sidecar.workingOrders().count == 1)
    }
}
