import FIXCodec
import Foundation
import Instruments
import Logging
import RiskSidecar
import Testing

/// The utilisation snapshot, the 75 % / 90 % warnings, and the audit record of every decision.
@Suite struct UtilisationTests {
    @Test func snapshotReportsEveryMeasuredLimit() throws {
        var engine = makeEngine(RiskLimits(
            firm: LimitSet(maxGrossNotional: 10_000_000),
            accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100, dailyLoss: DailyLossLimit(limit: 50_000))],
            sessions: ["OMS1": LimitSet(orderRate: RateLimit(limit: 10, windowNanos: T.second))],
            roots: ["CL": LimitSet(maxPositionPerRoot: 400)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 60), now: T.zero).isAccepted)
        engine.updatePnL(account: "DESK1", realised: dec("-10000"), unrealised: dec("-2500"), now: T.zero)
        let snapshot = engine.utilisation(now: T.at(ms: 10))

        let position = try #require(snapshot.first { $0.kind == .positionPerMonth })
        #expect(position.scope == .account("DESK1"))
        #expect(position.subject == "account DESK1 CLK6")
        #expect(position.used == FIXDecimal(60))
        #expect(position.limit == FIXDecimal(100))
        #expect(position.percent == FIXDecimal(60))
        #expect(position.level == .normal)

        let root = try #require(snapshot.first { $0.kind == .positionPerRoot })
        #expect(root.scope == .root("CL"))
        #expect(root.percent == FIXDecimal(15))

        let notional = try #require(snapshot.first { $0.kind == .grossNotional })
        #expect(notional.scope == .firm)
        #expect(notional.used == dec("4518000"))  // 60 × 75.30 × 1,000
        #expect(notional.percent == dec("45.18"))

        let loss = try #require(snapshot.first { $0.kind == .dailyLoss })
        #expect(loss.used == dec("12500"))
        #expect(loss.percent == FIXDecimal(25))

        let rate = try #require(snapshot.first { $0.kind == .orderRate })
        #expect(rate.subject == "session OMS1 per 1s")
        #expect(rate.used == FIXDecimal(1))
        #expect(engine.utilisation(now: T.at(seconds: 2)).first { $0.kind == .orderRate }?.used == .zero, "the window slid")
    }

    @Test func crossingsAreLoggedOncePerCrossing() {
        let logs = LogCapture()
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)]), logs: logs)
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 70), now: T.zero).warnings.isEmpty)
        let warning = engine.check(orders.order(.buy, 5), now: T.zero)
        #expect(warning.isAccepted)
        #expect(warning.warnings.map(\.utilisation.level) == [.warning])
        #expect(warning.warnings.first?.message == "risk limit warning: position per month at 75% (75 of 100) for account DESK1 CLK6 (account DESK1)")
        #expect(logs.warnings(containing: "risk limit warning").count == 1)
        #expect(engine.check(orders.order(.buy, 5), now: T.zero).warnings.isEmpty, "still above 75 %: no repeat")
        let critical = orders.order(.buy, 10)
        #expect(engine.check(critical, now: T.zero).warnings.first?.utilisation.level == .critical)
        #expect(logs.warnings(containing: "risk limit critical: position per month at 90% (90 of 100)").count == 1)
        #expect(engine.check(orders.order(.buy, 5), now: T.zero).warnings.isEmpty)
        // Falling back below 75 % re-arms both levels.
        engine.orderDone(key: critical.key, now: T.zero)
        engine.orderDone(key: RiskOrderKey(1), now: T.zero)
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 15)
        #expect(engine.check(orders.order(.buy, 80), now: T.zero).warnings.map(\.utilisation.level) == [.critical])
        #expect(logs.warnings(containing: "risk limit critical").count == 2)
        #expect(logs.warnings(containing: "risk limit warning").count == 1)
    }

    @Test func lossAndNotionalWarningsComeFromEvents() {
        let logs = LogCapture()
        var engine = makeEngine(RiskLimits(firm: LimitSet(maxGrossNotional: 1_000_000, dailyLoss: DailyLossLimit(limit: 100_000))),
                                logs: logs)
        var orders = OrderFactory()
        let warnings = engine.updatePnL(account: "DESK1", realised: dec("-80000"), unrealised: dec("0"), now: T.zero)
        #expect(warnings.map(\.utilisation.kind) == [.dailyLoss])
        #expect(logs.warnings(containing: "daily loss at 80% (80000 of 100000) for firm (firm)").count == 1)
        let order = orders.order(.buy, 10, at: "75.30")
        #expect(engine.check(order, now: T.zero).warnings.map(\.utilisation.level) == [.warning])  // 753,000
        engine.orderFilled(key: order.key, quantity: 10, price: dec("75.30"), now: T.zero)
        // The position is now valued at the mark: last moves to 92.00, 920,000 is 92 %.
        let moved = engine.updateReferencePrices(ReferencePrices(last: dec("92.00")), symbol: "CLK6", root: "CL", now: T.zero)
        #expect(moved.map(\.utilisation.level) == [.critical])
        #expect(moved.first?.utilisation.subject == "firm")
    }

    @Test func rateWarningsRiseWithTheWindow() {
        let logs = LogCapture()
        var engine = makeEngine(RiskLimits(sessions: ["OMS1": LimitSet(messageRate: RateLimit(limit: 4, windowNanos: T.second))]),
                                logs: logs)
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: 0)).warnings.isEmpty)
        #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: 1)).warnings.isEmpty)
        let third = engine.check(orders.cancel(RiskOrderKey(1)), now: T.at(ms: 2))
        #expect(third.warnings.map(\.utilisation.level) == [.warning])
        #expect(third.warnings.first?.message == "risk limit warning: message rate at 75% (3 of 4) for session OMS1 per 1s (session OMS1)")
        #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: 3)).warnings.map(\.utilisation.level) == [.critical])
    }

    @Test func warningLevelsAreConfigurable() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)], warningPercent: 50, criticalPercent: 60))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 50), now: T.zero).warnings.map(\.utilisation.level) == [.warning])
        #expect(engine.check(orders.order(.buy, 10), now: T.zero).warnings.map(\.utilisation.level) == [.critical])
    }

    @Test func everyDecisionHasAnAuditRecordWithItsInputs() throws {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(priceCollar: PriceCollar(.ticks(50)))],
                                           roots: ["CL": LimitSet(marketProtection: .points(dec("0.50")))]))
        var orders = OrderFactory()
        let rejected = engine.check(orders.order(.buy, 10, at: "76.10"), now: T.at(ms: 7))
        let record = rejected.auditRecord
        #expect(record.time == T.at(ms: 7))
        #expect(record.action == "new")
        #expect(!record.accepted)
        #expect(record.account == "DESK1")
        #expect(record.symbol == "CLK6")
        #expect(record.side == "buy")
        #expect(record.quantity == 10)
        #expect(record.price == "76.10")
        #expect(record.referencePrice == "75.28")
        #expect(record.referencePriceKind == "last", "the journal says which reference price the collar took")
        #expect(record.check == "priceCollar")
        #expect(record.scope == "account DESK1")
        #expect(record.limit == "50")
        #expect(record.value == "82")
        #expect(record.ordRejReason == 3)
        #expect(record.text == "price collar: 76.10 is 82 ticks from reference 75.28, limit 50 ticks (account DESK1)")

        let market = engine.check(orders.order(.sell, 2, at: nil, type: .market), now: T.zero).auditRecord
        #expect(market.accepted)
        #expect(market.adjustedLimitPrice == "74.77")
        #expect(market.protectionBasePrice == "75.27" && market.protectionBaseKind == "bid",
                "the journal says what the cap was taken from: the best bid, for a market sell")
        #expect(market.check == nil)

        let order = orders.order(.buy, 3, at: "75.30")
        #expect(engine.check(order, now: T.zero).isAccepted)
        let replace = engine.check(orders.replace(order.key, quantity: 5, price: "75.31"), now: T.zero).auditRecord
        #expect(replace.action == "replace")
        #expect(replace.originalQuantity == 3)
        #expect(replace.originalPrice == "75.30")
        #expect(replace.account == "DESK1")
        let cancel = engine.check(orders.cancel(order.key), now: T.zero).auditRecord
        #expect(cancel.action == "cancel")
        #expect(cancel.accepted)

        // It journals as JSON and reads back the same.
        let json = try JSONEncoder().encode(record)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains("\"ordRejReason\":3"))
        #expect(text.contains("\"price\":\"76.10\""))
        #expect(try JSONDecoder().decode(RiskAuditRecord.self, from: json) == record)
    }

    @Test func theSidecarLocksAroundTheEngine() async {
        let sidecar = RiskSidecar(limits: RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 1_000)]),
                                  contracts: TestContracts.all)
        sidecar.updateReferencePrices(ReferencePrices(last: dec("75.28")), symbol: "CLK6", root: "CL", now: T.zero)
        // Eight tasks each send 200 one-lot buys: exactly 1,000 can be accepted, whatever the interleaving.
        let accepted = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var count = 0
                    for index in 0..<200 {
                        let key = "\(task)-\(index)"
                        let order = RiskOrder(key: RiskOrderKey(key), clOrdID: key, account: "DESK1", session: "OMS1",
                                              symbol: "CLK6", root: "CL", side: .buy, quantity: 1, price: dec("75.30"))
                        if sidecar.check(order, now: T.zero).isAccepted { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(accepted == 1_000)
        #expect(sidecar.workingOrders(account: "DESK1").count == 1_000)
    }
}
