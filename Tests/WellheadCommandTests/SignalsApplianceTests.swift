import ConsoleAccess
import FIXJournal
import Foundation
import Synchronization
import Testing
import TestSupport

/// The desk's signals through `wellhead serve`: QuickFIX's C++ engine (`Tests/Interop/qf_oms.cpp`)
/// as an OMS subscribes to `SIG.CL.COMPOSITE` like any symbol and hears its composite move as
/// the in-process simulated venue's market moves; each direction change is in the journal.
@Suite(.serialized) struct SignalsApplianceTests {
    /// One-minute bars and the curve's carry (a value from the first bar), the RSI on two
    /// changes (a value from the third bar). Any low entry takes a direction at once, so a
    /// direction change is journaled at the first bar.
    static let signals = """
        interval: 1m
        roots:
          CL:
            horizon: 5m
            thresholds: {entry: 0.01, exit: 0.005, minimumConfidence: 0}
            weights: {carry: 0.5, rsi: 0.5}
            indicators: {rsi: 2, macd: [2, 3, 2], atr: 2, bollinger: 2, momentum: 2}
        """

    static func appliance(signals: String = SignalsApplianceTests.signals, consolePort: Int? = nil) throws -> ServedProfile {
        try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
            let path = directory.path("signals.yaml")
            try signals.write(toFile: path, atomically: true, encoding: .utf8)
            var keys = "Signals=\(path)"
            if let consolePort {
                let usersPath = directory.path("console-users.txt")
                var users = UsersFile.empty(path: usersPath)
                try users.add(ConsoleUser(name: "tara", role: .trader, accounts: ["DESK1"],
                                          password: PasswordHash(hashing: ConsoleBrowserTests.password, cost: 4)))
                try users.save()
                keys += "\nConsolePort=\(consolePort)\nUsers=\(usersPath)"
            }
            return try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: QuickFIXOMSTests.limits, keys: keys)
        }
    }

    /// A snapshot (W) at once, then incremental refreshes (X) of the score as bars close and it
    /// moves. An X goes out only when the score changed: the second bar may leave it where the
    /// first put it (carry alone, from a curve that did not move that minute), and the third
    /// brings the RSI in, so two of them within three bars (the first bar may take a whole
    /// minute to close after the appliance starts, whatever the hour). An unknown signal is
    /// refused as an unknown symbol is.
    @Test func aQuickFIXClientSubscribesToTheCompositeAndHearsItMove() throws {
        let consolePort = freePort()
        let appliance = try Self.appliance(consolePort: consolePort)
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"), "\(appliance.server.output)")
        #expect(appliance.server.waitForOutput("console listening", timeout: 60), "\(appliance.server.output)")
        // A trader's Signals page in chromium, at the same time.
        let packages = try Selenium.packages.folder()
        let page = try BackgroundProcess("/usr/bin/env", ["python3", TestDictionaries.path("Tests/Interop/console_browser.py"), "signals",
                                                          "http://127.0.0.1:\(consolePort)", "tara", ConsoleBrowserTests.password],
                                         log: appliance.directory.path("browser-signals.log"), environment: ["PYTHONPATH": packages.path])
        let oms = try appliance.launch("""
            V SIG1 1 0 3 SIG.CL.COMPOSITE
            WAITMSG W 1 10
            V SIG2 1 0 3 SIG.ZZ.COMPOSITE
            WAITMSG Y 1 10
            WAITMSG X 2 210
            """)
        // Wellhead's own terminal view of the signals, as OMS2, at the same time.
        let watch = try BackgroundProcess(WellheadProcess.executable.path,
                                          ["signals", "watch", "--port", "\(appliance.port)", "--sender", "OMS2", "--root", "CL",
                                           "--signal", "CL.CARRY", "--signal", "SIG.CL.CURVE", "--seconds", "150", "--updates", "2"],
                                          log: appliance.directory.path("signals-watch.log"))
        let status = oms.wait(timeout: 240)
        let output = oms.output
        #expect(status == 0, "\(output)\n\(appliance.server.output.suffix(2000))")
        let lines = output.split(separator: "\n").map(String.init)
        let snapshot = try #require(lines.first { $0.hasPrefix("RECV 35=W") && $0.contains("262=SIG1") }, "\(output)")
        #expect(snapshot.contains("55=SIG.CL.COMPOSITE"), "\(snapshot)")
        #expect(lines.contains { $0.hasPrefix("RECV 35=Y 262=SIG2 281=0") }, "\(output)")
        let updates = lines.filter { $0.hasPrefix("RECV 35=X 262=SIG1") }
        #expect(updates.count >= 2, "\(output)")
        for update in updates {
            // One Index Value entry: the score at four decimals.
            let entry = try #require(update.range(of: "[").map { String(update[$0.lowerBound...]) }, "\(update)")
            #expect(entry.contains("269=3") && entry.contains("55=SIG.CL.COMPOSITE"), "\(update)")
            let px = try #require(entry.split(separator: " ").first { $0.hasPrefix("270=") }, "\(update)")
            let value = try #require(Double(px.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "]"))), "\(update)")
            #expect((-1...1).contains(value), "\(update)")
            #expect(px.split(separator: ".").last?.trimmingCharacters(in: CharacterSet(charactersIn: "]")).count == 4, "\(update)")
        }

        #expect(watch.wait(timeout: 180) == 0, "\(watch.output)")
        // The console shows the composite, its horizon and last bar, and what it is made of.
        #expect(page.wait(timeout: 180) == 0, "\(page.output)")
        let pageSteps = ConsoleBrowserTests.Console.steps(in: page.output)
        let composite = try #require(pageSteps["composite"], "\(page.output)")
        #expect(composite.hasPrefix("CL | ") && composite.contains(" | 5m | "), "\(composite)")
        #expect(["LONG", "SHORT", "NEUTRAL"].contains { composite.contains(" | \($0) | ") }, "\(composite)")
        #expect(pageSteps["contributors"]?.contains("CL carry 0.50") == true && pageSteps["contributors"]?.contains("CL rsi 0.50") == true,
                "\(pageSteps)")
        // Each contributor's own view beside its value, and the curve's shape and the spreads' states.
        #expect(["LONG", "SHORT", "NEUTRAL"].contains { pageSteps["contributors"]?.contains(" \($0) ") == true }, "\(pageSteps)")
        let states = try #require(pageSteps["states"], "\(page.output)")
        #expect(states.contains("CL curve") && states.contains("roll yield, % a year"), "\(states)")
        #expect(["CONTANGO", "BACKWARDATION", "FLAT"].contains { states.contains("CL curve \($0) ") }, "\(states)")
        #expect(states.contains("3-2-1 crack") && states.contains("Brent-WTI") && states.contains("z-score (enter 2.0, exit 0.5)"), "\(states)")
        let shown = watch.output.split(separator: "\n").filter { $0.hasPrefix("SIG.CL.COMPOSITE value ") }
        #expect(!shown.isEmpty, "\(watch.output)")
        for line in shown {
            #expect(line.contains(" direction=") && line.contains(" confidence="), "\(line)")
        }
        // The composite's carry and the curve are instruments of their own.
        let watched = watch.output.split(separator: "\n")
        #expect(watched.contains { $0.contains("SIG.CL.CARRY value ") && $0.hasSuffix(" weight=0.5000") }, "\(watch.output)")
        #expect(watched.contains { $0.contains("SIG.CL.CURVE value ") && $0.contains(" shape=") }, "\(watch.output)")

        // The direction the desk was shown is in the journal.
        let journalPath = appliance.directory.path("gateway.sqlite")
        var changes: [(id: Int64, kind: String, time: Int64, json: String)] = []
        #expect(waitForJournal(journalPath, timeout: 20) { journal in
            changes = try journal.events(kind: "signal.direction")
            return !changes.isEmpty
        }, "no signal.direction event: \(appliance.server.output.suffix(2000))")
        for change in changes {
            for key in ["\"root\":\"CL\"", "\"symbol\":\"SIG.CL.COMPOSITE\"", "\"previous\":\"", "\"direction\":\"", "\"score\":\"",
                        "\"confidence\":\"", "\"frontPrice\":\"", "\"frontMonth\":\"", "\"time\":\""] {
                #expect(change.json.contains(key), "\(key) in \(change.json)")
            }
        }
        // So is the curve's shape the console and SIG.CL.CURVE showed.
        var curves: [(id: Int64, kind: String, time: Int64, json: String)] = []
        #expect(waitForJournal(journalPath, timeout: 20) { journal in
            curves = try journal.events(kind: "signal.curve")
            return curves.contains { $0.json.contains("\"symbol\":\"SIG.CL.CURVE\"") && $0.json.contains("\"shape\":\"") }
        }, "no signal.curve event: \(curves)")

        // SIGHUP reloads the file: a broken one is refused and the signals in force stay; a
        // good one takes over.
        let signalsPath = appliance.directory.path("signals.yaml")
        try "roots:\n  CL:\n    weights: {carry: 2}\n".write(toFile: signalsPath, atomically: true, encoding: .utf8)
        appliance.server.signal(SIGHUP)
        #expect(appliance.server.waitForOutput("signals not reloaded", timeout: 5), "\(appliance.server.output.suffix(2000))")
        #expect(appliance.server.output.contains("roots.CL.weights.carry"), "\(appliance.server.output.suffix(2000))")
        try Self.signals.write(toFile: signalsPath, atomically: true, encoding: .utf8)
        appliance.server.signal(SIGHUP)
        #expect(appliance.server.waitForOutput("signals reloaded", timeout: 5), "\(appliance.server.output.suffix(2000))")
    }

    /// The signals start warm: a daily history (`SignalHistory=`, written by `wellhead signals
    /// sample`) and the journal's market-data snapshots of the days after it are read at start,
    /// so the composite has a value in the first snapshot a QuickFIX client is sent, weeks
    /// before the live bars alone would give one. Those days are journaled as daily events, which
    /// the next start reads instead of the snapshots.
    @Test func aDailyHistoryAndTheJournalsSnapshotsWarmTheSignalsUpAtStart() throws {
        let day: TimeInterval = 86_400
        let now = Date()
        let iso = { (date: Date) in String(ISO8601DateFormatter().string(from: date).prefix(10)) }
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let historyPath = folder.path("history.csv")
        let sample = try WellheadProcess.run(["signals", "sample", "--from", iso(now - 200 * day), "--to", iso(now - 3 * day),
                                              "--seed", "3", "--output", historyPath])
        #expect(sample.status == 0 && sample.standardOutput.contains("(simulated, seed 3)"), "\(sample.standardError)")
        let appliance = try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
            // Two days after the file, as a gateway journals its market: snapshots of the CL front month.
            let journal = try Journal(path: directory.path("gateway.sqlite"))
            var events: [JournalEntry] = []
            for (daysAgo, prices) in [(2.0, ["70.10", "71.40", "69.80"]), (1.0, ["70.60", "70.90"])] {
                let date = now - daysAgo * day
                let symbol = try #require(Listing.catalog(on: date).frontMonth(root: "CL")?.symbol)
                for (index, price) in prices.enumerated() {
                    let time = Int64((date.timeIntervalSince1970.rounded(.down) / day).rounded(.down) * day * 1e9) + Int64(index + 10) * 3_600_000_000_000
                    events.append(.event(kind: "marketdata.snapshot", time: time, json: """
                        {"time":\(time),"instruments":[{"symbol":"\(symbol)","venue":"SIM","mark":"\(price)","time":\(time)}]}
                        """))
                }
            }
            let written = DispatchSemaphore(value: 0)
            let failure = Mutex<JournalError?>(nil)
            journal.write(events) { error in
                failure.withLock { $0 = error }
                written.signal()
            }
            written.wait()
            journal.close()
            if let error = failure.withLock({ $0 }) { throw error }
            return try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: QuickFIXOMSTests.limits,
                                                        keys: "SignalHistory=\(historyPath)")
        }
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"), "\(appliance.server.output)")
        #expect(appliance.server.output.contains("signal history read") && appliance.server.output.contains("fromJournal=2"),
                "\(appliance.server.output)")
        let oms = try appliance.run("""
            V SIGH 1 0 3 SIG.CL.COMPOSITE
            WAITMSG W 1 10
            """)
        #expect(oms.status == 0, "\(oms.output)")
        let snapshot = try #require(oms.output.split(separator: "\n").first { $0.hasPrefix("RECV 35=W") && $0.contains("262=SIGH") }, "\(oms.output)")
        #expect(snapshot.contains("269=3") && snapshot.contains("270="), "the composite has a value at once: \(snapshot)")

        // The two days read from snapshots were journaled as daily events: the next start reads
        // those, and none of the snapshots before them.
        appliance.server.signal(SIGTERM)
        #expect(appliance.server.wait(timeout: 10) == 0, "\(appliance.server.output.suffix(2000))")
        let again = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", appliance.config],
                                          log: appliance.directory.path("serve-again.log"))
        defer {
            again.signal(SIGTERM)
            _ = again.wait(timeout: 10)
        }
        #expect(again.waitForOutput("accepting connections"), "\(again.output)")
        let read = try #require(again.output.split(separator: "\n").first { $0.contains("signal history read") }, "\(again.output)")
        #expect(read.contains("fromJournal=2") && read.contains("fromSnapshots=0") && read.contains("snapshotsRead=0"), "\(read)")
    }

    /// A signals file that does not parse stops the appliance with the profile's key, the file
    /// and the bad key in the error.
    @Test func aBadSignalsFileIsAnErrorNamingTheFileAndKey() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("bad-signals.yaml")
        try "roots:\n  CL:\n    weights: {rsi: high}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let config = try WellheadProfiles.gatewayAcceptor(in: directory, port: freePort(), keys: "Signals=\(path)")
        let result = try WellheadProcess.run(["serve", "--config", config])
        #expect(result.status != 0)
        #expect(result.standardError.contains("Signals"), "\(result.standardError)")
        #expect(result.standardError.contains("\(path): roots.CL.weights.rsi: must be a number between 0 and 1"), "\(result.standardError)")
    }
}
