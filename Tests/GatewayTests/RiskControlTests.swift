import FIXCodec
import Foundation
@testable import Gateway
import Instruments
import RiskSidecar
import SimulatedVenue
import Synchronization
import Testing
import TestSupport
import OrderEntry

/// Every pre-trade risk control of `risk-controls.md`, through the whole gateway: FIX in from an
/// OMS session, the real risk sidecar with the limits each test writes, the simulated venue, and
/// what the OMS gets back. A reject must be an ExecutionReport with ExecType=8 and OrdStatus=8,
/// an OrdRejReason (103) and a Text (58) naming the check, the limit and the value seen.
@Suite struct RiskControlTests {
    // MARK: Per-order limits

    @Test func maxOrderSizeRejectsAboveTheLimitOfEachScope() throws {
        var harness = try GatewayHarness(limits: """
            firm:
              maxOrderSize: 500
            accounts:
              DESK1: {maxOrderSize: 20}
            sessions:
              OMS2: {maxOrderSize: 5}
            roots:
              CL: {maxOrderSize: 300}
            """)
        let price = harness.price(offsetTicks: -40)
        let big = harness.order("S1", quantity: 21, price: price)
        expectRejected(big, clOrdID: "S1", reason: 3, ["max order size", "21 contracts", "limit 20", "(account DESK1)"])
        #expect(big.first?[38]?.decimal == FIXDecimal(21), "the OMS sees its order as it sent it")
        expectAccepted(harness.order("S2", quantity: 20, price: price))

        let brent = harness.price(offsetTicks: -40, symbol: "BZF7")
        expectRejected(harness.order("S3", quantity: 6, price: brent, symbol: "BZF7", from: "OMS2"), clOrdID: "S3", reason: 3,
                       ["max order size", "6 contracts", "limit 5", "(session OMS2)"])
        expectAccepted(harness.order("S4", quantity: 5, price: brent, symbol: "BZF7", from: "OMS2"))
    }

