import FIXCodec
import Instruments
import RiskSidecar
import Testing

/// Controls on what an order adds to: positions, credit, daily loss, trading states, replaces.
@Suite struct ExposureControlsTests {
    @Test func worstCasePositionCountsWorkingOrdersOnTheOrdersSide() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 60), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 40), now: T.zero).isAccepted, "worst case exactly 100")
        let over = engine.check(orders.order(.buy, 1), now: T.zero)
        #expect(over.check == .positionLimit)
        #expect(over.rejection?.ordRejReason == .orderExceedsLimit)
        #expect(over.rejection?.value == FIXDecimal(101))
        #expect(over.text == "position limit: worst-case position 101 CLK6 (position 0, working buys 100, this order 1), limit 100 per month (account DESK1)")
        // The short side has its own worst case: working buys do not offset it.
        #expect(engine.check(orders.order(.sell, 100), now: T.zero).isAccepted)
        let short = engine.check(orders.order(.sell, 1), now: T.zero)
        #expect(short.text == "position limit: worst-case position -101 CLK6 (position 0, working sells 100, this order 1), limit 100 per month (account DESK1)")
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6") == (100, -100))
    }

    @Test func fillsMovePositionsAndDoneOrdersStopCounting() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)]))
        var orders = OrderFactory()
        let first = orders.order(.buy, 60)
        let second = orders.order(.buy, 40)
        #expect(engine.check(first, now: T.zero).isAccepted)
        #expect(engine.check(second, now: T.zero).isAccepted)
        engine.orderAccepted(key: first.key)
        engine.orderFilled(key: first.key, quantity: 25, price: dec("75.30"), now: T.zero)
        engine.orderFilled(key: first.key, quantity: 35, price: dec("75.31"), now: T.zero)
        #expect(engine.position(account: "DESK1", symbol: "CLK6") == 60)
        #expect(engine.workingOrder(first.key) == nil, "fully filled: no longer working")
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 100)
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).check == .positionLimit)
        engine.orderDone(key: second.key, now: T.zero)
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 60)
        #expect(engine.check(orders.order(.buy, 40), now: T.zero).isAccepted)
    }

    @Test func reducingOrdersPassAPositionAlreadyOverItsLimit() {
        var engine = makeEngine(RiskLimits(roots: ["CL": LimitSet(maxPositionPerMonth: 100)]))
        var orders = OrderFactory()
        engine.setPosition(account: "DESK1", symbol: "CLK6", root: "CL", quantity: 150)
        #expect(engine.check(orders.order(.sell, 50), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.sell, 150), now: T.zero).isAccepted, "150 − 50 − 150 = −50")
        #expect(engine.check(orders.order(.sell, 51), now: T.zero).check == .positionLimit)
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).check == .positionLimit)
        // The same for a short over its limit: buying it back passes.
        engine.setPosition(account: "DESK2", symbol: "CLK6", root: "CL", quantity: -150)
        #expect(engine.check(orders.order(.buy, 30, account: "DESK2"), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.sell, 1, account: "DESK2"), now: T.zero).check == .positionLimit)
    }

    @Test func positionPerRootNetsAcrossMonths() {
        var engine = makeEngine(RiskLimits(roots: ["CL": LimitSet(maxPositionPerRoot: 150)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 100, "CLK6"), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 50, "CLM6", at: "75.60"), now: T.zero).isAccepted)
        let over = engine.check(orders.order(.buy, 1, "CLN6", at: "75.90"), now: T.zero)
        #expect(over.text == "position limit: worst-case position 151 CL (position 0, working buys 150, this order 1), limit 150 per root (root CL)")
        #expect(engine.check(orders.order(.buy, 1, "RBK6", at: "2.1500"), now: T.zero).isAccepted, "RB is another root")
        // A filled calendar spread nets to flat across the root.
        var spread = makeEngine(RiskLimits(roots: ["CL": LimitSet(maxPositionPerRoot: 150)]))
        spread.setPosition(account: "DESK1", symbol: "CLK6", root: "CL", quantity: 150)
        spread.setPosition(account: "DESK1", symbol: "CLM6", root: "CL", quantity: -150)
        #expect(spread.check(orders.order(.buy, 150, "CLN6", at: "75.90"), now: T.zero).isAccepted)
    }

    @Test func positionLimitsAtEveryScopeMeasureTheirOwnAggregate() {
        var orders = OrderFactory()
        // Firm: both accounts together.
        var firm = makeEngine(RiskLimits(firm: LimitSet(maxPositionPerMonth: 100)))
        #expect(firm.check(orders.order(.buy, 60, account: "DESK1"), now: T.zero).isAccepted)
        #expect(firm.check(orders.order(.buy, 41, account: "DESK2"), now: T.zero).rejection?.scope == .firm)
        // Session: whatever came in on OMS1, any account.
        var session = makeEngine(RiskLimits(sessions: ["OMS1": LimitSet(maxPositionPerMonth: 100)]))
        #expect(session.check(orders.order(.buy, 60, account: "DESK1"), now: T.zero).isAccepted)
        #expect(session.check(orders.order(.buy, 41, account: "DESK2"), now: T.zero).rejection?.scope == .session("OMS1"))
        #expect(session.check(orders.order(.buy, 41, account: "DESK2", session: "OMS2"), now: T.zero).isAccepted)
        // Root and symbol: each account on its own.
        for limits in [RiskLimits(roots: ["CL": LimitSet(maxPositionPerMonth: 100)]),
                       RiskLimits(symbols: ["CLK6": LimitSet(maxPositionPerMonth: 100)])] {
            var engine = makeEngine(limits)
            #expect(engine.check(orders.order(.buy, 100, account: "DESK1"), now: T.zero).isAccepted)
            #expect(engine.check(orders.order(.buy, 100, account: "DESK2"), now: T.zero).isAccepted)
            let over = engine.check(orders.order(.buy, 1, account: "DESK2"), now: T.zero)
            #expect(over.check == .positionLimit)
            #expect(over.rejection?.scope == (limits.roots.isEmpty ? RiskScope.symbol("CLK6") : .root("CL")))
        }
    }

    @Test func creditLimitCountsWorkingOrdersAndPositionsAtMark() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxGrossNotional: 1_600_000)]))
        var orders = OrderFactory()
        let first = orders.order(.buy, 10, "CLK6", at: "75.30")
        #expect(engine.check(first, now: T.zero).isAccepted)  // 753,000
        #expect(engine.check(orders.order(.sell, 10, "CLM6", at: "75.60"), now: T.zero).isAccepted)  // 756,000: gross, not net
        let over = engine.check(orders.order(.buy, 2, "CLK6", at: "75.30"), now: T.zero)
        #expect(over.check == .creditLimit)
        #expect(over.rejection?.ordRejReason == .orderExceedsLimit)
        #expect(over.text == "credit limit: gross notional 1659600 with this order (positions 0, working orders 1509000, this order 150600), limit 1600000 (account DESK1)")
        // Filled, the position counts at the mark (last 75.28), not at the fill price.
        engine.orderFilled(key: first.key, quantity: 10, price: dec("75.30"), now: T.zero)
        #expect(engine.grossNotional(account: "DESK1") == dec("1508800"))
        engine.updateReferencePrices(ReferencePrices(last: dec("80.00")), symbol: "CLK6", root: "CL", now: T.zero)
        #expect(engine.grossNotional(account: "DESK1") == dec("1556000"))
        #expect(engine.check(orders.order(.buy, 1, "CLK6", at: "80.00"), now: T.zero).check == .creditLimit)
        #expect(engine.grossNotional(account: nil) == dec("1556000"), "the firm sees the same")
    }

    @Test func creditLimitAtRootScopeCountsOnlyThatRoot() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(maxGrossNotional: 10_000_000),
                                           roots: ["CL": LimitSet(maxGrossNotional: 1_000_000)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 10, "CLK6", at: "75.30"), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 10, "RBK6", at: "2.1500"), now: T.zero).isAccepted)
        let over = engine.check(orders.order(.buy, 4, "CLM6", at: "75.60"), now: T.zero)
        #expect(over.rejection?.scope == .root("CL"))
        #expect(over.rejection?.value == dec("1055400"))
        var firm = makeEngine(RiskLimits(firm: LimitSet(maxGrossNotional: 1_000_000)))
        #expect(firm.check(orders.order(.buy, 10, "CLK6", at: "75.30", account: "DESK1"), now: T.zero).isAccepted)
        #expect(firm.check(orders.order(.buy, 4, "CLK6", at: "75.30", account: "DESK2"), now: T.zero).rejection?.scope == .firm)
    }

    @Test func dailyLossBlocksNewOrdersBelowTheLimit() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(dailyLoss: DailyLossLimit(limit: 100_000))]))
        var orders = OrderFactory()
        engine.updatePnL(account: "DESK1", realised: dec("-60000"), unrealised: dec("-40000"), now: T.zero)
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).isAccepted, "at −limit, not below it")
        engine.updatePnL(account: "DESK1", realised: dec("-60000"), unrealised: dec("-40000.01"), now: T.zero)
        let blocked = engine.check(orders.order(.sell, 1), now: T.zero)
        #expect(blocked.check == .dailyLoss)
        #expect(blocked.rejection?.ordRejReason == .brokerOption)
        #expect(blocked.rejection?.value == dec("-100000.01"))
        #expect(blocked.text == "daily loss limit: P&L -100000.01 is below -100000; new orders are blocked (account DESK1)")
        #expect(engine.check(orders.order(.buy, 1, account: "DESK2"), now: T.zero).isAccepted)
        engine.updatePnL(account: "DESK1", realised: dec("5000"), unrealised: dec("-1000"), now: T.zero)
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).isAccepted, "the latest push replaces the last")
    }

    @Test func dailyLossCanStillAllowReducingOrders() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(dailyLoss: DailyLossLimit(limit: 100_000, allowReducing: true))))
        var orders = OrderFactory()
        engine.setPosition(account: "DESK1", symbol: "CLK6", root: "CL", quantity: 20)
        engine.updatePnL(account: "DESK1", realised: dec("-70000"), unrealised: dec("0"), now: T.zero)
        engine.updatePnL(account: "DESK2", realised: dec("-40000"), unrealised: dec("0"), now: T.zero)
        #expect(engine.check(orders.order(.sell, 10), now: T.zero).isAccepted, "reduces the long")
        let flip = engine.check(orders.order(.sell, 11), now: T.zero)
        #expect(flip.check == .dailyLoss)
        #expect(flip.rejection?.scope == .firm)
        #expect(flip.text == "daily loss limit: P&L -110000 is below -100000; only orders that reduce a position are accepted (firm)")
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).check == .dailyLoss)
    }

    @Test func dailyLossPerInstrumentUsesThatInstrumentsPnL() {
        var engine = makeEngine(RiskLimits(roots: ["RB": LimitSet(dailyLoss: DailyLossLimit(limit: 20_000))],
                                           symbols: ["CLK6": LimitSet(dailyLoss: DailyLossLimit(limit: 50_000))]))
        var orders = OrderFactory()
        engine.updatePnL(account: "DESK1", symbol: "CLK6", root: "CL", realised: dec("-30000"), unrealised: dec("-30000"), now: T.zero)
        engine.updatePnL(account: "DESK1", symbol: "RBK6", root: "RB", realised: dec("-25000"), unrealised: dec("0"), now: T.zero)
        #expect(engine.check(orders.order(.buy, 1, "CLK6"), now: T.zero).rejection?.scope == .symbol("CLK6"))
        #expect(engine.check(orders.order(.buy, 1, "CLM6", at: "75.60"), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 1, "RBK6", at: "2.1500"), now: T.zero).rejection?.scope == .root("RB"))
        #expect(engine.check(orders.order(.buy, 1, "CLK6", account: "DESK2"), now: T.zero).isAccepted)
    }

    @Test func replacesCountOnlyTheirIncrease() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)]))
        var orders = OrderFactory()
        let order = orders.order(.buy, 80)
        #expect(engine.check(order, now: T.zero).isAccepted)
        let tooBig = engine.check(orders.replace(order.key, quantity: 120, price: "75.30"), now: T.zero)
        #expect(tooBig.check == .positionLimit)
        #expect(tooBig.text == "position limit: worst-case position 120 CLK6 (position 0, working buys 80, this replace +40), limit 100 per month (account DESK1)")
        #expect(tooBig.rejection?.cxlRejReason == .brokerOption)
        #expect(engine.check(orders.replace(order.key, quantity: 100, price: "75.30"), now: T.zero).isAccepted)
        engine.orderReplaced(key: order.key, now: T.zero)
        #expect(engine.workingOrder(order.key)?.orderQuantity == 100)
        // Limits tighten below what is working: shrinking still passes, growing does not.
        engine.replaceLimits(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 40)]))
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).check == .positionLimit)
        #expect(engine.check(orders.replace(order.key, quantity: 50, price: "75.35"), now: T.zero).isAccepted)
    }

    @Test func aPendingReplaceCountsTheLargerExposureUntilTheVenueAnswers() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)]))
        var orders = OrderFactory()
        let order = orders.order(.buy, 80)
        #expect(engine.check(order, now: T.zero).isAccepted)
        #expect(engine.check(orders.replace(order.key, quantity: 30, price: "75.30"), now: T.zero).isAccepted)
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 80, "still 80 until confirmed")
        let second = engine.check(orders.replace(order.key, quantity: 20, price: "75.30"), now: T.zero)
        #expect(second.rejection?.cxlRejReason == .alreadyPending)
        engine.replaceRejected(key: order.key, now: T.zero)
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 80)
        #expect(engine.check(orders.replace(order.key, quantity: 30, price: "75.30"), now: T.zero).isAccepted)
        engine.orderReplaced(key: order.key, now: T.zero)
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 30)
        #expect(engine.check(orders.order(.buy, 70), now: T.zero).isAccepted)
    }

    @Test func replacesAfterPartialFillsCountLeavesOnly() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)]))
        var orders = OrderFactory()
        let order = orders.order(.buy, 100)
        #expect(engine.check(order, now: T.zero).isAccepted)
        engine.orderFilled(key: order.key, quantity: 30, price: dec("75.30"), now: T.zero)
        // OrderQty 100 with 30 filled leaves 70: the worst case stays 100.
        #expect(engine.check(orders.replace(order.key, quantity: 100, price: "75.32"), now: T.zero).isAccepted)
        engine.orderReplaced(key: order.key, now: T.zero)
        #expect(engine.workingOrder(order.key)?.leavesQuantity == 70)
        #expect(engine.check(orders.replace(order.key, quantity: 101, price: "75.32"), now: T.zero).check == .positionLimit)
    }

    @Test func replacesFacePerOrderChecksOnTheirNewValues() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(maxOrderSize: 50, priceCollar: PriceCollar(.ticks(50)))))
        var orders = OrderFactory()
        let order = orders.order(.buy, 10)
        #expect(engine.check(order, now: T.zero).isAccepted)
        let fat = engine.check(orders.replace(order.key, quantity: 10, price: "76.10"), now: T.zero)
        #expect(fat.check == .priceCollar)
        #expect(fat.rejection?.cxlRejReason == .brokerOption)
        #expect(engine.check(orders.replace(order.key, quantity: 51, price: "75.30"), now: T.zero).check == .orderSize)
        let unknown = engine.check(orders.replace(RiskOrderKey("nope"), quantity: 1, price: "75.30"), now: T.zero)
        #expect(unknown.rejection?.ordRejReason == .unknownOrder)
        #expect(unknown.rejection?.cxlRejReason == .unknownOrder)
        #expect(unknown.text == "invalid order: no working order nope to replace")
    }

    @Test func reducingStateOnlyLetsPositionsShrink() {
        var engine = makeEngine(RiskLimits())
        var orders = OrderFactory()
        engine.setPosition(account: "DESK1", symbol: "CLK6", root: "CL", quantity: 20)
        engine.setTradingState(.reducing, for: .account("DESK1"), by: "risk.ops", now: T.zero)
        let buy = engine.check(orders.order(.buy, 1), now: T.zero)
        #expect(buy.check == .tradingState)
        #expect(buy.rejection?.ordRejReason == .brokerOption)
        #expect(buy.text == "trading state: account DESK1 is REDUCING; buy 1 CLK6 would take DESK1's worst-case position from 20 to 21 (only orders that shrink a position are accepted)")
        #expect(engine.check(orders.order(.sell, 10), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.sell, 11), now: T.zero).check == .tradingState, "20 − 10 working − 11 flips short")
        #expect(engine.check(orders.order(.sell, 10), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 5, "CLM6", at: "75.60"), now: T.zero).check == .tradingState, "flat: nothing to reduce")
        #expect(engine.check(orders.order(.buy, 5, account: "DESK2"), now: T.zero).isAccepted)
        engine.setTradingState(.active, for: .account("DESK1"), by: "risk.ops", now: T.zero)
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).isAccepted)
    }

    @Test func haltedStateOnlyLetsCancelsThrough() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(tradingState: .halted)))
        var orders = OrderFactory()
        #expect(engine.tradingState(account: nil) == .halted)
        let decision = engine.check(orders.order(.buy, 1), now: T.zero)
        #expect(decision.check == .tradingState)
        #expect(decision.text == "trading state: firm is HALTED; only cancels are accepted")
        engine.setTradingState(.active, for: .firm, by: "risk.ops", now: T.zero)
        let order = orders.order(.buy, 1)
        #expect(engine.check(order, now: T.zero).isAccepted)
        engine.setTradingState(.halted, for: .account("DESK1"), by: "risk.ops", now: T.zero)
        #expect(engine.check(orders.replace(order.key, quantity: 2, price: "75.30"), now: T.zero).rejection?.scope == .account("DESK1"))
        #expect(engine.check(orders.cancel(order.key), now: T.zero).isAccepted)
        // Firm REDUCING applies to every account's own position.
        engine.setTradingState(.active, for: .account("DESK1"), by: "risk.ops", now: T.zero)
        engine.setTradingState(.reducing, for: .firm, by: "risk.ops", now: T.zero)
        #expect(engine.check(orders.order(.buy, 1, account: "DESK2"), now: T.zero).rejection?.scope == .firm)
    }

    @Test func restoredWorkingOrdersCountLikeCheckedOnes() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)]))
        var orders = OrderFactory()
        let restored = orders.order(.buy, 70, tif: .goodTillCancel)
        let first = engine.restoreWorkingOrder(restored, filledQuantity: 20)
        let second = engine.restoreWorkingOrder(restored)
        #expect(first)
        #expect(!second, "a key already working is not restored twice")
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 50)
        #expect(engine.check(orders.order(.buy, 50), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).check == .positionLimit)
        #expect(engine.check(orders.replace(restored.key, quantity: 71, price: "75.30"), now: T.zero).check == .positionLimit)
        engine.orderFilled(key: restored.key, quantity: 50, price: dec("75.30"), now: T.zero)
        #expect(engine.workingOrder(restored.key) == nil)
        #expect(engine.position(account: "DESK1", symbol: "CLK6") == 50)
    }

    @Test func aReplaceToMarketIsCappedLikeANewMarketOrder() {
        var engine = makeEngine(RiskLimits(roots: ["CL": LimitSet(marketProtection: .points(dec("0.50")))]))
        var orders = OrderFactory()
        let order = orders.order(.sell, 5, at: "75.40")
        #expect(engine.check(order, now: T.zero).isAccepted)
        let replace = engine.check(orders.replace(order.key, quantity: 5, price: nil, type: .market), now: T.zero)
        #expect(replace.isAccepted)
        #expect(replace.adjustedLimitPrice == dec("74.77"))
        engine.orderReplaced(key: order.key, now: T.zero)
        #expect(engine.workingOrder(order.key)?.price == dec("74.77"))
        #expect(engine.workingOrder(order.key)?.type == .market)
    }
}
