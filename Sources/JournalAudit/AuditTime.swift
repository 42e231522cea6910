import FIXCodec

/// Times as the journal holds them (integer nanoseconds since the Unix epoch, UTC) and as
/// people write them (ISO-8601 UTC).
public enum AuditTime {
    static let nanosecondsPerSecond: Int64 = 1_000_000_000
    static let secondsPerDay: Int64 = 86_400

    /// `2026-12-07T14:30:00.123456789Z`: nine digits of fraction always.
    public static func iso8601(_ nanoseconds: Int64) -> String {
        let nanosecondsPerDay = secondsPerDay * nanosecondsPerSecond
        let (days, ofDay) = nanoseconds.quotientAndRemainder(dividingBy: nanosecondsPerDay)
        let day = ofDay < 0 ? days - 1 : days
        let rest = ofDay < 0 ? ofDay + nanosecondsPerDay : ofDay
        let date = FIXDate(daysSinceEpoch: day)
        let seconds = rest / nanosecondsPerSecond
        return pad(date.year, 4) + "-" + pad(date.month, 2) + "-" + pad(date.day, 2) + "T"
            + pad(Int(seconds / 3600), 2) + ":" + pad(Int(seconds / 60 % 60), 2) + ":" + pad(Int(seconds % 60), 2)
            + "." + pad(Int(rest % nanosecondsPerSecond), 9) + "Z"
    }

    /// Reads `2026-12-07`, `2026-12-07T14:30`, `2026-12-07T14:30:00`, with a fraction of up to
    /// nine digits, ending in `Z`, `+00:00` or nothing (UTC all three).
    public static func nanoseconds(iso8601 text: String) throws(AuditError) -> Int64 {
        var body = Substring(text)
        for suffix in ["Z", "z", "+00:00", "+0000"] where body.hasSuffix(suffix) {
            body = body.dropLast(suffix.count)
            break
        }
        let parts = body.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let dateParts = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard dateParts.count == 3, dateParts[0].count == 4, dateParts[1].count == 2, dateParts[2].count == 2,
              let year = Int(dateParts[0]), let month = Int(dateParts[1]), let day = Int(dateParts[2]),
              (1...12).contains(month), (1...31).contains(day) else { throw .badTime(text) }
        let date = FIXDate(year: year, month: month, day: day)
        guard FIXDate(daysSinceEpoch: date.daysSinceEpoch) == date else { throw .badTime(text) }
        var nanoseconds: Int64 = 0
        if parts.count == 2 {
            let clock = parts[1].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let fields = clock[0].split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(fields.count), fields.allSatisfy({ $0.count == 2 }),
                  let hour = Int(fields[0]), let minute = Int(fields[1]), hour < 24, minute < 60 else { throw .badTime(text) }
            let second = fields.count == 3 ? Int(fields[2]) : 0
            guard let second, second < 60 else { throw .badTime(text) }
            var fraction: Int64 = 0
            if clock.count == 2 {
                let digits = clock[1]
                guard (1...9).contains(digits.count), digits.allSatisfy(\.isASCII), let value = Int64(digits) else { throw .badTime(text) }
                fraction = value
                for _ in digits.count..<9 { fraction *= 10 }
            }
            nanoseconds = Int64(hour * 3600 + minute * 60 + second) * nanosecondsPerSecond + fraction
        }
        return date.daysSinceEpoch * secondsPerDay * nanosecondsPerSecond + nanoseconds
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
