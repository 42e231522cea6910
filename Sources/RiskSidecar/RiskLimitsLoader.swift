import FIXCodec
import Foundation
import Yams

/// A limits file that cannot be used: names the file, the key path and what is wrong, as
/// `risk-limits.yaml: accounts.DESK1.maxOrderSize: expected a positive integer, got 'ten'`.
public struct RiskLimitsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// Dotted path of the offending key, `accounts.DESK1.maxOrderSize`; `nil` for the file as a whole.
    public var keyPath: String?
    /// 1-based line of the offending node, when the YAML parser knows it.
    public var line: Int?
    public var message: String

    public init(file: String, keyPath: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.keyPath = keyPath
        self.line = line
        self.message = message
    }

    public var description: String {
        if let keyPath { return "\(file): \(keyPath): \(message)" }
        return "\(file): \(message)"
    }
}

extension RiskLimits {
    /// Reads and checks a limits file. Unknown keys, wrong types and keys that make no sense at
    /// their scope are errors naming the file and the key path.
    public static func load(path: String) throws(RiskLimitsError) -> RiskLimits {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RiskLimitsError(file: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses limits from YAML text; `file` names it in errors.
    public static func parse(yaml: String, file: String = "risk-limits.yaml") throws(RiskLimitsError) -> RiskLimits {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw RiskLimitsError(file: file, message: "not valid YAML: \(error)")
        } catch {
            throw RiskLimitsError(file: file, message: "not valid YAML: \(error)")
        }
        return try LimitsParser(file: file).limits(root)
    }
}

/// Where each key may appear, and why not elsewhere.
private enum ScopeKind: String {
    case firm, account, session, root, symbol
}

private struct LimitsParser {
    let file: String

    func fail(_ path: String?, _ node: Node?, _ message: String) -> RiskLimitsError {
        RiskLimitsError(file: file, keyPath: path, line: node?.mark?.line, message: message)
    }

    func limits(_ node: Node?) throws(RiskLimitsError) -> RiskLimits {
        var limits = RiskLimits()
        guard let node, !isNull(node) else { return limits }
        for (key, value) in try entries(node, path: nil) {
            switch key {
            case "firm": limits.firm = try limitSet(value, path: "firm", scope: .firm)
            case "accounts": limits.accounts = try scopes(value, path: "accounts", scope: .account)
            case "sessions": limits.sessions = try scopes(value, path: "sessions", scope: .session)
            case "roots": limits.roots = try scopes(value, path: "roots", scope: .root)
            case "symbols": limits.symbols = try scopes(value, path: "symbols", scope: .symbol)
            case "warnings":
                for (levelKey, levelValue) in try entries(value, path: "warnings") {
                    let path = "warnings.\(levelKey)"
                    switch levelKey {
                    case "warning": limits.warningPercent = try percentLevel(levelValue, path: path)
                    case "critical": limits.criticalPercent = try percentLevel(levelValue, path: path)
                    default: throw unknownKey(path, levelValue, expected: ["warning", "critical"])
                    }
                }
                guard limits.warningPercent < limits.criticalPercent else {
                    throw fail("warnings", value, "warning (\(limits.warningPercent)) must be below critical (\(limits.criticalPercent))")
                }
            default:
                throw unknownKey(key, value, expected: ["firm", "accounts", "sessions", "roots", "symbols", "warnings"])
            }
        }
        return limits
    }

    func unknownKey(_ path: String, _ node: Node, expected: [String]) -> RiskLimitsError {
        fail(path, node, "unknown key (expected one of: \(expected.joined(separator: ", ")))")
    }

