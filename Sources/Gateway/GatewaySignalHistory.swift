import FIXCodec
import FIXJournal
import Foundation
import Instruments
import MarketDataFeed
import Signals

/// The daily history the gateway's signals start from: the profile's `SignalHistory=` CSV, then
/// the days after it that the journal covers, up to (not including) today, which the live bars
/// make.
///
/// The journal keeps the market as `marketdata.snapshot` events, one a minute: months of them
/// are gigabytes of JSON. So a day read from the snapshots is journaled once as a
/// `marketdata.daily` event (each contract's open, high, low and last price that day), and a
/// later start reads those days from their daily events and only the snapshots after the last
/// of them, seeking by time (`Journal.forEachEvent(kind:since:_:)`) and folding one snapshot at
/// a time into daily prices (`DailyMarks`). Snapshots older than ``snapshotReach`` are not
/// read: a year of daily bars is more than any signal's look-back needs, and an older history
/// is what the CSV is for.
public struct GatewaySignalHistory: Sendable {
    /// The journal's kind for a day's prices made from its snapshots.
    public static let dailyKind = "marketdata.daily"
    /// How far back the snapshots are read when no daily event or CSV row covers the days
    /// before: 366 days.
    public static let snapshotReach = 366

    /// Every day's prices, oldest day first.
    public var rows: [DailySettlement] = []
    /// Where they came from, as the console's Signals page shows it ("" when there are none).
    public var source = ""
    /// Days read from the CSV, from the journal's daily events, and from its snapshots.
    public var csvDays = 0
    public var recordedDays = 0
    public var snapshotDays = 0
    /// Snapshot events read.
    public var snapshotsRead = 0
    /// Today's prices as the journal's snapshots held them at start, for the gateway to carry on
    /// from (``OrderGateway/resume(dailyMarks:)``): today's daily record covers the whole day.
    public var todayMarks = DailyMarks()

    public init() {}

    /// One day's prices as a `marketdata.daily` event keeps them: decimals as their exact text.
    struct DailyRecord: Codable {
        struct Contract: Codable {
            var symbol: String
            var open: String?
            var high: String?
            var low: String?
            var settlement: String
        }

        /// The trading day, ISO.
        var date: String
        var contracts: [Contract]
    }

