import FIXCodec
import Foundation

/// A limit a person may change while the appliance runs (the console's Risk page, the admin
/// socket's `limit-set`): the numeric limits of ``LimitSet``. Everything else (collars,
/// protection, trading hours, self-trade prevention) is set in the limits file.
public enum LimitControl: String, Sendable, Hashable, Codable, CaseIterable {
    case maxOrderSize, maxOrderValue, maxPositionPerMonth, maxPositionPerRoot, maxGrossNotional, dailyLoss
    case orderRate, messageRate

    /// The unit a value is written in, for errors and the page.
    public var unit: String {
        switch self {
        case .maxOrderSize, .maxPositionPerMonth, .maxPositionPerRoot: "contracts"
        case .maxOrderValue, .maxGrossNotional, .dailyLoss: "USD"
        case .orderRate: "orders per window (N, or N/1s to give the window)"
        case .messageRate: "messages per window (N, or N/1s to give the window)"
        }
    }

    /// The scopes it may be set at (the limits file's rules, see `RiskLimitsLoader`), and why
    /// not at the others.
    func notAllowed(at scope: RiskScope) -> String? {
        switch (self, scope) {
        case (.dailyLoss, .session):
            "not available at session scope (P&L is kept per account and instrument)"
        case (.maxPositionPerRoot, .symbol):
            "not available at symbol scope (a contract month has no root-wide position; use maxPositionPerMonth)"
        case (.orderRate, .root), (.orderRate, .symbol), (.messageRate, .root), (.messageRate, .symbol):
            "not available at \(scope.kindName) scope (throttles are per firm, account or session)"
        default:
            nil
        }
    }
}

extension RiskScope {
    /// Reads `firm`, `account:DESK1` (or `account DESK1`, as the page shows scopes), and the
    /// same for `session`, `root` and `symbol`.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "firm" {
            self = .firm
            return
        }
        guard let separator = trimmed.firstIndex(where: { $0 == ":" || $0 == " " }) else { return nil }
        let kind = trimmed[..<separator]
        let name = trimmed[trimmed.index(after: separator)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, !name.contains(where: \.isWhitespace) else { return nil }
        switch kind {
        case "account": self = .account(name)
        case "session": self = .session(name)
        case "root": self = .root(name)
        case "symbol": self = .symbol(name)
        default: return nil
        }
    }

    /// `firm`, `account:DESK1`: how an edit names its scope in the journal.
    public var key: String {
        switch self {
        case .firm: "firm"
        case .account(let name): "account:\(name)"
        case .session(let name): "session:\(name)"
        case .root(let name): "root:\(name)"
        case .symbol(let name): "symbol:\(name)"
        }
    }

    var kindName: String {
        switch self {
        case .firm: "firm"
        case .account: "account"
        case .session: "session"
        case .root: "root"
        case .symbol: "symbol"
        }
    }
}

/// Why a limit edit cannot be made: what is wrong, and with which control at which scope.
public enum LimitEditError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownControl(String)
    case badScope(String)
    case notAtScope(control: LimitControl, scope: RiskScope, reason: String)
    /// A root the appliance has no contract for, or a symbol of none of its roots.
    case unknownInstrument(scope: RiskScope)
    case badValue(control: LimitControl, scope: RiskScope, value: String, expected: String)
    /// The edit raises the limit and no second person has approved it.
    case needsApproval(summary: String)
    /// The value breaks an ordering the limit needs (a rate limit at or above its logout level).
    case ordering(control: LimitControl, scope: RiskScope, reason: String)

    public var description: String {
        switch self {
        case .unknownControl(let name):
            "unknown limit '\(name)' (expected one of: \(LimitControl.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .badScope(let text):
            "scope '\(text)' is not firm, account:<name>, session:<name>, root:<root> or symbol:<symbol>"
        case .notAtScope(let control, let scope, let reason): "\(control.rawValue) at \(scope): \(reason)"
        case .unknownInstrument(let scope): "\(scope): no such product on this appliance"
        case .badValue(let control, let scope, let value, let expected):
            "\(control.rawValue) at \(scope): expected \(expected), got '\(value)'"
        case .ordering(let control, let scope, let reason): "\(control.rawValue) at \(scope): \(reason)"
        case .needsApproval(let summary): "\(summary) raises the limit: it needs a second risk manager's approval in the console"
        }
    }
}

/// One change to one limit at one scope: the new value in the control's unit, or none to
/// remove the limit there. Made with ``init(control:scope:value:)``, which checks the control,
/// the scope and the value; ``RiskLimits/applying(_:)`` checks it against the limits in force.
public struct LimitEdit: Sendable, Hashable, Codable {
    public var control: LimitControl
    public var scope: RiskScope
    /// The new value, normalised (`150`, `2500000`, `100/1s`); `nil` removes the limit.
    public var value: String?

