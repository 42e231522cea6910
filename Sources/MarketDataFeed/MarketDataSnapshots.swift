import FIXCodec

/// The market as the journal keeps it for audit and recovery: instead of every refresh (W and
/// X are counted but not kept unless a session says `JournalMarketData=Y`), each instrument's
/// best bid, best offer, last trade and mark with the venue they came from, journaled as one
/// `marketdata.snapshot` event at a set interval, and only when something changed since the
/// last one.
///
/// A value without I/O or clock: its owner feeds it the prices it takes (``update(_:venue:bid:ask:last:mark:now:)``)
/// and asks at each tick whether a snapshot is due (``take(now:)``), journaling what it gives.
public struct MarketDataSnapshots: Sendable {
    /// The journal's kind for a snapshot.
    public static let kind = "marketdata.snapshot"

    /// One instrument's prices as a snapshot journals them: decimals as their exact FIX text.
    public struct Instrument: Sendable, Hashable, Codable {
        public var symbol: String
        /// The venue whose market the prices are (the in-process venue's name, a FIX venue's
        /// session, the venue simulator's name).
        public var venue: String
        public var bid: String?
        public var ask: String?
        public var last: String?
        /// The price positions are valued at, where the owner keeps marks.
        public var mark: String?
        /// When these prices were first seen (nanoseconds since the epoch).
        public var time: Int64
    }

    /// What a snapshot event holds.
    public struct Snapshot: Sendable, Hashable, Codable {
        /// When it was taken (nanoseconds since the epoch).
        public var time: Int64
        /// Every instrument with a price, by symbol.
        public var instruments: [Instrument]
    }

    private struct Prices: Hashable {
        var venue: String
        var bid: FIXDecimal?
        var ask: FIXDecimal?
        var last: FIXDecimal?
        var mark: FIXDecimal?
    }

    /// Nanoseconds between snapshots; 0 takes none.
    public let interval: Int64
    /// Each symbol's prices and when they were first seen.
    private var latest: [String: (prices: Prices, time: Int64)] = [:]
    /// Each symbol's prices as the last snapshot journaled them.
    private var journaled: [String: Prices] = [:]
    /// When the next snapshot is due.
    private var due: Int64

    /// - Parameters:
    ///   - seconds: between snapshots (`MarketDataSnapshotInterval`); 0 takes none.
    ///   - start: the owner's start time: the first snapshot is due `seconds` later.
    public init(seconds: Int, start: Int64) {
        interval = Int64(seconds) * 1_000_000_000
        due = start &+ interval
    }

    /// Whether snapshots are taken at all.
    public var isOn: Bool { interval > 0 }

    /// The prices of `symbol` on `venue` as of `now`.
    public mutating func update(_ symbol: String, venue: String, bid: FIXDecimal?, ask: FIXDecimal?, last: FIXDecimal?,
                                mark: FIXDecimal? = nil, now: Int64) {
        guard isOn else { return }
        let prices = Prices(venue: venue, bid: bid, ask: ask, last: last, mark: mark)
        if latest[symbol]?.prices == prices { return }
        latest[symbol] = (prices, now)
    }

    /// A symbol no longer listed: left out of the snapshots from now on.
    public mutating func remove(_ symbol: String) {
        latest[symbol] = nil
    }

    /// The snapshot to journal at `now`: `nil` before it is due, and when nothing changed
    /// since the last one (the next is then due an interval on).
    public mutating func take(now: Int64) -> Snapshot? {
        guard isOn, now >= due else { return nil }
        due = now &+ interval
        let current = latest.mapValues { $0.prices }
        guard current != journaled else { return nil }
        journaled = current
        let instruments = latest.keys.sorted().map { symbol in
            let (prices, time) = latest[symbol]!
            return Instrument(symbol: symbol, venue: prices.venue, bid: prices.bid?.description, ask: prices.ask?.description,
                              last: prices.last?.description, mark: prices.mark?.description, time: time)
        }
        return Snapshot(time: now, instruments: instruments)
    }
}
