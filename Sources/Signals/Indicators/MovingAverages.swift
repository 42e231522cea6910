/// Simple moving average (TA-Lib `SMA`): the mean of the last `period` values.
///
/// Look-back `period − 1`: the first value comes with the `period`-th update.
/// Formula: `SMA_t = (x_{t−period+1} + … + x_t) / period`, its window sum kept without drift
/// (see `WindowMoments`): O(1) per update, `period` doubles of memory.
public struct SimpleMovingAverage: Sendable {
    public let period: Int
    public private(set) var value: Double?
    private var moments: WindowMoments

    public init(period: Int) {
        precondition(period >= 1, "SMA period must be at least 1")
        self.period = period
        moments = WindowMoments(capacity: period)
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        moments.push(x)
        value = moments.isFull ? moments.mean : nil
        return value
    }
}

/// Exponential moving average (TA-Lib `EMA`, its default seeding).
///
/// Look-back `period − 1`. The first value is the SMA of the first `period` values; after it
/// `EMA_t = (x_t − EMA_{t−1}) · k + EMA_{t−1}` with `k = 2 / (period + 1)`. O(1), no window:
/// the recursion forgets its rounding geometrically, so it cannot drift.
public struct ExponentialMovingAverage: Sendable {
    public let period: Int
    /// The smoothing factor `2 / (period + 1)`.
    public let k: Double
    public private(set) var value: Double?
    private var seedSum = 0.0
    private var seen = 0

    public init(period: Int) {
        precondition(period >= 1, "EMA period must be at least 1")
        self.period = period
        k = 2.0 / Double(period + 1)
    }

    /// An EMA whose first value is `seed` (already the average of `period` values); MACD
    /// seeds its two averages at the same bar, as TA-Lib does.
    init(period: Int, seed: Double) {
        self.init(period: period)
        seen = period
        value = seed
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        if let previous = value {
            value = (x - previous) * k + previous
        } else {
            seedSum += x
            seen += 1
            if seen == period { value = seedSum / Double(period) }
        }
        return value
    }
}

/// Weighted moving average (TA-Lib `WMA`): linear weights 1 (oldest) … `period` (newest).
///
/// Look-back `period − 1`. Formula: `WMA_t = Σ_{i=1…n} i · x_{t−n+i} / (n(n+1)/2)`, n = period.
/// O(1) per update by TA-Lib's recurrence — a new value drops every weight by one, so the
/// weighted sum loses the plain sum and gains `n · x_t` — kept as `WindowMoments` keeps its
/// sums: deviations from a fixed shift in compensated sums (`CompensatedSum`, the plain sum
/// subtracted with its low part and `n · x_t` exactly), so it does not drift.
public struct WeightedMovingAverage: Sendable {
    public let period: Int
    public private(set) var value: Double?
    private var window: Ring
    private let divisor: Double
    private var shift = 0.0
    /// Σ (x − shift) over the window.
    private var plainSum = CompensatedSum()
    /// Σ i · (x − shift) over the window, i = 1 for the oldest.
    private var weightedSum = CompensatedSum()

    public init(period: Int) {
        precondition(period >= 1, "WMA period must be at least 1")
        self.period = period
        window = Ring(capacity: period)
        divisor = Double(period * (period + 1) / 2)
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        if window.count == 0 { shift = x }
        let deviation = x - shift
        if let leaving = window.append(x) {
            // The window was full: every weight drops by one (the leaving value's to zero).
            weightedSum.add(-plainSum.high)
            weightedSum.add(-plainSum.low)
            plainSum.add(-(leaving - shift))
            if window.isAtStart {
                weightedSum.renormalise()
                plainSum.renormalise()
            }
        }
        // Warming up, the new value's weight is its place in the window; full, it is `period`.
        weightedSum.addProduct(Double(window.count), deviation)
        plainSum.add(deviation)
        guard window.isFull else { return nil }
        let (quotient, rest) = weightedSum.quotient(by: divisor)
        value = shift + (quotient + rest / divisor)
        return value
    }
}
