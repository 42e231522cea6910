import FIXCodec
import FIXJournal
import Foundation
@testable import Gateway
import Instruments
import MarketDataFeed
import Signals
import Testing
import TestSupport

/// The signals' daily history from a real journal: the days its market-data snapshots cover,
/// read once and journaled as `marketdata.daily` events, so the next start reads those instead
/// of every snapshot again; the CSV's days first; snapshots beyond the reach not read at all.
@Suite struct GatewaySignalHistoryTests {
    static let day: Int64 = 86_400_000_000_000
    static let hour: Int64 = 3_600_000_000_000
    static let reference = InstrumentReference.standard
    static let today = CalendarDate(year: 2026, month: 11, day: 25)!
    static let calendar = TradingCalendar.aroundTheClock
    /// Noon of today's trading day, by the calendar.
    static let now = calendar.end(of: today) - 12 * hour

    let directory = TemporaryDirectory()
    let journal: Journal

    init() throws {
        journal = try Journal(path: directory.path("gateway.sqlite"))
    }

    /// Hourly snapshots of CL's front month and second month through each of `days` (days
    /// before today, oldest first): the front month's marks rise by a cent an hour from a
    /// price of its own per day, so each day's open, high, low and last are known.
    func journalSnapshots(daysAgo days: [Int]) throws {
        var entries: [JournalEntry] = []
        for daysAgo in days {
            let date = Self.today.adding(days: -daysAgo)
            let catalog = Self.reference.catalog(on: date)
            let front = try #require(catalog.frontMonth(root: "CL")).symbol
            let second = try #require(catalog.futures(root: "CL").dropFirst().first).symbol
            let start = Self.calendar.end(of: date) - 24 * Self.hour
            for hour in 0..<24 {
                let time = start + Int64(hour) * Self.hour + 60_000_000_000
                let price = FIXDecimal(mantissa: Int64(7_000 + daysAgo * 10 + hour), scale: 2)
                let secondLast = price - FIXDecimal(mantissa: 30, scale: 2)
                // As the gateway journals them (`MarketDataSnapshots.Snapshot`).
                let json = """
                    {"instruments":[{"mark":"\(price)","symbol":"\(front)","time":\(time),"venue":"SIM"},\
                    {"last":"\(secondLast)","symbol":"\(second)","time":\(time),"venue":"SIM"}],"time":\(time)}
                    """
                entries.append(.event(kind: MarketDataSnapshots.kind, time: time, json: json))
            }
        }
        try journal.writeAndWait(entries)
    }

    func load(csv: (path: String, text: String)? = nil, configuration: SignalConfiguration = .standard) throws -> GatewaySignalHistory {
        try GatewaySignalHistory.load(csv: csv, journal: journal, catalog: Self.reference.catalog(on: Self.today), calendar: Self.calendar,
                                      now: Self.now, configuration: configuration)
    }

    @Test func snapshotDaysAreReadOnceAndJournaledAsDailyEventsTheNextStartReads() throws {
        // Ten days, and today's market, which the live bars make.
        try journalSnapshots(daysAgo: Array((0...10).reversed()))
        let first = try load()
        #expect(first.snapshotDays == 10 && first.recordedDays == 0)
        #expect(first.snapshotsRead == 11 * 24)
        #expect(Set(first.rows.map(\.date)) == Set((1...10).map { Self.today.adding(days: -$0) }))
        // Each day: the first, highest, lowest and last price.
        let threeDaysAgo = try #require(first.rows.first { $0.date == Self.today.adding(days: -3) && $0.instrument.symbol.hasPrefix("CL") })
        #expect(threeDaysAgo.open == FIXDecimal("70.30") && threeDaysAgo.low == FIXDecimal("70.30"))
        #expect(threeDaysAgo.high == FIXDecimal("70.53") && threeDaysAgo.settlement == FIXDecimal("70.53"))
        #expect(first.source.contains("journal"), "\(first.source)")
        // Today's marks are the gateway's to carry on from, not history.
        #expect(first.todayMarks.settlements.map(\.date) == [Self.today, Self.today])
        #expect(first.todayMarks.settlements.first { $0.instrument.symbol.hasPrefix("CL") }?.open == FIXDecimal("70.00"))
        let daily = try journal.events(kind: GatewaySignalHistory.dailyKind)
        #expect(daily.count == 10)

        // The next start reads the days from their daily events, and of the snapshots only
        // those after the last of them: today's.
        let second = try load()
        #expect(second.recordedDays == 10 && second.snapshotDays == 0)
        #expect(second.snapshotsRead == 24)
        #expect(second.rows == first.rows)
        #expect(try journal.events(kind: GatewaySignalHistory.dailyKind).count == 10, "nothing journaled twice")

        // A day later: yesterday's snapshots are read and journaled, the others not again.
        let tomorrow = try GatewaySignalHistory.load(csv: nil, journal: journal, catalog: Self.reference.catalog(on: Self.today),
                                                     calendar: Self.calendar, now: Self.now + Self.day, configuration: .standard)
        #expect(tomorrow.recordedDays == 10 && tomorrow.snapshotDays == 1 && tomorrow.snapshotsRead == 24)
        #expect(tomorrow.rows.filter { $0.date < Self.today } == first.rows)
        #expect(tomorrow.rows.filter { $0.date == Self.today }.count == 2)
        #expect(try journal.events(kind: GatewaySignalHistory.dailyKind).count == 11)
    }