    /// Reads an edit as a person writes it: `maxPositionPerMonth`, `account:DESK1`, `150`. An
    /// empty value, `none` or `-` removes the limit.
    public init(control: String, scope: String, value: String) throws(LimitEditError) {
        guard let known = LimitControl(rawValue: control.trimmingCharacters(in: .whitespaces)) else {
            throw .unknownControl(control)
        }
        guard let place = RiskScope(text: scope) else { throw .badScope(scope) }
        if let reason = known.notAllowed(at: place) { throw .notAtScope(control: known, scope: place, reason: reason) }
        self.control = known
        self.scope = place
        let text = value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            .replacingOccurrences(of: ",", with: "")
        self.value = ["", "none", "-"].contains(text.lowercased()) ? nil : text
        // The value's own form (positive, in the unit) is checked now; a rate's window may
        // come from the limit in force (``RiskLimits/applying(_:)``).
        _ = try LimitEdit.apply(control: known, scope: place, value: self.value, to: LimitSet())
    }

    /// What `set` becomes with `value` for `control`.
    static func apply(control: LimitControl, scope: RiskScope, value: String?, to set: LimitSet) throws(LimitEditError) -> LimitSet {
        var set = set
        func bad(_ expected: String) -> LimitEditError {
            .badValue(control: control, scope: scope, value: value ?? "", expected: expected)
        }
        func integer(minimum: Int64) throws(LimitEditError) -> Int64? {
            guard let value else { return nil }
            let expected = minimum > 0 ? "a positive whole number of contracts" : "a whole number of contracts, 0 or more"
            guard let number = Int64(value), number >= minimum else { throw bad(expected) }
            return number
        }
        func dollars() throws(LimitEditError) -> FIXDecimal? {
            guard let value else { return nil }
            guard let amount = FIXDecimal(value), !amount.isNegative, !amount.isZero, amount.scale <= 2 else {
                throw bad("a positive amount of dollars (at most 2 decimals)")
            }
            return amount
        }
        func rate(_ current: RateLimit?) throws(LimitEditError) -> RateLimit? {
            guard let value else { return nil }
            let parts = value.split(separator: "/", maxSplits: 1).map(String.init)
            let expected = "a positive number, with its window when none is set (100/1s)"
            guard let count = Int(parts[0]), count > 0 else { throw bad(expected) }
            guard count <= 1_000_000 else { throw bad("at most 1000000") }
            var window = current?.windowNanos
            if parts.count == 2 {
                guard let nanos = Self.duration(parts[1]) else { throw bad("a window such as 500ms, 1s or 1m after the /") }
                window = nanos
            }
            // A new throttle where none was: its window must be given. (Checked against the
            // limit in force by `RiskLimits.applying`; alone, any window will do.)
            let logoutAbove = current?.logoutAbove
            if let logoutAbove, count >= logoutAbove {
                throw .ordering(control: control, scope: scope,
                                reason: "\(count) must stay below the level the session is logged out above (\(logoutAbove)); change that in the limits file")
            }
            return RateLimit(limit: count, windowNanos: window ?? 1_000_000_000, logoutAbove: logoutAbove)
        }
        switch control {
        case .maxOrderSize: set.maxOrderSize = try integer(minimum: 1)
        case .maxPositionPerMonth: set.maxPositionPerMonth = try integer(minimum: 0)
        case .maxPositionPerRoot: set.maxPositionPerRoot = try integer(minimum: 0)
        case .maxOrderValue: set.maxOrderValue = try dollars()
        case .maxGrossNotional: set.maxGrossNotional = try dollars()
        case .dailyLoss:
            let allowReducing = set.dailyLoss?.allowReducing ?? false
            set.dailyLoss = try dollars().map { DailyLossLimit(limit: $0, allowReducing: allowReducing) }
        case .orderRate: set.orderRate = try rate(set.orderRate)
        case .messageRate: set.messageRate = try rate(set.messageRate)
        }
        return set
    }

    /// A window in the largest unit that holds it whole (`1s`, `500ms`, `2m`), as ``duration(_:)`` reads it.
    static func window(_ nanos: Int64) -> String {
        for (suffix, unit) in [("m", Int64(60_000_000_000)), ("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)]
        where nanos % unit == 0 {
            return "\(nanos / unit)\(suffix)"
        }
        return "\(nanos)ns"
    }

    /// `500ms`, `1s`, `2m` into nanoseconds, as the limits file writes a window.
    static func duration(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000)]
        for (suffix, nanos) in units where text.hasSuffix(suffix) {
            guard let number = Int64(text.dropLast(suffix.count)), number > 0 else { return nil }
            let (product, overflow) = number.multipliedReportingOverflow(by: nanos)
            return overflow ? nil : product
        }
        return nil
    }
}

