import MarketData
import Yams

extension SignalConfiguration {
    /// Reads a signals file's text; `file` names it in errors. The caller reads the file (the
    /// module does no I/O), so a reload on SIGHUP is a parse of the new text, the old
    /// configuration kept on error.
    public static func parse(yaml: String, file: String = "signals.yaml") throws(SignalConfigurationError) -> SignalConfiguration {
        let document: Node?
        do {
            document = try Yams.compose(yaml: yaml)
        } catch {
            throw SignalConfigurationError(file: file, message: "not valid YAML: \(error)")
        }
        return try SignalsFileReader(file: file).configuration(document)
    }
}

/// A key of the file with where it stands.
private struct Field {
    var key: String
    var path: String
    var node: Node
}

/// Reads the signals file's tree, naming each bad key by its dotted path.
private struct SignalsFileReader {
    let file: String

    func problem(_ path: String?, _ node: Node?, _ message: String) -> SignalConfigurationError {
        SignalConfigurationError(file: file, keyPath: path, line: node.flatMap { $0.mark?.line }, message: message)
    }

    func configuration(_ document: Node?) throws(SignalConfigurationError) -> SignalConfiguration {
        var result = SignalConfiguration()
        guard let document else { return result }
        var rootFields: [Field] = []
        for field in try fields(of: document, at: nil, allowed: ["interval", "spreads", "roots"]) {
            switch field.key {
            case "interval": result.interval = try interval(field)
            case "spreads":
                for spreadField in try fields(of: field.node, at: field.path, allowed: SpreadKind.allCases.map(\.rawValue)) {
                    guard let kind = SpreadKind(rawValue: spreadField.key) else { continue }
                    result.spreads[kind] = try spreadParameters(spreadField)
                }
            default: rootFields = try fields(of: field.node, at: field.path, allowed: nil)
            }
        }
        for field in rootFields {
            guard !field.key.isEmpty, field.key.allSatisfy({ $0.isUppercase || $0.isNumber }) else {
                throw problem(field.path, field.node, "a root is named in capitals, like CL")
            }
            result.roots[field.key] = try root(field)
        }
        return result
    }

    // MARK: Sections

    func spreadParameters(_ section: Field) throws(SignalConfigurationError) -> SpreadParameters {
        var parameters = SpreadParameters()
        var exitField: Field?
        for field in try fields(of: section.node, at: section.path, allowed: ["window", "entry", "exit"]) {
            switch field.key {
            case "window": parameters.window = try whole(field, atLeast: 2)
            case "entry": parameters.entry = try number(field, in: 0.1...10)
            default:
                parameters.exit = try number(field, in: 0...10)
                exitField = field
            }
        }
        try checkExit(parameters.exit, below: parameters.entry, exitField, in: section)
        return parameters
    }

    /// A section's exit threshold must be below its entry, or the state could never be left.
    func checkExit(_ exit: Double, below entry: Double, _ exitField: Field?, in section: Field) throws(SignalConfigurationError) {
        guard exit >= entry else { return }
        throw problem(exitField?.path ?? "\(section.path).exit", exitField?.node ?? section.node, "must be below entry (\(entry)), got \(exit)")
    }

    func root(_ section: Field) throws(SignalConfigurationError) -> RootSignalConfiguration {
        var root = RootSignalConfiguration(weights: [:])
        var sawWeights = false
        let allowed = ["horizon", "thresholds", "weights", "indicators", "termStructure"]
        for field in try fields(of: section.node, at: section.path, allowed: allowed) {
            switch field.key {
            case "horizon": root.horizon = try duration(field)
            case "thresholds": root.thresholds = try thresholds(field)
            case "weights":
                root.weights = try weights(field, root: section.key)
                sawWeights = true
            case "indicators": root.indicators = try indicators(field)
            default: root.termStructure = try termStructure(field)
            }
        }
        guard sawWeights, root.weights.values.contains(where: { $0 > 0 }) else {
            throw problem("\(section.path).weights", section.node, "at least one weight must be above 0")
        }
        return root
    }

    func weights(_ section: Field, root: String) throws(SignalConfigurationError) -> [SignalContributor: Double] {
        var weights: [SignalContributor: Double] = [:]
        for field in try fields(of: section.node, at: section.path, allowed: SignalContributor.allCases.map(\.rawValue)) {
            guard let contributor = SignalContributor(rawValue: field.key) else { continue }
            let weight = try number(field, in: 0...1)
            if let spread = contributor.spread, weight > 0, spread.exposure(of: root) == 0 {
                throw problem(field.path, field.node,
                              "\(root) is not a leg of the \(spread) (legs: \(spread.legRoots.joined(separator: ", "))); its weight must be 0")
            }
            weights[contributor] = weight
        }
        return weights
    }

    func thresholds(_ section: Field) throws(SignalConfigurationError) -> CompositeThresholds {
        var thresholds = CompositeThresholds()
        var exitField: Field?
        for field in try fields(of: section.node, at: section.path, allowed: ["entry", "exit", "minimumConfidence"]) {
            switch field.key {
            case "entry": thresholds.entry = try number(field, in: 0.01...1)
            case "exit":
                thresholds.exit = try number(field, in: 0...1)
                exitField = field
            default: thresholds.minimumConfidence = try number(field, in: 0...1)
            }
        }
        try checkExit(thresholds.exit, below: thresholds.entry, exitField, in: section)
        return thresholds
    }

