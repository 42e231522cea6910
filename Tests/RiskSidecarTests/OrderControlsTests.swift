import FIXCodec
import Instruments
import RiskSidecar
import Testing

/// Controls on one order: size, value, price collar, market-order protection, validity.
@Suite struct OrderControlsTests {
    @Test func maxOrderSizeAtEveryScope() throws {
        let cases: [(RiskLimits, RiskScope)] = [
            (RiskLimits(firm: LimitSet(maxOrderSize: 100)), .firm),
            (RiskLimits(accounts: ["DESK1": LimitSet(maxOrderSize: 100)]), .account("DESK1")),
            (RiskLimits(sessions: ["OMS1": LimitSet(maxOrderSize: 100)]), .session("OMS1")),
            (RiskLimits(roots: ["CL": LimitSet(maxOrderSize: 100)]), .root("CL")),
            (RiskLimits(symbols: ["CLK6": LimitSet(maxOrderSize: 100)]), .symbol("CLK6")),
        ]
        for (limits, scope) in cases {
            var engine = makeEngine(limits)
            var orders = OrderFactory()
            #expect(engine.check(orders.order(.buy, 100), now: T.zero).isAccepted, "at the limit passes (\(scope))")
            let decision = engine.check(orders.order(.buy, 101), now: T.zero)
            let rejection = try #require(decision.rejection)
            #expect(rejection.check == .orderSize)
            #expect(rejection.scope == scope)
            #expect(rejection.ordRejReason == .orderExceedsLimit)
            #expect(rejection.ordRejReason.rawValue == 3)
            #expect(rejection.limit == FIXDecimal(100))
            #expect(rejection.value == FIXDecimal(101))
            #expect(rejection.text == "max order size: 101 contracts, limit 100 (\(scope))")
        }
    }

