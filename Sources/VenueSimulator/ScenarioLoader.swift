import FIXCodec
import Foundation
import Yams

/// A scenario file that cannot be run, with the file, the key path and the line at fault.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var keyPath: String?
    public var line: Int?
    public var message: String

    public var description: String {
        var location = file
        if let line { location += ":\(line + 1)" }
        if let keyPath { location += ": \(keyPath)" }
        return "\(location): \(message)"
    }
}

/// Reads scenario files:
///
/// ```yaml
/// name: april-2020
/// seed: 20200420
/// steps:
///   - at: 0s
///     price: {root: CL, month: 1, to: 18.27}
///   - at: 30s
///     shock: {root: CL, percent: -50, months: 1-1}
///   - at: 1m
///     halt: {reason: circuit breaker}
///   - at: 90s
///     resume: {}
///   - at: 2m
///     latency: {milliseconds: 250}
///   - at: 2m
///     rejectRate: {percent: 10}
///   - at: 3m
///     drop: {session: QA1}
///   - at: 0s
///     circuitBreaker: {root: CL, percent: 15, window: 60m, halt: 2m}
/// ```
public enum ScenarioLoader {
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(file: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: path)
    }

    public static func parse(yaml: String, file: String = "scenario.yaml") throws(ScenarioError) -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw ScenarioError(file: file, message: "not valid YAML: \(error)")
        }
        return try ScenarioParser(file: file).scenario(root)
    }
}

private struct ScenarioParser {
    let file: String

    func fail(_ path: String?, _ node: Node?, _ message: String) -> ScenarioError {
        ScenarioError(file: file, keyPath: path, line: node?.mark?.line, message: message)
    }

