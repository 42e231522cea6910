// The vocabulary of an order book: sides, order types, time in force, self-trade prevention
// and the order a caller submits. Prices are integer ticks (`Int64`, negative allowed: WTI
// traded at −40.32 in April 2020), quantities are `Int64` contracts, times are `Int64`
// nanoseconds the caller supplies. The engine never reads a clock and knows nothing of FIX.

/// Buy or sell. The raw values are FIX Side (54) values, so converting from the wire or from
/// `Instruments.Side` is `Side(rawValue: other.rawValue)`.
///
/// This module depends on nothing, so it has its own `Side`; where another module's `Side` is
/// also imported, the alias ``OrderSide`` names this one without ambiguity.
public enum Side: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case buy = 1
    case sell = 2

    /// The side an order of this side trades against.
    @inlinable public var opposite: Side { self == .buy ? .sell : .buy }

    public var description: String { self == .buy ? "buy" : "sell" }
}

/// The matching engine's ``Side``, by a name no other module uses.
public typealias OrderSide = Side

/// What an order does when it arrives and what price limits it.
public enum OrderType: Sendable, Hashable {
    /// Trades at any price against what rests on the other side; never rests. What the book
    /// cannot fill is cancelled (``CancelReason/marketNoLiquidity``).
    case market
    /// Trades at `price` or better; what is left rests at `price` (unless IOC or FOK).
    case limit(price: Int64)
    /// Waits until the last trade price reaches `stopPrice` (a buy stop when last ≥ stop, a
    /// sell stop when last ≤ stop), then becomes a market order.
    case stop(stopPrice: Int64)
    /// Waits like a stop order, then becomes a limit order at `limitPrice`.
    case stopLimit(stopPrice: Int64, limitPrice: Int64)

    /// The limit price, if this type has one.
    @inlinable public var limitPrice: Int64? {
        switch self {
        case .limit(let price), .stopLimit(_, let price): price
        case .market, .stop: nil
        }
    }

    /// The trigger price, if this type has one.
    @inlinable public var stopPrice: Int64? {
        switch self {
        case .stop(let stop), .stopLimit(let stop, _): stop
        case .market, .limit: nil
        }
    }
}

/// How long an order stays working.
///
/// For a stop order the time in force governs the order it becomes once triggered. While it
/// waits, a day or GTD stop expires as any order would, and an IOC or FOK stop counts as a day
/// order (``OrderBook/endOfDay(into:)`` cancels it).
public enum TimeInForce: Sendable, Hashable {
    /// Works until ``OrderBook/endOfDay(into:)``.
    case day
    /// Works until cancelled.
    case goodTillCancel
    /// Fills what it can at once; the rest is cancelled (``CancelReason/immediateOrCancelRemainder``).
    case immediateOrCancel
    /// Fills completely at once or not at all (``CancelReason/fillOrKillUnfilled``): the book is
    /// checked for enough quantity before anything trades, so there is never a partial fill.
    case fillOrKill
    /// Works until ``OrderBook/expire(now:into:)`` is called with `now` ≥ `expireAt`
    /// (nanoseconds, the caller's clock). A GTD order survives ``OrderBook/endOfDay(into:)``.
    case goodTillDate(expireAt: Int64)
}

/// What happens when an incoming order would trade with a resting order of the same owner.
///
/// The incoming (aggressor) order's setting decides; a resting order's own setting is used
/// when it becomes the aggressor (a replace that crosses, a triggered stop).
public enum SelfTradePrevention: UInt8, Sendable, Hashable, CaseIterable {
    /// Trade with yourself like anyone else.
    case none
    /// Cancel the resting order and keep matching the incoming one (cancel-oldest).
    case cancelResting
    /// Cancel what is left of the incoming order (cancel-newest); resting orders stay.
    case cancelIncoming
    /// Cancel both the resting order and what is left of the incoming one.
    case cancelBoth
}

/// An order as the caller submits it to ``OrderBook/submit(_:into:)``.
public struct NewOrder: Sendable, Hashable {
    /// The caller's identifier; unique among the book's working orders.
    public var id: UInt64
    /// The account (or trader) the order belongs to, for self-trade prevention.
    public var owner: UInt64
    public var side: Side
    public var type: OrderType
    /// Contracts; must be positive.
    public var quantity: Int64
    public var timeInForce: TimeInForce
    public var selfTradePrevention: SelfTradePrevention

    public init(id: UInt64, owner: UInt64, side: Side, type: OrderType, quantity: Int64,
                timeInForce: TimeInForce = .day, selfTradePrevention: SelfTradePrevention = .none) {
        self.id = id
        self.owner = owner
        self.side = side
        self.type = type
        self.quantity = quantity
        self.timeInForce = timeInForce
        self.selfTradePrevention = selfTradePrevention
    }

    /// A limit order at `price` ticks.
    public static func limit(id: UInt64, owner: UInt64 = 0, side: Side, price: Int64, quantity: Int64,
                             timeInForce: TimeInForce = .day,
                             selfTradePrevention: SelfTradePrevention = .none) -> NewOrder {
        NewOrder(id: id, owner: owner, side: side, type: .limit(price: price), quantity: quantity,
                 timeInForce: timeInForce, selfTradePrevention: selfTradePrevention)
    }

    /// A market order.
    public static func market(id: UInt64, owner: UInt64 = 0, side: Side, quantity: Int64,
                              timeInForce: TimeInForce = .day,
                              selfTradePrevention: SelfTradePrevention = .none) -> NewOrder {
        NewOrder(id: id, owner: owner, side: side, type: .market, quantity: quantity,
                 timeInForce: timeInForce, selfTradePrevention: selfTradePrevention)
    }

    /// A stop order that becomes a market order when the last trade reaches `stopPrice`.
    public static func stop(id: UInt64, owner: UInt64 = 0, side: Side, stopPrice: Int64, quantity: Int64,
                            timeInForce: TimeInForce = .day,
                            selfTradePrevention: SelfTradePrevention = .none) -> NewOrder {
        NewOrder(id: id, owner: owner, side: side, type: .stop(stopPrice: stopPrice), quantity: quantity,
                 timeInForce: timeInForce, selfTradePrevention: selfTradePrevention)
    }

    /// A stop-limit order that becomes a limit order at `limitPrice` when the last trade
    /// reaches `stopPrice`.
    public static func stopLimit(id: UInt64, owner: UInt64 = 0, side: Side, stopPrice: Int64, limitPrice: Int64,
                                 quantity: Int64, timeInForce: TimeInForce = .day,
                                 selfTradePrevention: SelfTradePrevention = .none) -> NewOrder {
        NewOrder(id: id, owner: owner, side: side, type: .stopLimit(stopPrice: stopPrice, limitPrice: limitPrice),
                 quantity: quantity, timeInForce: timeInForce, selfTradePrevention: selfTradePrevention)
    }
}
