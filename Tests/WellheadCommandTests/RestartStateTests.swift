import FIXCodec
import FIXJournal
import Foundation
import Testing
import TestSupport

/// What a SIGKILL and a restart of `wellhead serve` must leave as it was: working orders,
/// kill switches and every limit's utilisation, rebuilt from the journal file, with nothing
/// re-executed. And who may trade which account, checked before anything else counts.
@Suite(.serialized) struct RestartStateTests {
    @Test func aKillSwitchReleasedBeforeACrashCancelsNothingAfterTheRestart() throws {
        let appliance = try Appliance()
        defer { appliance.stop() }
        var oms = try appliance.connect()

        // Engaged and released on DESK1; an order placed afterwards rests.
        #expect(try appliance.admin(#"{"command":"kill-switch-engage","scope":"account:DESK1","by":"maria","reason":"drill"}"#)["ok"] as? Bool == true)
        #expect(try appliance.admin(#"{"command":"kill-switch-release","scope":"account:DESK1","by":"maria"}"#)["ok"] as? Bool == true)
        let rested = try oms.order("REST1", "54=1|38=2|40=2|44=1.00|59=1")
        #expect(rested.last?[39]?.string == "0", "\(rested.map(\.debugText))")

        try appliance.restart()
        oms = try appliance.connect(continuing: oms)

        // Still working, never cancelled by a replay of the engage: no status 4 was journaled
        // for it, no switch is engaged, and a cancel now is the first to end it.
        let statuses = try appliance.orderStatuses(clOrdID: "REST1")
        #expect(statuses.last == "0" && !statuses.contains("4"), "restore re-executed an action: \(statuses)")
        let status = try appliance.admin(#"{"command":"status"}"#)
        #expect((status["engagedKillSwitches"] as? [Any])?.isEmpty == true, "\(status)")
        let canceled = try oms.cancel("C1", orig: "REST1")
        #expect(canceled.last?[150]?.string == "4" && canceled.last?[37]?.string == rested.last?[37]?.string,
                "\(canceled.map(\.debugText))")

        // An engaged switch stays engaged across a crash, still cancelling nothing by itself.
        let again = try oms.order("REST2", "54=1|38=1|40=2|44=1.00|59=1")
        #expect(again.last?[39]?.string == "0")
        #expect(try appliance.admin(#"{"command":"kill-switch-engage","scope":"session:OMS2","by":"maria","reason":"other desk"}"#)["ok"] as? Bool == true)
        try appliance.restart()
        oms = try appliance.connect(continuing: oms)
        let engaged = try appliance.admin(#"{"command":"status"}"#)["engagedKillSwitches"] as? [[String: Any]]
        // The admin socket records the operating-system user who connected, not the "by" sent.
        #expect(engaged?.count == 1 && (engaged?.first?["engagedBy"] as? String) == "os:\(NSUserName())", "\(engaged ?? [])")
        #expect(try appliance.orderStatuses(clOrdID: "REST2").last == "0")
    }

    @Test func everyLimitsUtilisationAfterARestartIsWhatItWasBefore() throws {
        let appliance = try Appliance()
        defer { appliance.stop() }
        var oms = try appliance.connect()

        // A round trip that realises a loss or a gain and leaves no position, and a resting
        // order: positions, working orders, notional and the day's loss all counted, none of
        // them priced at a mark that moves while the appliance is down.
        let bought = try oms.order("B1", "54=1|38=3|40=1|59=3", until: ["2", "4", "8"])
        let sold = try oms.order("S1", "54=2|38=3|40=1|59=3", until: ["2", "4", "8"])
        #expect(bought.last?[39]?.string == "2" && sold.last?[39]?.string == "2",
                "\((bought + sold).map(\.debugText))")
        let resting = try oms.order("R1", "54=1|38=7|40=2|44=1.00|59=1")
        #expect(resting.last?[39]?.string == "0")
        let before = try appliance.utilisation()
        #expect(before.keys.contains { $0.hasPrefix("positionPerMonth session OMS1") }, "\(before)")
        #expect(before.keys.contains { $0.hasPrefix("dailyLoss") })
        #expect(before["grossNotional account DESK1"] == "7000", "the resting order at 1.00: \(before)")

        try appliance.restart()
        oms = try appliance.connect(continuing: oms)
        let after = try appliance.utilisation()
        #expect(after == before, "before: \(before)\nafter: \(after)")

        // A position left open: its contracts count again after the restart, for the firm, the
        // account and the session, and its value in the account's notional (at whatever the
        // mark is then; the in-process restore test pins the mark and compares every limit).
        let opened = try oms.order("B2", "54=1|38=4|40=1|59=3", until: ["2", "4", "8"])
        #expect(opened.last?[39]?.string == "2", "\(opened.map(\.debugText))")
        let open = try appliance.utilisation().filter { $0.key.hasPrefix("position") }
        #expect(open.values.contains("11"), "4 held and 7 working: \(open)")
        try appliance.restart()
        oms = try appliance.connect(continuing: oms)
        let restored = try appliance.utilisation()
        #expect(restored.filter { $0.key.hasPrefix("position") } == open, "\(restored)")
        let notional = try #require(restored["grossNotional account DESK1"].flatMap { FIXDecimal($0) })
        #expect(notional > FIXDecimal(7000), "the 4 contracts held count beside the resting order: \(notional)")
    }

    @Test func anOMSSessionTradesOnlyItsOwnAccounts() throws {
        let appliance = try Appliance()
        defer { appliance.stop() }
        var oms = try appliance.connect()
        let refused = try oms.order("X1", "1=NOPE|54=1|38=1|40=2|44=1.00|59=1")
        let report = try #require(refused.last)
        #expect(report[150]?.string == "8" && report[103]?.int == 15, "\(report)")
        #expect(report[58]?.string.contains("unknown account: account NOPE is not one session OMS1 may trade (DESK1)") == true,
                "\(report[58]?.string ?? "")")
        // DESK2 is OMS2's, not OMS1's.
        #expect(try oms.order("X2", "1=DESK2|54=1|38=1|40=2|44=1.00|59=1").last?[103]?.int == 15)
        // Its own account passes.
        #expect(try oms.order("X3", "1=DESK1|54=1|38=1|40=2|44=1.00|59=1").last?[39]?.string == "0")
        // Each refusal is journaled as a risk decision naming the check. The running appliance
        // fills SQLite from its write-ahead log a few milliseconds behind what it sends.
        let journal = try Journal(path: appliance.journalPath)
        defer { journal.close() }
        var decisions: [String] = []
        let found = try eventually(timeout: 10) {
            decisions = try journal.events(kind: "risk.decision").map(\.json).filter { $0.contains("\"check\":\"unknownAccount\"") }
            return decisions.count >= 2
        }
        #expect(found && decisions.count == 2, "\(decisions)")
    }
}