    func scenario(_ node: Node?) throws(ScenarioError) -> Scenario {
        guard let node, let mapping = node.mapping else { throw fail(nil, node, "expected a mapping with name, seed and steps") }
        var name: String?
        var seed: UInt64 = 0
        var steps: [ScenarioStep] = []
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "name": name = try scalar(value, path: key)
            case "seed":
                guard let number = UInt64(try scalar(value, path: key)) else { throw fail(key, value, "expected a whole number") }
                seed = number
            case "steps":
                guard let list = value.sequence else { throw fail(key, value, "expected a list of steps") }
                for (index, item) in list.enumerated() { steps.append(try step(item, path: "steps[\(index)]")) }
            default:
                throw fail(key, keyNode, "not a scenario key (name, seed, steps)")
            }
        }
        guard let name, !name.isEmpty else { throw fail("name", node, "missing: every scenario has a name") }
        return Scenario(name: name, seed: seed, steps: steps)
    }

    static let actions = ["halt", "resume", "shock", "price", "latency", "rejectRate", "drop", "circuitBreaker"]

    func step(_ node: Node, path: String) throws(ScenarioError) -> ScenarioStep {
        guard let mapping = node.mapping else { throw fail(path, node, "expected a mapping with at and one action") }
        var at: Int64?
        var action: ScenarioAction?
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let keyPath = "\(path).\(key)"
            if key == "at" {
                at = try duration(value, path: keyPath, allowZero: true)
                continue
            }
            guard Self.actions.contains(key) else {
                throw fail(keyPath, keyNode, "not a step key (at, \(Self.actions.joined(separator: ", ")))")
            }
            guard action == nil else { throw fail(keyPath, keyNode, "a step has one action") }
            action = try self.action(key, value, path: keyPath)
        }
        guard let at else { throw fail("\(path).at", node, "missing: when the step runs, e.g. 30s") }
        guard let action else { throw fail(path, node, "missing an action (\(Self.actions.joined(separator: ", ")))") }
        return ScenarioStep(at: at, action: action)
    }

    func action(_ kind: String, _ node: Node, path: String) throws(ScenarioError) -> ScenarioAction {
        let fields = try fields(node, path: path)
        func field(_ name: String) throws(ScenarioError) -> Node {
            guard let value = fields[name] else { throw fail("\(path).\(name)", node, "missing") }
            return value
        }
        func allow(_ names: Set<String>) throws(ScenarioError) {
            if let extra = fields.keys.sorted().first(where: { !names.contains($0) }) {
                throw fail("\(path).\(extra)", node, "not a key of \(kind) (\(names.sorted().joined(separator: ", ")))")
            }
        }
        switch kind {
        case "halt":
            try allow(["reason"])
            return .halt(reason: try fields["reason"].map { v throws(ScenarioError) in try scalar(v, path: "\(path).reason") } ?? "")
        case "resume":
            try allow([])
            return .resume
        case "shock":
            try allow(["root", "percent", "months"])
            var months: ClosedRange<Int>?
            if let value = fields["months"] {
                let text = try scalar(value, path: "\(path).months")
                let parts = text.split(separator: "-").compactMap { Int($0) }
                guard (1...2).contains(parts.count), let first = parts.first, first >= 1, (parts.last ?? first) >= first else {
                    throw fail("\(path).months", value, "expected a month or a range of curve positions such as 1 or 1-3, got '\(text)'")
                }
                months = first...(parts.last ?? first)
            }
            return .shock(root: try scalar(try field("root"), path: "\(path).root"),
                          percent: try decimal(try field("percent"), path: "\(path).percent"), months: months)
        case "price":
            try allow(["root", "month", "to"])
            return .price(root: try scalar(try field("root"), path: "\(path).root"),
                          month: try integer(try field("month"), path: "\(path).month", range: 1...120),
                          price: try decimal(try field("to"), path: "\(path).to"))
        case "latency":
            try allow(["milliseconds"])
            return .latency(milliseconds: try integer(try field("milliseconds"), path: "\(path).milliseconds", range: 0...60_000))
        case "rejectRate":
            try allow(["percent"])
            let percent = try decimal(try field("percent"), path: "\(path).percent")
            guard !percent.isNegative, percent <= FIXDecimal(100) else {
                throw fail("\(path).percent", node, "expected 0 to 100, got \(percent)")
            }
            return .rejectRate(percent: percent)
        case "drop":
            try allow(["session"])
            return .drop(session: try scalar(try field("session"), path: "\(path).session"))
        default:
            try allow(["root", "percent", "window", "halt"])
            let percent = try decimal(try field("percent"), path: "\(path).percent")
            guard !percent.isNegative, !percent.isZero else { throw fail("\(path).percent", node, "expected a positive percentage") }
            return .circuitBreaker(root: try scalar(try field("root"), path: "\(path).root"), percent: percent,
                                   windowNanos: try duration(try field("window"), path: "\(path).window", allowZero: false),
                                   haltNanos: try duration(try field("halt"), path: "\(path).halt", allowZero: false))
        }
    }

    func fields(_ node: Node, path: String) throws(ScenarioError) -> [String: Node] {
        if node.scalar != nil, (node.string ?? "").isEmpty { return [:] }
        guard let mapping = node.mapping else { throw fail(path, node, "expected a mapping such as {root: CL, percent: -30}") }
        var result: [String: Node] = [:]
        for (key, value) in mapping { result[key.string ?? ""] = value }
        return result
    }

    func scalar(_ node: Node, path: String) throws(ScenarioError) -> String {
        guard let text = node.scalar?.string else { throw fail(path, node, "expected a value") }
        return text
    }

    func decimal(_ node: Node, path: String) throws(ScenarioError) -> FIXDecimal {
        let text = try scalar(node, path: path)
        guard let value = FIXDecimal(text) else { throw fail(path, node, "expected a decimal number, got '\(text)'") }
        return value
    }

    func integer(_ node: Node, path: String, range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let text = try scalar(node, path: path)
        guard let value = Int(text), range.contains(value) else {
            throw fail(path, node, "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// `0s`, `500ms`, `30s`, `2m`, `1h`.
    func duration(_ node: Node, path: String, allowZero: Bool) throws(ScenarioError) -> Int64 {
        let text = try scalar(node, path: path)
        for (suffix, nanos) in [("ms", Int64(1_000_000)), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000)]
        where text.hasSuffix(suffix) {
            guard let value = Int64(text.dropLast(suffix.count)), value >= (allowZero ? 0 : 1),
                  case let (product, overflow) = value.multipliedReportingOverflow(by: nanos), !overflow else { break }
            return product
        }
        throw fail(path, node, "expected a duration such as 0s, 500ms, 30s or 2m, got '\(text)'")
    }
}
