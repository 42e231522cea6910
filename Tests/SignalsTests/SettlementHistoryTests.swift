import FIXCodec
import Instruments
import MarketData
import SimulatedVenue
import Testing
@testable import Signals

/// The daily history the signals start from: the CSV `SignalHistory=` names, prices from a
/// journal's snapshots, and the backfill that turns days into bars, curves and spreads.
@Suite struct SettlementHistoryTests {
    static let reference = InstrumentReference.standard
    static let start = CalendarDate(iso: "2025-03-03")!

    static func instrument(_ date: CalendarDate, _ symbol: String) -> Instrument? {
        reference.catalog(on: date).instrument(symbol: symbol)
    }

    static var front: String { reference.catalog(on: start).frontMonth(root: "CL")!.symbol }

    @Test func aHistoryFileIsReadByItsHeadersNames() throws {
        let csv = """
            symbol,settlement,date,high,low
            \(Self.front),71.25,2025-03-03,72.00,70.10
            # a comment

            \(Self.front),70.90,2025-03-04,,
            """
        let rows = try SettlementHistory.parse(csv: csv, file: "h.csv", instrument: Self.instrument)
        #expect(rows.count == 2)
        #expect(rows[0].settlement == FIXDecimal("71.25")! && rows[0].high == FIXDecimal("72.00")! && rows[0].open == nil)
        #expect(rows[1].date == CalendarDate(iso: "2025-03-04")! && rows[1].high == nil)
        #expect(rows[0].instrument.root == "CL")
        // Written and read again, the same rows.
        let again = try SettlementHistory.parse(csv: SettlementHistory.csv(rows), file: "again.csv", instrument: Self.instrument)
        #expect(again == rows)
    }

    @Test func aBadLineIsAnErrorNamingTheFileAndLine() {
        let cases: [(String, String)] = [
            ("date,symbol\n", "h.csv:1: the header has no 'settlement' column"),
            ("date,symbol,settlement\n2025-13-01,\(Self.front),70\n", "h.csv:2: date '2025-13-01' is not YYYY-MM-DD"),
            ("date,symbol,settlement\n2025-03-03,ZZF5,70\n", "h.csv:2: ZZF5 is not a futures contract listed on 2025-03-03"),
            ("date,symbol,settlement\n2025-03-03,\(Self.front),seventy\n", "h.csv:2: settlement 'seventy' is not a decimal"),
            ("date,symbol,settlement,high,low\n2025-03-03,\(Self.front),70,69,71\n", "h.csv:2: high 69 is below low 71"),
            ("", "h.csv:1: empty"),
        ]
        for (text, expected) in cases {
            #expect(throws: SettlementHistoryError.self) { try SettlementHistory.parse(csv: text, file: "h.csv", instrument: Self.instrument) }
            do {
                _ = try SettlementHistory.parse(csv: text, file: "h.csv", instrument: Self.instrument)
            } catch {
                #expect(error.description.hasPrefix(expected), "\(error.description)")
            }
        }
    }

    /// Marks through each day become a day's open, high, low and last.
    @Test func marksThroughTheDayBecomeADailyBar() {
        let dayStart = Int64(Self.start.daysSinceEpoch) * 86_400_000_000_000
        let hour: Int64 = 3_600_000_000_000
        let marks: [(time: Int64, symbol: String, price: FIXDecimal)] = [
            (dayStart + hour, Self.front, FIXDecimal("70.00")!), (dayStart + 2 * hour, Self.front, FIXDecimal("71.50")!),
            (dayStart + 3 * hour, Self.front, FIXDecimal("69.75")!), (dayStart + 4 * hour, Self.front, FIXDecimal("70.25")!),
            (dayStart + 5 * hour, "NOT.LISTED", FIXDecimal("1")!),
        ]
        let days = SettlementHistory.daily(fromMarks: marks, tradingDate: { CalendarDate(daysSinceEpoch: Int($0 / 86_400_000_000_000)) },
                                           instrument: Self.instrument)
        #expect(days.count == 1)
        #expect(days.first.map { ($0.open, $0.high, $0.low, $0.settlement) } ?? (nil, nil, nil, .zero)
                == (FIXDecimal("70.00")!, FIXDecimal("71.50")!, FIXDecimal("69.75")!, FIXDecimal("70.25")!))
    }

    /// The venue simulator's process over a year of days, read into the standard (daily)
    /// configuration: every root has its bars, a composite and a record of direction changes.
    @Test func aYearOfDailyHistoryWarmsEveryRootsSignalsUp() throws {
        let rows = try Self.simulatedYear()
        var set = SignalSet(configuration: .standard)
        let days = set.backfill(rows) { Int64($0.daysSinceEpoch + 1) * 86_400_000_000_000 }
        #expect(days == Set(rows.map(\.date)).count)
        for engine in set.engines {
            #expect(engine.bars == days, "\(engine.root)")
            #expect(engine.score != nil, "\(engine.root) has a composite")
            #expect(engine.contributors.filter { $0.weight != 0 }.allSatisfy { $0.value != nil }, "\(engine.root): \(engine.contributors)")
        }
        // Views were taken and measured over the year: the desk sees a record from the start.
        #expect(set.engines.map { $0.record.signals }.reduce(0, +) > 0, "\(set.engines.map { ($0.root, $0.record.signals) })")
        // An intraday configuration reads none of it.
        var intraday = SignalSet(configuration: SignalConfiguration(interval: .oneMinute, roots: SignalConfiguration.standard.roots))
        #expect(intraday.backfill(rows) { Int64($0.daysSinceEpoch + 1) * 86_400_000_000_000 } == 0)
    }

    /// Weekdays of a year from the simulator's curves, sampled at the close.
    static func simulatedYear() throws -> [DailySettlement] {
        var settings = SimulationSettings.standard
        settings.maxQuotedStepsPerAdvance = 1
        let day: Int64 = 86_400_000_000_000
        var venue = try SimulatedVenue(catalog: reference.catalog(on: start), seed: 7, settings: settings,
                                       startTime: Int64(start.daysSinceEpoch) * day)
        var rows: [DailySettlement] = []
        for offset in 0..<365 {
            let date = CalendarDate(daysSinceEpoch: start.daysSinceEpoch + offset)
            guard (date.daysSinceEpoch + 4) % 7 != 0, (date.daysSinceEpoch + 4) % 7 != 6 else { continue }
            let catalog = reference.catalog(on: date)
            venue.advance(to: Int64(date.daysSinceEpoch) * day + 22 * 3_600_000_000_000)
            venue.relist(catalog)
            for future in catalog.instruments where future.kind == .future {
                if let price = venue.fairPrice(symbol: future.symbol) { rows.append(DailySettlement(date: date, instrument: future, settlement: price)) }
            }
        }
        return rows
    }
}
