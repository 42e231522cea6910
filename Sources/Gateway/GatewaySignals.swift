import FIXCodec
import Foundation
import Instruments
import MarketData
import Signals

/// The desk's signals as the gateway keeps them: a `SignalSet` fed by the gateway's own
/// market-data normalizer (``GatewayMarketData``: each book a FIX venue's where the venue has
/// sent it, else the in-process venue's), every signal published to OMS clients as an
/// instrument of its own (``Instrument``: `SIG.<ROOT>.COMPOSITE`, each signal its composite
/// weighs as `SIG.<ROOT>.<SIGNAL>`, the curve as `SIG.<ROOT>.CURVE`, the spreads as
/// `SIG.<SPREAD>.ZSCORE`), and each direction change, outcome, curve shape and spread state
/// kept for the journal (``SignalJournalEntry``).
///
/// A value held inside ``GatewayMarketData``'s state, so it has that state's one owner (the
/// gateway's event loop) and no lock of its own. Time is what the events carry (bar ends,
/// the `now` the gateway's clock gave the call): nothing here reads a clock.
///
/// What it reads, per root the configuration lists:
/// - the closed bars of the root's front month (`InstrumentCatalog.frontMonth(root:)`) of the
///   configured interval (`MarketDataEvent.barClosed`);
/// - the root's live curve (`MarketDataNormalizer.curve(root:)`), held until the next bar;
/// - the 3-2-1 and 2-1-1 cracks and Brent−WTI of the front months, priced by
///   `SpreadKind.value(legPrices:)` from the normalizer's leg prices (the same mids the
///   normalizer's derived cracks and spreads are priced from).
///
/// On FIX, a signal's value is MDEntryPx of one Index Value entry (MDEntryType 3), rounded to
/// four decimals as a `FIXDecimal`; what goes with it rides in the same entry's Text (58), which
/// FIX 4.4's MDFullGrp and MDIncGrp both carry: a composite's `direction=LONG
/// confidence=0.6123`, a contributor's `weight=0.1500`, a curve's `shape=BACKWARDATION`, a
/// spread's `state=SHORT_SPREAD entry=2.0000 exit=0.5000`.
struct GatewaySignals: Sendable {
    /// `SIG.` + root + `.COMPOSITE`.
    static let prefix = "SIG."
    static let compositeSuffix = ".COMPOSITE"
    /// Decimals of the published score and confidence.
    static let scale: UInt8 = 4

    private(set) var set: SignalSet
    /// Each engine's front-month book and its month (`nil`: the root lists no future).
    private var fronts: [(book: BookID, month: ContractMonth)?] = []
    /// Engine index by front-month book.
    private var engineOfBook: [BookID: Int] = [:]
    /// Each spread's front-month leg books, in the spread's `legRoots` order.
    private var spreadLegs: [(kind: SpreadKind, legs: [BookID])] = []
    /// What the journal has not yet had (``SignalJournalEntry``), oldest first.
    private(set) var changes: [SignalJournalEntry] = []
    /// Each root's record and last direction on intraday bars, as the journal held them at
    /// start and as the engines had them at the last reconfiguration: what a new configuration
    /// carries on from (on daily bars the daily history makes them). One record per root, of
    /// its bounded size, however long the appliance runs.
    private var carried: [String: Carried] = [:]
    /// The end of the last bar each engine read (nanoseconds since the epoch), for the console.
    private(set) var updated: [Int64?] = []
    private var legScratch: [FIXDecimal] = []
    /// The signal instruments published, by symbol (``Instrument``).
    private var instruments: [String: Instrument] = [:]

    static func symbol(root: String) -> String { prefix + root + compositeSuffix }

    /// The daily history the signals start from (``SignalSet/backfill(_:dayEnd:)``), read again
    /// at each reconfiguration.
    private let history: [DailySettlement]

    init(configuration: SignalConfiguration, catalog: InstrumentCatalog, normalizer: MarketDataNormalizer, history: [DailySettlement] = []) {
        self.history = history
        set = SignalSet(configuration: configuration)
        instruments = Self.instruments(of: set)
        relist(catalog, normalizer: normalizer)
        backfill()
    }

