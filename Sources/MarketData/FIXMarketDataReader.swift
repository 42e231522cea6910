import FIXCodec
import FIXVocabulary

/// Why a FIX market-data message could not be read.
public enum FIXMarketDataError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownSymbol(String)
    /// A required field is missing or does not hold what FIX says it holds.
    case malformed(String)
    /// A price off the instrument's tick grid, or a snapshot the book cannot take.
    case book(MarketDataError)

    public var description: String {
        switch self {
        case .unknownSymbol(let symbol): "\(symbol) is not an instrument the normalizer knows"
        case .malformed(let text): "malformed market data: \(text)"
        case .book(let error): "\(error)"
        }
    }
}

/// Reads a FIX 4.4 venue's market data — MarketDataSnapshotFullRefresh (35=W) and
/// MarketDataIncrementalRefresh (35=X), books by price level — into the normalizer's inputs.
///
/// FIX 4.4 entries carry no RptSeq: the session delivers them in order and without gaps, so the
/// reader numbers each instrument's snapshots and entries itself, one after another (per
/// instrument sequencing). After the session is re-established, call ``sessionRestarted()``:
/// what was missed while it was down cannot be trusted, so the next entry of every book is
/// numbered past a gap, the normalizer puts the book into recovery and asks for a snapshot, and
/// the caller requests one.
public struct FIXMarketDataReader: Sendable {
    /// The last sequence number given out, by book index.
    private var issued: [Int: UInt64] = [:]
    /// The normalizer's symbol for each venue symbol that differs from it.
    private let aliases: [String: String]

    /// - Parameter aliases: the normalizer's symbol for each of the venue's symbols that is
    ///   not the same (a venue that calls Brent `BRN` where the normalizer says `BZ`).
    public init(aliases: [String: String] = [:]) {
        self.aliases = aliases
    }

    /// A snapshot (35=W) of one instrument, at `time` (nanoseconds, the caller's clock).
    public mutating func snapshot(_ message: FIXMessage, in normalizer: MarketDataNormalizer, time: Int64)
        throws(FIXMarketDataError) -> BookSnapshot {
        guard let symbol = message[FIXTag.symbol]?.string else { throw .malformed("a snapshot without Symbol (55)") }
        guard let book = normalizer.bookID(symbol: aliases[symbol] ?? symbol) else { throw .unknownSymbol(symbol) }
        var bids: [SnapshotLevel] = []
        var asks: [SnapshotLevel] = []
        for entry in try Self.entries(message, delimiter: FIXTag.mdEntryType) {
            guard let type = entry[FIXTag.mdEntryType], let side = Self.side(type) else { continue }  // trades, indices: not book levels
            let price = try Self.ticks(entry, book: book, normalizer)
            guard let size = entry[FIXTag.mdEntrySize]?.decimal.flatMap(Self.contracts) else {
                throw .malformed("\(symbol) snapshot level at \(entry[FIXTag.mdEntryPx]?.string ?? "?") without a whole MDEntrySize (271)")
            }
            let level = SnapshotLevel(price: price, size: size, orderCount: Int32(clamping: entry[FIXTag.numberOfOrders]?.int ?? 0))
            if side == .bid { bids.append(level) } else { asks.append(level) }
        }
        return BookSnapshot(book: book, sequence: nextSequence(book), time: time, bids: bids, asks: asks)
    }

    /// The entries of an incremental refresh (35=X), in order: level updates and trades.
    public mutating func incrementals(_ message: FIXMessage, in normalizer: MarketDataNormalizer, time: Int64)
        throws(FIXMarketDataError) -> [IncrementalUpdate] {
        var updates: [IncrementalUpdate] = []
        for entry in try Self.entries(message, delimiter: FIXTag.mdUpdateAction) {
            guard let symbol = entry[FIXTag.symbol]?.string else { throw .malformed("an incremental entry without Symbol (55)") }
            guard let type = entry[FIXTag.mdEntryType] else { throw .malformed("\(symbol) entry without MDEntryType (269)") }
            // Index values, settlement prices and the like: not the book's, and maybe not a book's symbol.
            let side = Self.side(type)
            guard side != nil || MDEntryType(rawValue: type.string) == .trade else { continue }
            guard let book = normalizer.bookID(symbol: aliases[symbol] ?? symbol) else { throw .unknownSymbol(symbol) }
            let price = try Self.ticks(entry, book: book, normalizer)
            let size = entry[FIXTag.mdEntrySize]?.decimal.flatMap(Self.contracts) ?? 0
            if MDEntryType(rawValue: type.string) == .trade {
                updates.append(.trade(TradeUpdate(book: book, sequence: nextSequence(book), time: time, price: price, size: size)))
                continue
            }
            guard let side else { continue }
            guard let code = entry[FIXTag.mdUpdateAction]?.bytes.first, let action = LevelAction(rawValue: code) else {
                throw .malformed("\(symbol) entry with MDUpdateAction (279) '\(entry[FIXTag.mdUpdateAction]?.string ?? "")'")
            }
            updates.append(.level(LevelUpdate(book: book, sequence: nextSequence(book), time: time, action: action, side: side,
                                              price: price, size: size, orderCount: Int32(clamping: entry[FIXTag.numberOfOrders]?.int ?? 0))))
        }
        return updates
    }

