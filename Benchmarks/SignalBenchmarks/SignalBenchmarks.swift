import Benchmark
import SignalFixtures
import FIXCodec
import Instruments
import MarketData
import Signals

// The whole signal set per bar, through `SignalSet` with the default configuration: a
// root's latest curve (as a CurveObservation, what `SignalEngine.update(curve:)` keeps of a
// FuturesCurve) and the three spreads' prices handed in, then the bar — RSI, MACD, ATR,
// Bollinger and ROC, the term structure (carry, slope and curvature z-scores, calendar spread
// and basis-momentum), the desk's three spread z-scores and states (observed once per bar
// time), the composite and the record. 1,000 root bars a sample, reported per root bar; warmed
// up on 300 bar times first; the series rolls the front month every 21 bars and changes
// direction now and then, so the record's lists do work.
// (a) CL alone, so each of its bars also pays for the spreads' observation ((a') the same with
// every contributor weighted, so none is skipped); (b) the four roots
// at each bar time, the spreads shared; (c) as (a) with the curve handed over as the
// normalizer's 12-month FuturesCurve (exact decimals) and read into an observation each bar.
// (d) a million closes through one indicator a sample: SMA(20), ZScore(60) and MACD, in
// updates per second.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 5_000
    )

    let inputs = SignalInputs(count: 50_000, seed: 20_261_207)

    /// A benchmark of root bars fed to `harness`, `roots` root bars a step, reported per root bar.
    func perRootBar(_ name: String, _ harness: SetHarness, convertCurve: Bool = false) {
        Benchmark(name) { benchmark in
            benchmark.startMeasurement()
            for _ in 0..<(benchmark.scaledIterations.count / harness.roots.count) { harness.step(convertCurve: convertCurve) }
            benchmark.stopMeasurement()
            blackHole(harness.changes)
        }
    }

    // (a) CL alone: every bar also takes the desk's spread observation.
    perRootBar("signal set per bar, CL alone (its curve as an observation, the desk's spreads too)",
               SetHarness(inputs: inputs, roots: ["CL"], warmUp: 300))

    // (a') As (a), with every contributor weighted (the default weighs neither the curvature
    // z-score nor, for CL, the 2-1-1 crack, and an engine skips the costly signals it does not
    // weigh: here the curvature z-score is computed too).
    perRootBar("signal set per bar, CL alone, every contributor weighted",
               SetHarness(inputs: inputs, roots: ["CL"], warmUp: 300, weighEverything: true))

    // (b) The four roots at each bar time, 250 bar times a sample: 1,000 root bars, reported
    // per root bar (the spreads observed once per bar time, as the appliance does).
    perRootBar("signal set per bar per root, CL BZ RB HO together",
               SetHarness(inputs: inputs, roots: ["CL", "BZ", "RB", "HO"], warmUp: 300))

    // (c) CL alone, its curve handed over as the normalizer's 12-month FuturesCurve.
    perRootBar("signal set per bar, CL alone, curve as a 12-month FuturesCurve",
               SetHarness(inputs: inputs, roots: ["CL"], warmUp: 300), convertCurve: true)

    let closes = inputs.bars.map(\.close)
    let millionConfiguration = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .nanoseconds,
                                          warmupIterations: 1, scalingFactor: .mega, maxDuration: .seconds(3), maxIterations: 20)
    // (d) A million closes through one indicator a sample.
    func million<Indicator: Sendable>(_ name: String, _ make: @escaping @Sendable () -> Indicator,
                                      _ update: @escaping @Sendable (inout Indicator, Double) -> Double?) {
        Benchmark("\(name), a million bar updates", configuration: millionConfiguration) { benchmark in
            var indicator = make()
            var index = 0
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(update(&indicator, closes[index]))
                index += 1
                if index == closes.count { index = 0 }
            }
            benchmark.stopMeasurement()
        }
    }
    million("SMA(20)", { SimpleMovingAverage(period: 20) }, { $0.update($1) })
    million("ZScore(60)", { ZScore(period: 60) }, { $0.update($1) })
    million("MACD(12, 26, 9)", { MACD() }, { $0.update($1)?.histogram })
}
