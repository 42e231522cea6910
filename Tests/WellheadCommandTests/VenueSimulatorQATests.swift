import Foundation
import Testing
import TestSupport

/// The venue simulator as a QA team meets it: `wellhead serve` with `Application=venue` in its
/// own process, and QuickFIX's C++ engine as the team's OMS (`Tests/Interop/qf_oms.cpp`),
/// which also checks every market-data and reference-data message against the dictionary.
@Suite(.serialized) struct VenueSimulatorQATests {
    /// The venue simulator, and QuickFIX as the QA team's OMS (QA1).
    static func venue() throws -> ServedProfile {
        try ServedProfile(counterparty: "QA1", ourCompID: "SIMVENUE") { directory, port in
            try WellheadProfiles.venueAcceptor(in: directory, port: port)
        }
    }

    static func lines(_ output: String, _ prefix: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.hasPrefix(prefix) }
    }

    @Test func referenceDataMarketDataAndFillsReachAQAOMS() throws {
        let venue = try Self.venue()
        defer { venue.stop() }
        #expect(venue.server.waitForOutput("accepting on"), "\(venue.server.output)")
        let s = venue.symbol
        let (status, output) = try venue.run("""
            WAITMSG h 1 10
            L SL1
            WAITMSG y 1 10
            C SD1 \(s)
            C SD2 CLZ9
            WAITMSG d 2 10
            V MD1 1 5 012 \(s)
            WAITMSG W 1 10
            D B1 \(s) 1 3 1 - 3
            EXPECT B1 2 10
            WAITMSG X 1 10
            V MD2 1 5 012 CLZ9
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
        #expect(definitions.contains { $0.contains("320=SD2") && $0.contains("323=5") && $0.contains("58=CLZ9 is not listed") })
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
    }

    @Test func haltResumeAndAPriceShockAreDrivenFromTheCommandLine() throws {
        let venue = try Self.venue()
        defer { venue.stop() }
        #expect(venue.server.waitForOutput("risk admin socket"), "\(venue.server.output)")
        let s = venue.symbol
        let (status, output) = try venue.run("""
            WAITMSG h 1 10
            D REST \(s) 1 1 2 1.00 1
            EXPECT REST 0 10
            \(venue.command("venue halt --by qa --reason 'circuit breaker test'"))
            WAITMSG h 2 10
            D HALTED \(s) 1 1 2 1.00 0
            EXPECT HALTED 8 10
            \(venue.command("venue resume --by qa"))
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
}
