/// A futures delivery month: the `Z6` in `CLZ6`.
///
/// Ordered by time, so a root's listed months sort into curve order (M1, M2, ...).
public struct ContractMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1 (January) ... 12 (December).
    public let month: Int

    /// A month, or `nil` when `month` is outside 1...12.
    public init?(year: Int, month: Int) {
        guard (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    /// The month a date falls in.
    public init(containing date: CalendarDate) {
        self.init(unchecked: date.year, date.month)
    }

    /// The exchange month codes, January to December: F G H J K M N Q U V X Z.
    public static let codes: [Character] = ["F", "G", "H", "J", "K", "M", "N", "Q", "U", "V", "X", "Z"]

    /// This month's letter: `Z` for December.
    public var code: Character { Self.codes[month - 1] }

    /// The month (1...12) a code letter stands for, `nil` for a letter that is not a month code.
    public static func month(forCode code: Character) -> Int? {
        codes.firstIndex(of: code).map { $0 + 1 }
    }

    /// The last digit of the year, as Globex symbols carry it.
    public var yearDigit: Int { ((year % 10) + 10) % 10 }

    /// Code and year digit: `Z6`.
    public var shortCode: String { "\(code)\(yearDigit)" }

    /// The Globex-style symbol of this month of a root: `CLZ6`.
    public func symbol(root: String) -> String { root + shortCode }

    /// The month a code and year digit name, choosing the decade relative to `reference`:
    /// the one month with that code and digit from twelve months before the reference date's
    /// month to 107 months after it. A symbol that expired within the last year resolves to
    /// the past (`CLZ5` seen on 2026-11-25 is December 2025); anything older resolves to the
    /// next decade, as the exchange reuses symbols once a decade has passed.
    public init?(code: Character, yearDigit: Int, reference: CalendarDate) {
        guard let month = Self.month(forCode: code), (0...9).contains(yearDigit) else { return nil }
        let start = ContractMonth(containing: reference).advanced(by: -12)
        let baseYear = start.year - start.yearDigit + yearDigit
        for year in [baseYear, baseYear + 10] {
            let candidate = ContractMonth(unchecked: year, month)
            let offset = candidate.monthIndex - start.monthIndex
            if offset >= 0, offset < 120 {
                self = candidate
                return
            }
        }
        return nil
    }

    /// Splits an outright symbol (`CLZ6`, `BZF7`, `BH7`) into root and month, resolving the
    /// decade against `reference` as `init(code:yearDigit:reference:)` does; `nil` when the
    /// symbol does not end in a month code and a digit after a non-empty root.
    public static func parse(symbol: String, reference: CalendarDate) -> (root: String, month: ContractMonth)? {
        let characters = Array(symbol)
        guard characters.count >= 3, let digit = characters[characters.count - 1].wholeNumberValue,
              characters[characters.count - 1].isASCII,
              let month = ContractMonth(code: characters[characters.count - 2], yearDigit: digit, reference: reference)
        else { return nil }
        return (String(characters[..<(characters.count - 2)]), month)
    }

    /// Months since year 0, for distances and arithmetic.
    var monthIndex: Int { year * 12 + (month - 1) }

    private init(monthIndex: Int) {
        let year = monthIndex >= 0 ? monthIndex / 12 : (monthIndex - 11) / 12
        self.init(unchecked: year, monthIndex - year * 12 + 1)
    }

    /// The month `months` months later (earlier when negative).
    public func advanced(by months: Int) -> ContractMonth { ContractMonth(monthIndex: monthIndex + months) }

    public var next: ContractMonth { advanced(by: 1) }
    public var previous: ContractMonth { advanced(by: -1) }

    /// How many months `other` is after `self` (negative when before).
    public func distance(to other: ContractMonth) -> Int { other.monthIndex - monthIndex }

    public var firstDay: CalendarDate { CalendarDate(unchecked: year, month, 1) }
    public var lastDay: CalendarDate { CalendarDate.lastDay(year: year, month: month) }

    /// `2026-12`.
    public var description: String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + (month < 10 ? "-0" : "-") + String(month)
    }

    public static func < (lhs: ContractMonth, rhs: ContractMonth) -> Bool { lhs.monthIndex < rhs.monthIndex }
}

extension BusinessCalendar {
    /// The last business day of a month.
    public func lastBusinessDay(of month: ContractMonth) -> CalendarDate {
        lastBusinessDay(year: month.year, month: month.month)
    }
}
