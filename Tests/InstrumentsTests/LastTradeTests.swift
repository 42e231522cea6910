import Instruments
import Testing

@Suite struct LastTradeTests {
    let reference = InstrumentReference.standard

    /// The last trade date of a symbol whose decade is resolved near `near`.
    func lastTrade(_ symbol: String, near: String) throws -> CalendarDate {
        let parsed = try #require(ContractMonth.parse(symbol: symbol, reference: try day(near)))
        return try #require(reference.lastTradeDate(root: parsed.root, month: parsed.month))
    }

    @Test(arguments: [
        // The 25th of the month before is a business day: three business days before it.
        ("CLZ6", "2026-11-20"),   // Wed 25 Nov 2026 → Tue 24, Mon 23, Fri 20
        ("CLZ4", "2024-11-20"),   // Mon 25 Nov 2024 → Fri 22, Thu 21, Wed 20
        ("CLJ7", "2027-03-22"),   // Thu 25 Mar 2027 (Good Friday is the 26th)
        ("CLN6", "2026-06-22"),   // Thu 25 Jun 2026
        // The 25th is not a business day: four business days before it.
        ("CLK0", "2020-04-21"),   // Sat 25 Apr 2020: the contract that settled at −37.63 on the 20th
        ("CLG6", "2026-01-20"),   // Sun 25 Jan 2026
        ("CLX6", "2026-10-20"),   // Sun 25 Oct 2026
        ("CLM6", "2026-05-19"),   // Mon 25 May 2026 is Memorial Day
        ("CLJ6", "2016-03-21"),   // Fri 25 Mar 2016 is Good Friday
        ("CLK7", "2027-04-20"),   // Sun 25 Apr 2027
        // Fri 25 Dec 2026 is Christmas: Thu 24, Wed 23, Tue 22, Mon 21. (Not the 17th: that
        // would be six business days before; Christmas Eve is a NYMEX business day.)
        ("CLF7", "2026-12-21"),
        ("CLF5", "2024-12-19"),   // Wed 25 Dec 2024 is Christmas
        ("CLZ7", "2027-11-19"),   // Thu 25 Nov 2027 is Thanksgiving
    ])
    func crudeOil(symbol: String, expected: String) throws {
        #expect(try lastTrade(symbol, near: expected) == (try day(expected)))
    }

    @Test func crudeOilFarOut() throws {
        // Thu 25 Dec 2031 is Christmas: Wed 24, Tue 23, Mon 22, Fri 19.
        #expect(try lastTrade("CLF2", near: "2031-06-01") == (try day("2031-12-19")))
    }

    @Test(arguments: [
        ("BZF7", "2026-11-30"),   // last business day of November 2026
        ("BZH7", "2027-01-29"),   // 31 Jan 2027 is a Sunday
        ("BZG7", "2026-12-31"),   // London's Boxing Day substitute is 28 Dec, the 31st still trades
        ("BZV6", "2026-08-28"),   // Mon 31 Aug 2026 is the London summer bank holiday
        ("BZX6", "2026-09-30"),
        ("BZF5", "2024-11-29"),   // 30 Nov 2024 is a Saturday
    ])
    func brent(symbol: String, expected: String) throws {
        #expect(try lastTrade(symbol, near: expected) == (try day(expected)))
    }

    @Test(arguments: [
        ("RBF7", "2026-12-31"),
        ("HOF7", "2026-12-31"),
        ("RBZ6", "2026-11-30"),
        ("HOZ6", "2026-11-30"),
        ("RBM7", "2027-05-28"),   // Mon 31 May 2027 is Memorial Day
        ("HOJ6", "2026-03-31"),
        ("HOQ6", "2026-07-31"),
        ("RBV6", "2026-09-30"),
        ("HOH6", "2026-02-27"),   // 28 Feb 2026 is a Saturday
    ])
    func products(symbol: String, expected: String) throws {
        #expect(try lastTrade(symbol, near: expected) == (try day(expected)))
    }

    @Test func rulesDirectly() throws {
        let december = try month(2026, 12)
        #expect(LastTradeRule.threeBusinessDaysBefore25th.lastTradeDate(for: december, calendar: .nymex) == (try day("2026-11-20")))
        #expect(LastTradeRule.lastBusinessDayMonthBefore.lastTradeDate(for: december, calendar: .nymex) == (try day("2026-11-30")))
        #expect(LastTradeRule.lastBusinessDayTwoMonthsBefore.lastTradeDate(for: december, calendar: .nymex) == (try day("2026-10-30")))
        // A weekends-only calendar puts CLF7 on Tuesday 22 December (the 25th is a Friday and a business day).
        let weekends = BusinessCalendar(name: "weekends", rules: .none)
        #expect(LastTradeRule.threeBusinessDaysBefore25th.lastTradeDate(for: try month(2027, 1), calendar: weekends) == (try day("2026-12-22")))
        #expect(reference.lastTradeDate(root: "XX", month: december) == nil)
    }
}