    @Test func maxOrderValueRejectsPriceTimesQuantityTimesMultiplierAboveTheLimit() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1: {maxOrderValue: 1_000_000}
            """)
        let price = harness.price(offsetTicks: -40)
        let multiplier = try #require(harness.catalog.instrument(symbol: "CLF7")).multiplier
        let perContract = try #require(FIXDecimal(price)) * multiplier
        var quantity = 1
        while perContract * FIXDecimal(quantity) <= FIXDecimal(1_000_000) { quantity += 1 }
        let value = perContract * FIXDecimal(quantity)
        expectRejected(harness.order("V1", quantity: quantity, price: price), clOrdID: "V1", reason: 3,
                       ["max order value", "\(quantity) × \(price) ×", "= \(value.normalized)", "limit 1000000", "(account DESK1)"])
        expectAccepted(harness.order("V2", quantity: quantity - 1, price: price))
    }

    @Test func priceCollarInTicksRejectsLimitPricesTooFarFromTheMid() throws {
        var harness = try GatewayHarness(limits: """
            roots:
              CL:
                priceCollar: {ticks: 20, reference: mid}
            """)
        let top = try #require(harness.top())
        let mid = try (#require(top.bidPrice) + #require(top.askPrice)) * FIXDecimal(mantissa: 5, scale: 1)
        let shownMid = mid.normalized.scale < 2 ? mid.normalized.rescaled(to: 2)! : mid.normalized

        let low = harness.price(offsetTicks: -30)
        let lowTicks = ((mid - FIXDecimal(low)!) * FIXDecimal(100)).normalized
        #expect(lowTicks > FIXDecimal(20))
        expectRejected(harness.order("C1", price: low), clOrdID: "C1", reason: 3,
                       ["price collar", "\(low) is \(lowTicks) ticks from reference \(shownMid)", "limit 20 ticks", "(root CL)"])

        let high = harness.price(offsetTicks: 30)
        let highTicks = ((FIXDecimal(high)! - mid) * FIXDecimal(100)).normalized
        expectRejected(harness.order("C2", side: 2, price: high), clOrdID: "C2", reason: 3,
                       ["price collar", "\(high) is \(highTicks) ticks from reference \(shownMid)", "limit 20 ticks"])

        expectAccepted(harness.order("C3", price: harness.price(offsetTicks: -10)))
    }

    @Test func priceCollarInPercentRejectsLimitPricesTooFarFromTheLastPrice() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1:
                priceCollar: {percent: 1, reference: last}
            """)
        // Nothing has traded yet: the gateway's "last" is the venue's fair price.
        let reference = try #require(harness.gateway.state.market?.fairPrice(symbol: "CLF7"))
        let far = harness.price(offsetTicks: -100)
        let percent = try truncatedPercent(distance: reference - FIXDecimal(far)!, of: reference)
        #expect(percent > FIXDecimal(1))
        expectRejected(harness.order("P1", price: far), clOrdID: "P1", reason: 3,
                       ["price collar", "\(far) is \(percent)% from reference \(reference)", "limit 1%", "(account DESK1)"])

        let farSell = harness.price(offsetTicks: 100)
        let sellPercent = try truncatedPercent(distance: FIXDecimal(farSell)! - reference, of: reference)
        expectRejected(harness.order("P2", side: 2, price: farSell), clOrdID: "P2", reason: 3,
                       ["price collar", "\(farSell) is \(sellPercent)% from reference", "limit 1%"])

        expectAccepted(harness.order("P3", price: harness.price(offsetTicks: -50)), "about 0.7% away")
    }

    @Test func marketOrderIsCappedAtTheBestOfferPlusProtectionAndFillsOnlyWithinTheCap() throws {
        var harness = try GatewayHarness(limits: """
            roots:
              CL:
                marketProtection: {ticks: 2}
            """)
        let ask = try #require(harness.top()?.askPrice)
        let tick = try #require(harness.catalog.instrument(symbol: "CLF7")).tickSize
        let cap = ask + tick * FIXDecimal(2)
        // Five levels of 20 offered: unprotected, 100 lots would sweep all of them.
        let reports = harness.order("M1", quantity: 100, type: 1, tif: 3)
        #expect(reports.allSatisfy { $0.execType != "8" }, "\(reports.compactMap { $0[58]?.string })")
        #expect(reports.allSatisfy { $0[40]?.string == "1" && $0[44] == nil }, "the OMS sees its market order as it sent it")
        let fills = reports.filter { $0.execType == "F" }
        #expect(!fills.isEmpty)
        for fill in fills {
            let price = try #require(fill[31]?.decimal)
            #expect(price >= ask && price <= cap, "fill at \(price): cap \(cap)")
        }
        let filled = fills.reduce(Int64(0)) { $0 + Int64($1[32]?.int ?? 0) }
        #expect(filled > 0 && filled < 100, "only what is offered up to the cap fills")
        let last = try #require(reports.last)
        #expect(last.execType == "4" && last.ordStatus == "4", "the IOC remainder beyond the cap is cancelled")
        #expect(last[14]?.decimal == FIXDecimal(mantissa: filled))
        #expect(last[151]?.decimal == FIXDecimal(0))
        let decision = try #require(harness.decisions().first { $0.clOrdID == "M1" })
        #expect(decision.adjustedLimitPrice == cap.description)

        // A stop is capped from its stop price: it goes to the venue as a stop-limit.
        let stop = ask + tick * FIXDecimal(10)
        let stopReports = harness.order("M3", type: 3, extra: "99=\(stop)|")
        expectAccepted(stopReports)
        #expect(stopReports.allSatisfy { $0[40]?.string == "3" && $0[99]?.decimal == stop && $0[44] == nil })
        let stopDecision = try #require(harness.decisions().first { $0.clOrdID == "M3" })
        #expect(stopDecision.adjustedLimitPrice == (stop + tick * FIXDecimal(2)).description)

        // No protection configured for Brent: a market order there has no cap and is refused.
        expectRejected(harness.order("M2", type: 1, tif: 3, symbol: "BZF7"), clOrdID: "M2", reason: 11,
                       ["market-order protection", "none configured for BZF7"])
    }

    // MARK: Exposure limits

    @Test func positionLimitCountsFillsAndWorkingOrdersPerMonthAndPerRoot() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1:
                maxPositionPerMonth: 10
                maxPositionPerRoot: 15
            """)
        let bought = harness.order("F1", quantity: 3, price: harness.price(offsetTicks: 50))
        try #require(bought.last?.ordStatus == "2")
        expectAccepted(harness.order("W1", quantity: 6, price: harness.price(offsetTicks: -40)))
        expectRejected(harness.order("W2", quantity: 2, price: harness.price(offsetTicks: -41)), clOrdID: "W2", reason: 3,
                       ["position limit", "worst-case position 11 CLF7", "position 3, working buys 6, this order 2",
                        "limit 10 per month", "(account DESK1)"])
        expectAccepted(harness.order("W3", quantity: 1, price: harness.price(offsetTicks: -42)), "exactly at the limit")
        expectAccepted(harness.order("W4", side: 2, quantity: 5, price: harness.price(offsetTicks: 40)),
                       "sells are measured on the short side: 3 - 5 = -2")

        expectAccepted(harness.order("G1", quantity: 5, price: harness.price(offsetTicks: -40, symbol: "CLG7"), symbol: "CLG7"),
                       "CL root: 3 + 7 + 5 = 15")
        let hPrice = harness.price(offsetTicks: -40, symbol: "CLH7")
        expectRejected(harness.order("H1", quantity: 1, price: hPrice, symbol: "CLH7"), clOrdID: "H1", reason: 3,
                       ["position limit", "worst-case position 16 CL", "position 3, working buys 12, this order 1",
                        "limit 15 per root", "(account DESK1)"])
        // Cancelling a working buy frees its room.
        #expect(harness.cancel("W1C", orig: "W1").map(\.execType) == ["6", "4"])
        expectAccepted(harness.order("H2", quantity: 1, price: hPrice, symbol: "CLH7"))
    }

    @Test func creditLimitCountsPositionsAtMarkAndWorkingOrders() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1: {maxGrossNotional: 500_000}
            """)
        try #require(harness.order("F1", quantity: 3, price: harness.price(offsetTicks: 50)).last?.ordStatus == "2")
        let restingPrice = harness.price(offsetTicks: -40)
        expectAccepted(harness.order("W1", quantity: 2, price: restingPrice))
        let multiplier = try #require(harness.catalog.instrument(symbol: "CLF7")).multiplier
        let working = FIXDecimal(restingPrice)! * FIXDecimal(2) * multiplier
        let before = harness.gateway.risk.grossNotional(account: "DESK1")

        let price = harness.price(offsetTicks: -41)
        let added = FIXDecimal(price)! * FIXDecimal(3) * multiplier
        let total = before + added
        #expect(total > FIXDecimal(500_000))
        let rejected = harness.order("W2", quantity: 3, price: price)
        expectRejected(rejected, clOrdID: "W2", reason: 3,
                       ["credit limit", "gross notional \(total.normalized) with this order",
                        "working orders \(working.normalized)", "this order \(added.normalized)", "limit 500000", "(account DESK1)"])
        // The positions part is the 3 lots at the sidecar's mark.
        let text = rejected.first?[58]?.string ?? ""
        let positions = try #require(number(after: "positions ", in: text))
        #expect(positions + working == before)
        #expect(positions > FIXDecimal(3 * 60_000) && positions < FIXDecimal(3 * 80_000), "3 lots of WTI near $70: \(positions)")

        expectAccepted(harness.order("W3", quantity: 1, price: price), "a smaller order fits the remaining credit")
    }

    @Test func dailyLossFromFillsAndMarksAllowsOnlyReducingOrders() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1:
                dailyLoss: {limit: 5, allowReducing: true}
            """)
        // Bought at the offer, marked at the mid: an unrealised loss.
        try #require(harness.order("B1", quantity: 3, price: harness.price(offsetTicks: 50)).last?.ordStatus == "2")
        let open = dayPnL(harness, "DESK1")
        try #require(open < FIXDecimal(-5), "\(open)")
        expectRejected(harness.order("B2", price: harness.price(offsetTicks: -40)), clOrdID: "B2", reason: 0,
                       ["daily loss limit", "P&L \(open.normalized) is below -5", "only orders that reduce a position are accepted",
                        "(account DESK1)"])
        expectAccepted(harness.order("S1", side: 2, quantity: 1, price: harness.price(offsetTicks: 40)), "3 long: selling 1 reduces")
        expectRejected(harness.order("S2", side: 2, quantity: 3, price: harness.price(offsetTicks: 41)), clOrdID: "S2", reason: 0,
                       ["daily loss limit", "only orders that reduce a position are accepted"])
        #expect(harness.cancel("S1C", orig: "S1", side: 2).map(\.execType) == ["6", "4"], "cancels always pass")

        // Flatten at the bid: the loss is realised, and now nothing reduces.
        try #require(harness.order("S3", side: 2, quantity: 3, price: harness.price(offsetTicks: -50)).last?.ordStatus == "2")
        #expect(harness.gateway.positions.position(account: "DESK1", symbol: "CLF7")?.quantity == 0)
        let flat = dayPnL(harness, "DESK1")
        try #require(flat < FIXDecimal(-5))
        expectRejected(harness.order("B3", price: harness.price(offsetTicks: -40)), clOrdID: "B3", reason: 0,
                       ["daily loss limit", "P&L \(flat.normalized) is below -5"])
        expectRejected(harness.order("S4", side: 2, price: harness.price(offsetTicks: 40)), clOrdID: "S4", reason: 0,
                       ["daily loss limit", "P&L \(flat.normalized) is below -5"])
    }

    @Test func dailyLossWithoutReducingBlocksEveryNewOrderUntilPnLRecovers() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK2:
                dailyLoss: {limit: 400_000}
            """)
        let price = harness.price(offsetTicks: 40, symbol: "BZF7")
        expectAccepted(harness.order("W1", side: 2, price: price, symbol: "BZF7", from: "OMS2"))
        harness.gateway.risk.updatePnL(account: "DESK2", realised: FIXDecimal(-350_000), unrealised: FIXDecimal("-60000.50")!,
                                       now: harness.now)
        expectRejected(harness.order("B1", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"),
                       clOrdID: "B1", reason: 0,
                       ["daily loss limit", "P&L -410000.5 is below -400000", "new orders are blocked", "(account DESK2)"])
        expectRejected(harness.order("S1", side: 2, price: harness.price(offsetTicks: 41, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"),
                       clOrdID: "S1", reason: 0, ["daily loss limit", "new orders are blocked"])
        expectAccepted(harness.order("D1", price: harness.price(offsetTicks: -40)), "DESK1 has its own P&L")
        #expect(harness.cancel("W1C", orig: "W1", side: 2, symbol: "BZF7", from: "OMS2").map(\.execType) == ["6", "4"],
                "cancels always pass")

        harness.gateway.risk.updatePnL(account: "DESK2", realised: FIXDecimal(-350_000), unrealised: FIXDecimal(-40_000),
                                       now: harness.now)
        expectAccepted(harness.order("B2", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"))
    }

    /// Daily loss limits are documented at firm, account, root and symbol scope; the root scope
    /// measures the account's P&L in that product.
    @Test func dailyLossAtRootScopeStopsTheAccountInThatProduct() throws {
        var harness = try GatewayHarness(limits: """
            roots:
              CL:
                dailyLoss: {limit: 5, allowReducing: true}
            """)
        try #require(harness.order("B1", quantity: 3, price: harness.price(offsetTicks: 50)).last?.ordStatus == "2")
        let loss = harness.gateway.positions.totals(account: "DESK1", root: "CL")
        let pnl = loss.realised + loss.unrealised
        try #require(pnl < FIXDecimal(-5), "\(pnl)")
        expectRejected(harness.order("B2", price: harness.price(offsetTicks: -40)), clOrdID: "B2", reason: 0,
                       ["daily loss limit", "P&L \(pnl.normalized) is below -5", "(root CL)"])
        expectAccepted(harness.order("S1", side: 2, price: harness.price(offsetTicks: 40)), "reducing is allowed")
        expectAccepted(harness.order("Z1", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7"),
                       "Brent is another root")
    }

    // MARK: Throttles

    @Test func orderRateThrottleRejectsAboveTheLimitInASlidingWindow() throws {
        var harness = try GatewayHarness(limits: """
            sessions:
              OMS1:
                orderRate: {limit: 3, window: 1s}
            """)
        expectAccepted(harness.order("R1", price: harness.price(offsetTicks: -40)))
        expectAccepted(harness.order("R2", price: harness.price(offsetTicks: -41)))
        _ = harness.advance(seconds: 0.5)
        expectAccepted(harness.order("R3", price: harness.price(offsetTicks: -42)))
        expectRejected(harness.order("R4", price: harness.price(offsetTicks: -43)), clOrdID: "R4", reason: 99,
                       ["order rate", "4 orders in 1s", "limit 3", "(session OMS1)"])
        expectAccepted(harness.order("O1", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"),
                       "another session has its own window")

        // R1 and R2 leave the window; R3 and the rejected R4 are still in it.
        _ = harness.advance(seconds: 0.75)
        expectAccepted(harness.order("R5", price: harness.price(offsetTicks: -44)))
        expectRejected(harness.order("R6", price: harness.price(offsetTicks: -45)), clOrdID: "R6", reason: 99,
                       ["order rate", "4 orders in 1s", "limit 3"])
        _ = harness.advance(seconds: 1.25)
        expectAccepted(harness.order("R7", price: harness.price(offsetTicks: -46)))
    }

    @Test func messageRateThrottleCountsCancelsAndReplacesButNeverRejectsACancel() throws {
        var harness = try GatewayHarness(limits: """
            sessions:
              OMS1:
                messageRate: {limit: 4, window: 1s, logoutAbove: 6}
            """)
        let first = harness.price(offsetTicks: -40)
        expectAccepted(harness.order("M1", price: first))                                           // 1
        expectAccepted(harness.order("M2", price: harness.price(offsetTicks: -41)))                 // 2
        #expect(harness.cancel("M1C", orig: "M1").map(\.execType) == ["6", "4"])                     // 3
        let replaced = harness.replace("M2R", orig: "M2", quantity: 2, price: harness.price(offsetTicks: -42))
        #expect(replaced.map(\.execType) == ["E", "5"])                                              // 4
        expectRejected(harness.order("M3", price: first), clOrdID: "M3", reason: 99,                 // 5
                       ["message rate", "5 messages in 1s", "limit 4", "(session OMS1)"])
        #expect(harness.cancel("M2C", orig: "M2R").map(\.execType) == ["6", "4"], "a cancel above the limit still passes") // 6
        let flood = harness.order("M4", price: first)                                                // 7
        // Far above the limit: the reject, then the gateway asks for the session's Logout.
        #expect(flood.map(\.msgType) == ["8", "5"])
        #expect(flood.last?[58]?.string.contains("message rate far above the limit") == true)
        expectRejected(flood.filter { $0.msgType == "8" }, clOrdID: "M4", reason: 99,
                       ["message rate", "7 messages in 1s", "limit 4", "above 6: log the session out"])
        #expect(harness.decisions().first { $0.clOrdID == "M4" }?.logoutSession == true)

        _ = harness.advance(seconds: 1.25)
        expectAccepted(harness.order("M5", price: harness.price(offsetTicks: -40)), "the window has slid past the burst")
    }

    // MARK: Duplicates

    @Test func repeatedClOrdIDIsRejectedEvenWhenTheFirstOrderWasRejected() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1: {maxOrderSize: 10}
            """)
        let price = harness.price(offsetTicks: -40)
        expectAccepted(harness.order("D1", price: price))
        expectRejected(harness.order("D1", quantity: 2, price: harness.price(offsetTicks: -41)), clOrdID: "D1", reason: 6,
                       ["duplicate ClOrdID D1"])
        expectRejected(harness.order("D2", quantity: 11, price: price), clOrdID: "D2", reason: 3, ["max order size"])
        expectRejected(harness.order("D2", quantity: 1, price: harness.price(offsetTicks: -42)), clOrdID: "D2", reason: 6,
                       ["duplicate ClOrdID D2"])
        // ClOrdIDs are per session: OMS2 may use D1.
        expectAccepted(harness.order("D1", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"))
        #expect(harness.gateway.orders(session: "OMS1").first { $0.clOrdID == "D1" }?.status == .new, "the first D1 is untouched")
    }

    @Test func sameOrderRepeatedWithinTheWindowIsADuplicate() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1: {duplicateWindow: 2s}
            """)
        let price = harness.price(offsetTicks: -40)
        let other = harness.price(offsetTicks: -41)
        expectAccepted(harness.order("A1", quantity: 2, price: price))
        _ = harness.advance(seconds: 0.5)
        expectRejected(harness.order("A2", quantity: 2, price: price), clOrdID: "A2", reason: 6,
                       ["duplicate order", "buy 2 CLF7 at \(price) for DESK1", "repeats one 500ms ago", "window 2s", "(account DESK1)"])
        expectAccepted(harness.order("A3", quantity: 2, price: other), "another price")
        expectAccepted(harness.order("A4", quantity: 3, price: price), "another size")
        expectAccepted(harness.order("A5", quantity: 2, price: price, from: "OMS2"), "another account")
        _ = harness.advance(seconds: 1.25)
        expectRejected(harness.order("A6", quantity: 2, price: price), clOrdID: "A6", reason: 6,
                       ["duplicate order", "repeats one 1.75s ago", "window 2s"])
        _ = harness.advance(seconds: 0.5)
        expectAccepted(harness.order("A7", quantity: 2, price: price), "2.25 s after A1: outside the window")
    }

    // MARK: Restrictions and hours

    @Test func restrictedInstrumentsAccountsAndSessionsAreRejected() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK3: {restricted: true}
            sessions:
              OMS2: {restricted: true}
            roots:
              HO: {restricted: true}
            symbols:
              CLG7: {restricted: true}
            """)
        expectRejected(harness.order("X1", price: harness.price(offsetTicks: -40, symbol: "CLG7"), symbol: "CLG7"),
                       clOrdID: "X1", reason: 0, ["restricted instrument", "CLG7 may not be traded", "(symbol CLG7 is restricted)"])
        expectRejected(harness.order("X2", price: harness.price(offsetTicks: -40, symbol: "HOF7"), symbol: "HOF7"),
                       clOrdID: "X2", reason: 0, ["restricted instrument", "HOF7 may not be traded", "(root HO is restricted)"])
        expectRejected(harness.order("X3", price: harness.price(offsetTicks: -40), extra: "1=DESK3|"),
                       clOrdID: "X3", reason: 0, ["restricted account", "account DESK3 may not trade", "(account DESK3 is restricted)"])
        expectRejected(harness.order("X4", price: harness.price(offsetTicks: -40), from: "OMS2"),
                       clOrdID: "X4", reason: 0, ["restricted account", "session OMS2 may not trade", "(session OMS2 is restricted)"])
        expectAccepted(harness.order("X5", price: harness.price(offsetTicks: -40)), "CLF7 from OMS1 for DESK1 is allowed")
    }

    @Test func ordersOutsideTradingHoursAreRejectedUntilTheSessionOpens() throws {
        // 14:00 UTC on Tuesday 24 November 2026 is 09:00 in New York and 14:00 in London.
        var harness = try GatewayHarness(limits: """
            firm:
              tradingHours: {timeZone: America/New_York, open: "09:01", close: "17:00", days: [mon, tue, wed, thu, fri]}
            roots:
              BZ:
                tradingHours: {timeZone: Europe/London, open: "15:00", close: "23:00", days: [mon, tue, wed, thu, fri]}
            """)
        expectRejected(harness.order("H1", price: harness.price(offsetTicks: -40)), clOrdID: "H1", reason: 2,
                       ["trading hours", "CLF7 is closed at Tue 09:00 America/New_York", "hours 09:01–17:00 America/New_York", "(firm)"])
        _ = harness.advance(seconds: 60)
        expectAccepted(harness.order("H2", price: harness.price(offsetTicks: -40)), "09:01 in New York: open")
        expectRejected(harness.order("H3", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7"),
                       clOrdID: "H3", reason: 2,
                       ["trading hours", "BZF7 is closed at Tue 14:01 Europe/London", "hours 15:00–23:00 Europe/London", "(root BZ)"])
    }

    // MARK: Self-trade prevention

    @Test func selfTradePreventionRejectsAnOrderThatWouldCrossTheAccountsOwnOrder() throws {
        var harness = try GatewayHarness(limits: """
            firm:
              selfTradePrevention: reject
            """)
        let price = harness.price(offsetTicks: 40)
        let resting = harness.order("S1", side: 2, price: price)
        expectAccepted(resting)
        let orderID = try #require(resting.first?[37]?.string)
        expectRejected(harness.order("B1", price: price), clOrdID: "B1", reason: 0,
                       ["self-trade prevention", "buy 1 CLF7 at \(price) would cross working sell \(orderID)",
                        "at \(FIXDecimal(price)!.normalized) of account DESK1"])
        expectRejected(harness.order("B2", price: harness.price(offsetTicks: 45)), clOrdID: "B2", reason: 0,
                       ["self-trade prevention", "would cross working sell \(orderID)"])
        expectAccepted(harness.order("B3", price: harness.price(offsetTicks: 39)), "below the resting sell: no cross")
        expectAccepted(harness.order("O1", price: price, extra: "1=DESK2|"), "another account may trade with it")
        #expect(harness.gateway.order(orderID)?.status == .new, "the resting order is untouched")
    }

    @Test func selfTradePreventionInCancelRestingModeCancelsTheRestingOrdersFirst() throws {
        var harness = try GatewayHarness(limits: """
            firm:
              selfTradePrevention: reject
            accounts:
              DESK1: {selfTradePrevention: cancelResting}
            """)
        expectAccepted(harness.order("S1", side: 2, price: harness.price(offsetTicks: 40)))
        expectAccepted(harness.order("S2", side: 2, price: harness.price(offsetTicks: 45)))
        expectAccepted(harness.order("S3", side: 2, price: harness.price(offsetTicks: 60)))
        let answer = harness.order("B1", price: harness.price(offsetTicks: 50))
        let cancels = answer.filter { $0.execType == "4" }
        #expect(cancels.compactMap { $0[11]?.string }.sorted() == ["S1", "S2"], "\(answer.map { "\($0[11]?.string ?? "")/\($0.execType ?? "")" })")
        for cancel in cancels {
            #expect(cancel.ordStatus == "4")
            #expect(cancel[41] == nil, "unsolicited: no cancel request to refer to")
            #expect(cancel[58]?.string.contains("self-trade prevention") == true)
        }
        let firstBuyReport = try #require(answer.firstIndex { $0[11]?.string == "B1" })
        #expect(answer.prefix(firstBuyReport).allSatisfy { $0.execType == "4" }, "the resting orders go before the new one")
        #expect(answer.last?[11]?.string == "B1" && answer.last?.ordStatus == "2", "the buy then fills at the venue")
        let statuses = Dictionary(uniqueKeysWithValues: harness.gateway.orders(session: "OMS1").map { ($0.clOrdID, $0.status) })
        #expect(statuses["S1"] == .canceled && statuses["S2"] == .canceled && statuses["S3"] == .new)
    }

    // MARK: Trading states

    @Test func reducingStateAcceptsOnlyOrdersThatShrinkThePosition() throws {
        var harness = try GatewayHarness(limits: "firm:\n  tradingState: ACTIVE\n")
        try #require(harness.order("F1", quantity: 3, price: harness.price(offsetTicks: 50)).last?.ordStatus == "2")
        harness.gateway.risk.setTradingState(.reducing, for: .account("DESK1"), by: "risk manager", now: harness.now)
        expectRejected(harness.order("B1", price: harness.price(offsetTicks: -40)), clOrdID: "B1", reason: 0,
                       ["trading state", "account DESK1 is REDUCING", "buy 1 CLF7 would take DESK1's worst-case position from 3 to 4"])
        expectAccepted(harness.order("S1", side: 2, quantity: 2, price: harness.price(offsetTicks: 40)))
        expectRejected(harness.order("S2", side: 2, quantity: 2, price: harness.price(offsetTicks: 41)), clOrdID: "S2", reason: 0,
                       ["trading state", "REDUCING", "sell 2 CLF7 would take DESK1's worst-case position from 3 to -1"])
        expectAccepted(harness.order("S3", side: 2, quantity: 1, price: harness.price(offsetTicks: 41)), "down to flat at worst")
        expectRejected(harness.order("G1", side: 2, price: harness.price(offsetTicks: 40, symbol: "CLG7"), symbol: "CLG7"),
                       clOrdID: "G1", reason: 0, ["trading state", "REDUCING", "from 0 to -1"])
        expectAccepted(harness.order("O1", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"),
                       "DESK2 is still ACTIVE")

        harness.gateway.risk.setTradingState(.reducing, for: .firm, by: "risk manager", now: harness.now)
        expectRejected(harness.order("O2", price: harness.price(offsetTicks: -41, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"),
                       clOrdID: "O2", reason: 0, ["trading state", "firm is REDUCING"])
        harness.gateway.risk.setTradingState(.active, for: .firm, by: "risk manager", now: harness.now)
        harness.gateway.risk.setTradingState(.active, for: .account("DESK1"), by: "risk manager", now: harness.now)
        expectAccepted(harness.order("B2", price: harness.price(offsetTicks: -40)))
    }

    @Test func haltedStateAcceptsOnlyCancels() throws {
        var harness = try GatewayHarness(limits: "firm:\n  tradingState: ACTIVE\n")
        expectAccepted(harness.order("W1", price: harness.price(offsetTicks: -40)))
        expectAccepted(harness.order("W2", price: harness.price(offsetTicks: -41)))
        harness.gateway.risk.setTradingState(.halted, for: .account("DESK1"), by: "risk manager", now: harness.now)
        expectRejected(harness.order("N1", price: harness.price(offsetTicks: -42)), clOrdID: "N1", reason: 0,
                       ["trading state", "account DESK1 is HALTED", "only cancels are accepted"])
        expectRejected(harness.order("N2", side: 2, price: harness.price(offsetTicks: 40)), clOrdID: "N2", reason: 0,
                       ["account DESK1 is HALTED"])
        let replace = harness.replace("W1R", orig: "W1", quantity: 1, price: harness.price(offsetTicks: -45))
        let cancelReject = try #require(replace.first)
        #expect(replace.count == 1 && cancelReject.msgType == "9", "a replace is answered with an OrderCancelReject")
        #expect(cancelReject[434]?.int == 2 && cancelReject[102]?.int == 2)
        #expect(cancelReject[58]?.string.contains("account DESK1 is HALTED") == true)
        #expect(harness.cancel("W1C", orig: "W1").map(\.execType) == ["6", "4"], "cancels pass")
        expectAccepted(harness.order("O1", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"),
                       "DESK2 is still ACTIVE")

        harness.gateway.risk.setTradingState(.halted, for: .firm, by: "risk manager", now: harness.now)
        expectRejected(harness.order("O2", price: harness.price(offsetTicks: -41, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"),
                       clOrdID: "O2", reason: 0, ["trading state", "firm is HALTED", "only cancels are accepted"])
        #expect(harness.cancel("O1C", orig: "O1", symbol: "BZF7", from: "OMS2").map(\.execType) == ["6", "4"])
        harness.gateway.risk.setTradingState(.active, for: .firm, by: "risk manager", now: harness.now)
        harness.gateway.risk.setTradingState(.active, for: .account("DESK1"), by: "risk manager", now: harness.now)
        expectAccepted(harness.order("N3", price: harness.price(offsetTicks: -42)))
        #expect(harness.gateway.orders(session: "OMS1").first { $0.clOrdID == "W2" }?.status == .new, "halting cancels nothing")
    }

    // MARK: Kill switch and cancel on disconnect

    /// Who is hit by a kill switch at one level: four working orders (two sessions × two accounts)
    /// and which of them it cancels; (session, account) pairs it blocks and those it leaves alone.
    struct KillSwitchCase: Sendable, CustomTestStringConvertible {
        var level: KillSwitchLevel
        var cancelled: Set<String>
        var blocked: [Probe]
        var open: [Probe]
        var testDescription: String { "\(level)" }
    }

    struct Probe: Sendable {
        var session: String
        var account: String
    }

    static let killSwitchCases = [
        KillSwitchCase(level: .firm, cancelled: ["A1", "A2", "B1", "B2"],
                       blocked: [Probe(session: "OMS1", account: "DESK1"), Probe(session: "OMS2", account: "DESK2")], open: []),
        KillSwitchCase(level: .account("DESK1"), cancelled: ["A1", "B2"],
                       blocked: [Probe(session: "OMS1", account: "DESK1"), Probe(session: "OMS2", account: "DESK1")],
                       open: [Probe(session: "OMS1", account: "DESK2"), Probe(session: "OMS2", account: "DESK2")]),
        KillSwitchCase(level: .session("OMS1"), cancelled: ["A1", "A2"],
                       blocked: [Probe(session: "OMS1", account: "DESK1"), Probe(session: "OMS1", account: "DESK2")],
                       open: [Probe(session: "OMS2", account: "DESK1"), Probe(session: "OMS2", account: "DESK2")]),
    ]

    @Test(arguments: killSwitchCases)
    func killSwitchCancelsWorkingOrdersAndBlocksNewOnesUntilAPersonReleasesIt(_ scenario: KillSwitchCase) throws {
        var harness = try GatewayHarness(limits: "firm:\n  maxOrderSize: 500\n")
        let crude = harness.price(offsetTicks: -40)
        let brent = harness.price(offsetTicks: -40, symbol: "BZF7")
        expectAccepted(harness.order("A1", price: crude))
        expectAccepted(harness.order("A2", price: crude, extra: "1=DESK2|"))
        expectAccepted(harness.order("B1", price: brent, symbol: "BZF7", from: "OMS2"))
        expectAccepted(harness.order("B2", price: brent, symbol: "BZF7", extra: "1=DESK1|", from: "OMS2"))
        let sessionOf = ["A1": "OMS1", "A2": "OMS1", "B1": "OMS2", "B2": "OMS2"]

        let out = GatewayHarness.parse(harness.gateway.engageKillSwitch(scenario.level, by: "risk manager", reason: "runaway algo",
                                                                          now: harness.now))
        #expect(Set(out.compactMap { $0.message[11]?.string }) == scenario.cancelled)
        for (session, report) in out {
            let clOrdID = report[11]?.string ?? ""
            #expect(session == sessionOf[clOrdID], "the cancel goes to the session that entered \(clOrdID)")
            #expect(report.execType == "4" && report.ordStatus == "4")
            #expect(report[58]?.string.contains("kill switch: runaway algo") == true)
        }
        let working = harness.gateway.orders().filter { !$0.status.isTerminal }.map(\.clOrdID)
        #expect(Set(working) == Set(sessionOf.keys).subtracting(scenario.cancelled))

        var probe = 0
        func send(_ target: Probe, _ harness: inout GatewayHarness) -> [FIXMessage] {
            probe += 1
            return harness.order("P\(probe)", price: harness.price(offsetTicks: -30), extra: "1=\(target.account)|", from: target.session)
        }
        for target in scenario.blocked {
            expectRejected(send(target, &harness), reason: 0,
                           ["kill switch: \(scenario.level) engaged by risk manager at 2026-11-24T14:00:00Z (runaway algo)",
                            "new orders are blocked until it is released"])
        }
        for target in scenario.open { expectAccepted(send(target, &harness), "\(target) is outside \(scenario.level)") }

        #expect(harness.gateway.risk.releaseKillSwitch(scenario.level, by: " ", now: harness.now) == nil, "a release names a person")
        if let target = scenario.blocked.first {
            expectRejected(send(target, &harness), reason: 0, ["kill switch"])
        }
        let record = harness.gateway.risk.releaseKillSwitch(scenario.level, by: "head of risk", now: harness.now)
        #expect(record?.engagedBy == "risk manager" && record?.releasedBy == "head of risk")
        for target in scenario.blocked { expectAccepted(send(target, &harness), "released") }
    }

    @Test func droppedSessionHasItsDayOrdersCancelledAndKeepsGTCAndGTD() throws {
        var harness = try GatewayHarness(limits: """
            firm:
              cancelOnDisconnect: true
            sessions:
              OMS2: {cancelOnDisconnect: false}
            """)
        let price = harness.price(offsetTicks: -40)
        let expiry = FIXTimestamp(nanosecondsSinceEpoch: harness.now + 3_600 * 1_000_000_000)
        expectAccepted(harness.order("DAY1", price: price))
        expectAccepted(harness.order("DAY2", side: 2, price: harness.price(offsetTicks: 40)))
        expectAccepted(harness.order("GTC1", price: price, tif: 1))
        expectAccepted(harness.order("GTD1", price: price, tif: 6, extra: "126=\(expiry)|"))
        expectAccepted(harness.order("ALGO", price: harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2"))

        #expect(harness.disconnect("OMS1", loggedOut: true).isEmpty, "a Logout cancels nothing")
        let dropped = harness.disconnect("OMS1", loggedOut: false)
        #expect(dropped.compactMap { $0.message[11]?.string }.sorted() == ["DAY1", "DAY2"])
        for (session, report) in dropped {
            #expect(session == "OMS1")
            #expect(report.execType == "4" && report.ordStatus == "4")
            #expect(report[58]?.string.contains("cancel on disconnect") == true)
        }
        let statuses = Dictionary(uniqueKeysWithValues: harness.gateway.orders().map { ($0.clOrdID, $0.status) })
        #expect(statuses["GTC1"] == .new && statuses["GTD1"] == .new, "GTC and GTD orders survive")
        #expect(statuses["ALGO"] == .new, "another session's orders are not touched")
        #expect(harness.disconnect("OMS2", loggedOut: false).isEmpty, "OMS2 has cancelOnDisconnect: false")
        #expect(statuses.count == 5)
    }

    // MARK: Warnings and the journal

    @Test func utilisationCrossingWarningAndCriticalLevelsIsReportedAndJournaled() throws {
        var harness = try GatewayHarness(limits: """
            warnings: {warning: 75, critical: 90}
            accounts:
              DESK1: {maxPositionPerMonth: 20}
            """)
        expectAccepted(harness.order("U1", quantity: 14, price: harness.price(offsetTicks: -40)))
        #expect(harness.positionUtilisation()?.level == .normal)
        expectAccepted(harness.order("U2", quantity: 1, price: harness.price(offsetTicks: -41)))
        let warning = try #require(harness.positionUtilisation())
        #expect(warning.level == .warning && warning.percent == FIXDecimal(75) && warning.used == FIXDecimal(15) && warning.limit == FIXDecimal(20))
        #expect(warning.scope == .account("DESK1") && warning.subject == "account DESK1 CLF7")
        expectAccepted(harness.order("U3", quantity: 1, price: harness.price(offsetTicks: -42)))
        expectAccepted(harness.order("U4", quantity: 2, price: harness.price(offsetTicks: -43)))
        let critical = try #require(harness.positionUtilisation())
        #expect(critical.level == .critical && critical.percent == FIXDecimal(90) && critical.used == FIXDecimal(18))

        let decisions = harness.decisions()
        let warned = Dictionary(uniqueKeysWithValues: decisions.map { ($0.clOrdID, $0.warnings) })
        #expect(warned["U1"] == [])
        #expect(warned["U2"] == ["risk limit warning: position per month at 75% (15 of 20) for account DESK1 CLF7 (account DESK1)"])
        #expect(warned["U3"] == [], "80% is no new crossing")
        #expect(warned["U4"] == ["risk limit critical: position per month at 90% (18 of 20) for account DESK1 CLF7 (account DESK1)"])

        #expect(harness.cancel("U1C", orig: "U1").map(\.execType) == ["6", "4"])
        let after = try #require(harness.positionUtilisation())
        #expect(after.level == .normal && after.used == FIXDecimal(4))
    }

    @Test func everyRiskDecisionIsJournaledWithItsInputs() throws {
        var harness = try GatewayHarness(limits: """
            accounts:
              DESK1: {maxOrderSize: 10}
            roots:
              CL:
                priceCollar: {ticks: 100, reference: mid}
                marketProtection: {ticks: 5}
            """)
        _ = harness.gateway.drainAudit()
        let resting = harness.price(offsetTicks: -40)
        let far = harness.price(offsetTicks: -150)
        let ask = try #require(harness.top()?.askPrice)
        let tick = try #require(harness.catalog.instrument(symbol: "CLF7")).tickSize
        var texts: [String: String] = [:]
        func remember(_ reports: [FIXMessage]) {
            if let report = reports.first, report.execType == "8" { texts[report[11]?.string ?? ""] = report[58]?.string }
        }
        remember(harness.order("J1", quantity: 2, price: resting))
        remember(harness.order("J2", quantity: 11, price: resting))
        remember(harness.order("J3", price: far))
        remember(harness.order("J4", type: 1, tif: 3))
        remember(harness.order("J5", side: 2, price: harness.price(offsetTicks: 40, symbol: "BZF7"), tif: 1, symbol: "BZF7", from: "OMS2"))
        _ = harness.cancel("J1C", orig: "J1")
        _ = harness.replace("J5R", orig: "J5", side: 2, quantity: 3, price: harness.price(offsetTicks: 41, symbol: "BZF7"),
                            symbol: "BZF7", from: "OMS2")
        let decisions = harness.decisions()
        #expect(decisions.map(\.clOrdID) == ["J1", "J2", "J3", "J4", "J5", "J1C", "J5R"])
        let byID = Dictionary(uniqueKeysWithValues: decisions.map { ($0.clOrdID, $0) })

        let j1 = try #require(byID["J1"])
        #expect(j1.accepted && j1.action == "new" && j1.orderKey == "WH00000001")
        #expect(j1.account == "DESK1" && j1.session == "OMS1" && j1.symbol == "CLF7" && j1.root == "CL")
        #expect(j1.side == "buy" && j1.quantity == 2 && j1.orderType == "limit" && j1.price == resting && j1.timeInForce == "day")
        #expect(j1.check == nil && j1.text == nil && j1.referencePrice != nil)

        let j2 = try #require(byID["J2"])
        #expect(!j2.accepted && j2.quantity == 11 && j2.check == "orderSize" && j2.scope == "account DESK1")
        #expect(j2.limit == "10" && j2.value == "11" && j2.ordRejReason == 3 && j2.text == texts["J2"])

        let j3 = try #require(byID["J3"])
        #expect(!j3.accepted && j3.price == far && j3.check == "priceCollar" && j3.scope == "root CL" && j3.limit == "100")
        let reference = try #require(j3.referencePrice.flatMap { FIXDecimal($0) })
        let distance = ((reference - FIXDecimal(far)!) * FIXDecimal(100)).normalized
        #expect(j3.value.flatMap { FIXDecimal($0) } == distance && j3.text == texts["J3"])

        let j4 = try #require(byID["J4"])
        #expect(j4.accepted && j4.orderType == "market" && j4.price == nil && j4.timeInForce == "immediateOrCancel")
        #expect(j4.adjustedLimitPrice == (ask + tick * FIXDecimal(5)).description)

        let j5 = try #require(byID["J5"])
        #expect(j5.accepted && j5.account == "DESK2" && j5.session == "OMS2" && j5.side == "sell" && j5.timeInForce == "goodTillCancel")

        let cancel = try #require(byID["J1C"])
        #expect(cancel.accepted && cancel.action == "cancel" && cancel.orderKey == "WH00000001" && cancel.originalQuantity == 2)
        let replace = try #require(byID["J5R"])
        #expect(replace.accepted && replace.action == "replace" && replace.quantity == 3 && replace.originalQuantity == 1)
        #expect(replace.symbol == "BZF7" && replace.account == "DESK2")
    }

    /// A repeated ClOrdID is a risk control's decision too (`duplicate ClOrdID`): the journal
    /// must hold it with its inputs like every other decision.
    @Test func duplicateClOrdIDRejectIsJournaledAsARiskDecisionWithItsInputs() throws {
        var harness = try GatewayHarness(limits: "firm:\n  maxOrderSize: 500\n")
        let price = harness.price(offsetTicks: -40)
        expectAccepted(harness.order("D1", price: price))
        _ = harness.gateway.drainAudit()
        let second = harness.price(offsetTicks: -41)
        expectRejected(harness.order("D1", quantity: 2, price: second), clOrdID: "D1", reason: 6, ["duplicate ClOrdID"])
        let audit = harness.gateway.drainAudit()
        let decision = audit.filter { $0.kind == "risk.decision" }.compactMap { try? JSONDecoder().decode(RiskAuditRecord.self, from: Data($0.json.utf8)) }.first
        #expect(decision != nil, "journaled only as \(audit.map(\.kind)): \(audit.map(\.json))")
        if let decision {
            #expect(!decision.accepted && decision.check == "duplicateClOrdID" && decision.clOrdID == "D1")
            #expect(decision.symbol == "CLF7" && decision.quantity == 2 && decision.price == second && decision.side == "buy")
        }
    }
}

// MARK: Helpers

/// What the OMS must get for a rejected order: one ExecutionReport, 150=8 and 39=8, the
/// OrdRejReason, and a Text containing every fragment (the check, the limit, the value).
private func expectRejected(_ reports: [FIXMessage], clOrdID: String? = nil, reason: Int, _ fragments: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(reports.count == 1, "one report for a rejected order, got \(reports.map { $0.execType ?? "?" })",
            sourceLocation: sourceLocation)
    guard let report = reports.first else { return }
    #expect(report.msgType == "8" && report.execType == "8" && report.ordStatus == "8",
            "ExecType \(report.execType ?? "-") OrdStatus \(report.ordStatus ?? "-"): \(report[58]?.string ?? "")",
            sourceLocation: sourceLocation)
    #expect(report[103]?.int == reason, "OrdRejReason \(report[103]?.string ?? "none"), expected \(reason)",
            sourceLocation: sourceLocation)
    if let clOrdID { #expect(report[11]?.string == clOrdID, sourceLocation: sourceLocation) }
    let text = report[58]?.string ?? ""
    for fragment in fragments {
        #expect(text.contains(fragment), "Text \"\(text)\" should contain \"\(fragment)\"", sourceLocation: sourceLocation)
    }
}

/// An order the checks let through: PendingNew first, and nothing rejected.
private func expectAccepted(_ reports: [FIXMessage], _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    let texts = reports.compactMap { $0[58]?.string }
    #expect(reports.first?.execType == "A", "\(comment?.description ?? "") \(texts)", sourceLocation: sourceLocation)
    #expect(reports.allSatisfy { $0.execType != "8" }, "\(comment?.description ?? "") rejected: \(texts)", sourceLocation: sourceLocation)
}

/// `distance / reference` in percent, truncated to two decimals as a reject text shows it.
private func truncatedPercent(distance: FIXDecimal, of reference: FIXDecimal) throws -> FIXDecimal {
    let scaledDistance = try #require(distance.rescaled(to: 8)).mantissa.magnitude
    let scaledReference = try #require(reference.rescaled(to: 8)).mantissa.magnitude
    let hundredths = UInt128(scaledDistance) * 10_000 / UInt128(scaledReference)
    return FIXDecimal(mantissa: Int64(hundredths), scale: 2).normalized
}

/// The decimal right after `prefix` in `text` (up to the next space, comma or parenthesis).
private func number(after prefix: String, in text: String) -> FIXDecimal? {
    guard let range = text.range(of: prefix) else { return nil }
    let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" }
    return FIXDecimal(String(digits))
}

/// An account's realised + unrealised P&L in the gateway's position book.
private func dayPnL(_ harness: GatewayHarness, _ account: String) -> FIXDecimal {
    let totals = harness.gateway.positions.totals(account: account)
    return totals.realised + totals.unrealised
}

extension GatewayHarness {
    /// The simulated venue's best bid and offer now.
    fileprivate func top(_ symbol: String = "CLF7") -> TopOfBook? {
        gateway.state.market?.topOfBook(symbol: symbol)
    }

    /// An OrderCancelRequest for the order `orig` names.
    fileprivate mutating func cancel(_ clOrdID: String, orig: String, side: Int = 1, symbol: String = "CLF7",
                                     from session: String = "OMS1") -> [FIXMessage] {
        send("F", "11=\(clOrdID)|41=\(orig)|55=\(symbol)|54=\(side)|60=\(FIXTimestamp(nanosecondsSinceEpoch: now))|", from: session)
            .map(\.message)
    }

    /// An OrderCancelReplaceRequest to a limit order of `quantity` at `price`.
    fileprivate mutating func replace(_ clOrdID: String, orig: String, side: Int = 1, quantity: Int, price: String,
                                      tif: Int = 0, symbol: String = "CLF7", from session: String = "OMS1") -> [FIXMessage] {
        send("G", "11=\(clOrdID)|41=\(orig)|55=\(symbol)|54=\(side)|38=\(quantity)|40=2|44=\(price)|59=\(tif)|"
                + "60=\(FIXTimestamp(nanosecondsSinceEpoch: now))|", from: session).map(\.message)
    }

    /// The session dropped (or logged out): what the gateway sends because of it.
    fileprivate func disconnect(_ session: String, loggedOut: Bool) -> [(session: String, message: FIXMessage)] {
        Self.parse(gateway.sessionDisconnected(session, loggedOut: loggedOut, now: now))
    }

    /// The `risk.decision` events journaled since the last drain, decoded.
    fileprivate func decisions() -> [RiskAuditRecord] {
        gateway.drainAudit().filter { $0.kind == "risk.decision" }.compactMap {
            try? JSONDecoder().decode(RiskAuditRecord.self, from: Data($0.json.utf8))
        }
    }

    /// DESK1's position-per-month utilisation in CLF7 against its account limit.
    fileprivate func positionUtilisation() -> LimitUtilisation? {
        gateway.risk.utilisation(now: now).first {
            $0.kind == .positionPerMonth && $0.scope == .account("DESK1") && $0.subject == "account DESK1 CLF7"
        }
    }
}
