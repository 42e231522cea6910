import Signals
import Testing

/// Every indicator against TA-Lib (numpy for the two volatilities TA-Lib lacks) on realistic
/// series of daily and of one-minute bars, every point compared: the warm-up `nil`s where
/// TA-Lib gives NaN, and each value to 1e-9 relative (see `Tolerance`).
@Suite struct TALibAgreementTests {
    /// 3,000 bars of each interval.
    struct Series: Sendable, CustomTestStringConvertible {
        let interval: BarInterval
        let bars: [SignalBar]
        let closes: [Double]
        let reference: Result<ReferenceValues, any Error>

        init(_ interval: BarInterval) {
            let bars = PriceSeries.crudeLike(count: 3_000, seed: 14, interval: interval)
            self.interval = interval
            self.bars = bars
            closes = bars.map(\.close)
            reference = Result { try ReferenceValues(bars: bars, requests: TALibAgreementTests.requests) }
        }

        var testDescription: String { interval.rawValue }

        func expected(_ name: String) throws -> [Double] { try reference.get()[name] }
    }

    /// Each computed once (one Python run each) for all the tests of the suite.
    static let daily = Series(.daily)
    static let minute = Series(.minute)
    static let intervals: [BarInterval] = BarInterval.allCases

    static func series(_ interval: BarInterval) -> Series { interval == .daily ? daily : minute }

    static let smaPeriods = [2, 5, 20, 50, 200]
    static let emaPeriods = [2, 10, 20, 50]
    static let wmaPeriods = [2, 9, 20, 50]
    static let rsiPeriods = [2, 14, 30]
    static let macdPeriods = [[12, 26, 9], [5, 35, 5], [26, 12, 9], [3, 4, 2]]
    static let bollingerSettings = [[20, 2, 2], [5, 1.5, 2.5], [50, 1, 1]]
    static let deviationSettings = [[20, 1], [10, 2.5], [2, 1]]
    static let zScorePeriods = [5, 20, 60]
    static let atrPeriods = [1, 2, 14, 30]
    static let donchianPeriods = [2, 5, 20, 55]
    static let rocPeriods = [1, 10, 25]
    static let volatilityPeriods = [2, 20, 60]
    static let parkinsonPeriods = [1, 20, 60]

    static let requests: [String] = {
        var requests: [String] = []
        requests += smaPeriods.map { "sma_\($0) SMA close \($0)" }
        requests += emaPeriods.map { "ema_\($0) EMA close \($0)" }
        requests += wmaPeriods.map { "wma_\($0) WMA close \($0)" }
        requests += rsiPeriods.map { "rsi_\($0) RSI close \($0)" }
        requests += macdPeriods.map { "macd_\($0[0])_\($0[1])_\($0[2]) MACD close \($0[0]) \($0[1]) \($0[2])" }
        requests += bollingerSettings.map { "bbands_\($0[0])_\($0[1])_\($0[2]) BBANDS close \(Int($0[0])) \($0[1]) \($0[2])" }
        requests += deviationSettings.map { "stddev_\($0[0])_\($0[1]) STDDEV close \(Int($0[0])) \($0[1])" }
        requests += zScorePeriods.map { "zscore_\($0) ZSCORE close \($0)" }
        requests += atrPeriods.map { "atr_\($0) ATR \($0)" }
        requests += donchianPeriods.map { "max_\($0) MAX high \($0)" }
        requests += donchianPeriods.map { "min_\($0) MIN low \($0)" }
        requests += rocPeriods.map { "roc_\($0) ROC close \($0)" }
        requests += volatilityPeriods.map { "rvol_\($0) RVOL close \($0)" }
        requests += parkinsonPeriods.map { "parkinson_\($0) PARKINSON \($0)" }
        return requests
    }()

    @Test(arguments: intervals, smaPeriods)
    func simpleMovingAverage(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var sma = SimpleMovingAverage(period: period)
        let outputs = series.closes.map { sma.update($0) }
        expectAgreement(outputs, try series.expected("sma_\(period)"), "SMA(\(period)) \(interval)", lookback: sma.lookback)
    }

    @Test(arguments: intervals, emaPeriods)
    func exponentialMovingAverage(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var ema = ExponentialMovingAverage(period: period)
        let outputs = series.closes.map { ema.update($0) }
        expectAgreement(outputs, try series.expected("ema_\(period)"), "EMA(\(period)) \(interval)", lookback: ema.lookback)
    }

    @Test(arguments: intervals, wmaPeriods)
    func weightedMovingAverage(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var wma = WeightedMovingAverage(period: period)
        let outputs = series.closes.map { wma.update($0) }
        expectAgreement(outputs, try series.expected("wma_\(period)"), "WMA(\(period)) \(interval)", lookback: wma.lookback)
    }

    @Test(arguments: intervals, rsiPeriods)
    func relativeStrengthIndex(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var rsi = RelativeStrengthIndex(period: period)
        let outputs = series.closes.map { rsi.update($0) }
        expectAgreement(outputs, try series.expected("rsi_\(period)"), "RSI(\(period)) \(interval)", lookback: rsi.lookback)
    }

