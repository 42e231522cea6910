import FIXCodec
import Instruments
import Signals

/// The market as the gateway's normalizer and signals have it, for the console: the derived
/// prices (calendar spreads, cracks, Brent−WTI) and each root's composite signal.
public struct GatewayMarketView: Sendable {
    public struct Derived: Sendable {
        public var symbol: String
        public var price: FIXDecimal
        /// `USD/bbl` and the like, as the reference data states it.
        public var unit: String
    }

    public struct Signal: Sendable {
        public var root: String
        public var direction: String
        /// The composite's score at four decimals; `nil` while no contributor has a value.
        public var score: FIXDecimal?
        public var confidence: FIXDecimal
        /// How long after a direction change its outcome is measured, in nanoseconds.
        public var horizon: Int64
        /// The end of the last bar read; `nil` before one.
        public var updated: Int64?
        public var bars: Int
        /// The front month's close in the last bar read, and its month; `nil` before one.
        public var frontPrice: Double?
        public var frontMonth: ContractMonth?
        /// Each weighted signal: its weight and its value now (`nil` while it warms up).
        public var contributors: [ContributorReading]
        /// The composite's thresholds (a contributor's own direction is read against its entry).
        public var thresholds: CompositeThresholds
        /// The live curve's annualised roll yield and its shape; `nil` before a curve.
        public var rollYield: Double?
        public var shape: String?
        /// The record: LONG and SHORT changes measured, the share that won, their mean return.
        public var signals: Int
        public var winRate: Double?
        public var averageReturn: Double?
        /// The latest changes measured, oldest first, then those still within their horizon.
        public var outcomes: [SignalOutcome]
        public var pending: [DirectionChange]
    }

    /// One of the desk's spread signals: its z-score over its window and its mean-reversion state.
    public struct Spread: Sendable {
        public var name: String
        public var state: String
        /// `nil` until the window is full.
        public var zScore: Double?
        public var entry: Double
        public var exit: Double
    }

    public var derived: [Derived]
    public var signals: [Signal]
    public var spreads: [Spread]
}

extension GatewayMarketData {
    func view() -> GatewayMarketView {
        withState { normalizer, signals in
            GatewayMarketView(
                derived: normalizer.derivedInstruments.compactMap { instrument in
                    normalizer.derivedPrice(instrument.id).map { .init(symbol: instrument.symbol, price: $0, unit: instrument.priceUnit) }
                },
                signals: signals.set.engines.enumerated().map { index, engine in
                    .init(root: engine.root, direction: engine.direction.rawValue, score: engine.score.map(GatewaySignals.decimal),
                          confidence: GatewaySignals.decimal(engine.confidence), horizon: engine.horizon,
                          updated: index < signals.updated.count ? signals.updated[index] : nil, bars: engine.bars,
                          frontPrice: engine.frontPrice, frontMonth: engine.frontMonth,
                          contributors: engine.contributors.filter { $0.weight != 0 }, thresholds: engine.configuration.thresholds,
                          rollYield: engine.termStructure.carry, shape: engine.termStructure.shape?.rawValue, signals: engine.record.signals,
                          winRate: engine.record.winRate, averageReturn: engine.record.averageReturn,
                          outcomes: engine.record.recent, pending: engine.record.pending)
                },
                spreads: SpreadKind.allCases.map { kind in
                    let spread = signals.set.spreads.signal(kind)
                    return .init(name: kind.description, state: spread.state.rawValue, zScore: spread.zScore,
                                 entry: spread.parameters.entry, exit: spread.parameters.exit)
                })
        }
    }
}

extension GatewayApplication {
    /// The normalizer's derived prices and the signals, as they stand (read under the market
    /// data's own lock, from anywhere).
    public func marketView() -> GatewayMarketView { marketData.view() }

    /// The journal's kinds a start reads the signals' records from (``restoreSignalRecords(_:)``).
    public static let signalRecordKinds = [SignalDirectionRecord.kind, SignalOutcomeRecord.kind]

    /// Puts back each root's signal record from the journal's `signal.direction` and
    /// `signal.outcome` events (oldest first), at start: on intraday bars the record a restart
    /// would otherwise lose (on daily bars the daily history makes it). An event that cannot be
    /// read stops the start, named by its row. Returns the events read.
    @discardableResult
    public func restoreSignalRecords(_ events: [(id: Int64, kind: String, time: Int64, json: String)]) throws(GatewaySignalHistoryError) -> Int {
        var entries: [SignalJournalEntry] = []
        for event in events {
            do {
                if let entry = try SignalJournalEntry(kind: event.kind, json: event.json) { entries.append(entry) }
            } catch {
                throw .record(id: event.id, kind: event.kind, message: error.message)
            }
        }
        marketData.restoreSignals(entries)
        return entries.count
    }
}
