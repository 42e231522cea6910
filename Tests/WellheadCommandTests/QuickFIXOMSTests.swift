import Foundation
import Instruments
import MarketData
import Testing
import TestSupport

/// The appliance with QuickFIX's C++ engine as the OMS (`Tests/Interop/qf_oms.cpp`): orders,
/// partial fills, cancel and replace, risk rejects, mass cancel and cancel-on-disconnect, all
/// over a real socket against `wellhead serve` in its own process.
@Suite(.serialized) struct QuickFIXOMSTests {
    /// Limits for these tests: no trading hours (they run at any hour), no price collar (resting
    /// orders sit far from the market), market protection for market orders.
    static let limits = """
        firm:
          maxOrderSize: 500
          marketProtection: {ticks: 200}
          duplicateWindow: 1s
        accounts:
          DESK1:
            maxOrderSize: 100
            maxPositionPerMonth: 150
        """

    /// The gateway appliance with these tests' limits, and QuickFIX as OMS1.
    static func appliance() throws -> ServedProfile {
        try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
            try WellheadProfiles.gatewayAcceptor(in: directory, port: port, limits: QuickFIXOMSTests.limits)
        }
    }

    /// A derived instrument with no book of its own today (a same-month Brent−WTI spread):
    /// only the market-data normalizer prices it.
    static func derivedOnlySymbol() throws -> String {
        let catalog = Listing.catalog()
        let listed = Set(catalog.instruments.map(\.symbol))
        return try #require(MarketDataNormalizer(catalog: catalog).derivedInstruments.map(\.symbol).first { !listed.contains($0) })
    }

    /// The execution reports printed for `clOrdID`, as tag → value maps.
    static func reports(_ output: String, _ clOrdID: String) -> [[String: String]] {
        output.split(separator: "\n").filter { $0.hasPrefix("RECV 35=8 ") && $0.contains(" 11=\(clOrdID) ") }.map { line in
            var fields: [String: String] = [:]
            // Text (58) comes last and may hold spaces.
            let (head, text) = line.range(of: " 58=").map { (line[..<$0.lowerBound], String(line[$0.upperBound...])) } ?? (line[...], nil)
            for word in head.split(separator: " ").dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            if let text { fields["58"] = text }
            return fields
        }
    }

    @Test func ordersFillPartiallyAndFullyCancelAndReplaceWork() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"), "\(appliance.server.output)")
        let s = appliance.symbol
        let (status, output) = try appliance.run("""
            D BUY1 \(s) 1 60 1 - 3
            EXPECT BUY1 2 10
            D REST1 \(s) 1 5 2 1.00 1
            EXPECT REST1 0 10
            G REST2 REST1 \(s) 1 8 2 1.50 1
            EXPECT REST2 0 10
            H REST2 \(s) 1
            F REST3 REST2 \(s) 1
            EXPECT REST3 4 10
            F LATE REST3 \(s) 1
            D REST4 \(s) 2 3 2 999.00 0
            EXPECT REST4 0 10
            Q MASS 7 -
            EXPECT REST4 4 10
            """)
        #expect(status == 0, "\(output)\n\(appliance.server.output.suffix(2000))")
        // A 60-lot market order walks the makers' levels: partial fills, then filled, exact.
        let buy = Self.reports(output, "BUY1")
        #expect(buy.contains { $0["39"] == "1" }, "a partial fill before the last")
        #expect(buy.last?["39"] == "2" && buy.last?["14"] == "60" && buy.last?["151"] == "0")
        #expect(buy.filter { $0["150"] == "F" }.compactMap { Int($0["32"] ?? "") }.reduce(0, +) == 60)
        // Replace: pending, then replaced with the new terms and the chain.
        let replaced = Self.reports(output, "REST2")
        #expect(replaced.map { $0["150"] } == ["E", "5", "I"])
        #expect(replaced[1]["41"] == "REST1" && replaced[1]["38"] == "8" && replaced[1]["44"] == "1.50")
        // Cancel, and a cancel of the cancelled order: too late.
        #expect(Self.reports(output, "REST3").map { $0["150"] } == ["6", "4"])
        #expect(output.contains("RECV 35=9 37=WH00000002 11=LATE 41=REST3 39=4 102=0 434=1"), "\(output)")
        // Mass cancel: the report, then the cancel of the one working order.
        #expect(output.contains("RECV 35=r 37=MC-OMS1-MASS 11=MASS 530=7 531=7 533=1"), "\(output)")
        #expect(Self.reports(output, "REST4").last?["58"] == "mass cancel MASS")
    }

    @Test func riskRejectsReachTheOMSWithCheckLimitAndValue() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"))
        let s = appliance.symbol
        let unlisted = Listing.unlisted()
        let (status, output) = try appliance.run("""
            D BIG \(s) 1 101 2 1.00 0
            EXPECT BIG 8 10
            D P1 \(s) 1 100 2 1.00 0
            EXPECT P1 0 10
            D P2 \(s) 1 60 2 1.01 0
            EXPECT P2 8 10
            D P1 \(s) 1 1 2 1.00 0
            D OFF \(s) 1 1 2 1.005 0
            EXPECT OFF 8 10
            D MISSING \(unlisted) 1 1 2 70.00 0
            EXPECT MISSING 8 10
            """)
        #expect(status == 0, "\(output)")
        let big = try #require(Self.reports(output, "BIG").first)
        #expect(big["103"] == "3")
        #expect(big["58"]?.contains("max order size: 101 contracts, limit 100 (account DESK1)") == true, "\(big)")
        let position = try #require(Self.reports(output, "P2").first)
        #expect(position["103"] == "3")
        #expect(position["58"]?.contains("position limit") == true, "\(position)")
        let duplicate = try #require(Self.reports(output, "P1").last)
        #expect(duplicate["103"] == "6")
        #expect(Self.reports(output, "OFF").first?["58"]?.contains("tick grid") == true)
        #expect(Self.reports(output, "MISSING").first?["103"] == "1")
    }

    /// A risk manager engages the firm's kill switch on the running appliance with `wellhead
    /// risk` while the OMS has orders working: they are cancelled, new orders are rejected
    /// naming the switch, and after the release orders are accepted again.
    @Test func killSwitchFromTheCommandLineCancelsAndBlocksUntilReleased() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("risk admin socket"), "\(appliance.server.output)")
        let s = appliance.symbol
        let risk = "\(WellheadProcess.executable.path) risk"
        let config = "--config \(appliance.config)"
        let (status, output) = try appliance.run("""
            D K1 \(s) 1 2 2 1.00 0
            D K2 \(s) 1 3 2 1.01 1
            EXPECT K1 0 10
            EXPECT K2 0 10
            RUN \(risk) kill-switch engage --scope firm --reason "runaway algo" \(config) > \(appliance.directory.path("engage.out"))
            EXPECT K1 4 10
            EXPECT K2 4 10
            D K3 \(s) 1 1 2 1.00 0
            EXPECT K3 8 10
            RUN \(risk) status \(config) > \(appliance.directory.path("status.out"))
            RUN \(risk) kill-switch release --scope firm \(config)
            D K4 \(s) 1 1 2 1.00 0
            EXPECT K4 0 10
            """)
        #expect(status == 0, "\(output)\n\(appliance.server.output.suffix(2000))")
        #expect(Self.reports(output, "K1").last?["58"] == "kill switch: runaway algo")
        #expect(Self.reports(output, "K2").last?["58"] == "kill switch: runaway algo", "GTC orders are cancelled too")
        let blocked = try #require(Self.reports(output, "K3").first)
        #expect(blocked["150"] == "8" && blocked["58"]?.contains("kill switch") == true, "\(blocked)")
        let engaged = try String(contentsOfFile: appliance.directory.path("engage.out"), encoding: .utf8)
        #expect(engaged.contains("kill switch engaged at firm by os:\(NSUserName()); 2 working order(s) cancelled"), "\(engaged)")
        let shown = try String(contentsOfFile: appliance.directory.path("status.out"), encoding: .utf8)
        #expect(shown.contains("kill switch ENGAGED at firm by os:\(NSUserName())"), "\(shown)")
    }

    @Test func droppedOMSLosesDayOrdersKeepsGTCAndHearsOfItAtTheNextLogon() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"))
        let s = appliance.symbol
        let first = try appliance.run("""
            D DAY1 \(s) 1 2 2 1.00 0
            D GTC1 \(s) 1 2 2 1.01 1
            EXPECT DAY1 0 10
            EXPECT GTC1 0 10
            DROP
            """, name: "first")
        #expect(first.status == 0, "\(first.output)")
        // QuickFIX logs on again with the same store: the cancel sent while it was away comes
        // by resend; the GTC order is still working.
        let second = try appliance.run("""
            EXPECT DAY1 4 10
            H GTC1 \(s) 1
            H DAY1 \(s) 1
            """, name: "second")
        #expect(second.status == 0, "\(second.output)\n\(appliance.server.output.suffix(3000))")
        #expect(Self.reports(second.output, "GTC1").last?["39"] == "0")
        #expect(Self.reports(second.output, "DAY1").last?["39"] == "4")
    }

    /// An OMS subscribes to the appliance's market data: a listed month's book, and a spread
    /// only the market-data normalizer prices (from its legs' books).
    @Test func marketDataForListedAndDerivedInstrumentsReachesTheOMS() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"))
        let s = appliance.symbol
        let derived = try Self.derivedOnlySymbol()
        let unlisted = Listing.unlisted()
        let (status, output) = try appliance.run("""
            V MD1 1 3 012 \(s)
            WAITMSG W 1 10
            V MD2 1 0 3 \(derived)
            WAITMSG W 2 10
            D B1 \(s) 1 5 1 - 3
            EXPECT B1 2 10
            WAITMSG X 1 10
            V MD3 1 0 3 \(unlisted)
            WAITMSG Y 1 10
            """)
        #expect(status == 0, "\(output)\n\(appliance.server.output.suffix(2000))")
        let snapshots = output.split(separator: "\n").filter { $0.hasPrefix("RECV 35=W") }
        #expect(snapshots.first?.components(separatedBy: "[269=0 ").count == 4, "three bid levels: \(snapshots)")
        let spread = try #require(snapshots.first { $0.contains("262=MD2") })
        #expect(spread.contains("55=\(derived) [269=3 270="), "the normalizer's price for \(derived): \(spread)")
        #expect(output.contains("RECV 35=X 262=MD1"), "the book moved under the IOC: \(output)")
        #expect(output.contains("RECV 35=Y 262=MD3 281=0"))
    }

    /// `wellhead marketdata watch` as a trader's subscriber: a listed month's book and a
    /// derived instrument's value through its normalizer, and a refusal it prints as such.
    @Test func theWatchCommandPrintsBooksValuesAndRefusals() throws {
        let appliance = try Self.appliance()
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"))
        let s = appliance.symbol
        let derived = try Self.derivedOnlySymbol()
        let watch = try WellheadProcess.run(["marketdata", "watch", "--port", "\(appliance.port)", "--sender", "OMS2",
                                             "--symbol", s, "--symbol", derived, "--seconds", "2"])
        let lines = watch.standardOutput.split(separator: "\n").map(String.init)
        #expect(watch.status == 0, "\(watch.standardError)")
        #expect(lines.contains { $0.hasPrefix("final \(s) bid ") && $0.contains(" ask ") && $0.hasSuffix(" ok") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("final \(derived) value ") }, "\(lines)")
        let refused = try WellheadProcess.run(["marketdata", "watch", "--port", "\(appliance.port)", "--sender", "OMS2",
                                               "--symbol", Listing.unlisted(), "--seconds", "1"])
        #expect(refused.standardOutput.contains("MarketDataRequestReject MDReqRejReason=0"), "\(refused.standardOutput)")
    }
}
