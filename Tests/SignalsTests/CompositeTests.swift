import FIXCodec
import Instruments
import MarketData
import Signals
import Testing

@Suite struct CompositeTests {
    static let day: Int64 = 86_400_000_000_000

    static func evaluate(_ composite: inout CompositeSignal, rsi: Double?, carry: Double?) -> SignalDirection? {
        composite.set(.rsi, rsi)
        composite.set(.carry, carry)
        return composite.evaluate()
    }

    @Test func directionChangesWhenTheScoreCrossesItsThresholdsAndNotBefore() {
        var composite = CompositeSignal(root: "CL", weights: [.rsi: 1, .carry: 1],
                                        thresholds: CompositeThresholds(entry: 0.3, exit: 0.1))
        #expect(Self.evaluate(&composite, rsi: 0.2, carry: 0.3) == nil)      // 0.25 < entry
        #expect(composite.score == 0.25 && composite.direction == .neutral)
        #expect(Self.evaluate(&composite, rsi: 0.3, carry: 0.3) == .long)    // 0.30 ≥ entry
        #expect(Self.evaluate(&composite, rsi: 0.2, carry: 0.1) == nil)      // 0.15: above exit, held
        #expect(composite.direction == .long)
        #expect(Self.evaluate(&composite, rsi: 0.1, carry: 0.1) == .neutral) // 0.10 ≤ exit
        #expect(Self.evaluate(&composite, rsi: -0.1, carry: -0.4) == nil)    // −0.25
        #expect(Self.evaluate(&composite, rsi: -0.5, carry: -0.2) == .short) // −0.35
        #expect(Self.evaluate(&composite, rsi: -0.2, carry: 0) == .neutral)  // −0.10 ≥ −exit
        #expect(composite.direction == .neutral)
        #expect(Self.evaluate(&composite, rsi: -0.5, carry: -0.5) == .short)
        #expect(Self.evaluate(&composite, rsi: 0.4, carry: 0.4) == .long)    // straight through to the other side
    }

    /// After a restart the composite carries on from the direction it last took: a score
    /// between exit and entry holds a resumed LONG, where a fresh composite stays NEUTRAL, and
    /// only a fall to the exit ends it.
    @Test func aResumedDirectionIsHeldWithHysteresis() {
        let thresholds = CompositeThresholds(entry: 0.3, exit: 0.1)
        var resumed = CompositeSignal(root: "CL", weights: [.rsi: 1, .carry: 1], thresholds: thresholds)
        resumed.resume(direction: .long)
        #expect(resumed.direction == .long && resumed.score == nil)
        #expect(Self.evaluate(&resumed, rsi: 0.2, carry: 0.2) == nil)        // 0.20: above exit, held
        #expect(resumed.direction == .long)
        var fresh = CompositeSignal(root: "CL", weights: [.rsi: 1, .carry: 1], thresholds: thresholds)
        #expect(Self.evaluate(&fresh, rsi: 0.2, carry: 0.2) == nil && fresh.direction == .neutral)
        #expect(Self.evaluate(&resumed, rsi: 0.4, carry: 0.4) == nil)        // already LONG: no new signal
        #expect(Self.evaluate(&resumed, rsi: 0.1, carry: 0) == .neutral)     // 0.05 ≤ exit
    }

    @Test func confidenceIsAgreementTimesCoverage() throws {
        var composite = CompositeSignal(root: "CL", weights: [.rsi: 1, .carry: 1])
        _ = Self.evaluate(&composite, rsi: 0.5, carry: -0.1)
        // Σwv = 0.4, Σw|v| = 0.6: agreement 2/3, both present.
        #expect(abs(try #require(composite.score) - 0.2) < 1e-15)
        #expect(abs(composite.confidence - 2.0 / 3.0) < 1e-15)
        _ = Self.evaluate(&composite, rsi: 0.5, carry: nil)
        // Only RSI: score 0.5 from it alone, full agreement, half the weight present.
        #expect(composite.score == 0.5 && composite.confidence == 0.5)
        _ = Self.evaluate(&composite, rsi: nil, carry: nil)
        #expect(composite.score == nil && composite.confidence == 0)
        // Values are clipped into [−1, 1].
        composite.set(.rsi, 3)
        #expect(composite.value(of: .rsi) == 1)
    }