    /// Reads a W or X and applies it to `normalizer`, appending what changed to `events`.
    /// Returns the books it touched: a snapshot's one, or each incremental's, in order. A
    /// message that cannot be read changes nothing.
    public mutating func apply(_ message: FIXMessage, to normalizer: inout MarketDataNormalizer, time: Int64,
                               into events: inout [MarketDataEvent]) throws(FIXMarketDataError) -> [BookID] {
        if message.type == .marketDataSnapshotFullRefresh {
            let snapshot = try self.snapshot(message, in: normalizer, time: time)
            do {
                try normalizer.apply(snapshot, into: &events)
            } catch {
                throw .book(error)
            }
            return [snapshot.book]
        }
        let updates = try incrementals(message, in: normalizer, time: time)
        for update in updates { normalizer.apply(update, into: &events) }
        return updates.map(\.book)
    }

    /// The venue session was re-established: every book's next entry comes after a gap.
    public mutating func sessionRestarted() {
        for book in issued.keys { issued[book, default: 0] &+= 1 }
    }

    private mutating func nextSequence(_ book: BookID) -> UInt64 {
        let next = issued[book.index, default: 0] &+ 1
        issued[book.index] = next
        return next
    }

    private static func side(_ type: FIXValue) -> BookSide? {
        type.bytes.count == 1 ? BookSide(rawValue: type.bytes.first!) : nil
    }

    private static func contracts(_ size: FIXDecimal) -> Int64? {
        size.rounded(toScale: 0) == size ? size.rounded(toScale: 0).mantissa : nil
    }

    private static func ticks(_ entry: Entry, book: BookID, _ normalizer: MarketDataNormalizer)
        throws(FIXMarketDataError) -> Int64 {
        guard let price = entry[FIXTag.mdEntryPx]?.decimal else {
            throw .malformed("\(normalizer.symbol(book)) entry without a decimal MDEntryPx (270)")
        }
        do {
            return try normalizer.ticks(for: price, book: book)
        } catch {
            throw .book(error)
        }
    }

    /// The NoMDEntries (268) group's entries, each from its `delimiter` tag to the next.
    private static func entries(_ message: FIXMessage, delimiter: Int) throws(FIXMarketDataError) -> [Entry] {
        guard let start = message.position(of: FIXTag.noMDEntries), let count = message.value(at: start).int, count >= 0 else {
            throw .malformed("no NoMDEntries (268)")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        for position in (start + 1)..<message.count {
            let tag = message.tag(at: position)
            if tag == FIXTag.checkSum || tag == FIXTag.signatureLength { break }
            if tag == delimiter { entries.append(Entry()) }
            guard !entries.isEmpty else { throw .malformed("the first entry does not start with tag \(delimiter)") }
            entries[entries.count - 1][tag] = message.value(at: position)
        }
        guard entries.count == count else { throw .malformed("NoMDEntries (268) is \(count) but \(entries.count) entries follow") }
        return entries
    }

    /// The fields of one market-data entry the reader uses; the rest are skipped. A struct
    /// rather than a dictionary: reading an entry hashes nothing and allocates nothing.
    private struct Entry {
        private var symbol: FIXValue?
        private var type: FIXValue?
        private var price: FIXValue?
        private var size: FIXValue?
        private var action: FIXValue?
        private var orders: FIXValue?

        subscript(tag: Int) -> FIXValue? {
            get {
                switch tag {
                case FIXTag.symbol: symbol
                case FIXTag.mdEntryType: type
                case FIXTag.mdEntryPx: price
                case FIXTag.mdEntrySize: size
                case FIXTag.mdUpdateAction: action
                case FIXTag.numberOfOrders: orders
                default: nil
                }
            }
            set {
                switch tag {
                case FIXTag.symbol: symbol = newValue
                case FIXTag.mdEntryType: type = newValue
                case FIXTag.mdEntryPx: price = newValue
                case FIXTag.mdEntrySize: size = newValue
                case FIXTag.mdUpdateAction: action = newValue
                case FIXTag.numberOfOrders: orders = newValue
                default: break
                }
            }
        }
    }
}
