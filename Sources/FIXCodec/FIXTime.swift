/// How many fractional second digits a FIX time value carries on the wire.
public enum FIXTimePrecision: Int, Sendable, Hashable, CaseIterable {
    case seconds = 0
    case milliseconds = 3
    case microseconds = 6
    case nanoseconds = 9
}

/// A calendar date: UTCDateOnly (`YYYYMMDD`) and LocalMktDate share this form.
public struct FIXDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    // Pre-specialized for the byte types the parser and builders use: callers in other
    // modules otherwise run the unspecialized generic, several times slower.
    @_specialize(exported: true, where Bytes == ArraySlice<UInt8>)
    @_specialize(exported: true, where Bytes == [UInt8])
    public init?<Bytes: Collection<UInt8>>(fixBytes bytes: Bytes) where Bytes.Index == Int {
        guard bytes.count == 8,
              let year = FIXDigits.number(bytes, at: bytes.startIndex, count: 4),
              let month = FIXDigits.number(bytes, at: bytes.startIndex + 4, count: 2),
              let day = FIXDigits.number(bytes, at: bytes.startIndex + 6, count: 2),
              FIXDate.isValid(year: year, month: month, day: day)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return day <= daysIn(month: month, year: year)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's `days_from_civil`.
    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(daysSinceEpoch days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), month: Int(month), day: Int(day))
    }

    public static func < (lhs: FIXDate, rhs: FIXDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public func write(into buffer: inout [UInt8]) {
        FIXDigits.append(year, width: 4, to: &buffer)
        FIXDigits.append(month, width: 2, to: &buffer)
        FIXDigits.append(day, width: 2, to: &buffer)
    }

    public var description: String { FIXDigits.string { write(into: &$0) } }
}

/// A time of day: UTCTimeOnly (`HH:MM:SS[.sss|.ssssss|.sssssssss]`).
public struct FIXTimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int
    /// 0...60: FIX allows a leap second.
    public var second: Int
    public var nanosecond: Int
    public var precision: FIXTimePrecision

    public init(hour: Int, minute: Int, second: Int, nanosecond: Int = 0, precision: FIXTimePrecision = .seconds) {
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.precision = precision
    }

    // Pre-specialized for the byte types the parser and builders use: callers in other
    // modules otherwise run the unspecialized generic, several times slower.
    @_specialize(exported: true, where Bytes == ArraySlice<UInt8>)
    @_specialize(exported: true, where Bytes == [UInt8])
    public init?<Bytes: Collection<UInt8>>(fixBytes bytes: Bytes) where Bytes.Index == Int {
        let start = bytes.startIndex
        guard bytes.count >= 8,
              bytes[start + 2] == UInt8(ascii: ":"), bytes[start + 5] == UInt8(ascii: ":"),
              let hour = FIXDigits.number(bytes, at: start, count: 2), hour < 24,
              let minute = FIXDigits.number(bytes, at: start + 3, count: 2), minute < 60,
              let second = FIXDigits.number(bytes, at: start + 6, count: 2), second <= 60
        else { return nil }
        var nanosecond = 0
        var precision = FIXTimePrecision.seconds
        if bytes.count > 8 {
            let digits = bytes.count - 9
            guard bytes[start + 8] == UInt8(ascii: "."),
                  let chosen = FIXTimePrecision(rawValue: digits), chosen != .seconds,
                  let fraction = FIXDigits.number(bytes, at: start + 9, count: digits)
            else { return nil }
            precision = chosen
            nanosecond = fraction * Int(FIXDecimal.powerOfTen(UInt8(9 - digits)))
        }
        self.init(hour: hour, minute: minute, second: second, nanosecond: nanosecond, precision: precision)
    }

    /// Nanoseconds since midnight.
    public var nanosecondsOfDay: Int64 {
        (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * 1_000_000_000 + Int64(nanosecond)
    }

    public static func < (lhs: FIXTimeOfDay, rhs: FIXTimeOfDay) -> Bool {
        lhs.nanosecondsOfDay < rhs.nanosecondsOfDay
    }

    public func write(into buffer: inout [UInt8]) {
        FIXDigits.append(hour, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        FIXDigits.append(minute, width: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        FIXDigits.append(second, width: 2, to: &buffer)
        if precision != .seconds {
            buffer.append(UInt8(ascii: "."))
            let divisor = Int(FIXDecimal.powerOfTen(UInt8(9 - precision.rawValue)))
            FIXDigits.append(nanosecond / divisor, width: precision.rawValue, to: &buffer)
        }
    }

    public var description: String { FIXDigits.string { write(into: &$0) } }
}

/// A UTCTimestamp (`YYYYMMDD-HH:MM:SS[.sss|.ssssss|.sssssssss]`), kept to the nanosecond.
public struct FIXTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z, ignoring leap seconds.
    public var nanosecondsSinceEpoch: Int64
    public var precision: FIXTimePrecision

    public init(nanosecondsSinceEpoch: Int64, precision: FIXTimePrecision = .milliseconds) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
        self.precision = precision
    }

    public init(date: FIXDate, time: FIXTimeOfDay) {
        self.init(
            nanosecondsSinceEpoch: date.daysSinceEpoch * 86_400_000_000_000 + time.nanosecondsOfDay,
            precision: time.precision
        )
    }

    // Pre-specialized for the byte types the parser and builders use: callers in other
    // modules otherwise run the unspecialized generic, several times slower.
    @_specialize(exported: true, where Bytes == ArraySlice<UInt8>)
    @_specialize(exported: true, where Bytes == [UInt8])
    public init?<Bytes: Collection<UInt8>>(fixBytes bytes: Bytes) where Bytes.Index == Int {
        let start = bytes.startIndex
        guard bytes.count >= 17, bytes[start + 8] == UInt8(ascii: "-"),
              let date = FIXDate(fixBytes: bytes[start..<(start + 8)]),
              let time = FIXTimeOfDay(fixBytes: bytes[(start + 9)...])
        else { return nil }
        self.init(date: date, time: time)
    }

    public init?(_ text: String) {
        guard let parsed = FIXTimestamp(fixBytes: Array(text.utf8)) else { return nil }
        self = parsed
    }

    public var date: FIXDate {
        FIXDate(daysSinceEpoch: nanosecondsSinceEpoch.floorDivided(by: 86_400_000_000_000))
    }

    public var timeOfDay: FIXTimeOfDay {
        let ofDay = nanosecondsSinceEpoch.floorModulo(86_400_000_000_000)
        let seconds = Int(ofDay / 1_000_000_000)
        return FIXTimeOfDay(
            hour: seconds / 3600, minute: seconds / 60 % 60, second: seconds % 60,
            nanosecond: Int(ofDay % 1_000_000_000), precision: precision
        )
    }

    public static func < (lhs: FIXTimestamp, rhs: FIXTimestamp) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    public static func == (lhs: FIXTimestamp, rhs: FIXTimestamp) -> Bool {
        lhs.nanosecondsSinceEpoch == rhs.nanosecondsSinceEpoch
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(nanosecondsSinceEpoch) }

    public func write(into buffer: inout [UInt8]) {
        date.write(into: &buffer)
        buffer.append(UInt8(ascii: "-"))
        timeOfDay.write(into: &buffer)
    }

    public var description: String { FIXDigits.string { write(into: &$0) } }
}

