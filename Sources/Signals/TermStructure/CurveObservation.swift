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
    public var thirdPrice: Double?
    /// `FuturesCurve.rollYield`: `(M1 − M2) / M2 × 365 / days`, days from M1's last trade date
    /// to M2's (actual days, a 365-day year).
    public var rollYield: Double?
    /// `FuturesCurve.slope`: price change per contract month, first point to last.
    public var slope: Double?
    /// `FuturesCurve.curvature`: the bend per month squared, as a fraction of |M1|.
    public var curvature: Double?
    public var shape: CurveShape?

    public init(front: ContractMonth, second: ContractMonth, third: ContractMonth? = nil, frontPrice: Double, secondPrice: Double,
                thirdPrice: Double? = nil, rollYield: Double?, slope: Double?, curvature: Double?, shape: CurveShape?) {
        self.front = front
        self.second = second
        self.third = third
        self.frontPrice = frontPrice
        self.secondPrice = secondPrice
        self.thirdPrice = thirdPrice
        self.rollYield = rollYield
        self.slope = slope
        self.curvature = curvature
        self.shape = shape
    }

    /// The observation of a live curve; `nil` with fewer than two priced months.
    public init?(curve: FuturesCurve) {
        let points = curve.points
        guard points.count >= 2 else { return nil }
        front = points[0].month
        second = points[1].month
        frontPrice = points[0].price.signalValue
        secondPrice = points[1].price.signalValue
        if points.count >= 3 {
            third = points[2].month
            thirdPrice = points[2].price.signalValue
        }
        rollYield = curve.rollYield
        slope = curve.slope?.signalValue
        curvature = curve.curvature
        shape = curve.shape
    }

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
