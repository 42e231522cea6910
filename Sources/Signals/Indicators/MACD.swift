/// Moving average convergence/divergence (TA-Lib `MACD`, its default EMA seeding).
///
/// `line = EMA_fast − EMA_slow`, `signal = EMA_signal(line)`, `histogram = line − signal`.
/// Look-back `(slow − 1) + (signal − 1)` (33 for 12/26/9): all three come together.
/// Seeding as TA-Lib's: both averages start at the same bar, the `slow`-th: the slow one with
/// the SMA of the first `slow` values and the fast one with the SMA of the last `fast` of them
/// (not of the first `fast` values); the signal EMA starts with the SMA of the line's first
/// `signal` values. As in TA-Lib, a fast period longer than the slow one swaps the two.
/// O(1) per update; `slow` doubles held only during the warm-up.
public struct MACD: Sendable {
    public struct Output: Sendable, Hashable {
        public var line: Double
        public var signal: Double
        public var histogram: Double

        public init(line: Double, signal: Double, histogram: Double) {
            self.line = line
            self.signal = signal
            self.histogram = histogram
        }
    }

    public let fastPeriod: Int
    public let slowPeriod: Int
    public let signalPeriod: Int
    public private(set) var value: Output?
    private var warmUp: [Double]
    private var fast: ExponentialMovingAverage?
    private var slow: ExponentialMovingAverage?
    private var signal: ExponentialMovingAverage

    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) {
        precondition(fast >= 1 && slow >= 1 && signal >= 1, "MACD periods must be at least 1")
        fastPeriod = min(fast, slow)
        slowPeriod = max(fast, slow)
        signalPeriod = signal
        self.signal = ExponentialMovingAverage(period: signal)
        warmUp = []
        warmUp.reserveCapacity(slowPeriod)
    }

    /// Updates before the first value (TA-Lib's look-back): `slow − 1 + signal − 1`.
    public var lookback: Int { slowPeriod - 1 + signalPeriod - 1 }

    @discardableResult
    public mutating func update(_ x: Double) -> Output? {
        let line: Double
        if var fast, var slow {
            line = fast.update(x)! - slow.update(x)!
            self.fast = fast
            self.slow = slow
        } else {
            warmUp.append(x)
            guard warmUp.count == slowPeriod else { return nil }
            // Summed oldest first, as TA-Lib sums its seeds.
            var slowSum = 0.0
            for value in warmUp { slowSum += value }
            var fastSum = 0.0
            for value in warmUp[(slowPeriod - fastPeriod)...] { fastSum += value }
            let fastSeed = fastSum / Double(fastPeriod)
            let slowSeed = slowSum / Double(slowPeriod)
            fast = ExponentialMovingAverage(period: fastPeriod, seed: fastSeed)
            slow = ExponentialMovingAverage(period: slowPeriod, seed: slowSeed)
            warmUp = []
            line = fastSeed - slowSeed
        }
        value = signal.update(line).map { Output(line: line, signal: $0, histogram: line - $0) }
        return value
    }
}
