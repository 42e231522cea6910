import Benchmark
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

/// A deterministic crude-like series and what goes with each bar, in arrays of their own so
/// that a step reads only what it hands over.
struct SignalInputs: Sendable {
    static let day: Int64 = 86_400_000_000_000
    var bars: [SignalBar] = []
    var times: [Int64] = []
    var months: [ContractMonth] = []
    var curves: [CurveObservation] = []
    var futuresCurves: [FuturesCurve] = []
    var crack321: [Double] = []
    var crack211: [Double] = []
    var brentWTI: [Double] = []

    var count: Int { bars.count }

    init(count: Int, seed: UInt64) {
        var state = seed
        func uniform() -> Double {
            // SplitMix64.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        func tick(_ price: Double, _ size: Double) -> Double { (price / size).rounded() * size }
        var price = 70.0
        var spread = 0.4
        var crack = 25.0
        var brent = 4.0
        let firstMonth = ContractMonth(year: 2027, month: 1)!
        for index in 0..<count {
            price = tick(price + 0.02 * (70 - price) + (uniform() - 0.5) * 2.4, 0.01)
            spread += 0.05 * (0.3 - spread) + (uniform() - 0.5) * 0.12
            crack += 0.05 * (25 - crack) + (uniform() - 0.5) * 1.5
            brent += 0.05 * (4 - brent) + (uniform() - 0.5) * 0.4
            // The front month rolls every 21 bars.
            let month = firstMonth.advanced(by: index / 21)
            let second = tick(price - spread, 0.01)
            let third = tick(second - spread * 0.8, 0.01)
            var points: [CurvePoint] = []
            for offset in 0..<12 {
                let contract = month.advanced(by: offset)
                let value = offset == 0 ? price : offset == 1 ? second : tick(third - Double(offset - 2) * spread * 0.6, 0.01)
                points.append(CurvePoint(book: BookID(rawValue: Int32(offset)), symbol: contract.symbol(root: "CL"), month: contract,
                                         lastTradeDate: contract.previous.lastDay.adding(days: -6),
                                         price: FIXDecimal(mantissa: Int64((value * 100).rounded()), scale: 2)))
            }
            let futuresCurve = FuturesCurve(root: "CL", points: points)
            bars.append(SignalBar(open: price, high: price + uniform() * 0.8, low: price - uniform() * 0.8, close: price))
            times.append(Int64(index + 1) * Self.day)
            months.append(month)
            curves.append(CurveObservation(curve: futuresCurve)!)
            futuresCurves.append(futuresCurve)
            crack321.append(crack)
            crack211.append(crack * 1.1)
            brentWTI.append(brent)
        }
    }
}

/// A `SignalSet` (the default configuration: CL, BZ, RB, HO) and a cursor into the inputs.
final class SetHarness: @unchecked Sendable {
    @exclusivity(unchecked) var set: SignalSet
    let inputs: SignalInputs
    /// The roots fed, by engine index; each reads the series from its own offset.
    let roots: [Int]
    var cursor = 0
    /// Bar times fed.
    var times = 0
    /// Direction changes seen, so the work is not optimised away.
    var changes = 0
    /// Between two bar times: a minute.
    static let step: Int64 = 60_000_000_000

    init(inputs: SignalInputs, roots: [String], warmUp: Int, weighEverything: Bool = false) {
        self.inputs = inputs
        // The default configuration, but a minute between bar times and a horizon of five bars
        // (as the default's five days on daily bars): daily times would overflow Int64
        // nanoseconds after 106,751 bars, and a benchmark runs millions.
        var configuration = SignalConfiguration.standard
        for root in configuration.roots.keys { configuration.roots[root]?.horizon = 5 * Self.step }
        if weighEverything {
            // Every contributor the root can have, weighted: nothing left out.
            for (root, var rootConfiguration) in configuration.roots {
                for contributor in SignalContributor.allCases where (rootConfiguration.weights[contributor] ?? 0) == 0 {
                    if let spread = contributor.spread, spread.exposure(of: root) == 0 { continue }
                    rootConfiguration.weights[contributor] = 0.05
                }
                configuration.roots[root] = rootConfiguration
            }
        }
        let set = SignalSet(configuration: configuration)
        self.roots = roots.map { set.index(of: $0)! }
        self.set = set
        for _ in 0..<warmUp { step(convertCurve: false) }
    }

    /// One bar time: each root's curve and bar, and the three spreads' prices.
    @inline(__always)
    func step(convertCurve: Bool) {
        let index = cursor
        cursor += 1
        if cursor == inputs.count { cursor = 0 }
        times += 1
        let time = Int64(times) * Self.step
        set.update(spread: .crack321, price: inputs.crack321[index])
        set.update(spread: .crack211, price: inputs.crack211[index])
        set.update(spread: .brentWTI, price: inputs.brentWTI[index])
        for (offset, root) in roots.enumerated() {
            var at = index + offset * 997
            if at >= inputs.count { at -= inputs.count }
            if convertCurve {
                set.update(curve: inputs.futuresCurves[at])
            } else {
                set.update(curve: inputs.curves[at], root: root)
            }
            if set.update(bar: inputs.bars[at], root: root, time: time, month: inputs.months[at]).directionChange != nil {
                changes += 1
            }
        }
    }
}

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