    /// The history read into a new set: each engine that read a bar was last updated at the
    /// end of the history's last day.
    private mutating func backfill() {
        let dayEnd = { (date: CalendarDate) in Int64(date.daysSinceEpoch + 1) * 86_400_000_000_000 }
        set.backfill(history, dayEnd: dayEnd)
        let last = history.last.map { dayEnd($0.date) }
        updated = set.engines.map { $0.bars > 0 ? last : nil }
    }

    /// A new configuration (SIGHUP): every engine starts again from the daily history alone,
    /// or on intraday bars with the record and the last direction it had (or the journal had,
    /// for a root the old configuration did not list).
    mutating func reconfigure(_ configuration: SignalConfiguration, catalog: InstrumentCatalog, normalizer: MarketDataNormalizer) {
        if set.configuration.interval != .oneDay {
            for engine in set.engines { carried[engine.root] = Carried(record: engine.record, direction: engine.direction) }
        }
        set = SignalSet(configuration: configuration)
        instruments = Self.instruments(of: set)
        relist(catalog, normalizer: normalizer)
        backfill()
        resumeCarried()
    }

    /// The direction changes and outcomes the journal held at start (`signal.direction`,
    /// `signal.outcome`, oldest first): on intraday bars each root's record is put back from
    /// them — its outcomes counted, its changes without one measured at the bars to come — and
    /// its composite carries on from the direction it last took, so a restart neither loses the
    /// desk's record nor journals that direction again as a new signal. On daily bars the daily
    /// history makes the record and the direction (``backfill()``), so they are only kept for a
    /// reconfiguration onto intraday bars.
    mutating func restore(_ entries: [SignalJournalEntry]) {
        var roots: [String: (outcomes: [SignalOutcome], changes: [DirectionChange])] = [:]
        for entry in entries {
            switch entry {
            case .outcome(let outcome): roots[outcome.change.root, default: ([], [])].outcomes.append(outcome)
            case .change(let change): roots[change.root, default: ([], [])].changes.append(change)
            case .curveShape, .spreadState: continue
            }
        }
        for (root, journaled) in roots {
            let measured = Set(journaled.outcomes.map(\.change.time))
            var record = SignalRecord(capacity: set.engine(root)?.record.capacity ?? SignalRecord().capacity)
            record.restore(outcomes: journaled.outcomes, pending: journaled.changes.filter { !measured.contains($0.time) })
            carried[root] = Carried(record: record, direction: journaled.changes.last?.direction)
        }
        resumeCarried()
    }

    /// On intraday bars, each engine carries on from the record and direction kept for its root.
    private mutating func resumeCarried() {
        guard set.configuration.interval != .oneDay else { return }
        for (index, engine) in set.engines.enumerated() {
            guard let kept = carried[engine.root] else { continue }
            set.resume(root: index, record: kept.record, direction: kept.direction)
        }
    }

    /// A root's record and the direction its composite last took.
    private struct Carried: Sendable {
        var record: SignalRecord
        var direction: SignalDirection?
    }

    /// The listing changed (a day's end): the front months and the books they are in, anew.
    mutating func relist(_ catalog: InstrumentCatalog, normalizer: MarketDataNormalizer) {
        fronts = set.engines.map { engine in
            guard let front = catalog.frontMonth(root: engine.root), let book = normalizer.bookID(symbol: front.symbol) else { return nil }
            return (book, front.month)
        }
        engineOfBook = [:]
        for (index, front) in fronts.enumerated() { if let front { engineOfBook[front.book] = index } }
        spreadLegs = SpreadKind.allCases.compactMap { kind in
            let legs = kind.legRoots.compactMap { root in catalog.frontMonth(root: root).flatMap { normalizer.bookID(symbol: $0.symbol) } }
            return legs.count == kind.legRoots.count ? (kind, legs) : nil
        }
    }

    // MARK: Feeding

