import FIXCodec

/// A book as a full refresh publishes it (FIX MarketDataSnapshotFullRefresh, W): the top
/// levels of each side, best first, with the sequence number it is valid as of.
public struct BookView: Sendable, Hashable {
    public var book: BookID
    public var symbol: String
    /// The last sequence number applied: the RptSeq (83) of the refresh.
    public var sequence: UInt64
    public var state: BookState
    /// Why the book is recovering, when it is.
    public var recoveryReason: RecoveryReason?
    /// Up to the configured depth, best (highest) first.
    public var bids: [PriceLevel]
    /// Up to the configured depth, best (lowest) first.
    public var asks: [PriceLevel]
    public var lastTrade: TradeEvent?
    /// The time of the last update or snapshot applied.
    public var lastUpdateTime: Int64?

    public init(book: BookID, symbol: String, sequence: UInt64, state: BookState, recoveryReason: RecoveryReason?,
                bids: [PriceLevel], asks: [PriceLevel], lastTrade: TradeEvent?, lastUpdateTime: Int64?) {
        self.book = book
        self.symbol = symbol
        self.sequence = sequence
        self.state = state
        self.recoveryReason = recoveryReason
        self.bids = bids
        self.asks = asks
        self.lastTrade = lastTrade
        self.lastUpdateTime = lastUpdateTime
    }
}
