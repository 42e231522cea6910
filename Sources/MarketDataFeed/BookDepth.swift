import FIXCodec

/// A book as the feed publishes it: market by price, best level first on each side (bids
/// falling, offers rising). Whoever owns the book (a simulated venue, a FIX venue's feed)
/// gives it in this form.
public struct BookDepth: Sendable, Hashable {
    /// One price level: MDEntryPx (270), MDEntrySize (271) and NumberOfOrders (346).
    public struct Level: Sendable, Hashable {
        public var price: FIXDecimal
        public var quantity: Int64
        public var orderCount: Int

        public init(price: FIXDecimal, quantity: Int64, orderCount: Int) {
            self.price = price
            self.quantity = quantity
            self.orderCount = orderCount
        }
    }

    public var bids: [Level]
    public var asks: [Level]

    public init(bids: [Level], asks: [Level]) {
        self.bids = bids
        self.asks = asks
    }

    /// A book with no orders on either side.
    public static let empty = BookDepth(bids: [], asks: [])
}

/// A trade as the feed prints it (MDEntryType 2): the instrument, the price and the size.
public struct TradePrint: Sendable, Hashable {
    public var symbol: String
    public var price: FIXDecimal
    public var quantity: Int64

    public init(symbol: String, price: FIXDecimal, quantity: Int64) {
        self.symbol = symbol
        self.price = price
        self.quantity = quantity
    }
}