    func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return node.null != nil || (scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string))
    }

    /// A mapping's entries with string keys, in file order, refusing repeated keys.
    func entries(_ node: Node, path: String?) throws(RiskLimitsError) -> [(String, Node)] {
        if isNull(node) { return [] }
        guard let mapping = node.mapping else {
            throw fail(path, node, "expected a mapping of keys, got \(describe(node))")
        }
        var seen = Set<String>()
        var result: [(String, Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, !key.isEmpty else {
                throw fail(path, keyNode, "keys must be plain names")
            }
            let keyPath = path.map { "\($0).\(key)" } ?? key
            guard seen.insert(key).inserted else { throw fail(keyPath, keyNode, "key appears twice") }
            result.append((key, value))
        }
        return result
    }

    func describe(_ node: Node) -> String {
        if let scalar = node.scalar { return "'\(scalar.string)'" }
        if node.mapping != nil { return "a mapping" }
        if node.sequence != nil { return "a list" }
        return "an alias"
    }

    func scopes(_ node: Node, path: String, scope: ScopeKind) throws(RiskLimitsError) -> [String: LimitSet] {
        var result: [String: LimitSet] = [:]
        for (name, value) in try entries(node, path: path) {
            result[name] = try limitSet(value, path: "\(path).\(name)", scope: scope)
        }
        return result
    }

    static let allKeys = [
        "maxOrderSize", "maxOrderValue", "priceCollar", "marketProtection", "maxPositionPerMonth",
        "maxPositionPerRoot", "maxGrossNotional", "dailyLoss", "orderRate", "messageRate", "duplicateWindow",
        "restricted", "tradingHours", "selfTradePrevention", "tradingState", "cancelOnDisconnect",
    ]

    /// `nil` when `key` may appear at `scope`, else why not.
    func notAllowed(_ key: String, at scope: ScopeKind) -> String? {
        switch (key, scope) {
        case ("restricted", .firm):
            return "not available at firm scope (set tradingState: HALTED to stop the firm)"
        case ("dailyLoss", .session):
            return "not available at session scope (P&L is kept per account and instrument)"
        case ("maxPositionPerRoot", .symbol):
            return "not available at symbol scope (a contract month has no root-wide position; use maxPositionPerMonth)"
        case ("orderRate", .root), ("orderRate", .symbol), ("messageRate", .root), ("messageRate", .symbol):
            return "not available at \(scope.rawValue) scope (throttles are per firm, account or session)"
        case ("selfTradePrevention", .session), ("selfTradePrevention", .root), ("selfTradePrevention", .symbol),
             ("tradingState", .session), ("tradingState", .root), ("tradingState", .symbol):
            return "not available at \(scope.rawValue) scope (only firm and account)"
        case ("tradingHours", .account), ("tradingHours", .session):
            return "not available at \(scope.rawValue) scope (trading hours belong to the firm, a root or a symbol)"
        case ("cancelOnDisconnect", .account), ("cancelOnDisconnect", .root), ("cancelOnDisconnect", .symbol):
            return "not available at \(scope.rawValue) scope (only firm and session)"
        default:
            return nil
        }
    }

    func limitSet(_ node: Node, path: String, scope: ScopeKind) throws(RiskLimitsError) -> LimitSet {
        var set = LimitSet()
        for (key, value) in try entries(node, path: path) {
            let keyPath = "\(path).\(key)"
            guard Self.allKeys.contains(key) else { throw unknownKey(keyPath, value, expected: Self.allKeys) }
            if let reason = notAllowed(key, at: scope) { throw fail(keyPath, value, reason) }
            switch key {
            case "maxOrderSize": set.maxOrderSize = try positiveInteger(value, path: keyPath)
            case "maxOrderValue": set.maxOrderValue = try positiveDecimal(value, path: keyPath)
            case "priceCollar": set.priceCollar = try priceCollar(value, path: keyPath)
            case "marketProtection": set.marketProtection = try marketProtection(value, path: keyPath)
            case "maxPositionPerMonth": set.maxPositionPerMonth = try nonNegativeInteger(value, path: keyPath)
            case "maxPositionPerRoot": set.maxPositionPerRoot = try nonNegativeInteger(value, path: keyPath)
            case "maxGrossNotional": set.maxGrossNotional = try positiveDecimal(value, path: keyPath)
            case "dailyLoss": set.dailyLoss = try dailyLoss(value, path: keyPath)
            case "orderRate": set.orderRate = try rateLimit(value, path: keyPath)
            case "messageRate": set.messageRate = try rateLimit(value, path: keyPath)
            case "duplicateWindow": set.duplicateWindowNanos = try duration(value, path: keyPath)
            case "restricted": set.restricted = try bool(value, path: keyPath)
            case "tradingHours": set.tradingHours = try tradingHours(value, path: keyPath)
            case "selfTradePrevention":
                set.selfTradePrevention = try choice(value, path: keyPath, SelfTradeMode.allCases.map { ($0.rawValue, $0) })
            case "tradingState":
                set.tradingState = try choice(value, path: keyPath, TradingState.allCases.map { ($0.rawValue, $0) })
            case "cancelOnDisconnect": set.cancelOnDisconnect = try bool(value, path: keyPath)
            default: break
            }
        }
        return set
    }

    // MARK: Values

    func scalar(_ node: Node, path: String, expected: String) throws(RiskLimitsError) -> String {
        guard let scalar = node.scalar, !isNull(node) else {
            throw fail(path, node, "expected \(expected), got \(isNull(node) ? "nothing" : describe(node))")
        }
        return scalar.string
    }

    func integer(_ node: Node, path: String, expected: String, minimum: Int64) throws(RiskLimitsError) -> Int64 {
        let text = try scalar(node, path: path, expected: expected)
        let digits = text.replacingOccurrences(of: "_", with: "")
        guard let value = Int64(digits), value >= minimum else {
            throw fail(path, node, "expected \(expected), got '\(text)'")
        }
        return value
    }

    func positiveInteger(_ node: Node, path: String) throws(RiskLimitsError) -> Int64 {
        try integer(node, path: path, expected: "a positive integer", minimum: 1)
    }

    func nonNegativeInteger(_ node: Node, path: String) throws(RiskLimitsError) -> Int64 {
        try integer(node, path: path, expected: "a non-negative integer", minimum: 0)
    }

    func positiveDecimal(_ node: Node, path: String) throws(RiskLimitsError) -> FIXDecimal {
        let text = try scalar(node, path: path, expected: "a positive number")
        guard let value = FIXDecimal(text.replacingOccurrences(of: "_", with: "")), !value.isNegative, !value.isZero else {
            throw fail(path, node, "expected a positive number, got '\(text)'")
        }
        return value
    }

    func percentLevel(_ node: Node, path: String) throws(RiskLimitsError) -> Int {
        let value = try integer(node, path: path, expected: "a percentage from 1 to 100", minimum: 1)
        guard value <= 100 else { throw fail(path, node, "expected a percentage from 1 to 100, got '\(value)'") }
        return Int(value)
    }

    func bool(_ node: Node, path: String) throws(RiskLimitsError) -> Bool {
        let text = try scalar(node, path: path, expected: "true or false")
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw fail(path, node, "expected true or false, got '\(text)'")
        }
    }

    func choice<T>(_ node: Node, path: String, _ options: [(String, T)]) throws(RiskLimitsError) -> T {
        let names = options.map(\.0).joined(separator: ", ")
        let text = try scalar(node, path: path, expected: "one of \(names)")
        guard let match = options.first(where: { $0.0 == text }) else {
            throw fail(path, node, "expected one of \(names), got '\(text)'")
        }
        return match.1
    }

    /// `500ms`, `1s`, `3s`, `2m`, `1h` (also `ns`, `us`) into nanoseconds.
    func duration(_ node: Node, path: String) throws(RiskLimitsError) -> Int64 {
        let expected = "a duration such as 500ms, 1s or 2m"
        let text = try scalar(node, path: path, expected: expected)
        let units: [(String, Int64)] = [
            ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
            ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        for (suffix, nanos) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard let value = Int64(number), value > 0 else { break }
            let (product, overflow) = value.multipliedReportingOverflow(by: nanos)
            guard !overflow else { break }
            return product
        }
        throw fail(path, node, "expected \(expected), got '\(text)'")
    }

    func priceCollar(_ node: Node, path: String) throws(RiskLimitsError) -> PriceCollar {
        var width: PriceCollar.Width?
        var references: [ReferencePriceKind] = [.last, .mid, .settlement]
        let keys = ["ticks", "percent", "reference"]
        for (key, value) in try entries(node, path: path) {
            let keyPath = "\(path).\(key)"
            switch key {
            case "ticks", "percent":
                guard width == nil else { throw fail(keyPath, value, "give ticks or percent, not both") }
                width = key == "ticks" ? .ticks(try positiveInteger(value, path: keyPath))
                    : .percent(try positiveDecimal(value, path: keyPath))
            case "reference":
                let options = ReferencePriceKind.allCases.map { ($0.rawValue, $0) }
                if let list = value.sequence {
                    references = []
                    for (index, item) in list.enumerated() {
                        references.append(try choice(item, path: "\(keyPath)[\(index)]", options))
                    }
                    guard !references.isEmpty else { throw fail(keyPath, value, "expected at least one reference") }
                } else {
                    references = [try choice(value, path: keyPath, options)]
                }
            default:
                throw unknownKey(keyPath, value, expected: keys)
            }
        }
        guard let width else { throw fail(path, node, "expected ticks or percent") }
        return PriceCollar(width, references: references)
    }

    func marketProtection(_ node: Node, path: String) throws(RiskLimitsError) -> MarketProtection {
        var protection: MarketProtection?
        for (key, value) in try entries(node, path: path) {
            let keyPath = "\(path).\(key)"
            switch key {
            case "points", "ticks":
                guard protection == nil else { throw fail(keyPath, value, "give points or ticks, not both") }
                protection = key == "points" ? .points(try positiveDecimal(value, path: keyPath))
                    : .ticks(try positiveInteger(value, path: keyPath))
            default:
                throw unknownKey(keyPath, value, expected: ["points", "ticks"])
            }
        }
        guard let protection else { throw fail(path, node, "expected points or ticks") }
        return protection
    }

    func dailyLoss(_ node: Node, path: String) throws(RiskLimitsError) -> DailyLossLimit {
        var limit: FIXDecimal?
        var allowReducing = false
        for (key, value) in try entries(node, path: path) {
            let keyPath = "\(path).\(key)"
            switch key {
            case "limit": limit = try positiveDecimal(value, path: keyPath)
            case "allowReducing": allowReducing = try bool(value, path: keyPath)
            default: throw unknownKey(keyPath, value, expected: ["limit", "allowReducing"])
            }
        }
        guard let limit else { throw fail("\(path).limit", node, "missing (the loss, in dollars, that stops new orders)") }
        return DailyLossLimit(limit: limit, allowReducing: allowReducing)
    }

    func rateLimit(_ node: Node, path: String) throws(RiskLimitsError) -> RateLimit {
        var limit: Int64?
        var window: Int64?
        var logoutAbove: Int64?
        var logoutNode: Node?
        for (key, value) in try entries(node, path: path) {
            let keyPath = "\(path).\(key)"
            switch key {
            case "limit": limit = try positiveInteger(value, path: keyPath)
            case "window": window = try duration(value, path: keyPath)
            case "logoutAbove":
                logoutAbove = try positiveInteger(value, path: keyPath)
                logoutNode = value
            default: throw unknownKey(keyPath, value, expected: ["limit", "window", "logoutAbove"])
            }
        }
        guard let limit else { throw fail("\(path).limit", node, "missing (messages allowed in the window)") }
        guard let window else { throw fail("\(path).window", node, "missing (a duration such as 1s)") }
        // A ring of timestamps backs each throttle: keep it to a sane size.
        guard limit <= 1_000_000 else { throw fail("\(path).limit", node, "expected at most 1000000, got '\(limit)'") }
        if let logoutAbove {
            guard logoutAbove > limit, logoutAbove <= 1_000_000 else {
                throw fail("\(path).logoutAbove", logoutNode, "expected a number above limit (\(limit)) and at most 1000000, got '\(logoutAbove)'")
            }
        }
        return RateLimit(limit: Int(limit), windowNanos: window, logoutAbove: logoutAbove.map { Int($0) })
    }

    func tradingHours(_ node: Node, path: String) throws(RiskLimitsError) -> TradingHours {
        var timeZone = "UTC"
        var open: Int?
        var close: Int?
        var days = Set(TradingHours.Day.allCases)
        for (key, value) in try entries(node, path: path) {
            let keyPath = "\(path).\(key)"
            switch key {
            case "timeZone":
                timeZone = try scalar(value, path: keyPath, expected: "an IANA time zone such as America/New_York")
                guard TimeZone(identifier: timeZone) != nil else {
                    throw fail(keyPath, value, "expected an IANA time zone such as America/New_York, got '\(timeZone)'")
                }
            case "open": open = try clockTime(value, path: keyPath)
            case "close": close = try clockTime(value, path: keyPath)
            case "days":
                guard let list = value.sequence else {
                    throw fail(keyPath, value, "expected a list of days such as [sun, mon, tue, wed, thu], got \(describe(value))")
                }
                days = []
                for (index, item) in list.enumerated() {
                    days.insert(try day(item, path: "\(keyPath)[\(index)]"))
                }
            default:
                throw unknownKey(keyPath, value, expected: ["timeZone", "open", "close", "days"])
            }
        }
        guard let open else { throw fail("\(path).open", node, "missing (local time HH:MM)") }
        guard let close else { throw fail("\(path).close", node, "missing (local time HH:MM)") }
        return TradingHours(timeZone: timeZone, open: open, close: close, days: days)
    }

    /// `HH:MM` into minutes after midnight (`24:00` allowed as a close).
    func clockTime(_ node: Node, path: String) throws(RiskLimitsError) -> Int {
        let text = try scalar(node, path: path, expected: "a local time HH:MM")
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
           (0...59).contains(minutes), (0...23).contains(hours) || (hours == 24 && minutes == 0) {
            return hours * 60 + minutes
        }
        throw fail(path, node, "expected a local time HH:MM, got '\(text)'")
    }

    func day(_ node: Node, path: String) throws(RiskLimitsError) -> TradingHours.Day {
        let names = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        let text = try scalar(node, path: path, expected: "a day (sun, mon, tue, wed, thu, fri, sat)")
        let lower = text.lowercased()
        if let index = names.firstIndex(where: { lower == $0 || (lower.count > 3 && lower.hasPrefix($0) && isDayName(lower)) }),
           let day = TradingHours.Day(rawValue: index) {
            return day
        }
        throw fail(path, node, "expected a day (sun, mon, tue, wed, thu, fri, sat), got '\(text)'")
    }

    private func isDayName(_ text: String) -> Bool {
        ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].contains(text)
    }
}
