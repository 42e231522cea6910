import Foundation
import Signals
import Testing
import TestSupport

/// Small cases worked by hand, and properties that need no reference library.
@Suite struct HandCheckedTests {
    @Test func simpleMovingAverageOfFourValues() {
        var sma = SimpleMovingAverage(period: 3)
        #expect(sma.update(1) == nil)
        #expect(sma.update(2) == nil)
        #expect(sma.update(3) == 2)        // (1 + 2 + 3) / 3
        #expect(sma.update(7) == 4)        // (2 + 3 + 7) / 3
        #expect(sma.value == 4)
    }

    @Test func exponentialMovingAverageSeedsWithTheMean() {
        var ema = ExponentialMovingAverage(period: 3)   // k = 0.5
        #expect(ema.update(2) == nil)
        #expect(ema.update(4) == nil)
        #expect(ema.update(6) == 4)        // seed: (2 + 4 + 6) / 3
        #expect(ema.update(8) == 6)        // (8 − 4) · 0.5 + 4
    }

    @Test func weightedMovingAverageWeighsTheNewestMost() {
        var wma = WeightedMovingAverage(period: 3)      // weights 1, 2, 3 over 6
        #expect(wma.update(6) == nil)
        #expect(wma.update(12) == nil)
        #expect(wma.update(18) == 14)      // (6 + 24 + 54) / 6
        #expect(wma.update(0) == 8)        // (12 + 36 + 0) / 6
    }

    @Test func rsiOfOnlyRisesIsAHundredAndOfAFlatWindowIsZero() {
        var rising = RelativeStrengthIndex(period: 3)
        for price in [70.0, 71, 72] { #expect(rising.update(price) == nil) }
        #expect(rising.update(73) == 100)
        var flat = RelativeStrengthIndex(period: 3)
        for price in [70.0, 70, 70] { flat.update(price) }
        #expect(flat.update(70) == 0)      // TA-Lib's answer for no movement
        var mixed = RelativeStrengthIndex(period: 2)
        mixed.update(10)
        mixed.update(12)                   // gain 2
        #expect(mixed.update(11) == 100 * (1.0 / 1.5))   // gains 2/2 = 1, losses 1/2 = 0.5
    }

    @Test func averageTrueRangeUsesThePreviousClose() {
        var atr = AverageTrueRange(period: 2)
        #expect(atr.update(high: 71, low: 69, close: 70) == nil)
        #expect(atr.update(high: 72, low: 71, close: 71.5) == nil)   // TR = max(1, 2, 1) = 2
        #expect(atr.update(high: 71.5, low: 68.5, close: 69) == 2.5)  // TR 3; (2 + 3) / 2
        #expect(atr.update(high: 69.5, low: 69, close: 69.2) == 1.5)  // TR 0.5; (2.5 + 0.5) / 2
    }

    @Test func donchianChannelAndRateOfChange() {
        var channel = DonchianChannel(period: 2)
        #expect(channel.update(high: 71, low: 69) == nil)
        #expect(channel.update(high: 72, low: 70) == PriceChannel(upper: 72, middle: 70.5, lower: 69))
        #expect(channel.update(high: 71.5, low: 70.5) == PriceChannel(upper: 72, middle: 71, lower: 70))
        var roc = RateOfChange(period: 2)
        #expect(roc.update(50) == nil)
        #expect(roc.update(60) == nil)
        #expect(roc.update(75) == 50)      // (75 / 50 − 1) · 100
    }

    @Test func bandsDeviationAndZScoreOfASmallWindow() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population σ 2.
        var bands = BollingerBands(period: 8, deviationsUp: 2, deviationsDown: 1)
        var zScore = ZScore(period: 8)
        var deviation = StandardDeviation(period: 8)
        for price in [2.0, 4, 4, 4, 5, 5, 7] {
            #expect(bands.update(price) == nil)
            #expect(zScore.update(price) == nil)
            #expect(deviation.update(price) == nil)
        }
        #expect(bands.update(9) == PriceChannel(upper: 9, middle: 5, lower: 3))
        #expect(zScore.update(9) == 2)
        #expect(deviation.update(9) == 2)
        var flat = ZScore(period: 3)
        for _ in 0..<3 { flat.update(70) }
        #expect(flat.value == 0)
    }

    @Test func volatilitiesOfConstantMoves() {
        // Every close 1 % above the last: the returns never vary, so neither does the price.
        var closeToClose = RealisedVolatility(period: 3)
        var price = 70.0
        #expect(closeToClose.update(price) == nil)
        for step in 1...3 {
            price *= 1.01
            #expect((closeToClose.update(price) == nil) == (step < 3))
        }
        #expect(abs(closeToClose.value!) < 1e-12)
        // ln(H/L) = ln 2 every bar: sqrt(N · ln²2 / (4 ln 2 · N)) = sqrt(ln 2 / 4).
        var parkinson = ParkinsonVolatility(period: 2, barsPerYear: 4)
        #expect(parkinson.update(high: 2, low: 1) == nil)
        let value = parkinson.update(high: 4, low: 2)!
        #expect(abs(value - (log(2.0) / 4).squareRoot() * 2) < 1e-15)
    }

    @Test func macdSwapsPeriodsAndWaitsForItsLookBack() {
        var macd = MACD(fast: 26, slow: 12, signal: 9)
        #expect(macd.fastPeriod == 12 && macd.slowPeriod == 26)
        #expect(macd.lookback == 33)
        var outputs: [MACD.Output?] = []
        for index in 0..<40 { outputs.append(macd.update(70 + Double(index % 5))) }
        #expect(outputs.firstIndex { $0 != nil } == 33)
    }

    /// The monotonic deque against the window's own max/min, on small integers full of ties,
    /// across periods that wrap its storage in every way.
    @Test(arguments: [1, 2, 3, 7, 16])
    func rollingExtremesMatchABruteForceWindow(period: Int) {
        var random = SeededRandom(seed: UInt64(period))
        var maximum = RollingExtreme(.highest, period: period)
        var minimum = RollingExtreme(.lowest, period: period)
        var values: [Double] = []
        for index in 0..<2_000 {
            let value = Double(random.next(upTo: 6))
            values.append(value)
            let window = values.suffix(period)
            let highest = maximum.update(value)
            let lowest = minimum.update(value)
            #expect(highest == (index >= period - 1 ? window.max() : nil))
            #expect(lowest == (index >= period - 1 ? window.min() : nil))
        }
    }
}
