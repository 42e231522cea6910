import FIXCodec
import Foundation
import Yams

/// A reference file that cannot be used, naming the file, the key path and what is wrong:
/// `instruments.yaml: contracts[2].tickSize: '0.0x' is not a decimal`.
public struct InstrumentReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// Dotted path with sequence indices (`contracts[2].tickSize`); empty for the whole file.
    public var keyPath: String
    public var message: String
    /// The 1-based line of the offending node, when the YAML parser reports one.
    public var line: Int?

    public init(file: String, keyPath: String, message: String, line: Int? = nil) {
        self.file = file
        self.keyPath = keyPath
        self.message = message
        self.line = line
    }

    public var description: String {
        keyPath.isEmpty ? "\(file): \(message)" : "\(file): \(keyPath): \(message)"
    }
}

extension InstrumentReference {
    /// Reads reference data from a YAML file (see `sessions/instruments.yaml` for the format).
    public static func load(path: String) throws(InstrumentReferenceError) -> InstrumentReference {
        try InstrumentReferenceLoader.load(path: path)
    }
}

/// Reads `InstrumentReference` from YAML.
///
/// The document has three top-level keys, all required: `calendars` (name → `rules`,
/// optional `holidays` and `openDays`), `contracts` (a list of product specs) and `listing`
/// (months, calendar spreads, inter-commodity spreads, cracks). Decimals are read from their
/// text, never through binary floating point. Unknown keys, duplicate keys, missing keys,
/// values of the wrong shape and references to undefined roots or calendars are errors.
public enum InstrumentReferenceLoader {
    public static func load(path: String) throws(InstrumentReferenceError) -> InstrumentReference {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InstrumentReferenceError(file: path, keyPath: "", message: "cannot read the file: \(error.localizedDescription)")
        }
        return try load(yaml: text, file: path)
    }

    /// Parses YAML text; `file` is the name errors give.
    public static func load(yaml: String, file: String) throws(InstrumentReferenceError) -> InstrumentReference {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            throw InstrumentReferenceError(file: file, keyPath: "", message: "duplicate key \(keys) at line \(context.mark.line)",
                                           line: context.mark.line)
        } catch let error as YamlError {
            throw InstrumentReferenceError(file: file, keyPath: "", message: "not valid YAML: \(Self.summary(of: error))")
        } catch {
            throw InstrumentReferenceError(file: file, keyPath: "", message: "not valid YAML: \(error)")
        }
        guard let root else { throw InstrumentReferenceError(file: file, keyPath: "", message: "the file is empty") }
        return try Reader(file: file).reference(root)
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            "line \(mark.line): \(problem)"
        default:
            "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }
}

/// Walks the YAML node tree, keeping the key path for errors.
private struct Reader {
    let file: String