    /// The latest curves and spreads from the normalizer's books: call after the books were
    /// brought up to date and before their bars' events are read, so each bar observes them.
    mutating func observe(_ normalizer: MarketDataNormalizer) {
        for engine in set.engines {
            if let curve = normalizer.curve(root: engine.root) { set.update(curve: curve) }
        }
        for (kind, legs) in spreadLegs {
            legScratch.removeAll(keepingCapacity: true)
            for leg in legs {
                guard let price = normalizer.legPrice(leg) else { break }
                legScratch.append(price)
            }
            set.update(spread: kind, price: legScratch.count == legs.count ? kind.value(legPrices: legScratch) : nil)
        }
    }

    /// Reads the normalizer's events: each closed bar of a root's front month, of the
    /// configured interval, updates that root's signals. Returns whether a composite may have
    /// changed.
    @discardableResult
    mutating func apply(_ events: [MarketDataEvent]) -> Bool {
        var updated = false
        for event in events {
            guard case .barClosed(let bar) = event, bar.interval == set.configuration.interval,
                  let index = engineOfBook[bar.book], let front = fronts[index] else { continue }
            let signalBar = SignalBar(open: bar.open.signalValue, high: bar.high.signalValue, low: bar.low.signalValue,
                                      close: bar.close.signalValue, volume: Double(bar.volume))
            let update = set.update(bar: signalBar, root: index, time: bar.end, month: front.month)
            // What the record measured at this bar's close, then the change it may have made.
            let recent = set.engines[index].record.recent
            for outcome in recent.suffix(min(update.outcomesMeasured, recent.count)) { note(.outcome(outcome)) }
            if let change = update.directionChange { note(.change(change)) }
            if let change = update.curveShapeChange { note(.curveShape(change)) }
            let spreads = update.spreadChanges
            for change in [spreads.crack321, spreads.crack211, spreads.brentWTI] { if let change { note(.spreadState(change)) } }
            self.updated[index] = bar.end
            updated = true
        }
        return updated
    }

    private mutating func note(_ entry: SignalJournalEntry) {
        changes.append(entry)
    }

    /// The direction changes and outcomes since the last call, oldest first.
    mutating func drainChanges() -> [SignalJournalEntry] {
        defer { changes.removeAll() }
        return changes
    }

    // MARK: Publishing

    /// A signal the gateway publishes as an instrument of its own.
    enum Instrument: Sendable, Hashable {
        /// `SIG.<ROOT>.COMPOSITE`: the score; Text `direction=… confidence=…`.
        case composite(engine: Int)
        /// `SIG.<ROOT>.<CONTRIBUTOR>` (`SIG.CL.RSI`, `SIG.CL.CARRY` …), for each signal the
        /// root's composite weighs: its value in [−1, 1] as the composite reads it; Text `weight=…`.
        case contributor(engine: Int, SignalContributor)
        /// `SIG.<ROOT>.CURVE`: the annualised roll yield of the live curve; Text `shape=…`
        /// (contango, backwardation or flat).
        case curve(engine: Int)
        /// `SIG.<SPREAD>.ZSCORE` (`SIG.CRACK321.ZSCORE`, `SIG.CRACK211.ZSCORE`,
        /// `SIG.BRENTWTI.ZSCORE`): the spread's z-score over its window; Text `state=…` (its
        /// mean-reversion state), with the entry and exit thresholds.
        case spread(SpreadKind)
    }

    static func symbol(root: String, contributor: SignalContributor) -> String {
        prefix + root + "." + contributor.rawValue.uppercased()
    }

    static func curveSymbol(root: String) -> String { prefix + root + ".CURVE" }

    static func symbol(spread: SpreadKind) -> String { prefix + spread.rawValue.uppercased() + ".ZSCORE" }

