import Foundation
import Yams

/// A time zone's offsets from UTC, precomputed from 2000 to 2100 so that converting an instant
/// to local time (and back) is a binary search, not a calendar: what trading hours and trading
/// days are measured in.
public struct ZoneOffsets: Sendable, Hashable {
    /// An IANA time zone, `America/New_York`.
    public let identifier: String
    /// offsets[i] (seconds east of UTC) applies from transitions[i] (Unix seconds) on.
    private let transitions: [Int64]
    private let offsets: [Int64]

    /// `nil` when the system does not know the zone.
    public init?(_ identifier: String) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        var transitions: [Int64] = [Int64.min]
        var date = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
        var offsets: [Int64] = [Int64(zone.secondsFromGMT(for: date))]
        let end = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        while let next = zone.nextDaylightSavingTimeTransition(after: date), next < end {
            transitions.append(Int64(next.timeIntervalSince1970))
            offsets.append(Int64(zone.secondsFromGMT(for: next)))
            date = next
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// Seconds east of UTC at the Unix time `seconds`.
    public func offset(atUTC seconds: Int64) -> Int64 {
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= seconds { low = middle } else { high = middle - 1 }
        }
        return offsets[low]
    }

    /// Local time at `nanos` since the epoch: days since 1970-01-01 (local) and minutes after
    /// local midnight.
    public func local(_ nanos: Int64) -> (day: Int64, minute: Int) {
        let seconds = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
        let local = seconds + offset(atUTC: seconds)
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (day, Int((local - day * 86_400) / 60))
    }

    /// Nanoseconds since the epoch of `minute` after local midnight on `date`. A local time a
    /// daylight-saving change skips is read with the offset before the change.
    public func instant(_ date: CalendarDate, minute: Int) -> Int64 {
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(minute) * 60
        let guess = local - offset(atUTC: local)
        let seconds = local - offset(atUTC: guess)
        return seconds * 1_000_000_000
    }
}

/// When a venue trades and when its trading day ends: its hours in its own time zone, the
/// time its settlement prices are taken, and the days it is closed.
///
/// A trading day is named by the date it ends on, as at CME: the Globex session that opens on
/// Sunday at 18:00 New York time is Monday's, and ends Monday at 17:00. Everything a desk counts
/// "per day" (the daily loss, ClOrdIDs, day orders) ends with it.
public struct TradingCalendar: Sendable, Hashable {
    public enum Hours: Sendable, Hashable {
        /// Trading never stops (a simulated venue for a demo); the day still ends at `dayEnd`.
        case aroundTheClock
        /// A session opens at `open` on each of `days` and closes at the calendar's `dayEnd`,
        /// the next day when that is at or before the open (CME: 18:00–17:00).
        case sessions(open: Int, days: Set<Weekday>)
    }

    public let zone: ZoneOffsets
    public let hours: Hours
    /// Minutes after local midnight the trading day ends (the close, or the roll around the clock).
    public let dayEnd: Int
    /// Minutes after local midnight settlement prices are taken, if the venue publishes any.
    public let settlement: Int?
    /// Days the venue does not trade: no trading day ends on them.
    public let holidays: Set<CalendarDate>

    public init(zone: ZoneOffsets, hours: Hours, dayEnd: Int, settlement: Int? = nil, holidays: Set<CalendarDate> = []) {
        self.zone = zone
        self.hours = hours
        self.dayEnd = dayEnd
        self.settlement = settlement
        self.holidays = holidays
    }

    /// Trading around the clock, the day ending at 17:00 New York time (the demo's venue).
    public static let aroundTheClock = TradingCalendar(zone: ZoneOffsets("America/New_York")!, hours: .aroundTheClock,
                                                       dayEnd: 17 * 60, settlement: 14 * 60 + 30)

    /// Whether a trading day ends on `date`: not a holiday, and for sessions, one opened for it.
    public func isTradingDate(_ date: CalendarDate) -> Bool {
        guard !holidays.contains(date) else { return false }
        switch hours {
        case .aroundTheClock:
            return true
        case .sessions(let open, let days):
            // A session that closes at or before its open ends the day after it opens.
            let opened = open >= dayEnd ? date.adding(days: -1) : date
            return days.contains(opened.weekday)
        }
    }

