import FIXCodec
import Instruments
import MarketData
import MarketDataFeed
import SimulatedVenue
import Signals
import Synchronization
import OrderEntry

/// Market data for the gateway's OMS clients, by MarketDataRequest, published as the venue
/// simulator publishes it (snapshot, then incremental refreshes).
///
/// Each instrument's book comes from a FIX venue's feed (``VenueFeed``, the venue's own W and X
/// through a market-data normalizer) once that venue has sent a snapshot of it (shown empty
/// while the venue is away), and otherwise from the in-process simulated venue. Spreads,
/// cracks and Brent−WTI without a book of their own are priced live by the normalizers from
/// their legs. The gateway keeps its own books of that same market (each from the FIX venue
/// whose book it is, or else from the in-process venue, with each one's trades); the desk's
/// signals (``GatewaySignals``) and the console's derived prices read
/// them, and each root's composite is an instrument of its own, `SIG.<ROOT>.COMPOSITE`.
final class GatewayMarketData: Sendable {
    private struct State {
        var publisher = MarketDataPublisher()
        /// The gateway's own books of the market OMS clients are shown (a FIX venue's where it
        /// has the book, else the in-process venue's), fed by snapshot and the trades since on
        /// each refresh: derived prices, bars, curves and spreads for the signals.
        var normalizer: MarketDataNormalizer
        /// The normalizer's sequence: every refresh is a snapshot of each book, numbered on.
        var sequence: UInt64 = 0
        var events: [MarketDataEvent] = []
        /// Whether this service turned the venue's trade tape on (at the first publish, or the
        /// first subscription if that comes first: the signals read the tape's bars); from then
        /// on it drains the tape on every publish, subscribers or not.
        var recording = false
        /// Each FIX venue's feed, by venue session.
        var feeds: [String: VenueFeed]
        /// The signals, fed by `normalizer`'s events.
        var signals: GatewaySignals
        var catalog: InstrumentCatalog
    }

    /// Where a symbol's market comes from, read under the lock for one answer or publish.
    private struct Market {
        /// FIX venue feeds in a fixed order: the first with a live book in a symbol has it.
        var feeds: [VenueFeed]
        var local: MarketDataNormalizer
        var gateway: OrderGateway
        var signals: GatewaySignals

        func depth(_ symbol: String, _ levels: Int) -> BookDepth? {
            for feed in feeds { if let depth = feed.depth(symbol: symbol, levels: levels) { return depth } }
            return gateway.depth(symbol: symbol, levels: levels)
        }

        func lastTrade(_ symbol: String) -> FIXDecimal? {
            guard let feed = feeds.first(where: { $0.quotes(symbol) }) else { return gateway.lastTradePrice(symbol: symbol) }
            return feed.lastTradePrice(symbol: symbol)
        }

        func derived(_ symbol: String) -> FIXDecimal? {
            if symbol.hasPrefix(GatewaySignals.prefix), signals.lists(symbol) { return signals.value(symbol) }
            for feed in feeds { if let price = feed.derivedPrice(symbol: symbol) { return price } }
            return local.derivedID(symbol: symbol).flatMap(local.derivedPrice)
        }

        func listed(_ symbol: String) -> Bool {
            local.bookID(symbol: symbol) != nil || local.derivedID(symbol: symbol) != nil || signals.lists(symbol)
        }

        /// A signal's direction and confidence, beside its score.
        func text(_ symbol: String) -> String? {
            symbol.hasPrefix(GatewaySignals.prefix) ? signals.text(symbol) : nil
        }

        func quotedByFeed(_ symbol: String) -> Bool { feeds.contains { $0.quotes(symbol) } }
    }

    private let state: Mutex<State>

    /// Reads the normalizer and the signals under the lock.
    func withState<Result>(_ body: (MarketDataNormalizer, GatewaySignals) -> Result) -> Result {
        state.withLock { body($0.normalizer, $0.signals) }
    }
    /// The FIX venue sessions in the order their feeds are preferred.
    private let feedOrder: [String]
    /// Levels a side fed to the normalizer for leg prices.
    static let feedDepth = 5

    init(catalog: InstrumentCatalog, venueDialects: [String: VenueDialect], signals: SignalConfiguration = .standard,
         signalHistory: [DailySettlement] = []) {
        feedOrder = venueDialects.keys.sorted()
        let feeds = Dictionary(uniqueKeysWithValues: venueDialects.map { session, dialect in
            (session, VenueFeed(catalog: catalog, dialect: dialect, venue: session))
        })
        let normalizer = MarketDataNormalizer(catalog: catalog)
        state = Mutex(State(normalizer: normalizer, feeds: feeds,
                            signals: GatewaySignals(configuration: signals, catalog: catalog, normalizer: normalizer, history: signalHistory),
                            catalog: catalog))
    }

