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
            abstract: "Subscribe to each root's composite signal (SIG.<ROOT>.COMPOSITE) and print it as it moves.")

        @Option(help: "Gateway host.") var host = "127.0.0.1"
        @Option(help: "Gateway port.") var port = 9878
        @Option(help: "Our SenderCompID (an OMS session of the gateway's).") var sender = "OMS1"
        @Option(help: "The gateway's CompID.") var target = "WELLHEAD"
        @Option(name: .customLong("root"), help: "A root to watch (repeat for more); CL, BZ, RB and HO if none.") var roots: [String] = []
        @Option(help: "Seconds to watch before logging out.") var seconds = 60.0
        @Option(help: "Log out once this many updates came, if before --seconds.") var updates: Int?

        func run() async throws {
            var arguments = ["--host", host, "--port", "\(port)", "--sender", sender, "--target", target, "--seconds", "\(seconds)",
                             "--depth", "1"]
            for root in roots.isEmpty ? ["CL", "BZ", "RB", "HO"] : roots { arguments += ["--symbol", "SIG.\(root.uppercased()).COMPOSITE"] }
            if let updates { arguments += ["--values", "\(updates)"] }
            var watch = try MarketDataWatch.parse(arguments)
            try await watch.run()
        }
    }

    /// A made-up history for the demo: daily open, high, low and settlement of every listed CL,
    /// BZ, RB and HO month, from the venue simulator's own price process (its random-walk
    /// curves, stepped a trading day at a time, sampled four times a day), in the CSV the
    /// profile's `SignalHistory=` reads. Simulated prices, not the market's: say so where shown.
    struct Sample: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a simulated multi-year daily history (SignalHistory= CSV) from the venue simulator's price process.")

        @Option(help: "First trading day, YYYY-MM-DD (three years before --to if left out).") var from: String?
        @Option(help: "Last trading day, YYYY-MM-DD (yesterday if left out).") var to: String?
        @Option(help: "The simulator's seed: the same seed writes the same history.") var seed: UInt64 = 1
        @Option(help: "Where to write the CSV (standard output if left out).") var output: String?
        @Option(help: "The instrument reference file (the standard listing if left out).") var instruments: String?

        func run() async throws {
            let today = CalendarDate(daysSinceEpoch: Int(Date().timeIntervalSince1970 / 86_400))
            guard let last = to.map({ CalendarDate(iso: $0) }) ?? CalendarDate(daysSinceEpoch: today.daysSinceEpoch - 1) else {
                throw ValidationError("--to is YYYY-MM-DD, not '\(to ?? "")'")
            }
            guard let first = from.map({ CalendarDate(iso: $0) }) ?? CalendarDate(daysSinceEpoch: last.daysSinceEpoch - 3 * 365) else {
                throw ValidationError("--from is YYYY-MM-DD, not '\(from ?? "")'")
            }
            guard first <= last else { throw ValidationError("--from \(first) is after --to \(last)") }
            let reference = try InstrumentReferenceLoader.loadForCommand(instruments)
            let rows = try SampleHistory.make(reference: reference, from: first, through: last, seed: seed)
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

    static func make(reference: InstrumentReference, from first: CalendarDate, through last: CalendarDate, seed: UInt64) throws
        -> [DailySettlement] {
        // The same process, but the hours between two looks taken as one draw (the sum of the
        // steps' moves) rather than step by step with the books requoted at each.
        var settings = SimulationSettings.standard
        settings.maxQuotedStepsPerAdvance = 1
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
                let futures = catalog.instruments.filter { $0.kind == .future }
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
            }
            date = CalendarDate(daysSinceEpoch: date.daysSinceEpoch + 1)
        }
        return rows
    }
}