    /// The trading day `nanos` falls in: the first trading date whose end is after it. Over a
    /// weekend or a holiday that is the next day the venue trades.
    public func tradingDate(at nanos: Int64) -> CalendarDate {
        let (day, minute) = zone.local(nanos)
        var date = CalendarDate(daysSinceEpoch: Int(day) + (minute >= dayEnd ? 1 : 0))
        // A year without a trading day is a calendar nobody wrote; stop looking after one.
        for _ in 0..<366 where !isTradingDate(date) { date = date.adding(days: 1) }
        return date
    }

    /// When the trading day `date` ends (nanoseconds since the epoch).
    public func end(of date: CalendarDate) -> Int64 { zone.instant(date, minute: dayEnd) }

    /// When the trading day `date` opens: the previous trading day's end around the clock, or
    /// its session's open.
    public func open(of date: CalendarDate) -> Int64 {
        switch hours {
        case .aroundTheClock:
            return zone.instant(date.adding(days: -1), minute: dayEnd)
        case .sessions(let open, _):
            return zone.instant(open >= dayEnd ? date.adding(days: -1) : date, minute: open)
        }
    }

    /// The trading date after `date`.
    public func next(after date: CalendarDate) -> CalendarDate {
        tradingDate(at: end(of: date))
    }

    /// Whether the venue is trading at `nanos`.
    public func isOpen(at nanos: Int64) -> Bool {
        let date = tradingDate(at: nanos)
        return nanos >= open(of: date) && nanos < end(of: date)
    }

    /// The trading day `date` as of `nanos`: when it opened and ends, the one after it, and
    /// whether the venue is trading.
    public func status(of date: CalendarDate, at nanos: Int64) -> TradingDayStatus {
        TradingDayStatus(tradingDate: date.description, opens: open(of: date), ends: end(of: date),
                         nextTradingDate: next(after: date).description, open: isOpen(at: nanos), calendar: summary)
    }

    /// `18:00–17:00 America/New_York`, or `around the clock, day ends 17:00 America/New_York`.
    public var summary: String {
        switch hours {
        case .aroundTheClock: "around the clock, the day ending at \(Self.clock(dayEnd)) \(zone.identifier)"
        case .sessions(let open, _): "\(Self.clock(open))–\(Self.clock(dayEnd)) \(zone.identifier)"
        }
    }

    /// `HH:MM` for minutes after midnight.
    public static func clock(_ minute: Int) -> String {
        let hours = minute / 60
        let minutes = minute % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (minutes < 10 ? "0" : "") + "\(minutes)"
    }
}

/// A trading calendar file that cannot be used: the file and the key, and why.
public struct TradingCalendarError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var key: String?
    public var message: String

    public var description: String {
        "\(file)" + (key.map { ": \($0)" } ?? "") + ": \(message)"
    }
}

