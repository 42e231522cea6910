/// A named market holiday on the date it is observed.
public struct Holiday: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var date: CalendarDate

    public init(name: String, date: CalendarDate) {
        self.name = name
        self.date = date
    }

    public var description: String { "\(date) \(name)" }
}

/// Holidays computed by rule, so a calendar needs no hand-kept list for every future year.
public enum HolidayRules: String, Sendable, Hashable, CaseIterable {
    /// No holidays by rule: weekends and explicit dates only.
    case none
    /// NYMEX/CME energy (the US exchange holidays): New Year's Day, Martin Luther King Jr. Day,
    /// Presidents Day, Good Friday, Memorial Day, Juneteenth (from 2022), Independence Day,
    /// Labor Day, Thanksgiving and Christmas. A Saturday holiday is observed on the Friday
    /// before and a Sunday holiday on the Monday after, except that New Year's Day on a
    /// Saturday is not observed at all (the US exchanges' rule: no closure moves into the
    /// previous year).
    case nymex
    /// London (England and Wales bank holidays), for Brent's "last London business day":
    /// New Year's Day, Good Friday, Easter Monday, the early May, spring and summer bank
    /// holidays, Christmas and Boxing Day, with weekend holidays substituted by the next
    /// weekdays. One-off moves (e.g. 8 May 2020, 2–3 June 2022, 19 September 2022) go in a
    /// calendar's explicit holidays and open days.
    case london

    /// The holidays of one year, in date order.
    public func holidays(in year: Int) -> [Holiday] {
        switch self {
        case .none: return []
        case .nymex: return Self.nymexHolidays(year)
        case .london: return Self.londonHolidays(year)
        }
    }

    private static func nymexHolidays(_ year: Int) -> [Holiday] {
        /// Saturday → Friday before, Sunday → Monday after.
        func observed(_ month: Int, _ day: Int) -> CalendarDate {
            let date = CalendarDate(unchecked: year, month, day)
            switch date.weekday {
            case .saturday: return date.adding(days: -1)
            case .sunday: return date.adding(days: 1)
            default: return date
            }
        }
        var result: [Holiday] = []
        let newYear = CalendarDate(unchecked: year, 1, 1)
        switch newYear.weekday {
        case .saturday: break
        case .sunday: result.append(Holiday(name: "New Year's Day", date: newYear.adding(days: 1)))
        default: result.append(Holiday(name: "New Year's Day", date: newYear))
        }
        result.append(Holiday(name: "Martin Luther King Jr. Day", date: CalendarDate.nth(3, .monday, year: year, month: 1)))
        result.append(Holiday(name: "Presidents Day", date: CalendarDate.nth(3, .monday, year: year, month: 2)))
        result.append(Holiday(name: "Good Friday", date: easterSunday(year).adding(days: -2)))
        result.append(Holiday(name: "Memorial Day", date: CalendarDate.last(.monday, year: year, month: 5)))
        if year >= 2022 { result.append(Holiday(name: "Juneteenth", date: observed(6, 19))) }
        result.append(Holiday(name: "Independence Day", date: observed(7, 4)))
        result.append(Holiday(name: "Labor Day", date: CalendarDate.nth(1, .monday, year: year, month: 9)))
        result.append(Holiday(name: "Thanksgiving", date: CalendarDate.nth(4, .thursday, year: year, month: 11)))
        result.append(Holiday(name: "Christmas", date: observed(12, 25)))
        return result.sorted { $0.date < $1.date }
    }

