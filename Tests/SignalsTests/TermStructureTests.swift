import FIXCodec
import Foundation
import Instruments
import MarketData
import Signals
import Testing

/// Curves built by hand, for the term-structure tests and the composite's.
enum HandCurve {
    static func month(_ year: Int, _ month: Int) -> ContractMonth { ContractMonth(year: year, month: month)! }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    /// A CL curve of `(month, last trade date, price)` points, near to far.
    static func curve(_ points: [(ContractMonth, CalendarDate, String)], root: String = "CL") -> FuturesCurve {
        FuturesCurve(root: root, points: points.enumerated().map { index, point in
            CurvePoint(book: BookID(rawValue: Int32(index)), symbol: point.0.symbol(root: root), month: point.0,
                       lastTradeDate: point.1, price: FIXDecimal(point.2)!)
        })
    }

    // CL's January, February, March and April 2027 and their last trade dates.
    static let jan = (month(2027, 1), date(2026, 12, 17))
    static let feb = (month(2027, 2), date(2027, 1, 20))
    static let mar = (month(2027, 3), date(2027, 2, 19))
    static let apr = (month(2027, 4), date(2027, 3, 22))

    static func points(_ months: [(ContractMonth, CalendarDate)], _ prices: [String]) -> FuturesCurve {
        curve(zip(months, prices).map { ($0.0, $0.1, $1) })
    }
}

@Suite struct TermStructureTests {
    static let day: Int64 = 86_400_000_000_000

    @Test func carryIsTheRollYieldAnnualisedByTheDaysBetweenExpiries() throws {
        var signals = TermStructureSignals(root: "CL")
        // F1 70, F2 69: backwardation. Dec 17 → Jan 20 is 34 days.
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70.00", "69.00"]), time: 0)
        let carry = try #require(signals.carry)
        #expect(abs(carry - (1.0 / 69.0) * 365.0 / 34.0) < 1e-12)   // 0.155584…
        #expect(abs(carry - 0.155_583_972_719_522) < 1e-12)
        #expect(signals.shape == .backwardation)
    }

    /// An observation works the roll yield, the slope and the curvature in `Double`s: the
    /// curve's own to within the curve's rounding (its roll yield's ratio rounded at fifteen
    /// decimals, its slope at four decimals finer than the prices), and absent where the
    /// curve's are.
    @Test func anObservationsCurveStatisticsAreTheCurvesOwn() throws {
        let months = [HandCurve.jan, HandCurve.feb, HandCurve.mar, HandCurve.apr]
        var prices: [[String]] = [["70.00", "69.00", "68.37", "67.91"], ["70.00", "70.00", "70.00", "70.00"],
                                  ["-5.25", "-3.10", "0.45", "2.80"], ["61.10", "61.55"], ["2.4517", "2.4600", "2.4712"]]
        var state: UInt64 = 7
        for _ in 0..<200 {
            let curve = (0..<4).map { _ -> String in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return FIXDecimal(mantissa: 5_000 + Int64(state >> 52), scale: 2).description
            }
            prices.append(curve)
        }
        for row in prices {
            let curve = HandCurve.points(Array(months.prefix(row.count)), row)
            let observation = try #require(CurveObservation(curve: curve))
            #expect((observation.rollYield == nil) == (curve.rollYield == nil), "\(row)")
            if let mine = observation.rollYield, let theirs = curve.rollYield {
                // 5e-16 of ratio, annualised over at least 28 days, and a few ulps.
                #expect(abs(mine - theirs) <= 1e-14, "\(row): \(mine) \(theirs)")
            }
            let slope = try #require(curve.slope)
            let unit = 1 / pow(10, Double(slope.scale))
            #expect(abs(try #require(observation.slope) - slope.signalValue) <= unit / 2 + 1e-12, "\(row)")
            #expect((observation.curvature == nil) == (curve.curvature == nil), "\(row)")
            if let mine = observation.curvature, let theirs = curve.curvature {
                #expect(abs(mine - theirs) <= 1e-12 * max(abs(theirs), 1e-12), "\(row): \(mine) \(theirs)")
            }
            #expect(observation.shape == curve.shape)
        }
    }