    func indicators(_ section: Field) throws(SignalConfigurationError) -> IndicatorParameters {
        var indicators = IndicatorParameters()
        let allowed = ["rsi", "macd", "atr", "bollinger", "bollingerDeviations", "momentum"]
        for field in try fields(of: section.node, at: section.path, allowed: allowed) {
            switch field.key {
            case "rsi": indicators.rsi = try whole(field, atLeast: 2)
            case "macd": (indicators.macdFast, indicators.macdSlow, indicators.macdSignal) = try macd(field)
            case "atr": indicators.atr = try whole(field, atLeast: 1)
            case "bollinger": indicators.bollinger = try whole(field, atLeast: 2)
            case "bollingerDeviations": indicators.bollingerDeviations = try number(field, in: 0.1...10)
            default: indicators.momentum = try whole(field, atLeast: 1)
            }
        }
        return indicators
    }

    func macd(_ field: Field) throws(SignalConfigurationError) -> (Int, Int, Int) {
        guard let items = field.node.sequence.map(Array.init), items.count == 3 else {
            throw problem(field.path, field.node, "must be a list of three periods [fast, slow, signal], got \(describe(field.node))")
        }
        var periods: [Int] = []
        for (index, item) in items.enumerated() {
            periods.append(try whole(Field(key: field.key, path: "\(field.path)[\(index)]", node: item), atLeast: 1))
        }
        guard periods[0] < periods[1] else {
            throw problem(field.path, field.node, "the fast period (\(periods[0])) must be below the slow one (\(periods[1]))")
        }
        return (periods[0], periods[1], periods[2])
    }

    func termStructure(_ section: Field) throws(SignalConfigurationError) -> TermStructureParameters {
        var parameters = TermStructureParameters()
        for field in try fields(of: section.node, at: section.path, allowed: ["history", "spreadMomentum", "basisMomentum", "carryScale"]) {
            switch field.key {
            case "history": parameters.history = try whole(field, atLeast: 2)
            case "spreadMomentum": parameters.spreadMomentum = try whole(field, atLeast: 2)
            case "basisMomentum": parameters.basisMomentum = try whole(field, atLeast: 2)
            default: parameters.carryScale = try number(field, in: 0.001...10)
            }
        }
        return parameters
    }

    // MARK: Values

    /// A mapping's keys in file order, each once; with `allowed`, only those.
    func fields(of node: Node, at path: String?, allowed: [String]?) throws(SignalConfigurationError) -> [Field] {
        if let scalar = node.scalar, scalar.style == .plain, ["", "~", "null"].contains(scalar.string) { return [] }
        guard let mapping = node.mapping else {
            throw problem(path, node, "must be a mapping of keys, got \(describe(node))")
        }
        var result: [Field] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, !key.isEmpty else { throw problem(path, keyNode, "a key must be a plain name") }
            let keyPath = path.map { "\($0).\(key)" } ?? key
            if let allowed, !allowed.contains(key) {
                throw problem(keyPath, keyNode, "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
            }
            if result.contains(where: { $0.key == key }) { throw problem(keyPath, keyNode, "appears twice") }
            result.append(Field(key: key, path: keyPath, node: value))
        }
        return result
    }

    func describe(_ node: Node) -> String {
        if let scalar = node.scalar { return "'\(scalar.string)'" }
        return node.mapping != nil ? "a mapping" : node.sequence != nil ? "a list" : "an alias"
    }

    func number(_ field: Field, in range: ClosedRange<Double>) throws(SignalConfigurationError) -> Double {
        guard let text = field.node.scalar?.string, let value = Double(text), value.isFinite, range.contains(value) else {
            throw problem(field.path, field.node,
                          "must be a number between \(Self.show(range.lowerBound)) and \(Self.show(range.upperBound)), got \(describe(field.node))")
        }
        return value
    }

    func whole(_ field: Field, atLeast minimum: Int) throws(SignalConfigurationError) -> Int {
        guard let text = field.node.scalar?.string, let value = Int(text), value >= minimum, value <= 100_000 else {
            throw problem(field.path, field.node, "must be a whole number from \(minimum) to 100000, got \(describe(field.node))")
        }
        return value
    }

    /// `<n>m`, `<n>h` or `<n>d`, n a positive whole number.
    func duration(_ field: Field) throws(SignalConfigurationError) -> Int64 {
        let text = field.node.scalar?.string ?? ""
        let units: [Character: Int64] = ["m": 60_000_000_000, "h": 3_600_000_000_000, "d": 86_400_000_000_000]
        guard let unit = text.last.flatMap({ units[$0] }), let count = Int64(text.dropLast()), count > 0, count <= 3650 else {
            throw problem(field.path, field.node, "must be a duration such as 30m, 4h or 5d, got \(describe(field.node))")
        }
        return count * unit
    }

    func interval(_ field: Field) throws(SignalConfigurationError) -> BarInterval {
        let text = field.node.scalar?.string ?? ""
        guard let interval = BarInterval.allCases.first(where: { $0.description == text }) else {
            throw problem(field.path, field.node, "must be one of 1m, 5m, 1h, 1d, got \(describe(field.node))")
        }
        return interval
    }

    static func show(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
