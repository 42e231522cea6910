import FIXCodec
import Instruments
@testable import RiskSidecar
import Testing
import TestSupport

/// The integer-indexed tables the check path reads: interned names, the day's ClOrdIDs and the
/// working orders, on their own and as the engine keeps them across new accounts, reloads and days.
@Suite struct RiskTablesTests {
    // MARK: Names

    @Test func namesKeepTheIdTheyWereFirstGiven() {
        var table = NameTable()
        // Past eight names the table hashes instead of scanning: both ways must agree.
        let names = (0..<200).map { "DESK\($0)" } + ["a-much-longer-account-name-than-fits-inline"]
        for (index, name) in names.enumerated() {
            table.insert(name, value: index)
            #expect(table[name] == index)
        }
        table.insert("DESK3", value: 999)
        #expect(table["DESK3"] == 3, "a name already interned keeps its id")
        for (index, name) in names.enumerated() {
            #expect(table[name] == index, "\(name)")
        }
        #expect(table["DESK200"] == nil && table[""] == nil && table["desk1"] == nil)
        #expect(table.count == names.count)
    }

    // MARK: ClOrdIDs

    @Test func clOrdIDsAreUniquePerSession() {
        var set = ClOrdIDSet(capacity: 16)
        let first = set.insert(session: 1, "A1")
        let again = set.insert(session: 1, "A1")
        let otherSession = set.insert(session: 2, "A1")
        #expect(first)
        #expect(!again, "the same session, the same ClOrdID")
        #expect(otherSession, "another session may use it")
        // Grows well past its first capacity and still knows every pair.
        for number in 0..<5_000 {
            let inserted = set.insert(session: number % 3, "ORD-\(number)")
            #expect(inserted)
        }
        for number in 0..<5_000 {
            #expect(set.contains(session: number % 3, "ORD-\(number)"))
            #expect(!set.contains(session: number % 3 + 3, "ORD-\(number)"))
        }
        #expect(set.count == 5_002)
        set.removeAll()
        #expect(set.count == 0 && !set.contains(session: 1, "A1"))
        let nextDay = set.insert(session: 1, "A1")
        #expect(nextDay, "a new day")
    }

    // MARK: Working orders

    @Test func theOrderTableAgreesWithADictionary() {
        var random = SeededRandom(seed: 7)
        var table = OrderTable()
        var model: [RiskOrderKey: Int64] = [:]
        func order(_ key: RiskOrderKey, _ quantity: Int64) -> WorkingOrder {
            WorkingOrder(key: key, clOrdID: "C-\(key)", account: 1, session: 2, symbol: 0, root: 0, side: .buy, type: .limit,
                         price: FIXDecimal(mantissa: 7_500, scale: 2), exposurePrice: 0, stopPrice: nil, timeInForce: .day,
                         orderQuantity: quantity)
        }
        // Many inserts and removes over a small key space: probe runs form, and removals must
        // leave every remaining key findable (backward-shift deletion), through index growth.
        for step in 0..<40_000 {
            let key = RiskOrderKey(Int64(random.next() % 6_000))
            if random.next() % 3 == 0 {
                let removed = table.removeValue(forKey: key)?.orderQuantity
                let expected = model.removeValue(forKey: key)
                #expect(removed == expected, "step \(step)")
            } else {
                let quantity = Int64(step)
                let replaced = table.updateValue(order(key, quantity), forKey: key)?.orderQuantity
                let expected = model.updateValue(quantity, forKey: key)
                #expect(replaced == expected, "step \(step)")
            }
        }
        #expect(table.count == model.count)
        for (key, quantity) in model {
            #expect(table[key]?.orderQuantity == quantity)
        }
        #expect(Set(table.values.map(\.key)) == Set(model.keys))
        let someKey = model.keys.first!
        let modified = table.modify(someKey) { $0.acknowledged = true }
        let modifiedAbsent = table.modify(RiskOrderKey("absent")) { $0.acknowledged = true }
        #expect(modified && !modifiedAbsent)
        #expect(table[someKey]?.acknowledged == true)
        table[someKey] = nil
        #expect(table[someKey] == nil && table.count == model.count - 1)
    }