    @Test(arguments: intervals, macdPeriods)
    func macd(interval: BarInterval, periods: [Int]) throws {
        let series = Self.series(interval)
        let name = "macd_\(periods[0])_\(periods[1])_\(periods[2])"
        var macd = MACD(fast: periods[0], slow: periods[1], signal: periods[2])
        let outputs = series.closes.map { macd.update($0) }
        let label = "MACD\(periods) \(interval)"
        expectAgreement(outputs.map { $0?.line }, try series.expected("\(name).line"), "\(label) line",
                        tolerance: .throughZero, lookback: macd.lookback)
        expectAgreement(outputs.map { $0?.signal }, try series.expected("\(name).signal"), "\(label) signal", tolerance: .throughZero)
        expectAgreement(outputs.map { $0?.histogram }, try series.expected("\(name).histogram"), "\(label) histogram",
                        tolerance: .throughZero)
    }

    @Test(arguments: intervals, bollingerSettings)
    func bollingerBands(interval: BarInterval, settings: [Double]) throws {
        let series = Self.series(interval)
        let name = "bbands_\(settings[0])_\(settings[1])_\(settings[2])"
        var bands = BollingerBands(period: Int(settings[0]), deviationsUp: settings[1], deviationsDown: settings[2])
        let outputs = series.closes.map { bands.update($0) }
        let label = "BBANDS\(settings) \(interval)"
        expectAgreement(outputs.map { $0?.middle }, try series.expected("\(name).middle"), "\(label) middle", lookback: bands.lookback)
        expectAgreement(outputs.map { $0?.upper }, try series.expected("\(name).upper"), "\(label) upper")
        expectAgreement(outputs.map { $0?.lower }, try series.expected("\(name).lower"), "\(label) lower")
    }

    @Test(arguments: intervals, deviationSettings)
    func standardDeviation(interval: BarInterval, settings: [Double]) throws {
        let series = Self.series(interval)
        var deviation = StandardDeviation(period: Int(settings[0]), deviations: settings[1])
        let outputs = series.closes.map { deviation.update($0) }
        expectAgreement(outputs, try series.expected("stddev_\(settings[0])_\(settings[1])"), "STDDEV\(settings) \(interval)",
                        lookback: deviation.lookback)
    }

    /// Against `(close − SMA) / STDDEV` from TA-Lib's two functions (0 where STDDEV is 0: a flat
    /// window, which the one-minute series has).
    @Test(arguments: intervals, zScorePeriods)
    func zScore(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var zScore = ZScore(period: period)
        let outputs = series.closes.map { zScore.update($0) }
        expectAgreement(outputs, try series.expected("zscore_\(period)"), "z-score(\(period)) \(interval)",
                        tolerance: .zScore, lookback: zScore.lookback)
    }

    @Test(arguments: intervals, atrPeriods)
    func averageTrueRange(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var atr = AverageTrueRange(period: period)
        let outputs = series.bars.map { atr.update($0) }
        expectAgreement(outputs, try series.expected("atr_\(period)"), "ATR(\(period)) \(interval)", lookback: atr.lookback)
    }

    /// Upper against TA-Lib's MAX of the highs, lower against its MIN of the lows.
    @Test(arguments: intervals, donchianPeriods)
    func donchianChannel(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var channel = DonchianChannel(period: period)
        let outputs = series.bars.map { channel.update($0) }
        let label = "Donchian(\(period)) \(interval)"
        expectAgreement(outputs.map { $0?.upper }, try series.expected("max_\(period)"), "\(label) upper", lookback: channel.lookback)
        expectAgreement(outputs.map { $0?.lower }, try series.expected("min_\(period)"), "\(label) lower")
        #expect(outputs.allSatisfy { $0 == nil || $0!.middle == ($0!.upper + $0!.lower) / 2 })
    }

    @Test(arguments: intervals, rocPeriods)
    func rateOfChange(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var roc = RateOfChange(period: period)
        let outputs = series.closes.map { roc.update($0) }
        expectAgreement(outputs, try series.expected("roc_\(period)"), "ROC(\(period)) \(interval)",
                        tolerance: .throughZero, lookback: roc.lookback)
    }

    /// Against numpy: `std(ddof=1)` of the window's log returns.
    @Test(arguments: intervals, volatilityPeriods)
    func realisedVolatility(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var volatility = RealisedVolatility(period: period)
        let outputs = series.closes.map { volatility.update($0) }
        expectAgreement(outputs, try series.expected("rvol_\(period)"), "realised volatility(\(period)) \(interval)",
                        lookback: volatility.lookback)
    }

    /// Against numpy: `sqrt(sum(ln(H/L)²) / (4 ln 2 · N))` of the window.
    @Test(arguments: intervals, parkinsonPeriods)
    func parkinsonVolatility(interval: BarInterval, period: Int) throws {
        let series = Self.series(interval)
        var volatility = ParkinsonVolatility(period: period)
        let outputs = series.bars.map { volatility.update($0) }
        expectAgreement(outputs, try series.expected("parkinson_\(period)"), "Parkinson(\(period)) \(interval)",
                        lookback: volatility.lookback)
    }
}
