import ConsoleAccess

/// An order as the console's ticket sends it: the words and the text the page holds, read and
/// checked here, at the edge, before anything reaches the gateway (``problem``). The gateway's
/// backend checks what needs the contracts (the tick grid) and the risk limits.
public struct ConsoleTicket: Sendable, Hashable, Codable {
    public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
        case buy = "BUY", sell = "SELL"
    }

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case market = "MARKET", limit = "LIMIT", stop = "STOP"
    }

    public enum Validity: String, Sendable, Hashable, Codable, CaseIterable {
        case day = "DAY", goodTillCancel = "GTC", immediateOrCancel = "IOC", fillOrKill = "FOK"
    }

    public var account: String
    public var symbol: String
    public var side: Side
    public var type: Kind
    /// Contracts, as typed: a positive whole number.
    public var quantity: String
    /// A limit order's price, as typed (a decimal).
    public var price: String?
    /// A stop order's trigger price, as typed (a decimal).
    public var stopPrice: String?
    public var timeInForce: Validity
    /// For a preview of a replace: the console order whose quantity and price would change to
    /// this ticket's (its other terms stay).
    public var replacing: String?

    public init(account: String, symbol: String, side: Side, type: Kind, quantity: String, price: String? = nil, stopPrice: String? = nil,
                timeInForce: Validity = .day, replacing: String? = nil) {
        self.replacing = replacing
        self.account = account
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.stopPrice = stopPrice
        self.timeInForce = timeInForce
    }

    /// What is wrong with the ticket as typed, in words for the trader; `nil` when it may go on.
    public var problem: String? {
        if account.isEmpty { return "choose an account" }
        if symbol.isEmpty { return "choose an instrument" }
        if let problem = Self.quantityProblem(quantity) { return problem }
        switch type {
        case .market:
            if nonEmpty(price) != nil || nonEmpty(stopPrice) != nil { return "a market order takes no price" }
        case .limit:
            guard let price = nonEmpty(price) else { return "a limit order needs a price" }
            if !Self.isDecimal(price) { return "price \(price) is not a decimal number" }
            if nonEmpty(stopPrice) != nil { return "a limit order takes no stop price" }
        case .stop:
            guard let stop = nonEmpty(stopPrice) else { return "a stop order needs a stop price" }
            if !Self.isDecimal(stop) { return "stop price \(stop) is not a decimal number" }
            if nonEmpty(price) != nil { return "a stop order takes no limit price (stop-limit orders are not entered here)" }
        }
        if type == .market, timeInForce == .goodTillCancel { return "a market order cannot be good till cancel" }
        return nil
    }

    /// `text` trimmed, or `nil` when it is empty or absent.
    func nonEmpty(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingSpaces, !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// The price as typed, trimmed (`nil` when none).
    public var priceText: String? { nonEmpty(price) }
    public var stopPriceText: String? { nonEmpty(stopPrice) }

    /// Why `text` is not a quantity: digits only, at least 1, at most a million contracts.
    public static func quantityProblem(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let value = Int64(trimmed), value > 0 else {
            return "quantity \(text) is not a positive whole number of contracts"
        }
        guard value <= 1_000_000 else { return "quantity \(text) is more than a million contracts" }
        return nil
    }

    /// An optional minus, digits, and an optional point with digits: `75.25`, `-3.5`, `80`.
    public static func isDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let parts = bytes.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        let digits = { (part: Substring.UTF8View.SubSequence) in
            !part.isEmpty && part.count <= 18 && part.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        }
        return parts.count == 1 ? digits(parts[0]) : digits(parts[0]) && digits(parts[1])
    }
}

/// What the risk sidecar would decide about a ticket, and each limit it falls under with its
/// use now and after the order: nothing is sent.
public struct ConsolePreview: Sendable, Codable, Equatable {
    public struct Limit: Sendable, Codable, Equatable {
        public var control: String
        public var scope: String
        public var subject: String
        public var unit: String
        public var limit: String
        public var usedBefore: String
        public var percentBefore: String
        public var used: String
        public var percent: String
        /// `normal`, `warning` (75 % or more) or `critical` (90 % or more), after the order.
        public var level: String

        public init(control: String, scope: String, subject: String, unit: String, limit: String, usedBefore: String, percentBefore: String,
                    used: String, percent: String, level: String) {
            self.control = control
            self.scope = scope
            self.subject = subject
            self.unit = unit
            self.limit = limit
            self.usedBefore = usedBefore
            self.percentBefore = percentBefore
            self.used = used
            self.percent = percent
            self.level = level
        }
    }

    /// The preview was made (the ticket was readable and the user's).
    public var ok: Bool
    /// The check would accept the order.
    public var accepted: Bool
    /// The control that would reject it (`positionLimit` …), when one would.
    public var check: String?
    /// What the trader reads: the reject's words, or that the order would pass.
    public var message: String
    public var limits: [Limit]
    /// Refused because the user may not enter it (role, account), as an action would be.
    public var refused: Bool

    public init(ok: Bool, accepted: Bool, check: String? = nil, message: String, limits: [Limit] = [], refused: Bool = false) {
        self.ok = ok
        self.accepted = accepted
        self.check = check
        self.message = message
        self.limits = limits
        self.refused = refused
    }

    static func failure(_ message: String, refused: Bool = false) -> ConsolePreview {
        ConsolePreview(ok: false, accepted: false, message: message, refused: refused)
    }
}

extension ConsoleBackend {
    /// A backend without the risk sidecar previews nothing.
    public func preview(_ ticket: ConsoleTicket, by user: ConsoleUser) async -> ConsolePreview {
        .failure("this console has no risk preview")
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (no Foundation in the ticket's checks).
    var trimmingSpaces: String {
        let isSpace = { (c: Character) in c == " " || c == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