    /// Every signal instrument of `set`, by symbol: made again with each configuration.
    private static func instruments(of set: SignalSet) -> [String: Instrument] {
        var instruments: [String: Instrument] = [:]
        for (index, engine) in set.engines.enumerated() {
            instruments[symbol(root: engine.root)] = .composite(engine: index)
            instruments[curveSymbol(root: engine.root)] = .curve(engine: index)
            for contributor in SignalContributor.allCases where (engine.configuration.weights[contributor] ?? 0) > 0 {
                instruments[symbol(root: engine.root, contributor: contributor)] = .contributor(engine: index, contributor)
            }
        }
        for spread in SpreadKind.allCases { instruments[symbol(spread: spread)] = .spread(spread) }
        return instruments
    }

    /// The engine a `SIG.<ROOT>.COMPOSITE` symbol names; `nil` for any other symbol, and for a
    /// root the configuration does not list.
    func engine(symbol: String) -> SignalEngine? {
        guard case .composite(let index) = instruments[symbol] else { return nil }
        return set.engines[index]
    }

    /// Whether `symbol` is a signal instrument the gateway publishes.
    func lists(_ symbol: String) -> Bool { instruments[symbol] != nil }

    /// Every signal instrument's symbol, sorted.
    var symbols: [String] { instruments.keys.sorted() }

    /// The signal's value as MDEntryPx, at four decimals; `nil` while it has none.
    func value(_ symbol: String) -> FIXDecimal? {
        switch instruments[symbol] {
        case .composite(let index): set.engines[index].score.map(Self.decimal)
        case .contributor(let index, let contributor):
            set.engines[index].contributors.first { $0.contributor == contributor }?.value.map(Self.decimal)
        case .curve(let index): set.engines[index].termStructure.carry.map(Self.decimal)
        case .spread(let spread): set.spreads.signal(spread).zScore.map(Self.decimal)
        case nil: nil
        }
    }

    /// What goes in Text (58) beside the value: a composite's direction and confidence, a
    /// contributor's weight, a curve's shape, a spread's state and thresholds.
    func text(_ symbol: String) -> String? {
        switch instruments[symbol] {
        case .composite(let index):
            let engine = set.engines[index]
            guard engine.score != nil else { return nil }
            return Self.text(direction: engine.direction, confidence: engine.confidence)
        case .contributor(let index, let contributor):
            return "weight=\(Self.decimal(set.engines[index].configuration.weights[contributor] ?? 0))"
        case .curve(let index):
            return set.engines[index].termStructure.shape.map { "shape=\($0.rawValue.uppercased())" }
        case .spread(let spread):
            let signal = set.spreads.signal(spread)
            guard signal.zScore != nil else { return nil }
            return "state=\(signal.state.rawValue) entry=\(Self.decimal(signal.parameters.entry)) exit=\(Self.decimal(signal.parameters.exit))"
        case nil:
            return nil
        }
    }

    static func text(direction: SignalDirection, confidence: Double) -> String {
        "direction=\(direction.rawValue) confidence=\(decimal(confidence))"
    }

    /// `value` rounded half away from zero to four decimals, exact from there on.
    static func decimal(_ value: Double) -> FIXDecimal { decimal(value, scale: scale) }

    /// `value` rounded half away from zero to `scale` decimals, exact from there on.
    static func decimal(_ value: Double, scale: UInt8) -> FIXDecimal {
        guard value.isFinite else { return FIXDecimal(mantissa: 0, scale: scale) }
        var factor = 1.0
        for _ in 0..<scale { factor *= 10 }
        return FIXDecimal(mantissa: Int64((value * factor).rounded(.toNearestOrAwayFromZero)), scale: scale)
    }
}

/// What the signals journal, so compliance sees what the desk was shown: a direction change or
/// what followed one (the record a restart reads back), a curve's change of shape, a spread's
/// change of mean-reversion state.
enum SignalJournalEntry: Sendable, Hashable {
    case change(DirectionChange)
    case outcome(SignalOutcome)
    case curveShape(CurveShapeChange)
    case spreadState(SpreadStateChange)

    var auditEvent: GatewayAuditEvent {
        switch self {
        case .change(let change): SignalDirectionRecord(change).auditEvent
        case .outcome(let outcome): SignalOutcomeRecord(outcome).auditEvent
        case .curveShape(let change): SignalCurveRecord(change).auditEvent
        case .spreadState(let change): SignalSpreadRecord(change).auditEvent
        }
    }

