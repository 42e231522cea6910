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
        guard let date = FIXDigits.contiguous(bytes, FIXDate.parse) else { return nil }
        self = date
    }

    /// The same on a byte view, as the validator reads values in place.
    public init?(fixBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let date = FIXDate.parse(bytes) else { return nil }
        self = date
    }

    /// `YYYYMMDD`, a real calendar date.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> FIXDate? {
        guard bytes.count == 8, let word = FIXDigits.word(bytes), FIXDigits.allDigits(word) else { return nil }
        let (year, monthDay) = FIXDigits.fourDigitHalves(word)
        let month = monthDay / 100, day = monthDay % 100
        guard FIXDate.isValid(year: year, month: month, day: day) else { return nil }
        return FIXDate(year: year, month: month, day: day)
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

    /// Year, month and day of a day number: for days from 0000-03-01 on, Neri and Schneider's
    /// calendar arithmetic in 32 bits (multiplications and shifts, no division); before that,
    /// ``init(daysSinceEpoch:)``.
    @inline(__always)
    static func civil(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        // Days since 0000-03-01, when the computational year starts with March.
        let shifted = days &+ 719_468
        guard shifted >= 0, shifted < 1 << 30 else {
            let date = FIXDate(daysSinceEpoch: days)
            return (date.year, date.month, date.day)
        }
        let n1 = 4 &* UInt32(truncatingIfNeeded: shifted) &+ 3
        let century = n1 / 146_097
        let dayOfCentury = n1 % 146_097 / 4
        let n2 = UInt64(4 &* dayOfCentury &+ 3) &* 2_939_745
        let yearOfCentury = UInt32(truncatingIfNeeded: n2 >> 32)
        let dayOfYear = UInt32(truncatingIfNeeded: n2) / 2_939_745 / 4
        let n3 = 2_141 &* dayOfYear &+ 197_913
        let month = n3 >> 16
        let day = (n3 & 0xFFFF) / 2_141 + 1
        // January and February belong to the next civil year.
        let january = dayOfYear >= 306
        let year = 100 &* century &+ yearOfCentury &+ (january ? 1 : 0)
        return (Int(year), Int(january ? month &- 12 : month), Int(day))
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
        FIXTextWriter.append(to: &buffer, capacity: Self.maxFIXLength) { write(to: $0) }
    }

    static let maxFIXLength = 8

    /// `YYYYMMDD` at `pointer`; returns 8.
    @usableFromInline @discardableResult
    func write(to pointer: UnsafeMutablePointer<UInt8>) -> Int {
        FIXTextWriter.writeFixed(year, width: 4, to: pointer)
        FIXTextWriter.writeFixed(month, width: 2, to: pointer + 4)
        FIXTextWriter.writeFixed(day, width: 2, to: pointer + 6)
        return 8
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
        guard let time = FIXDigits.contiguous(bytes, FIXTimeOfDay.parse) else { return nil }
        self = time
    }

    /// The same on a byte view, as the validator reads values in place.
    public init?(fixBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let time = FIXTimeOfDay.parse(bytes) else { return nil }
        self = time
    }

    /// `HH:MM:SS` with 0, 3, 6 or 9 fractional digits.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> FIXTimeOfDay? {
        // HH:MM:SS as one word: colons in lanes 2 and 5, digits in the others.
        guard bytes.count >= 8, let word = FIXDigits.word(bytes),
              (word >> 16) & 0xFF == UInt64(UInt8(ascii: ":")), (word >> 40) & 0xFF == UInt64(UInt8(ascii: ":"))
        else { return nil }
        let digits = word & ~0x0000_FF00_00FF_0000 | 0x0000_3000_0030_0000
        guard FIXDigits.allDigits(digits) else { return nil }
        let pairs = FIXDigits.twoDigitPairs(digits)
        let hour = Int(pairs & 0xFF), minute = Int((pairs >> 24) & 0xFF), second = Int((pairs >> 48) & 0xFF)
        guard hour < 24, minute < 60, second <= 60 else { return nil }
        var nanosecond = 0
        var precision = FIXTimePrecision.seconds
        if bytes.count > 8 {
            guard bytes[8] == UInt8(ascii: ".") else { return nil }
            let digits = bytes.count - 9
            let unit: Int
            switch digits {
            case 3: (precision, unit) = (.milliseconds, 1_000_000)
            case 6: (precision, unit) = (.microseconds, 1_000)
            case 9: (precision, unit) = (.nanoseconds, 1)
            default: return nil
            }
            guard let fraction = FIXDigits.number(bytes, at: 9, count: digits) else { return nil }
            nanosecond = fraction * unit
        }
        return FIXTimeOfDay(hour: hour, minute: minute, second: second, nanosecond: nanosecond, precision: precision)
    }

    /// Nanoseconds since midnight.
    public var nanosecondsOfDay: Int64 {
        (Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)) * 1_000_000_000 + Int64(nanosecond)
    }

    public static func < (lhs: FIXTimeOfDay, rhs: FIXTimeOfDay) -> Bool {
        lhs.nanosecondsOfDay < rhs.nanosecondsOfDay
    }

    public func write(into buffer: inout [UInt8]) {
        FIXTextWriter.append(to: &buffer, capacity: Self.maxFIXLength) { write(to: $0) }
    }

    static let maxFIXLength = 18

    /// `HH:MM:SS` and, unless to the second, a point and 3, 6 or 9 digits.
    @inlinable
    public var fixLength: Int { precision == .seconds ? 8 : 9 + precision.rawValue }

    /// `HH:MM:SS` and the fraction its precision asks for at `pointer`; returns the length.
    @usableFromInline @discardableResult
    func write(to pointer: UnsafeMutablePointer<UInt8>) -> Int {
        FIXTextWriter.writeFixed(hour, width: 2, to: pointer)
        pointer[2] = UInt8(ascii: ":")
        FIXTextWriter.writeFixed(minute, width: 2, to: pointer + 3)
        pointer[5] = UInt8(ascii: ":")
        FIXTextWriter.writeFixed(second, width: 2, to: pointer + 6)
        let digits: Int, unit: Int
        switch precision {
        case .seconds: return 8
        case .milliseconds: (digits, unit) = (3, 1_000_000)
        case .microseconds: (digits, unit) = (6, 1_000)
        case .nanoseconds: (digits, unit) = (9, 1)
        }
        pointer[8] = UInt8(ascii: ".")
        FIXTextWriter.writeFixed(nanosecond / unit, width: digits, to: pointer + 9)
        return 9 + digits
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
        guard let (date, time) = FIXDigits.contiguous(bytes, FIXTimestamp.parts),
              let nanoseconds = FIXTimestamp.nanoseconds(date, time) else { return nil }
        self.init(nanosecondsSinceEpoch: nanoseconds, precision: time.precision)
    }

    /// The same on a byte view, as the validator reads values in place.
    public init?(fixBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let (date, time) = FIXTimestamp.parts(bytes),
              let nanoseconds = FIXTimestamp.nanoseconds(date, time) else { return nil }
        self.init(nanosecondsSinceEpoch: nanoseconds, precision: time.precision)
    }

    /// Whether `bytes` is a UTCTimestamp as FIX writes it, in any year: the validator's test.
    /// ``init(fixBytes:)-(UnsafeBufferPointer<UInt8>)`` also needs the instant to fit 64-bit
    /// nanoseconds since 1970 (the years 1677 to 2262), and is `nil` outside them.
    public static func isWellFormed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        parts(bytes) != nil
    }

    /// Nanoseconds since 1970 of a date and time of day, or `nil` beyond what 64 bits hold.
    static func nanoseconds(_ date: FIXDate, _ time: FIXTimeOfDay) -> Int64? {
        let (days, overflow) = date.daysSinceEpoch.multipliedReportingOverflow(by: 86_400_000_000_000)
        let (total, carry) = days.addingReportingOverflow(time.nanosecondsOfDay)
        return overflow || carry ? nil : total
    }

    /// `YYYYMMDD-HH:MM:SS[.sss…]` split into its date and time of day.
    @inline(__always)
    static func parts(_ bytes: UnsafeBufferPointer<UInt8>) -> (FIXDate, FIXTimeOfDay)? {
        guard bytes.count >= 17, bytes[8] == UInt8(ascii: "-"),
              let date = FIXDate.parse(UnsafeBufferPointer(rebasing: bytes[0..<8])),
              let time = FIXTimeOfDay.parse(UnsafeBufferPointer(rebasing: bytes[9...]))
        else { return nil }
        return (date, time)
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
        FIXTextWriter.append(to: &buffer, capacity: Self.maxFIXLength) { write(to: $0) }
    }

    static let maxFIXLength = 27

    /// The date, a `-` and the time of day at this precision.
    @inlinable
    public var fixLength: Int { precision == .seconds ? 17 : 18 + precision.rawValue }

    /// `YYYYMMDD-HH:MM:SS[.fff…]` at `pointer`; returns the length. The calendar date and
    /// the time of day come straight from the nanoseconds, written two digits at a time.
    @usableFromInline @discardableResult
    func write(to pointer: UnsafeMutablePointer<UInt8>) -> Int {
        var noCache = FIXDateText()
        return write(to: pointer, dateText: &noCache)
    }

    /// The same, taking the `YYYYMMDD` from `dateText` when it holds this timestamp's day, and
    /// leaving it there for the next: a message's timestamps nearly always share a day.
    @usableFromInline @discardableResult
    func write(to pointer: UnsafeMutablePointer<UInt8>, dateText: inout FIXDateText) -> Int {
        let dayNanoseconds: Int64 = 86_400_000_000_000
        let days = nanosecondsSinceEpoch.floorDivided(by: dayNanoseconds)
        // 0 ..< 86,400 s in nanoseconds: unsigned arithmetic from here on.
        let ofDay = UInt64(nanosecondsSinceEpoch &- days &* dayNanoseconds)
        let raw = UnsafeMutableRawPointer(pointer)
        if days == dateText.day {
            raw.storeBytes(of: dateText.text, as: UInt64.self)
        } else {
            let (year, month, day) = FIXDate.civil(daysSinceEpoch: days)
            FIXTextWriter.writeTwoDigits(year / 100 % 100, to: pointer)
            FIXTextWriter.writeTwoDigits(year % 100, to: pointer + 2)
            FIXTextWriter.writeTwoDigits(month, to: pointer + 4)
            FIXTextWriter.writeTwoDigits(day, to: pointer + 6)
            dateText = FIXDateText(day: days, text: raw.loadUnaligned(as: UInt64.self))
        }
        pointer[8] = UInt8(ascii: "-")
        let seconds = UInt32(truncatingIfNeeded: ofDay / 1_000_000_000)
        let minutes = seconds / 60
        FIXTextWriter.writeTwoDigits(Int(minutes / 60), to: pointer + 9)
        pointer[11] = UInt8(ascii: ":")
        FIXTextWriter.writeTwoDigits(Int(minutes % 60), to: pointer + 12)
        pointer[14] = UInt8(ascii: ":")
        FIXTextWriter.writeTwoDigits(Int(seconds % 60), to: pointer + 15)
        let nanoseconds = ofDay % 1_000_000_000
        switch precision {
        case .seconds: return 17
        case .milliseconds:
            pointer[17] = UInt8(ascii: ".")
            FIXTextWriter.writeDigits(nanoseconds / 1_000_000, count: 3, to: pointer + 18)
            return 21
        case .microseconds:
            pointer[17] = UInt8(ascii: ".")
            FIXTextWriter.writeDigits(nanoseconds / 1_000, count: 6, to: pointer + 18)
            return 24
        case .nanoseconds:
            pointer[17] = UInt8(ascii: ".")
            FIXTextWriter.writeDigits(nanoseconds, count: 9, to: pointer + 18)
            return 27
        }
    }

    public var description: String { FIXDigits.string { write(into: &$0) } }
}

