import FIXCodec
import Instruments
import MarketData

/// What one bar changed besides the values the engine holds: each a returned value, never a
/// callback.
public struct SignalUpdate: Sendable, Hashable {
    /// The composite's direction changed at this bar.
    public var directionChange: DirectionChange?
    /// The curve's shape changed between this bar's observation and the last.
    public var curveShapeChange: CurveShapeChange?
    /// Spread mean-reversion states that changed at this bar.
    public var crack321Change: SpreadStateChange?
    public var crack211Change: SpreadStateChange?
    public var brentWTIChange: SpreadStateChange?
    /// How many earlier signals this bar measured the outcome of (see `SignalRecord`).
    public var outcomesMeasured: Int

    public init(directionChange: DirectionChange? = nil, curveShapeChange: CurveShapeChange? = nil,
                crack321Change: SpreadStateChange? = nil, crack211Change: SpreadStateChange? = nil,
                brentWTIChange: SpreadStateChange? = nil, outcomesMeasured: Int = 0) {
        self.directionChange = directionChange
        self.curveShapeChange = curveShapeChange
        self.crack321Change = crack321Change
        self.crack211Change = crack211Change
        self.brentWTIChange = brentWTIChange
        self.outcomesMeasured = outcomesMeasured
    }
}

/// A root's whole signal set, updated one bar at a time.
///
/// Fed by the normalizer's events: the root's front-month bars of the configured interval
/// (`update(bar:time:month:)`, one call a closed bar), the root's live curve
/// (`update(curve:)`) and the spreads' live prices (`update(spread:price:)`), in any order and
/// as often as they change. Curve and spread prices are only held until the next bar: each bar
/// takes one observation of each (the latest), so the term-structure and spread windows count
/// bars of the interval (60 daily bars is 60 days) however often the curve ticks.
///
/// Per bar: RSI, MACD, ATR, Bollinger Bands, rate of change and close-to-close volatility on
/// the bar; the term-structure signals on the latest curve; the three spread signals on the
/// latest spread prices (only the spreads the root is a leg of: a BZ engine keeps no crack, an
/// RB or HO engine no Brent−WTI); then each contributor's normalised value (`SignalContributor`), the
/// composite, and the signal record (each direction change opened in it, each due outcome
/// measured). Nothing allocates on that path except when a direction changes or an outcome is
/// measured (the record's lists).
///
/// Time is what the caller passes (nanoseconds since the epoch; for a bar, its end): the engine
/// never reads a clock.
public struct SignalEngine: Sendable {
    public let root: String
    public let configuration: RootSignalConfiguration
    public private(set) var rsi: RelativeStrengthIndex
    public private(set) var macd: MACD
    public private(set) var averageTrueRange: AverageTrueRange
    public private(set) var bollinger: BollingerBands
    public private(set) var rateOfChange: RateOfChange
    public private(set) var volatility: RealisedVolatility
    public private(set) var termStructure: TermStructureSignals
    public private(set) var crack321: SpreadSignal
    public private(set) var crack211: SpreadSignal
    public private(set) var brentWTI: SpreadSignal
    public private(set) var composite: CompositeSignal
    public private(set) var record: SignalRecord
    /// The latest front-month close and its month.
    public private(set) var frontPrice: Double?
    public private(set) var frontMonth: ContractMonth?
    /// Bars read.
    public private(set) var bars = 0

    private var latestCurve: CurveObservation?
    private var latestCrack321: Double?
    private var latestCrack211: Double?
    private var latestBrentWTI: Double?
    private let exposures: (crack321: Double, crack211: Double, brentWTI: Double)

    public init(root: String, configuration: RootSignalConfiguration, spreads: [SpreadKind: SpreadParameters] = [:], recordCapacity: Int = 100) {
        self.root = root
        self.configuration = configuration
        let periods = configuration.indicators
        rsi = RelativeStrengthIndex(period: periods.rsi)
        macd = MACD(fast: periods.macdFast, slow: periods.macdSlow, signal: periods.macdSignal)
        averageTrueRange = AverageTrueRange(period: periods.atr)
        bollinger = BollingerBands(period: periods.bollinger, deviationsUp: periods.bollingerDeviations,
                                   deviationsDown: periods.bollingerDeviations)
        rateOfChange = RateOfChange(period: periods.momentum)
        volatility = RealisedVolatility(period: periods.volatility)
        termStructure = TermStructureSignals(root: root, parameters: configuration.termStructure)
        crack321 = SpreadSignal(.crack321, parameters: spreads[.crack321] ?? SpreadParameters())
        crack211 = SpreadSignal(.crack211, parameters: spreads[.crack211] ?? SpreadParameters())
        brentWTI = SpreadSignal(.brentWTI, parameters: spreads[.brentWTI] ?? SpreadParameters())
        composite = CompositeSignal(root: root, weights: configuration.weights, thresholds: configuration.thresholds)
        record = SignalRecord(capacity: recordCapacity)
        exposures = (SpreadKind.crack321.exposure(of: root), SpreadKind.crack211.exposure(of: root),
                     SpreadKind.brentWTI.exposure(of: root))
    }

    /// The engine of `root` as `configuration` sets it; `nil` for a root it does not list.
    public init?(root: String, configuration: SignalConfiguration, recordCapacity: Int = 100) {
        guard let rootConfiguration = configuration.roots[root] else { return nil }
        self.init(root: root, configuration: rootConfiguration, spreads: configuration.spreads, recordCapacity: recordCapacity)
    }

