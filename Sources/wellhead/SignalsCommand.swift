import ArgumentParser
import FIXCodec
import Foundation
import Instruments
import Signals
import SimulatedVenue

/// `wellhead signals watch`: the desk's composite signals in a terminal, read as any FIX
/// market-data client reads them: a subscription to `SIG.<ROOT>.COMPOSITE` through the gateway,
/// each update printed with its score, direction and confidence.
struct SignalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signals",
        abstract: "Watch the desk's composite signals over FIX, or write a sample history for them.",
        subcommands: [Watch.self, Sample.self]
    )

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Subscribe to each root's composite signal (SIG.<ROOT>.COMPOSITE) and print it as it moves.",
            discussion: """
                Every signal is an instrument of its own: --signal names more, with or without \
                the SIG. prefix: a root's contributors (CL.RSI, CL.CARRY, HO.CRACK211 … as its \
                composite weighs them), its curve (CL.CURVE: roll yield and shape) and the desk's \
                spreads (CRACK321.ZSCORE, CRACK211.ZSCORE, BRENTWTI.ZSCORE: z-score and state).
                """)

        @Option(help: "Gateway host.") var host = "127.0.0.1"
        @Option(help: "Gateway port.") var port = 9878
        @Option(help: "Our SenderCompID (an OMS session of the gateway's).") var sender = "OMS1"
        @Option(help: "The gateway's CompID.") var target = "WELLHEAD"
        @Option(name: .customLong("root"), help: "A root to watch (repeat for more); CL, BZ, RB and HO if none.") var roots: [String] = []
        @Option(name: .customLong("signal"), help: "Another signal to watch (repeat for more): CL.CARRY, CL.CURVE, CRACK321.ZSCORE …")
        var signals: [String] = []
        @Option(help: "Seconds to watch before logging out.") var seconds = 60.0
        @Option(help: "Log out once this many updates came, if before --seconds.") var updates: Int?

        func run() async throws {
            var arguments = ["--host", host, "--port", "\(port)", "--sender", sender, "--target", target, "--seconds", "\(seconds)",
                             "--depth", "1"]
            let composites = roots.isEmpty && !signals.isEmpty ? [] : roots.isEmpty ? ["CL", "BZ", "RB", "HO"] : roots
            for root in composites { arguments += ["--symbol", "SIG.\(root.uppercased()).COMPOSITE"] }
            for signal in signals {
                let name = signal.uppercased()
                arguments += ["--symbol", name.hasPrefix("SIG.") ? name : "SIG." + name]
            }
            if let updates { arguments += ["--values", "\(updates)"] }
            var watch = try MarketDataWatch.parse(arguments)
            try await watch.run()
        }
    }

    /// A made-up history for the demo: daily open, high, low and settlement of the listed CL,
    /// BZ, RB and HO months, from the venue simulator's own price process (its random-walk
    /// curves, stepped a trading day at a time, sampled four times a day, and pulled back a
    /// little each day towards the simulator's starting prices so years of it stay in oil's
    /// range; each root then moved so it ends at the simulator's starting price), in the CSV
    /// the profile's `SignalHistory=` reads. Simulated prices, not the market's: say so where
    /// shown. `sessions/demo-signal-history.csv` is one.
    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a simulated multi-year daily history (SignalHistory= CSV) from the venue simulator's price process.")

        @Option(help: "First trading day, YYYY-MM-DD (three years before --to if left out).") var from: String?
        @Option(help: "Last trading day, YYYY-MM-DD (yesterday if left out).") var to: String?
        @Option(help: "The simulator's seed: the same seed writes the same history.") var seed: UInt64 = 1
        @Option(help: "Where to write the CSV (standard output if left out).") var output: String?
        @Option(help: "The instrument reference file (the standard listing if left out).") var instruments: String?
        @Option(help: "Only the first N listed months of each root (all if left out); the signals read the first three.")
        var months: Int?

        func run() async throws {
            let today = CalendarDate(daysSinceEpoch: Int(Date().timeIntervalSince1970 / 86_400))
            guard let last = to.map({ CalendarDate(iso: $0) }) ?? CalendarDate(daysSinceEpoch: today.daysSinceEpoch - 1) else {
                throw ValidationError("--to is YYYY-MM-DD, not '\(to ?? "")'")
            }
            guard let first = from.map({ CalendarDate(iso: $0) }) ?? CalendarDate(daysSinceEpoch: last.daysSinceEpoch - 3 * 365) else {
                throw ValidationError("--from is YYYY-MM-DD, not '\(from ?? "")'")
            }
            guard first <= last else { throw ValidationError("--from \(first) is after --to \(last)") }
            if let months, months < 1 { throw ValidationError("--months is at least 1, not \(months)") }
            let reference = try InstrumentReferenceLoader.loadForCommand(instruments)
            let rows = try SampleHistory.make(reference: reference, from: first, through: last, seed: seed, months: months)
            let text = SettlementHistory.csv(rows, note: "simulated by wellhead signals sample (the venue simulator's price process, seed \(seed)): not market prices")
            if let output {
                try text.write(toFile: output, atomically: true, encoding: .utf8)
                print("wrote \(rows.count) daily prices of \(Set(rows.map(\.instrument.symbol)).count) contracts, \(first) to \(last), to \(output) (simulated, seed \(seed))")
            } else {
                print(text, terminator: "")
            }
        }
    }
}

