import FIXCodec
import FIXJournal
import Foundation
import Instruments
import Testing
import TestSupport

/// `wellhead serve` running the appliance (gateway, risk sidecar, simulated venue, journal)
/// with an OMS on a real socket.
@Suite(.serialized) struct ApplianceTests {
    @Test func orderIsFilledRiskRejectsAreNamedAndLimitsReloadOnSIGHUP() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let config = try WellheadProfiles.gatewayAcceptor(in: directory, port: port)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("serve.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        let oms = Counterparty()
        let client = try RawFIXClient(port: port)
        try client.send(oms.logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")

        // A market order, IOC: capped by market-order protection, filled by the venue's makers.
        let symbol = try #require(Self.frontMonth(on: Date()))
        try client.send(oms.message("D", seq: 2, at: TestClock.wall(),
                                    "11=M1|55=\(symbol)|54=1|38=3|40=1|59=3|60=\(TestClock.wall())|"))
        let reports = client.receive(until: "8", timeout: 5) + (1...6).compactMap { _ in client.receive(timeout: 1) }
        let filled = reports.filter { $0[11]?.string == "M1" && $0[39]?.string == "2" }
        #expect(filled.count == 1, "\(reports.map { "\($0[150]?.string ?? "") \($0[58]?.string ?? "")" })")
        #expect(filled.first?[14]?.decimal == FIXDecimal(3))

        // Too big for DESK1: rejected with the check, the limit and the value.
        try client.send(oms.message("D", seq: 3, at: TestClock.wall(),
                                    "11=M2|55=\(symbol)|54=1|38=250|40=1|59=3|60=\(TestClock.wall())|"))
        let rejected = try #require(client.receive(until: "8").last)
        #expect(rejected[150]?.string == "8")
        #expect(rejected[103]?.int == 3)
        #expect(rejected[58]?.string.contains("max order size: 250 contracts, limit 200") == true, "\(rejected[58]?.string ?? "")")

        // A broken limits file is refused on SIGHUP and the old limits stay.
        let limitsPath = directory.path("risk-limits.yaml")
        try "firm:\n  maxOrderSize: ten\n".write(toFile: limitsPath, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        #expect(server.waitForOutput("risk limits not reloaded", timeout: 5), "\(server.output.suffix(2000))")
        // A good one takes effect without dropping the session.
        try "firm:\n  maxOrderSize: 2\n  marketProtection: {ticks: 100}\n".write(toFile: limitsPath, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        #expect(server.waitForOutput("risk limits reloaded", timeout: 5))
        try client.send(oms.message("D", seq: 4, at: TestClock.wall(),
                                    "11=M3|55=\(symbol)|54=1|38=3|40=1|59=3|60=\(TestClock.wall())|"))
        let tighter = try #require(client.receive(until: "8").last)
        #expect(tighter[58]?.string.contains("limit 2") == true, "\(tighter[58]?.string ?? "")")

        try client.send(oms.message("5", seq: 5, at: TestClock.wall()))
        #expect(client.receive(until: "5").last?.msgType == "5")
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0, "\(server.output.suffix(2000))")
    }

    @Test func orderCommandSendsAnOrderAndACancelAndPrintsTheReports() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        // No price collar: the resting order below sits far from the market.
        let config = try WellheadProfiles.gatewayAcceptor(in: directory, port: port,
                                                          limits: "firm:\n  maxOrderSize: 50\n  marketProtection: {ticks: 100}\n")
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("serve.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        let symbol = try #require(Self.frontMonth(on: Date()))
        let placed = try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", symbol, "--side", "sell", "--quantity", "2",
                                              "--type", "market", "--tif", "ioc"])
        #expect(placed.status == 0, "\(placed.standardError)")
        #expect(placed.standardOutput.contains("ExecType=Trade(F) OrdStatus=Filled(2)"), "\(placed.standardOutput)")
        #expect(placed.standardOutput.contains("\(symbol) sell 2"))
        let resting = try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", symbol, "--quantity", "1", "--price", "1.00",
                                               "--tif", "gtc", "--cl-ord-id", "S1"])
        #expect(resting.standardOutput.contains("ClOrdID=S1 ExecType=New(0) OrdStatus=New(0)"), "\(resting.standardOutput)")
        let canceled = try WellheadProcess.run(["order", "--port", "\(port)", "--action", "cancel", "--orig-cl-ord-id", "S1",
                                                "--symbol", symbol])
        #expect(canceled.standardOutput.contains("ExecType=Canceled(4) OrdStatus=Canceled(4)"), "\(canceled.standardOutput)")
        let unknown = try WellheadProcess.run(["order", "--port", "\(port)", "--action", "cancel", "--orig-cl-ord-id", "NOPE",
                                               "--symbol", symbol])
        #expect(unknown.standardOutput.contains("OrderCancelReject") && unknown.standardOutput.contains("CxlRejReason=UnknownOrder(1)"))
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
    }

    @Test func restartAfterSIGKILLKeepsOpenOrdersAndOrderIDs() throws {
        let appliance = try Appliance(limits: "firm:\n  maxOrderSize: 50\n  marketProtection: {ticks: 100}\n")
        let resting = try appliance.order(["--quantity", "4", "--price", "1.00", "--tif", "gtc", "--cl-ord-id", "KEEP"])
        #expect(resting.contains("WH00000001 ClOrdID=KEEP ExecType=New(0)"), "\(resting)")

        try appliance.restart()
        #expect(appliance.server.output.contains("orders=1 working=1 [wellhead] restored from the journal"), "\(appliance.server.output)")
        let next = try appliance.order(["--quantity", "1", "--price", "1.00", "--cl-ord-id", "NEXT"])
        #expect(next.contains("WH00000002 ClOrdID=NEXT"), "\(next)")
        let canceled = try appliance.order(["--action", "cancel", "--orig-cl-ord-id", "KEEP"])
        #expect(canceled.contains("WH00000001") && canceled.contains("ExecType=Canceled(4) OrdStatus=Canceled(4)"), "\(canceled)")
        #expect(appliance.stop() == 0)
    }

    /// Fills make positions, and ClOrdIDs once used stay taken: both come back from the journal
    /// after a SIGKILL (as `RestartTests` in GatewayTests checks through a journal file).
    @Test func restartAfterSIGKILLKeepsPositionsAndUsedClOrdIDs() throws {
        let appliance = try Appliance(limits: """
            firm:
              maxOrderSize: 50
              maxPositionPerMonth: 40
              marketProtection: {ticks: 100}
            """)
        defer { _ = appliance.stop() }
        /// The position-per-month utilisation `wellhead risk status` shows: position and working orders.
        let utilisation = {
            try appliance.risk(["status"]).split(separator: "\n").filter { $0.contains("position per month") }.map(String.init)
        }
        let filled = try appliance.order(["--quantity", "2", "--type", "market", "--tif", "ioc", "--cl-ord-id", "F1"])
        #expect(filled.contains("ClOrdID=F1 ExecType=Trade(F) OrdStatus=Filled(2)"), "\(filled)")
        let resting = try appliance.order(["--quantity", "3", "--price", "1.00", "--tif", "gtc", "--cl-ord-id", "G1"])
        #expect(resting.contains("WH00000002 ClOrdID=G1 ExecType=New(0)"), "\(resting)")
        let before = try utilisation()
        #expect(before.contains { $0.contains(": 5 of 40 contracts") }, "bought 2, bidding for 3: \(before)")

        try appliance.restart()
        #expect(appliance.server.output.contains("fills=1 nextOrderNumber=")
                && appliance.server.output.contains("orders=2 working=1 [wellhead] restored from the journal"), "\(appliance.server.output)")
        let after = try utilisation()
        #expect(after == before, "the position and the working order, as before the kill: \(before) then \(after)")
        // G1 is taken: the same ClOrdID again is a duplicate.
        let again = try appliance.order(["--quantity", "1", "--price", "1.00", "--cl-ord-id", "G1"])
        #expect(again.contains("ExecType=Rejected(8)") && again.contains("OrdRejReason=DuplicateOrder(6)"), "\(again)")
        // The numbering goes on after the restored orders.
        let next = try appliance.order(["--quantity", "1", "--price", "1.00", "--cl-ord-id", "N1"])
        #expect(next.contains("WH00000003 ClOrdID=N1"), "\(next)")
    }

    /// A kill switch engaged with `wellhead risk` stays engaged after a SIGKILL until a person
    /// releases it, and a released one stays released (as GatewayAdminTests checks through a
    /// journal file).
    @Test func aKillSwitchStaysEngagedAcrossASIGKILLRestartUntilReleased() throws {
        let appliance = try Appliance(limits: "firm:\n  maxOrderSize: 50\n  marketProtection: {ticks: 100}\n")
        defer { _ = appliance.stop() }
        let order = { (clOrdID: String, sender: String) in
            try appliance.order(["--sender", sender, "--quantity", "1", "--price", "1.00", "--tif", "gtc", "--cl-ord-id", clOrdID])
        }
        #expect(try order("R1", "OMS1").contains("ClOrdID=R1 ExecType=New(0)"))
        let engaged = try appliance.risk(["kill-switch", "engage", "--scope", "session:OMS1", "--reason", "runaway"])
        #expect(engaged.contains("1 working order(s) cancelled"), "\(engaged)")
        // Journaled with the operating-system user who ran `wellhead risk`, not free text.
        let person = "os:\(NSUserName())"
        #expect(engaged.contains("by \(person)"), "\(engaged)")
        #expect(waitForJournal(appliance.journalPath) { journal in
            try journal.events(kind: "admin").contains { $0.json.contains(#""by":"\#(person)""#) && $0.json.contains("kill-switch-engage") }
        }, "the admin record names \(person)")

        try appliance.restart()
        #expect(try appliance.risk(["status"]).contains("kill switch ENGAGED at session OMS1 by os:\(NSUserName())"))
        let blocked = try order("R2", "OMS1")
        #expect(blocked.contains("ClOrdID=R2 ExecType=Rejected(8)") && blocked.contains("kill switch"), "\(blocked)")
        #expect(try order("R3", "OMS2").contains("ClOrdID=R3 ExecType=New(0)"), "OMS2 is not under the switch")

        // Released before the next restart: not engaged after it.
        #expect(try appliance.risk(["kill-switch", "release", "--scope", "session:OMS1"]).contains("released"))
        try appliance.restart()
        #expect(try appliance.risk(["status"]).contains("kill switches: none engaged"))
        #expect(try order("R4", "OMS1").contains("ClOrdID=R4 ExecType=New(0)"))
    }

    /// A trading state set with `wellhead risk trading-state` is journaled with the OS user and
    /// holds across a SIGKILL restart until a person sets it back.
    @Test func aTradingStateSetFromTheCommandLineHoldsAcrossASIGKILLRestart() throws {
        let appliance = try Appliance(limits: "firm:\n  maxOrderSize: 50\n  marketProtection: {ticks: 100}\n")
        defer { _ = appliance.stop() }
        let order = { (clOrdID: String) in
            try appliance.order(["--sender", "OMS1", "--quantity", "1", "--price", "1.00", "--tif", "gtc", "--cl-ord-id", clOrdID])
        }
        let set = try appliance.risk(["trading-state", "REDUCING", "--scope", "firm", "--reason", "drill"])
        #expect(set.contains("firm is REDUCING, set by os:\(NSUserName())"), "\(set)")
        #expect(waitForJournal(appliance.journalPath) { journal in
            try journal.events(kind: "risk.tradingState").contains { $0.json.contains(#""by":"os:\#(NSUserName())""#) }
        })
        try appliance.restart()
        let reducing = try order("T1")
        #expect(reducing.contains("ClOrdID=T1 ExecType=Rejected(8)") && reducing.contains("REDUCING"), "\(reducing)")
        #expect(try appliance.risk(["trading-state", "ACTIVE", "--scope", "firm"]).contains("firm is ACTIVE"))
        try appliance.restart()
        #expect(try order("T2").contains("ClOrdID=T2 ExecType=New(0)"))
    }

    /// The CL front month listed today, as the appliance lists it (same reference data).
    static func frontMonth(on date: Date) -> String? {
        Listing.catalog(on: date).frontMonth(root: "CL")?.symbol
    }
}