    // MARK: Inputs between bars

    /// Holds the root's live curve until the next bar; a curve with fewer than two priced
    /// months is ignored (the last good one stays).
    public mutating func update(curve: FuturesCurve) {
        if let observation = CurveObservation(curve: curve) { latestCurve = observation }
    }

    public mutating func update(curve observation: CurveObservation) { latestCurve = observation }

    /// Holds a spread's live price ($/bbl) until the next bar; `nil` (a leg without a price)
    /// keeps the last one.
    public mutating func update(spread: SpreadKind, price: Double?) {
        guard let price else { return }
        switch spread {
        case .crack321: latestCrack321 = price
        case .crack211: latestCrack211 = price
        case .brentWTI: latestBrentWTI = price
        }
    }

    public mutating func update(spread: SpreadKind, price: FIXDecimal?) {
        update(spread: spread, price: price?.signalValue)
    }

    // MARK: The bar

    /// A closed front-month bar of a MarketData `Bar` (its end as the time).
    @discardableResult
    public mutating func update(bar: Bar, month: ContractMonth? = nil) -> SignalUpdate {
        update(bar: SignalBar(open: bar.open.signalValue, high: bar.high.signalValue, low: bar.low.signalValue,
                              close: bar.close.signalValue, volume: Double(bar.volume)),
               time: bar.end, month: month)
    }

    /// One closed bar of the root's front month, `time` its end; `month` the front month it
    /// belongs to, when known (the record then never measures a return across a roll).
    @discardableResult
    public mutating func update(bar: SignalBar, time: Int64, month: ContractMonth? = nil) -> SignalUpdate {
        var result = SignalUpdate()
        bars += 1
        let close = bar.close
        frontPrice = close
        frontMonth = month

        // Technical indicators on the bar.
        let strength = rsi.update(close)
        let convergence = macd.update(close)
        let range = averageTrueRange.update(high: bar.high, low: bar.low, close: close)
        let bands = bollinger.update(close)
        let change = rateOfChange.update(close)
        let noise = volatility.update(close)
        composite.set(.rsi, strength.map(Normalise.rsi))
        if let convergence, let range {
            composite.set(.macd, Normalise.macd(histogram: convergence.histogram, averageTrueRange: range))
        } else {
            composite.set(.macd, nil)
        }
        composite.set(.bollinger, bands.map { Normalise.bollinger(close: close, bands: $0) })
        if let change, let noise {
            composite.set(.momentum, Normalise.momentum(rateOfChange: change, volatility: noise, period: rateOfChange.period))
        } else {
            composite.set(.momentum, nil)
        }

        // The curve, one observation a bar.
        if let curve = latestCurve {
            result.curveShapeChange = termStructure.update(curve, time: time)
        }
        composite.set(.carry, termStructure.carry.map { Normalise.carry($0, scale: configuration.termStructure.carryScale) })
        composite.set(.slope, termStructure.slopeZ.map { -Normalise.score($0) })
        composite.set(.curvature, termStructure.curvatureZ.map { -Normalise.score($0) })
        composite.set(.calendarSpreadMomentum, termStructure.spreadMomentumT.map(Normalise.score))
        composite.set(.basisMomentum, termStructure.basisMomentumT.map(Normalise.score))

        // The spreads, one observation a bar.
        if exposures.crack321 != 0, let value = latestCrack321 { result.crack321Change = crack321.update(value, time: time) }
        if exposures.crack211 != 0, let value = latestCrack211 { result.crack211Change = crack211.update(value, time: time) }
        if exposures.brentWTI != 0, let value = latestBrentWTI { result.brentWTIChange = brentWTI.update(value, time: time) }
        composite.set(.crack321, Self.contribution(crack321, exposure: exposures.crack321))
        composite.set(.crack211, Self.contribution(crack211, exposure: exposures.crack211))
        composite.set(.brentWTI, Self.contribution(brentWTI, exposure: exposures.brentWTI))

        // The composite, then the record: outcomes due first, so a change at this bar is
        // measured from this close.
        let previous = composite.direction
        result.outcomesMeasured = record.observe(close: close, month: month, time: time)
        if let direction = composite.evaluate() {
            let change = DirectionChange(time: time, root: root, previous: previous, direction: direction, score: composite.score ?? 0,
                                         confidence: composite.confidence, frontPrice: close, frontMonth: month,
                                         horizon: configuration.horizon)
            record.open(change)
            result.directionChange = change
        }
        return result
    }

    private static func contribution(_ signal: SpreadSignal, exposure: Double) -> Double? {
        guard exposure != 0, let z = signal.zScore else { return nil }
        return Normalise.spread(state: signal.state, z: z, entry: signal.parameters.entry, exposure: exposure)
    }

    // MARK: Reading

    /// The composite's score in [−1, 1]; `nil` while no contributor has a value.
    public var score: Double? { composite.score }
    public var direction: SignalDirection { composite.direction }
    public var confidence: Double { composite.confidence }
    /// The horizon the direction is meant for, in nanoseconds.
    public var horizon: Int64 { configuration.horizon }
    /// Each weighted contributor with its weight and current normalised value.
    public var contributors: [ContributorReading] { composite.contributors }
}
