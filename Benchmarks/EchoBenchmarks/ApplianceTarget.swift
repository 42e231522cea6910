import FIXCodec
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Knobs of the appliance benchmarks, read from the environment like ``EchoSettings``.
enum ApplianceSettings {
    /// The contract month to trade (`APPLIANCE_BENCH_SYMBOL`, e.g. `CLF7`). Without it the
    /// benchmark finds the CL front month itself (see ``ApplianceTarget/candidateSymbols(on:)``).
    static var symbol: String? {
        ProcessInfo.processInfo.environment["APPLIANCE_BENCH_SYMBOL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Resting orders the order-to-New benchmark lets accumulate before it cancels them all
    /// with one OrderMassCancelRequest, outside the timed region (`APPLIANCE_BENCH_CANCEL_EVERY`,
    /// default 100; 0 never cancels, so every order of the run stays working).
    static var cancelEvery: Int {
        ProcessInfo.processInfo.environment["APPLIANCE_BENCH_CANCEL_EVERY"].flatMap(Int.init).map { max(0, $0) } ?? 100
    }

    /// The nice value the benchmark's thread takes before it starts the appliance (which
    /// inherits it) and before each timed order (`APPLIANCE_BENCH_NICE`, e.g. -20; unset:
    /// unchanged). `nice -n -20 swift package benchmark` does not reach the benchmark: the
    /// package plugin that starts it runs at the default priority, and so do its children.
    static var nice: Int32? {
        ProcessInfo.processInfo.environment["APPLIANCE_BENCH_NICE"].flatMap { Int32($0) }
    }

    /// Sets the calling thread's nice value to ``nice``, when set (Linux: per thread).
    static func applyNice() {
        guard let nice else { return }
        #if canImport(Glibc)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
        #endif
    }

    /// Sets ``nice`` on every thread of `process` that runs at the default priority or above
    /// (the Swift runtime's pool threads are started at a fixed priority whatever their
    /// creator's): the threads a process lowered on purpose (the journal's, the console's) stay
    /// lowered. Linux only; nothing elsewhere.
    static func applyNice(toThreadsOf process: Int32) {
        guard let nice else { return }
        #if canImport(Glibc)
        let tasks = "/proc/\(process)/task"
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: tasks) else { return }
        for thread in threads.compactMap(id_t.init) {
            errno = 0
            let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread)
            guard errno == 0, current <= 0 else { continue }
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, nice)
        }
        #endif
    }
}

/// A wellhead build the order-path benchmarks measure, and the name it has in the results.
struct ApplianceSubject: Sendable {
    /// "Wellhead appliance" (this tree's build) or "Wellhead baseline".
    let label: String
    /// nil: ``EchoPaths/wellhead`` (`WELLHEAD_BINARY` or the release build).
    let executable: String?
    /// Live console pages watching while the orders flow (the admin console on, a risk
    /// manager's WebSockets on `/live`); 0 for none, and no console.
    var consoleWatchers = 0

    /// This tree's build with 50 console pages watching (`APPLIANCE_BENCH_WATCHERS` to change
    /// how many): against "Wellhead appliance" in the same run, what watching costs the orders.
    static var watched: ApplianceSubject {
        let count = ProcessInfo.processInfo.environment["APPLIANCE_BENCH_WATCHERS"].flatMap(Int.init) ?? 50
        return ApplianceSubject(label: "Wellhead appliance, \(count) console watchers", executable: nil, consoleWatchers: count)
    }

    /// This tree's build, then the baseline's when `WELLHEAD_BASELINE_BINARY` names one: the
    /// same benchmarks registered for each, so one run measures before and after.
    static var all: [ApplianceSubject] {
        [ApplianceSubject(label: "Wellhead appliance", executable: nil)]
            + (EchoPaths.wellheadBaseline.map { [ApplianceSubject(label: "Wellhead baseline", executable: $0)] } ?? [])
    }
}

