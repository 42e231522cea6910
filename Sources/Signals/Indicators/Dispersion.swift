/// Standard deviation over a window (TA-Lib `STDDEV`): the population deviation, times
/// `deviations`.
///
/// Look-back `period − 1`. Formula: `σ_t = sqrt(Σ (x − SMA_t)² / period) · deviations`.
/// Its sums never drift (see `WindowMoments`): O(1), `period` doubles of memory. A flat window
/// gives exactly 0.
public struct StandardDeviation: Sendable {
    public let period: Int
    public let deviations: Double
    public private(set) var value: Double?
    private var moments: WindowMoments

    public init(period: Int, deviations: Double = 1) {
        precondition(period >= 1, "standard deviation period must be at least 1")
        self.period = period
        self.deviations = deviations
        moments = WindowMoments(capacity: period)
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        moments.push(x)
        value = moments.isFull ? moments.populationVariance.squareRoot() * deviations : nil
        return value
    }
}

/// Bollinger Bands (TA-Lib `BBANDS` with its SMA middle band).
///
/// Look-back `period − 1`. `middle = SMA_period`, `σ` the population standard deviation of the
/// same window, `upper = middle + deviationsUp · σ`, `lower = middle − deviationsDown · σ`.
/// O(1) without drift (see `WindowMoments`), `period` doubles of memory.
public struct BollingerBands: Sendable {
    public let period: Int
    public let deviationsUp: Double
    public let deviationsDown: Double
    public private(set) var value: PriceChannel?
    private var moments: WindowMoments

    public init(period: Int = 20, deviationsUp: Double = 2, deviationsDown: Double = 2) {
        precondition(period >= 1, "Bollinger period must be at least 1")
        self.period = period
        self.deviationsUp = deviationsUp
        self.deviationsDown = deviationsDown
        moments = WindowMoments(capacity: period)
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ x: Double) -> PriceChannel? {
        moments.push(x)
        guard moments.isFull else { return nil }
        let middle = moments.mean
        let sigma = moments.populationVariance.squareRoot()
        value = PriceChannel(upper: middle + deviationsUp * sigma, middle: middle, lower: middle - deviationsDown * sigma)
        return value
    }
}

/// The z-score of the latest value against its window: `(x_t − SMA_t) / σ_t`, `σ` the
/// population standard deviation of the same `period` values (TA-Lib's `SMA` and `STDDEV`).
///
/// Look-back `period − 1`. A flat window (σ = 0, so x_t equals the mean) gives 0.
/// O(1) without drift (see `WindowMoments`), `period` doubles of memory.
public struct ZScore: Sendable {
    public let period: Int
    public private(set) var value: Double?
    private var moments: WindowMoments

    public init(period: Int) {
        precondition(period >= 1, "z-score period must be at least 1")
        self.period = period
        moments = WindowMoments(capacity: period)
    }

    /// Updates before the first value (TA-Lib's look-back): `period − 1`.
    public var lookback: Int { period - 1 }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        moments.push(x)
        guard moments.isFull else { return nil }
        let sigma = moments.populationVariance.squareRoot()
        value = sigma == 0 ? 0 : moments.deviation(of: x) / sigma
        return value
    }
}
