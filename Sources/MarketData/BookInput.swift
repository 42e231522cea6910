import Instruments

// What a feed hands the normalizer: value types a FIX W/X decoder or the simulated venue can
// build without knowing anything of the books. Prices are integer ticks of the instrument
// (`MarketDataNormalizer.ticks(for:book:)` converts a FIX price once, at the edge), times are
// nanoseconds since the Unix epoch, UTC, on the caller's one clock (the stale check compares
// them with the `now` of `tick(now:into:)`).

/// One price level of a ``BookSnapshot``.
public struct SnapshotLevel: Sendable, Hashable {
    /// The price in ticks of the book's instrument.
    public var price: Int64
    /// Contracts at this price, positive.
    public var size: Int64
    /// Orders making up the level (NumberOfOrders, 346); 0 when the venue does not say.
    public var orderCount: Int32

    public init(price: Int64, size: Int64, orderCount: Int32 = 0) {
        self.price = price
        self.size = size
        self.orderCount = orderCount
    }
}

/// A venue's full book for one instrument (a FIX MarketDataSnapshotFullRefresh), valid as of
/// `sequence`: incrementals up to and including it are already in it.
public struct BookSnapshot: Sendable, Hashable {
    public var book: BookID
    /// The per-instrument sequence number (RptSeq, 83) or the feed's, as the normalizer is configured.
    public var sequence: UInt64
    public var time: Int64
    /// Bid levels in any order; prices must be distinct.
    public var bids: [SnapshotLevel]
    /// Ask levels in any order; prices must be distinct.
    public var asks: [SnapshotLevel]

    public init(book: BookID, sequence: UInt64, time: Int64, bids: [SnapshotLevel], asks: [SnapshotLevel]) {
        self.book = book
        self.sequence = sequence
        self.time = time
        self.bids = bids
        self.asks = asks
    }
}

/// One price level's change (an MDEntry of a MarketDataIncrementalRefresh with a bid or offer
/// MDEntryType).
public struct LevelUpdate: Sendable, Hashable {
    public var book: BookID
    public var sequence: UInt64
    public var time: Int64
    public var action: LevelAction
    public var side: BookSide
    /// The level's price in ticks.
    public var price: Int64
    /// The level's new size, positive for new and change; ignored for delete.
    public var size: Int64
    /// The level's new order count; ignored for delete.
    public var orderCount: Int32

    public init(book: BookID, sequence: UInt64, time: Int64, action: LevelAction, side: BookSide, price: Int64,
                size: Int64 = 0, orderCount: Int32 = 0) {
        self.book = book
        self.sequence = sequence
        self.time = time
        self.action = action
        self.side = side
        self.price = price
        self.size = size
        self.orderCount = orderCount
    }
}

/// A trade printed on the venue (an MDEntry with MDEntryType trade).
public struct TradeUpdate: Sendable, Hashable {
    public var book: BookID
    public var sequence: UInt64
    public var time: Int64
    /// The trade price in ticks.
    public var price: Int64
    /// Contracts traded, positive.
    public var size: Int64
    /// The side of the order that took liquidity, when the venue says.
    public var aggressor: Side?

    public init(book: BookID, sequence: UInt64, time: Int64, price: Int64, size: Int64, aggressor: Side? = nil) {
        self.book = book
        self.sequence = sequence
        self.time = time
        self.price = price
        self.size = size
        self.aggressor = aggressor
    }
}

/// Either kind of incremental, for callers that decode a mixed stream in order.
public enum IncrementalUpdate: Sendable, Hashable {
    case level(LevelUpdate)
    case trade(TradeUpdate)

    public var book: BookID {
        switch self {
        case .level(let update): update.book
        case .trade(let trade): trade.book
        }
    }

    public var sequence: UInt64 {
        switch self {
        case .level(let update): update.sequence
        case .trade(let trade): trade.sequence
        }
    }
}
