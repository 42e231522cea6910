import FIXCodec

// Read-only views of the books for publishers and subscribers: full refreshes, tops, states
// and bars. These allocate; the apply path does not call them.

extension MarketDataNormalizer {
    /// The book as a full refresh publishes it: up to the configured depth of each side.
    public func snapshot(of book: BookID) -> BookView {
        let state = books[book.index]
        let depth = configuration.depth
        return BookView(book: book, symbol: symbol(book), sequence: state.lastApplied, state: state.state,
                        recoveryReason: state.recovery, bids: state.levels(.bid, depth: depth),
                        asks: state.levels(.ask, depth: depth), lastTrade: lastTrade(book),
                        lastUpdateTime: state.lastUpdateTime)
    }

    public func topOfBook(_ book: BookID) -> TopOfBook { books[book.index].topOfBook }

    public func state(_ book: BookID) -> BookState { books[book.index].state }

    /// Whether the book waits for a snapshot.
    public func needsSnapshot(_ book: BookID) -> Bool { books[book.index].isRecovering }

    /// Every book waiting for a snapshot, for re-requesting after a reconnect.
    public var booksNeedingSnapshot: [BookID] { books.filter(\.isRecovering).map(\.id) }

    /// Levels kept on one side (up to `maxLevels`, beyond the published depth), best first.
    public func levels(_ book: BookID, side: BookSide) -> [PriceLevel] {
        books[book.index].levels(side, depth: configuration.maxLevels)
    }

    public func lastTrade(_ book: BookID) -> TradeEvent? {
        books[book.index].lastTrade.map(books[book.index].event(for:))
    }

    /// The bar still collecting trades for an interval, `nil` when none is open (or the
    /// interval is not configured).
    public func openBar(_ book: BookID, interval: BarInterval) -> Bar? {
        guard let slot = intervals.firstIndex(of: interval) else { return nil }
        let open = bars[book.index * intervals.count + slot]
        return open.isOpen ? bar(open, book: book.index, slot: slot) : nil
    }
}
