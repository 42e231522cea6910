import CoreMetrics
import FIXCodec
import FIXVocabulary
import Instruments
import MarketData
import MarketDataFeed
import RiskSidecar
import OrderEntry

/// One FIX venue's market data as the gateway keeps it: the venue's MarketDataSnapshotFullRefresh
/// (W) and MarketDataIncrementalRefresh (X) messages read into a market-data normalizer of its
/// own, in the gateway's symbols.
///
/// A book is the venue's from its first snapshot on; until then the gateway's market data comes
/// from its in-process venue. While the venue is away (and after it is back, until a fresh
/// snapshot arrives) the book is shown empty: an OMS subscriber sees its levels deleted rather
/// than old prices that look live, or another venue's.
struct VenueFeed: Sendable {
    var normalizer: MarketDataNormalizer
    private var reader: FIXMarketDataReader
    /// Books the venue has ever sent a snapshot of: the venue's from then on.
    private var owned: Set<BookID> = []
    /// Books with a snapshot since the venue last logged on.
    private var live: Set<BookID> = []
    /// Trades the venue printed since the last publish, for OMS subscribers.
    private var trades: [TradePrint] = []
    /// Trades the venue printed since the gateway's own books last took them, each timed as
    /// its message arrived: the bars the signals read form from them.
    private var tape: [TimedTrade] = []
    private var events: [MarketDataEvent] = []
    private var snapshotRequests = 0
    private var loggedOnBefore = false
    let dialect: VenueDialect
    /// The venue's session (its TargetCompID), as quotes name the venue.
    let venue: String
    /// Books the normalizer flagged stale and not yet updated since.
    private var stale: Set<BookID> = []
    private let metrics: FeedMetrics

    /// Price levels a side the gateway asks the venue for.
    static let depth = 10

    init(catalog: InstrumentCatalog, dialect: VenueDialect, venue: String) {
        self.venue = venue
        normalizer = MarketDataNormalizer(catalog: catalog, configuration: MarketDataConfiguration(depth: Self.depth, legPrice: .midThenLast))
        reader = FIXMarketDataReader(aliases: dialect.aliases(of: catalog.instruments.map(\.symbol)))
        self.dialect = dialect
        metrics = FeedMetrics(venue: venue)
    }

    /// What one message from the venue changed.
    struct Applied: Sendable {
        /// Fresh reference prices and marks for each book whose top or last trade moved.
        var quotes: [MarketQuote] = []
        /// Snapshot requests (V bodies) for books that lost their place and need one.
        var requests: [FIXFieldList] = []
        /// The books and derived instruments whose market moved, for publishing just those.
        var changed: Set<String> = []
    }

    /// The venue logged on: one subscription (snapshot + incremental updates, book levels and
    /// trades) per instrument, so a symbol the venue does not list is refused alone.
    mutating func loggedOn() -> [FIXFieldList] {
        if loggedOnBefore { reader.sessionRestarted() }
        loggedOnBefore = true
        return normalizer.bookIDs.map { request(book: $0, id: "WH-\(normalizer.symbol($0))", kind: .snapshotPlusUpdates) }
    }

    /// The venue went away: its books show no market until it sends them again.
    mutating func loggedOff() {
        live.removeAll()
    }

    /// Applies a W or X from the venue. Throws what made the message unreadable; the books
    /// stay as they were.
    mutating func apply(_ message: FIXMessage, now: Int64) throws(FIXMarketDataError) -> Applied {
        events.removeAll(keepingCapacity: true)
        let books = try reader.apply(message, to: &normalizer, time: now, into: &events)
        if message.type == .marketDataSnapshotFullRefresh, let book = books.first {
            live.insert(book)
            owned.insert(book)
        }
        return outcome()
    }

    /// Flags books the venue has not updated for a while as stale.
    mutating func tick(now: Int64) {
        events.removeAll(keepingCapacity: true)
        normalizer.tick(now: now, into: &events)
        measure()
    }

    /// Counts the gaps among the events and keeps the stale books' gauge: a feed gap, which puts
    /// every book into recovery at once, counts once.
    private mutating func measure() {
        var feedGap: RecoveryReason?
        for case .bookState(let change) in events {
            if change.state == .stale { stale.insert(change.book) } else { stale.remove(change.book) }
            switch change.reason {
            case .sequenceGap?:
                metrics.gaps.increment()
            case .feedGap? where change.reason != feedGap:
                feedGap = change.reason
                metrics.gaps.increment()
            default:
                break
            }
        }
        metrics.staleBooks.record(stale.count)
    }

