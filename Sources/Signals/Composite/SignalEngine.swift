import FIXCodec
import Instruments
import MarketData

/// What one bar changed besides the values the engine holds: each a returned value, never a
/// callback.
///
/// Events are rare (a direction change every few dozen bars), so they travel boxed: a bar with
/// none returns sixteen bytes and allocates nothing; a bar with some allocates their box.
public struct SignalUpdate: Sendable, Hashable {
    private final class Events: Sendable {
        let directionChange: DirectionChange?
        let curveShapeChange: CurveShapeChange?
        let spreadChanges: SpreadStateChanges

        init(_ directionChange: DirectionChange?, _ curveShapeChange: CurveShapeChange?, _ spreadChanges: SpreadStateChanges) {
            self.directionChange = directionChange
            self.curveShapeChange = curveShapeChange
            self.spreadChanges = spreadChanges
        }
    }

    private let events: Events?
    /// How many earlier signals this bar measured the outcome of (see `SignalRecord`).
    public var outcomesMeasured: Int

    public init(directionChange: DirectionChange? = nil, curveShapeChange: CurveShapeChange? = nil,
                spreadChanges: SpreadStateChanges = SpreadStateChanges(), outcomesMeasured: Int = 0) {
        let none = directionChange == nil && curveShapeChange == nil && spreadChanges.isEmpty
        events = none ? nil : Events(directionChange, curveShapeChange, spreadChanges)
        self.outcomesMeasured = outcomesMeasured
    }

    /// An update with no events.
    init(outcomesMeasured: Int) {
        events = nil
        self.outcomesMeasured = outcomesMeasured
    }

    /// The composite's direction changed at this bar.
    public var directionChange: DirectionChange? { events?.directionChange }
    /// The curve's shape changed between this bar's observation and the last.
    public var curveShapeChange: CurveShapeChange? { events?.curveShapeChange }
    /// Spread mean-reversion states that changed, when this bar took the spreads' observation
    /// (`SignalSet`: the first root's bar at a new time).
    public var spreadChanges: SpreadStateChanges { events?.spreadChanges ?? SpreadStateChanges() }

    /// This update with the spread changes of the bar's observation.
    func with(spreadChanges: SpreadStateChanges) -> SignalUpdate {
        guard !spreadChanges.isEmpty else { return self }
        return SignalUpdate(directionChange: directionChange, curveShapeChange: curveShapeChange, spreadChanges: spreadChanges,
                            outcomesMeasured: outcomesMeasured)
    }

    public static func == (lhs: SignalUpdate, rhs: SignalUpdate) -> Bool {
        lhs.outcomesMeasured == rhs.outcomesMeasured && lhs.directionChange == rhs.directionChange
            && lhs.curveShapeChange == rhs.curveShapeChange && lhs.spreadChanges == rhs.spreadChanges
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(outcomesMeasured)
        hasher.combine(directionChange)
        hasher.combine(curveShapeChange)
        hasher.combine(spreadChanges)
    }
}

