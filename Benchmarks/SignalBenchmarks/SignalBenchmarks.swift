import Benchmark
import FIXCodec
import Instruments
import MarketData
import Signals

// (a) "signal set per bar": one root's (CL's) whole signal set, as the default configuration
// sets it, updated per daily bar: the bar's latest curve (as a CurveObservation, what
// `SignalEngine.update(curve:)` keeps of a FuturesCurve) and the three spreads' prices handed
// in, then `update(bar:)` — RSI, MACD, ATR, Bollinger, ROC and volatility, the term structure
// (carry, slope and curvature z-scores, calendar spread and basis-momentum), the three spread
// z-scores and states, the composite and the record. 1,000 bars a sample, reported per bar;
// the engine is warmed up on 300 bars first, and the series rolls the front month every 21 bars
// and changes direction now and then, so the record's lists do work.
// (b) the same with the curve given as a 12-month `FuturesCurve` (exact decimals) and read
// into an observation each bar: what the appliance pays when it hands the normalizer's curve
// over unconverted.
// (c), (d) a million bar closes through one indicator, SMA(20) and MACD(12, 26, 9), a
// sample: throughput in updates per second.

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

final class EngineHarness: @unchecked Sendable {
    @exclusivity(unchecked) var engine: SignalEngine
    let inputs: SignalInputs
    var cursor = 0
    /// Direction changes seen, so the work is not optimised away.
    var changes = 0

    init(inputs: SignalInputs, warmUp: Int) {
        self.inputs = inputs
        engine = SignalEngine(root: "CL", configuration: .standard)!
        for _ in 0..<warmUp { step(convertCurve: false) }
    }

    @inline(__always)
    func step(convertCurve: Bool) {
        let index = cursor
        cursor += 1
        if cursor == inputs.count { cursor = 0 }
        if convertCurve {
            engine.update(curve: inputs.futuresCurves[index])
        } else {
            engine.update(curve: inputs.curves[index])
        }
        engine.update(spread: .crack321, price: inputs.crack321[index])
        engine.update(spread: .crack211, price: inputs.crack211[index])
        engine.update(spread: .brentWTI, price: inputs.brentWTI[index])
        if engine.update(bar: inputs.bars[index], time: inputs.times[index], month: inputs.months[index]).directionChange != nil {
            changes += 1
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

    let observed = EngineHarness(inputs: inputs, warmUp: 300)
    Benchmark("signal set per bar, one root (CL), curve as an observation") { benchmark in
        let harness = observed
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { harness.step(convertCurve: false) }
        benchmark.stopMeasurement()
        blackHole(harness.changes)
    }

    let converted = EngineHarness(inputs: inputs, warmUp: 300)
    Benchmark("signal set per bar, one root (CL), curve as a 12-month FuturesCurve") { benchmark in
        let harness = converted
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { harness.step(convertCurve: true) }
        benchmark.stopMeasurement()
        blackHole(harness.changes)
    }

    let closes = inputs.bars.map(\.close)
    let million = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .nanoseconds,
                                          warmupIterations: 1, scalingFactor: .mega, maxDuration: .seconds(3), maxIterations: 20)
    Benchmark("SMA(20), a million bar updates", configuration: million) { benchmark in
        var sma = SimpleMovingAverage(period: 20)
        var index = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(sma.update(closes[index]))
            index += 1
            if index == closes.count { index = 0 }
        }
        benchmark.stopMeasurement()
    }

    Benchmark("MACD(12, 26, 9), a million bar updates", configuration: million) { benchmark in
        var macd = MACD()
        var index = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(macd.update(closes[index]))
            index += 1
            if index == closes.count { index = 0 }
        }
        benchmark.stopMeasurement()
    }
}
