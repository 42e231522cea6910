// What the book tells the caller. Every operation appends events to a caller-owned buffer, in
// the order things happened, so a venue can turn each into an ExecutionReport and a market
// data update without the book allocating anything per operation.

/// One thing that happened in a book.
///
/// For a submitted order the sequence is always `accepted` (or `rejected`) first, then any
/// `fill`s, then at most one `cancelled` for what could not rest. An order that is neither
/// fully filled nor cancelled by the end of the operation is working in the book (resting at
/// its limit price, or waiting for its stop to trigger).
public enum MatchEvent: Sendable, Hashable {
    /// The order passed validation and is being processed.
    case accepted(NewOrder)
    /// A request was refused; the book is unchanged.
    case rejected(Rejection)
    /// A trade between an incoming (aggressor) order and a resting one.
    case fill(Fill)
    /// An order left the book with quantity unfilled.
    case cancelled(Cancellation)
    /// A working order's price or quantity was changed.
    case replaced(Replacement)
    /// A stop order's trigger was reached; it is now a market or limit order and its fills
    /// (if any) follow.
    case stopTriggered(StopTrigger)
}

/// A trade. The aggressor is the order that arrived (or was triggered, or was replaced to a
/// crossing price); the trade is at the resting order's price.
public struct Fill: Sendable, Hashable {
    /// Numbers trades in this book from 1, for TrdMatchID (880).
    public var tradeID: UInt64
    public var price: Int64
    public var quantity: Int64
    public var aggressorSide: Side
    public var aggressorID: UInt64
    public var aggressorOwner: UInt64
    /// What remains of the aggressor after this trade.
    public var aggressorLeaves: Int64
    public var restingID: UInt64
    public var restingOwner: UInt64
    /// What remains of the resting order after this trade; 0 means it left the book.
    public var restingLeaves: Int64

    public init(tradeID: UInt64, price: Int64, quantity: Int64, aggressorSide: Side,
                aggressorID: UInt64, aggressorOwner: UInt64, aggressorLeaves: Int64,
                restingID: UInt64, restingOwner: UInt64, restingLeaves: Int64) {
        self.tradeID = tradeID
        self.price = price
        self.quantity = quantity
        self.aggressorSide = aggressorSide
        self.aggressorID = aggressorID
        self.aggressorOwner = aggressorOwner
        self.aggressorLeaves = aggressorLeaves
        self.restingID = restingID
        self.restingOwner = restingOwner
        self.restingLeaves = restingLeaves
    }
}

/// Which request a ``Rejection`` refuses.
public enum RequestKind: UInt8, Sendable, Hashable {
    case submit
    case cancel
    case replace
}

/// Why a request was refused.
public enum RejectReason: UInt8, Sendable, Hashable, CustomStringConvertible {
    /// No working order has this id (never seen, already filled, cancelled or expired).
    case unknownOrder
    /// A working order already has this id.
    case duplicateOrderID
    /// The quantity is zero or negative.
    case invalidQuantity
    /// A replace gave a limit price for a stop order (which has none) or a stop price for an
    /// order that is not waiting for a trigger.
    case priceNotApplicable
    /// ``MatchingEngine`` has no book for the symbol.
    case unknownInstrument

    public var description: String {
        switch self {
        case .unknownOrder: "unknown order"
        case .duplicateOrderID: "duplicate order id"
        case .invalidQuantity: "quantity must be positive"
        case .priceNotApplicable: "price not applicable to this order type"
        case .unknownInstrument: "unknown instrument"
        }
    }
}

public struct Rejection: Sendable, Hashable {
    /// The order id the request named.
    public var id: UInt64
    public var request: RequestKind
    public var reason: RejectReason

    public init(id: UInt64, request: RequestKind, reason: RejectReason) {
        self.id = id
        self.request = request
        self.reason = reason
    }
}

/// Why an order left the book unfilled. Venues report it as OrderEntry's `VenueCancelReason`,
/// which words it for a report's Text.
public enum CancelReason: UInt8, Sendable, Hashable, CaseIterable {
    /// The owner asked (``OrderBook/cancel(id:into:)``, ``OrderBook/cancelAll(owner:into:)``).
    case requested
    /// What an IOC order could not fill at once.
    case immediateOrCancelRemainder
    /// A FOK order the book could not fill completely; nothing traded.
    case fillOrKillUnfilled
    /// A GTD order reached its expiry time.
    case expired
    /// A day order at ``OrderBook/endOfDay(into:)``.
    case endOfDay
    /// Self-trade prevention cancelled it.
    case selfTrade
    /// What a market order could not fill: market orders never rest.
    case marketNoLiquidity
    /// A replace asked for a quantity at or below what had already filled, so nothing is left.
    case replacedAtOrBelowFilled
}

public struct Cancellation: Sendable, Hashable {
    public var id: UInt64
    public var owner: UInt64
    public var side: Side
    /// The quantity that was still open and is now cancelled.
    public var cancelledQuantity: Int64
    /// What the order had filled before it was cancelled.
    public var filledQuantity: Int64
    public var reason: CancelReason

    public init(id: UInt64, owner: UInt64, side: Side, cancelledQuantity: Int64, filledQuantity: Int64,
                reason: CancelReason) {
        self.id = id
        self.owner = owner
        self.side = side
        self.cancelledQuantity = cancelledQuantity
        self.filledQuantity = filledQuantity
        self.reason = reason
    }
}

public struct Replacement: Sendable, Hashable {
    public var id: UInt64
    public var owner: UInt64
    public var side: Side
    /// The limit price after the replace (nil for a stop order that becomes a market order).
    public var price: Int64?
    /// The stop price after the replace, for an order still waiting for its trigger.
    public var stopPrice: Int64?
    /// The new total order quantity (filled quantity included), as FIX OrderQty (38).
    public var quantity: Int64
    /// `quantity` minus what has filled.
    public var leaves: Int64
    /// False when the order went to the back of the queue: the price (or stop price) changed
    /// or the quantity went up.
    public var keptPriority: Bool

    public init(id: UInt64, owner: UInt64, side: Side, price: Int64?, stopPrice: Int64?, quantity: Int64,
                leaves: Int64, keptPriority: Bool) {
        self.id = id
        self.owner = owner
        self.side = side
        self.price = price
        self.stopPrice = stopPrice
        self.quantity = quantity
        self.leaves = leaves
        self.keptPriority = keptPriority
    }
}

public struct StopTrigger: Sendable, Hashable {
    public var id: UInt64
    public var owner: UInt64
    public var side: Side
    public var stopPrice: Int64
    /// The trade price that reached the stop: the highest price of the execution that
    /// triggered a buy stop, the lowest for a sell stop, or the last trade price for a stop
    /// already reached when it arrived.
    public var triggerPrice: Int64

    public init(id: UInt64, owner: UInt64, side: Side, stopPrice: Int64, triggerPrice: Int64) {
        self.id = id
        self.owner = owner
        self.side = side
        self.stopPrice = stopPrice
        self.triggerPrice = triggerPrice
    }
}
