import FIXCodec
import FIXJournal
import Foundation
import Testing
import TestSupport

/// `wellhead serve` on the gateway profile (with `WellheadProfiles.limitsAtEveryScope` unless other limits are given), SIGKILLed and
/// started again on the same journal file, and the commands an operator runs against it.
final class Appliance {
    let directory = TemporaryDirectory()
    let port = freePort()
    let config: String
    let symbol: String
    private(set) var server: BackgroundProcess
    private var starts = 0
    /// Whether a route session to a venue simulator must log on before orders can go there.
    private let routed: Bool

    var journalPath: String { directory.path("gateway.sqlite") }
    var adminSocket: String { directory.path("gateway.admin.sock") }

    /// - Parameter venuePort: a venue simulator the gateway routes ExDestination FIXSIM to.
    /// - Parameter keys: more lines for the profile's [DEFAULT] (`JournalSync=full`).
    init(limits: String = WellheadProfiles.limitsAtEveryScope, routeTo venuePort: Int? = nil, keys: String = "") throws {
        config = try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: limits, routeTo: venuePort, keys: keys)
        symbol = try #require(ApplianceTests.frontMonth(on: Date()))
        routed = venuePort != nil
        server = try Self.start(config, log: directory.path("serve-0.log"))
        try awaitRoute()
    }

    /// Waits for the route session to the venue to log on.
    private func awaitRoute() throws {
        guard routed else { return }
        guard server.waitForOutput("session=FIX.4.4:GATEWAY->SIMVENUE [FIXTransport] logged on") else {
            throw RestartFailure(description: "the route to the venue did not log on: \(server.output.suffix(2000))")
        }
    }

    private static func start(_ config: String, log: String) throws -> BackgroundProcess {
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: log)
        // Serving once the FIX port accepts and the admin socket is up (after the restore).
        guard server.waitForOutput("accepting connections"), server.waitForOutput("risk admin socket") else {
            throw RestartFailure(description: "wellhead serve did not start: \(server.output.suffix(2000))")
        }
        return server
    }

    /// SIGKILL, then a new process on the same settings and journal.
    func restart() throws {
        server.signal(SIGKILL)
        _ = server.wait(timeout: 10)
        try startAgain()
    }

    /// A new process on the same settings and journal, once the last one has ended.
    func startAgain() throws {
        starts += 1
        server = try Self.start(config, log: directory.path("serve-\(starts).log"))
        try awaitRoute()
    }

    /// `wellhead <arguments> --config <this profile>`.
    func command(_ arguments: [String]) throws -> WellheadProcess.Result {
        try WellheadProcess.run(arguments + ["--config", config])
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

    /// What `wellhead order` prints for the `arguments` after its port and symbol.
    func order(_ arguments: [String]) throws -> String {
        try WellheadProcess.run(["order", "--port", "\(port)", "--symbol", symbol] + arguments).standardOutput
    }

    /// What `wellhead risk <arguments> --config <profile>` prints.
    func risk(_ arguments: [String]) throws -> String {
        try command(["risk"] + arguments).standardOutput
    }

    /// SIGTERM; the exit status.
    @discardableResult
    func stop() -> Int32? {
        server.signal(SIGTERM)
        defer { directory.remove() }
        return server.wait(timeout: 10)
    }
}

/// OMS1 on a raw FIX socket, sending orders for the front month and reading their reports.
struct OMS {
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
    mutating func order(_ clOrdID: String, _ fields: String, symbol: String? = nil,
                        until: Set<String> = ["0", "2", "4", "8"]) throws -> [FIXMessage] {
        try request("D", clOrdID, "11=\(clOrdID)|55=\(symbol ?? self.symbol)|\(fields)|60=\(TestClock.wall())|", until: until)
    }

    mutating func cancel(_ clOrdID: String, orig: String) throws -> [FIXMessage] {
        try request("F", clOrdID, "11=\(clOrdID)|41=\(orig)|55=\(symbol)|54=1|60=\(TestClock.wall())|", until: ["0", "2", "4", "8"])
    }

    /// A MarketDataRequest for the book top of `symbol` (snapshot only); the answer to it, W or Y.
    mutating func marketData(_ requestID: String, symbol: String) throws -> FIXMessage? {
        try client.send(party.message("V", seq: nextSeq, at: TestClock.wall(),
                                      "262=\(requestID)|263=0|264=1|267=2|269=0|269=1|146=1|55=\(symbol)|"))
        nextSeq += 1
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, let message = client.receive(timeout: deadline.timeIntervalSinceNow) {
            if message[262]?.string == requestID { return message }
        }
        return nil
    }

    /// The next message about `clOrdID` the gateway sends unasked (an expiry, a fill).
    func next(about clOrdID: String, timeout: Double = 10) -> FIXMessage? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, let message = client.receive(timeout: deadline.timeIntervalSinceNow) {
            if message[11]?.string == clOrdID { return message }
        }
        return nil
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

struct RestartFailure: Error, CustomStringConvertible {
    let description: String
}
