import FIXJournal
import Foundation
import Instruments
import SimulatedVenue
import Testing
import TestSupport

/// Issue 12, "Killed under load, nothing lost": QuickFIX's C++ engine as an OMS
/// (`Tests/Interop/qf_soak.cpp`) sends a steady flow of orders, cancels and replaces through
/// the gateway (`wellhead serve`, routing over FIX) to the venue simulator in its own process;
/// the gateway is killed with SIGKILL at random instants and started again from its journal
/// each time. At the end every order has one final state, the same for the OMS, the gateway
/// and the venue; no order reached the venue twice; every fill is in the gateway's positions
/// once.
@Suite(.serialized) struct KillUnderLoadTests {
    static let kills = 20
    /// Requests a second the OMS sends.
    static let rate = 200

    /// No trading hours, no collar: only what the flow needs. Position limits so that
    /// `wellhead risk status` shows each account's position (worst case with working orders).
    static let limits = """
        firm:
          maxOrderSize: 500
          marketProtection: {ticks: 200}
        accounts:
          DESK1:
            maxPositionPerMonth: 1000000
          TAKER:
            maxPositionPerMonth: 1000000
        """

    @Test func gatewayKilledUnderLoadLosesAndDuplicatesNothing() throws {
        let seed = ProcessInfo.processInfo.environment["WELLHEAD_SOAK_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64(UInt32.max))
        print("KillUnderLoadTests: seed \(seed) (WELLHEAD_SOAK_SEED=\(seed) runs the same kill points)")
        var random = SeededRandom(seed: seed)
        let started = Date()
        // WELLHEAD_SOAK_KEEP=1 keeps the journals, logs and the OMS's record for a look after.
        let keep = ProcessInfo.processInfo.environment["WELLHEAD_SOAK_KEEP"] != nil
        let venueFolder = TemporaryDirectory()
        let (venue, _, gateway) = try VenueRoutingTests.gatewayAndVenue(in: venueFolder, limits: Self.limits)
        var server = gateway.server
        defer {
            server.signal(SIGKILL)
            venue.signal(SIGKILL)
            if keep {
                print("KillUnderLoadTests: kept \(gateway.directory.url.path) and \(venueFolder.url.path)")
            } else {
                gateway.directory.remove()
                venueFolder.remove()
            }
        }
        let s = gateway.symbol
        let prices = try Self.prices(symbol: s)
        let stopFile = gateway.directory.path("soak.stop")
        let recordFile = gateway.directory.path("soak.record")
        let settings = try QuickFIXPeer.settings(in: gateway.directory, connectionType: "initiator", sender: "OMS1", target: "WELLHEAD",
                                                 port: gateway.port, extra: """
                                                     PersistMessages=Y
                                                     ResetOnLogon=N
                                                     ResetOnLogout=N
                                                     ResetOnDisconnect=N
                                                     """)
        let oms = try BackgroundProcess(try QuickFIXPeer.executable("qf_soak"), [
            settings, recordFile, stopFile, "\(seed)", "\(Self.rate)", s, "FIXSIM", prices.takeBuy, prices.takeSell,
            prices.bids.joined(separator: ","), prices.offers.joined(separator: ","), "20",
        ], log: gateway.directory.path("soak.log"))
        defer { oms.signal(SIGKILL) }
        #expect(oms.waitForOutput("LOGON 1"), "\(oms.output)")

        var restarts: [String] = []
        for kill in 1...Self.kills {
            // A random instant: after a random number of the OMS's requests since it logged on
            // again (the flow is steady, so a random time, but one the seed picks again).
            let requests = 20 + random.next(upTo: 300)
            let from = Self.sent(oms.output)
            let reached = oms.waitForOutput(timeout: 30) { Self.sent($0) >= from + requests }
            try #require(reached, "kill \(kill): the OMS stopped sending\n\(oms.output.suffix(2000))\n\(server.output.suffix(3000))")
            server.signal(SIGKILL)
            try #require(server.wait(timeout: 10) != nil, "the gateway did not die")
            let log = gateway.directory.path("serve-\(kill).log")
            server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", gateway.config], log: log)
            try #require(server.waitForOutput("accepting connections"), "restart \(kill):\n\(server.output.suffix(3000))")
            try #require(server.waitForOutput("session=FIX.4.4:GATEWAY->SIMVENUE [FIXTransport] logged on"),
                         "restart \(kill): the route did not log on again\n\(server.output.suffix(3000))")
            try #require(oms.waitForOutput("LOGON \(kill + 1)"), "restart \(kill): the OMS did not log on again\n\(server.output.suffix(3000))")
            restarts.append(server.output.split(separator: "\n").first { $0.contains("restored from the journal") }.map(String.init) ?? "")
        }
        // The last gateway runs a while under the flow before the OMS stops and settles.
        let last = Self.sent(oms.output)
        #expect(oms.waitForOutput(timeout: 30) { Self.sent($0) >= last + 100 })
        FileManager.default.createFile(atPath: stopFile, contents: nil)
        #expect(oms.wait(timeout: 60) == 0, "\(oms.output.suffix(3000))")
        let summary = oms.output.split(separator: "\n").first { $0.hasPrefix("SUMMARY ") }.map(String.init) ?? "no summary"
        print("KillUnderLoadTests: seed \(seed); \(summary); \(Int(Date().timeIntervalSince(started))) s")
        let status = try WellheadProcess.run(["risk", "status", "--config", gateway.config])
        #expect(status.status == 0, "\(status.standardError)")
        server.signal(SIGTERM)
        _ = server.wait(timeout: 10)
        venue.signal(SIGTERM)
        _ = venue.wait(timeout: 10)

        let record = SoakRecord(text: try String(contentsOfFile: recordFile, encoding: .utf8))
        let gatewayJournal = try Journal(path: gateway.directory.path("gateway.sqlite"))
        defer { gatewayJournal.close() }
        let venueJournal = try Journal(path: venueFolder.path("venue.sqlite"))
        defer { venueJournal.close() }
        let gatewayOrders = try JournaledOrders(gatewayJournal.events(kind: "order").map(\.json))
        let venueOrders = try JournaledOrders(venueJournal.events(kind: "exchange.order").map(\.json))
        let findings = Self.compare(record, gatewayOrders, venueOrders, venueJournal: venueJournal,
                                    fills: try gatewayJournal.events(kind: "fill").map(\.json), riskStatus: status.standardOutput, symbol: s)
        #expect(record.orders.count > 1_000, "a flow worth the name: \(summary)")
        #expect(record.orders.values.contains { $0.finalState == "filled" } && record.orders.values.contains { $0.finalState == "working" }
                && record.orders.values.contains { $0.finalState == "canceled" }, "fills, working and canceled orders: \(summary)")
        #expect(record.strays.isEmpty, "reports for no order the OMS sent: \(record.strays.prefix(10))")
        let context = "seed \(seed), \(summary)\nrestores:\n\(restarts.joined(separator: "\n"))"
        #expect(findings.count == 0, "\(context):\n\(findings.prefix(60).joined(separator: "\n"))")
        print("KillUnderLoadTests findings (\(findings.count)):\n\(findings.joined(separator: "\n"))")
    }

    /// Prices for the flow in `symbol`, from the venue simulator's fair price (seed 11, as the
    /// profiles set it): taking orders 3 % through it, which fill against the makers; resting
    /// bids 8 to 10 % under it and offers 8 to 10 % over it, which rest.
    static func prices(symbol: String) throws -> (takeBuy: String, takeSell: String, bids: [String], offers: [String]) {
        let now = Date()
        let catalog = Listing.catalog(on: now)
        let instrument = try #require(catalog.instrument(symbol: symbol))
        let fair = try #require(try SimulatedVenue(catalog: catalog, seed: 11, settings: .standard,
                                                   startTime: Int64(now.timeIntervalSince1970 * 1e9)).fairPrice(symbol: symbol))
        let ticks = try #require(instrument.ticks(for: fair))
        func price(_ permille: Int64) -> String { "\(instrument.price(ticks: ticks * permille / 1_000))" }
        return (price(1_030), price(970), [900, 905, 910, 915, 920].map(price), [1_080, 1_085, 1_090, 1_095, 1_100].map(price))
    }

    /// The last "SENT n" the OMS printed.
    static func sent(_ output: String) -> Int {
        guard let range = output.range(of: "SENT ", options: .backwards) else { return 0 }
        return Int(output[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    /// Every way the three records disagree, one line each, naming the order.
    static func compare(_ record: SoakRecord, _ gateway: JournaledOrders, _ venue: JournaledOrders, venueJournal: Journal,
                        fills: [String], riskStatus: String, symbol: String) -> [String] {
        var findings: [String] = []
        // NewOrderSingles the venue received, by the gateway's ClOrdID (its OrderID): their
        // sequence numbers. One message journaled twice (received as the connection dropped,
        // so not acted on, then resent with PossDupFlag on the venue's ResendRequest) is one.
        var newOrders: [String: Set<Int>] = [:]
        for message in (try? venueJournal.messages()) ?? []
        where message.session.name == "FIX.4.4:SIMVENUE->GATEWAY" && message.direction == .inbound && message.msgType == "D" {
            let text = String(decoding: message.bytes, as: UTF8.self)
            guard let field = text.split(separator: "\u{1}").first(where: { $0.hasPrefix("11=") }) else { continue }
            newOrders[String(field.dropFirst(3)), default: []].insert(message.sequenceNumber)
        }
        for (clOrdID, numbers) in newOrders.sorted(by: { $0.key < $1.key }) where numbers.count > 1 {
            findings.append("venue received \(numbers.count) NewOrderSingles with ClOrdID \(clOrdID) (MsgSeqNum \(numbers.sorted()))")
        }
        // Venue orders by the gateway's OrderID (the venue's ClOrdIDs are it, or it-N after a replace).
        var venueByGateway: [String: [JournaledOrders.Order]] = [:]
        for order in venue.orders.values {
            let first = order.firstClOrdID.split(separator: "-").first.map(String.init) ?? order.firstClOrdID
            venueByGateway[first, default: []].append(order)
        }
        for (gatewayID, orders) in venueByGateway.sorted(by: { $0.key < $1.key }) where orders.count > 1 {
            findings.append("venue holds \(orders.count) orders for gateway order \(gatewayID): \(orders.map(\.orderID).sorted())")
        }
        var omsFills: [String: (account: String, side: String, quantity: Int64)] = [:]
        var working: [String: (buy: Int64, sell: Int64)] = [:]
        for chain in record.chains {
            let order = record.orders[chain]!
            let oms = order.finalState
            let orderID = order.orderID ?? gateway.byClOrdID[chain]
            let atGateway = orderID.flatMap { gateway.orders[$0] }
            let atVenue = orderID.flatMap { venueByGateway[$0]?.first }
            let label = "\(chain) (\(orderID ?? "no OrderID"), venue \(atVenue?.orderID ?? "-"))"
            guard let oms else {
                findings.append("\(label): no report reached the OMS; gateway \(atGateway?.state ?? "has no order record"), venue \(atVenue?.state ?? "has no order")")
                continue
            }
            if oms.hasPrefix("pending") {
                findings.append("\(label): the OMS's last report is \(oms); gateway \(atGateway?.state ?? "no record"), venue \(atVenue?.state ?? "-")")
            }
            if let atGateway {
                if atGateway.state != oms || atGateway.cumQty != order.cumQty {
                    findings.append("\(label): OMS \(oms) cum \(order.cumQty), gateway journal \(atGateway.state) cum \(atGateway.cumQty)")
                }
            } else if oms != "rejected" {
                findings.append("\(label): OMS \(oms), the gateway's journal has no record of the order")
            }
            if let atVenue {
                if atVenue.state != oms || atVenue.cumQty != order.cumQty {
                    findings.append("\(label): OMS \(oms) cum \(order.cumQty), venue \(atVenue.state) cum \(atVenue.cumQty)")
                }
            } else if oms == "working" || oms == "filled" {
                findings.append("\(label): OMS \(oms), the venue has no such order")
            }
            let (unique, repeated) = order.fills
            if !repeated.isEmpty { findings.append("\(label): fills reported to the OMS more than once: \(repeated)") }
            let filled = unique.reduce(0) { $0 + $1.quantity }
            if filled != order.cumQty { findings.append("\(label): the OMS's fills add up to \(filled), its CumQty is \(order.cumQty)") }
            for fill in unique { omsFills[fill.execID] = (order.account, order.side, fill.quantity) }
            if oms == "working" {
                var sides = working[order.account, default: (0, 0)]
                if order.side == "1" { sides.buy += order.leavesQty } else { sides.sell += order.leavesQty }
                working[order.account] = sides
            }
        }
        // Every fill in the gateway's journal once, and only the fills the OMS was told of.
        var journaled: [String: Int] = [:]
        for json in fills {
            guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                  let execID = object["execID"] as? String else { continue }
            journaled[execID, default: 0] += 1
        }
        for (execID, count) in journaled.sorted(by: { $0.key < $1.key }) {
            if count > 1 { findings.append("fill \(execID) journaled \(count) times") }
            if omsFills[execID] == nil { findings.append("fill \(execID) journaled by the gateway, never reported to the OMS") }
        }
        for execID in omsFills.keys.sorted() where journaled[execID] == nil {
            findings.append("fill \(execID) reported to the OMS, not in the gateway's journal")
        }
        // The positions the running gateway reports (worst case: position and working orders).
        for account in ["DESK1"] {
            let position = omsFills.values.filter { $0.account == account }.reduce(Int64(0)) { $0 + ($1.side == "1" ? $1.quantity : -$1.quantity) }
            let sides = working[account] ?? (0, 0)
            let expected = max(position + sides.buy, sides.sell - position, 0)
            let line = riskStatus.split(separator: "\n").first { $0.contains("position per month of account \(account) \(symbol): ") }
            let shown = line.flatMap { Int64($0.components(separatedBy: "\(symbol): ").last?.split(separator: " ").first ?? "") } ?? 0
            if shown != expected {
                findings.append("account \(account): the gateway reports \(shown) contracts worst case; the OMS's fills make the position \(position), "
                                + "with working buys \(sides.buy) and sells \(sides.sell): \(expected) (\(line ?? "no line"))")
            }
        }
        return findings
    }
}

/// The last journaled state of each order (`order` records of the gateway, `exchange.order`
/// records of the venue: an order's JSON after each change).
struct JournaledOrders {
    struct Order {
        let orderID: String
        /// The ClOrdID of the order's first record.
        var firstClOrdID: String
        var clOrdID: String
        var status: String
        var pending: Bool
        var cumQty: Int64
        /// As ``SoakRecord/category(ofOrdStatus:)`` names it; `pending change` while a cancel or
        /// replace is unanswered.
        var state: String { pending && !["filled", "canceled", "rejected"].contains(SoakRecord.category(ofOrdStatus: status))
            ? "pending change" : SoakRecord.category(ofOrdStatus: status) }
    }

    var orders: [String: Order] = [:]
    /// Every ClOrdID an order went by, to its OrderID.
    var byClOrdID: [String: String] = [:]

    init(_ records: [String]) throws {
        for json in records {
            guard let outer = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                  let order = outer["order"] as? [String: Any], let orderID = order["orderID"] as? String,
                  let clOrdID = order["clOrdID"] as? String else { continue }
            let cumQty = (order["cumQty"] as? NSNumber)?.int64Value ?? 0
            var entry = orders[orderID] ?? Order(orderID: orderID, firstClOrdID: clOrdID, clOrdID: clOrdID, status: "", pending: false, cumQty: 0)
            entry.clOrdID = clOrdID
            entry.status = order["status"] as? String ?? ""
            entry.pending = order["pending"] != nil
            entry.cumQty = cumQty
            orders[orderID] = entry
            byClOrdID[clOrdID] = orderID
            if let original = order["origClOrdID"] as? String { byClOrdID[original] = orderID }
        }
    }
}
