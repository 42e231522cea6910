import FIXCodec
import FIXJournal
import Foundation
@testable import Gateway
import Instruments
import MarketDataFeed
import RiskSidecar
import Signals
import Synchronization
import Testing
import TestSupport

/// The journal keeps the market as snapshots for audit and recovery, not every refresh: each
/// instrument's bid, ask, last and mark with its venue, as risk and the marks took them, at the
/// interval (60 s unless set) and only when something changed. Time is the test's.
@Suite struct MarketDataSnapshotTests {
    static let second: Int64 = 1_000_000_000

    static func snapshots(_ audit: [GatewayAuditEvent]) throws -> [MarketDataSnapshots.Snapshot] {
        try decodeEvents(MarketDataSnapshots.Snapshot.self, kind: MarketDataSnapshots.kind, in: audit.map { ($0.kind, $0.json) })
    }

    static func quote(_ bid: String, _ ask: String, last: String, venue: String = "ICEVENUE") -> MarketQuote {
        MarketQuote(symbol: "CLF7", prices: ReferencePrices(last: FIXDecimal(last), bid: FIXDecimal(bid), ask: FIXDecimal(ask)),
                    mark: FIXDecimal(last), venue: venue)
    }

    /// A gateway whose only prices are a venue's quotes: a snapshot at the interval, none while
    /// nothing changed, the next once a price moved.
    @Test func aSnapshotIsJournaledAtTheIntervalOnlyWhenPricesChanged() throws {
        let harness = try GatewayHarness(simulatedVenue: false)
        let start = harness.now
        harness.gateway.quote([Self.quote("69.98", "70.02", last: "70.00")], now: start + Self.second)
        _ = harness.gateway.drainAudit()
        _ = harness.gateway.advance(now: start + 59 * Self.second)
        #expect(try Self.snapshots(harness.gateway.drainAudit()).isEmpty, "not due before the interval")

        _ = harness.gateway.advance(now: start + 60 * Self.second)
        let first = try Self.snapshots(harness.gateway.drainAudit())
        #expect(first.count == 1)
        let taken = try #require(first.first)
        #expect(taken.time == start + 60 * Self.second)
        #expect(taken.instruments.map { [$0.symbol, $0.venue, $0.bid, $0.ask, $0.last, $0.mark, "\($0.time)"] }
                    == [["CLF7", "ICEVENUE", "69.98", "70.02", "70.00", "70.00", "\(start + Self.second)"]])

        // The same prices again, an interval on: nothing to journal.
        harness.gateway.quote([Self.quote("69.98", "70.02", last: "70.00")], now: start + 100 * Self.second)
        _ = harness.gateway.advance(now: start + 120 * Self.second)
        #expect(try Self.snapshots(harness.gateway.drainAudit()).isEmpty, "nothing changed since the last snapshot")