    @Test func limitsOfOtherAccountsAndInstrumentsDoNotApply() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK2": LimitSet(maxOrderSize: 5)],
                                           symbols: ["CLM6": LimitSet(maxOrderSize: 5)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 50, "CLK6"), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 50, "CLM6"), now: T.zero).check == .orderSize)
        #expect(engine.check(orders.order(.buy, 50, "CLK6", account: "DESK2"), now: T.zero).check == .orderSize)
    }

    @Test func tightestScopeTrips() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(maxOrderSize: 500), accounts: ["DESK1": LimitSet(maxOrderSize: 200)],
                                           roots: ["CL": LimitSet(maxOrderSize: 300)]))
        var orders = OrderFactory()
        let decision = engine.check(orders.order(.buy, 250), now: T.zero)
        #expect(decision.rejection?.scope == .account("DESK1"))
    }

    @Test func maxOrderValueUsesTheContractMultiplier() {
        // 10 CL at 75.30 = 753,000; 10 RB at 2.1500 $/gal × 42,000 gal = 903,000.
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxOrderValue: 800_000)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 10, "CLK6", at: "75.30"), now: T.zero).isAccepted)
        let decision = engine.check(orders.order(.sell, 10, "RBK6", at: "2.1500"), now: T.zero)
        #expect(decision.check == .orderValue)
        #expect(decision.rejection?.ordRejReason == .orderExceedsLimit)
        #expect(decision.rejection?.value == dec("903000"))
        #expect(decision.rejection?.limit == dec("800000"))
        #expect(decision.text == "max order value: 10 × 2.1500 × 42000 = 903000, limit 800000 (account DESK1)")
        // Exactly at the limit passes.
        var exact = makeEngine(RiskLimits(firm: LimitSet(maxOrderValue: 753_000)))
        #expect(exact.check(orders.order(.buy, 10, "CLK6", at: "75.30"), now: T.zero).isAccepted)
        #expect(exact.check(orders.order(.buy, 10, "CLK6", at: "75.31"), now: T.zero).rejection?.scope == .firm)
    }

    @Test func orderValueOfANegativePriceIsItsMagnitude() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(maxOrderValue: 300_000)))
        var orders = OrderFactory()
        // 20 April 2020: −37.63 × 10 × 1,000 is a 376,300 dollar order.
        let decision = engine.check(orders.order(.buy, 10, "CLK6", at: "-37.63"), now: T.zero)
        #expect(decision.check == .orderValue)
        #expect(decision.rejection?.value == dec("376300"))
    }

    @Test func priceCollarInTicks() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(priceCollar: PriceCollar(.ticks(50)))]))
        var orders = OrderFactory()
        // Reference last 75.28: 75.78 is 50 ticks away (allowed), 76.10 is 82.
        #expect(engine.check(orders.order(.buy, 10, at: "75.78"), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.sell, 10, at: "74.78"), now: T.zero).isAccepted)
        let decision = engine.check(orders.order(.buy, 10, at: "76.10"), now: T.zero)
        #expect(decision.check == .priceCollar)
        #expect(decision.rejection?.ordRejReason == .orderExceedsLimit)
        #expect(decision.rejection?.value == dec("82"))
        #expect(decision.rejection?.limit == dec("50"))
        #expect(decision.referencePrice == dec("75.28"))
        #expect(decision.text == "price collar: 76.10 is 82 ticks from reference 75.28, limit 50 ticks (account DESK1)")
    }

    @Test func priceCollarInPercentFromTheChosenReference() {
        let collar = PriceCollar(.percent(5), references: [.settlement])
        var engine = makeEngine(RiskLimits(symbols: ["CLK6": LimitSet(priceCollar: collar)]))
        var orders = OrderFactory()
        // Settlement 75.00: 5 % is 3.75, so 78.75 passes and 80.00 (6.67 %) does not.
        #expect(engine.check(orders.order(.buy, 1, at: "78.75"), now: T.zero).isAccepted)
        let decision = engine.check(orders.order(.buy, 1, at: "80.00"), now: T.zero)
        #expect(decision.check == .priceCollar)
        #expect(decision.text == "price collar: 80.00 is 6.66% from reference 75.00, limit 5% (symbol CLK6)")
    }

    @Test func priceCollarFallsBackThroughReferencesAndRejectsWithoutAny() {
        var engine = makeEngine(RiskLimits(roots: ["CL": LimitSet(priceCollar: PriceCollar(.ticks(20), references: [.mid, .last]))]))
        var orders = OrderFactory()
        engine.updateReferencePrices(ReferencePrices(last: dec("70.00")), symbol: "CLN6", root: "CL", now: T.zero)
        #expect(engine.check(orders.order(.buy, 1, "CLN6", at: "70.20"), now: T.zero).isAccepted, "no mid: last is used")
        let none = engine.check(orders.order(.buy, 1, "CLQ6", at: "70.00"), now: T.zero)
        #expect(none.check == .priceCollar)
        #expect(none.rejection?.ordRejReason == .other)
        #expect(none.text == "price collar: no reference price (mid, last) for CLQ6 (root CL)")
    }

    @Test func priceCollarWorksThroughNegativePrices() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(priceCollar: PriceCollar(.ticks(500)))))
        var orders = OrderFactory()
        engine.updateReferencePrices(ReferencePrices(last: dec("-37.63")), symbol: "CLK0", root: "CL", now: T.zero)
        #expect(engine.check(orders.order(.buy, 1, "CLK0", at: "-33.00"), now: T.zero).isAccepted)
        let decision = engine.check(orders.order(.buy, 1, "CLK0", at: "-32.00"), now: T.zero)
        #expect(decision.text == "price collar: -32.00 is 563 ticks from reference -37.63, limit 500 ticks (firm)")
    }

    @Test func marketOrdersAreCappedAtTheBestPricePlusProtection() {
        var engine = makeEngine(RiskLimits(roots: ["CL": LimitSet(marketProtection: .points(dec("0.50")))]))
        var orders = OrderFactory()
        let buy = engine.check(orders.order(.buy, 5, at: nil, type: .market), now: T.zero)
        #expect(buy.isAccepted)
        #expect(buy.adjustedLimitPrice == dec("75.79"))  // ask 75.29 + 0.50
        #expect(buy.adjustedLimitPrice?.description == "75.79")
        let sell = engine.check(orders.order(.sell, 5, at: nil, type: .market), now: T.zero)
        #expect(sell.adjustedLimitPrice == dec("74.77"))  // bid 75.27 − 0.50
        #expect(engine.workingOrder(RiskOrderKey(1))?.price == dec("75.79"), "the capped price is what works")
    }

    @Test func tightestProtectionWinsAndCapsAreOnTheTickGrid() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(marketProtection: .ticks(100)),
                                           roots: ["RB": LimitSet(marketProtection: .points(dec("0.01505")))]))
        var orders = OrderFactory()
        // RB ask 2.1501 + 0.01505 = 2.16515, rounded down to the 0.0001 grid; firm cap 2.1601 is tighter.
        let buy = engine.check(orders.order(.buy, 1, "RBK6", at: nil, type: .market), now: T.zero)
        #expect(buy.adjustedLimitPrice == dec("2.1601"))
        // CL: only the firm's 100 ticks apply.
        let sell = engine.check(orders.order(.sell, 1, "CLK6", at: nil, type: .market), now: T.zero)
        #expect(sell.adjustedLimitPrice == dec("74.27"))
        var rbOnly = makeEngine(RiskLimits(roots: ["RB": LimitSet(marketProtection: .points(dec("0.01505")))]))
        let sellRB = rbOnly.check(orders.order(.sell, 1, "RBK6", at: nil, type: .market), now: T.zero)
        #expect(sellRB.adjustedLimitPrice == dec("2.1349"), "2.1499 − 0.01505 = 2.13485, rounded up for a sell")
    }

    @Test func stopOrdersAreCappedFromTheirStopPrice() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(marketProtection: .points(dec("1.00")))))
        var orders = OrderFactory()
        let decision = engine.check(orders.order(.buy, 2, at: nil, type: .stop, stop: "77.00"), now: T.zero)
        #expect(decision.isAccepted)
        #expect(decision.adjustedLimitPrice == dec("78.00"))
        // A stop-limit carries its own limit: nothing to cap.
        let stopLimit = engine.check(orders.order(.buy, 2, at: "77.10", type: .stopLimit, stop: "77.00"), now: T.zero)
        #expect(stopLimit.isAccepted)
        #expect(stopLimit.adjustedLimitPrice == nil)
    }

    @Test func marketOrdersWithoutProtectionOrPricesAreRejected() {
        var unprotected = makeEngine(RiskLimits(firm: LimitSet(maxOrderSize: 100)))
        var orders = OrderFactory()
        let decision = unprotected.check(orders.order(.buy, 1, at: nil, type: .market), now: T.zero)
        #expect(decision.check == .marketProtection)
        #expect(decision.rejection?.ordRejReason == .unsupportedOrderCharacteristic)
        #expect(decision.text == "market-order protection: none configured for CLK6; market orders are not accepted without a cap")

        var noPrices = makeEngine(RiskLimits(firm: LimitSet(marketProtection: .ticks(50))))
        let blind = noPrices.check(orders.order(.sell, 1, "CLZ6", at: nil, type: .market), now: T.zero)
        #expect(blind.check == .marketProtection)
        #expect(blind.rejection?.ordRejReason == .other)
        #expect(blind.text == "market-order protection: no best, last or settlement price for CLZ6 to cap a market sell (firm)")
        // One-sided book: the last price stands in for the missing bid.
        noPrices.updateReferencePrices(ReferencePrices(last: dec("70.00"), ask: dec("70.05")), symbol: "CLZ6", root: "CL", now: T.zero)
        #expect(noPrices.check(orders.order(.sell, 1, "CLZ6", at: nil, type: .market), now: T.zero).adjustedLimitPrice == dec("69.50"))
    }

    @Test func cappedMarketOrdersAreValuedAtTheirCap() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(maxOrderValue: 757_000, marketProtection: .points(dec("0.50")))))
        var orders = OrderFactory()
        // 10 × 75.79 × 1,000 = 757,900 > 757,000.
        let decision = engine.check(orders.order(.buy, 10, at: nil, type: .market), now: T.zero)
        #expect(decision.check == .orderValue)
        #expect(decision.text == "max order value: 10 × 75.79 × 1000 = 757900, limit 757000 (firm)")
    }

    @Test func malformedOrdersAreRejectedWithTheirReason() {
        var engine = makeEngine(RiskLimits())
        var orders = OrderFactory()
        let zero = engine.check(orders.order(.buy, 0), now: T.zero)
        #expect(zero.check == .invalidOrder)
        #expect(zero.rejection?.ordRejReason == .incorrectQuantity)
        let noPrice = engine.check(orders.order(.buy, 1, at: nil), now: T.zero)
        #expect(noPrice.rejection?.ordRejReason == .unsupportedOrderCharacteristic)
        #expect(noPrice.text == "invalid order: a limit order needs a limit price")
        let unknown = engine.check(orders.order(.buy, 1, "NGK6", root: "NG"), now: T.zero)
        #expect(unknown.rejection?.ordRejReason == .unknownSymbol)
        #expect(unknown.text == "invalid order: unknown instrument NGK6 (no contract for root NG)")
        var again = orders.order(.buy, 1)
        #expect(engine.check(again, now: T.zero).isAccepted)
        again.clOrdID = "another"
        #expect(engine.check(again, now: T.zero).text == "invalid order: order key \(again.key) is already working")
    }
}