    @Test func aMinimumConfidenceHoldsBackAnEntry() {
        var composite = CompositeSignal(root: "CL", weights: [.rsi: 1, .carry: 1],
                                        thresholds: CompositeThresholds(entry: 0.3, exit: 0.1, minimumConfidence: 0.6))
        // Score 0.35, but RSI 0.9 against carry −0.2: agreement 0.7 / 1.1 ≈ 0.64 passes…
        #expect(Self.evaluate(&composite, rsi: 0.9, carry: -0.2) == .long)
        var doubtful = CompositeSignal(root: "CL", weights: [.rsi: 1, .carry: 1],
                                       thresholds: CompositeThresholds(entry: 0.3, exit: 0.1, minimumConfidence: 0.6))
        // …RSI 1 against carry −0.35: score 0.325, agreement 0.65 / 1.35 ≈ 0.48 does not.
        #expect(Self.evaluate(&doubtful, rsi: 1, carry: -0.35) == nil)
        #expect(doubtful.direction == .neutral)
    }

    @Test func contributorsAreReadableWithWeightsAndValues() {
        var composite = CompositeSignal(root: "RB", weights: [.macd: 0.4, .crack321: 0.6, .rsi: 0])
        composite.set(.macd, 0.25)
        #expect(composite.contributors == [ContributorReading(contributor: .macd, weight: 0.4, value: 0.25),
                                           ContributorReading(contributor: .crack321, weight: 0.6, value: nil)])
    }

    /// A contributor's own view, as the console shows it beside its value: its value against
    /// the composite's entry threshold, and how strongly.
    @Test func aContributorsOwnDirectionAndConfidence() {
        let reading = { (value: Double?) in ContributorReading(contributor: .rsi, weight: 0.1, value: value) }
        #expect(reading(0.3).direction(entry: 0.3) == .long && reading(0.29).direction(entry: 0.3) == .neutral)
        #expect(reading(-0.3).direction(entry: 0.3) == .short && reading(-0.29).direction(entry: 0.3) == .neutral)
        #expect(reading(nil).direction(entry: 0.3) == .neutral && reading(nil).confidence == 0)
        #expect(reading(-0.62).confidence == 0.62 && reading(1).confidence == 1)
    }

    // MARK: The engine

    /// A CL curve whose roll yield is `carry` exactly enough: F2 70, F1 = 70 (1 + carry × 34 / 365)
    /// (Jan → Feb expiries 34 days apart).
    static func curve(carry: Double) -> CurveObservation {
        let front = 70 * (1 + carry * 34 / 365)
        return CurveObservation(front: HandCurve.jan.0, second: HandCurve.feb.0, frontPrice: front, secondPrice: 70, rollYield: carry,
                                slope: nil, curvature: nil, shape: front > 70 ? .backwardation : .contango)
    }

    static let carryOnly = RootSignalConfiguration(weights: [.carry: 1], thresholds: CompositeThresholds(entry: 0.5, exit: 0.2),
                                                   horizon: 2 * day, termStructure: TermStructureParameters(carryScale: 0.2))

    /// The composite's squashing function, `x / √(1 + x²)`, written out again.
    static func squash(_ x: Double) -> Double { x / (1 + x * x).squareRoot() }

    static func bar(_ close: Double) -> SignalBar { SignalBar(open: close, high: close + 0.5, low: close - 0.5, close: close) }

    @Test func theEngineReportsDirectionChangesWithTheFrontPriceAndMeasuresThem() throws {
        var engine = SignalEngine(root: "CL", configuration: Self.carryOnly)
        // Carry −0.04: squash(−0.2) = −0.2 / √1.04 ≈ −0.196, inside the thresholds.
        engine.update(curve: Self.curve(carry: -0.04))
        #expect(engine.update(bar: Self.bar(70), time: Self.day, month: HandCurve.jan.0).directionChange == nil)
        #expect(abs(try #require(engine.score) - Self.squash(-0.2)) < 1e-12)

        // Carry +0.12: squash(0.6) = 0.6 / √1.36 ≈ 0.514 ≥ 0.5: LONG at this bar's close.
        engine.update(curve: Self.curve(carry: 0.12))
        let long = try #require(engine.update(bar: Self.bar(71), time: 2 * Self.day, month: HandCurve.jan.0).directionChange)
        #expect(long.root == "CL" && long.time == 2 * Self.day && long.previous == .neutral && long.direction == .long)
        #expect(abs(long.score - Self.squash(0.6)) < 1e-12 && long.confidence == 1)
        #expect(long.frontPrice == 71 && long.frontMonth == HandCurve.jan.0 && long.horizon == 2 * Self.day)
        #expect(engine.record.pending.count == 1)

        // Carry +0.06: squash(0.3) ≈ 0.287, above exit: held.
        engine.update(curve: Self.curve(carry: 0.06))
        #expect(engine.update(bar: Self.bar(72), time: 3 * Self.day, month: HandCurve.jan.0).directionChange == nil)
        #expect(engine.direction == .long)

        // Two days after the signal: measured at 73.42, +3.4 %. Carry back to −0.04: NEUTRAL.
        engine.update(curve: Self.curve(carry: -0.04))
        let update = engine.update(bar: Self.bar(73.42), time: 4 * Self.day, month: HandCurve.jan.0)
        #expect(update.outcomesMeasured == 1)
        #expect(update.directionChange?.direction == .neutral && update.directionChange?.previous == .long)
        #expect(engine.record.signals == 1 && engine.record.wins == 1)
        #expect(abs(try #require(engine.record.averageReturn) - 2.42 / 71) < 1e-12)
        let readings = engine.contributors
        #expect(readings.map(\.contributor) == [.carry] && readings.map(\.weight) == [1])
        #expect(abs(try #require(readings.first?.value) - Self.squash(-0.2)) < 1e-12)
    }

    @Test func theEngineWarmsUpEveryContributorOnDailyBars() throws {
        var set = SignalSet(configuration: .standard)
        let cl = try #require(set.index(of: "CL"))
        var price = 70.0
        for day in 1...120 {
            price += day % 7 < 4 ? 0.35 : -0.3
            let time = Int64(day) * Self.day
            // A backwardated curve that slowly flattens, and spreads that wander.
            let f2 = price - 0.8 + Double(day) * 0.004
            set.update(curve: CurveObservation(front: HandCurve.jan.0, second: HandCurve.feb.0, third: HandCurve.mar.0,
                                               frontPrice: price, secondPrice: f2, thirdPrice: f2 - 0.5,
                                               rollYield: (price - f2) / f2 * 365 / 34, slope: -0.65 + Double(day % 5) * 0.01,
                                               curvature: 0.001 * Double(day % 3), shape: price > f2 ? .backwardation : .contango),
                       root: cl)
            set.update(spread: .crack321, price: 25 + Double(day % 11))
            set.update(spread: .brentWTI, price: FIXDecimal("4.25")!)
            set.update(bar: Self.bar(price), root: cl, time: time, month: HandCurve.jan.0)
        }
        let engine = try #require(set.engine("CL"))
        for reading in engine.contributors {
            let value = try #require(reading.value, "\(reading.contributor) has no value after 120 bars")
            #expect((-1...1).contains(value))
        }
        let score = try #require(engine.score)
        #expect((-1...1).contains(score) && (0...1).contains(engine.confidence))
        #expect(engine.horizon == 5 * Self.day)
        #expect(set.engines.map(\.root) == ["BZ", "CL", "HO", "RB"])
    }

    @Test func aMarketDataBarIsReadAtItsEndAndABarWithoutEventsCarriesNone() throws {
        var engine = SignalEngine(root: "CL", configuration: Self.carryOnly)
        let bar = Bar(book: BookID(rawValue: 0), interval: .oneDay, start: 20 * Self.day, open: FIXDecimal("70.10")!,
                      high: FIXDecimal("71.00")!, low: FIXDecimal("69.50")!, close: FIXDecimal("70.25")!, volume: 1_200, tradeCount: 300)
        let update = engine.update(bar: bar, month: HandCurve.jan.0)
        #expect(update == SignalUpdate() && update.directionChange == nil && update.spreadChanges.isEmpty)
        #expect(engine.frontPrice == 70.25 && engine.frontMonth == HandCurve.jan.0 && engine.bars == 1)
        engine.update(curve: Self.curve(carry: 0.2))
        let long = try #require(engine.update(bar: bar, month: HandCurve.jan.0).directionChange)
        #expect(long.time == 21 * Self.day && long.frontPrice == 70.25)
    }

    @Test func theIndicatorsReadBarsBackAdjustedAcrossTheRoll() throws {
        var configuration = Self.carryOnly
        configuration.indicators.atr = 1                      // the ATR is the last bar's true range
        var engine = SignalEngine(root: "CL", configuration: configuration)
        let january = CurveObservation(front: HandCurve.jan.0, second: HandCurve.feb.0, frontPrice: 70, secondPrice: 72, rollYield: -0.3,
                                       slope: nil, curvature: nil, shape: .contango)
        engine.update(curve: january)
        engine.update(bar: SignalBar(open: 70, high: 70.5, low: 69.5, close: 70), time: Self.day, month: HandCurve.jan.0)
        engine.update(bar: SignalBar(open: 70, high: 70.5, low: 69.5, close: 70), time: 2 * Self.day, month: HandCurve.jan.0)
        #expect(engine.averageTrueRange.value == 1)
        // February is front, 2 above January on the last curve: its bar at 72.10 reads as 70.10.
        engine.update(bar: SignalBar(open: 72, high: 72.3, low: 71.9, close: 72.1), time: 3 * Self.day, month: HandCurve.feb.0)
        #expect(engine.rollAdjustment == 2)
        #expect(abs(try #require(engine.averageTrueRange.value) - 0.4) < 1e-12)   // not |72.3 − 70| = 2.3
        #expect(engine.frontPrice == 72.1 && engine.frontMonth == HandCurve.feb.0)
    }

    /// A rich 3-2-1 crack (z ≥ 2): short the crack, which is bullish crude and bearish gasoline.
    @Test func theSpreadsAreObservedOncePerBarTimeAndReadByEachLeg() throws {
        var configuration = SignalConfiguration.standard
        configuration.spreads[.crack321] = SpreadParameters(window: 5, entry: 1.5, exit: 0.5)
        for root in ["CL", "RB"] { configuration.roots[root]?.weights = [.crack321: 1] }
        var set = SignalSet(configuration: configuration)
        let (cl, rb) = (try #require(set.index(of: "CL")), try #require(set.index(of: "RB")))
        var changes: [SpreadStateChange] = []
        for (day, crack) in [20.0, 20, 20, 20, 30].enumerated() {
            let time = Int64(day + 1) * Self.day
            set.update(spread: .crack321, price: crack)
            for root in [cl, rb] {
                let update = set.update(bar: Self.bar(70), root: root, time: time)
                if let change = update.spreadChanges.crack321 { changes.append(change) }
            }
        }
        // One observation a day: the window of five is full on day 5, z = 2, reported once.
        #expect(changes.count == 1 && changes.first?.state == .shortSpread && changes.first?.time == 5 * Self.day)
        #expect(set.spreads.crack321.state == .shortSpread)
        // −exposure · clip(z / entry): CL (exposure −1) +1, RB (+1) −1.
        #expect(set.engines[cl].composite.value(of: .crack321) == 1)
        #expect(set.engines[rb].composite.value(of: .crack321) == -1)
        #expect(set.engines[cl].direction == .long && set.engines[rb].direction == .short)
    }
}

