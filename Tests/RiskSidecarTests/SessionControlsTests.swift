import FIXCodec
import Instruments
import RiskSidecar
import Testing

/// Throttles, duplicates, restrictions, trading hours, self-trade prevention, kill switches and
/// cancel-on-disconnect.
@Suite struct SessionControlsTests {
    @Test func orderRateThrottleSlidesWithTheWindow() {
        var engine = makeEngine(RiskLimits(sessions: ["OMS1": LimitSet(orderRate: RateLimit(limit: 3, windowNanos: T.second))]))
        var orders = OrderFactory()
        for ms: Int64 in [0, 100, 200] {
            #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: ms)).isAccepted)
        }
        let fourth = engine.check(orders.order(.buy, 1), now: T.at(ms: 300))
        #expect(fourth.check == .orderRate)
        #expect(fourth.rejection?.ordRejReason == .other)
        #expect(fourth.rejection?.value == FIXDecimal(4))
        #expect(fourth.text == "order rate: 4 orders in 1s, limit 3 (session OMS1)")
        #expect(!fourth.logoutSession)
        // At 1.050 s the orders at 0 ms and 100 ms... only the one at 0 ms has left the window:
        // the window holds 100, 200, 300 (rejected but counted) and this one.
        #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: 1_050)).check == .orderRate)
        // At 1.250 s, 100 and 200 have gone: 300, 1050 and this one.
        #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: 1_250)).isAccepted)
        // Another session has its own window.
        #expect(engine.check(orders.order(.buy, 1, session: "OMS2"), now: T.at(ms: 1_250)).isAccepted)
    }

    @Test func messageRateCountsCancelsWhichStillPassAndFloodsAreLoggedOut() {
        let rate = RateLimit(limit: 4, windowNanos: T.second, logoutAbove: 6)
        var engine = makeEngine(RiskLimits(sessions: ["OMS1": LimitSet(messageRate: rate)]))
        var orders = OrderFactory()
        let order = orders.order(.buy, 1)
        #expect(engine.check(order, now: T.at(ms: 0)).isAccepted)
        for ms: Int64 in [10, 20, 30] {
            #expect(engine.check(orders.cancel(order.key), now: T.at(ms: ms)).isAccepted)
        }
        let fifth = engine.check(orders.order(.buy, 1), now: T.at(ms: 40))
        #expect(fifth.check == .messageRate)
        #expect(fifth.text == "message rate: 5 messages in 1s, limit 4 (session OMS1)")
        let cancel = engine.check(orders.cancel(order.key), now: T.at(ms: 50))
        #expect(cancel.isAccepted, "cancels always pass")
        #expect(!cancel.logoutSession)
        let flood = engine.check(orders.cancel(order.key), now: T.at(ms: 60))
        #expect(flood.isAccepted)
        #expect(flood.logoutSession, "7 messages: above logoutAbove 6")
        let order8 = engine.check(orders.order(.buy, 1), now: T.at(ms: 70))
        #expect(order8.logoutSession)
        #expect(order8.text == "message rate: 8 messages in 1s, limit 4 (session OMS1); above 6: log the session out")
    }

    @Test func aFloodBeyondTheRingIsReportedAsAFloor() {
        var engine = makeEngine(RiskLimits(sessions: ["OMS1": LimitSet(orderRate: RateLimit(limit: 1, windowNanos: T.second))]))
        var orders = OrderFactory()
        var last: RiskDecision?
        for ms: Int64 in 0..<6 {
            last = engine.check(orders.order(.buy, 1), now: T.at(ms: ms))
        }
        // The ring keeps twice the limit plus one (3 times): beyond that the count is a floor.
        #expect(last?.text == "order rate: at least 3 orders in 1s, limit 1 (session OMS1)")
    }

