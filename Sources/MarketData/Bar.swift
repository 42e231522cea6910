import FIXCodec

/// A bar length. Bars are aligned to UTC: a 5-minute bar starts at a multiple of five minutes
/// since the epoch, a daily bar at 00:00 UTC.
public enum BarInterval: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case oneMinute
    case fiveMinutes
    case oneHour
    case oneDay

    public var nanoseconds: Int64 {
        switch self {
        case .oneMinute: 60_000_000_000
        case .fiveMinutes: 300_000_000_000
        case .oneHour: 3_600_000_000_000
        case .oneDay: 86_400_000_000_000
        }
    }

    /// The start of the bar containing `time` (nanoseconds since the epoch), rounding down
    /// for times before the epoch too.
    public func start(containing time: Int64) -> Int64 {
        let length = nanoseconds
        let remainder = time % length
        return time - (remainder < 0 ? remainder + length : remainder)
    }

    public var description: String {
        switch self {
        case .oneMinute: "1m"
        case .fiveMinutes: "5m"
        case .oneHour: "1h"
        case .oneDay: "1d"
        }
    }
}

/// Open, high, low and close of the trades in `[start, start + interval)`, with their volume.
///
/// Only intervals with trades have bars: a quiet minute produces none, rather than a bar
/// repeating the last close.
public struct Bar: Sendable, Hashable {
    public var book: BookID
    public var interval: BarInterval
    /// Nanoseconds since the epoch, UTC: the bar's key.
    public var start: Int64
    public var open: FIXDecimal
    public var high: FIXDecimal
    public var low: FIXDecimal
    public var close: FIXDecimal
    /// Contracts traded.
    public var volume: Int64
    public var tradeCount: Int

    public init(book: BookID, interval: BarInterval, start: Int64, open: FIXDecimal, high: FIXDecimal, low: FIXDecimal,
                close: FIXDecimal, volume: Int64, tradeCount: Int) {
        self.book = book
        self.interval = interval
        self.start = start
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.tradeCount = tradeCount
    }

    /// The first instant after the bar.
    public var end: Int64 { start + interval.nanoseconds }

    /// The start as a FIX UTCTimestamp.
    public var startTimestamp: FIXTimestamp { FIXTimestamp(nanosecondsSinceEpoch: start) }
}

/// A bar still collecting trades, in ticks.
struct OpenBar: Sendable {
    /// `Int64.min` when no bar is open.
    var start: Int64 = .min
    var end: Int64 = .min
    var open: Int64 = 0
    var high: Int64 = 0
    var low: Int64 = 0
    var close: Int64 = 0
    var volume: Int64 = 0
    var tradeCount = 0

    var isOpen: Bool { start != .min }

    mutating func begin(start: Int64, length: Int64, price: Int64, size: Int64) {
        self.start = start
        end = start + length
        open = price
        high = price
        low = price
        close = price
        volume = size
        tradeCount = 1
    }

    mutating func add(price: Int64, size: Int64) {
        if price > high { high = price }
        if price < low { low = price }
        close = price
        volume &+= size
        tradeCount += 1
    }
}
