/// Average true range, Wilder's smoothing (TA-Lib `ATR`).
///
/// True range `TR_t = max(high_t − low_t, |high_t − close_{t−1}|, |low_t − close_{t−1}|)`,
/// which needs the previous close, so the first bar has none. Look-back `period`: the first
/// value is the mean of the first `period` true ranges (bars 2 … period + 1); after it
/// `ATR_t = (ATR_{t−1} · (period − 1) + TR_t) / period`. O(1); the recursion cannot drift.
public struct AverageTrueRange: Sendable {
    public let period: Int
    public private(set) var value: Double?
    private var previousClose: Double?
    private var ranges = 0
    private var rangeSum = 0.0

    public init(period: Int = 14) {
        precondition(period >= 1, "ATR period must be at least 1")
        self.period = period
    }

    /// Updates before the first value (TA-Lib's look-back): `period`.
    public var lookback: Int { period }

    @discardableResult
    public mutating func update(_ bar: SignalBar) -> Double? {
        update(high: bar.high, low: bar.low, close: bar.close)
    }

    @discardableResult
    public mutating func update(high: Double, low: Double, close: Double) -> Double? {
        guard let previous = previousClose else {
            previousClose = close
            return nil
        }
        previousClose = close
        let trueRange = max(high - low, abs(previous - high), abs(previous - low))
        let n = Double(period)
        if let average = value {
            value = (average * (n - 1) + trueRange) / n
        } else {
            rangeSum += trueRange
            ranges += 1
            if ranges == period { value = rangeSum / n }
        }
        return value
    }
}

/// The highest (TA-Lib `MAX`) or lowest (TA-Lib `MIN`) of the last `period` values.
///
/// Look-back `period − 1`. Amortised O(1) by a monotonic deque: each value is pushed once and
/// popped at most once, and the deque never holds more than `period` entries (its storage is
/// allocated once).
public struct RollingExtreme: Sendable {
    public enum Kind: Sendable {
        case highest
        case lowest
    }

    public let period: Int
    public let kind: Kind
    private var values: [Double]
    private var positions: [Int]
    private var head = 0
    private var count = 0
    /// How many values have been pushed.
    private var pushed = 0

    public init(_ kind: Kind, period: Int) {
        precondition(period >= 1, "a window holds at least one value")
        self.period = period
        self.kind = kind
        values = [Double](repeating: 0, count: period)
        positions = [Int](repeating: 0, count: period)
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    /// The extreme of the window, once `period` values have come.
    public var value: Double? { pushed >= period ? values[head] : nil }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        // The front leaves once it is `period` updates old, before the new value takes a slot.
        if count > 0, positions[head] <= pushed - period {
            head += 1
            if head == period { head = 0 }
            count -= 1
        }
        // Values the new one equals or beats can never be the extreme again.
        while count > 0 {
            var back = head + count - 1
            if back >= period { back -= period }
            let beaten = kind == .highest ? values[back] <= x : values[back] >= x
            guard beaten else { break }
            count -= 1
        }
        var slot = head + count
        if slot >= period { slot -= period }
        values[slot] = x
        positions[slot] = pushed
        count += 1
        pushed += 1
        return value
    }
}

/// Upper, middle and lower lines around a price: Bollinger Bands' and the Donchian channel's.
public struct PriceChannel: Sendable, Hashable {
    public var upper: Double
    public var middle: Double
    public var lower: Double

    public init(upper: Double, middle: Double, lower: Double) {
        self.upper = upper
        self.middle = middle
        self.lower = lower
    }
}

/// Donchian channel: `upper` the highest high and `lower` the lowest low of the last `period`
/// bars (TA-Lib `MAX` of the highs and `MIN` of the lows), `middle` halfway between.
///
/// Look-back `period − 1`. Amortised O(1) by two monotonic deques of at most `period` entries.
public struct DonchianChannel: Sendable {
    public let period: Int
    public private(set) var value: PriceChannel?
    private var highs: RollingExtreme
    private var lows: RollingExtreme

    public init(period: Int = 20) {
        self.period = period
        highs = RollingExtreme(.highest, period: period)
        lows = RollingExtreme(.lowest, period: period)
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ bar: SignalBar) -> PriceChannel? {
        update(high: bar.high, low: bar.low)
    }

    @discardableResult
    public mutating func update(high: Double, low: Double) -> PriceChannel? {
        let highest = highs.update(high)
        let lowest = lows.update(low)
        guard let upper = highest, let lower = lowest else { return nil }
        value = PriceChannel(upper: upper, middle: (upper + lower) / 2, lower: lower)
        return value
    }
}