    private mutating func outcome() -> Applied {
        measure()
        var applied = Applied()
        var quoted: Set<BookID> = []
        for event in events {
            switch event {
            case .topOfBook(let top):
                quoted.insert(top.book)
                applied.changed.insert(normalizer.symbol(top.book))
            case .trade(let trade):
                quoted.insert(trade.book)
                let print = TradePrint(symbol: normalizer.symbol(trade.book), price: trade.price, quantity: trade.size)
                trades.append(print)
                tape.append(TimedTrade(trade: print, time: trade.time))
                applied.changed.insert(normalizer.symbol(trade.book))
            case .snapshotNeeded(let book):
                snapshotRequests += 1
                applied.requests.append(request(book: book, id: "WH-\(normalizer.symbol(book))-S\(snapshotRequests)", kind: .snapshot))
            case .level(let level):
                applied.changed.insert(normalizer.symbol(level.book))
            case .bookRefreshed(let book):
                applied.changed.insert(normalizer.symbol(book))
            case .bookState(let change):
                applied.changed.insert(normalizer.symbol(change.book))
            case .derived(let price):
                applied.changed.insert(normalizer.derived(price.derived).symbol)
            case .barClosed:
                continue
            }
        }
        for book in quoted.sorted(by: { $0.rawValue < $1.rawValue }) where live.contains(book) {
            guard !normalizer.needsSnapshot(book) else { continue }
            let top = normalizer.topOfBook(book)
            let last = normalizer.lastTrade(book)?.price
            let mark = normalizer.legPrice(book)
            applied.quotes.append(MarketQuote(symbol: normalizer.symbol(book),
                                              prices: ReferencePrices(last: last ?? mark, bid: top.bid?.price, ask: top.ask?.price),
                                              mark: mark, venue: venue))
        }
        return applied
    }

    /// The venue's book in `symbol` to `levels` a side, if the book is the venue's (empty
    /// while the venue has not sent it since logging on).
    func depth(symbol: String, levels: Int) -> BookDepth? {
        guard let book = normalizer.bookID(symbol: symbol), owned.contains(book) else { return nil }
        guard live.contains(book) else { return .empty }
        func side(_ side: BookSide) -> [BookDepth.Level] {
            normalizer.levels(book, side: side).prefix(levels).map {
                BookDepth.Level(price: $0.price, quantity: $0.size, orderCount: Int($0.orderCount))
            }
        }
        return BookDepth(bids: side(.bid), asks: side(.ask))
    }

    func lastTradePrice(symbol: String) -> FIXDecimal? {
        normalizer.bookID(symbol: symbol).flatMap { normalizer.lastTrade($0)?.price }
    }

    func derivedPrice(symbol: String) -> FIXDecimal? {
        normalizer.derivedID(symbol: symbol).flatMap(normalizer.derivedPrice)
    }

    /// Whether the book in `symbol` is the venue's.
    func quotes(_ symbol: String) -> Bool {
        normalizer.bookID(symbol: symbol).map(owned.contains) ?? false
    }

    mutating func drainTrades() -> [TradePrint] {
        defer { trades.removeAll(keepingCapacity: true) }
        return trades
    }

    /// The trades since the last call, oldest first, for the gateway's own books.
    mutating func drainTape() -> [TimedTrade] {
        defer { tape.removeAll(keepingCapacity: true) }
        return tape
    }

    /// A MarketDataRequest body for one book, in the venue's symbol.
    private func request(book: BookID, id: String, kind: SubscriptionRequestType) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 96)
        body.append(FIXTag.mdReqID, id)
        body.append(FIXTag.subscriptionRequestType, char: kind.rawValue.fixByte)
        body.append(FIXTag.marketDepth, Self.depth)
        body.append(FIXTag.mdUpdateType, char: MDUpdateType.incrementalRefresh.rawValue.fixByte)
        var types: [FIXFieldList] = []
        for type in [MarketDataRequest.EntryType.bid, .offer, .trade] {
            var entry = FIXFieldList(reservingCapacity: 8)
            entry.append(FIXTag.mdEntryType, char: type.rawValue.fixByte)
            types.append(entry)
        }
        body.appendGroup(FIXTag.noMDEntryTypes, types)
        var symbol = FIXFieldList(reservingCapacity: 24)
        symbol.append(FIXTag.symbol, dialect.venueSymbol(normalizer.symbol(book)))
        body.appendGroup(FIXTag.noRelatedSym, [symbol])
        return body
    }
}

/// A venue's trade print and when it arrived (nanoseconds since the epoch, the gateway's clock).
struct TimedTrade: Sendable, Hashable {
    var trade: TradePrint
    var time: Int64
}

/// A venue feed's instruments, made once with the feed: `wellhead_marketdata_gaps_total{venue}`
/// (sequence gaps that put books into recovery) and `wellhead_marketdata_stale_books{venue}`.
private final class FeedMetrics: Sendable {
    let gaps: Counter
    let staleBooks: Gauge

    init(venue: String) {
        gaps = Counter(label: "wellhead_marketdata_gaps_total", dimensions: [("venue", venue)])
        staleBooks = Gauge(label: "wellhead_marketdata_stale_books", dimensions: [("venue", venue)])
        staleBooks.record(0)
    }
}