extension LimitSet {
    /// `control`'s value here as an edit writes it (`150`, `2500000`, `100/1s`); `nil` when not set.
    public func value(of control: LimitControl) -> String? {
        func rate(_ rate: RateLimit?) -> String? {
            rate.map { "\($0.limit)/\(LimitEdit.window($0.windowNanos))" }
        }
        switch control {
        case .maxOrderSize: return maxOrderSize.map { "\($0)" }
        case .maxPositionPerMonth: return maxPositionPerMonth.map { "\($0)" }
        case .maxPositionPerRoot: return maxPositionPerRoot.map { "\($0)" }
        case .maxOrderValue: return maxOrderValue?.description
        case .maxGrossNotional: return maxGrossNotional?.description
        case .dailyLoss: return dailyLoss?.limit.description
        case .orderRate: return rate(orderRate)
        case .messageRate: return rate(messageRate)
        }
    }

    /// Whether `new` is looser than `self` for `control`: a higher maximum, a throttle letting
    /// more through per unit of time, or no limit where there was one. A first limit where none
    /// was, or the same value, is not a raise.
    public func isRaised(_ control: LimitControl, to new: LimitSet) -> Bool {
        func higher<T: Comparable>(_ old: T?, _ new: T?) -> Bool {
            guard let old else { return false }
            guard let new else { return true }
            return new > old
        }
        func looser(_ old: RateLimit?, _ new: RateLimit?) -> Bool {
            guard let old else { return false }
            guard let new else { return true }
            // More messages per nanosecond: new.limit / new.window > old.limit / old.window.
            return Int128(new.limit) * Int128(old.windowNanos) > Int128(old.limit) * Int128(new.windowNanos)
        }
        switch control {
        case .maxOrderSize: return higher(maxOrderSize, new.maxOrderSize)
        case .maxPositionPerMonth: return higher(maxPositionPerMonth, new.maxPositionPerMonth)
        case .maxPositionPerRoot: return higher(maxPositionPerRoot, new.maxPositionPerRoot)
        case .maxOrderValue: return higher(maxOrderValue, new.maxOrderValue)
        case .maxGrossNotional: return higher(maxGrossNotional, new.maxGrossNotional)
        case .dailyLoss: return higher(dailyLoss?.limit, new.dailyLoss?.limit)
        case .orderRate: return looser(orderRate, new.orderRate)
        case .messageRate: return looser(messageRate, new.messageRate)
        }
    }
}

/// An edit checked against the limits in force: the value before and after, and whether it
/// raises (loosens) the limit, which needs a second risk manager's approval.
public struct LimitEditResult: Sendable, Hashable, Codable {
    public var edit: LimitEdit
    /// As ``LimitSet/value(of:)`` writes them; `nil`: not set.
    public var old: String?
    public var new: String?
    public var raises: Bool

    public init(edit: LimitEdit, old: String?, new: String?, raises: Bool) {
        self.edit = edit
        self.old = old
        self.new = new
        self.raises = raises
    }

    /// `maxPositionPerMonth at account DESK1: 150 → 40`.
    public var summary: String {
        "\(edit.control.rawValue) at \(edit.scope): \(old ?? "none") → \(new ?? "none")"
    }
}

extension RiskLimits {
    /// The limit set at `scope` (empty when none is configured there).
    public func set(at scope: RiskScope) -> LimitSet {
        switch scope {
        case .firm: firm
        case .account(let name): accounts[name] ?? LimitSet()
        case .session(let name): sessions[name] ?? LimitSet()
        case .root(let name): roots[name] ?? LimitSet()
        case .symbol(let name): symbols[name] ?? LimitSet()
        }
    }

    /// These limits with `edit` made, and what it changed. Pure: nothing is applied.
    public func applying(_ edit: LimitEdit) throws(LimitEditError) -> (limits: RiskLimits, result: LimitEditResult) {
        let before = set(at: edit.scope)
        if edit.value != nil, edit.control == .orderRate || edit.control == .messageRate,
           edit.value?.contains("/") == false, before.value(of: edit.control) == nil {
            throw .badValue(control: edit.control, scope: edit.scope, value: edit.value ?? "",
                            expected: "its window too, as no \(edit.control.rawValue) is set there (100/1s)")
        }
        let after = try LimitEdit.apply(control: edit.control, scope: edit.scope, value: edit.value, to: before)
        var limits = self
        switch edit.scope {
        case .firm: limits.firm = after
        case .account(let name): limits.accounts[name] = after
        case .session(let name): limits.sessions[name] = after
        case .root(let name): limits.roots[name] = after
        case .symbol(let name): limits.symbols[name] = after
        }
        let result = LimitEditResult(edit: edit, old: before.value(of: edit.control), new: after.value(of: edit.control),
                                     raises: before.isRaised(edit.control, to: after))
        return (limits, result)
    }
}
