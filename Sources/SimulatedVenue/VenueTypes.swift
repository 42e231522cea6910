import FIXCodec
import Instruments
import MatchingEngine

// The venue's vocabulary, in exchange terms: exact decimal prices, contracts, nanosecond
// times. The matching engine's tick-based types stay inside this module, so the gateway needs
// only `FIXCodec`, `Instruments` and this module.

/// What an order does on arrival and what limits its price. Prices are exact and must lie on
/// the instrument's tick grid.
public enum VenueOrderType: Sendable, Hashable {
    /// Trades against what rests on the other side; never rests.
    case market
    case limit(FIXDecimal)
    /// Becomes a market order when the last trade reaches the stop price (a buy stop at or
    /// above it, a sell stop at or below it). Stops trigger on trades, so in a book that has
    /// not traded yet a stop waits for the first trade (the market makers print one as soon
    /// as the fair price moves).
    case stop(FIXDecimal)
    /// Becomes a limit order at `limit` when the last trade reaches `stop`.
    case stopLimit(stop: FIXDecimal, limit: FIXDecimal)

    /// The limit price, if the type has one.
    public var limitPrice: FIXDecimal? {
        switch self {
        case .limit(let price), .stopLimit(_, let price): price
        case .market, .stop: nil
        }
    }

    /// The trigger price, if the type has one.
    public var stopPrice: FIXDecimal? {
        switch self {
        case .stop(let stop), .stopLimit(let stop, _): stop
        case .market, .limit: nil
        }
    }
}

/// How long an order works.
public enum VenueTimeInForce: Sendable, Hashable {
    /// Until ``SimulatedVenue/endOfDay()``.
    case day
    /// Until cancelled; survives the end of the day.
    case goodTillCancel
    /// What does not fill at once is cancelled.
    case immediateOrCancel
    /// Fills completely at once or is cancelled with nothing traded.
    case fillOrKill
    /// Until the venue's time reaches `expireAt` (nanoseconds since the epoch); survives the
    /// end of the day.
    case goodTillDate(expireAt: Int64)
}

/// What happens when an order would trade with a working order of the same owner.
public enum VenueSelfTradePrevention: UInt8, Sendable, Hashable, CaseIterable {
    /// Trade as with anyone else.
    case none
    /// Cancel the resting order, keep matching the incoming one.
    case cancelResting
    /// Cancel the rest of the incoming order; resting orders stay.
    case cancelIncoming
    /// Cancel both.
    case cancelBoth
}

/// A client order as the gateway routes it.
public struct VenueOrder: Sendable, Hashable {
    /// The gateway's venue order id: unique among the venue's working orders and below
    /// ``SimulatedVenue/firstMarketMakerOrderID``.
    public var id: UInt64
    /// The account; any value but ``SimulatedVenue/marketMakerOwner``. Self-trade prevention
    /// compares owners.
    public var owner: UInt64
    /// Symbol (55): `CLF7`, `CLF7-CLG7`.
    public var symbol: String
    public var side: Instruments.Side
    public var type: VenueOrderType
    /// Contracts; must be positive.
    public var quantity: Int64
    public var timeInForce: VenueTimeInForce
    public var selfTradePrevention: VenueSelfTradePrevention

    public init(id: UInt64, owner: UInt64, symbol: String, side: Instruments.Side, type: VenueOrderType, quantity: Int64,
                timeInForce: VenueTimeInForce = .day, selfTradePrevention: VenueSelfTradePrevention = .none) {
        self.id = id
        self.owner = owner
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.timeInForce = timeInForce
        self.selfTradePrevention = selfTradePrevention
    }
}





/// A trade on the venue's tape: any two orders, market makers' included.
public struct VenueTrade: Sendable, Hashable {
    public var symbol: String
    public var tradeID: UInt64
    public var price: FIXDecimal
    public var quantity: Int64
    /// The side of the incoming order that traded with a resting one.
    public var aggressorSide: Instruments.Side
    /// Nanoseconds since the epoch: the request or price step that traded.
    public var time: Int64

    public init(symbol: String, tradeID: UInt64, price: FIXDecimal, quantity: Int64, aggressorSide: Instruments.Side, time: Int64) {
        self.symbol = symbol
        self.tradeID = tradeID
        self.price = price
        self.quantity = quantity
        self.aggressorSide = aggressorSide
        self.time = time
    }
}

/// The best bid and offer of a book. A side with no orders has a nil price and size 0.
public struct TopOfBook: Sendable, Hashable {
    public var bidPrice: FIXDecimal?
    public var bidSize: Int64
    public var askPrice: FIXDecimal?
    public var askSize: Int64

    public init(bidPrice: FIXDecimal?, bidSize: Int64, askPrice: FIXDecimal?, askSize: Int64) {
        self.bidPrice = bidPrice
        self.bidSize = bidSize
        self.askPrice = askPrice
        self.askSize = askSize
    }
}

/// One price level of a book: every working order at that price, market makers' included.
public struct DepthLevel: Sendable, Hashable {
    public var price: FIXDecimal
    public var quantity: Int64
    public var orderCount: Int

    public init(price: FIXDecimal, quantity: Int64, orderCount: Int) {
        self.price = price
        self.quantity = quantity
        self.orderCount = orderCount
    }
}

/// Market by price, best level first on each side.
public struct VenueDepth: Sendable, Hashable {
    public var bids: [DepthLevel]
    public var asks: [DepthLevel]

    public init(bids: [DepthLevel], asks: [DepthLevel]) {
        self.bids = bids
        self.asks = asks
    }
}

/// A working client order as the venue holds it now.
public struct VenueOrderState: Sendable, Hashable {
    public var id: UInt64
    public var owner: UInt64
    public var symbol: String
    public var side: Instruments.Side
    /// As it works now: a triggered stop-limit order is a limit order.
    public var type: VenueOrderType
    /// Total quantity, filled included.
    public var quantity: Int64
    public var filledQuantity: Int64
    public var leavesQuantity: Int64
    public var timeInForce: VenueTimeInForce
    /// True for a stop order still waiting for its trigger.
    public var waitingForTrigger: Bool

    public init(id: UInt64, owner: UInt64, symbol: String, side: Instruments.Side, type: VenueOrderType, quantity: Int64,
                filledQuantity: Int64, leavesQuantity: Int64, timeInForce: VenueTimeInForce, waitingForTrigger: Bool) {
        self.id = id
        self.owner = owner
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.leavesQuantity = leavesQuantity
        self.timeInForce = timeInForce
        self.waitingForTrigger = waitingForTrigger
    }
}