/// The Wellhead appliance (`wellhead serve` with `Application=gateway`: the order gateway,
/// the risk sidecar inline, the simulated venue and the SQLite journal) and one OMS session
/// connected to it, for one benchmark: started by the benchmark's setup, stopped by its
/// teardown. Each benchmark runs in a process of its own, so each gets a fresh appliance with
/// an empty journal and a freshly seeded market.
final class ApplianceTarget: @unchecked Sendable {
    // @unchecked: setup, the iterations and teardown run one after another, never together.
    /// Which wellhead build serves: ``EchoPaths/wellhead`` or the baseline's.
    let subject: ApplianceSubject
    private var server: ServerProcess?
    private var client: ApplianceClient?
    private var watchers: ConsoleWatchers?
    /// The contract month every order names: the CL front month listed today.
    private(set) var symbol = ""
    /// The price of the probe fill ``start(probeFill:)`` made, when asked to: where the market is.
    private(set) var probeFillPrice: FIXDecimal?

    init(_ subject: ApplianceSubject) {
        self.subject = subject
    }

    /// The connected, logged-on client, which has already had one order acknowledged and
    /// checked field by field.
    func connectedClient() throws -> ApplianceClient {
        guard let client else { throw EchoFailure("appliance: not started (the benchmark setup did not run)") }
        return client
    }

    /// Starts the appliance, connects, logs on, finds the contract month to trade (checking
    /// one resting order's New report field by field, then cancelling it) and, with
    /// `probeFill`, buys one lot at market to learn where the market is.
    func start(probeFill: Bool) throws {
        ApplianceSettings.applyNice()
        try ServerProcess.settingUp(failure: "appliance check failed", server: { server }, lastCharacters: 4_000,
                                    tearDown: stop) {
            let consolePort = freeLoopbackPort()
            let subject = self.subject
            let (server, port) = try ServerProcess.wellhead(name: "wellhead (\(subject.label))",
                                                            folderName: "wellhead-appliance-bench-\(getpid())",
                                                            executable: subject.executable) { directory in
                var profile = try Self.profile(in: directory)
                guard subject.consoleWatchers > 0 else { return profile }
                let users = directory + "/console-users.txt"
                try ConsoleWatchers.writeUsers(at: users, executable: subject.executable ?? EchoPaths.wellhead)
                profile.applicationKeys += ["ConsolePort=\(consolePort)", "Users=\(users)"]
                return profile
            }
            self.server = server
            if subject.consoleWatchers > 0 {
                watchers = try ConsoleWatchers(port: consolePort, count: subject.consoleWatchers)
            }
            let client = try ApplianceClient(port: port)
            self.client = client
            try client.logOn()
            let candidates = ApplianceSettings.symbol.map { [$0] } ?? Self.candidateSymbols(on: Date())
            symbol = try Self.findListedSymbol(candidates, client: client)
            // The appliance and this process at the priority asked for, now that their threads run.
            ApplianceSettings.applyNice(toThreadsOf: server.processIdentifier)
            ApplianceSettings.applyNice(toThreadsOf: getpid())
            if probeFill {
                let id = try client.send(ApplianceClient.Order(symbol: symbol, buy: true, quantity: 1, kind: .market,
                                                               timeInForce: .immediateOrCancel))
                guard case .filled(let price) = try client.awaitFill(clOrdID: id) else {
                    throw EchoFailure("the probe market order for 1 \(symbol) was not filled: the simulated venue has no offers")
                }
                probeFillPrice = price
            }
        }
    }

    /// Logs out, stops the appliance and removes its folder (journal, profile, limits, log).
    func stop() {
        if let watchers {
            FileHandle.standardError.write(Data("console watchers (\(subject.consoleWatchers)): \(watchers.stop())\n".utf8))
        }
        watchers = nil
        client?.logOut()
        client = nil
        server?.stopAndRemoveFolder()
        server = nil
    }

    // MARK: - The contract month

