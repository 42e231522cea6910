import FIXCodec
import Instruments

/// Which way a futures curve leans at the front.
public enum CurveShape: String, Sendable, Hashable, CaseIterable {
    /// Near below far (M1−M2 negative): storage is paid for, a long rolling position loses.
    case contango
    /// Near above far (M1−M2 positive): prompt barrels are scarce, a long rolling position gains.
    case backwardation
    /// M1 equal to M2.
    case flat
}

/// One contract month on a curve.
public struct CurvePoint: Sendable, Hashable {
    public var book: BookID
    public var symbol: String
    public var month: ContractMonth
    public var lastTradeDate: CalendarDate
    /// The leg price of the month's book (mid or last, as configured), exact.
    public var price: FIXDecimal

    public init(book: BookID, symbol: String, month: ContractMonth, lastTradeDate: CalendarDate, price: FIXDecimal) {
        self.book = book
        self.symbol = symbol
        self.month = month
        self.lastTradeDate = lastTradeDate
        self.price = price
    }
}

/// A root's prices by contract month, near to far, and the statistics of its shape.
///
/// Only months whose book has a price are points, so "M1" and "M2" below are the first two
/// points: the listed front months unless one of them has no usable price. Price statistics
/// (`frontSpread`, `slope`) are exact decimals; the dimensionless ones (`curvature`,
/// `rollYield`) are `Double`, as ratios with no price unit left in them, never prices.
public struct FuturesCurve: Sendable, Hashable {
    public var root: String
    /// Curve order, M1 first.
    public var points: [CurvePoint]

    public init(root: String, points: [CurvePoint]) {
        self.root = root
        self.points = points
    }

    /// M1 − M2, exact: positive in backwardation, negative in contango.
    public var frontSpread: FIXDecimal? {
        points.count >= 2 ? points[0].price - points[1].price : nil
    }

    /// Contango or backwardation, from the sign of M1 − M2 (oil-markets.md's definition).
    public var shape: CurveShape? {
        guard let spread = frontSpread else { return nil }
        if spread.isZero { return .flat }
        return spread.isNegative ? .contango : .backwardation
    }

    /// The average change in price per contract month from the first point to the last, in
    /// the root's price unit: positive in contango. Exact but for the one division, which is
    /// rounded half away from zero at four decimals finer than the prices.
    public var slope: FIXDecimal? {
        guard points.count >= 2, let first = points.first, let last = points.last else { return nil }
        let months = first.month.distance(to: last.month)
        guard months > 0 else { return nil }
        let rise = last.price - first.price
        return rise.divided(by: FIXDecimal(months), toScale: min(rise.scale + 4, FIXDecimal.maxScale))
    }

    /// The curve's bend, as a fraction of the front price per month squared: the second
    /// derivative through the first, middle and last points, `2 × (s₂ − s₁) / (d₁ + d₂)`
    /// where `s₁`, `s₂` are the slopes per month of the two chords and `d₁`, `d₂` their
    /// lengths in months, divided by |M1|. Positive when the curve is convex (the back rises
    /// faster than the front, or falls slower). A `Double`: a dimensionless ratio, not a price.
    /// `nil` with fewer than three points or a zero front price.
    public var curvature: Double? {
        guard points.count >= 3 else { return nil }
        let (first, middle, last) = (points[0], points[(points.count - 1) / 2], points[points.count - 1])
        let nearMonths = first.month.distance(to: middle.month)
        let farMonths = middle.month.distance(to: last.month)
        guard nearMonths > 0, farMonths > 0, !first.price.isZero else { return nil }
        let nearSlope = (middle.price - first.price).doubleValue / Double(nearMonths)
        let farSlope = (last.price - middle.price).doubleValue / Double(farMonths)
        let second = 2 * (farSlope - nearSlope) / Double(nearMonths + farMonths)
        return second / abs(first.price.doubleValue)
    }

    /// The annualised roll yield of a long front position: `(M1 − M2) / M2 × 365 / days`, where
    /// `days` runs from M1's last trade date to M2's (oil-markets.md's `× 12` is this with a
    /// 30.4-day month). Positive in backwardation. A `Double`: a dimensionless annual rate, not
    /// a price. `nil` with fewer than two points, a non-positive M2 (the ratio then means
    /// nothing) or last trade dates not in order.
    public var rollYield: Double? {
        guard points.count >= 2, let spread = frontSpread else { return nil }
        let far = points[1]
        let days = far.lastTradeDate.daysSinceEpoch - points[0].lastTradeDate.daysSinceEpoch
        guard days > 0, far.price > .zero, let ratio = spread.divided(by: far.price, toScale: 15) else { return nil }
        return ratio.doubleValue * 365 / Double(days)
    }
}

extension MarketDataNormalizer {
    /// A root's curve from its months' leg prices (mid or last, as configured); `nil` for a
    /// root with no futures.
    public func curve(root: String) -> FuturesCurve? {
        guard let months = curves[root] else { return nil }
        var points: [CurvePoint] = []
        points.reserveCapacity(months.count)
        for book in months {
            guard let price = legPrice(book) else { continue }
            let instrument = instruments[book.index]
            points.append(CurvePoint(book: book, symbol: instrument.symbol, month: instrument.month,
                                     lastTradeDate: instrument.lastTradeDate, price: price))
        }
        return FuturesCurve(root: root, points: points)
    }
}

extension FIXDecimal {
    /// The nearest `Double`, for dimensionless statistics only: never for a price.
    var doubleValue: Double {
        var divisor = 1.0
        for _ in 0..<scale { divisor *= 10 }
        return Double(mantissa) / divisor
    }
}
