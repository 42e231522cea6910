import ArgumentParser
import FIXCodec
import FIXJournal
import FIXVocabulary
import Foundation
import Instruments
import MarketData

/// `wellhead marketdata replay`: a session's journaled market data (MarketDataSnapshotFullRefresh
/// and MarketDataIncrementalRefresh) replayed through the market-data normalizer, for history:
/// OHLCV bars of the trades, and each book as it stood at the end.
struct MarketDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marketdata",
        abstract: "Watch live market data, or replay journaled market data, through the normalizer.",
        subcommands: [MarketDataWatch.self, Replay.self]
    )

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay a session's journaled W/X market data: OHLCV bars and the books at the end.")

        @Option(help: "The SQLite journal, e.g. venue-journal.sqlite.") var journal: String
        @Option(help: "The session as journaled, e.g. FIX.4.4:SIMVENUE->QA1.") var session: String
        @Flag(help: "Replay what the session sent (a venue's own feed) rather than what it received.") var outbound = false
        @Option(help: "Bar interval: 1m, 5m, 1h or 1d.") var interval = "1m"
        @Option(help: "The instrument reference file (the standard listing if left out).") var instruments: String?

        func run() async throws {
            var standardError = StandardError()
            guard let barInterval = BarInterval.allCases.first(where: { "\($0)" == interval }) else {
                throw ValidationError("--interval is 1m, 5m, 1h or 1d, not '\(interval)'")
            }
            guard FileManager.default.fileExists(atPath: journal) else {
                print("error: \(journal): no such journal", to: &standardError)
                throw ExitCode.failure
            }
            let reference = try InstrumentReferenceLoader.loadForCommand(instruments)
            let records: [JournalRecord]
            do {
                let opened = try Journal(path: journal)
                defer { opened.close() }
                records = try opened.messages().filter { record in
                    record.session.name == session && record.direction == (outbound ? .outbound : .inbound)
                        && [MsgType.marketDataSnapshotFullRefresh, .marketDataIncrementalRefresh].contains(where: { $0.rawValue == record.msgType })
                        && record.kind != .resend
                }
            } catch {
                print("error: \(journal): \(error)", to: &standardError)
                throw ExitCode.failure
            }
            guard let first = records.first else {
                print("no market data journaled for \(session) (\(outbound ? "sent" : "received")): refreshes are kept only on a session with JournalMarketData=Y")
                return
            }
            let day = CalendarDate(daysSinceEpoch: Int(first.time / 86_400_000_000_000))
            var replay = MarketDataReplay(catalog: reference.catalog(on: day), interval: barInterval)
            for record in records {
                do {
                    try replay.apply(FIXMessage(parsing: record.bytes), time: record.time)
                } catch {
                    print("skipped message \(record.sequenceNumber): \(error)", to: &standardError)
                }
            }
            for line in replay.report() { print(line) }
        }
    }
}

/// Journaled FIX market data through the normalizer: the bars it closes at one interval, the
/// bars still open at the end, and each book's top of book.
struct MarketDataReplay {
    private var normalizer: MarketDataNormalizer
    private var reader = FIXMarketDataReader()
    private var events: [MarketDataEvent] = []
    private(set) var bars: [Bar] = []
    private var touched: Set<BookID> = []
    let interval: BarInterval
    private(set) var messages = 0

    init(catalog: InstrumentCatalog, interval: BarInterval) {
        normalizer = MarketDataNormalizer(catalog: catalog, configuration: MarketDataConfiguration(barIntervals: [interval]))
        self.interval = interval
    }

    mutating func apply(_ message: FIXMessage, time: Int64) throws {
        events.removeAll(keepingCapacity: true)
        touched.formUnion(try reader.apply(message, to: &normalizer, time: time, into: &events))
        normalizer.tick(now: time, into: &events)
        for case .barClosed(let bar) in events where bar.interval == interval { bars.append(bar) }
        messages += 1
    }

    /// One line per bar (closed, then still open), then one per book seen.
    func report() -> [String] {
        var lines: [String] = []
        let open = touched.compactMap { normalizer.openBar($0, interval: interval) }
        for bar in (bars + open).sorted(by: { ($0.start, normalizer.symbol($0.book)) < ($1.start, normalizer.symbol($1.book)) }) {
            lines.append("bar \(normalizer.symbol(bar.book)) \(interval) \(bar.startTimestamp) O \(bar.open) H \(bar.high) L \(bar.low) C \(bar.close) V \(bar.volume) trades \(bar.tradeCount)")
        }
        for book in touched.sorted(by: { normalizer.symbol($0) < normalizer.symbol($1) }) {
            let top = normalizer.topOfBook(book)
            let bid = top.bid.map { "\($0.price) x \($0.size)" } ?? "-"
            let ask = top.ask.map { "\($0.price) x \($0.size)" } ?? "-"
            lines.append("book \(normalizer.symbol(book)) bid \(bid) ask \(ask) \(normalizer.state(book))")
        }
        lines.append("replayed \(messages) messages")
        return lines
    }
}
