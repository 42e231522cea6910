import FIXCodec
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
        #expect(server.waitForOutput("accepting on"), "\(server.output)")
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
        #expect(server.waitForOutput("accepting on"), "\(server.output)")
        let symbol = try #require(Self.frontMonth(on: Date()))
        let placed = try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", symbol, "--side", "sell", "--quantity", "2",
                                              "--type", "market", "--tif", "ioc"])
        #expect(placed.status == 0, "\(placed.standardError)")
        #expect(placed.standardOutput.contains("ExecType=F OrdStatus=2"), "\(placed.standardOutput)")
        #expect(placed.standardOutput.contains("\(symbol) sell 2"))
        let resting = try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", symbol, "--quantity", "1", "--price", "1.00",
                                               "--tif", "gtc", "--cl-ord-id", "S1"])
        #expect(resting.standardOutput.contains("ClOrdID=S1 ExecType=0 OrdStatus=0"), "\(resting.standardOutput)")
        let canceled = try WellheadProcess.run(["order", "--port", "\(port)", "--action", "cancel", "--orig-cl-ord-id", "S1",
                                                "--symbol", symbol])
        #expect(canceled.standardOutput.contains("ExecType=4 OrdStatus=4"), "\(canceled.standardOutput)")
        let unknown = try WellheadProcess.run(["order", "--port", "\(port)", "--action", "cancel", "--orig-cl-ord-id", "NOPE",
                                               "--symbol", symbol])
        #expect(unknown.standardOutput.contains("OrderCancelReject") && unknown.standardOutput.contains("CxlRejReason=1"))
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
    }

    @Test func restartAfterSIGKILLKeepsOpenOrdersAndOrderIDs() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let config = try WellheadProfiles.gatewayAcceptor(in: directory, port: port,
                                                          limits: "firm:\n  maxOrderSize: 50\n  marketProtection: {ticks: 100}\n")
        let symbol = try #require(Self.frontMonth(on: Date()))
        let first = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("first.log"))
        #expect(first.waitForOutput("accepting on"))
        let resting = try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", symbol, "--quantity", "4", "--price", "1.00",
                                               "--tif", "gtc", "--cl-ord-id", "KEEP"])
        #expect(resting.standardOutput.contains("WH00000001 ClOrdID=KEEP ExecType=0"), "\(resting.standardOutput)")
        first.signal(SIGKILL)
        _ = first.wait(timeout: 5)

        let second = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("second.log"))
        #expect(second.waitForOutput("accepting on"))
        #expect(second.output.contains("restored 1 orders (1 working)"), "\(second.output)")
        let next = try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", symbol, "--quantity", "1", "--price", "1.00",
                                            "--cl-ord-id", "NEXT"])
        #expect(next.standardOutput.contains("WH00000002 ClOrdID=NEXT"), "\(next.standardOutput)")
        let canceled = try WellheadProcess.run(["order", "--port", "\(port)", "--action", "cancel", "--orig-cl-ord-id", "KEEP",
                                                "--symbol", symbol])
        #expect(canceled.standardOutput.contains("WH00000001") && canceled.standardOutput.contains("ExecType=4 OrdStatus=4"),
                "\(canceled.standardOutput)")
        second.signal(SIGTERM)
        #expect(second.wait(timeout: 10) == 0)
    }

    /// The CL front month listed today, as the appliance lists it (same reference data).
    static func frontMonth(on date: Date) -> String? {
        Listing.catalog(on: date).frontMonth(root: "CL")?.symbol
    }
}