@Suite struct SignalRecordTests {
    static let day: Int64 = 86_400_000_000_000

    static func change(_ direction: SignalDirection, day: Int64, price: Double, month: ContractMonth? = nil) -> DirectionChange {
        DirectionChange(time: day * Self.day, root: "CL", previous: .neutral, direction: direction, score: direction.sign * 0.5,
                        confidence: 0.8, frontPrice: price, frontMonth: month, horizon: 2 * Self.day)
    }

    @Test func winRateAndAverageReturnOfAHandBuiltSequence() throws {
        var record = SignalRecord()
        #expect(record.winRate == nil && record.averageReturn == nil)
        // LONG at 100; two days later 103: +3 %, a win.
        record.open(Self.change(.long, day: 0, price: 100))
        #expect(record.observe(close: 101, month: nil, time: 1 * Self.day) == 0)
        #expect(record.observe(close: 103, month: nil, time: 2 * Self.day) == 1)
        // SHORT at 103; two days later 101: the price fell 1.94 %, a win for the short.
        record.open(Self.change(.short, day: 2, price: 103))
        record.observe(close: 104, month: nil, time: 3 * Self.day)
        record.observe(close: 101, month: nil, time: 4 * Self.day)
        // LONG at 101; two days later 99: −1.98 %, a loss.
        record.open(Self.change(.long, day: 4, price: 101))
        record.observe(close: 100, month: nil, time: 5 * Self.day)
        // NEUTRAL at 100 (kept, not counted); the LONG is measured at day 6.
        record.open(Self.change(.neutral, day: 5, price: 100))
        record.observe(close: 99, month: nil, time: 6 * Self.day)
        record.observe(close: 98, month: nil, time: 7 * Self.day)

        #expect(record.signals == 3 && record.wins == 2)
        #expect(try #require(record.winRate) == 2.0 / 3.0)
        let expected = (0.03 + 2.0 / 103.0 - 2.0 / 101.0) / 3
        #expect(abs(try #require(record.averageReturn) - expected) < 1e-15)
        #expect(record.recent.count == 4 && record.pending.isEmpty)
        let neutral = record.recent[3]
        #expect(neutral.change.direction == .neutral && neutral.signalReturn == 0 && !neutral.isWin)
        #expect(abs(neutral.priceReturn + 0.02) < 1e-15)
        #expect(record.recent[1].exitTime == 4 * Self.day && record.recent[1].exitPrice == 101)
    }

    @Test func aRollCutsTheMeasurementShortOnTheSignalsOwnContract() throws {
        var record = SignalRecord()
        let january = HandCurve.jan.0
        record.open(Self.change(.long, day: 0, price: 100, month: january))
        record.observe(close: 102, month: january, time: 1 * Self.day)
        // February is front now, at 110: the January LONG is measured at January's last close.
        #expect(record.observe(close: 110, month: HandCurve.feb.0, time: 2 * Self.day) == 1)
        let outcome = try #require(record.recent.first)
        #expect(outcome.cutShortByRoll && outcome.exitPrice == 102 && outcome.exitTime == 1 * Self.day)
        #expect(abs(outcome.signalReturn - 0.02) < 1e-15)
    }

    @Test func theRecentListIsBounded() {
        var record = SignalRecord(capacity: 2)
        for day in 0..<5 {
            record.open(Self.change(.long, day: Int64(day) * 2, price: 100))
            record.observe(close: 101, month: nil, time: Int64(day * 2 + 2) * Self.day)
        }
        #expect(record.recent.count == 2 && record.signals == 5 && record.wins == 5)
    }
}
