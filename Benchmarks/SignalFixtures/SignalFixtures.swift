import FIXCodec
import Instruments
import MarketData
import Signals

// The signal benchmarks' inputs and harness, shared by SignalBenchmarks and SignalProfile.

/// A deterministic crude-like series and what goes with each bar, in arrays of their own so
/// that a step reads only what it hands over.
public struct SignalInputs: Sendable {
    public static let day: Int64 = 86_400_000_000_000
    public var bars: [SignalBar] = []
    public var times: [Int64] = []
    public var months: [ContractMonth] = []
    public var curves: [CurveObservation] = []
    public var futuresCurves: [FuturesCurve] = []
    public var crack321: [Double] = []
    public var crack211: [Double] = []
    public var brentWTI: [Double] = []

    public var count: Int { bars.count }

    public init(count: Int, seed: UInt64) {
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
public final class SetHarness: @unchecked Sendable {
    @exclusivity(unchecked) public var set: SignalSet
    public let inputs: SignalInputs
    /// The roots fed, by engine index; each reads the series from its own offset.
    public let roots: [Int]
    public var cursor = 0
    /// Bar times fed.
    public var times = 0
    /// Direction changes seen, so the work is not optimised away.
    public var changes = 0
    /// Between two bar times: a minute.
    public static let step: Int64 = 60_000_000_000

    public init(inputs: SignalInputs, roots: [String], warmUp: Int, weighEverything: Bool = false) {
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
    public func step(convertCurve: Bool) {
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