    // MARK: The engine's tables

    private static func limits(maxOrderSize: Int64) -> RiskLimits {
        RiskLimits(firm: LimitSet(maxOrderSize: 500),
                   accounts: ["DESK1": LimitSet(maxOrderSize: maxOrderSize), "LATE": LimitSet(maxOrderSize: 5)],
                   sessions: ["OMS1": LimitSet(maxOrderSize: 400)],
                   roots: ["CL": LimitSet(maxOrderSize: 300)], symbols: ["CLN6": LimitSet(maxOrderSize: 7)])
    }

    @Test func idsAreStableAcrossReloadsAndDays() {
        var engine = makeEngine(Self.limits(maxOrderSize: 100))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 10), now: T.zero).isAccepted)
        let before = engine.ids(account: "DESK1", session: "OMS1", symbol: "CLK6", root: "CL")
        #expect(before.account > 0 && before.session > 0 && before.symbol >= 0 && before.root == 0)
        engine.replaceLimits(Self.limits(maxOrderSize: 50))
        engine.startNewDay()
        #expect(engine.check(orders.order(.buy, 10, "CLM6", account: "DESK2", session: "OMS2"), now: T.zero).isAccepted)
        #expect(engine.ids(account: "DESK1", session: "OMS1", symbol: "CLK6", root: "CL") == before)
        let other = engine.ids(account: "DESK2", session: "OMS2", symbol: "CLM6", root: "CL")
        #expect(other.account != before.account && other.session != before.session && other.symbol != before.symbol)
        #expect(engine.ids(account: "NEVER", session: nil, symbol: nil, root: "ZZ") == RiskIDs(account: -1, session: -1, symbol: -1, root: -1))
    }

    @Test func aReloadReplacesTheLimitsOfEveryInternedName() {
        var engine = makeEngine(Self.limits(maxOrderSize: 100))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 80), now: T.zero).isAccepted)
        engine.replaceLimits(Self.limits(maxOrderSize: 50))
        let refused = engine.check(orders.order(.buy, 80), now: T.zero)
        #expect(refused.check == .orderSize && refused.rejection?.scope == .account("DESK1"), "\(refused.text)")
        #expect(engine.check(orders.order(.buy, 50), now: T.zero).isAccepted)
        // Back up: the new table, not a stale id into the old one.
        engine.replaceLimits(Self.limits(maxOrderSize: 100))
        #expect(engine.check(orders.order(.buy, 80), now: T.zero).isAccepted)
        // Positions and working orders carried over the reloads.
        #expect(engine.worstCase(account: "DESK1", symbol: "CLK6").long == 210)
    }

    @Test func anAccountOrMonthFirstSeenMidDayGetsItsLimits() {
        var engine = makeEngine(Self.limits(maxOrderSize: 100))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 10), now: T.zero).isAccepted)
        // LATE was in the file but had not traded; CLN6 had never been seen.
        let late = engine.check(orders.order(.buy, 6, account: "LATE"), now: T.zero)
        #expect(late.check == .orderSize && late.rejection?.scope == .account("LATE"), "\(late.text)")
        #expect(engine.check(orders.order(.buy, 5, account: "LATE"), now: T.zero).isAccepted)
        engine.updateReferencePrices(ReferencePrices(last: dec("75.90")), symbol: "CLN6", root: "CL", now: T.zero)
        let month = engine.check(orders.order(.buy, 8, "CLN6", at: "75.90"), now: T.zero)
        #expect(month.check == .orderSize && month.rejection?.scope == .symbol("CLN6"), "\(month.text)")
        #expect(engine.check(orders.order(.buy, 7, "CLN6", at: "75.90"), now: T.zero).isAccepted)
        // A reload reaches names interned after the last one.
        engine.replaceLimits(RiskLimits(firm: LimitSet(maxOrderSize: 500), accounts: ["LATE": LimitSet(maxOrderSize: 2)],
                                        sessions: [:], roots: [:], symbols: [:]))
        #expect(engine.check(orders.order(.buy, 3, account: "LATE"), now: T.zero).check == .orderSize)
        #expect(engine.check(orders.order(.buy, 8, "CLN6", at: "75.90"), now: T.zero).isAccepted, "CLN6's limit is gone")
        #expect(engine.position(account: "LATE", symbol: "CLK6") == 0)
        #expect(engine.workingOrders(account: "LATE").map(\.orderQuantity) == [5])
    }

    @Test func aNewDayFreesEverySessionsClOrdIDs() {
        var engine = makeEngine(Self.limits(maxOrderSize: 100))
        func order(_ key: String, _ clOrdID: String, session: String) -> RiskOrder {
            RiskOrder(key: RiskOrderKey(key), clOrdID: clOrdID, account: "DESK1", session: session, symbol: "CLK6", root: "CL",
                      side: .buy, quantity: 1, price: dec("75.30"))
        }
        #expect(engine.check(order("1", "X", session: "OMS1"), now: T.zero).isAccepted)
        #expect(engine.check(order("2", "X", session: "OMS2"), now: T.at(seconds: 5)).isAccepted)
        #expect(engine.check(order("3", "X", session: "OMS1"), now: T.at(seconds: 10)).check == .duplicateClOrdID)
        engine.startNewDay()
        #expect(engine.check(order("4", "X", session: "OMS1"), now: T.at(seconds: 15)).isAccepted)
        #expect(engine.check(order("5", "X", session: "OMS2"), now: T.at(seconds: 20)).isAccepted)
        #expect(engine.check(order("6", "X", session: "OMS2"), now: T.at(seconds: 25)).check == .duplicateClOrdID)
    }

    // MARK: What the check remembers between orders

    @Test func tradingHoursAnsweredFromTheLastMinuteFollowTheClockBothWays() {
        let globex = TradingHours(timeZone: "America/New_York", open: 18 * 60, close: 17 * 60,
                                  days: [.sunday, .monday, .tuesday, .wednesday, .thursday])
        var engine = makeEngine(RiskLimits(firm: LimitSet(tradingHours: globex)))
        var orders = OrderFactory()
        // Tuesday 16:59 New York (21:59 UTC): open to its last nanosecond, closed at 17:00.
        let lastMinute = T.at(seconds: 6 * 3_600 + 59 * 60)
        #expect(engine.check(orders.order(.buy, 1), now: lastMinute).isAccepted)
        #expect(engine.check(orders.order(.buy, 1), now: lastMinute + 60 * T.second - 1).isAccepted)
        #expect(engine.check(orders.order(.buy, 1), now: lastMinute + 60 * T.second).check == .tradingHours)
        #expect(engine.check(orders.order(.buy, 1), now: lastMinute + 90 * T.second).check == .tradingHours)
        // A time before the last one asked about is answered for itself.
        #expect(engine.check(orders.order(.buy, 1), now: lastMinute + 30 * T.second).isAccepted)
        #expect(engine.check(orders.order(.buy, 1), now: lastMinute + 61 * T.second).check == .tradingHours)
        // Summer time: the same local minute is another UTC minute (16:59 EDT is 20:59 UTC).
        let july = Int64(1_783_457_940) * T.second
        #expect(engine.check(orders.order(.buy, 1), now: july).isAccepted)
        #expect(engine.check(orders.order(.buy, 1), now: july + 60 * T.second).check == .tradingHours)
    }

    @Test func aQuietThrottleStillCountsEveryMessage() {
        // Far below its thresholds a throttle is read once; crossing them is seen at once.
        var engine = makeEngine(RiskLimits(firm: LimitSet(orderRate: RateLimit(limit: 4, windowNanos: T.second))))
        var orders = OrderFactory()
        for step in 0..<4 {
            #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: Int64(step))).isAccepted, "order \(step + 1)")
        }
        let fifth = engine.check(orders.order(.buy, 1), now: T.at(ms: 4))
        #expect(fifth.text == "order rate: 5 orders in 1s, limit 4 (firm)")
        // A second later the window has emptied.
        #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: 1_005)).isAccepted)
    }
}