/// The `YYYYMMDD` text of one day (days since 1970), as eight bytes in memory order: an
/// encoder keeps the last one it wrote.
@usableFromInline
struct FIXDateText: Sendable {
    @usableFromInline var day: Int64
    @usableFromInline var text: UInt64

    /// Holds no day yet.
    @usableFromInline
    init() {
        day = .min
        text = 0
    }

    @usableFromInline
    init(day: Int64, text: UInt64) {
        self.day = day
        self.text = text
    }
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
        guard let monthYear = FIXDigits.contiguous(bytes, FIXMonthYear.parse) else { return nil }
        self = monthYear
    }

    /// The same on a byte view, as the validator reads values in place.
    public init?(fixBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard let monthYear = FIXMonthYear.parse(bytes) else { return nil }
        self = monthYear
    }

    /// `YYYYMM`, `YYYYMMDD` or `YYYYMMwN`.
    @inline(__always)
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> FIXMonthYear? {
        guard bytes.count == 6 || bytes.count == 8,
              let year = FIXDigits.number(bytes, at: 0, count: 4),
              let month = FIXDigits.number(bytes, at: 4, count: 2), (1...12).contains(month)
        else { return nil }
        var result = FIXMonthYear(year: year, month: month)
        guard bytes.count == 8 else { return result }
        if bytes[6] == UInt8(ascii: "w") {
            guard let week = FIXDigits.number(bytes, at: 7, count: 1), (1...5).contains(week) else { return nil }
            result.week = week
        } else {
            guard let day = FIXDigits.number(bytes, at: 6, count: 2),
                  FIXDate.isValid(year: year, month: month, day: day) else { return nil }
            result.day = day
        }
        return result
    }

    public func write(into buffer: inout [UInt8]) {
        FIXTextWriter.append(to: &buffer, capacity: Self.maxFIXLength) { write(to: $0) }
    }

    static let maxFIXLength = 10

    /// `YYYYMM`, and two for a day, two for `w` and a week.
    @inlinable
    public var fixLength: Int { 6 + (day == nil ? 0 : 2) + (week == nil ? 0 : 2) }

    /// `YYYYMM`, then the day or `w` and the week if set; returns the length.
    @usableFromInline @discardableResult
    func write(to pointer: UnsafeMutablePointer<UInt8>) -> Int {
        FIXTextWriter.writeFixed(year, width: 4, to: pointer)
        FIXTextWriter.writeFixed(month, width: 2, to: pointer + 4)
        var length = 6
        if let day {
            FIXTextWriter.writeFixed(day, width: 2, to: pointer + length)
            length += 2
        }
        if let week {
            pointer[length] = UInt8(ascii: "w")
            FIXTextWriter.writeFixed(week, width: 1, to: pointer + length + 1)
            length += 2
        }
        return length
    }

    public var description: String { FIXDigits.string { write(into: &$0) } }
}

