import FIXCodec
import FIXVocabulary
import MarketDataFeed
import OrderEntry

// The simulated venue's forms of order entry's terms, and of its books and tape as a FIX feed
// publishes them: shared by every owner of a simulated venue (the gateway's in-process venue,
// the venue simulator's exchange).

extension FIXVocabulary.OrderType {
    /// The venue's form of an order of this type with these prices.
    public func venueType(price: FIXDecimal?, stopPrice: FIXDecimal?) -> VenueOrderType {
        switch self {
        case .market: .market
        case .limit: .limit(price ?? .zero)
        case .stop: .stop(stopPrice ?? .zero)
        case .stopLimit: .stopLimit(stop: stopPrice ?? .zero, limit: price ?? .zero)
        }
    }
}

extension OrderTerms {
    /// The terms' type and prices as the venue takes them.
    public var venueType: VenueOrderType { type.venueType(price: price, stopPrice: stopPrice) }

    /// The terms' TimeInForce (and ExpireTime) as the venue takes them.
    public var venueTimeInForce: VenueTimeInForce {
        switch timeInForce {
        case .day: .day
        case .goodTillCancel: .goodTillCancel
        case .immediateOrCancel: .immediateOrCancel
        case .fillOrKill: .fillOrKill
        case .goodTillDate: .goodTillDate(expireAt: expireTime ?? 0)
        }
    }
}

extension MarketDataFeed.BookDepth {
    /// The simulated venue's book, as the feed publishes it.
    public init(_ depth: VenueDepth) {
        func levels(_ side: [DepthLevel]) -> [Level] {
            side.map { Level(price: $0.price, quantity: $0.quantity, orderCount: $0.orderCount) }
        }
        self.init(bids: levels(depth.bids), asks: levels(depth.asks))
    }
}

extension MarketDataFeed.TradePrint {
    /// A trade on the simulated venue's tape, as the feed prints it.
    public init(_ trade: VenueTrade) {
        self.init(symbol: trade.symbol, price: trade.price, quantity: trade.quantity)
    }
}
