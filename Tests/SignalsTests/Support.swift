import Foundation
import Signals
import Testing
import TestSupport

/// The two kinds of bar the tests run on: the issue asks for any interval the normalizer keeps
/// (1m … 1d), and the quiet one is where a variance's digits are scarcest.
enum BarInterval: String, CaseIterable, Sendable {
    /// 1.5 % a bar, pulled back 1 % of the way to 70 a bar: it wanders about 63–78.
    case daily
    /// 0.03 % a bar (one or two ticks), pulled back 0.02 % a bar: it wanders about 67–74, and a
    /// 20-bar window's variance is ~0.002 against x² ≈ 4900, so a running sum of squares that
    /// drifted would show at once.
    case minute

    var barVolatility: Double { self == .daily ? 0.015 : 0.0003 }
    var reversion: Double { self == .daily ? 0.01 : 0.0002 }
}

/// Crude-oil-like bars from a seeded generator: the log close is an Ornstein–Uhlenbeck walk
/// around ln 70 (so it never wanders away, even over a million bars), each open a small gap
/// from the previous close, the high and low beyond both, prices on the 0.01 tick (so there are
/// ties for MAX/MIN and flat bars for RSI).
enum PriceSeries {
    static func crudeLike(count: Int, seed: UInt64, interval: BarInterval) -> [SignalBar] {
        var random = SeededRandom(seed: seed)
        func normal() -> Double {
            // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
            let u = 1 - Double(random.next() >> 11) / Double(1 << 53)
            let v = Double(random.next() >> 11) / Double(1 << 53)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
        }
        func tick(_ price: Double) -> Double { (price * 100).rounded() / 100 }
        let center = log(70.0)
        let sigma = interval.barVolatility
        var logClose = center
        var bars: [SignalBar] = []
        bars.reserveCapacity(count)
        var previousClose = 70.0
        for _ in 0..<count {
            logClose += interval.reversion * (center - logClose) + sigma * normal()
            let open = tick(previousClose * exp(0.2 * sigma * normal()))
            let close = tick(exp(logClose))
            let high = tick(max(open, close) * exp(abs(0.4 * sigma * normal()))) + 0.01
            let low = tick(min(open, close) * exp(-abs(0.4 * sigma * normal()))) - 0.01
            bars.append(SignalBar(open: open, high: high, low: low, close: close,
                                  volume: Double(1000 + random.next(upTo: 20000))))
            previousClose = close
        }
        return bars
    }
}

/// Reference values computed by `talib_reference.py` (TA-Lib, or numpy where said) on a series.
struct ReferenceValues: Sendable {
    private let outputs: [String: [Double]]

    /// Runs the script once for all `requests` (`NAME FUNCTION ARGUMENT…`, see the script).
    init(bars: [SignalBar], requests: [String]) throws {
        let directory = TemporaryDirectory("signals-talib")
        defer { directory.remove() }
        try Self.write(bars.map(\.open), to: directory.path("open.f64"))
        try Self.write(bars.map(\.high), to: directory.path("high.f64"))
        try Self.write(bars.map(\.low), to: directory.path("low.f64"))
        try Self.write(bars.map(\.close), to: directory.path("close.f64"))
        try (requests.joined(separator: "\n") + "\n").write(toFile: directory.path("requests.txt"), atomically: true, encoding: .utf8)
        try TALib.runPython(script: Self.script, arguments: [directory.url.path])
        var outputs: [String: [Double]] = [:]
        let out = directory.url.appendingPathComponent("out")
        for name in try FileManager.default.contentsOfDirectory(atPath: out.path) where name.hasSuffix(".f64") {
            let data = try Data(contentsOf: out.appendingPathComponent(name))
            var values = [Double](repeating: 0, count: data.count / MemoryLayout<Double>.size)
            _ = values.withUnsafeMutableBytes { data.copyBytes(to: $0) }
            outputs[String(name.dropLast(4))] = values
        }
        self.outputs = outputs
    }

    subscript(name: String) -> [Double] {
        guard let values = outputs[name] else {
            Issue.record("no reference output named \(name)")
            return []
        }
        return values
    }

    private static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("talib_reference.py").path

    /// Native-endian float64, as numpy's `fromfile` reads it.
    private static func write(_ values: [Double], to path: String) throws {
        try values.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: path))
    }
}

/// How close is close enough: `|ours − reference| ≤ max(relative · max(|ours|, |reference|), absolute)`.
///
/// The relative bound is the issue's 1e-9, for every indicator. The absolute floor is only for
/// values that pass through zero, where a relative bound asks for more digits than the inputs
/// have: each such value is a difference of two numbers of the price's size (~70), whose
/// rounding alone is a few ulps of 70 (one is 1.4e-14), and a value near 0 is all rounding.
/// - `throughZero`, 1e-12 (about 70 ulps of 70): MACD's line, signal and histogram, and the
///   rate of change.
/// - `zScoreExact`, 1e-10: the z-score divides that rounding of `x − mean` by σ, as small as
///   ~0.004 for five one-minute closes on the 0.01 tick, so a z-score whose true value is 0
///   comes out as anything up to ~4e-12 from an exact (numpy two-pass) mean; 2e-12 is seen.
/// - `zScore`, 1e-9, against TA-Lib: there the mean is TA-Lib's running-sum SMA, whose error
///   grows along the series (a few e-13 of the price after 3,000 bars), and divided by that σ
///   it reaches 6.6e-11 on the one-minute series; 1e-9 is what 1e-9 relative allows a z of 1.
/// Averages, bands, deviations, ranges, RSI and volatilities stay away from 0 and have no floor.
struct Tolerance: Sendable {
    var relative = 1e-9
    var absolute = 0.0

    static let strict = Tolerance()
    static let throughZero = Tolerance(absolute: 1e-12)
    static let zScore = Tolerance(absolute: 1e-9)
    static let zScoreExact = Tolerance(absolute: 1e-10)

    func accepts(_ ours: Double, _ reference: Double) -> Bool {
        abs(ours - reference) <= max(relative * max(abs(ours), abs(reference)), absolute)
    }
}

/// Checks every point: `nil` exactly where the reference is NaN (the warm-up), and within
/// `tolerance` everywhere else; given `lookback`, that the reference's first value is there
/// too (TA-Lib's look-back). Records the first few disagreements.
func expectAgreement(_ ours: [Double?], _ reference: [Double], _ label: String, tolerance: Tolerance = .strict,
                     lookback: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    if let lookback {
        let first = reference.firstIndex { !$0.isNaN }
        #expect(first == lookback, "\(label): the reference's first value is at \(first.map(String.init) ?? "none")",
                sourceLocation: sourceLocation)
    }
    guard ours.count == reference.count else {
        Issue.record("\(label): \(ours.count) outputs against \(reference.count) reference values", sourceLocation: sourceLocation)
        return
    }
    var disagreements = 0
    for (index, (value, expected)) in zip(ours, reference).enumerated() {
        let agrees: Bool
        switch value {
        case nil: agrees = expected.isNaN
        case let value?: agrees = !expected.isNaN && tolerance.accepts(value, expected)
        }
        guard !agrees else { continue }
        disagreements += 1
        if disagreements <= 5 {
            Issue.record("\(label) at \(index): \(value.map { "\($0)" } ?? "nil") against \(expected)", sourceLocation: sourceLocation)
        }
    }
    if disagreements > 5 {
        Issue.record("\(label): \(disagreements) disagreements in all", sourceLocation: sourceLocation)
    }
}