extension TradingCalendar {
    /// Reads a calendar from YAML:
    ///
    /// ```yaml
    /// timeZone: America/New_York
    /// hours: {open: "18:00", days: [sun, mon, tue, wed, thu]}   # or: aroundTheClock
    /// dayEnd: "17:00"
    /// settlement: "14:30"
    /// holidays: nymex              # or a list of dates, or {rules: nymex, dates: [2027-01-04]}
    /// ```
    public static func load(path: String) throws(TradingCalendarError) -> TradingCalendar {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TradingCalendarError(file: path, key: nil, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(TradingCalendarError) -> TradingCalendar {
        func fail(_ key: String?, _ message: String) -> TradingCalendarError { TradingCalendarError(file: file, key: key, message: message) }
        let root: [String: Any]
        do {
            guard let loaded = try Yams.load(yaml: text) as? [String: Any] else { throw fail(nil, "not a mapping of keys") }
            root = loaded
        } catch let error as TradingCalendarError {
            throw error
        } catch {
            throw fail(nil, "not YAML: \(error)")
        }
        let known: Set<String> = ["timeZone", "hours", "dayEnd", "settlement", "holidays"]
        if let unknown = root.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(unknown, "not a key of a trading calendar (\(known.sorted().joined(separator: ", ")))")
        }
        func clock(_ key: String, _ value: Any?) throws(TradingCalendarError) -> Int {
            // Unquoted, YAML 1.1 reads 17:00 as a base-60 number: 1,020, the minutes.
            if let minutes = value as? Int, (0..<1_440).contains(minutes) { return minutes }
            let text = value.map { "\($0)" } ?? ""
            let parts = text.split(separator: ":")
            guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<24).contains(hours),
                  (0..<60).contains(minutes) else { throw fail(key, "'\(text)' is not a time of day as HH:MM") }
            return hours * 60 + minutes
        }
        guard let zoneName = root["timeZone"] as? String else { throw fail("timeZone", "missing (an IANA zone, America/New_York)") }
        guard let zone = ZoneOffsets(zoneName) else { throw fail("timeZone", "'\(zoneName)' is not a time zone this system knows") }
        guard root["dayEnd"] != nil else { throw fail("dayEnd", "missing (when the trading day ends, as HH:MM)") }
        let dayEnd = try clock("dayEnd", root["dayEnd"])
        let settlement = root["settlement"] == nil ? nil : try clock("settlement", root["settlement"])
        let hours: Hours
        switch root["hours"] {
        case let word as String where word == "aroundTheClock":
            hours = .aroundTheClock
        case let session as [String: Any]:
            let open = try clock("hours.open", session["open"])
            let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
            guard let list = session["days"] as? [Any], !list.isEmpty else {
                throw fail("hours.days", "missing (the days a session opens on: [sun, mon, tue, wed, thu])")
            }
            var days: Set<Weekday> = []
            for entry in list {
                guard let index = names.firstIndex(of: "\(entry)".lowercased()), let day = Weekday(rawValue: index) else {
                    throw fail("hours.days", "'\(entry)' is not a day (\(names.joined(separator: ", ")))")
                }
                days.insert(day)
            }
            hours = .sessions(open: open, days: days)
        default:
            throw fail("hours", "missing or not aroundTheClock or {open: \"18:00\", days: [...]}")
        }
        var holidays: Set<CalendarDate> = []
        var entries: [Any] = []
        var rules: Any?
        switch root["holidays"] {
        case nil: break
        case let list as [Any]: entries = list
        case let name as String: rules = name
        case let both as [String: Any]:
            rules = both["rules"]
            entries = both["dates"] as? [Any] ?? []
        default: throw fail("holidays", "not a list of dates, a rule name (nymex, london) or {rules: nymex, dates: [...]}")
        }
        if let rules {
            guard let named = HolidayRules(rawValue: "\(rules)") else {
                throw fail("holidays", "'\(rules)' is not a holiday rule (\(HolidayRules.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            for year in 2000...2100 { holidays.formUnion(named.holidays(in: year).map(\.date)) }
        }
        for entry in entries {
            let text = (entry as? Date).map(Self.isoDate) ?? "\(entry)"
            guard let date = CalendarDate(iso: text) else { throw fail("holidays", "'\(text)' is not a date as YYYY-MM-DD") }
            holidays.insert(date)
        }
        return TradingCalendar(zone: zone, hours: hours, dayEnd: dayEnd, settlement: settlement, holidays: holidays)
    }

    /// YAML reads an unquoted `2026-12-25` as a timestamp at UTC midnight.
    private static func isoDate(_ date: Date) -> String {
        CalendarDate(daysSinceEpoch: Int((date.timeIntervalSince1970 / 86_400).rounded(.down))).description
    }
}

/// A trading day as `wellhead day status` shows it.
public struct TradingDayStatus: Codable, Sendable, Hashable {
    public var tradingDate: String
    /// When the day opened and when it ends (nanoseconds since the epoch).
    public var opens: Int64
    public var ends: Int64
    public var nextTradingDate: String
    public var open: Bool
    /// The calendar's hours (``TradingCalendar/summary``).
    public var calendar: String

    public init(tradingDate: String, opens: Int64, ends: Int64, nextTradingDate: String, open: Bool, calendar: String) {
        self.tradingDate = tradingDate
        self.opens = opens
        self.ends = ends
        self.nextTradingDate = nextTradingDate
        self.open = open
        self.calendar = calendar
    }
}