/// The venue simulator's price process run over many days, for ``SignalsCommand/Sample``.
enum SampleHistory {
    static let day: Int64 = 86_400_000_000_000
    /// The share of the gap between a root's front month and the simulator's starting price
    /// closed at the end of each trading day: a half-life of about 34 trading days. The
    /// simulator's arithmetic random walk alone (35 % a year of $70 for CL) wanders ±$42 over
    /// three years, to $12 crude in one seed; pulled back, CL keeps a standard deviation of
    /// about $8 around $70.
    static let dailyReversion = FIXDecimal(mantissa: 2, scale: 2)

    /// - Parameter months: only the first `months` listed months of each root (`nil`: all).
    static func make(reference: InstrumentReference, from first: CalendarDate, through last: CalendarDate, seed: UInt64,
                     months: Int? = nil) throws -> [DailySettlement] {
        // The same process, but the hours between two looks taken as one draw (the sum of the
        // steps' moves) rather than step by step with the books requoted at each.
        var settings = SimulationSettings.standard
        settings.maxQuotedStepsPerAdvance = 1
        // Fair prices only: no market maker's books to requote at each look.
        settings.spreadMarketMaker.levels = 0
        for root in settings.roots.keys { settings.roots[root]?.marketMaker.levels = 0 }
        var venue = try SimulatedVenue(catalog: reference.catalog(on: first), seed: seed, settings: settings,
                                       startTime: Int64(first.daysSinceEpoch) * day)
        var rows: [DailySettlement] = []
        var date = first
        while date <= last {
            let weekday = (date.daysSinceEpoch + 4) % 7 // 1970-01-01 was a Thursday: 0 is Sunday
            if weekday != 0 && weekday != 6 {
                let catalog = reference.catalog(on: date)
                venue.advance(to: Int64(date.daysSinceEpoch) * day)
                venue.relist(catalog)
                let futures = catalog.roots.flatMap { root in catalog.futures(root: root).prefix(months ?? .max) }
                var samples: [String: [FIXDecimal]] = [:]
                // Four looks a day: the open, two in the session, the settlement.
                for hour in [1, 8, 15, 22] {
                    venue.advance(to: Int64(date.daysSinceEpoch) * day + Int64(hour) * 3_600_000_000_000)
                    for future in futures {
                        if let price = venue.fairPrice(symbol: future.symbol) { samples[future.symbol, default: []].append(price) }
                    }
                }
                for future in futures {
                    guard let prices = samples[future.symbol], let open = prices.first, let settle = prices.last else { continue }
                    rows.append(DailySettlement(date: date, instrument: future, open: open, high: prices.max(), low: prices.min(),
                                                settlement: settle))
                }
                // The pull back towards where the simulator starts, after the day's settlement.
                for root in catalog.roots {
                    guard let start = settings.roots[root]?.frontPrice, let front = catalog.frontMonth(root: root),
                          let price = venue.fairPrice(symbol: front.symbol) else { continue }
                    try venue.shock(root: root, by: (start - price) * dailyReversion)
                }
            }
            date = CalendarDate(daysSinceEpoch: date.daysSinceEpoch + 1)
        }
        return endingWhereTheSimulatorStarts(rows, settings: settings)
    }

    /// Each root's history moved by one amount, so its front month's last settlement is the
    /// simulator's starting price: the in-process venue's live market carries on from it, with
    /// no jump between the history's last day and the first live bar. (The walk is arithmetic,
    /// so a path moved by a constant is as likely as the path itself.)
    static func endingWhereTheSimulatorStarts(_ rows: [DailySettlement], settings: SimulationSettings) -> [DailySettlement] {
        var shift: [String: FIXDecimal] = [:]
        guard let lastDay = rows.last?.date else { return rows }
        for row in rows where row.date == lastDay && shift[row.instrument.root] == nil {
            // The first of a root's rows on a day is its front month (`futures(root:)` order).
            guard let start = settings.roots[row.instrument.root]?.frontPrice else { continue }
            shift[row.instrument.root] = start - row.settlement
        }
        return rows.map { row in
            guard let amount = shift[row.instrument.root] else { return row }
            var moved = row
            moved.open = row.open.map { $0 + amount }
            moved.high = row.high.map { $0 + amount }
            moved.low = row.low.map { $0 + amount }
            moved.settlement = row.settlement + amount
            return moved
        }
    }
}
