import FIXCodec
import Instruments

/// Turns venue market data into one canonical model: an L2 book per instrument in integer
/// ticks, trades, OHLCV bars, and spreads, cracks and curves derived live from the books.
///
/// A value type with no I/O and no clock: a feed handler owns one, resolves symbols to
/// ``BookID``s once, and calls `apply` with each snapshot and incremental in order and `tick`
/// with the time now and then. Each call appends ``MarketDataEvent``s to a buffer the caller
/// owns and clears, so applying an update allocates nothing once the buffer has grown; a
/// publisher turns the events into FIX MarketDataIncrementalRefresh entries and answers
/// subscriptions with ``snapshot(of:)``.
///
/// Sequence numbers (per instrument or per feed, see ``MarketDataConfiguration/SequenceScope``)
/// must run on without a gap: a gap, or an update that does not fit the book (a change or
/// delete of a price with no level, a new level where one exists), puts the book into
/// recovery. It then emits ``MarketDataEvent/snapshotNeeded(_:)``, holds further incrementals,
/// and replays those newer than the snapshot once it arrives. Books start empty at sequence 0,
/// so a feed joined mid-stream gaps on its first update and asks for a snapshot.
public struct MarketDataNormalizer: Sendable {
    public let configuration: MarketDataConfiguration
    /// The instrument of each book, by ``BookID``.
    public let instruments: [Instrument]
    /// Every derived instrument, by ``DerivedID``.
    public let derivedInstruments: [DerivedInstrument]
    /// The roots with a futures curve, in reference order.
    public let roots: [String]
    public internal(set) var statistics = MarketDataStatistics()

    var books: ContiguousArray<L2Book>
    /// The open bar of each book and interval: `book × intervals.count + interval`.
    var bars: ContiguousArray<OpenBar>
    let intervals: [BarInterval]
    /// The derived instruments each book is a leg of.
    let dependents: ContiguousArray<[Int32]>
    var derivedPrices: ContiguousArray<FIXDecimal?>
    /// Each root's futures books in curve order (M1 first).
    let curves: [String: [BookID]]
    let bookIndex: [String: Int]
    let derivedIndex: [String: Int]
    /// The next feed sequence number expected (per-feed sequencing).
    var feedNext: UInt64 = 1
    /// Reused for leg prices, so pricing a derived instrument allocates nothing.
    var legScratch: [FIXDecimal] = []

    /// A book for every instrument of `catalog` and the derived instruments its listing implies.
    public init(catalog: InstrumentCatalog, configuration: MarketDataConfiguration = MarketDataConfiguration()) {
        // Through the initializer again: its bounds hold even if fields were set out of range since.
        let configuration = MarketDataConfiguration(
            depth: configuration.depth, maxLevels: configuration.maxLevels, sequenceScope: configuration.sequenceScope,
            staleAfterNanoseconds: configuration.staleAfterNanoseconds, maxHeldUpdates: configuration.maxHeldUpdates,
            legPrice: configuration.legPrice, barIntervals: configuration.barIntervals)
        self.configuration = configuration
        instruments = catalog.instruments

        var bookIndex: [String: Int] = [:]
        var books: ContiguousArray<L2Book> = []
        books.reserveCapacity(instruments.count)
        for (index, instrument) in instruments.enumerated() {
            bookIndex[instrument.symbol] = bookIndex[instrument.symbol] ?? index
            books.append(L2Book(id: BookID(index), grid: instrument.tickGrid, capacity: configuration.maxLevels))
        }
        self.books = books
        self.bookIndex = bookIndex
        intervals = configuration.barIntervals
        bars = ContiguousArray(repeating: OpenBar(), count: books.count * configuration.barIntervals.count)

        roots = catalog.roots
        var curves: [String: [BookID]] = [:]
        for root in catalog.roots {
            curves[root] = catalog.futures(root: root).compactMap { bookIndex[$0.symbol].map(BookID.init) }
        }
        self.curves = curves

        let derived = Self.derivedInstruments(catalog: catalog, bookIndex: bookIndex)
        var dependents = ContiguousArray(repeating: [Int32](), count: books.count)
        var derivedIndex: [String: Int] = [:]
        for instrument in derived {
            derivedIndex[instrument.symbol] = instrument.id.index
            for leg in Set(instrument.legs) { dependents[leg.index].append(instrument.id.rawValue) }
        }
        derivedInstruments = derived
        self.derivedIndex = derivedIndex
        self.dependents = dependents
        derivedPrices = ContiguousArray(repeating: nil, count: derived.count)
        legScratch.reserveCapacity(derived.map(\.legs.count).max() ?? 0)
    }