    /// A day's end changed the listing: the in-process venue's books are those of `catalog`
    /// from now on (months listed anew may be subscribed to at once).
    func relist(_ catalog: InstrumentCatalog) {
        state.withLock { state in
            state.normalizer = MarketDataNormalizer(catalog: catalog)
            state.catalog = catalog
            state.signals.relist(catalog, normalizer: state.normalizer)
        }
    }

    /// A new signals configuration (the profile's `Signals=` file reloaded): the signals start
    /// again from the daily history alone; subscribers keep their subscriptions.
    func reconfigureSignals(_ configuration: SignalConfiguration) {
        state.withLock { state in
            state.signals.reconfigure(configuration, catalog: state.catalog, normalizer: state.normalizer)
        }
    }

    /// Puts back the signals' records from what the journal held at start.
    func restoreSignals(_ entries: [SignalJournalEntry]) {
        state.withLock { $0.signals.restore(entries) }
    }

    /// The signals' direction changes and outcomes since the last call, as the journal keeps them.
    func drainSignalChanges() -> [GatewayAuditEvent] {
        state.withLock { $0.signals.drainChanges() }.map(\.auditEvent)
    }

    /// The signals as they stand (tests, diagnostics).
    var signals: SignalSet { state.withLock { $0.signals.set } }

    private func market(_ state: State, gateway: OrderGateway) -> Market {
        Market(feeds: feedOrder.compactMap { state.feeds[$0] }, local: state.normalizer, gateway: gateway, signals: state.signals)
    }

    /// Answers a MarketDataRequest from an OMS session: snapshots (W), or the reason it is
    /// refused (Y).
    func handle(_ message: FIXMessage, from session: String, gateway: OrderGateway, now: Int64) -> [(msgType: String, body: FIXFieldList)] {
        let request: MarketDataRequest
        switch MarketDataRequest.parse(message) {
        case .success(let parsed): request = parsed
        case .failure(let rejection): return [("Y", rejection.body)]
        }
        return state.withLock { state in
            if !state.recording {
                gateway.recordTrades()
                state.recording = true
            }
            refresh(&state, gateway: gateway, now: now)
            let market = market(state, gateway: gateway)
            let result = state.publisher.handle(request, from: session, listed: market.listed, book: market.depth,
                                                lastTrade: market.lastTrade, derived: market.derived, text: market.text)
            switch result {
            case .success(let snapshots): return snapshots.map { ("W", $0) }
            case .failure(let rejection): return [("Y", rejection.body)]
            }
        }
    }

    /// What moved since the last call, for every subscriber: the FIX venues' trades and the
    /// in-process venue's tape (for the symbols it is the market in).
    ///
    /// The signals read the in-process venue's tape whether anyone subscribes or not, so the
    /// tape is recorded from the first publish on.
    func publish(gateway: OrderGateway, now: Int64) -> [MarketDataPublisher.Outbound] {
        state.withLock { state in
            for session in feedOrder { state.feeds[session]?.tick(now: now) }
            if !state.recording {
                gateway.recordTrades()
                state.recording = true
                return []
            }
            let tape = gateway.drainTrades()
            refresh(&state, gateway: gateway, now: now, tape: tape)
            var trades: [TradePrint] = []
            for session in feedOrder { trades += state.feeds[session]?.drainTrades() ?? [] }
            let market = market(state, gateway: gateway)
            trades += tape.filter { !market.quotedByFeed($0.symbol) }
            return publishLocked(&state, market: market, trades: trades)
        }
    }

    /// Publishes to every subscriber; with `symbols`, only what those instruments changed.
    private func publishLocked(_ state: inout State, market: Market, trades: [TradePrint],
                               symbols: Set<String>? = nil) -> [MarketDataPublisher.Outbound] {
        guard state.publisher.subscriptionCount > 0 else { return [] }
        return state.publisher.publish(book: market.depth, trades: trades, lastTrade: market.lastTrade, derived: market.derived,
                                       text: market.text, only: symbols)
    }

    func sessionEnded(_ session: String) {
        state.withLock { $0.publisher.sessionEnded(session) }
    }

    // MARK: FIX venues' market data

    /// The venue session logged on: the MarketDataRequests (V) that subscribe to its books.
    func venueLoggedOn(_ session: String) -> [FIXFieldList] {
        state.withLock { $0.feeds[session]?.loggedOn() ?? [] }
    }

    /// The venue session went away: its books show no market until it sends them again (the
    /// next publish deletes their levels at every subscriber).
    func venueLoggedOff(_ session: String) {
        state.withLock { $0.feeds[session]?.loggedOff() }
    }

    /// What a venue's W or X did.
    struct VenueUpdate: Sendable {
        /// New reference prices and marks, for the order gateway.
        var quotes: [MarketQuote] = []
        /// Snapshot requests (V) to send the venue for books that lost their place.
        var requests: [FIXFieldList] = []
        /// Incremental refreshes and snapshots for OMS subscribers.
        var published: [MarketDataPublisher.Outbound] = []
    }

