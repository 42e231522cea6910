import Foundation
import Testing
import TestSupport

/// The venue simulator as a QA team meets it: `wellhead serve` with `Application=venue` in its
/// own process, and QuickFIX's C++ engine as the team's OMS (`Tests/Interop/qf_oms.cpp`),
/// which also checks every market-data and reference-data message against the dictionary.
@Suite(.serialized) struct VenueSimulatorQATests {
    /// The venue simulator, serving once its admin socket is up (it opens after the
    /// acceptor), and QuickFIX as the QA team's OMS (QA1). `keys` are more lines for its
    /// [DEFAULT] (`JournalMarketData=Y`).
    static func venue(keys: String = "") throws -> ServedProfile {
        let venue = try ServedProfile(counterparty: "QA1", ourCompID: "SIMVENUE") { directory, port in
            try WellheadProfiles.venueAcceptor(in: directory, port: port, keys: keys)
        }
        #expect(venue.server.waitForOutput("risk admin socket"), "\(venue.server.output)")
        return venue
    }

    /// A venue with its admin socket up, and a scenario file named `name` in its folder
    /// holding `steps` (YAML list items) under `name` and `seed`.
    static func venue(scenario name: String, seed: Int, steps: String) throws -> (ServedProfile, String) {
        let venue = try Self.venue()
        return (venue, try scenario(in: venue, file: name, name: name, seed: seed, steps: steps))
    }