        // A move: journaled at the next due time, with when it was seen.
        harness.gateway.quote([Self.quote("69.99", "70.02", last: "70.00")], now: start + 130 * Self.second)
        _ = harness.gateway.advance(now: start + 150 * Self.second)
        #expect(try Self.snapshots(harness.gateway.drainAudit()).isEmpty, "not due until 60 s after the last check")
        _ = harness.gateway.advance(now: start + 180 * Self.second)
        let moved = try #require(try Self.snapshots(harness.gateway.drainAudit()).first)
        #expect(moved.instruments.first?.bid == "69.99" && moved.instruments.first?.time == start + 130 * Self.second)
    }

    /// At the day's end the gateway journals the day's prices as its snapshots took them
    /// (`marketdata.daily`: each contract's first, highest, lowest and last), before `day.end`,
    /// carrying on from the marks the journal held before a restart; the next day starts empty.
    @Test func theDaysEndJournalsTheDaysPricesFromTheSnapshotsIncludingThoseBeforeARestart() throws {
        let harness = try GatewayHarness(simulatedVenue: false)
        let start = harness.now
        let today = TradingCalendar.aroundTheClock.tradingDate(at: start)
        // Read from the journal's snapshots at start, before this process took any.
        var resumed = DailyMarks()
        resumed.add(date: today, symbol: "CLF7", price: FIXDecimal("65.00")!) { _, symbol in harness.catalog.instrument(symbol: symbol) }
        harness.gateway.resume(dailyMarks: resumed)
        for (minute, last) in [(1, "70.00"), (2, "71.50"), (3, "70.25")] {
            harness.gateway.quote([Self.quote("69.00", "72.00", last: last)], now: start + Int64(minute) * 60 * Self.second - 1)
            _ = harness.gateway.advance(now: start + Int64(minute) * 60 * Self.second)
        }
        _ = harness.gateway.drainAudit()
        _ = harness.gateway.roll(by: "tester", reason: "test", now: start + 4 * 60 * Self.second)
        let audit = harness.gateway.drainAudit()
        let kinds = audit.map(\.kind).filter { $0 == GatewaySignalHistory.dailyKind || $0 == "day.end" }
        #expect(kinds == [GatewaySignalHistory.dailyKind, "day.end"])
        let days = try decodeEvents(GatewaySignalHistory.DailyRecord.self, kind: GatewaySignalHistory.dailyKind,
                                    in: audit.map { ($0.kind, $0.json) })
        let day = try #require(days.first)
        #expect(day.date == today.description)
        let contract = try #require(day.contracts.first { $0.symbol == "CLF7" })
        #expect([contract.open, contract.high, contract.low, contract.settlement] == ["65.00", "71.50", "65.00", "70.25"])

        // The next day's record (rolled by hand: the gateway's day, not the clock's) holds only
        // the next day's prices.
        harness.gateway.quote([Self.quote("69.00", "72.00", last: "69.10")], now: start + 5 * 60 * Self.second)
        _ = harness.gateway.advance(now: start + 6 * 60 * Self.second)
        _ = harness.gateway.roll(by: "tester", reason: "test", now: start + 7 * 60 * Self.second)
        let next = try decodeEvents(GatewaySignalHistory.DailyRecord.self, kind: GatewaySignalHistory.dailyKind,
                                    in: harness.gateway.drainAudit().map { ($0.kind, $0.json) })
        #expect(next.map(\.date) == [TradingCalendar.aroundTheClock.next(after: today).description])
        #expect(next.map(\.contracts.first?.open) == ["69.10"])
    }

    @Test func anIntervalOfZeroJournalsNoSnapshot() throws {
        let harness = try GatewayHarness(simulatedVenue: false, marketDataSnapshotInterval: 0)
        let start = harness.now
        harness.gateway.quote([Self.quote("69.98", "70.02", last: "70.00")], now: start)
        for minute in 1...3 { _ = harness.gateway.advance(now: start + Int64(minute) * 60 * Self.second) }
        #expect(try Self.snapshots(harness.gateway.drainAudit()).isEmpty)
    }

    /// The appliance's path: the gateway's timer on its event loop, the clock the test's, the
    /// snapshot a row in a real SQLite journal, waited for with a deadline.
    @Test func theRunningGatewayJournalsTheInProcessVenuesMarketAsASnapshot() async throws {
        let harness = try GatewayHarness()
        defer { harness.directory.remove() }
        let path = harness.directory.path("gateway.sqlite")
        let journal = try Journal(path: path)
        let clock = Atomic<Int64>(harness.now)
        let start = harness.now
        let application = GatewayApplication(gateway: harness.gateway, journal: journal, clock: { clock.load(ordering: .relaxed) })
        application.start(interval: .milliseconds(10))
        defer {
            application.stop()
            journal.close()
        }
        // Ticks at the start time take no snapshot; the first comes once the interval has passed.
        clock.store(start + 61 * Self.second, ordering: .relaxed)
        let reader = try Journal(path: path)
        defer { reader.close() }
        var rows: [(id: Int64, kind: String, time: Int64, json: String)] = []
        let journaled = try eventually(timeout: 30) {
            rows = try reader.events(kind: MarketDataSnapshots.kind)
            return !rows.isEmpty
        }
        #expect(journaled, "no marketdata.snapshot row journaled")
        let row = try #require(rows.first)
        #expect(row.time == start + 61 * Self.second)
        let snapshot = try JSONDecoder().decode(MarketDataSnapshots.Snapshot.self, from: Data(row.json.utf8))
        let front = try #require(snapshot.instruments.first { $0.symbol == "CLF7" }, "\(row.json.prefix(400))")
        #expect(front.venue == "SIM" && front.bid != nil && front.ask != nil && front.mark != nil, "\(front)")
        #expect(snapshot.instruments.map(\.symbol) == snapshot.instruments.map(\.symbol).sorted())
    }
}
