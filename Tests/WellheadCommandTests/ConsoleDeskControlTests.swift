import Foundation
import FIXJournal
import Testing
import TestSupport

/// What a desk does to sessions and trading from the console, against `wellhead serve` with
/// QuickFIX's C++ engine as the OMS: resetting a session's sequence numbers (QuickFIX answers
/// the reset Logon and numbers from 1), and setting an account's trading state, which holds
/// across a restart.
@Suite(.serialized) struct ConsoleDeskControlTests {
    static let session = "FIX.4.4:WELLHEAD->OMS1"

    /// Logged on, a reset is a Logon with ResetSeqNumFlag (141=Y): QuickFIX answers with its
    /// own and its next order is number 2. Logged out, the journal's numbers go to 1 and 1 and
    /// the session waits to reset at its next Logon.
    @Test func anAdminResetsASessionsSequenceNumbersAndQuickFIXFollows() throws {
        let console = try ConsoleBrowserTests.Console()
        defer { console.stop() }
        let symbol = console.served.symbol
        let oms = try console.served.launch("""
            D RST1 \(symbol) 1 1 2 40.00 0
            EXPECT RST1 0 10
            D RST2 \(symbol) 1 1 2 40.01 0
            EXPECT RST2 0 10
            \(console.served.pause("reset"))
            D RST3 \(symbol) 1 1 2 40.02 0
            EXPECT RST3 0 10
            """)
        let admin = ConsoleClient(port: console.consolePort)
        try admin.signIn("ada", ConsoleBrowserTests.password)
        let journalPath = console.served.directory.path("gateway.sqlite")
        console.served.at("reset", of: oms) {
            let answer = (try? admin.act(#"{"resetSequenceNumbers":{"session":"OMS1"}}"#))
            #expect(answer?.status == 200 && answer?.body.contains("ResetSeqNumFlag (141=Y) sent") == true, "\(String(describing: answer))")
            // QuickFIX's answer: its own reset Logon, numbered 1.
            #expect(waitForJournal(journalPath, timeout: 20) { journal in
                try journal.messages().contains { record in
                    record.session.name == Self.session && record.direction == .inbound && record.msgType == "A"
                        && record.sequenceNumber == 1 && String(decoding: record.bytes, as: UTF8.self).contains("\u{1}141=Y\u{1}")
                }
            }, "QuickFIX did not answer the reset Logon: \(console.served.server.output.suffix(3000))")
        }
        #expect(oms.wait(timeout: 60) == 0, "\(oms.output)")
        var order: JournalRecord?
        #expect(waitForJournal(journalPath, timeout: 10) { journal in
            order = try journal.messages().first { record in
                record.direction == .inbound && record.msgType == "D" && String(decoding: record.bytes, as: UTF8.self).contains("\u{1}11=RST3\u{1}")
            }
            return order != nil
        })
        #expect(order?.sequenceNumber == 2, "the first order after the reset is number 2, after QuickFIX's reset Logon")

        // Logged out: the numbers go to 1 and 1 and the session waits for its next Logon.
        let reset = try admin.act(#"{"resetSequenceNumbers":{"session":"OMS1"}}"#)
        #expect(reset.status == 200 && reset.body.contains("next Logon asks the counterparty to reset"), "\(reset.body)")
        var row: [String: Any]?
        #expect(eventually(timeout: 10) {
            guard let state = try? JSONSerialization.jsonObject(with: Data(admin.request("GET", "/api/state").body.utf8)) as? [String: Any],
                  let sessions = state["sessions"] as? [[String: Any]] else { return false }
            row = sessions.first { $0["name"] as? String == "OMS1" }
            return row?["state"] as? String == "reset pending"
        }, "\(String(describing: row))")
        #expect(row?["nextIn"] as? Int == 1 && row?["nextOut"] as? Int == 1, "\(String(describing: row))")

        // The journal says who reset it, and when.
        #expect(waitForJournal(journalPath, timeout: 10) { journal in
            try journal.events(kind: "console.session").filter { $0.json.contains("session-reset") && $0.json.contains("console:ada") }.count == 2
        })
    }

    /// A risk manager halts an account from the console: the OMS's next order for it is
    /// rejected naming the state, the Risk page shows who set it, and it is still HALTED after
    /// the appliance restarts, until set ACTIVE again.
    @Test func anAccountHaltedFromTheConsoleStaysHaltedAcrossARestart() throws {
        let console = try ConsoleBrowserTests.Console()
        defer { console.stop() }
        let symbol = console.served.symbol
        let risk = ConsoleClient(port: console.consolePort)
        try risk.signIn("rita", ConsoleBrowserTests.password)
        let halt = try risk.act(#"{"setTradingState":{"scope":"account:DESK1","state":"HALTED","reason":"desk review"}}"#)
        #expect(halt.status == 200 && halt.body.contains("account:DESK1 is HALTED, set by console:rita"), "\(halt.body)")
        let refused = try console.served.run("""
            D HALT1 \(symbol) 1 1 2 40.00 0
            EXPECT HALT1 8 10
            """)
        #expect(refused.status == 0, "\(refused.output)")
        #expect(QuickFIXOMSTests.reports(refused.output, "HALT1").first?["58"]?.contains("HALTED") == true, "\(refused.output)")
        #expect(Self.tradingState(risk, "account:DESK1")?["setBy"] as? String == "console:rita")

        // Restarted on the same journal: still halted, and still shown so.
        console.served.server.signal(SIGTERM)
        #expect(console.served.server.wait(timeout: 30) == 0, "\(console.served.server.output.suffix(2000))")
        let again = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", console.served.config],
                                          log: console.served.directory.path("serve-again.log"))
        defer { again.signal(SIGTERM); _ = again.wait(timeout: 20) }
        #expect(again.waitForOutput("console listening", timeout: 60), "\(again.output)")
        let afterRestart = ConsoleClient(port: console.consolePort)
        try afterRestart.signIn("rita", ConsoleBrowserTests.password)
        let row = Self.tradingState(afterRestart, "account:DESK1")
        #expect(row?["state"] as? String == "HALTED" && row?["reason"] as? String == "desk review", "\(String(describing: row))")
        let stillRefused = try console.served.run("""
            D HALT2 \(symbol) 1 1 2 40.01 0
            EXPECT HALT2 8 10
            """, name: "oms2")
        #expect(stillRefused.status == 0, "\(stillRefused.output)")

        let active = try afterRestart.act(#"{"setTradingState":{"scope":"account:DESK1","state":"ACTIVE","reason":"review done"}}"#)
        #expect(active.status == 200, "\(active.body)")
        let accepted = try console.served.run("""
            D HALT3 \(symbol) 1 1 2 40.02 0
            EXPECT HALT3 0 10
            """, name: "oms3")
        #expect(accepted.status == 0, "\(accepted.output)")
        // A trader may not set one.
        let trader = ConsoleClient(port: console.consolePort)
        try trader.signIn("tara", ConsoleBrowserTests.password)
        #expect(try trader.act(#"{"setTradingState":{"scope":"account:DESK1","state":"HALTED","reason":"x"}}"#).status == 403)
    }

    /// The trading-state row for `scope` in the state `client` is sent.
    static func tradingState(_ client: ConsoleClient, _ scope: String) -> [String: Any]? {
        var row: [String: Any]?
        _ = eventually(timeout: 10) {
            guard let state = try? JSONSerialization.jsonObject(with: Data(client.request("GET", "/api/state").body.utf8)) as? [String: Any],
                  let rows = state["tradingStates"] as? [[String: Any]] else { return false }
            row = rows.first { $0["scope"] as? String == scope }
            return row != nil
        }
        return row
    }
}
