import Foundation
import Testing
import TestSupport

/// Limit edits from the console, through the real appliance: `wellhead serve` with the
/// console on, QuickFIX's C++ engine as the OMS, and the console's HTTP API. A risk manager
/// lowers a limit and the OMS's next order over it is rejected naming the check and the new
/// limit; a raise waits for a second risk manager (not the one who asked); the journal names
/// both; and the edits are there again after a restart.
@Suite(.serialized) struct ConsoleLimitEditTests {
    static func message(_ answer: ConsoleClient.Answer) -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        return object?["message"] as? String ?? answer.body
    }

    static func setLimit(_ control: String, _ scope: String, _ value: String) -> String {
        #"{"setLimit":{"control":"\#(control)","scope":"\#(scope)","value":"\#(value)"}}"#
    }

    /// The value of `control` at `scope` on the Risk page's limit settings.
    static func setting(_ client: ConsoleClient, _ control: String, _ scope: String) throws -> String? {
        let state = try JSONSerialization.jsonObject(with: Data(client.request("GET", "/api/state").body.utf8)) as? [String: Any]
        let rows = state?["limitSettings"] as? [[String: Any]] ?? []
        return rows.first { $0["control"] as? String == control && $0["scope"] as? String == scope }?["value"] as? String
    }

    @Test func aLoweredLimitTakesEffectAtOnceAndARaiseNeedsASecondRiskManager() throws {
        let console = try ConsoleBrowserTests.Console()
        var stopped = false
        defer { if !stopped { console.stop() } }
        let symbol = console.served.symbol
        let rita = ConsoleClient(port: console.consolePort)
        let ravi = ConsoleClient(port: console.consolePort)
        #expect(try rita.signIn("rita", ConsoleBrowserTests.password).status == 302)
        #expect(try ravi.signIn("ravi", ConsoleBrowserTests.password).status == 302)
        #expect(try Self.setting(rita, "maxOrderSize", "account:DESK1") == "100")

        // What is wrong is said, and nothing changes.
        let bad = try rita.act(Self.setLimit("maxOrderSize", "account:DESK1", "ten"))
        #expect(Self.message(bad) == "maxOrderSize at account DESK1: expected a positive whole number of contracts, got 'ten'", "\(bad.body)")
        let unknown = try rita.act(Self.setLimit("dailyLoss", "session:OMS1", "1000"))
        #expect(Self.message(unknown).contains("not available at session scope"), "\(unknown.body)")

        // Lowered: at once, and the OMS's order over it is rejected naming the check and the limit.
        let lowered = try rita.act(Self.setLimit("maxOrderSize", "account:DESK1", "5"))
        #expect(Self.message(lowered) == "maxOrderSize at account DESK1: 100 → 5 set by console:rita", "\(lowered.body)")
        let rejected = try console.served.run("""
            D LIM1 \(symbol) 1 10 2 40.00 0
            EXPECT LIM1 8 10
            """, name: "oms-lowered")
        #expect(rejected.status == 0, "\(rejected.output)")
        #expect(rejected.output.contains("58=max order size: 10 contracts, limit 5 (account DESK1)"), "\(rejected.output)")

        // Raised: it waits, the one who asked cannot approve it, a second risk manager can.
        let asked = try rita.act(Self.setLimit("maxOrderSize", "account:DESK1", "50"))
        let askedText = Self.message(asked)
        #expect(askedText.hasPrefix("maxOrderSize at account DESK1: 5 → 50 raises the limit: it waits for a second risk manager's approval (request "),
                "\(asked.body)")
        let request = try #require(Int(askedText.split(separator: " ").last?.dropLast() ?? ""), "\(askedText)")
        #expect(try Self.setting(rita, "maxOrderSize", "account:DESK1") == "5", "not in force before its approval")
        let own = try rita.act(#"{"approve":{"request":\#(request)}}"#)
        #expect(Self.message(own) == "a second risk manager must approve: rita asked for it", "\(own.body)")
        let still = try console.served.run("""
            D LIM2 \(symbol) 1 20 2 40.00 0
            EXPECT LIM2 8 10
            """, name: "oms-waiting")
        #expect(still.status == 0 && still.output.contains("limit 5 (account DESK1)"), "\(still.output)")
        let approved = try ravi.act(#"{"approve":{"request":\#(request)}}"#)
        #expect(Self.message(approved) == "maxOrderSize at account DESK1: 5 → 50 set by console:rita, approved by console:ravi", "\(approved.body)")
        #expect(try Self.setting(ravi, "maxOrderSize", "account:DESK1") == "50")
        let passes = try console.served.run("""
            D LIM3 \(symbol) 1 20 2 40.00 0
            EXPECT LIM3 0 10
            """, name: "oms-raised")
        #expect(passes.status == 0, "\(passes.output)")

        // The journal: each edit with who made it, the raise with who approved it too; the
        // request and the approval.
        let journalPath = console.served.directory.path("gateway.sqlite")
        var edits: [(id: Int64, kind: String, time: Int64, json: String)] = []
        var approvals: [(id: Int64, kind: String, time: Int64, json: String)] = []
        #expect(waitForJournal(journalPath, timeout: 10) { journal in
            edits = try journal.events(kind: "risk.limit")
            approvals = try journal.events(kind: "console.approval.requested") + journal.events(kind: "console.approval.approved")
            return edits.count >= 2 && approvals.count >= 2
        }, "\(edits) \(approvals)")
        #expect(edits.count == 2, "the refused and the waiting edits are not journaled as made: \(edits)")
        #expect(edits.first?.json == #"{"control":"maxOrderSize","scope":"account:DESK1","value":"5","old":"100","new":"5","raises":false,"by":"console:rita","reason":"console"}"#,
                "\(edits)")
        #expect(edits.last?.json.contains(#""old":"5","new":"50","raises":true,"by":"console:rita","approvedBy":"console:ravi""#) == true, "\(edits)")
        #expect(approvals.contains { $0.kind == "console.approval.requested" && $0.json.contains(#""requestedBy":"rita""#)
            && $0.json.contains("maxOrderSize") }, "\(approvals)")
        #expect(approvals.contains { $0.kind == "console.approval.approved" && $0.json.contains(#""approvedBy":"ravi""#) }, "\(approvals)")

        // A restart: the limits file says 100, the journal's edits say 50.
        console.stop()
        stopped = true
        let again = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", console.served.config],
                                          log: console.served.directory.path("serve-again.log"))
        defer { again.signal(SIGTERM); _ = again.wait(timeout: 20) }
        #expect(again.waitForOutput("console listening", timeout: 60), "\(again.output)")
        #expect(again.output.contains("limitEdits=2"), "\(again.output)")
        let after = ConsoleClient(port: console.consolePort)
        try after.signIn("ravi", ConsoleBrowserTests.password)
        #expect(try Self.setting(after, "maxOrderSize", "account:DESK1") == "50")
        let restarted = try console.served.run("""
            D LIM4 \(symbol) 1 60 2 40.00 0
            EXPECT LIM4 8 10
            """, name: "oms-restarted")
        #expect(restarted.status == 0 && restarted.output.contains("58=max order size: 60 contracts, limit 50 (account DESK1)"),
                "\(restarted.output)")
    }

    /// The same on the Risk page in a real browser: a row's Edit fills the form, the server's
    /// reason shows for a bad value, a lower value shows at once, a raise waits under the
    /// approvals until the second risk manager approves it on their page.
    @Test func aLimitIsEditedOnTheRiskPage() throws {
        let console = try ConsoleBrowserTests.Console()
        defer { console.stop() }
        let steps = try console.steps("limits", ["rita", "ravi", ConsoleBrowserTests.password])
        #expect(steps["row"]?.hasPrefix("maxOrderSize account:DESK1 100 contracts") == true, "\(steps)")
        #expect(steps["editing"] == "account:DESK1 100", "\(steps)")
        #expect(steps["invalid"] == "maxOrderSize at account DESK1: expected a positive whole number of contracts, got 'ten'", "\(steps)")
        #expect(steps["lowered"] == "maxOrderSize at account DESK1: 100 → 5 set by console:rita", "\(steps)")
        #expect(steps["raise asked"]?.contains("waits for a second risk manager's approval (request 1)") == true, "\(steps)")
        #expect(steps["waiting"]?.contains("set maxOrderSize at account:DESK1 to 50") == true, "\(steps)")
        #expect(steps["approved"]?.contains("approved by console:ravi") == true, "\(steps)")
        #expect(steps["raised everywhere"]?.hasPrefix("maxOrderSize account:DESK1 50") == true, "\(steps)")
    }
}
