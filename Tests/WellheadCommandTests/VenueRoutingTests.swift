import ConsoleAccess
import FIXCodec
import FIXJournal
import Foundation
import Instruments
import SimulatedVenue
import Testing
import TestSupport

/// The gateway routing to the venue simulator in another process over FIX, so it cannot tell
/// it from a remote exchange: QuickFIX as the OMS, `wellhead serve` as the gateway (with a
/// route session, `Application=route`), and `wellhead serve` as the venue.
@Suite(.serialized) struct VenueRoutingTests {
    /// The venue simulator serving GATEWAY from `folder`, and a gateway with `limits` logged on
    /// to it over its route session.
    /// With `brentAs`, the venue calls Brent by that root and the gateway's route is told so.
    /// `gatewayKeys` go into the gateway's profile as they are.
    static func gatewayAndVenue(in folder: TemporaryDirectory, limits: String, brentAs venueRoot: String? = nil, consolePort: Int? = nil,
                                gatewayKeys: (TemporaryDirectory) throws -> String = { _ in "" })
        throws -> (venue: BackgroundProcess, venueConfig: String, gateway: ServedProfile) {
        let venuePort = freePort()
        let symbolRoots = venueRoot.map { "VenueSymbolRoots=BZ:\($0)" } ?? ""
        let venueConfig = try WellheadProfiles.venueAcceptor(in: folder, port: venuePort, participants: ["GATEWAY"], keys: symbolRoots)
        let venue = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", venueConfig], log: folder.path("venue.log"))
        #expect(venue.waitForOutput("accepting connections"), "\(venue.output)")
        let gateway = try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
            var keys = try gatewayKeys(directory)
            if let consolePort {
                let usersPath = directory.path("console-users.txt")
                var users = UsersFile.empty(path: usersPath)
                try users.add(ConsoleUser(name: "rita", role: .riskManager, accounts: [],
                                          password: PasswordHash(hashing: ConsoleBrowserTests.password, cost: 4)))
                try users.save()
                keys += "\nConsolePort=\(consolePort)\nUsers=\(usersPath)"
            }
            return try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: limits, routeTo: venuePort, routeKeys: symbolRoots,
                                                        keys: keys)
        }
        #expect(gateway.server.waitForOutput("session=FIX.4.4:GATEWAY->SIMVENUE [FIXTransport] logged on"), "\(gateway.server.output)")
        return (venue, venueConfig, gateway)
    }

    @Test func ordersGoToTheFIXVenueAndSurviveItsCrashAndRestart() throws {
        let venueFolder = TemporaryDirectory()
        defer { venueFolder.remove() }
        let (venue, venueConfig, gateway) = try Self.gatewayAndVenue(in: venueFolder, limits: QuickFIXOMSTests.limits)
        var restarted: BackgroundProcess?
        defer {
            venue.signal(SIGKILL)
            restarted?.signal(SIGTERM)
            _ = restarted?.wait(timeout: 10)
            gateway.stop()
        }
        let s = gateway.symbol
        // The venue is killed mid-session, and started again from its journal, by the test at
        // the script's pauses (a child of QuickFIX would hold its sockets open).
        let oms = try gateway.launch("""
            D R1 \(s) 1 2 1 - 3 FIXSIM
            EXPECT R1 2 15
            D R2 \(s) 1 1 2 1.00 1 FIXSIM
            EXPECT R2 0 10
            G R3 R2 \(s) 1 3 2 1.05 1
            EXPECT R3 0 10
            F R4 R3 \(s) 1
            EXPECT R4 4 10
            D R5 \(s) 1 1 2 1.01 0 FIXSIM
            EXPECT R5 0 10
            D U1 \(s) 1 1 2 1.00 0 NOWHERE
            EXPECT U1 8 10
            \(gateway.pause("venue-killed"))
            D R6 \(s) 1 1 2 1.00 0 FIXSIM
            EXPECT R6 8 10
            \(gateway.pause("venue-restarted"))
            F R7 R5 \(s) 1
            EXPECT R7 4 15
            """)
        gateway.at("venue-killed", of: oms) {
            venue.signal(SIGKILL)
            #expect(venue.wait(timeout: 10) != nil)
            // The gateway has seen it go when it tells the OMS that R5, working there, is in
            // an unknown state.
            #expect(oms.waitForOutput { Self.disconnectedReport(in: $0, for: "R5") != nil }, "\(oms.output)")
        }
        try gateway.at("venue-restarted", of: oms) {
            restarted = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", venueConfig],
                                              log: venueFolder.path("venue-2.log"))
            // Back once the gateway, logged on again, has asked the venue for R5's status.
            #expect(waitForJournal(gateway.directory.path("gateway.sqlite")) {
                try journaled($0, session: "FIX.4.4:GATEWAY->SIMVENUE", .outbound, msgType: "H")
            }, "\(gateway.server.output.suffix(3000))")
            // The venue rebuilt its own orders from its journal: R1 filled, R2 (replaced, then
            // cancelled) and R5, still working, back on its book.
            #expect(restarted?.output.contains("orders=3 working=1 [wellhead] restored from the journal") == true, "\(restarted?.output.suffix(2000) ?? "")")
        }
        let status = oms.wait(timeout: 60)
        let output = oms.output
        #expect(status == 0, "\(output)\n\(gateway.server.output.suffix(3000))")
        // Filled at the venue: the fills come back through the gateway, exact.
        let fills = QuickFIXOMSTests.reports(output, "R1")
        #expect(fills.last?["39"] == "2" && fills.last?["14"] == "2", "\(fills)")
        // The replace and the cancel reached the venue and came back as the OMS's own chain.
        #expect(QuickFIXOMSTests.reports(output, "R3").contains { $0["150"] == "5" && $0["41"] == "R2" && $0["44"] == "1.05" })
        #expect(QuickFIXOMSTests.reports(output, "R4").last?["150"] == "4")
        #expect(QuickFIXOMSTests.reports(output, "U1").first?["58"]?.contains("unknown venue NOWHERE") == true)
        // While the venue was down: its working order marked, new orders refused.
        #expect(Self.disconnectedReport(in: output, for: "R5") != nil, "\(output)")
        #expect(QuickFIXOMSTests.reports(output, "R6").first?["58"]?.contains("venue FIXSIM is not connected") == true, "\(output)")
        // Back: reconciled by status request, and the order can be cancelled at the venue.
        #expect(QuickFIXOMSTests.reports(output, "R7").last?["39"] == "4", "\(output)")
    }

    /// The gateway killed (SIGKILL) with an order working at the venue simulator, and started
    /// again from its journal: the order is the venue's still, not put on the gateway's own
    /// simulated venue. When the route logs on again the gateway asks the venue for its status,
    /// and follows what the venue does with it: a fill there reaches the OMS under its ClOrdID.
    @Test func afterAGatewayRestartAnOrderAtTheFIXVenueIsReconciledThere() throws {
        let venueFolder = TemporaryDirectory()
        defer { venueFolder.remove() }
        let (venue, venueConfig, gateway) = try Self.gatewayAndVenue(in: venueFolder, limits: QuickFIXOMSTests.limits)
        var second: BackgroundProcess?
        defer {
            second?.signal(SIGTERM)
            _ = second?.wait(timeout: 10)
            venue.signal(SIGTERM)
            _ = venue.wait(timeout: 10)
            gateway.stop()
        }
        let s = gateway.symbol
        // A GTC bid far under the market rests at the venue; after the restart, a shock at the
        // venue alone (the gateway's in-process simulator is not moved) fills it there.
        let oms = try gateway.launch("""
            D R1 \(s) 1 2 2 1.00 1 FIXSIM
            EXPECT R1 0 10
            \(gateway.pause("gateway-restarted"))
            WAITLOGON 2 30
            RUN \(WellheadProcess.executable.path) venue shock --root CL --percent -99 --config \(venueConfig) > /dev/null
            EXPECT R1 2 15
            """)
        try gateway.at("gateway-restarted", of: oms) {
            gateway.server.signal(SIGKILL)
            #expect(gateway.server.wait(timeout: 10) != nil)
            let restarted = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", gateway.config],
                                                  log: gateway.directory.path("second.log"))
            second = restarted
            #expect(restarted.waitForOutput("accepting connections"), "\(restarted.output)")
            #expect(restarted.output.contains("orders=1 working=1 [wellhead] restored from the journal"), "\(restarted.output)")
            // The route logged on again and the status request for the order reached the venue.
            #expect(waitForJournal(venueFolder.path("venue.sqlite")) {
                try journaled($0, session: "FIX.4.4:SIMVENUE->GATEWAY", .inbound, msgType: "H", with: ["11=WH00000001"])
            }, "\(restarted.output.suffix(3000))")
        }
        let status = oms.wait(timeout: 60)
        let output = oms.output
        #expect(status == 0, "\(output)\n\(second?.output.suffix(3000) ?? "")")
        let fill = try #require(QuickFIXOMSTests.reports(output, "R1").last)
        #expect(fill["39"] == "2" && fill["14"] == "2" && fill["37"] == "WH00000001", "filled at the venue: \(fill)")
        // The venue was sent the order once: after the restart, the status request, not the
        // order again.
        let journal = try Journal(path: venueFolder.path("venue.sqlite"))
        defer { journal.close() }
        let orders = try journal.messages().filter { $0.session.name == "FIX.4.4:SIMVENUE->GATEWAY" && $0.direction == .inbound && $0.msgType == "D" }
        #expect(orders.count == 1, "R1 was sent to the venue once")
    }

    /// The report telling the OMS that `clOrdID`, working at the venue, is in an unknown state
    /// since the venue disconnected.
    static func disconnectedReport(in output: String, for clOrdID: String) -> [String: String]? {
        QuickFIXOMSTests.reports(output, clOrdID).first { $0["150"] == "I" && $0["58"]?.contains("venue FIXSIM disconnected") == true }
    }

    /// The venue's market data through the gateway: the gateway subscribes over the route
    /// session, reads the venue's W and X into its normalizer, publishes them to an OMS
    /// subscriber, and takes the risk sidecar's reference prices from them. A shock at the
    /// venue (not at the gateway's in-process simulator) reaches the OMS as new levels and
    /// moves the price collar with it.
    @Test func venueMarketDataReachesTheOMSAndMovesTheCollars() throws {
        let venueFolder = TemporaryDirectory()
        defer { venueFolder.remove() }
        let consolePort = freePort()
        let (venue, venueConfig, gateway) = try Self.gatewayAndVenue(in: venueFolder, limits: WellheadProfiles.gatewayLimits,
                                                                     consolePort: consolePort)
        defer {
            venue.signal(SIGTERM)
            _ = venue.wait(timeout: 10)
            gateway.stop()
        }
        #expect(gateway.server.waitForOutput("console listening", timeout: 60), "\(gateway.server.output)")
        let console = ConsoleClient(port: consolePort)
        try console.signIn("rita", ConsoleBrowserTests.password)
        let s = gateway.symbol
        let now = Date()
        let catalog = Listing.catalog(on: now)
        let instrument = try #require(catalog.instrument(symbol: s))
        let fair = try #require(try SimulatedVenue(catalog: catalog, seed: 11, settings: .standard,
                                                   startTime: Int64(now.timeIntervalSince1970 * 1e9)).fairPrice(symbol: s))
        // 3 % under the market: inside the 10 % collar, and resting rather than filling; after
        // the shock halves the market, 3 % under that.
        let bid = instrument.price(ticks: try #require(instrument.ticks(for: fair)) * 97 / 100)
        let shockedBid = instrument.price(ticks: try #require(instrument.ticks(for: fair)) * 485 / 1_000)
        let venueCommand = "RUN \(WellheadProcess.executable.path) venue"
        let half = fair * FIXDecimal(mantissa: 6, scale: 1)
        let oms = try gateway.launch("""
            V MD1 1 5 012 \(s)
            WAITMSG W 1 10
            D K0 \(s) 1 1 2 \(bid) 0 FIXSIM
            EXPECT K0 0 10
            F K0X K0 \(s) 1
            EXPECT K0X 4 10
            \(venueCommand) shock --root CL --percent -50 --config \(venueConfig)
            \(gateway.pause("shocked"))
            D K1 \(s) 1 1 2 \(bid) 0 FIXSIM
            EXPECT K1 8 10
            \(venueCommand) halt --reason drill --config \(venueConfig)
            \(gateway.pause("halted"))
            D H1 \(s) 1 1 2 \(shockedBid) 0 FIXSIM
            EXPECT H1 8 10
            \(venueCommand) resume --config \(venueConfig)
            \(gateway.pause("resumed"))
            D H2 \(s) 1 1 2 \(shockedBid) 0 FIXSIM
            EXPECT H2 0 10
            """)
        gateway.at("shocked", of: oms) {
            // The gateway applies the venue's market data (its reference prices among it) before
            // it passes the levels on: the OMS seeing the shocked book means the collar moved.
            #expect(oms.waitForOutput { Self.levelsAfterTheShock(in: $0).contains { $0 < half } }, "\(oms.output)")
        }
        gateway.at("halted", of: oms) {
            #expect(Self.venueStatus(halted: true, journaledBy: gateway), "\(gateway.server.output.suffix(3000))")
            // The Market page's venue row says so, in the venue's words.
            #expect(Self.consoleVenue(console) { $0["halted"] as? Bool == true && $0["status"] as? String == "every instrument halted: drill" })
        }
        gateway.at("resumed", of: oms) {
            #expect(Self.venueStatus(halted: false, journaledBy: gateway), "\(gateway.server.output.suffix(3000))")
            #expect(Self.consoleVenue(console) { $0["halted"] as? Bool == false && $0["status"] as? String == "trading" })
        }
        let status = oms.wait(timeout: 60)
        let output = oms.output
        #expect(status == 0, "\(output)\n\(gateway.server.output.suffix(3000))")
        // After the shock, the OMS's book is the venue's: levels near half the old price.
        let prices = Self.levelsAfterTheShock(in: output)
        #expect(prices.contains { $0 < half }, "the venue's shocked levels: \(prices)\n\(output)")
        // The collar now measures from the venue's shocked prices.
        let rejected = try #require(QuickFIXOMSTests.reports(output, "K1").first)
        #expect(rejected["58"]?.contains("price collar") == true, "\(rejected)")
        // The venue's halt, announced by TradingSessionStatus, refused the order at the gateway.
        #expect(QuickFIXOMSTests.reports(output, "H1").first?["58"] == "venue FIXSIM has halted \(s): drill", "\(output)")
        // Wellhead's own subscriber, reading the gateway's feed through its normalizer, sees the
        // venue's shocked book.
        let watch = try WellheadProcess.run(["marketdata", "watch", "--port", "\(gateway.port)", "--sender", "OMS2",
                                             "--symbol", s, "--seconds", "2"])
        let book = try #require(watch.standardOutput.split(separator: "\n").first { $0.hasPrefix("final \(s) bid ") },
                                "\(watch.standardOutput)\n\(watch.standardError)")
        let bestBid = try #require(FIXDecimal(String(book.dropFirst("final \(s) bid ".count).prefix { $0 != " " })))
        #expect(bestBid < half, "\(book)")
    }

    /// The desk's signals read the FIX venue's market, not the in-process simulator's: after
    /// the venue's CL is shocked to half its price, the console shows CL's composite reading
    /// a front-month bar that closed near half the old price.
    @Test func theSignalsReadTheFIXVenuesMarket() throws {
        let venueFolder = TemporaryDirectory()
        defer { venueFolder.remove() }
        let consolePort = freePort()
        let (venue, venueConfig, gateway) = try Self.gatewayAndVenue(in: venueFolder, limits: WellheadProfiles.gatewayLimits,
                                                                     consolePort: consolePort) { directory in
            let path = directory.path("signals.yaml")
            try SignalsApplianceTests.signals.write(toFile: path, atomically: true, encoding: .utf8)
            return "Signals=\(path)"
        }
        defer {
            venue.signal(SIGTERM)
            _ = venue.wait(timeout: 10)
            gateway.stop()
        }
        #expect(gateway.server.waitForOutput("console listening", timeout: 60), "\(gateway.server.output)")
        let console = ConsoleClient(port: consolePort)
        try console.signIn("rita", ConsoleBrowserTests.password)
        let now = Date()
        let catalog = Listing.catalog(on: now)
        let front = try #require(catalog.frontMonth(root: "CL")).symbol
        let fair = try #require(try SimulatedVenue(catalog: catalog, seed: 11, settings: .standard,
                                                   startTime: Int64(now.timeIntervalSince1970 * 1e9)).fairPrice(symbol: front))
        let shock = try WellheadProcess.run(["venue", "shock", "--root", "CL", "--percent", "-50", "--config", venueConfig])
        #expect(shock.status == 0, "\(shock.standardOutput)\n\(shock.standardError)")
        // A one-minute bar that closed after the shock: the second bar to close at the latest.
        var row: [String: Any] = [:]
        let read = eventually(timeout: 150) {
            guard let state = try? JSONSerialization.jsonObject(with: Data(console.request("GET", "/api/state").body.utf8)) as? [String: Any],
                  let signals = state["signals"] as? [[String: Any]], let cl = signals.first(where: { $0["root"] as? String == "CL" })
            else { return false }
            row = cl
            guard let close = (cl["lastClose"] as? String)?.split(separator: " "), close.count == 2, close[0] == front,
                  let price = FIXDecimal(String(close[1])) else { return false }
            return price < fair * FIXDecimal(mantissa: 6, scale: 1)
        }
        #expect(read, "CL's signals never read the venue's shocked market (fair \(fair)): \(row)\n\(gateway.server.output.suffix(2000))")
        #expect((row["bars"] as? Int ?? 0) >= 1, "\(row)")
    }

    /// The price levels of MD1's incremental refreshes the OMS printed after the first command
    /// its script ran (the shock).
    static func levelsAfterTheShock(in output: String) -> [FIXDecimal] {
        let afterShock = output.range(of: "RAN 0").map { String(output[$0.upperBound...]) } ?? ""
        return afterShock.split(separator: "\n").filter { $0.hasPrefix("RECV 35=X 262=MD1") }
            .flatMap { $0.components(separatedBy: " 270=").dropFirst().compactMap { FIXDecimal(String($0.prefix { $0 != " " && $0 != "]" })) } }
    }

    /// Waits until the gateway has journaled, as the venue's latest trading session status,
    /// that the whole venue is `halted` (or open): the gateway refuses or sends orders by it
    /// from then on.
    /// Whether the console soon shows the FIXSIM venue's row as `matches` wants it.
    static func consoleVenue(_ console: ConsoleClient, _ matches: ([String: Any]) -> Bool) -> Bool {
        eventually(timeout: 10) {
            guard let state = try? JSONSerialization.jsonObject(with: Data(console.request("GET", "/api/state").body.utf8)) as? [String: Any],
                  let venues = state["venues"] as? [[String: Any]], let row = venues.first(where: { $0["name"] as? String == "FIXSIM" })
            else { return false }
            return matches(row)
        }
    }

    static func venueStatus(halted: Bool, journaledBy gateway: ServedProfile) -> Bool {
        waitForJournal(gateway.directory.path("gateway.sqlite")) { journal in
            guard let latest = try journal.events(kind: "venue.status").last,
                  let status = try JSONSerialization.jsonObject(with: Data(latest.json.utf8)) as? [String: Any] else { return false }
            return status["symbol"] == nil && status["halted"] as? Bool == halted
        }
    }

    /// A venue that names Brent BRN, as ICE does (the venue simulator with
    /// `VenueSymbolRoots=BZ:BRN`), and a gateway told so on its route: the OMS trades and
    /// watches BZ, the venue only ever sees and sends BRN.
    @Test func aVenueThatNamesBrentItsOwnWayIsTranslatedBothWays() throws {
        let venueFolder = TemporaryDirectory()
        defer { venueFolder.remove() }
        let (venue, _, gateway) = try Self.gatewayAndVenue(in: venueFolder, limits: WellheadProfiles.gatewayLimits, brentAs: "BRN")
        defer { gateway.stop() }
        let catalog = Listing.catalog()
        let brent = try #require(catalog.frontMonth(root: "BZ")).symbol
        let venueBrent = "BRN" + brent.dropFirst(2)
        let (status, output) = try gateway.run("""
            V MD1 1 3 01 \(brent)
            WAITMSG W 1 10
            D B1 \(brent) 1 2 1 - 3 FIXSIM
            EXPECT B1 2 15
            """)
        #expect(status == 0, "\(output)\n\(gateway.server.output.suffix(3000))")
        let snapshot = try #require(output.split(separator: "\n").first { $0.hasPrefix("RECV 35=W") })
        #expect(snapshot.contains("55=\(brent)") && snapshot.contains("[269=0 "), "the venue's Brent book, in the OMS's symbol: \(snapshot)")
        let fill = try #require(QuickFIXOMSTests.reports(output, "B1").last)
        #expect(fill["39"] == "2" && fill["14"] == "2", "filled at the venue under BRN, reported for \(brent): \(fill)")
        venue.signal(SIGTERM)
        _ = venue.wait(timeout: 10)
        // What crossed the wire at the venue: BRN both ways, never BZ.
        let journal = try Journal(path: venueFolder.path("venue.sqlite"))
        defer { journal.close() }
        let wire = try journal.messages().filter { $0.session.name.contains("GATEWAY") }.map { String(decoding: $0.bytes, as: UTF8.self) }
        let symbols = wire.flatMap { $0.split(separator: "\u{1}").filter { $0.hasPrefix("55=") } }
        #expect(symbols.contains("55=\(venueBrent)") && !symbols.contains("55=\(brent)"), "\(Set(symbols).sorted())")
        #expect(wire.contains { $0.contains("35=D\u{1}") && $0.contains("55=\(venueBrent)\u{1}") }, "the order reached the venue as BRN")
    }
}