    @Test func theSignalsStartTheSameFromTheDailyEventsAsFromTheSnapshots() throws {
        try journalSnapshots(daysAgo: Array((1...40).reversed()))
        let configuration = try SignalConfiguration.parse(yaml: """
            roots:
              CL:
                weights: {rsi: 0.5, carry: 0.5}
            """, file: "test")
        let fromSnapshots = try load(configuration: configuration)
        let fromDaily = try load(configuration: configuration)
        #expect(fromSnapshots.snapshotDays == 40 && fromDaily.recordedDays == 40)
        var one = SignalSet(configuration: configuration)
        var other = SignalSet(configuration: configuration)
        let dayEnd = { (date: CalendarDate) in Int64(date.daysSinceEpoch + 1) * Self.day }
        #expect(one.backfill(fromSnapshots.rows, dayEnd: dayEnd) == 40)
        #expect(other.backfill(fromDaily.rows, dayEnd: dayEnd) == 40)
        let (a, b) = (try #require(one.engine("CL")), try #require(other.engine("CL")))
        #expect(a.score != nil && a.score == b.score && a.direction == b.direction && a.bars == b.bars)
    }

    @Test func theCSVsDaysComeFirstAndTheJournalOnlyAddsTheDaysAfterIt() throws {
        try journalSnapshots(daysAgo: Array((1...6).reversed()))
        // The CSV through four days ago, at prices the snapshots do not have.
        var rows: [DailySettlement] = []
        for daysAgo in (4...8).reversed() {
            let date = Self.today.adding(days: -daysAgo)
            let front = try #require(Self.reference.catalog(on: date).frontMonth(root: "CL"))
            rows.append(DailySettlement(date: date, instrument: front, settlement: FIXDecimal(mantissa: 9_000, scale: 2)))
        }
        let text = SettlementHistory.csv(rows, note: "hand-made")
        let history = try load(csv: (directory.path("history.csv"), text))
        #expect(history.csvDays == 5 && history.snapshotDays == 3)
        #expect(history.rows.filter { $0.date <= Self.today.adding(days: -4) }.allSatisfy { $0.settlement == FIXDecimal("90.00") })
        #expect(Set(history.rows.map(\.date)).count == 8)
        #expect(history.source.contains("history.csv (hand-made)") && history.source.contains("journal"), "\(history.source)")
        // Snapshots are read from the end of the CSV's last day on, not from the first.
        #expect(history.snapshotsRead == 3 * 24)
    }

    @Test func snapshotsBeyondTheReachAreNotRead() throws {
        try journalSnapshots(daysAgo: [GatewaySignalHistory.snapshotReach + 30, GatewaySignalHistory.snapshotReach + 1, 2])
        let history = try load()
        #expect(history.snapshotDays == 1 && history.snapshotsRead == 24)
        #expect(history.rows.allSatisfy { $0.date == Self.today.adding(days: -2) })
    }

    @Test func aDailyEventThatCannotBeReadStopsTheStartNamingItsRow() throws {
        try journal.writeAndWait([.event(kind: GatewaySignalHistory.dailyKind, time: Self.now,
                                         json: #"{"date":"2026-11-20","contracts":[{"symbol":"CLF7","settlement":"seventy"}]}"#)])
        let id = try #require(try journal.events(kind: GatewaySignalHistory.dailyKind).first?.id)
        #expect {
            try load()
        } throws: { error in
            guard case .record(let row, let kind, let message) = error as? GatewaySignalHistoryError else { return false }
            return row == id && kind == GatewaySignalHistory.dailyKind && message.contains("settlement 'seventy'")
        }
    }

    @Test func intradaySignalsReadNoHistoryButTheDaysAreStillKept() throws {
        try journalSnapshots(daysAgo: [1, 2])
        let history = try load(configuration: SignalConfiguration(interval: .oneMinute, roots: SignalConfiguration.standard.roots))
        #expect(history.rows.isEmpty && history.snapshotsRead == 48)
        // The days are still kept as daily events, should the signals run on daily bars later.
        #expect(try journal.events(kind: GatewaySignalHistory.dailyKind).count == 2)
    }
}
