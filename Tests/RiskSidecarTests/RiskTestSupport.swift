import FIXCodec
import FIXVocabulary
import Foundation
import Instruments
import Logging
import RiskSidecar
import Synchronization
import TestSupport

/// The four oil contracts, as the gateway would hand them over.
enum TestContracts {
    static let cl = ContractSpec(root: "CL", name: "WTI Crude Oil", exchange: "NYMEX", contractSize: 1_000,
                                 priceUnit: "$/bbl", tickSize: FIXDecimal(mantissa: 1, scale: 2), tickValue: 10)
    static let bz = ContractSpec(root: "BZ", name: "Brent Last Day Financial", exchange: "NYMEX", contractSize: 1_000,
                                 priceUnit: "$/bbl", tickSize: FIXDecimal(mantissa: 1, scale: 2), tickValue: 10)
    static let rb = ContractSpec(root: "RB", name: "RBOB Gasoline", exchange: "NYMEX", contractSize: 42_000,
                                 priceUnit: "$/gal", tickSize: FIXDecimal(mantissa: 1, scale: 4),
                                 tickValue: FIXDecimal(mantissa: 42, scale: 1))
    static let ho = ContractSpec(root: "HO", name: "NY Harbor ULSD", exchange: "NYMEX", contractSize: 42_000,
                                 priceUnit: "$/gal", tickSize: FIXDecimal(mantissa: 1, scale: 4),
                                 tickValue: FIXDecimal(mantissa: 42, scale: 1))
    static let all = [cl, bz, rb, ho]
}

/// Deterministic times: Tuesday 3 March 2026, 15:00 UTC (10:00 in New York, Globex open).
enum T {
    static let second: Int64 = 1_000_000_000
    static let millisecond: Int64 = 1_000_000
    static let zero: Int64 = 1_772_550_000 * second
    static func at(seconds: Int64 = 0, ms: Int64 = 0) -> Int64 { zero + seconds * second + ms * millisecond }
}

func dec(_ text: String) -> FIXDecimal {
    guard let value = FIXDecimal(text) else { fatalError("not a decimal: \(text)") }
    return value
}

/// Builds orders with distinct keys and ClOrdIDs.
struct OrderFactory {
    private var next = 0

    mutating func order(_ side: Side = .buy, _ quantity: Int64 = 10, _ symbol: String = "CLK6", at price: String? = "75.30",
                        account: String = "DESK1", session: String = "OMS1", type: OrderType = .limit,
                        stop: String? = nil, tif: TimeInForce = .day, root: String? = nil) -> RiskOrder {
        next += 1
        return RiskOrder(key: RiskOrderKey(Int64(next)), clOrdID: "C\(next)", account: account, session: session,
                         symbol: symbol, root: root ?? String(symbol.prefix(2)), side: side, quantity: quantity, type: type,
                         price: price.map(dec), stopPrice: stop.map(dec), timeInForce: tif)
    }

    mutating func replace(_ key: RiskOrderKey, quantity: Int64, price: String?, session: String = "OMS1",
                          type: OrderType = .limit) -> RiskReplace {
        next += 1
        return RiskReplace(key: key, clOrdID: "C\(next)", session: session, quantity: quantity, type: type,
                           price: price.map(dec))
    }

    mutating func cancel(_ key: RiskOrderKey, session: String = "OMS1") -> RiskCancel {
        next += 1
        return RiskCancel(key: key, clOrdID: "C\(next)", session: session)
    }
}

/// Every log line, for tests that look for warnings.
final class LogCapture: Sendable {
    struct Line: Sendable {
        var level: Logger.Level
        var message: String
    }

    private let storage = Mutex<[Line]>([])

    var lines: [Line] { storage.withLock { $0 } }

    func append(_ line: Line) { storage.withLock { $0.append(line) } }

    func warnings(containing text: String) -> [Line] {
        lines.filter { $0.level == .warning && $0.message.contains(text) }
    }

    var logger: Logger {
        Logger(label: "risk-test") { _ in CapturingLogHandler(capture: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The line as a log shows it: the message, then its metadata (the handler's and the event's).
    func log(event: LogEvent) {
        let values = metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        capture.append(.init(level: event.level, message: ([event.message.description] + values).joined(separator: " ")))
    }
}

/// An engine with the four contracts and reference prices for the months the tests use.
func makeEngine(_ limits: RiskLimits, logs: LogCapture = LogCapture()) -> RiskEngine {
    var engine = RiskEngine(limits: limits, contracts: TestContracts.all, logger: logs.logger)
    engine.updateReferencePrices(ReferencePrices(last: dec("75.28"), bid: dec("75.27"), ask: dec("75.29"),
                                                 settlement: dec("75.00")), symbol: "CLK6", root: "CL", now: T.zero)
    engine.updateReferencePrices(ReferencePrices(last: dec("75.60"), bid: dec("75.59"), ask: dec("75.61"),
                                                 settlement: dec("75.40")), symbol: "CLM6", root: "CL", now: T.zero)
    engine.updateReferencePrices(ReferencePrices(last: dec("2.1500"), bid: dec("2.1499"), ask: dec("2.1501"),
                                                 settlement: dec("2.1400")), symbol: "RBK6", root: "RB", now: T.zero)
    return engine
}

/// The shipped limits file.
let shippedLimitsPath = TestDictionaries.path("sessions/risk-limits.yaml")

extension RiskDecision {
    /// The rejection, or a description of why there is none (for `#expect` messages).
    var check: RiskCheck? { rejection?.check }
    var text: String { rejection?.text ?? "accepted" }
}
