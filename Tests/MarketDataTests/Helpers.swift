import FIXCodec
import Instruments
import MarketData
import Testing

/// The standard reference data on 2026-11-25: CL and BZ list F7…Z7, RB and HO Z6…X7, the
/// calendar spreads M1−M2, M1−M6, M1−M12, Brent−WTI and the 3-2-1 and 2-1-1 cracks for F7.
let tradingDay = CalendarDate(year: 2026, month: 11, day: 25)!
let catalog = InstrumentReference.standard.catalog(on: tradingDay)

/// A decimal from its text, failing the test if the text is not one.
func dec(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FIXDecimal {
    try #require(FIXDecimal(text), "not a decimal: \(text)", sourceLocation: sourceLocation)
}

/// Nanoseconds since the epoch of a FIX UTCTimestamp (`20261125-14:30:00.000`).
func utc(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int64 {
    try #require(FIXTimestamp(text), "not a timestamp: \(text)", sourceLocation: sourceLocation).nanosecondsSinceEpoch
}

/// A normalizer with a running sequence number per book, prices given as text, and the events
/// of the last call.
struct Feed {
    var normalizer: MarketDataNormalizer
    var events: [MarketDataEvent] = []
    var sequences: [BookID: UInt64] = [:]
    var feedSequence: UInt64 = 0
    var time: Int64 = 1_795_000_000_000_000_000

    init(_ configuration: MarketDataConfiguration = MarketDataConfiguration()) {
        normalizer = MarketDataNormalizer(catalog: catalog, configuration: configuration)
    }

    func id(_ symbol: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> BookID {
        try #require(normalizer.bookID(symbol: symbol), "no book for \(symbol)", sourceLocation: sourceLocation)
    }

    func ticks(_ symbol: String, _ price: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int64 {
        try normalizer.ticks(for: dec(price, sourceLocation: sourceLocation), book: id(symbol, sourceLocation: sourceLocation))
    }

    /// The next sequence number for a book (or the feed, per-feed), or `explicit`.
    mutating func next(_ book: BookID, _ explicit: UInt64?) -> UInt64 {
        let perFeed = normalizer.configuration.sequenceScope == .perFeed
        let sequence = explicit ?? ((perFeed ? feedSequence : sequences[book, default: 0]) + 1)
        if perFeed { feedSequence = max(feedSequence, sequence) } else { sequences[book] = max(sequences[book, default: 0], sequence) }
        return sequence
    }

    /// Replaces a book: levels as `(price, size)` or `(price, size, orders)`.
    mutating func snapshot(_ symbol: String, sequence: UInt64? = nil, bids: [(String, Int64)], asks: [(String, Int64)]) throws {
        let book = try id(symbol)
        let sequence = sequence ?? (normalizer.configuration.sequenceScope == .perFeed ? feedSequence : sequences[book, default: 0])
        if normalizer.configuration.sequenceScope == .perInstrument { sequences[book] = sequence }
        let bidLevels = try bids.map { SnapshotLevel(price: try ticks(symbol, $0.0), size: $0.1, orderCount: 1) }
        let askLevels = try asks.map { SnapshotLevel(price: try ticks(symbol, $0.0), size: $0.1, orderCount: 1) }
        events.removeAll()
        try normalizer.apply(BookSnapshot(book: book, sequence: sequence, time: time, bids: bidLevels, asks: askLevels),
                             into: &events)
    }

    mutating func level(_ symbol: String, _ action: LevelAction, _ side: BookSide, _ price: String, _ size: Int64 = 0,
                        orders: Int32 = 1, sequence: UInt64? = nil, clear: Bool = true) throws {
        let book = try id(symbol)
        let update = LevelUpdate(book: book, sequence: next(book, sequence), time: time, action: action, side: side,
                                 price: try ticks(symbol, price), size: size, orderCount: orders)
        if clear { events.removeAll() }
        normalizer.apply(update, into: &events)
    }

    mutating func trade(_ symbol: String, _ price: String, _ size: Int64, at time: Int64, aggressor: Side? = .buy,
                        sequence: UInt64? = nil) throws {
        let book = try id(symbol)
        self.time = time
        events.removeAll()
        normalizer.apply(TradeUpdate(book: book, sequence: next(book, sequence), time: time, price: try ticks(symbol, price),
                                     size: size, aggressor: aggressor), into: &events)
    }

    mutating func tick(_ now: Int64) {
        events.removeAll()
        normalizer.tick(now: now, into: &events)
    }

    /// A two-sided book at `bid` / `ask`, ten lots each.
    mutating func quote(_ symbol: String, _ bid: String, _ ask: String) throws {
        try snapshot(symbol, bids: [(bid, 10)], asks: [(ask, 10)])
    }

    /// The published book as `(price text, size)`, best first.
    func book(_ symbol: String) throws -> (bids: [String], asks: [String]) {
        let view = normalizer.snapshot(of: try id(symbol))
        return (view.bids.map { "\($0.price)x\($0.size)" }, view.asks.map { "\($0.price)x\($0.size)" })
    }

    var levelEvents: [String] {
        events.compactMap {
            guard case .level(let level) = $0 else { return nil }
            return "\(level.side) \(level.action) #\(level.position) \(level.price)x\(level.size)"
        }
    }

    var states: [BookState] {
        events.compactMap {
            guard case .bookState(let change) = $0 else { return nil }
            return change.state
        }
    }

    var snapshotRequests: [BookID] {
        events.compactMap {
            guard case .snapshotNeeded(let book) = $0 else { return nil }
            return book
        }
    }

    var closedBars: [Bar] {
        events.compactMap {
            guard case .barClosed(let bar) = $0 else { return nil }
            return bar
        }
    }

    func derived(_ symbol: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FIXDecimal? {
        let id = try #require(normalizer.derivedID(symbol: symbol), "no derived \(symbol)", sourceLocation: sourceLocation)
        return normalizer.derivedPrice(id)
    }
}