    @Test func throttlesAtFirmAndAccountScope() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(orderRate: RateLimit(limit: 2, windowNanos: T.second)),
                                           accounts: ["DESK2": LimitSet(orderRate: RateLimit(limit: 1, windowNanos: 500 * T.millisecond))]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 1, account: "DESK2"), now: T.at(ms: 0)).isAccepted)
        let desk2 = engine.check(orders.order(.buy, 1, account: "DESK2", session: "OMS2"), now: T.at(ms: 100))
        #expect(desk2.text == "order rate: 2 orders in 500ms, limit 1 (account DESK2)")
        #expect(engine.check(orders.order(.buy, 1, account: "DESK1"), now: T.at(ms: 200)).rejection?.scope == .firm)
    }

    @Test func duplicateClOrdIDIsRejectedPerSession() {
        var engine = makeEngine(RiskLimits())
        var orders = OrderFactory()
        let order = orders.order(.buy, 1)
        #expect(engine.check(order, now: T.zero).isAccepted)
        var again = orders.order(.sell, 2)
        again.clOrdID = order.clOrdID
        let decision = engine.check(again, now: T.zero)
        #expect(decision.check == .duplicateClOrdID)
        #expect(decision.rejection?.ordRejReason == .duplicateOrder)
        #expect(decision.rejection?.ordRejReason.rawValue == 6)
        #expect(decision.text == "duplicate ClOrdID: \(order.clOrdID) was already used on session OMS1 today")
        again.session = "OMS2"
        #expect(engine.check(again, now: T.zero).isAccepted, "ClOrdIDs are unique per session")
        var replace = orders.replace(order.key, quantity: 2, price: "75.30")
        replace.clOrdID = order.clOrdID
        #expect(engine.check(replace, now: T.zero).rejection?.cxlRejReason == .duplicateClOrdID)
        engine.startNewDay()
        var tomorrow = orders.order(.buy, 1)
        tomorrow.clOrdID = order.clOrdID
        #expect(engine.check(tomorrow, now: T.zero).isAccepted)
    }

    @Test func repeatedOrdersWithinTheWindowAreDuplicates() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(duplicateWindowNanos: 2 * T.second)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 10, at: "75.30"), now: T.at(ms: 0)).isAccepted)
        let repeated = engine.check(orders.order(.buy, 10, at: "75.30"), now: T.at(ms: 400))
        #expect(repeated.check == .duplicateOrder)
        #expect(repeated.rejection?.ordRejReason == .duplicateOrder)
        #expect(repeated.text == "duplicate order: buy 10 CLK6 at 75.30 for DESK1 repeats one 400ms ago, window 2s (account DESK1)")
        // Any difference in side, size, price, month or account is a new order.
        #expect(engine.check(orders.order(.sell, 10, at: "75.30"), now: T.at(ms: 500)).isAccepted)
        #expect(engine.check(orders.order(.buy, 11, at: "75.30"), now: T.at(ms: 500)).isAccepted)
        #expect(engine.check(orders.order(.buy, 10, at: "75.31"), now: T.at(ms: 500)).isAccepted)
        #expect(engine.check(orders.order(.buy, 10, "CLM6", at: "75.30"), now: T.at(ms: 500)).isAccepted)
        #expect(engine.check(orders.order(.buy, 10, at: "75.30", account: "DESK2"), now: T.at(ms: 500)).isAccepted)
        // The window measures from the last accepted one (at 0): 2 s later it is new again.
        #expect(engine.check(orders.order(.buy, 10, at: "75.30"), now: T.at(ms: 2_000)).check == .duplicateOrder)
        #expect(engine.check(orders.order(.buy, 10, at: "75.30"), now: T.at(ms: 2_001)).isAccepted)
        #expect(engine.check(orders.order(.buy, 10, at: "75.3"), now: T.at(ms: 3_000)).check == .duplicateOrder, "75.3 is 75.30")
    }

    @Test func restrictedInstrumentsAccountsAndSessions() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK3": LimitSet(restricted: true)],
                                           sessions: ["OMS9": LimitSet(restricted: true)],
                                           roots: ["BZ": LimitSet(restricted: true)],
                                           symbols: ["CLJ6": LimitSet(restricted: true)]))
        var orders = OrderFactory()
        let symbol = engine.check(orders.order(.buy, 1, "CLJ6"), now: T.zero)
        #expect(symbol.check == .restrictedInstrument)
        #expect(symbol.rejection?.ordRejReason == .brokerOption)
        #expect(symbol.text == "restricted instrument: CLJ6 may not be traded (symbol CLJ6 is restricted)")
        #expect(engine.check(orders.order(.buy, 1, "BZN6", at: "79.00"), now: T.zero).rejection?.scope == .root("BZ"))
        let account = engine.check(orders.order(.buy, 1, account: "DESK3"), now: T.zero)
        #expect(account.check == .restrictedAccount)
        #expect(account.text == "restricted account: account DESK3 may not trade (account DESK3 is restricted)")
        #expect(engine.check(orders.order(.buy, 1, session: "OMS9"), now: T.zero).check == .restrictedAccount)
        #expect(engine.check(orders.order(.buy, 1, "CLK6"), now: T.zero).isAccepted)
    }

    @Test func tradingHoursFollowTheExchangeTimeZone() {
        let globex = TradingHours(timeZone: "America/New_York", open: 18 * 60, close: 17 * 60,
                                  days: [.sunday, .monday, .tuesday, .wednesday, .thursday])
        var engine = makeEngine(RiskLimits(roots: ["CL": LimitSet(tradingHours: globex)]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 1), now: T.zero).isAccepted, "Tuesday 10:00 New York")
        // Tuesday 17:30 New York (22:30 UTC): the daily break.
        let pause = engine.check(orders.order(.buy, 1), now: T.at(seconds: 7 * 3_600 + 1_800))
        #expect(pause.check == .tradingHours)
        #expect(pause.rejection?.ordRejReason == .exchangeClosed)
        #expect(pause.rejection?.ordRejReason.rawValue == 2)
        #expect(pause.text == "trading hours: CLK6 is closed at Tue 17:30 America/New_York, hours 18:00–17:00 America/New_York (root CL)")
        // Tuesday 18:00 reopens; Saturday is closed all day; Sunday from 18:00.
        #expect(engine.check(orders.order(.buy, 1), now: T.at(seconds: 8 * 3_600)).isAccepted)
        let saturday = T.at(seconds: 4 * 86_400)
        #expect(engine.check(orders.order(.buy, 1), now: saturday).check == .tradingHours)
        #expect(engine.check(orders.order(.buy, 1), now: saturday + 86_400 * T.second + 2 * 3_600 * T.second).check == .tradingHours, "Sunday 12:00")
        #expect(engine.check(orders.order(.buy, 1), now: saturday + 86_400 * T.second + 8 * 3_600 * T.second).isAccepted, "Sunday 18:00")
        // Summer time: Tuesday 7 July 2026 21:30 UTC is 17:30 in New York (EDT), closed;
        // 20:30 UTC is 16:30, open.
        let july = Int64(1_783_459_800) * T.second
        #expect(engine.check(orders.order(.buy, 1), now: july).check == .tradingHours)
        #expect(engine.check(orders.order(.buy, 1), now: july - 3_600 * T.second).isAccepted)
        #expect(engine.check(orders.order(.buy, 1, "RBK6", at: "2.15"), now: july).isAccepted, "RB has no hours set")
    }

    @Test func selfTradePreventionRejectsOrCancelsTheRestingOrder() {
        var engine = makeEngine(RiskLimits(firm: LimitSet(selfTradePrevention: .reject),
                                           accounts: ["DESK2": LimitSet(selfTradePrevention: .cancelResting)]))
        var orders = OrderFactory()
        let restingSell = orders.order(.sell, 5, at: "75.25")
        #expect(engine.check(restingSell, now: T.zero).isAccepted)
        let cross = engine.check(orders.order(.buy, 10, at: "75.30"), now: T.zero)
        #expect(cross.check == .selfTrade)
        #expect(cross.rejection?.ordRejReason == .brokerOption)
        #expect(cross.rejection?.scope == .firm)
        #expect(cross.text == "self-trade prevention: buy 10 CLK6 at 75.30 would cross working sell \(restingSell.key) at 75.25 of account DESK1")
        #expect(engine.check(orders.order(.buy, 10, at: "75.24"), now: T.zero).isAccepted, "below the sell: no cross")
        #expect(engine.check(orders.order(.buy, 10, at: "75.30", account: "DESK2"), now: T.zero).isAccepted, "another account")
        // Stops do not rest on the book, so they cannot self-trade yet.
        #expect(engine.check(orders.order(.buy, 1, at: "75.40", type: .stopLimit, stop: "75.35"), now: T.zero).isAccepted)

        let desk2Sell = orders.order(.sell, 3, at: "75.20", account: "DESK2")
        let desk2SellHigher = orders.order(.sell, 3, at: "75.26", account: "DESK2")
        #expect(engine.check(desk2Sell, now: T.zero).isAccepted)
        #expect(engine.check(desk2SellHigher, now: T.zero).isAccepted)
        let cancelResting = engine.check(orders.order(.buy, 5, at: "75.25", account: "DESK2"), now: T.zero)
        #expect(cancelResting.isAccepted)
        #expect(cancelResting.cancelResting == [desk2Sell.key])
        // Once done, the resting order no longer counts.
        engine.orderDone(key: restingSell.key, now: T.zero)
        #expect(engine.check(orders.order(.buy, 10, at: "75.30"), now: T.zero).isAccepted)
    }

    @Test func selfTradeFollowsReplacedPrices() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(selfTradePrevention: .reject)]))
        var orders = OrderFactory()
        let sell = orders.order(.sell, 5, at: "75.40")
        let buy = orders.order(.buy, 5, at: "75.20")
        #expect(engine.check(sell, now: T.zero).isAccepted)
        #expect(engine.check(buy, now: T.zero).isAccepted)
        #expect(engine.check(orders.replace(buy.key, quantity: 5, price: "75.40"), now: T.zero).check == .selfTrade)
        #expect(engine.check(orders.replace(sell.key, quantity: 5, price: "75.10"), now: T.zero).check == .selfTrade)
        #expect(engine.check(orders.replace(sell.key, quantity: 5, price: "75.21"), now: T.zero).isAccepted)
        engine.orderReplaced(key: sell.key, now: T.zero)
        #expect(engine.check(orders.order(.buy, 1, at: "75.21"), now: T.zero).check == .selfTrade)
    }

    @Test func killSwitchAtEachLevelCancelsWorkingOrdersAndBlocksUntilReleased() {
        let levels: [(KillSwitchLevel, [String])] = [
            (.firm, ["1", "2", "3"]), (.account("DESK1"), ["1", "2"]), (.session("OMS2"), ["2", "3"]),
        ]
        for (level, expected) in levels {
            var engine = makeEngine(RiskLimits())
            var orders = OrderFactory()
            #expect(engine.check(orders.order(.buy, 1, account: "DESK1", session: "OMS1"), now: T.zero).isAccepted)
            #expect(engine.check(orders.order(.buy, 2, account: "DESK1", session: "OMS2"), now: T.zero).isAccepted)
            #expect(engine.check(orders.order(.buy, 3, account: "DESK2", session: "OMS2"), now: T.zero).isAccepted)
            let cancels = engine.engageKillSwitch(level, by: "risk.ops", reason: "runaway algo", now: T.at(seconds: 5))
            #expect(cancels.map(\.key.value) == expected, "\(level)")
            #expect(engine.killSwitch(level)?.engagedBy == "risk.ops")

            let blocked = engine.check(orders.order(.buy, 1, account: "DESK1", session: "OMS2"), now: T.at(seconds: 6))
            #expect(blocked.check == .killSwitch)
            #expect(blocked.rejection?.scope == level.scopeForTest)
            #expect(blocked.rejection?.ordRejReason == .brokerOption)
            #expect(blocked.text == "kill switch: \(level) engaged by risk.ops at 2026-03-03T15:00:05Z (runaway algo); new orders are blocked until it is released")
            #expect(engine.check(orders.replace(RiskOrderKey("2"), quantity: 5, price: "75.30", session: "OMS2"), now: T.at(seconds: 6)).check == .killSwitch)
            #expect(engine.check(orders.cancel(RiskOrderKey("2"), session: "OMS2"), now: T.at(seconds: 6)).isAccepted)

            #expect(engine.releaseKillSwitch(level, by: "  ", now: T.at(seconds: 7)) == nil, "a person must be named")
            let record = engine.releaseKillSwitch(level, by: "jane.doe", now: T.at(seconds: 8))
            #expect(record?.releasedBy == "jane.doe")
            #expect(record?.releasedAt == T.at(seconds: 8))
            #expect(record?.engagedBy == "risk.ops")
            #expect(engine.killSwitch(level) == nil)
            #expect(engine.killSwitchHistory.count == 1)
            #expect(engine.killSwitchHistory.first?.releasedBy == "jane.doe")
            #expect(engine.check(orders.order(.buy, 1, account: "DESK1", session: "OMS2"), now: T.at(seconds: 9)).isAccepted)
        }
    }

    @Test func killSwitchOnAnAccountLeavesOthersTrading() {
        var engine = makeEngine(RiskLimits())
        var orders = OrderFactory()
        _ = engine.engageKillSwitch(.account("DESK1"), by: "risk.ops", now: T.zero)
        #expect(engine.check(orders.order(.buy, 1, account: "DESK2"), now: T.zero).isAccepted)
        #expect(engine.check(orders.order(.buy, 1, account: "DESK1"), now: T.zero).check == .killSwitch)
        // Engaging again keeps the first record.
        _ = engine.engageKillSwitch(.account("DESK1"), by: "someone.else", now: T.at(seconds: 1))
        #expect(engine.killSwitch(.account("DESK1"))?.engagedBy == "risk.ops")
        #expect(engine.releaseKillSwitch(.account("DESK2"), by: "jane.doe", now: T.zero) == nil, "not engaged")
    }

    @Test func cancelOnDisconnectReturnsDayOrdersAndKeepsGTCAndGTD() {
        var engine = makeEngine(RiskLimits(sessions: ["OMS2": LimitSet(cancelOnDisconnect: false)]))
        var orders = OrderFactory()
        let day = orders.order(.buy, 1, tif: .day)
        let gtc = orders.order(.buy, 2, tif: .goodTillCancel)
        let gtd = orders.order(.buy, 3, tif: .goodTillDate)
        let ioc = orders.order(.buy, 4, tif: .immediateOrCancel)
        let otherSession = orders.order(.buy, 5, session: "OMS3")
        let optedOut = orders.order(.buy, 6, session: "OMS2")
        for order in [day, gtc, gtd, ioc, otherSession, optedOut] {
            #expect(engine.check(order, now: T.zero).isAccepted)
        }
        #expect(engine.sessionDisconnected("OMS1", loggedOut: true, now: T.zero).isEmpty, "a logout cancels nothing")
        let cancels = engine.sessionDisconnected("OMS1", loggedOut: false, now: T.zero)
        #expect(cancels.map(\.key) == [day.key, ioc.key])
        #expect(cancels.first?.clOrdID == day.clOrdID)
        #expect(cancels.first?.leavesQuantity == 1)
        #expect(engine.sessionDisconnected("OMS2", loggedOut: false, now: T.zero).isEmpty, "cancelOnDisconnect: false")
        #expect(engine.workingOrders().count == 6, "the sidecar waits for the cancels to be reported")
    }
}

extension KillSwitchLevel {
    var scopeForTest: RiskScope {
        switch self {
        case .firm: .firm
        case .account(let name): .account(name)
        case .session(let name): .session(name)
        }
    }
}
