/// Close-to-close realised volatility: the sample standard deviation (divisor `period − 1`,
/// the mean return removed) of the last `period` log returns `r_t = ln(close_t / close_{t−1})`,
/// per bar unless `barsPerYear` is given, which scales it by `sqrt(barsPerYear)` (252 for
/// daily bars, for instance).
///
/// Look-back `period` (the first return needs two closes). `period ≥ 2`.
/// O(1) without drift (see `WindowMoments`), `period` doubles of memory.
public struct RealisedVolatility: Sendable {
    public let period: Int
    public let barsPerYear: Double?
    public private(set) var value: Double?
    private let scale: Double
    private var previousClose: Double?
    private var returns: WindowMoments

    public init(period: Int = 20, barsPerYear: Double? = nil) {
        precondition(period >= 2, "realised volatility needs at least two returns")
        self.period = period
        self.barsPerYear = barsPerYear
        scale = barsPerYear.map { $0.squareRoot() } ?? 1
        returns = WindowMoments(capacity: period)
    }

    /// Updates before the first value: `period`.
    public var lookback: Int { period }

    @discardableResult
    public mutating func update(_ close: Double) -> Double? {
        defer { previousClose = close }
        guard let previous = previousClose else { return nil }
        returns.push(naturalLogarithm(close / previous))
        value = returns.isFull ? returns.sampleVariance.squareRoot() * scale : nil
        return value
    }
}

/// Parkinson's high-low volatility: `sqrt(Σ ln(high/low)² / (4 ln 2 · period))` over the
/// last `period` bars, per bar unless `barsPerYear` scales it by `sqrt(barsPerYear)`.
///
/// Look-back `period − 1`. O(1) without drift (see `WindowMoments`), `period` doubles.
public struct ParkinsonVolatility: Sendable {
    public let period: Int
    public let barsPerYear: Double?
    public private(set) var value: Double?
    private let scale: Double
    private var squaredRanges: WindowMoments

    /// 4 ln 2.
    private static let denominator = 4 * naturalLogarithm(2)

    public init(period: Int = 20, barsPerYear: Double? = nil) {
        precondition(period >= 1, "Parkinson period must be at least 1")
        self.period = period
        self.barsPerYear = barsPerYear
        scale = barsPerYear.map { $0.squareRoot() } ?? 1
        squaredRanges = WindowMoments(capacity: period)
    }

    /// Updates before the first value: `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ bar: SignalBar) -> Double? {
        update(high: bar.high, low: bar.low)
    }

    @discardableResult
    public mutating func update(high: Double, low: Double) -> Double? {
        let range = naturalLogarithm(high / low)
        squaredRanges.push(range * range)
        value = squaredRanges.isFull ? (squaredRanges.mean / Self.denominator).squareRoot() * scale : nil
        return value
    }
}
