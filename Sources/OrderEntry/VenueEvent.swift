import FIXCodec
import FIXVocabulary
import Instruments

// What a venue tells the owner of an order, whatever the venue: the in-process simulated
// venue, a venue over FIX (its execution reports read into these), or, later, an execution
// algorithm working a parent order. One order state machine (``ClientOrder``) follows them.

/// Why an order left a venue's book unfilled.
public enum VenueCancelReason: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Its owner asked.
    case requested
    /// What an immediate-or-cancel order could not fill at once.
    case immediateOrCancelRemainder
    /// A fill-or-kill order that could not fill completely.
    case fillOrKillUnfilled
    /// A good-till-date order reached its ExpireTime.
    case expired
    /// A day order at the end of its trading day.
    case endOfDay
    /// Self-trade prevention.
    case selfTrade
    /// A market order that found nothing to trade against.
    case marketNoLiquidity
    /// A replace to a quantity at or below what had already filled.
    case replacedAtOrBelowFilled

    public var description: String {
        switch self {
        case .requested: "cancelled on request"
        case .immediateOrCancelRemainder: "IOC remainder"
        case .fillOrKillUnfilled: "FOK could not fill completely"
        case .expired: "GTD expired"
        case .endOfDay: "day order at end of day"
        case .selfTrade: "self-trade prevention"
        case .marketNoLiquidity: "market order found no more liquidity"
        case .replacedAtOrBelowFilled: "replaced to a quantity at or below the filled quantity"
        }
    }
}


/// One execution of a client order.
public struct VenueFill: Sendable, Hashable {
    /// The client order that traded.
    public var id: UInt64
    public var owner: UInt64
    public var symbol: String
    public var side: Instruments.Side
    /// The trade price: the resting order's price, on the tick grid.
    public var price: FIXDecimal
    public var quantity: Int64
    /// What is left of the order after this fill; 0 means it is done.
    public var leavesQuantity: Int64
    /// Unique across the venue for its life (for TrdMatchID); both sides of a trade between two
    /// client orders carry the same id.
    public var tradeID: UInt64
    /// True when this order took liquidity (it arrived, was triggered or was replaced to a
    /// crossing price); false when it was resting.
    public var aggressor: Bool

    public init(id: UInt64, owner: UInt64, symbol: String, side: Instruments.Side, price: FIXDecimal, quantity: Int64,
                leavesQuantity: Int64, tradeID: UInt64, aggressor: Bool) {
        self.id = id
        self.owner = owner
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.leavesQuantity = leavesQuantity
        self.tradeID = tradeID
        self.aggressor = aggressor
    }
}

/// A working order after a successful replace.
public struct VenueReplacement: Sendable, Hashable {
    public var id: UInt64
    /// The new total quantity, filled quantity included (FIX OrderQty).
    public var quantity: Int64
    public var leavesQuantity: Int64
    /// The limit price now (nil for a stop order).
    public var price: FIXDecimal?
    /// The stop price now, for an order still waiting for its trigger.
    public var stopPrice: FIXDecimal?
    /// False when the order lost its place in the queue (a price changed or the quantity went up).
    public var keptPriority: Bool

    public init(id: UInt64, quantity: Int64, leavesQuantity: Int64, price: FIXDecimal?, stopPrice: FIXDecimal?,
                keptPriority: Bool) {
        self.id = id
        self.quantity = quantity
        self.leavesQuantity = leavesQuantity
        self.price = price
        self.stopPrice = stopPrice
        self.keptPriority = keptPriority
    }
}

/// Something that happened to a client order. Market makers' own orders never appear; a client
/// order's fill against a market maker does.
///
/// For one submitted order: `accepted` or `rejected` first, then any `fill`s, then at most one
/// `canceled` for what could not rest. Events of other orders (a catch-up of the market before
/// the request, see ``SimulatedVenue/submit(_:now:)``) may come before them.
public enum VenueEvent: Sendable, Hashable {
    case accepted(id: UInt64)
    /// A submit, cancel or replace was refused; `reason` names what is wrong.
    case rejected(id: UInt64, reason: String)
    case fill(VenueFill)
    /// The order left the book with `canceledQuantity` unfilled.
    case canceled(id: UInt64, canceledQuantity: Int64, reason: VenueCancelReason)
    case replaced(VenueReplacement)
    /// A stop order's trigger was reached: it now works as a market or limit order.
    case stopTriggered(id: UInt64)
    /// The venue refused a cancel (or, with `replace`, a replace) of the order: it stands as
    /// it was. `reason` and `text` are the venue's.
    case changeRefused(id: UInt64, replace: Bool, reason: CxlRejReason, text: String)

    /// The client order the event concerns.
    public var orderID: UInt64 {
        switch self {
        case .accepted(let id), .rejected(let id, _), .canceled(let id, _, _), .stopTriggered(let id),
             .changeRefused(let id, _, _, _): id
        case .fill(let fill): fill.id
        case .replaced(let replacement): replacement.id
        }
    }
}