    /// Applies a venue's MarketDataSnapshotFullRefresh (W) or MarketDataIncrementalRefresh (X)
    /// and publishes what it changed to OMS subscribers at once: only the instruments it moved,
    /// so the cost of a venue message does not grow with what subscribers watch elsewhere.
    func venueData(_ message: FIXMessage, from session: String, gateway: OrderGateway, now: Int64)
        throws(FIXMarketDataError) -> VenueUpdate {
        try state.withLock { state throws(FIXMarketDataError) in
            guard state.feeds[session] != nil else { return VenueUpdate() }
            let applied = try state.feeds[session]!.apply(message, now: now)
            // Where two venues list an instrument, the first whose book it is sets its prices.
            let quotes = applied.quotes.filter { Self.owner(of: $0.symbol, in: state, order: feedOrder) == session }
            var update = VenueUpdate(quotes: quotes, requests: applied.requests)
            // The venue's trades are all in what it changed: published now, or dropped while
            // nobody subscribes.
            let trades = state.feeds[session]!.drainTrades()
            if !applied.changed.isEmpty, state.recording {
                update.published = publishLocked(&state, market: market(state, gateway: gateway), trades: trades, symbols: applied.changed)
            }
            return update
        }
    }

    /// Brings the gateway's own books (`state.normalizer`, which the signals, the derived prices
    /// and the console read) up to the market its OMS clients are shown: each book from the
    /// FIX venue whose book it is (``VenueFeed``), or else from the in-process venue, as a
    /// snapshot; then the trades since the last refresh — a FIX venue's timed as they arrived,
    /// the in-process venue's `tape` timed `now` (its books a FIX venue owns left out) — so
    /// bars form, and the clock so bars close. The signals read the curves and spreads, then
    /// the bars that closed.
    private func refresh(_ state: inout State, gateway: OrderGateway, now: Int64, tape: [TradePrint] = []) {
        var tradesByBook: [BookID: [TimedTrade]] = [:]
        for session in feedOrder {
            guard let venueTape = state.feeds[session]?.drainTape() else { continue }
            for print in venueTape where Self.owner(of: print.trade.symbol, in: state, order: feedOrder) == session {
                guard let book = state.normalizer.bookID(symbol: print.trade.symbol) else { continue }
                tradesByBook[book, default: []].append(print)
            }
        }
        for trade in tape where Self.owner(of: trade.symbol, in: state, order: feedOrder) == nil {
            guard let book = state.normalizer.bookID(symbol: trade.symbol) else { continue }
            tradesByBook[book, default: []].append(TimedTrade(trade: trade, time: now))
        }
        let books = state.normalizer.bookIDs
        let symbols = books.map { state.normalizer.symbol($0) }
        let owners = symbols.map { Self.owner(of: $0, in: state, order: feedOrder) }
        let local = gateway.depths(symbols: symbols, levels: Self.feedDepth)
        for (index, book) in books.enumerated() {
            let venueDepth = owners[index].flatMap { state.feeds[$0]?.depth(symbol: symbols[index], levels: Self.feedDepth) }
            guard let depth = venueDepth ?? local[index] else { continue }
            // Read through `state` itself: a local copy of the normalizer alive across the
            // apply below would make the apply copy every book.
            var sides: [[SnapshotLevel]] = [[], []]
            for (index, levels) in [depth.bids, depth.asks].enumerated() {
                for level in levels {
                    guard let ticks = try? state.normalizer.ticks(for: level.price, book: book) else { continue }
                    sides[index].append(SnapshotLevel(price: ticks, size: level.quantity, orderCount: Int32(clamping: level.orderCount)))
                }
            }
            state.sequence += 1
            let snapshot = BookSnapshot(book: book, sequence: state.sequence, time: now, bids: sides[0], asks: sides[1])
            try? state.normalizer.apply(snapshot, into: &state.events)
            // The book's trades numbered on from its snapshot, so the normalizer takes them in
            // sequence; the next snapshot is numbered past them.
            for print in tradesByBook[book] ?? [] {
                guard print.trade.quantity > 0, let ticks = try? state.normalizer.ticks(for: print.trade.price, book: book) else { continue }
                state.sequence += 1
                state.normalizer.apply(TradeUpdate(book: book, sequence: state.sequence, time: print.time, price: ticks,
                                                   size: print.trade.quantity), into: &state.events)
            }
        }
        state.normalizer.tick(now: now, into: &state.events)
        state.signals.observe(state.normalizer)
        state.signals.apply(state.events)
        state.events.removeAll(keepingCapacity: true)
    }

    /// The FIX venue session whose book `symbol` is (the first in `order` to have sent a
    /// snapshot of it); `nil` when the in-process venue is its market.
    private static func owner(of symbol: String, in state: State, order: [String]) -> String? {
        order.first { state.feeds[$0]?.quotes(symbol) == true }
    }
}
