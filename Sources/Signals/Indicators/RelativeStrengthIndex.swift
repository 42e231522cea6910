/// Relative strength index, Wilder's smoothing (TA-Lib `RSI`).
///
/// Look-back `period` (it reads changes, so one more value than changes). The first value
/// averages the first `period` gains and losses (a change below zero is a loss, otherwise a
/// gain); after it each average is Wilder-smoothed: `avg_t = (avg_{t−1} · (n − 1) + g_t) / n`.
/// `RSI = 100 · avgGain / (avgGain + avgLoss)`; a window with neither gains nor losses (a flat
/// market) gives 0, as TA-Lib does.
/// O(1): the recursion forgets its rounding, so it cannot drift.
public struct RelativeStrengthIndex: Sendable {
    public let period: Int
    public private(set) var value: Double?
    private var previous: Double?
    private var changes = 0
    private var averageGain = 0.0
    private var averageLoss = 0.0

    public init(period: Int = 14) {
        precondition(period >= 1, "RSI period must be at least 1")
        self.period = period
    }

    /// Updates before the first value (TA-Lib's look-back): `period`.
    public var lookback: Int { period }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        guard let last = previous else {
            previous = x
            return nil
        }
        previous = x
        let change = x - last
        let n = Double(period)
        changes += 1
        if changes <= period {
            if change < 0 { averageLoss -= change } else { averageGain += change }
            guard changes == period else { return nil }
            averageLoss /= n
            averageGain /= n
        } else {
            averageLoss *= n - 1
            averageGain *= n - 1
            if change < 0 { averageLoss -= change } else { averageGain += change }
            averageLoss /= n
            averageGain /= n
        }
        let total = averageGain + averageLoss
        value = total == 0 ? 0 : 100 * (averageGain / total)
        return value
    }
}