    /// The CL months that can be the front month on `date`, nearest first: the next three
    /// calendar months (CL's front month is the next month until about the 20th, when it
    /// expires, then the one after). The appliance's own listing decides which is traded:
    /// ``findListedSymbol(_:client:)`` asks it.
    ///
    /// Why not compute it with `Instruments` (as ApplianceTests' `frontMonth(on:)` does): this
    /// target shares EchoBenchmarks' dependencies (FIXCodec only), and asking the appliance
    /// cannot disagree with the appliance. `APPLIANCE_BENCH_SYMBOL` names a month instead.
    static func candidateSymbols(on date: Date) -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month], from: date)
        guard let year = parts.year, let month = parts.month else { return [] }
        let codes = Array("FGHJKMNQUVXZ")
        return (1...3).map { ahead in
            let index = month - 1 + ahead
            return "CL\(codes[index % 12])\((year + index / 12) % 10)"
        }
    }

    /// Sends a resting buy of 1 at 1.00 in each candidate until the appliance accepts one
    /// (the others are rejected as "unknown instrument … not listed"), checks the New report
    /// field by field, cancels the order and returns the month.
    static func findListedSymbol(_ candidates: [String], client: ApplianceClient) throws -> String {
        var refused: [String] = []
        for candidate in candidates {
            let price = FIXDecimal(mantissa: 100, scale: 2)
            let id = try client.send(ApplianceClient.Order(symbol: candidate, buy: true, quantity: 1, kind: .limit(price),
                                                           timeInForce: .day))
            let report = try client.awaitAcknowledgement(clOrdID: id)
            if report[150]?.char == UInt8(ascii: "8") {
                let text = report[58]?.string ?? ""
                guard text.contains("unknown instrument") else {
                    throw EchoFailure("the appliance rejected a resting buy of 1 \(candidate) at 1.00: \(text) — check the risk limits")
                }
                refused.append("\(candidate): \(text)")
                continue
            }
            let expected: [(Int, String)] = [(55, candidate), (54, "1"), (38, "1"), (40, "2"), (44, "1.00"), (1, ApplianceClient.account),
                                             (39, "0"), (151, "1"), (14, "0"),
                                             (49, ApplianceClient.targetCompID), (56, ApplianceClient.senderCompID)]
            for (tag, value) in expected {
                // Numbers compare by value (the appliance may write 1.00 as 1).
                let number = FIXDecimal(value)
                guard let field = report[tag], field.string == value || (number != nil && field.decimal == number) else {
                    throw EchoFailure("the New report has \(tag)=\(report[tag]?.string ?? "nothing"), expected \(value): \(report.debugText)")
                }
            }
            guard report[37] != nil, report[17] != nil else { throw EchoFailure("the New report has no OrderID or ExecID: \(report.debugText)") }
            let canceled = try client.cancelAllOrders()
            guard canceled == 1 else { throw EchoFailure("mass cancel after the probe order cancelled \(canceled) orders, expected 1") }
            return candidate
        }
        throw EchoFailure("the appliance lists none of \(candidates.joined(separator: ", ")) (set APPLIANCE_BENCH_SYMBOL):\n"
                          + refused.joined(separator: "\n"))
    }

    // MARK: - The appliance

    /// Risk limits under which every control on the order path runs and none trips during a
    /// run: sizes, value, market-order protection, position (10,000,000 a month, far above
    /// the orders a run sends), credit, daily loss, order and message rates, duplicate orders
    /// (100 ms: the benchmarks vary each order's price by a tick so that none repeats within
    /// it), self-trade prevention, trading state. No price collar (the resting orders sit far
    /// below the market) and no trading hours (the benchmark runs at any hour).
    static let riskLimits = """
        firm:
          maxOrderSize: 100
          maxOrderValue: 1_000_000_000
          marketProtection: {ticks: 100}
          maxPositionPerMonth: 10_000_000
          maxPositionPerRoot: 10_000_000
          maxGrossNotional: 10_000_000_000
          dailyLoss: {limit: 1_000_000_000, allowReducing: true}
          orderRate: {limit: 100_000, window: 1s}
          messageRate: {limit: 200_000, window: 1s}
          duplicateWindow: 100ms
          selfTradePrevention: reject
          tradingState: ACTIVE
          cancelOnDisconnect: true

        """

    /// The appliance profile (sessions/demo.cfg's gateway keys, echo-acceptor.cfg's session
    /// rules: validation on, SendingTime within two minutes, no resets), one OMS session OMS1
    /// with account DESK1, journal, limits and log in `directory` (the limits written there now).
    private static func profile(in directory: String) throws -> WellheadProfile {
        let limitsPath = directory + "/risk-limits.yaml"
        try riskLimits.write(toFile: limitsPath, atomically: true, encoding: .utf8)
        return WellheadProfile(fileName: "appliance.cfg", application: "gateway",
                               engineCompID: ApplianceClient.targetCompID, clientCompID: ApplianceClient.senderCompID,
                               applicationKeys: ["RiskLimits=\(limitsPath)",
                                                 "Instruments=\(EchoPaths.repositoryRoot)/sessions/instruments.yaml",
                                                 "SimulationSeed=2026"],
                               sessionKeys: ["DefaultAccount=\(ApplianceClient.account)"])
    }
}