/// Fixed-width ASCII digit reading shared by the time types.
enum FIXDigits {
    @inline(__always)
    static func number(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    /// The first eight bytes as a word, the first byte in the lowest lane; `nil` if fewer.
    @inline(__always)
    static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count >= 8, let base = bytes.baseAddress else { return nil }
        return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self))
    }

    /// Whether all eight lanes hold ASCII digits: high nibble 3, and adding 6 does not carry
    /// out of the low nibble. (A carry between lanes only follows a lane already rejected.)
    @inline(__always)
    static func allDigits(_ word: UInt64) -> Bool {
        word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
            && (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030
    }

    /// Lane `k` (0–6) becomes the two-digit number of lanes `k` and `k + 1`.
    @inline(__always)
    static func twoDigitPairs(_ digits: UInt64) -> UInt64 {
        let values = digits & 0x0F0F_0F0F_0F0F_0F0F
        return values &* 10 &+ (values >> 8)
    }

    /// Eight digits as the numbers of their first and last four.
    @inline(__always)
    static func fourDigitHalves(_ digits: UInt64) -> (Int, Int) {
        let pairs = twoDigitPairs(digits) & 0x00FF_00FF_00FF_00FF
        let quads = (pairs &* 100 &+ (pairs >> 16)) & 0x0000_FFFF_0000_FFFF
        return (Int(quads & 0xFFFF_FFFF), Int(quads >> 32))
    }

    /// Runs a byte-view parser over any collection: in place when its storage is contiguous
    /// (arrays, slices), else over a copy.
    @inline(__always)
    static func contiguous<Bytes: Collection<UInt8>, T>(_ bytes: Bytes, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        if let result = bytes.withContiguousStorageIfAvailable(parse) { return result }
        return Array(bytes).withUnsafeBufferPointer(parse)
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
