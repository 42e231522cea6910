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

        try appliance.crashAndRestart()
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
        try appliance.crashAndRestart()
        oms = try appliance.connect(continuing: oms)
        let engaged = try appliance.admin(#"{"command":"status"}"#)["engagedKillSwitches"] as? [[String: Any]]
        #expect(engaged?.count == 1 && (engaged?.first?["engagedBy"] as? String) == "maria", "\(engaged ?? [])")
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

        try appliance.crashAndRestart()
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
        try appliance.crashAndRestart()
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
        // Each refusal is journaled as a risk decision naming the check.
        let journal = try Journal(path: appliance.journalPath)
        defer { journal.close() }
        let decisions = try journal.events(kind: "risk.decision").map(\.json).filter { $0.contains("\"check\":\"unknownAccount\"") }
        #expect(decisions.count == 2, "\(decisions)")
    }
}

/// `wellhead serve` on the gateway profile with `WellheadProfiles.limitsAtEveryScope`, SIGKILLed and
/// started again on the same journal file.
private final class Appliance {
    let directory = TemporaryDirectory()
    let port = freePort()
    let config: String
    let symbol: String
    private var server: BackgroundProcess
    private var starts = 0

    var journalPath: String { directory.path("gateway.sqlite") }
    var adminSocket: String { directory.path("gateway.admin.sock") }

    init() throws {
        config = try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: WellheadProfiles.limitsAtEveryScope)
        symbol = try #require(ApplianceTests.frontMonth(on: Date()))
        server = try Self.start(config, log: directory.path("serve-0.log"))
    }

    private static func start(_ config: String, log: String) throws -> BackgroundProcess {
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: log)
        guard server.waitForOutput("accepting on") else {
            throw RestartFailure(description: "wellhead serve did not start: \(server.output.suffix(2000))")
        }
        return server
    }

    /// SIGKILL, then a new process on the same settings and journal.
    func crashAndRestart() throws {
        server.signal(SIGKILL)
        _ = server.wait(timeout: 10)
        starts += 1
        server = try Self.start(config, log: directory.path("serve-\(starts).log"))
    }

    /// OMS1 logged on (after `previous`'s messages when it continues a session).
    func connect(continuing previous: OMS? = nil) throws -> OMS {
        try OMS(port: port, symbol: symbol, nextSeq: previous?.nextSeq ?? 1)
    }

    /// One request on the admin socket, its JSON answer.
    func admin(_ request: String) throws -> [String: Any] {
        let reply = try RawLineClient.exchange(request + "\n", path: adminSocket)
        guard let object = try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any] else {
            throw RestartFailure(description: "not a JSON object: \(reply)")
        }
        return object
    }

    /// Every stateful limit's use by `kind subject`, except the rate windows (they measure the
    /// last seconds, which a restart has let pass).
    func utilisation() throws -> [String: String] {
        let rows = try admin(#"{"command":"status"}"#)["utilisation"] as? [[String: Any]] ?? []
        var used: [String: String] = [:]
        for row in rows {
            guard let kind = row["kind"] as? String, !kind.hasSuffix("Rate"), let subject = row["subject"] else { continue }
            used["\(kind) \(subject)"] = "\(row["used"] ?? "")"
        }
        return used
    }

    /// The OrdStatus of every journaled state of the order `clOrdID`, oldest first.
    func orderStatuses(clOrdID: String) throws -> [String] {
        let journal = try Journal(path: journalPath)
        defer { journal.close() }
        return try journal.events(kind: "order").compactMap { event -> String? in
            guard let object = try JSONSerialization.jsonObject(with: Data(event.json.utf8)) as? [String: Any],
                  let order = object["order"] as? [String: Any], order["clOrdID"] as? String == clOrdID else { return nil }
            return order["status"] as? String
        }
    }

    func stop() {
        server.signal(SIGTERM)
        _ = server.wait(timeout: 10)
        directory.remove()
    }
}

/// OMS1 on a raw FIX socket, sending orders for the front month and reading their reports.
private struct OMS {
    let client: RawFIXClient
    let symbol: String
    let party = Counterparty()
    private(set) var nextSeq: Int

    init(port: Int, symbol: String, nextSeq: Int) throws {
        client = try RawFIXClient(port: port)
        self.symbol = symbol
        self.nextSeq = nextSeq
        try client.send(party.logon(seq: nextSeq, at: TestClock.wall()))
        self.nextSeq += 1
        guard client.receive(until: "A").last?.msgType == "A" else { throw RestartFailure(description: "no Logon reply") }
    }

    /// A NewOrderSingle with `fields`; its reports up to the first with an OrdStatus in `until`
    /// (New or later for an order that rests; filled, cancelled or rejected for an IOC).
    mutating func order(_ clOrdID: String, _ fields: String, until: Set<String> = ["0", "2", "4", "8"]) throws -> [FIXMessage] {
        try request("D", clOrdID, "11=\(clOrdID)|55=\(symbol)|\(fields)|60=\(TestClock.wall())|", until: until)
    }

    mutating func cancel(_ clOrdID: String, orig: String) throws -> [FIXMessage] {
        try request("F", clOrdID, "11=\(clOrdID)|41=\(orig)|55=\(symbol)|54=1|60=\(TestClock.wall())|", until: ["0", "2", "4", "8"])
    }

    private mutating func request(_ msgType: String, _ clOrdID: String, _ body: String, until: Set<String>) throws -> [FIXMessage] {
        try client.send(party.message(msgType, seq: nextSeq, at: TestClock.wall(), body))
        nextSeq += 1
        var reports: [FIXMessage] = []
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, let message = client.receive(timeout: deadline.timeIntervalSinceNow) {
            guard message[11]?.string == clOrdID else { continue }
            reports.append(message)
            if message.msgType == "9" { break }
            if let status = message[39]?.string, until.contains(status) { break }
        }
        return reports
    }
}

private struct RestartFailure: Error, CustomStringConvertible {
    let description: String
}
