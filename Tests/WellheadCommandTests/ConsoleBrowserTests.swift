import ConsoleAccess
import FIXCodec
import FIXJournal
import Foundation
import Testing
import TestSupport

/// The admin console in a real browser: Debian's chromium, driven through chromium-driver by
/// Selenium (`Tests/Interop/console_browser.py`), against `wellhead serve` with the console
/// on, and QuickFIX's C++ engine as the OMS whose orders the console shows and cancels.
@Suite(.serialized) struct ConsoleBrowserTests {
    static let password = "correct horse battery staple"

    /// A gateway serving the console, with a risk manager pair, a compliance officer and a
    /// trader of DESK1 in its users file (bcrypt at cost 4: the tests log in many times).
    struct Console {
        let served: ServedProfile
        let consolePort: Int

        var url: String { "http://127.0.0.1:\(consolePort)" }

        /// - Parameter keys: more of the gateway's profile keys, one a line.
        init(limits: String = QuickFIXOMSTests.limits, keys: String = "") throws {
            let consolePort = freePort()
            self.consolePort = consolePort
            served = try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
                let usersPath = directory.path("console-users.txt")
                var users = UsersFile.empty(path: usersPath)
                for (name, role, accounts) in [("rita", ConsoleRole.riskManager, Set<String>()), ("ravi", .riskManager, []),
                                               ("tara", .trader, ["DESK1"]), ("carl", .compliance, []), ("ada", .admin, [])] {
                    try users.add(ConsoleUser(name: name, role: role, accounts: accounts,
                                              password: PasswordHash(hashing: ConsoleBrowserTests.password, cost: 4)))
                }
                try users.save()
                return try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: limits,
                                                            keys: "ConsolePort=\(consolePort)\nUsers=\(usersPath)\n\(keys)")
            }
            #expect(served.server.waitForOutput("console listening", timeout: 60), "\(served.server.output)")
        }

        func stop() { served.server.signal(SIGTERM); _ = served.server.wait(timeout: 20) }

        /// The browser running `scenario`, in the background.
        func browser(_ scenario: String, _ arguments: [String], standardInput: Bool = false) throws -> BackgroundProcess {
            let packages = try Selenium.packages.folder()
            return try BackgroundProcess("/usr/bin/env", ["python3", TestDictionaries.path("Tests/Interop/console_browser.py"), scenario, url]
                                         + arguments, log: served.directory.path("browser-\(scenario).log"),
                                         environment: ["PYTHONPATH": packages.path], standardInput: standardInput)
        }

        /// Runs `scenario` to its end; returns the text of each step, by name.
        func steps(_ scenario: String, _ arguments: [String], timeout: Double = 120) throws -> [String: String] {
            let browser = try browser(scenario, arguments)
            let status = browser.wait(timeout: timeout)
            #expect(status == 0, "\(browser.output)\n\(served.server.output.suffix(3000))")
            return Self.steps(in: browser.output)
        }

        static func steps(in output: String) -> [String: String] {
            var steps: [String: String] = [:]
            for line in output.split(separator: "\n") where line.hasPrefix("STEP ") {
                let text = line.dropFirst(5)
                guard let colon = text.range(of: ": ") else { continue }
                steps[String(text[..<colon.lowerBound])] = String(text[colon.upperBound...])
            }
            return steps
        }
    }

    @Test func fiveWrongPasswordsLockTheUserOutAndTheLockOutIsJournaled() throws {
        let console = try Console()
        defer { console.stop() }
        let steps = try console.steps("lockout", ["tara", Self.password])
        for attempt in 1...5 { #expect(steps["wrong password \(attempt)"] == "Wrong user name or password.", "\(steps)") }
        #expect(steps["right password after five wrong"]?.hasPrefix("Locked out after repeated failures until") == true, "\(steps)")
        #expect(steps["still on"]?.hasSuffix("/login") == true, "\(steps)")
        var lockouts: [(id: Int64, kind: String, time: Int64, json: String)] = []
        #expect(waitForJournal(console.served.directory.path("gateway.sqlite"), timeout: 10) { journal in
            lockouts = try journal.events(kind: "console.lockout")
            return !lockouts.isEmpty
        })
        #expect(lockouts.first?.json.contains("\"user\":\"tara\"") == true, "\(lockouts)")
    }

    /// The order a QuickFIX OMS sends is on a trader's blotter within a second of the gateway
    /// receiving it (the journal's time of the NewOrderSingle against the page's own clock).
    @Test func aQuickFIXOrderIsOnTheBlotterWithinASecond() throws {
        let console = try Console()
        defer { console.stop() }
        let clOrdID = "BLOT-\(UInt32.random(in: 0 ... .max))"
        let browser = try console.browser("blotter", ["tara", Self.password, clOrdID])
        #expect(browser.waitForOutput("STEP ready", timeout: 60), "\(browser.output)")
        let oms = try console.served.run("""
            D \(clOrdID) \(console.served.symbol) 1 1 2 40.00 0
            EXPECT \(clOrdID) 0 10
            """)
        #expect(oms.status == 0, "\(oms.output)")
        #expect(browser.wait(timeout: 60) == 0, "\(browser.output)")
        let steps = Console.steps(in: browser.output)
        let seen = try #require(steps["seen"].flatMap { Int64($0) }, "\(browser.output)")
        #expect(steps["row"]?.contains("DESK1") == true, "\(steps)")
        var received: Int64?
        #expect(waitForJournal(console.served.directory.path("gateway.sqlite"), timeout: 10) { journal in
            received = try journal.messages().first { record in
                record.direction == .inbound && record.msgType == "D" && String(decoding: record.bytes, as: UTF8.self).contains("\u{1}11=\(clOrdID)\u{1}")
            }?.time
            return received != nil
        })
        let arrived = try #require(received) / 1_000_000
        #expect(seen - arrived < 1000, "shown \(seen - arrived) ms after the gateway received it")
    }

    /// A risk manager engages the firm-wide kill switch in the console and the OMS's working
    /// orders are cancelled; a trader is refused it; releasing it needs a second risk manager.
    @Test func aKillSwitchFromTheConsoleCancelsTheOMSOrdersAndItsReleaseNeedsTwoRiskManagers() throws {
        let console = try Console()
        defer { console.stop() }
        let browser = try console.browser("killswitch", ["rita", "ravi", "tara", Self.password], standardInput: true)
        #expect(browser.waitForOutput("STEP ready", timeout: 60), "\(browser.output)")
        let symbol = console.served.symbol
        let oms = try console.served.launch("""
            D KS1 \(symbol) 1 1 2 40.00 1
            D KS2 \(symbol) 2 1 2 400.00 1
            EXPECT KS1 0 10
            EXPECT KS2 0 10
            \(console.served.pause("working"))
            EXPECT KS1 4 20
            EXPECT KS2 4 20
            """)
        console.served.at("working", of: oms) {
            #expect(throws: Never.self) { try browser.write(Array("go\n".utf8)) }
            #expect(browser.waitForOutput("STEP engaged", timeout: 30), "\(browser.output)")
        }
        #expect(oms.wait(timeout: 60) == 0, "the OMS's orders were not cancelled: \(oms.output)")
        #expect(browser.wait(timeout: 120) == 0, "\(browser.output)\n\(console.served.server.output.suffix(3000))")
        let steps = Console.steps(in: browser.output)
        #expect(steps["engaged"]?.contains("2 working order(s) cancelled") == true, "\(steps)")
        #expect(steps["trader pages"] == "blotter positions market signals", "\(steps)")
        #expect(steps["trader release"]?.hasPrefix("403 refused: a trader may not kill-switch-release") == true, "\(steps)")
        #expect(steps["trader engage"]?.hasPrefix("403 refused") == true, "\(steps)")
        #expect(steps["forged csrf"] == "403", "\(steps)")
        #expect(steps["release asked"]?.contains("waits for a second risk manager") == true, "\(steps)")
        #expect(steps["toast passes clicks"] == "yes", "\(steps)")
        #expect(steps["own approval"]?.contains("a second risk manager must approve") == true, "\(steps)")
        #expect(steps["still engaged"]?.contains("firm") == true, "\(steps)")
        #expect(steps["approved"]?.contains("released by console:ravi") == true, "\(steps)")
        #expect(steps["released everywhere"] == "no switch engaged" || steps["released everywhere"]?.contains("firm") == false, "\(steps)")

        // The journal has who did what: the switch engaged by rita, the release asked by rita
        // and approved by ravi, each a record of the authenticated user.
        let journalPath = console.served.directory.path("gateway.sqlite")
        var admin: [(id: Int64, kind: String, time: Int64, json: String)] = []
        var approvals: [(id: Int64, kind: String, time: Int64, json: String)] = []
        #expect(waitForJournal(journalPath, timeout: 10) { journal in
            admin = try journal.events(kind: "admin")
            approvals = try journal.events(kind: "console.approval.requested") + journal.events(kind: "console.approval.approved")
            return admin.count >= 2 && approvals.count >= 2
        }, "\(admin) \(approvals)")
        #expect(admin.contains { $0.json.contains("\"command\":\"kill-switch-engage\"") && $0.json.contains("\"by\":\"console:rita\"") }, "\(admin)")
        #expect(admin.contains { $0.json.contains("\"command\":\"kill-switch-release\"") && $0.json.contains("\"by\":\"console:ravi\"") }, "\(admin)")
        #expect(approvals.contains { $0.kind == "console.approval.requested" && $0.json.contains("\"requestedBy\":\"rita\"") }, "\(approvals)")
        #expect(approvals.contains { $0.kind == "console.approval.approved" && $0.json.contains("\"approvedBy\":\"ravi\"") }, "\(approvals)")
    }

    /// A fill that takes an account past 75% of its position limit raises an alert on every
    /// risk manager's open console, whatever page it shows, within 5 seconds of the sidecar
    /// raising it (MiFID II RTS 6 art. 16): the journal's time of the warning against each
    /// page's own clock.
    @Test func aLimitAlertReachesEveryRiskManagersConsoleWithinFiveSeconds() throws {
        let console = try Console(limits: """
            firm:
              maxOrderSize: 500
              marketProtection: {ticks: 200}
            accounts:
              DESK1:
                maxOrderSize: 100
                maxPositionPerMonth: 10
            """)
        defer { console.stop() }
        let browser = try console.browser("alerts", ["rita", "ravi", Self.password])
        #expect(browser.waitForOutput("STEP ready", timeout: 90), "\(browser.output)")
        let oms = try console.served.run("""
            D ALERT1 \(console.served.symbol) 1 8 1 - 3
            EXPECT ALERT1 2 10
            """)
        #expect(oms.status == 0, "\(oms.output)")
        #expect(browser.wait(timeout: 90) == 0, "\(browser.output)\n\(console.served.server.output.suffix(3000))")
        var warning: (id: Int64, kind: String, time: Int64, json: String)?
        #expect(waitForJournal(console.served.directory.path("gateway.sqlite"), timeout: 10) { journal in
            // Raised by the check (a worst-case position counts the order), so journaled in its decision.
            warning = try journal.events(kind: "risk.decision").first { $0.json.contains("ALERT1") && $0.json.contains("\"warnings\"") }
            return warning != nil
        })
        let raised = try #require(warning).time / 1_000_000
        let steps = Console.steps(in: browser.output)
        for user in ["rita", "ravi"] {
            let seen = try #require(steps["alert \(user)"], "\(browser.output)")
            let parts = seen.split(separator: " ", maxSplits: 1)
            let at = try #require(Int64(parts[0]), "\(seen)")
            #expect(at - raised < 5_000, "\(user) saw the alert \(at - raised) ms after the sidecar raised it")
            print("alert on \(user)'s console \(at - raised) ms after the sidecar raised it")
            #expect(parts.count == 2 && parts[1].contains("DESK1") && parts[1].contains("WARNING"), "\(seen)")
        }
    }

    /// A trader enters an order on the page: the ticket opened from the keyboard, a preview
    /// showing each limit's use after the order, the order submitted and on the blotter, New,
    /// with the trader's name (and a screenshot of the ticket for the README).
    @Test func aTraderEntersAnOrderOnThePageAndSeesItOnTheBlotter() throws {
        let console = try Console()
        defer { console.stop() }
        let folder = TestDictionaries.repositoryRoot.appendingPathComponent("docs/console")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let steps = try console.steps("entry", ["tara", Self.password, console.served.symbol, folder.path])
        #expect(steps["ticket focused"] == "ticket-symbol", "\(steps)")
        #expect(steps["preview"]?.hasPrefix("PASS") == true, "\(steps)")
        #expect(steps["preview limits"]?.contains("positionPerMonth account DESK1") == true, "\(steps)")
        #expect(steps["submitted"]?.contains("pending new") == true, "\(steps)")
        #expect(steps["row"]?.contains("DESK1") == true && steps["row"]?.contains(console.served.symbol) == true, "\(steps)")
        #expect(steps["replace mode"] == "replace WH00000001", "\(steps)")
        #expect(steps["replace preview"]?.hasPrefix("PASS") == true, "\(steps)")
        #expect(steps["replaced"]?.contains("pending replace") == true, "\(steps)")
    }

    /// A screenshot of each page as a risk manager sees it, for the README (docs/console/).
    @Test func screenshotsOfEveryPage() throws {
        // A year of simulated daily history, so the Signals page has composites and a record.
        let history = TemporaryDirectory()
        defer { history.remove() }
        let day: TimeInterval = 86_400
        let iso = { (date: Date) in String(ISO8601DateFormatter().string(from: date).prefix(10)) }
        let sample = try WellheadProcess.run(["signals", "sample", "--from", iso(Date() - 400 * day), "--to", iso(Date() - day),
                                              "--output", history.path("history.csv")])
        #expect(sample.status == 0, "\(sample.standardError)")
        let console = try Console(keys: "SignalHistory=\(history.path("history.csv"))")
        defer { console.stop() }
        let oms = try console.served.run("""
            D SHOT1 \(console.served.symbol) 1 2 2 40.00 1
            D SHOT2 \(console.served.symbol) 1 1 1 - 3
            EXPECT SHOT1 0 10
            """)
        #expect(oms.status == 0, "\(oms.output)")
        let folder = TestDictionaries.repositoryRoot.appendingPathComponent("docs/console")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let steps = try console.steps("screenshots", ["rita", Self.password, folder.path, "SHOT1"])
        #expect(steps["screenshot"] != nil, "\(steps)")
        #expect(steps["lifecycle"]?.contains("ClOrdID(11)=SHOT1") == true, "a blotter row opens its lifecycle: \(steps)")
        for page in ["sessions", "blotter", "positions", "risk", "market", "signals", "audit"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("\(page).png").path), "\(page)")
        }
    }
}