    func error(_ path: String, _ node: Node?, _ message: String) -> InstrumentReferenceError {
        InstrumentReferenceError(file: file, keyPath: path, message: message, line: node?.mark?.line)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// A mapping's values by key, refusing unknown, duplicate and missing required keys.
    func mapping(_ node: Node, _ path: String, required: [String], optional: [String] = []) throws(InstrumentReferenceError) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw error(path, node, "expected a mapping of keys to values, found \(Self.shape(node))")
        }
        let allowed = required + optional
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else { throw error(path, keyNode, "keys must be plain text") }
            let keyPath = Self.join(path, key.string)
            guard allowed.contains(key.string) else {
                throw error(keyPath, keyNode, "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
            }
            guard values[key.string] == nil else { throw error(keyPath, keyNode, "duplicate key") }
            values[key.string] = value
        }
        for key in required where values[key] == nil {
            throw error(path, node, "missing required key '\(key)'")
        }
        return values
    }

    /// A mapping's entries in file order (for maps keyed by user-chosen names).
    func entries(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else {
            throw error(path, node, "expected a mapping of names to values, found \(Self.shape(node))")
        }
        var seen: Set<String> = []
        var result: [(String, Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else { throw error(path, keyNode, "keys must be plain text") }
            guard seen.insert(key.string).inserted else { throw error(Self.join(path, key.string), keyNode, "duplicate key") }
            result.append((key.string, value))
        }
        return result
    }

    /// A sequence's items; an empty value (`holidays:`) is an empty list.
    func sequence(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> [Node] {
        switch node {
        case .sequence(let sequence): return Array(sequence)
        case .scalar(let scalar) where scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null": return []
        default: throw error(path, node, "expected a list, found \(Self.shape(node))")
        }
    }

    func string(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> String {
        guard case .scalar(let scalar) = node else { throw error(path, node, "expected a single value, found \(Self.shape(node))") }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw error(path, node, "must not be empty") }
        return text
    }

    func decimal(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> FIXDecimal {
        let text = try string(node, path)
        guard let value = FIXDecimal(text) else { throw error(path, node, "'\(text)' is not a decimal") }
        return value
    }

    func positiveDecimal(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> FIXDecimal {
        let value = try decimal(node, path)
        guard value > .zero else { throw error(path, node, "'\(value)' must be greater than zero") }
        return value
    }

    func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) throws(InstrumentReferenceError) -> Int {
        let text = try string(node, path)
        guard text.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }), text.utf8.count <= 9, let value = Int(text) else {
            throw error(path, node, "'\(text)' is not a whole number")
        }
        guard range.contains(value) else {
            throw error(path, node, "\(value) is out of range (\(range.lowerBound)...\(range.upperBound))")
        }
        return value
    }

    func bool(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> Bool {
        let text = try string(node, path)
        switch text {
        case "true": return true
        case "false": return false
        default: throw error(path, node, "'\(text)' is not true or false")
        }
    }

    func date(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> CalendarDate {
        let text = try string(node, path)
        guard let date = CalendarDate(iso: text) else { throw error(path, node, "'\(text)' is not a date (YYYY-MM-DD)") }
        return date
    }

    /// Upper-case ASCII letters and digits starting with a letter, at most `maxLength` long.
    func code(_ node: Node, _ path: String, digits: Bool, maxLength: Int) throws(InstrumentReferenceError) -> String {
        let text = try string(node, path)
        let valid = text.utf8.count <= maxLength && text.utf8.enumerated().allSatisfy { index, byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (digits && index > 0 && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte))
        }
        guard valid else {
            throw error(path, node, "'\(text)' must be 1 to \(maxLength) upper-case letters\(digits ? " and digits, starting with a letter" : "")")
        }
        return text
    }

    func oneOf<Value: RawRepresentable & CaseIterable>(_ node: Node, _ path: String, _: Value.Type) throws(InstrumentReferenceError) -> Value
    where Value.RawValue == String {
        let text = try string(node, path)
        guard let value = Value(rawValue: text) else {
            let names = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(path, node, "'\(text)' is not one of: \(names)")
        }
        return value
    }

    static func shape(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: The document

    func reference(_ root: Node) throws(InstrumentReferenceError) -> InstrumentReference {
        let top = try mapping(root, "", required: ["calendars", "contracts", "listing"])
        let calendars = try self.calendars(top["calendars"] ?? root, "calendars")
        let products = try self.products(top["contracts"] ?? root, "contracts", calendars: calendars)
        let listing = try self.listing(top["listing"] ?? root, "listing", products: products)
        return InstrumentReference(products: products, calendars: calendars, listing: listing)
    }

    func calendars(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> [String: BusinessCalendar] {
        var result: [String: BusinessCalendar] = [:]
        for (name, value) in try entries(node, path) {
            let calendarPath = Self.join(path, name)
            let fields = try mapping(value, calendarPath, required: ["rules"], optional: ["holidays", "openDays"])
            let rules = try oneOf(fields["rules"] ?? value, Self.join(calendarPath, "rules"), HolidayRules.self)
            let holidays = try dates(fields["holidays"], Self.join(calendarPath, "holidays"))
            let openDays = try dates(fields["openDays"], Self.join(calendarPath, "openDays"))
            result[name] = BusinessCalendar(name: name, rules: rules, holidays: holidays, openDays: openDays)
        }
        return result
    }

    func dates(_ node: Node?, _ path: String) throws(InstrumentReferenceError) -> Set<CalendarDate> {
        guard let node else { return [] }
        var result: Set<CalendarDate> = []
        for (index, item) in try sequence(node, path).enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard result.insert(try date(item, itemPath)).inserted else { throw error(itemPath, item, "date listed twice") }
        }
        return result
    }

    func products(_ node: Node, _ path: String, calendars: [String: BusinessCalendar]) throws(InstrumentReferenceError) -> [FuturesProduct] {
        var products: [FuturesProduct] = []
        let items = try sequence(node, path)
        guard !items.isEmpty else { throw error(path, node, "at least one contract is required") }
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            func key(_ name: String) -> String { Self.join(itemPath, name) }
            let fields = try mapping(item, itemPath,
                                     required: ["root", "name", "exchange", "contractSize", "unit", "tickSize", "tickValue",
                                                "lastTrade", "calendar"],
                                     optional: ["currency", "negativePrices"])
            func field(_ name: String) -> Node { fields[name] ?? item }
            let root = try code(field("root"), key("root"), digits: false, maxLength: 4)
            if let earlier = products.firstIndex(where: { $0.root == root }) {
                throw error(key("root"), field("root"), "duplicate root '\(root)' (also \(path)[\(earlier)])")
            }
            let name = try string(field("name"), key("name"))
            let exchange = try string(field("exchange"), key("exchange"))
            let contractSize = try positiveDecimal(field("contractSize"), key("contractSize"))
            let unit = try oneOf(field("unit"), key("unit"), QuantityUnit.self)
            let currency = try fields["currency"].map { node throws(InstrumentReferenceError) in
                try code(node, key("currency"), digits: false, maxLength: 3)
            } ?? "USD"
            let tickSize = try positiveDecimal(field("tickSize"), key("tickSize"))
            let tickValue = try positiveDecimal(field("tickValue"), key("tickValue"))
            guard tickValue == tickSize * contractSize else {
                throw error(key("tickValue"), field("tickValue"),
                            "'\(tickValue)' is not tickSize × contractSize (\(tickSize) × \(contractSize) = \(tickSize * contractSize))")
            }
            let rule = try oneOf(field("lastTrade"), key("lastTrade"), LastTradeRule.self)
            let calendar = try string(field("calendar"), key("calendar"))
            guard calendars[calendar] != nil else {
                let names = calendars.keys.sorted().joined(separator: ", ")
                throw error(key("calendar"), field("calendar"), "'\(calendar)' is not a calendar defined under 'calendars' (\(names))")
            }
            let negative = try fields["negativePrices"].map { node throws(InstrumentReferenceError) in
                try bool(node, key("negativePrices"))
            } ?? true
            let spec = ContractSpec(root: root, name: name, exchange: exchange, contractSize: contractSize,
                                    priceUnit: FuturesProduct.priceUnit(currency: currency, unit: unit), currency: currency,
                                    tickSize: tickSize, tickValue: tickValue)
            products.append(FuturesProduct(spec: spec, unit: unit, lastTradeRule: rule, calendar: calendar, allowsNegativePrices: negative))
        }
        return products
    }

    func listing(_ node: Node, _ path: String, products: [FuturesProduct]) throws(InstrumentReferenceError) -> ListingRules {
        let fields = try mapping(node, path, required: ["months"],
                                 optional: ["calendarSpreads", "interCommoditySpreads", "cracks", "crackMonths"])
        func key(_ name: String) -> String { Self.join(path, name) }
        let months = try integer(fields["months"] ?? node, key("months"), in: 1...120)

        var calendarSpreads: [CalendarSpreadRule] = []
        if let spreads = fields["calendarSpreads"] {
            for (index, item) in try sequence(spreads, key("calendarSpreads")).enumerated() {
                let itemPath = "\(key("calendarSpreads"))[\(index)]"
                let pair = try mapping(item, itemPath, required: ["near", "far"])
                let near = try integer(pair["near"] ?? item, Self.join(itemPath, "near"), in: 1...months)
                let far = try integer(pair["far"] ?? item, Self.join(itemPath, "far"), in: 1...months)
                guard near < far else { throw error(Self.join(itemPath, "far"), pair["far"], "\(far) must be after near (\(near))") }
                calendarSpreads.append(CalendarSpreadRule(near: near, far: far))
            }
        }

        func product(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> FuturesProduct {
            let root = try string(node, path)
            guard let product = products.first(where: { $0.root == root }) else {
                throw error(path, node, "'\(root)' is not a root defined under 'contracts'")
            }
            return product
        }

        var interCommodity: [InterCommoditySpreadRule] = []
        if let spreads = fields["interCommoditySpreads"] {
            for (index, item) in try sequence(spreads, key("interCommoditySpreads")).enumerated() {
                let itemPath = "\(key("interCommoditySpreads"))[\(index)]"
                let pair = try mapping(item, itemPath, required: ["long", "short"])
                let long = try product(pair["long"] ?? item, Self.join(itemPath, "long"))
                let short = try product(pair["short"] ?? item, Self.join(itemPath, "short"))
                guard long.root != short.root else {
                    throw error(Self.join(itemPath, "short"), pair["short"], "'\(short.root)' is the long root too")
                }
                guard long.unit == short.unit, long.spec.contractSize == short.spec.contractSize, long.spec.currency == short.spec.currency else {
                    throw error(itemPath, item, "\(long.root) and \(short.root) must have the same unit, contract size and currency")
                }
                interCommodity.append(InterCommoditySpreadRule(long: long.root, short: short.root))
            }
        }

        var cracks: [CrackDefinition] = []
        if let list = fields["cracks"] {
            for (index, item) in try sequence(list, key("cracks")).enumerated() {
                let itemPath = "\(key("cracks"))[\(index)]"
                let crack = try self.crack(item, itemPath, products: products, product: product)
                if products.contains(where: { $0.root == crack.symbolPrefix }) || cracks.contains(where: { $0.symbolPrefix == crack.symbolPrefix }) {
                    throw error(Self.join(itemPath, "symbolPrefix"), nil, "'\(crack.symbolPrefix)' is already a root or another crack's prefix")
                }
                cracks.append(crack)
            }
        }
        let crackMonths = try fields["crackMonths"].map { node throws(InstrumentReferenceError) in
            try integer(node, key("crackMonths"), in: 0...months)
        } ?? 1
        return ListingRules(months: months, calendarSpreads: calendarSpreads, interCommoditySpreads: interCommodity,
                            cracks: cracks, crackMonths: crackMonths)
    }

    func crack(_ item: Node, _ path: String, products: [FuturesProduct],
               product: (Node, String) throws(InstrumentReferenceError) -> FuturesProduct) throws(InstrumentReferenceError) -> CrackDefinition {
        func key(_ name: String) -> String { Self.join(path, name) }
        let fields = try mapping(item, path, required: ["name", "symbolPrefix", "crude", "products", "tickSize"])
        func field(_ name: String) -> Node { fields[name] ?? item }
        let name = try string(field("name"), key("name"))
        let prefix = try code(field("symbolPrefix"), key("symbolPrefix"), digits: true, maxLength: 10)

        func component(_ node: Node, _ path: String) throws(InstrumentReferenceError) -> (CrackComponent, FuturesProduct) {
            let parts = try mapping(node, path, required: ["root", "ratio"])
            let found = try product(parts["root"] ?? node, Self.join(path, "root"))
            let ratio = try integer(parts["ratio"] ?? node, Self.join(path, "ratio"), in: 1...1000)
            return (CrackComponent(root: found.root, ratio: Int64(ratio), priceFactor: found.unit.perBarrel), found)
        }
        let (crude, crudeProduct) = try component(field("crude"), key("crude"))
        guard crudeProduct.unit == .barrel else {
            throw error(Self.join(key("crude"), "root"), nil, "'\(crude.root)' is not quoted per barrel (unit: bbl)")
        }
        let crudeBarrels = InstrumentCatalog.barrelsPerContract(crudeProduct)
        var components: [CrackComponent] = []
        let items = try sequence(field("products"), key("products"))
        guard !items.isEmpty else { throw error(key("products"), field("products"), "at least one product is required") }
        for (index, node) in items.enumerated() {
            let itemPath = "\(key("products"))[\(index)]"
            let (component, found) = try component(node, itemPath)
            guard found.root != crude.root, !components.contains(where: { $0.root == found.root }) else {
                throw error(Self.join(itemPath, "root"), nil, "'\(found.root)' appears twice in this crack")
            }
            guard let barrels = InstrumentCatalog.barrelsPerContract(found), barrels == crudeBarrels else {
                throw error(Self.join(itemPath, "root"), nil,
                            "'\(found.root)' does not hold the same number of barrels per contract as '\(crude.root)'")
            }
            components.append(component)
        }
        let tickSize = try positiveDecimal(field("tickSize"), key("tickSize"))
        return CrackDefinition(name: name, symbolPrefix: prefix, crude: crude, products: components, tickSize: tickSize)
    }
}
