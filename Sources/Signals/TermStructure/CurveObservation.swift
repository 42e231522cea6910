import FIXCodec
import Instruments
import MarketData

/// A futures curve as the term-structure signals read it: the first three points' months and
/// prices, and the curve's own statistics (`FuturesCurve.rollYield`, `slope`, `curvature`,
/// `shape`), taken once so an observation is a small value with no strings or arrays.
///
/// Prices become `Double`s here: signals are analytics on ratios and z-scores, never prices
/// sent anywhere.
public struct CurveObservation: Sendable, Hashable {
    /// M1, M2 and (when the curve has it) M3, near to far.
    public var front: ContractMonth
    public var second: ContractMonth
    public var third: ContractMonth?
    public var frontPrice: Double
    public var secondPrice: Double
    public var thirdPrice: Double? {
        get { number(thirdPriceStored, .thirdPrice) }
        set { (thirdPriceStored, present) = Self.store(newValue, .thirdPrice, present) }
    }
    /// `FuturesCurve.rollYield`: `(M1 − M2) / M2 × 365 / days`, days from M1's last trade date
    /// to M2's (actual days, a 365-day year).
    public var rollYield: Double? {
        get { number(rollYieldStored, .rollYield) }
        set { (rollYieldStored, present) = Self.store(newValue, .rollYield, present) }
    }
    /// `FuturesCurve.slope`: price change per contract month, first point to last.
    public var slope: Double? {
        get { number(slopeStored, .slope) }
        set { (slopeStored, present) = Self.store(newValue, .slope, present) }
    }
    /// `FuturesCurve.curvature`: the bend per month squared, as a fraction of |M1|.
    public var curvature: Double? {
        get { number(curvatureStored, .curvature) }
        set { (curvatureStored, present) = Self.store(newValue, .curvature, present) }
    }
    public var shape: CurveShape?

    // The four optional numbers are stored as plain `Double`s (0 when absent) with one byte
    // saying which are present: an observation is then 113 bytes rather than 130, under the 128
    // that a copy makes in line instead of calling memcpy — and each bar copies one or two.
    private var thirdPriceStored = 0.0
    private var rollYieldStored = 0.0
    private var slopeStored = 0.0
    private var curvatureStored = 0.0
    private var present: Presence = []

    private struct Presence: OptionSet, Sendable, Hashable {
        let rawValue: UInt8
        static let thirdPrice = Presence(rawValue: 1)
        static let rollYield = Presence(rawValue: 2)
        static let slope = Presence(rawValue: 4)
        static let curvature = Presence(rawValue: 8)
    }

    @inline(__always)
    private func number(_ stored: Double, _ flag: Presence) -> Double? { present.contains(flag) ? stored : nil }

    @inline(__always)
    private static func store(_ value: Double?, _ flag: Presence, _ present: Presence) -> (Double, Presence) {
        guard let value else { return (0, present.subtracting(flag)) }
        return (value, present.union(flag))
    }

    public init(front: ContractMonth, second: ContractMonth, third: ContractMonth? = nil, frontPrice: Double, secondPrice: Double,
                thirdPrice: Double? = nil, rollYield: Double?, slope: Double?, curvature: Double?, shape: CurveShape?) {
        self.front = front
        self.second = second
        self.third = third
        self.frontPrice = frontPrice
        self.secondPrice = secondPrice
        self.shape = shape
        self.thirdPrice = thirdPrice
        self.rollYield = rollYield
        self.slope = slope
        self.curvature = curvature
    }

    /// The observation of a live curve; `nil` with fewer than two priced months.
    ///
    /// The roll yield, the slope and the curvature are `FuturesCurve`'s, worked in `Double`s
    /// from the prices rather than read from the curve's decimals: the curve divides in 128-bit
    /// integers and rounds (the roll yield's ratio at fifteen decimals, the slope at four finer
    /// than the prices), which an observation turns into a `Double` anyway. The two agree to
    /// within that rounding; reading the curve's own took 6,191 instructions per bar of CL's
    /// signal set, this 4,815 (`Benchmarks/Profile/SignalProfile`).
    public init?(curve: FuturesCurve) {
        let points = curve.points
        guard points.count >= 2, let last = points.last else { return nil }
        front = points[0].month
        second = points[1].month
        let (near, far) = (points[0].price.signalValue, points[1].price.signalValue)
        frontPrice = near
        secondPrice = far
        if points.count >= 3 {
            third = points[2].month
            thirdPrice = points[2].price.signalValue
        }
        // (M1 − M2) / M2 × 365 / days, days from M1's last trade date to M2's; nil for a
        // non-positive M2 or dates out of order.
        let days = points[1].lastTradeDate.daysSinceEpoch - points[0].lastTradeDate.daysSinceEpoch
        rollYield = days > 0 && far > 0 ? (near - far) / far * 365 / Double(days) : nil
        // The average change per contract month, first point to last.
        let months = points[0].month.distance(to: last.month)
        slope = months > 0 ? (last.price.signalValue - near) / Double(months) : nil
        // The bend through the first, middle and last points, per month squared, over |M1|
        // (`FuturesCurve.curvature`, whose chords are exact decimals before they become Doubles).
        if points.count >= 3 {
            let middle = points[(points.count - 1) / 2]
            let nearMonths = points[0].month.distance(to: middle.month)
            let farMonths = middle.month.distance(to: last.month)
            if nearMonths > 0, farMonths > 0, near != 0 {
                let mid = middle.price.signalValue
                let nearSlope = (mid - near) / Double(nearMonths)
                let farSlope = (last.price.signalValue - mid) / Double(farMonths)
                curvature = 2 * (farSlope - nearSlope) / Double(nearMonths + farMonths) / abs(near)
            }
        }
        shape = curve.shape
    }

    /// A stand-in for storage that holds no observation yet (never read as one).
    static let placeholder = CurveObservation(front: ContractMonth(year: 2000, month: 1)!, second: ContractMonth(year: 2000, month: 2)!,
                                              frontPrice: 0, secondPrice: 0, rollYield: nil, slope: nil, curvature: nil, shape: nil)

    /// M1 − M2: positive in backwardation.
    public var frontSpread: Double { frontPrice - secondPrice }

    /// This observation's price of `month`, if it is one of its three points.
    public func price(of month: ContractMonth) -> Double? {
        if month == front { return frontPrice }
        if month == second { return secondPrice }
        if month == third { return thirdPrice }
        return nil
    }
}

extension FIXDecimal {
    /// The nearest `Double` (mantissa over a power of ten), for the signals' arithmetic only.
    public var signalValue: Double {
        var divisor = 1.0
        for _ in 0..<scale { divisor *= 10 }
        return Double(mantissa) / divisor
    }
}
