import FIXCodec
import FIXVocabulary
import Instruments

/// The gateway's own key for a working order (its OrderID, or a number it assigns).
///
/// ClOrdIDs change on every replace; the sidecar follows an order through its life by this key,
/// which the gateway keeps stable from the first check to the last fill or cancel.
public struct RiskOrderKey: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public var value: String

    public init(_ value: String) { self.value = value }
    public init(_ number: Int64) { self.value = String(number) }
    public init(stringLiteral value: String) { self.value = value }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A new order as the gateway hands it to the sidecar: plain values, no FIX.
///
/// The gateway resolves it once when it builds it (`RiskSidecar.resolve(_:)`): the names are
/// looked up to the small integers the engine's tables are indexed by, and the ClOrdID and key
/// are hashed, so the check itself hashes no string. An order that is not resolved (or was
/// resolved by another engine, or had a name changed since) is checked all the same: the check
/// then looks its names up itself.
public struct RiskOrder: Sendable, Hashable {
    /// The gateway's key for this order; the sidecar holds the order as working under it once accepted.
    public var key: RiskOrderKey { didSet { resolved = .none } }
    /// ClOrdID (11), unique per session for the day.
    public var clOrdID: String { didSet { resolved = .none } }
    public var account: String { didSet { resolved = .none } }
    /// The OMS session the order came in on (for session limits, throttles and cancel-on-disconnect).
    public var session: String { didSet { resolved = .none } }
    /// The contract month, `CLZ6`.
    public var symbol: String { didSet { resolved = .none } }
    /// The product root, `CL`; must name a contract the sidecar was given.
    public var root: String { didSet { resolved = .none } }
    public var side: Side
    /// Contracts.
    public var quantity: Int64
    public var type: OrderType
    /// Limit price (44) for limit and stop-limit orders.
    public var price: FIXDecimal?
    /// Stop price (99) for stop and stop-limit orders.
    public var stopPrice: FIXDecimal?
    public var timeInForce: TimeInForce
    /// What `resolve` found for the names above in one engine; not part of the order's value
    /// (equality and hashing ignore it), and cleared when a name, the ClOrdID or the key changes.
    public internal(set) var resolved: RiskResolution = .none

    public init(key: RiskOrderKey, clOrdID: String, account: String, session: String, symbol: String, root: String,
                side: Side, quantity: Int64, type: OrderType = .limit, price: FIXDecimal? = nil,
                stopPrice: FIXDecimal? = nil, timeInForce: TimeInForce = .day) {
        self.key = key
        self.clOrdID = clOrdID
        self.account = account
        self.session = session
        self.symbol = symbol
        self.root = root
        self.side = side
        self.quantity = quantity
        self.type = type
        self.price = price
        self.stopPrice = stopPrice
        self.timeInForce = timeInForce
    }

    public static func == (lhs: RiskOrder, rhs: RiskOrder) -> Bool {
        lhs.key == rhs.key && lhs.clOrdID == rhs.clOrdID && lhs.account == rhs.account && lhs.session == rhs.session
            && lhs.symbol == rhs.symbol && lhs.root == rhs.root && lhs.side == rhs.side && lhs.quantity == rhs.quantity
            && lhs.type == rhs.type && lhs.price == rhs.price && lhs.stopPrice == rhs.stopPrice
            && lhs.timeInForce == rhs.timeInForce
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
        hasher.combine(clOrdID)
        hasher.combine(account)
        hasher.combine(session)
        hasher.combine(symbol)
        hasher.combine(root)
        hasher.combine(side)
        hasher.combine(quantity)
        hasher.combine(type)
        hasher.combine(price)
        hasher.combine(stopPrice)
        hasher.combine(timeInForce)
    }
}

/// An order's names as one engine's ids, and its ClOrdID and key hashed, found once when the
/// gateway builds the order (`RiskEngine.resolve(_:)`, `RiskSidecar.resolve(_:)`). An id of −1
/// is a name the engine had not seen then: the check interns it as it always did.
public struct RiskResolution: Sendable {
    /// The engine that resolved the order (0: none); ids are only read by that engine.
    let engine: UInt32
    let account: Int32
    let session: Int32
    let root: Int32
    let symbol: Int32
    let clOrdIDHash: ClOrdIDHash
    let keyHash: UInt64

    static let none = RiskResolution(engine: 0, account: -1, session: -1, root: -1, symbol: -1,
                                     clOrdIDHash: ClOrdIDHash(prefix: 0, rest: 0, full: 0), keyHash: 0)

    /// Whether the order was resolved (by some engine) since its names last changed.
    public var isResolved: Bool { engine != 0 }
}

/// A cancel/replace (35=G) of a working order. Account, instrument and side are the working order's.
public struct RiskReplace: Sendable, Hashable {
    /// The working order being replaced.
    public var key: RiskOrderKey
    /// The new ClOrdID (11).
    public var clOrdID: String
    /// The session the request came in on.
    public var session: String
    /// The new total OrderQty (38), filled contracts included, as FIX counts it.
    public var quantity: Int64
    public var type: OrderType
    public var price: FIXDecimal?
    public var stopPrice: FIXDecimal?
    /// A new time in force, or `nil` to keep the order's.
    public var timeInForce: TimeInForce?

    public init(key: RiskOrderKey, clOrdID: String, session: String, quantity: Int64, type: OrderType = .limit,
                price: FIXDecimal? = nil, stopPrice: FIXDecimal? = nil, timeInForce: TimeInForce? = nil) {
        self.key = key
        self.clOrdID = clOrdID
        self.session = session
        self.quantity = quantity
        self.type = type
        self.price = price
        self.stopPrice = stopPrice
        self.timeInForce = timeInForce
    }
}

/// A cancel request (35=F). Cancels always pass; they only count toward the message throttle.
public struct RiskCancel: Sendable, Hashable {
    public var key: RiskOrderKey
    public var clOrdID: String
    public var session: String

    public init(key: RiskOrderKey, clOrdID: String, session: String) {
        self.key = key
        self.clOrdID = clOrdID
        self.session = session
    }
}

/// Reference prices for one contract month, pushed by the gateway from its market data.
///
/// Price collars measure against `last`, `mid` or `settlement`; market-order protection caps from
/// the best price on the other side (`ask` for a buy, `bid` for a sell), falling back to last and
/// then settlement when that side of the book is empty.
public struct ReferencePrices: Sendable, Hashable {
    public var last: FIXDecimal?
    public var bid: FIXDecimal?
    public var ask: FIXDecimal?
    public var settlement: FIXDecimal?

    public init(last: FIXDecimal? = nil, bid: FIXDecimal? = nil, ask: FIXDecimal? = nil, settlement: FIXDecimal? = nil) {
        self.last = last
        self.bid = bid
        self.ask = ask
        self.settlement = settlement
    }

    /// (bid + ask) / 2 when both sides are known; exact (one more decimal place at most).
    public var mid: FIXDecimal? {
        guard let bid, let ask else { return nil }
        return Fixed.decimal((Fixed.raw(bid) + Fixed.raw(ask)) / 2)
    }

    public func price(_ kind: ReferencePriceKind) -> FIXDecimal? {
        switch kind {
        case .last: last
        case .mid: mid
        case .settlement: settlement
        }
    }
}

/// Which reference a price collar measures from.
public enum ReferencePriceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case last
    case mid
    case settlement
}