/// A root's signal set, updated one bar at a time.
///
/// Fed by the normalizer's events: the root's front-month bars of the configured interval
/// (`update(bar:time:month:spreads:)`, one call a closed bar) and the root's live curve
/// (`update(curve:)`, as often as it changes). The curve is only held until the next bar: each
/// bar takes one observation of it (the latest), so the term-structure windows count bars of
/// the interval (60 daily bars are 60 days) however often the curve ticks. The spreads are
/// the desk's, not the root's: a `SpreadBoard` keeps them once for every root and each bar
/// reads it (`SignalSet` holds the engines and the board together).
///
/// Per bar: RSI, MACD, ATR, Bollinger Bands and rate of change on the bar; the term-structure
/// signals on the latest curve; the spreads' states from the board, for the spreads the root is
/// a leg of; then each contributor's normalised value (`SignalContributor`), the composite, and
/// the signal record (each direction change opened in it, each due outcome measured). The
/// costly signals a root does not weigh (the slope and curvature z-scores, the Bollinger Bands)
/// are not computed and stay `nil`. Nothing allocates on that path except at an event (its
/// `SignalUpdate` box, and the record's lists when a direction changes or an outcome is
/// measured).
///
/// **The roll.** The bars are the front month's, so at a roll (a bar of a later `month` than
/// the last) they jump from one contract to the next by the calendar spread, which the
/// technical indicators would read as a move. The engine back-adjusts instead: the gap is the
/// new front's price minus the old front's on the last curve observed before the roll (the
/// same instant, both from one curve), added up over the rolls as `rollAdjustment`, and every
/// bar the indicators read is the traded bar minus it — a continuous series on the first
/// contract's level. Without a curve holding both months there is no gap to take, and the bar
/// is read as it is. Events, the record and `frontPrice` keep the traded prices; the record
/// measures each signal on its own contract (see `SignalRecord`), and the term structure
/// measures its momenta on the same contracts across the roll (see `TermStructureSignals`).
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
    public private(set) var termStructure: TermStructureSignals
    public private(set) var composite: CompositeSignal
    public private(set) var record: SignalRecord
    /// The latest front-month close and its month.
    public private(set) var frontPrice: Double?
    public private(set) var frontMonth: ContractMonth?
    /// Bars read.
    public private(set) var bars = 0
    /// What has been taken off the traded bars for the indicators, summed over the rolls (see
    /// the roll above): positive after rolls into contango.
    public private(set) var rollAdjustment = 0.0

    /// The curve held for the next bar, once `hasCurve` (unwrapped: see `TermStructureSignals`).
    private var latestCurve = CurveObservation.placeholder
    private var hasCurve = false
    private let exposures: (crack321: Double, crack211: Double, brentWTI: Double)
    private let computesBollinger: Bool

    public init(root: String, configuration: RootSignalConfiguration, recordCapacity: Int = 100) {
        self.root = root
        self.configuration = configuration
        let periods = configuration.indicators
        rsi = RelativeStrengthIndex(period: periods.rsi)
        macd = MACD(fast: periods.macdFast, slow: periods.macdSlow, signal: periods.macdSignal)
        averageTrueRange = AverageTrueRange(period: periods.atr)
        bollinger = BollingerBands(period: periods.bollinger, deviationsUp: periods.bollingerDeviations,
                                   deviationsDown: periods.bollingerDeviations)
        rateOfChange = RateOfChange(period: periods.momentum)
        let weighs = { (contributor: SignalContributor) in (configuration.weights[contributor] ?? 0) > 0 }
        var zScores: TermStructureZScores = []
        if weighs(.slope) { zScores.insert(.slope) }
        if weighs(.curvature) { zScores.insert(.curvature) }
        termStructure = TermStructureSignals(root: root, parameters: configuration.termStructure, zScores: zScores)
        computesBollinger = weighs(.bollinger)
        composite = CompositeSignal(root: root, weights: configuration.weights, thresholds: configuration.thresholds)
        record = SignalRecord(capacity: recordCapacity)
        exposures = (SpreadKind.crack321.exposure(of: root), SpreadKind.crack211.exposure(of: root),
                     SpreadKind.brentWTI.exposure(of: root))
    }

    /// The engine of `root` as `configuration` sets it; `nil` for a root it does not list.
    public init?(root: String, configuration: SignalConfiguration, recordCapacity: Int = 100) {
        guard let rootConfiguration = configuration.roots[root] else { return nil }
        self.init(root: root, configuration: rootConfiguration, recordCapacity: recordCapacity)
    }

    // MARK: Inputs between bars

    /// Holds the root's live curve until the next bar; a curve with fewer than two priced
    /// months is ignored (the last good one stays).
    public mutating func update(curve: FuturesCurve) {
        if let observation = CurveObservation(curve: curve) { update(curve: observation) }
    }

    public mutating func update(curve observation: CurveObservation) {
        latestCurve = observation
        hasCurve = true
    }

    /// Carries on from a record made before (a restart's, from the journal:
    /// ``SignalRecord/restore(outcomes:pending:)``; or a reconfigured engine's) and, with
    /// `direction`, from the direction the composite last took (``CompositeSignal/resume(direction:)``).
    public mutating func resume(record: SignalRecord, direction: SignalDirection?) {
        self.record = record
        if let direction { composite.resume(direction: direction) }
    }

    // MARK: The bar

    /// A closed front-month bar of a MarketData `Bar` (its end as the time).
    @discardableResult
    public mutating func update(bar: Bar, month: ContractMonth? = nil, spreads: SpreadReadings = .none) -> SignalUpdate {
        update(bar: SignalBar(open: bar.open.signalValue, high: bar.high.signalValue, low: bar.low.signalValue,
                              close: bar.close.signalValue, volume: Double(bar.volume)),
               time: bar.end, month: month, spreads: spreads)
    }

    /// One closed bar of the root's front month, `time` its end; `month` the front month it
    /// belongs to, when known (the record then never measures a return across a roll);
    /// `spreads` the desk's spread signals (`SpreadBoard.readings`), already observed for this
    /// bar (none: the spread contributors have no value).
    @discardableResult
    public mutating func update(bar: SignalBar, time: Int64, month: ContractMonth? = nil, spreads: SpreadReadings = .none) -> SignalUpdate {
        bars += 1
        if let month, let last = frontMonth, month > last, let newThen = termStructure.latestPrice(of: month),
           let oldThen = termStructure.latestPrice(of: last) {
            rollAdjustment += newThen - oldThen
        }
        frontPrice = bar.close
        frontMonth = month

        // Technical indicators on the bar, back-adjusted across the rolls.
        let close = bar.close - rollAdjustment
        let strength = rsi.update(close)
        let convergence = macd.update(close)
        let range = averageTrueRange.update(high: bar.high - rollAdjustment, low: bar.low - rollAdjustment, close: close)
        let bands = computesBollinger ? bollinger.update(close) : nil
        let change = rateOfChange.update(close)
        composite.set(.rsi, strength.map(Normalise.rsi))
        if let convergence, let range {
            composite.set(.macd, Normalise.macd(histogram: convergence.histogram, averageTrueRange: range))
        } else {
            composite.set(.macd, nil)
        }
        composite.set(.bollinger, bands.map { Normalise.bollinger(close: close, bands: $0) })
        if let change, let range {
            composite.set(.momentum, Normalise.momentum(rateOfChange: change, close: close, averageTrueRange: range, period: rateOfChange.period))
        } else {
            composite.set(.momentum, nil)
        }

        // The curve, one observation a bar.
        var curveShapeChange: CurveShapeChange?
        if hasCurve {
            curveShapeChange = termStructure.update(latestCurve, time: time)
        }
        composite.set(.carry, termStructure.carry.map { Normalise.carry($0, scale: configuration.termStructure.carryScale) })
        composite.set(.slope, termStructure.slopeZ.map { -Normalise.score($0) })
        composite.set(.curvature, termStructure.curvatureZ.map { -Normalise.score($0) })
        composite.set(.calendarSpreadMomentum, termStructure.spreadMomentumT.map(Normalise.score))
        composite.set(.basisMomentum, termStructure.basisMomentumT.map(Normalise.score))

        // The spreads, as the board has them.
        composite.set(.crack321, Self.contribution(spreads.crack321, exposure: exposures.crack321))
        composite.set(.crack211, Self.contribution(spreads.crack211, exposure: exposures.crack211))
        composite.set(.brentWTI, Self.contribution(spreads.brentWTI, exposure: exposures.brentWTI))

        // The composite, then the record: outcomes due first, so a change at this bar is
        // measured from this close.
        let previous = composite.direction
        let outcomesMeasured = record.observe(close: bar.close, month: month, time: time)
        var directionChange: DirectionChange?
        if let direction = composite.evaluate() {
            let change = DirectionChange(time: time, root: root, previous: previous, direction: direction, score: composite.score ?? 0,
                                         confidence: composite.confidence, frontPrice: bar.close, frontMonth: month,
                                         horizon: configuration.horizon)
            record.open(change)
            directionChange = change
        }
        // Most bars change nothing: their update is built without looking at events.
        if case .none = directionChange, case .none = curveShapeChange { return SignalUpdate(outcomesMeasured: outcomesMeasured) }
        return SignalUpdate(directionChange: directionChange, curveShapeChange: curveShapeChange, outcomesMeasured: outcomesMeasured)
    }

    private static func contribution(_ reading: SpreadReading, exposure: Double) -> Double? {
        guard exposure != 0, let z = reading.zScore else { return nil }
        return Normalise.spread(state: reading.state, z: z, entry: reading.entry, exposure: exposure)
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