    /// Reads the history, and journals the days it read from snapshots as daily events.
    /// - Parameters:
    ///   - csv: the `SignalHistory=` file's path and text (`nil`: none named).
    ///   - now: the gateway's clock at start: today's trading day is left to the live bars.
    ///   - configuration: only signals on daily bars read a history (``rows`` stays empty
    ///     otherwise); the journal's days are still kept as daily events, and today's marks
    ///     still read, so the daily record stays whole whatever the signals run on.
    public static func load(csv: (path: String, text: String)?, journal: Journal, catalog: InstrumentCatalog, calendar: TradingCalendar,
                            now: Int64, configuration: SignalConfiguration) throws(GatewaySignalHistoryError) -> GatewaySignalHistory {
        var history = GatewaySignalHistory()
        let today = calendar.tradingDate(at: now)
        var catalogs: [CalendarDate: InstrumentCatalog] = [:]
        let instrument = { (date: CalendarDate, symbol: String) -> Instrument? in
            if let cached = catalogs[date] { return cached.instrument(symbol: symbol) }
            let listed = catalog.reference.catalog(on: date)
            catalogs[date] = listed
            return listed.instrument(symbol: symbol)
        }
        var note: String?
        if let csv, configuration.interval == .oneDay {
            note = SettlementHistory.note(in: csv.text)
            do {
                history.rows = try SettlementHistory.parse(csv: csv.text, file: csv.path, instrument: instrument).filter { $0.date < today }
            } catch {
                throw .historyFile("\(error)")
            }
            history.csvDays = Set(history.rows.map(\.date)).count
        }
        let csvLast = history.rows.last?.date

        // The days the journal's daily events keep, after the CSV's; a day journaled twice (a
        // copied journal) is read from its later event.
        var recordedByDate: [CalendarDate: [DailySettlement]] = [:]
        let events: [(id: Int64, kind: String, time: Int64, json: String)]
        do {
            events = try journal.events(kind: dailyKind)
        } catch {
            throw .journal(error)
        }
        let decoder = JSONDecoder()
        for event in events {
            let record: DailyRecord
            do {
                record = try decoder.decode(DailyRecord.self, from: Data(event.json.utf8))
            } catch {
                throw .record(id: event.id, kind: dailyKind, message: "\(error)")
            }
            guard let date = CalendarDate(iso: record.date) else {
                throw .record(id: event.id, kind: dailyKind, message: "date '\(record.date)' is not YYYY-MM-DD")
            }
            guard date < today, csvLast.map({ date > $0 }) ?? true else { continue }
            var day: [DailySettlement] = []
            for contract in record.contracts {
                guard let listed = instrument(date, contract.symbol), listed.kind == .future else {
                    throw .record(id: event.id, kind: dailyKind, message: "\(contract.symbol) is not a futures contract listed on \(record.date)")
                }
                let price = { (name: String, text: String?) throws(GatewaySignalHistoryError) -> FIXDecimal? in
                    guard let text else { return nil }
                    guard let value = FIXDecimal(text) else {
                        throw .record(id: event.id, kind: dailyKind, message: "\(contract.symbol)'s \(name) '\(text)' is not a decimal")
                    }
                    return value
                }
                guard let settlement = try price("settlement", contract.settlement) else { continue }
                day.append(DailySettlement(date: date, instrument: listed, open: try price("open", contract.open),
                                           high: try price("high", contract.high), low: try price("low", contract.low),
                                           settlement: settlement))
            }
            recordedByDate[date] = day.sorted { $0.instrument.symbol < $1.instrument.symbol }
        }
        let recorded = recordedByDate.sorted { $0.key < $1.key }.flatMap(\.value)
        history.recordedDays = recordedByDate.count

        // The snapshots after the last day kept, not before the reach: from the end of the
        // calendar day before the first day to read, when that day's market opens (everything
        // after a trading day's end belongs to a later one).
        let covered = [csvLast, recorded.last?.date].compactMap { $0 }.max()
        let earliest = today.adding(days: -snapshotReach)
        let from = max(covered.map { $0.adding(days: 1) } ?? earliest, earliest)
        let since = calendar.end(of: from.adding(days: -1))
        var marks = DailyMarks()
        var failure: GatewaySignalHistoryError?
        do {
            try journal.forEachEvent(kind: MarketDataSnapshots.kind, since: since) { id, _, json in
                let snapshot: MarketDataSnapshots.Snapshot
                do {
                    snapshot = try decoder.decode(MarketDataSnapshots.Snapshot.self, from: Data(json.utf8))
                } catch {
                    // A record that cannot be read is an error that names it.
                    failure = .record(id: id, kind: MarketDataSnapshots.kind, message: "\(error)")
                    return false
                }
                history.snapshotsRead += 1
                let date = calendar.tradingDate(at: snapshot.time)
                guard date >= from else { return true }
                for entry in snapshot.instruments {
                    guard let price = (entry.mark ?? entry.last).flatMap(FIXDecimal.init) else { continue }
                    if date < today {
                        marks.add(date: date, symbol: entry.symbol, price: price, instrument: instrument)
                    } else {
                        history.todayMarks.add(date: date, symbol: entry.symbol, price: price, instrument: instrument)
                    }
                }
                return true
            }
        } catch {
            throw .journal(error)
        }
        if let failure { throw failure }
        let fromSnapshots = marks.settlements
        history.snapshotDays = Set(fromSnapshots.map(\.date)).count

        // Each day made from snapshots, journaled once, so the next start reads it from here
        // (and so does the gateway at each day's end: ``OrderGateway/resume(dailyMarks:)``).
        if !fromSnapshots.isEmpty {
            do {
                try journal.writeAndWait(records(fromSnapshots).map { .event(kind: dailyKind, time: now, json: AuditJSON.encode($0)) })
            } catch {
                throw .journal(error)
            }
        }
        guard configuration.interval == .oneDay else {
            history.rows = []
            return history
        }
        history.rows += recorded + fromSnapshots
        guard let first = history.rows.first, let last = history.rows.last else { return history }
        var sources: [String] = []
        if let csv { sources.append(URL(fileURLWithPath: csv.path).lastPathComponent + (note.map { " (\($0))" } ?? "")) }
        if history.recordedDays + history.snapshotDays > 0 { sources.append("the journal's market-data snapshots") }
        history.source = "daily history \(first.date) to \(last.date) from " + sources.joined(separator: " and ")
        return history
    }

    /// `rows` (oldest day first) as `marketdata.daily` records, one per day.
    static func records(_ rows: [DailySettlement]) -> [DailyRecord] {
        var records: [DailyRecord] = []
        var start = rows.startIndex
        while start < rows.endIndex {
            let date = rows[start].date
            var end = start
            while end < rows.endIndex, rows[end].date == date { end += 1 }
            records.append(DailyRecord(date: date.description, contracts: rows[start..<end].map { row in
                DailyRecord.Contract(symbol: row.instrument.symbol, open: row.open?.description, high: row.high?.description,
                                     low: row.low?.description, settlement: row.settlement.description)
            }))
            start = end
        }
        return records
    }
}

/// A history the signals cannot start from: the CSV (``historyFile(_:)``, its file and line in
/// the text), the journal, or one of its records, named by row id.
public enum GatewaySignalHistoryError: Error, Sendable, CustomStringConvertible {
    case historyFile(String)
    case journal(JournalError)
    case record(id: Int64, kind: String, message: String)

    public var description: String {
        switch self {
        case .historyFile(let message): message
        case .journal(let error): "\(error)"
        case .record(let id, let kind, let message): "\(kind) row \(id) cannot be read: \(message)"
        }
    }
}
