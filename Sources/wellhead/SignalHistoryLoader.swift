import FIXCodec
import FIXJournal
import FIXSettings
import Foundation
import Instruments
import Logging
import MarketDataFeed
import Signals

/// The daily history the gateway's signals start from: the profile's `SignalHistory=` CSV, then
/// the days after it that the journal's market-data snapshots cover, up to (not including)
/// today, which the live bars make.
enum SignalHistoryLoader {
    private static let logger = Logger(label: "wellhead.signals")

    /// - Parameter error: makes the startup error for a key of the profile.
    static func load(_ path: String?, journal: Journal, catalog: InstrumentCatalog, calendar: TradingCalendar, now: Int64,
                     signals: SignalConfiguration, error: (String, String) -> SettingsError) throws(SettingsError)
        -> (rows: [DailySettlement], source: String) {
        guard signals.interval == .oneDay else {
            if path != nil { logger.notice("signal history not read: the signals run on intraday bars", metadata: ["interval": "\(signals.interval)"]) }
            return ([], "")
        }
        let today = calendar.tradingDate(at: now)
        var catalogs: [CalendarDate: InstrumentCatalog] = [:]
        let instrument = { (date: CalendarDate, symbol: String) -> Instrument? in
            if let cached = catalogs[date] { return cached.instrument(symbol: symbol) }
            let listed = catalog.reference.catalog(on: date)
            catalogs[date] = listed
            return listed.instrument(symbol: symbol)
        }
        var history: [DailySettlement] = []
        var note: String?
        if let path {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch let failure {
                throw error("SignalHistory", "\(path): \(failure.localizedDescription)")
            }
            note = SettlementHistory.note(in: text)
            do {
                history = try SettlementHistory.parse(csv: text, file: path, instrument: instrument).filter { $0.date < today }
            } catch let failure {
                throw error("SignalHistory", "\(failure)")
            }
        }
        let after = history.last?.date
        var marks: [(time: Int64, symbol: String, price: FIXDecimal)] = []
        let decoder = JSONDecoder()
        let events: [(id: Int64, kind: String, time: Int64, json: String)]
        do {
            events = try journal.events(kind: MarketDataSnapshots.kind)
        } catch let failure {
            throw SettingsError(file: journal.path, section: "events", key: MarketDataSnapshots.kind, message: "\(failure)")
        }
        for event in events {
            let snapshot: MarketDataSnapshots.Snapshot
            do {
                snapshot = try decoder.decode(MarketDataSnapshots.Snapshot.self, from: Data(event.json.utf8))
            } catch let failure {
                // A record that cannot be read is an error that names it.
                throw SettingsError(file: journal.path, section: "events", key: "\(event.id)",
                                    message: "marketdata.snapshot row \(event.id) cannot be read: \(failure)")
            }
            for entry in snapshot.instruments {
                guard let price = (entry.mark ?? entry.last).flatMap(FIXDecimal.init) else { continue }
                marks.append((snapshot.time, entry.symbol, price))
            }
        }
        let journaled = SettlementHistory.daily(fromMarks: marks, tradingDate: calendar.tradingDate(at:), instrument: instrument)
            .filter { day in day.date < today && after.map { day.date > $0 } ?? true }
        history += journaled
        if !history.isEmpty {
            logger.info("signal history read", metadata: [
                "days": "\(Set(history.map(\.date)).count)", "from": "\(history.first!.date)", "through": "\(history.last!.date)",
                "fromJournal": "\(Set(journaled.map(\.date)).count)",
            ])
        }
        guard let first = history.first, let last = history.last else { return ([], "") }
        var sources: [String] = []
        if let path { sources.append(URL(fileURLWithPath: path).lastPathComponent + (note.map { " (\($0))" } ?? "")) }
        if !journaled.isEmpty { sources.append("the journal's market-data snapshots") }
        return (history, "daily history \(first.date) to \(last.date) from " + sources.joined(separator: " and "))
    }
}