/// A MonthYear: `YYYYMM`, `YYYYMMDD` or `YYYYMMwN` (week 1–5), as contract months are written.
public struct FIXMonthYear: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int?
    public var week: Int?

    public init(year: Int, month: Int, day: Int? = nil, week: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.week = week
    }

    // Pre-specialized for the byte types the parser and builders use: callers in other
    // modules otherwise run the unspecialized generic, several times slower.
    @_specialize(exported: true, where Bytes == ArraySlice<UInt8>)
    @_specialize(exported: true, where Bytes == [UInt8])
    public init?<Bytes: Collection<UInt8>>(fixBytes bytes: Bytes) where Bytes.Index == Int {
        let start = bytes.startIndex
        guard bytes.count == 6 || bytes.count == 8,
              let year = FIXDigits.number(bytes, at: start, count: 4),
              let month = FIXDigits.number(bytes, at: start + 4, count: 2), (1...12).contains(month)
        else { return nil }
        self.init(year: year, month: month)
        guard bytes.count == 8 else { return }
        if bytes[start + 6] == UInt8(ascii: "w") {
            guard let week = FIXDigits.number(bytes, at: start + 7, count: 1), (1...5).contains(week) else { return nil }
            self.week = week
        } else {
            guard let day = FIXDigits.number(bytes, at: start + 6, count: 2),
                  FIXDate.isValid(year: year, month: month, day: day) else { return nil }
            self.day = day
        }
    }

    public func write(into buffer: inout [UInt8]) {
        FIXDigits.append(year, width: 4, to: &buffer)
        FIXDigits.append(month, width: 2, to: &buffer)
        if let day { FIXDigits.append(day, width: 2, to: &buffer) }
        if let week {
            buffer.append(UInt8(ascii: "w"))
            FIXDigits.append(week, width: 1, to: &buffer)
        }
    }

    public var description: String { FIXDigits.string { write(into: &$0) } }
}

/// Fixed-width ASCII digit reading and writing shared by the time types and the encoder.
enum FIXDigits {
    @inline(__always)
    static func number<Bytes: Collection<UInt8>>(_ bytes: Bytes, at start: Int, count: Int) -> Int? where Bytes.Index == Int {
        var value = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

    @inline(__always)
    static func append(_ value: Int, width: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<max(width, 1) { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }

    static func string(_ write: (inout [UInt8]) -> Void) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        write(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    func floorModulo(_ divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}