    private static func londonHolidays(_ year: Int) -> [Holiday] {
        /// Moves a weekend date to the first weekday on or after it not already taken.
        func substitute(_ date: CalendarDate, avoiding taken: [CalendarDate]) -> CalendarDate {
            var day = date
            while day.isWeekend || taken.contains(day) { day = day.adding(days: 1) }
            return day
        }
        let easter = easterSunday(year)
        let newYear = substitute(CalendarDate(unchecked: year, 1, 1), avoiding: [])
        let christmas = substitute(CalendarDate(unchecked: year, 12, 25), avoiding: [])
        let boxingDay = substitute(CalendarDate(unchecked: year, 12, 26), avoiding: [christmas])
        return [
            Holiday(name: "New Year's Day", date: newYear),
            Holiday(name: "Good Friday", date: easter.adding(days: -2)),
            Holiday(name: "Easter Monday", date: easter.adding(days: 1)),
            Holiday(name: "Early May Bank Holiday", date: CalendarDate.nth(1, .monday, year: year, month: 5)),
            Holiday(name: "Spring Bank Holiday", date: CalendarDate.last(.monday, year: year, month: 5)),
            Holiday(name: "Summer Bank Holiday", date: CalendarDate.last(.monday, year: year, month: 8)),
            Holiday(name: "Christmas Day", date: christmas),
            Holiday(name: "Boxing Day", date: boxingDay),
        ].sorted { $0.date < $1.date }
    }

    /// Western (Gregorian) Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    public static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(unchecked: year, month, day)
    }
}

/// Which days an exchange is open for the purposes of expiry rules: every weekday that is not a
/// holiday by `rules` or in `holidays`, plus any date in `openDays` (which overrides the rules,
/// for a holiday moved in a particular year).
public struct BusinessCalendar: Sendable, Hashable {
    /// How the reference file and contracts refer to this calendar (`nymex`, `london`).
    public var name: String
    public var rules: HolidayRules
    /// Extra closures beyond the rules (one-off closures, moved holidays).
    public var holidays: Set<CalendarDate>
    /// Weekdays the rules make holidays on which the market is nonetheless open.
    public var openDays: Set<CalendarDate>

    public init(name: String, rules: HolidayRules, holidays: Set<CalendarDate> = [], openDays: Set<CalendarDate> = []) {
        self.name = name
        self.rules = rules
        self.holidays = holidays
        self.openDays = openDays
    }

    /// The NYMEX/US calendar with holidays by rule and no explicit dates.
    public static let nymex = BusinessCalendar(name: "nymex", rules: .nymex)
    /// The London calendar with bank holidays by rule and no explicit dates.
    public static let london = BusinessCalendar(name: "london", rules: .london)

    /// Whether a weekday is closed (weekends are not "holidays"; see `isBusinessDay`).
    public func isHoliday(_ date: CalendarDate) -> Bool {
        if holidays.contains(date) { return true }
        if openDays.contains(date) { return false }
        return rules.holidays(in: date.year).contains { $0.date == date }
    }

    public func isBusinessDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && !isHoliday(date)
    }

    /// Every closed weekday of a year, by rule and explicit, in order.
    public func holidays(in year: Int) -> [CalendarDate] {
        var dates = Set(rules.holidays(in: year).map(\.date)).subtracting(openDays)
        dates.formUnion(holidays.filter { $0.year == year })
        return dates.filter { !$0.isWeekend }.sorted()
    }

    /// The business day `count` business days before `date` (not counting `date` itself):
    /// `businessDay(3, before: 25 November)` is three business days before the 25th.
    public func businessDay(_ count: Int, before date: CalendarDate) -> CalendarDate {
        var day = date
        var remaining = max(count, 1)
        while remaining > 0 {
            day = day.adding(days: -1)
            if isBusinessDay(day) { remaining -= 1 }
        }
        return day
    }

    /// The first business day strictly before `date`.
    public func previousBusinessDay(before date: CalendarDate) -> CalendarDate {
        businessDay(1, before: date)
    }

    /// The first business day strictly after `date`.
    public func nextBusinessDay(after date: CalendarDate) -> CalendarDate {
        var day = date.adding(days: 1)
        while !isBusinessDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The last business day of a month (`month` in 1...12, as a `ContractMonth` guarantees).
    func lastBusinessDay(year: Int, month: Int) -> CalendarDate {
        let end = CalendarDate.lastDay(year: year, month: month)
        return isBusinessDay(end) ? end : previousBusinessDay(before: end)
    }
}
