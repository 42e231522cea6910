import FIXCodec
import Instruments
import MarketData
import Testing

/// The futures curve per root: contango or backwardation, slope, curvature and roll yield.
@Suite struct CurveTests {
    private func point(_ symbol: String, _ year: Int, _ month: Int, expires: String, _ price: String) throws -> CurvePoint {
        CurvePoint(book: BookID(rawValue: 0), symbol: symbol, month: try #require(ContractMonth(year: year, month: month)),
                   lastTradeDate: try #require(CalendarDate(iso: expires)), price: try dec(price))
    }

    @Test func aRisingCurveIsInContango() throws {
        let curve = FuturesCurve(root: "CL", points: [
            try point("CLF7", 2027, 1, expires: "2026-12-17", "70.00"),
            try point("CLG7", 2027, 2, expires: "2027-01-16", "70.50"),
            try point("CLH7", 2027, 3, expires: "2027-02-17", "71.20"),
        ])
        #expect(curve.shape == .contango)
        #expect(curve.frontSpread == (try dec("-0.50")))
        // (71.20 − 70.00) / 2 months.
        #expect(curve.slope == (try dec("0.60")))
        // Chords of 0.50 and 0.70 per month: 2 × 0.20 / 2 months = 0.20 per month², / 70.00.
        let curvature = try #require(curve.curvature)
        #expect(abs(curvature - 0.2 / 70) < 1e-15)
        // −0.50 / 70.50 over the 30 days between expiries, × 365.
        let rollYield = try #require(curve.rollYield)
        #expect(abs(rollYield - (-0.5 / 70.5 * 365 / 30)) < 1e-12)
        #expect(rollYield < 0, "a long front position loses rolling up a contango curve")
    }

    @Test func aFallingCurveIsInBackwardation() throws {
        let curve = FuturesCurve(root: "CL", points: [
            try point("CLF7", 2027, 1, expires: "2026-12-17", "80.00"),
            try point("CLG7", 2027, 2, expires: "2027-01-16", "79.00"),
            try point("CLH7", 2027, 3, expires: "2027-02-17", "78.50"),
        ])
        #expect(curve.shape == .backwardation)
        #expect(curve.frontSpread == 1)
        #expect(curve.slope == (try dec("-0.75")))
        // Chords of −1.00 and −0.50 per month: 2 × 0.50 / 2 = 0.50 per month², / 80.00: convex.
        #expect(abs(try #require(curve.curvature) - 0.5 / 80) < 1e-15)
        // oil-markets.md: ≈ (M1 − M2) / M2 × 12 = 0.1519; with 30 days between expiries, × 365 / 30.
        let rollYield = try #require(curve.rollYield)
        #expect(abs(rollYield - 1.0 / 79 * 365 / 30) < 1e-12)
        #expect(abs(rollYield - 1.0 / 79 * 12) < 0.003)
    }

    @Test func shortOrDegenerateCurvesHaveNoStatistics() throws {
        let single = FuturesCurve(root: "CL", points: [try point("CLF7", 2027, 1, expires: "2026-12-17", "70.00")])
        #expect(single.shape == nil)
        #expect(single.slope == nil)
        #expect(single.rollYield == nil)
        #expect(single.curvature == nil)
        let flat = FuturesCurve(root: "CL", points: [
            try point("CLF7", 2027, 1, expires: "2026-12-17", "70.00"),
            try point("CLG7", 2027, 2, expires: "2027-01-16", "70.00"),
        ])
        #expect(flat.shape == .flat)
        #expect(flat.rollYield == 0)
        #expect(flat.curvature == nil)
        let negative = FuturesCurve(root: "CL", points: [
            try point("CLK0", 2020, 5, expires: "2020-04-21", "-37.63"),
            try point("CLM0", 2020, 6, expires: "2020-05-19", "-1.00"),
        ])
        #expect(negative.shape == .contango)
        #expect(negative.rollYield == nil, "a ratio to a negative price means nothing")
    }

    @Test func theLiveCurveFollowsTheBooks() throws {
        var feed = Feed()
        let months = catalog.futures(root: "CL")
        let quotes = [("75.00", "75.02"), ("74.60", "74.62"), ("74.20", "74.22"), ("73.80", "73.82")]
        for (month, quote) in zip(months, quotes) { try feed.quote(month.symbol, quote.0, quote.1) }
        let curve = try #require(feed.normalizer.curve(root: "CL"))
        #expect(curve.points.map(\.symbol) == ["CLF7", "CLG7", "CLH7", "CLJ7"])
        #expect(curve.points.map(\.price) == [try dec("75.01"), try dec("74.61"), try dec("74.21"), try dec("73.81")])
        #expect(curve.shape == .backwardation)
        #expect(curve.slope == (try dec("-0.40")))
        #expect(abs(try #require(curve.curvature)) < 1e-15, "a straight line")
        let days = Double(months[1].lastTradeDate.daysSinceEpoch - months[0].lastTradeDate.daysSinceEpoch)
        #expect(abs(try #require(curve.rollYield) - 0.40 / 74.61 * 365 / days) < 1e-12)
        #expect(feed.normalizer.roots == ["CL", "BZ", "RB", "HO"])
        #expect(feed.normalizer.curve(root: "XX") == nil)
        #expect(feed.normalizer.curve(root: "HO")?.points.isEmpty == true)

        // A recovering month drops out of the curve.
        try feed.level("CLG7", .delete, .bid, "10.00")
        #expect(try #require(feed.normalizer.curve(root: "CL")).points.map(\.symbol) == ["CLF7", "CLH7", "CLJ7"])
    }
}