    @Test func shapeChangesAreReturnedOnceEach() throws {
        var signals = TermStructureSignals(root: "CL")
        let firstChange = signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70.00", "70.50"]), time: 1)
        let first = try #require(firstChange)
        #expect(first.previous == nil && first.shape == .contango && first.root == "CL" && first.time == 1)
        #expect(first.frontSpread == -0.5)
        // Still contango: no event.
        #expect(signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70.10", "70.40"]), time: 2) == nil)
        let flipChange = signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["71.00", "70.40"]), time: 3)
        let flip = try #require(flipChange)
        #expect(flip.previous == .contango && flip.shape == .backwardation && flip.time == 3 && !flip.atRoll)
        // A curve of one priced month records nothing.
        #expect(signals.update(curve: HandCurve.points([HandCurve.jan], ["71.00"]), time: 4) == nil)
        #expect(signals.shape == .backwardation)
    }

    @Test func slopeIsZScoredAgainstItsOwnHistory() throws {
        var signals = TermStructureSignals(root: "CL", parameters: TermStructureParameters(history: 3))
        // Two-point curves one month apart: the slope is F2 − F1 a month, 1, 2, then 3.
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70", "71"]), time: 0)
        #expect(signals.slopeZ == nil)
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70", "72"]), time: 1)
        #expect(signals.slopeZ == nil)
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70", "73"]), time: 2)
        // [1, 2, 3]: mean 2, population σ √(2/3), so z = 1 / √(2/3) = √1.5.
        let z = try #require(signals.slopeZ)
        #expect(abs(z - 1.5.squareRoot()) < 1e-12)
        #expect(signals.curvatureZ == nil)   // two points have no curvature
    }

    @Test func curvatureIsZScoredToo() throws {
        var signals = TermStructureSignals(root: "CL", parameters: TermStructureParameters(history: 2))
        // Three points a month apart: curvature = (F3 − 2 F2 + F1) / |F1|.
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb, HandCurve.mar], ["50", "51", "53"]), time: 0)
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb, HandCurve.mar], ["50", "51", "52"]), time: 1)
        // Curvatures 1/50 then 0: the second is one σ below the mean of two.
        let z = try #require(signals.curvatureZ)
        #expect(abs(z + 1) < 1e-12)
    }

    @Test func calendarSpreadMomentumAndBasisMomentumAcrossTheRoll() throws {
        var signals = TermStructureSignals(root: "CL", parameters: TermStructureParameters(history: 2, spreadMomentum: 2, basisMomentum: 2))
        let threeFromJan = [HandCurve.jan, HandCurve.feb, HandCurve.mar]
        let threeFromFeb = [HandCurve.feb, HandCurve.mar, HandCurve.apr]
        signals.update(curve: HandCurve.points(threeFromJan, ["70.00", "71.00", "72.00"]), time: 0)
        signals.update(curve: HandCurve.points(threeFromJan, ["71.00", "71.50", "72.20"]), time: Self.day)
        #expect(signals.spreadMomentum == nil)        // one change so far
        #expect(signals.rolls == 0)
        // January expires: February is M1, March M2.
        let change = signals.update(curve: HandCurve.points(threeFromFeb, ["72.00", "71.60", "72.90"]), time: 2 * Self.day)
        #expect(signals.rolls == 1)
        #expect(change?.atRoll == true && change?.shape == .backwardation && change?.front == HandCurve.feb.0)

        // Spread changes on the same contracts: F−G (−1.0 → −0.5) = +0.5, then G−H (−0.7 → +0.4) = +1.1.
        // A naive M1−M2 series would read −0.5 → +0.4, +0.9, across the roll.
        let momentum = try #require(signals.spreadMomentum)
        #expect(abs(momentum - 1.6) < 1e-12)
        // t = Σ / (rms · √n): the mean square of the changes, weighted α = 2 / (2 + 1), starts at
        // 0.5² and moves two thirds of the way to 1.1²: 0.25 / 3 + 1.21 × 2 / 3 = 0.89.
        let spreadT: Double = 1.6 / (0.89 * 2).squareRoot()
        #expect(abs(try #require(signals.spreadMomentumT) - spreadT) < 1e-12)

        // First nearby's returns: Jan 70 → 71, then Feb 71.50 → 72.00 (not Jan 71 → Feb 72).
        let front: Double = 1.0 / 70.0 + 0.5 / 71.5
        // Second nearby's: Feb 71 → 71.50, then Mar 72.20 → 71.60.
        let second: Double = 0.5 / 71.0 - 0.6 / 72.2
        #expect(abs(try #require(signals.frontMomentum) - front) < 1e-12)
        #expect(abs(try #require(signals.secondMomentum) - second) < 1e-12)
        #expect(abs(try #require(signals.basisMomentum) - (front - second)) < 1e-12)
        let differences: (Double, Double) = (1.0 / 70.0 - 0.5 / 71.0, 0.5 / 71.5 + 0.6 / 72.2)
        let basisMeanSquare: Double = differences.0 * differences.0 / 3 + differences.1 * differences.1 * 2 / 3
        #expect(abs(try #require(signals.basisMomentumT) - (front - second) / (basisMeanSquare * 2).squareRoot()) < 1e-9)
        // Carry reads the new front pair: (72.00 − 71.60) / 71.60 × 365 / 30 (Jan 20 → Feb 19).
        let expectedCarry: Double = 0.4 / 71.6 * 365.0 / 30.0
        #expect(abs(try #require(signals.carry) - expectedCarry) < 1e-12)
    }

    @Test func aContractMissingFromThePreviousCurveAddsNoMomentum() {
        var signals = TermStructureSignals(root: "CL", parameters: TermStructureParameters(history: 2, spreadMomentum: 2, basisMomentum: 2))
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70", "71"]), time: 0)
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["70", "71"]), time: 1)
        // Rolled, but March was not on the last curve: no change can be measured.
        signals.update(curve: HandCurve.points([HandCurve.feb, HandCurve.mar], ["71", "72"]), time: 2)
        #expect(signals.spreadMomentum == nil && signals.basisMomentum == nil)
        signals.update(curve: HandCurve.points([HandCurve.feb, HandCurve.mar], ["71", "72.5"]), time: 3)
        #expect(signals.spreadMomentum == -0.5)       // 0 then −0.5
    }

    @Test func negativePricesGiveReturnsOverTheirMagnitude() throws {
        // April 2020: the front month below zero. Returns are (P_t − P_{t−1}) / |P_{t−1}|.
        var signals = TermStructureSignals(root: "CL", parameters: TermStructureParameters(history: 2, spreadMomentum: 2, basisMomentum: 2))
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["-10.00", "20.00"]), time: 0)
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["-5.00", "22.00"]), time: 1)
        signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb], ["-5.00", "22.00"]), time: 2)
        #expect(try #require(signals.frontMomentum) == 0.5)     // −10 → −5 is +50 %, then 0
        #expect(abs(try #require(signals.secondMomentum) - 0.1) < 1e-15)
        #expect(signals.shape == .contango)
        #expect(signals.carry != nil)                            // M2 is positive: a roll yield
    }

    @Test func zScoresNotAskedForAreNotKept() {
        var signals = TermStructureSignals(root: "CL", parameters: TermStructureParameters(history: 2), zScores: [.slope])
        for (time, back) in ["52", "53", "55"].enumerated() {
            signals.update(curve: HandCurve.points([HandCurve.jan, HandCurve.feb, HandCurve.mar], ["50", "51", back]), time: Int64(time))
        }
        #expect(signals.slopeZ != nil && signals.curvatureZ == nil)
    }
}