    /// Writes `file`.yaml into `venue`'s folder: the scenario `name` with `seed` and `steps`
    /// (YAML list items). Returns its path.
    static func scenario(in venue: ServedProfile, file: String, name: String, seed: Int, steps: String) throws -> String {
        let path = venue.directory.path("\(file).yaml")
        try "name: \(name)\nseed: \(seed)\nsteps:\n\(steps)".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func lines(_ output: String, _ prefix: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test func referenceDataMarketDataAndFillsReachAQAOMS() throws {
        // The feed is replayed from the journal below: it keeps the refreshes only when told to.
        let venue = try Self.venue(keys: "JournalMarketData=Y")
        defer { venue.stop() }
        let s = venue.symbol
        let unlisted = Listing.unlisted()
        let (status, output) = try venue.run("""
            WAITMSG h 1 10
            L SL1
            WAITMSG y 1 10
            C SD1 \(s)
            C SD2 \(unlisted)
            WAITMSG d 2 10
            V MD1 1 5 012 \(s)
            WAITMSG W 1 10
            D B1 \(s) 1 3 1 - 3
            EXPECT B1 2 10
            WAITMSG X 1 10
            V MD2 1 5 012 \(unlisted)
            WAITMSG Y 1 10
            """)
        #expect(status == 0, "\(output)\n\(venue.server.output.suffix(2000))")
        // The session's state at logon: open, unsolicited.
        #expect(Self.lines(output, "RECV 35=h").first?.contains("336=SIM 325=Y 340=2") == true, "\(output)")
        // Every listed instrument, the front month among them as a future with its month.
        let list = try #require(Self.lines(output, "RECV 35=y").first)
        #expect(list.contains("320=SL1") && list.contains("560=0"))
        #expect(list.contains("[55=\(s) 167=FUT 200=20"), "\(list.prefix(400))")
        #expect(list.contains("167=MLEG"), "spreads and cracks are listed too")
        let definitions = Self.lines(output, "RECV 35=d")
        #expect(definitions.contains { $0.contains("320=SD1") && $0.contains("323=1") && $0.contains("55=\(s) 167=FUT") })
        #expect(definitions.contains { $0.contains("320=SD2") && $0.contains("323=5") && $0.contains("58=\(unlisted) is not listed") })
        // The snapshot: five bids and five offers from the market makers, best first.
        let snapshot = try #require(Self.lines(output, "RECV 35=W").first)
        #expect(snapshot.contains("262=MD1") && snapshot.contains("55=\(s)"))
        #expect(snapshot.components(separatedBy: "[269=0 ").count - 1 == 5, "\(snapshot)")
        #expect(snapshot.components(separatedBy: "[269=1 ").count - 1 == 5, "\(snapshot)")
        // The IOC buy lifts offers: the subscriber sees the trades and the offers change.
        let updates = Self.lines(output, "RECV 35=X").joined(separator: "\n")
        #expect(updates.contains("262=MD1"))
        #expect(updates.contains("279=0 269=2 55=\(s)"), "a trade entry: \(updates.prefix(1000))")
        #expect(updates.contains("269=1 55=\(s)"), "offer levels changed: \(updates.prefix(1000))")
        // An unknown symbol is refused with MDReqRejReason 0.
        #expect(Self.lines(output, "RECV 35=Y").first?.contains("262=MD2 281=0") == true, "\(output)")
        // The feed QA1 was sent, replayed from the venue's journal through the normalizer.
        let replay = try BackgroundProcess(WellheadProcess.executable.path,
                                           ["marketdata", "replay", "--journal", venue.directory.path("venue.sqlite"),
                                            "--session", "FIX.4.4:SIMVENUE->QA1", "--outbound"],
                                           log: venue.directory.path("replay.log"))
        #expect(replay.wait(timeout: 30) == 0, "\(replay.output)")
        let bar = try #require(Self.lines(replay.output, "bar \(s) 1m ").first, "\(replay.output)")
        #expect(bar.contains(" V ") && !bar.hasSuffix("trades 0"), "the IOC's trades: \(bar)")
        #expect(Self.lines(replay.output, "book \(s) bid ").first?.contains("ask") == true, "\(replay.output)")
    }

    @Test func haltResumeAndAPriceShockAreDrivenFromTheCommandLine() throws {
        let venue = try Self.venue()
        defer { venue.stop() }
        let s = venue.symbol
        let (status, output) = try venue.run("""
            WAITMSG h 1 10
            D REST \(s) 1 1 2 1.00 1
            EXPECT REST 0 10
            \(venue.command("venue halt --reason 'circuit breaker test'"))
            WAITMSG h 2 10
            D HALTED \(s) 1 1 2 1.00 0
            EXPECT HALTED 8 10
            \(venue.command("venue resume"))
            WAITMSG h 3 10
            D OPEN \(s) 1 1 2 1.00 0
            EXPECT OPEN 0 10
            \(venue.command("venue shock --root CL --percent -99"))
            EXPECT REST 2 10
            """)
        #expect(status == 0, "\(output)\n\(venue.server.output.suffix(2000))")
        let statuses = Self.lines(output, "RECV 35=h")
        #expect(statuses.count >= 3)
        #expect(statuses[1].contains("340=1") && statuses[1].contains("58=circuit breaker test"), "\(statuses)")
        #expect(statuses[2].contains("340=2"))
        let halted = try #require(Self.lines(output, "RECV 35=8 ").first { $0.contains("11=HALTED") })
        #expect(halted.contains("150=8") && halted.contains("HALTED"), "\(halted)")
        // The resting 1.00 bid fills once the shock takes CL down 99 percent.
        let filled = Self.lines(output, "RECV 35=8 ").filter { $0.contains("11=REST ") && $0.contains("39=2") }
        #expect(!filled.isEmpty, "\(output)")
    }

    @Test func aScenarioFileTripsTheCircuitBreakerOnTheLeadMonthAndReopensIt() throws {
        let (venue, scenario) = try Self.venue(scenario: "breaker-test", seed: 3, steps: """
              - {at: 0s, circuitBreaker: {root: CL, percent: 5, window: 60m, halt: 3s}}
              - {at: 1s, shock: {root: CL, percent: -10, months: 1}}
            """)
        defer { venue.stop() }
        let s = venue.symbol
        let (status, output) = try venue.run("""
            WAITMSG h 1 10
            \(venue.command("venue scenario \(scenario)"))
            WAITMSG f 1 10
            D CB1 \(s) 1 1 2 1.00 0
            EXPECT CB1 8 10
            F CBX CB1 \(s) 1
            WAITMSG f 2 15
            D CB2 \(s) 1 1 2 1.00 0
            EXPECT CB2 0 10
            """)
        #expect(status == 0, "\(output)\n\(venue.server.output.suffix(2000))")
        let statuses = Self.lines(output, "RECV 35=f")
        #expect(statuses.first?.contains("325=Y 326=2 55=\(s) 58=dynamic circuit breaker: \(s) moved from") == true, "\(statuses)")
        #expect(statuses.dropFirst().first?.contains("326=17 55=\(s)") == true, "\(statuses)")
        let refused = try #require(Self.lines(output, "RECV 35=8 ").first { $0.contains("11=CB1 ") })
        #expect(refused.contains("150=8") && refused.contains("103=2") && refused.contains("halted by the dynamic circuit breaker"), "\(refused)")
    }

    @Test func theApril2020ReplayFillsABidBelowZeroAndPublishesNegativePrices() throws {
        let venue = try Self.venue()
        defer { venue.stop() }
        let s = venue.symbol
        let (status, output) = try venue.run("""
            WAITMSG h 1 10
            D NEG \(s) 1 2 2 -39.00 1
            EXPECT NEG 0 10
            V MD1 1 1 012 \(s)
            WAITMSG W 1 10
            \(venue.command("venue scenario \(TestDictionaries.path("sessions/scenarios/april-2020.yaml"))"))
            EXPECT NEG 2 40
            """)
        #expect(status == 0, "\(output)\n\(venue.server.output.suffix(2000))")
        let fill = try #require(Self.lines(output, "RECV 35=8 ").last { $0.contains("11=NEG ") })
        #expect(fill.contains("39=2") && fill.contains("6=-"), "filled at a negative average price: \(fill)")
        let updates = Self.lines(output, "RECV 35=X").joined(separator: "\n")
        #expect(updates.contains("270=-"), "negative prices on the wire")
    }

    @Test func aBadNetworkScenarioDelaysRejectsAndDropsTheOMS() throws {
        let venue = try Self.venue()
        defer { venue.stop() }
        // The network worsens in three steps, each a scenario file whose steps are due at once:
        // `wellhead venue scenario` returns once they are in force (a run replaces the one
        // before it), so the OMS acts on each, never racing a step's time.
        let network = { (file: String, steps: String) in
            try Self.scenario(in: venue, file: file, name: "network-test", seed: 8, steps: steps)
        }
        let rejecting = try network("network-1", """
              - {at: 0s, latency: {milliseconds: 300}}
              - {at: 0s, rejectRate: {percent: 100}}
            """)
        let slow = try network("network-2", """
              - {at: 0s, latency: {milliseconds: 300}}
              - {at: 0s, rejectRate: {percent: 0}}
            """)
        let dropping = try network("network-3", """
              - {at: 0s, drop: {session: QA1}}
            """)
        let s = venue.symbol
        let (status, output) = try venue.run("""
            WAITMSG h 1 10
            \(venue.command("venue scenario \(rejecting)"))
            D RR1 \(s) 1 1 2 1.00 0
            EXPECT RR1 8 10
            \(venue.command("venue scenario \(slow)"))
            D LAT1 \(s) 1 1 2 1.00 0
            EXPECT LAT1 0 10
            \(venue.command("venue scenario \(dropping)"))
            WAITMSG h 2 20
            EXPECT LAT1 4 10
            """)
        #expect(status == 0, "\(output)\n\(venue.server.output.suffix(2000))")
        let rejected = try #require(Self.lines(output, "RECV 35=8 ").first { $0.contains("11=RR1 ") })
        #expect(rejected.contains("random reject (100% of orders)"), "\(rejected)")
        // The acknowledgement came no sooner than the added latency.
        let waited = try #require(Self.lines(output, "MET LAT1 0 after ").first?.split(separator: " ").last?.dropLast(2))
        #expect((Int(waited) ?? 0) >= 300, "\(output)")
        // Dropped without a Logout: QuickFIX logged on again; the day order was cancelled on
        // disconnect, and QuickFIX heard of it at the new logon.
        #expect(Self.lines(output, "RECV 35=h").count >= 2)
        #expect(venue.server.output.contains("scenario=network-test") && venue.server.output.contains("action=drop"), "\(venue.server.output.suffix(1500))")
    }
}
