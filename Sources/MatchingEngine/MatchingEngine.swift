/// A set of order books keyed by instrument symbol, routing each operation to its book.
///
/// Books are listed with ``addInstrument(_:expectedOrders:lastTradePrice:)``; an operation on
/// a symbol with no book is rejected with ``RejectReason/unknownInstrument``. Each operation's
/// events go to the caller's buffer exactly as the book's own methods put them, so the caller
/// knows the symbol of every event of an operation. ``BookID`` skips the symbol lookup on a hot
/// path. Operations that span books (expiry, end of day) return their events per symbol.
public struct MatchingEngine: Sendable {
    /// The books, in the order their instruments were added (``BookID`` indexes this).
    public private(set) var books: [OrderBook] = []
    /// The symbols, parallel to `books`.
    public private(set) var symbols: [String] = []
    private var bookIDs: [String: BookID] = [:]

    public init() {}

    /// A book's position in the engine: stable for the engine's life.
    public struct BookID: Sendable, Hashable {
        public let rawValue: Int
    }

    /// The events one book produced in an operation that spans books.
    public struct InstrumentEvents: Sendable, Hashable {
        public var symbol: String
        public var events: [MatchEvent]
    }

    /// Adds an empty book for `symbol`; returns the existing book's id if there is one.
    @discardableResult
    public mutating func addInstrument(_ symbol: String, expectedOrders: Int = 1024,
                                       lastTradePrice: Int64? = nil) -> BookID {
        if let existing = bookIDs[symbol] { return existing }
        let id = BookID(rawValue: books.count)
        books.append(OrderBook(expectedOrders: expectedOrders, lastTradePrice: lastTradePrice))
        symbols.append(symbol)
        bookIDs[symbol] = id
        return id
    }

    /// The id of `symbol`'s book, if it has one.
    public func bookID(for symbol: String) -> BookID? { bookIDs[symbol] }

    /// `symbol`'s book, for queries. This is a copy-on-write snapshot: let it go before the
    /// next operation, or that operation copies the whole book.
    public subscript(symbol: String) -> OrderBook? {
        bookIDs[symbol].map { books[$0.rawValue] }
    }

    /// Runs `body` on `symbol`'s book in place; nil when there is no such book.
    public mutating func withBook<Result>(_ symbol: String, _ body: (inout OrderBook) throws -> Result) rethrows -> Result? {
        guard let id = bookIDs[symbol] else { return nil }
        return try body(&books[id.rawValue])
    }

    // MARK: By symbol

    public mutating func submit(_ order: NewOrder, symbol: String, into events: inout [MatchEvent]) {
        guard let id = bookIDs[symbol] else {
            events.append(.rejected(Rejection(id: order.id, request: .submit, reason: .unknownInstrument)))
            return
        }
        books[id.rawValue].submit(order, into: &events)
    }

    public mutating func cancel(id orderID: UInt64, symbol: String, into events: inout [MatchEvent]) {
        guard let id = bookIDs[symbol] else {
            events.append(.rejected(Rejection(id: orderID, request: .cancel, reason: .unknownInstrument)))
            return
        }
        books[id.rawValue].cancel(id: orderID, into: &events)
    }

    public mutating func replace(id orderID: UInt64, symbol: String, quantity: Int64, price: Int64? = nil,
                                 stopPrice: Int64? = nil, into events: inout [MatchEvent]) {
        guard let id = bookIDs[symbol] else {
            events.append(.rejected(Rejection(id: orderID, request: .replace, reason: .unknownInstrument)))
            return
        }
        books[id.rawValue].replace(id: orderID, quantity: quantity, price: price, stopPrice: stopPrice, into: &events)
    }

    // MARK: By book id

    public mutating func submit(_ order: NewOrder, book: BookID, into events: inout [MatchEvent]) {
        books[book.rawValue].submit(order, into: &events)
    }

    public mutating func cancel(id orderID: UInt64, book: BookID, into events: inout [MatchEvent]) {
        books[book.rawValue].cancel(id: orderID, into: &events)
    }

    public mutating func replace(id orderID: UInt64, book: BookID, quantity: Int64, price: Int64? = nil,
                                 stopPrice: Int64? = nil, into events: inout [MatchEvent]) {
        books[book.rawValue].replace(id: orderID, quantity: quantity, price: price, stopPrice: stopPrice, into: &events)
    }

    // MARK: Every book

    /// ``OrderBook/expire(now:into:)`` on every book; only books with events are returned.
    public mutating func expire(now: Int64) -> [InstrumentEvents] {
        forEachBook { $0.expire(now: now, into: &$1) }
    }

    /// ``OrderBook/endOfDay(into:)`` on every book; only books with events are returned.
    public mutating func endOfDay() -> [InstrumentEvents] {
        forEachBook { $0.endOfDay(into: &$1) }
    }

    /// ``OrderBook/cancelAll(owner:dayOrdersOnly:into:)`` on every book.
    public mutating func cancelAll(owner: UInt64, dayOrdersOnly: Bool = false) -> [InstrumentEvents] {
        forEachBook { $0.cancelAll(owner: owner, dayOrdersOnly: dayOrdersOnly, into: &$1) }
    }

    private mutating func forEachBook(_ operation: (inout OrderBook, inout [MatchEvent]) -> Void) -> [InstrumentEvents] {
        var result: [InstrumentEvents] = []
        for position in books.indices {
            var events: [MatchEvent] = []
            operation(&books[position], &events)
            if !events.isEmpty { result.append(InstrumentEvents(symbol: symbols[position], events: events)) }
        }
        return result
    }
}
