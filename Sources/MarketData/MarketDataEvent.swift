import FIXCodec
import Instruments

// What the normalizer tells its caller. Every operation appends events to a caller-owned
// buffer in the order things happened, so the apply path allocates nothing, and each event is
// a value a publisher can turn into an MDEntry of a MarketDataIncrementalRefresh (X) — or, for
// `bookRefreshed`, a MarketDataSnapshotFullRefresh (W) from `MarketDataNormalizer.snapshot(of:)`.

/// One thing that changed.
public enum MarketDataEvent: Sendable, Hashable {
    /// A level within the published depth was added, changed or removed.
    case level(LevelEvent)
    /// The best bid or offer (price, size or order count) changed.
    case topOfBook(TopOfBook)
    case trade(TradeEvent)
    /// A bar's interval ended (a later trade or a clock tick passed its end).
    indirect case barClosed(Bar)
    /// The book's state changed (ok, crossed, stale, recovering).
    case bookState(BookStateChange)
    /// The book went into recovery: the caller should request a snapshot for it.
    case snapshotNeeded(BookID)
    /// A snapshot replaced the book: subscribers want a full refresh of it.
    case bookRefreshed(BookID)
    /// A derived instrument's live price changed, or became unavailable (`price == nil`).
    case derived(DerivedPrice)
}

/// A level inside the published depth, as MDUpdateAction (279), MDEntryType (269),
/// MDPriceLevel (1023), MDEntryPx (270), MDEntrySize (271) and NumberOfOrders (346) carry it.
///
/// A subscriber applying these to its own top-N view keeps exactly the normalizer's top N: a
/// new level that pushes the Nth one out comes after a delete of that one, and a delete that
/// lets a deeper level move up is followed by a new for it at position N.
public struct LevelEvent: Sendable, Hashable {
    public var book: BookID
    public var side: BookSide
    public var action: LevelAction
    /// 1 for the best level; for a delete, the position the level had.
    public var position: Int32
    public var priceTicks: Int64
    public var price: FIXDecimal
    /// 0 for a delete.
    public var size: Int64
    public var orderCount: Int32

    public init(book: BookID, side: BookSide, action: LevelAction, position: Int32, priceTicks: Int64, price: FIXDecimal,
                size: Int64, orderCount: Int32) {
        self.book = book
        self.side = side
        self.action = action
        self.position = position
        self.priceTicks = priceTicks
        self.price = price
        self.size = size
        self.orderCount = orderCount
    }
}

/// A price level as published: the best bid or offer, or one level of a full refresh.
public struct PriceLevel: Sendable, Hashable {
    public var priceTicks: Int64
    public var price: FIXDecimal
    public var size: Int64
    public var orderCount: Int32

    public init(priceTicks: Int64, price: FIXDecimal, size: Int64, orderCount: Int32) {
        self.priceTicks = priceTicks
        self.price = price
        self.size = size
        self.orderCount = orderCount
    }
}

/// The best bid and offer; `nil` for an empty side.
public struct TopOfBook: Sendable, Hashable {
    public var book: BookID
    public var bid: PriceLevel?
    public var ask: PriceLevel?

    public init(book: BookID, bid: PriceLevel?, ask: PriceLevel?) {
        self.book = book
        self.bid = bid
        self.ask = ask
    }
}

public struct TradeEvent: Sendable, Hashable {
    public var book: BookID
    public var sequence: UInt64
    public var time: Int64
    public var priceTicks: Int64
    public var price: FIXDecimal
    public var size: Int64
    public var aggressor: Side?

    public init(book: BookID, sequence: UInt64, time: Int64, priceTicks: Int64, price: FIXDecimal, size: Int64,
                aggressor: Side?) {
        self.book = book
        self.sequence = sequence
        self.time = time
        self.priceTicks = priceTicks
        self.price = price
        self.size = size
        self.aggressor = aggressor
    }
}

public struct BookStateChange: Sendable, Hashable {
    public var book: BookID
    public var previous: BookState
    public var state: BookState
    /// Why, when the book went into recovery.
    public var reason: RecoveryReason?

    public init(book: BookID, previous: BookState, state: BookState, reason: RecoveryReason? = nil) {
        self.book = book
        self.previous = previous
        self.state = state
        self.reason = reason
    }
}

public struct DerivedPrice: Sendable, Hashable {
    public var derived: DerivedID
    /// Exact, in the derived instrument's price unit; `nil` while a leg has no usable price.
    public var price: FIXDecimal?

    public init(derived: DerivedID, price: FIXDecimal?) {
        self.derived = derived
        self.price = price
    }
}