    /// A journaled `signal.direction` or `signal.outcome` event read back; `nil` for another
    /// kind (a shape or a state is what the desk was shown, and no record is made from it).
    init?(kind: String, json: String) throws(SignalRecordError) {
        let decoder = JSONDecoder()
        do {
            switch kind {
            case SignalDirectionRecord.kind: self = .change(try decoder.decode(SignalDirectionRecord.self, from: Data(json.utf8)).change())
            case SignalOutcomeRecord.kind: self = .outcome(try decoder.decode(SignalOutcomeRecord.self, from: Data(json.utf8)).outcome())
            default: return nil
            }
        } catch let error as SignalRecordError {
            throw error
        } catch {
            throw SignalRecordError(message: "\(error)")
        }
    }
}

/// A record the signals journal: its event kind, and the time it is journaled at.
protocol SignalAuditRecord: Encodable, Sendable {
    static var kind: String { get }
    /// Nanoseconds since the epoch.
    var timeNanoseconds: Int64 { get }
}

extension SignalAuditRecord {
    var auditEvent: GatewayAuditEvent {
        GatewayAuditEvent(kind: Self.kind, time: timeNanoseconds, json: AuditJSON.encode(self))
    }
}

/// A journaled signal record that cannot be read back.
struct SignalRecordError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A direction change as the journal keeps it (`signal.direction`).
struct SignalDirectionRecord: SignalAuditRecord, Codable {
    static let kind = "signal.direction"

    /// FIX UTCTimestamp of the end of the bar that changed it, and the same in nanoseconds.
    var time: String
    var timeNanoseconds: Int64
    var root: String
    var symbol: String
    var previous: String
    var direction: String
    /// Four decimals, as published.
    var score: String
    var confidence: String
    var frontPrice: String
    var frontMonth: String?
    var horizonSeconds: Int64

    init(_ change: DirectionChange) {
        time = FIXTimestamp(nanosecondsSinceEpoch: change.time).description
        timeNanoseconds = change.time
        root = change.root
        symbol = GatewaySignals.symbol(root: change.root)
        previous = change.previous.rawValue
        direction = change.direction.rawValue
        score = GatewaySignals.decimal(change.score).description
        confidence = GatewaySignals.decimal(change.confidence).description
        frontPrice = GatewaySignals.decimal(change.frontPrice).normalized.description
        frontMonth = change.frontMonth?.description
        horizonSeconds = change.horizon / 1_000_000_000
    }


    /// The change read back (its score, confidence and price as published, at four decimals).
    func change() throws(SignalRecordError) -> DirectionChange {
        guard let previous = SignalDirection(rawValue: previous), let direction = SignalDirection(rawValue: direction) else {
            throw SignalRecordError(message: "direction '\(previous)' to '\(direction)' is not LONG, SHORT or NEUTRAL")
        }
        let number = { (name: String, text: String) throws(SignalRecordError) -> Double in
            guard let value = FIXDecimal(text) else { throw SignalRecordError(message: "\(name) '\(text)' is not a decimal") }
            return value.signalValue
        }
        var month: ContractMonth?
        if let frontMonth {
            let parts = frontMonth.split(separator: "-")
            guard parts.count == 2, let year = Int(parts[0]), let number = Int(parts[1]), let parsed = ContractMonth(year: year, month: number) else {
                throw SignalRecordError(message: "frontMonth '\(frontMonth)' is not YYYY-MM")
            }
            month = parsed
        }
        return DirectionChange(time: timeNanoseconds, root: root, previous: previous, direction: direction, score: try number("score", score),
                               confidence: try number("confidence", confidence), frontPrice: try number("frontPrice", frontPrice),
                               frontMonth: month, horizon: horizonSeconds * 1_000_000_000)
    }
}

