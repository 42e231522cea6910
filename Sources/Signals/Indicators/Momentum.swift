/// Rate of change in percent (TA-Lib `ROC`): `((x_t / x_{t−period}) − 1) · 100`.
///
/// Look-back `period`. A zero `x_{t−period}` gives 0, as TA-Lib does. O(1), `period` doubles.
public struct RateOfChange: Sendable {
    public let period: Int
    public private(set) var value: Double?
    private var window: Ring

    public init(period: Int = 10) {
        precondition(period >= 1, "ROC period must be at least 1")
        self.period = period
        window = Ring(capacity: period)
    }

    /// Updates before the first value (TA-Lib's look-back): `period`.
    public var lookback: Int { period }

    @discardableResult
    public mutating func update(_ x: Double) -> Double? {
        if let then = window.append(x) {
            value = then != 0 ? ((x / then) - 1) * 100 : 0
        }
        return value
    }
}