    /// The catalog's spreads and cracks whose legs all have books, then each inter-commodity
    /// spread rule for every month both roots list that the catalog does not list already.
    static func derivedInstruments(catalog: InstrumentCatalog, bookIndex: [String: Int]) -> [DerivedInstrument] {
        var result: [DerivedInstrument] = []
        var seen: Set<String> = []
        func add(symbol: String, kind: Instrument.Kind, legSymbols: [String], formula: SpreadFormula, like instrument: Instrument) {
            let legs = legSymbols.compactMap { bookIndex[$0].map(BookID.init) }
            guard legs.count == legSymbols.count, seen.insert(symbol).inserted else { return }
            result.append(DerivedInstrument(id: DerivedID(result.count), symbol: symbol, kind: kind, legs: legs, formula: formula,
                                            priceUnit: instrument.priceUnit, priceScale: instrument.tickGrid.tickSize.scale))
        }
        for instrument in catalog.instruments where instrument.isSpread {
            add(symbol: instrument.symbol, kind: instrument.kind, legSymbols: instrument.legs.map(\.symbol),
                formula: instrument.formula, like: instrument)
        }
        for rule in catalog.reference.listing.interCommoditySpreads {
            let shortByMonth = Dictionary(catalog.futures(root: rule.short).map { ($0.month, $0) }, uniquingKeysWith: { first, _ in first })
            for long in catalog.futures(root: rule.long) {
                guard let short = shortByMonth[long.month] else { continue }
                add(symbol: "\(long.symbol)-\(short.symbol)", kind: .interCommoditySpread, legSymbols: [long.symbol, short.symbol],
                    formula: SpreadFormula(coefficients: [1, -1]), like: long)
            }
        }
        return result
    }

    // MARK: Lookups

    /// The book of the instrument with this symbol; resolve once, then apply by id.
    public func bookID(symbol: String) -> BookID? { bookIndex[symbol].map(BookID.init) }

    public func instrument(_ book: BookID) -> Instrument { instruments[book.index] }

    public func symbol(_ book: BookID) -> String { instruments[book.index].symbol }

    /// The derived instrument with this symbol (`CLF7-CLG7`, `BZF7-CLF7`, `CRK321F7`).
    public func derivedID(symbol: String) -> DerivedID? { derivedIndex[symbol].map(DerivedID.init) }

    public func derived(_ id: DerivedID) -> DerivedInstrument { derivedInstruments[id.index] }

    /// Every book id, in catalog order.
    public var bookIDs: [BookID] { (0..<books.count).map(BookID.init) }

    /// A FIX price as ticks of the book's instrument, for building inputs from a decoded message.
    public func ticks(for price: FIXDecimal, book: BookID) throws(MarketDataError) -> Int64 {
        let grid = books[book.index].grid
        guard let ticks = grid.ticks(for: price) else {
            throw .offTick(symbol: symbol(book), price: price, tickSize: grid.tickSize)
        }
        return ticks
    }

    /// The exact price of a tick count of the book's instrument.
    public func price(ticks: Int64, book: BookID) -> FIXDecimal { books[book.index].grid.price(ticks: ticks) }
}