/// What followed a direction change, as the journal keeps it (`signal.outcome`) when the
/// record measures it: the change as `signal.direction` journaled it, and the front month's
/// price and return at the end of the horizon (or at its contract's last bar, when it rolled
/// first). Returns at eight decimals.
struct SignalOutcomeRecord: SignalAuditRecord, Codable {
    static let kind = "signal.outcome"

    var change: SignalDirectionRecord
    /// When and at what price it was measured, and the returns: the front month's own and in
    /// the signal's direction.
    var exitTime: String
    var exitTimeNanoseconds: Int64
    var exitPrice: String
    var priceReturn: String
    var signalReturn: String
    var cutShortByRoll: Bool

    init(_ outcome: SignalOutcome) {
        change = SignalDirectionRecord(outcome.change)
        exitTime = FIXTimestamp(nanosecondsSinceEpoch: outcome.exitTime).description
        exitTimeNanoseconds = outcome.exitTime
        exitPrice = GatewaySignals.decimal(outcome.exitPrice).normalized.description
        priceReturn = GatewaySignals.decimal(outcome.priceReturn, scale: 8).description
        signalReturn = GatewaySignals.decimal(outcome.signalReturn, scale: 8).description
        cutShortByRoll = outcome.cutShortByRoll
    }

    var timeNanoseconds: Int64 { exitTimeNanoseconds }

    /// The outcome read back (prices at four decimals, returns at eight).
    func outcome() throws(SignalRecordError) -> SignalOutcome {
        let change = try change.change()
        guard let exit = FIXDecimal(exitPrice), let priceReturn = FIXDecimal(priceReturn), let signalReturn = FIXDecimal(signalReturn) else {
            throw SignalRecordError(message: "exitPrice '\(exitPrice)', priceReturn '\(priceReturn)' or signalReturn '\(signalReturn)' is not a decimal")
        }
        return SignalOutcome(change: change, exitTime: exitTimeNanoseconds, exitPrice: exit.signalValue, priceReturn: priceReturn.signalValue,
                             signalReturn: signalReturn.signalValue, cutShortByRoll: cutShortByRoll)
    }
}

/// A curve's change of shape, as the journal keeps it (`signal.curve`): what `SIG.<ROOT>.CURVE`
/// showed from then on. The first shape the process observes has no `previous`.
struct SignalCurveRecord: SignalAuditRecord, Codable {
    static let kind = "signal.curve"

    var time: String
    var timeNanoseconds: Int64
    var root: String
    var symbol: String
    var previous: String?
    var shape: String
    var front: String
    /// M1 − M2 in the root's price unit, four decimals.
    var frontSpread: String
    var atRoll: Bool

    init(_ change: CurveShapeChange) {
        time = FIXTimestamp(nanosecondsSinceEpoch: change.time).description
        timeNanoseconds = change.time
        root = change.root
        symbol = GatewaySignals.curveSymbol(root: change.root)
        previous = change.previous?.rawValue.uppercased()
        shape = change.shape.rawValue.uppercased()
        front = change.front.description
        frontSpread = GatewaySignals.decimal(change.frontSpread).description
        atRoll = change.atRoll
    }

}

/// A spread's change of mean-reversion state, as the journal keeps it (`signal.spread`): what
/// `SIG.<SPREAD>.ZSCORE` showed from then on.
struct SignalSpreadRecord: SignalAuditRecord, Codable {
    static let kind = "signal.spread"

    var time: String
    var timeNanoseconds: Int64
    var spread: String
    var symbol: String
    var previous: String
    var state: String
    /// Four decimals; the spread in $/bbl.
    var zScore: String
    var value: String

    init(_ change: SpreadStateChange) {
        time = FIXTimestamp(nanosecondsSinceEpoch: change.time).description
        timeNanoseconds = change.time
        spread = change.spread.rawValue
        symbol = GatewaySignals.symbol(spread: change.spread)
        previous = change.previous.rawValue
        state = change.state.rawValue
        zScore = GatewaySignals.decimal(change.zScore).description
        value = GatewaySignals.decimal(change.value).description
    }

}
