import FIXCodec
import FIXSettings
import Foundation
import Gateway
import Instruments
import OrderEntry
import Signals
import SimulatedVenue
import Testing
import TestSupport
@testable import wellhead

/// The keys of Wellhead's own applications (the order gateway, the venue simulator, routes to
/// venues), read and checked beside the gateway's assembly with errors naming the file, line,
/// section and key. The engine's keys are FIXSettingsTests'.
@Suite struct ApplianceProfileTests {
    private let dictionary = TestDictionaries.path("dictionaries/FIX44.xml")
    private var base: String { WellheadProfiles.settingsDefaults }

    private func profile(_ text: String) throws(SettingsError) -> ApplianceProfile {
        try ApplianceProfile(file: SettingsFile(text: text, path: "/tmp/test.cfg"))
    }

    /// A key no application declares is still an error naming the file and the key.
    @Test func aKeyNoApplicationDeclaresIsAnError() {
        #expect { try profile(base + "[SESSION]\nTargetCompID=OMS1\nRiskLimit=limits.yaml\n") } throws: { error in
            "\(error)".hasPrefix("/tmp/test.cfg:11: ") && (error as? SettingsError)?.key == "RiskLimit"
                && "\(error)".contains("not a setting Wellhead knows")
        }
        #expect { try profile(base + "Application=gateway9\n[SESSION]\nTargetCompID=OMS1\n") } throws: { error in
            "\(error)".contains("'gateway9' is not an application Wellhead has (echo, gateway, route, venue)")
        }
    }

    @Test func shippedProfilesLoad() throws {
        for name in ["echo-acceptor.cfg", "initiator.cfg", "demo.cfg", "venue-sim.cfg", "gateway-to-venue.cfg"] {
            let loaded = try ApplianceProfile.load(path: TestDictionaries.path("sessions/\(name)"))
            #expect(!loaded.sessions.isEmpty)
        }
    }

    @Test func demoProfileIsTheGatewayWithItsFiles() throws {
        let demo = try ApplianceProfile.load(path: TestDictionaries.path("sessions/demo.cfg"))
        #expect(demo.sessions.map(\.configuration.id.targetCompID) == ["OMS1", "OMS2"])
        #expect(demo.sessions.allSatisfy { $0.application == "gateway" && $0.acceptPort == 9878 })
        let gateway = try #require(demo.sessions.first?.gateway)
        #expect(gateway.riskLimitsPath?.hasSuffix("sessions/risk-limits.yaml") == true)
        #expect(gateway.instrumentsPath.hasSuffix("sessions/instruments.yaml"))
        #expect(demo.sessions.map { $0.gateway?.defaultAccount } == ["DESK1", "DESK2"])
        #expect(gateway.signalHistoryPath?.hasSuffix("sessions/demo-signal-history.csv") == true)
        #expect(gateway.adminSocketPath == demo.journalPath.replacingOccurrences(of: ".sqlite", with: ".admin.sock"),
                "the admin socket sits beside the journal unless AdminSocket says otherwise")
    }

    /// `MarketDataSnapshotInterval`: seconds between the journal's market-data snapshots, 60
    /// unless set, 0 for none; anything else is an error naming the file and the key, and one
    /// market's sessions must agree on it.
    @Test func marketDataSnapshotIntervalIsSecondsAndSessionsAgreeOnIt() throws {
        let gateway = base + "Application=gateway\nInstruments=\(dictionary)\nRiskLimits=\(dictionary)\nDefaultAccount=DESK1\n"
        #expect(try profile(gateway + "[SESSION]\nTargetCompID=OMS1\n").sessions.first?.gateway?.marketDataSnapshotInterval == 60)
        #expect(try profile(gateway + "MarketDataSnapshotInterval=0\n[SESSION]\nTargetCompID=OMS1\n")
                    .sessions.first?.gateway?.marketDataSnapshotInterval == 0)
        for value in ["-1", "1m", "90000"] {
            #expect { try profile(gateway + "[SESSION]\nTargetCompID=OMS1\nMarketDataSnapshotInterval=\(value)\n") } throws: { error in
                guard let error = error as? SettingsError else { return false }
                return error.file == "/tmp/test.cfg" && error.key == "MarketDataSnapshotInterval"
                    && "\(error)".hasPrefix("/tmp/test.cfg:") && "\(error)".contains("'\(value)' is not a whole number in 0...86400")
            }
        }
        let twoIntervals = try profile(gateway + "[SESSION]\nTargetCompID=OMS1\n[SESSION]\nTargetCompID=OMS2\nMarketDataSnapshotInterval=5\n")
        #expect { try ApplianceProfile.checkSnapshotInterval(twoIntervals.sessions) } throws: { error in
            (error as? SettingsError)?.key == "MarketDataSnapshotInterval" && "\(error)".hasPrefix("/tmp/test.cfg:")
                && "\(error)".contains("differs from 60 seconds")
        }
        #expect { try profile(base + "[SESSION]\nTargetCompID=OMS1\nJournalMarketData=1\n") } throws: { error in
            (error as? SettingsError)?.key == "JournalMarketData" && "\(error)".hasPrefix("/tmp/test.cfg:11: ")
        }
    }

    @Test func adminSocketIsBesideTheSettingsAndMustFitASocketAddress() throws {
        let gateway = base + "Application=gateway\nInstruments=\(dictionary)\nRiskLimits=\(dictionary)\nDefaultAccount=DESK1\n"
        let set = try profile(gateway + "AdminSocket=run/admin.sock\n[SESSION]\nTargetCompID=OMS1\n")
        #expect(set.sessions.first?.gateway?.adminSocketPath == "/tmp/run/admin.sock")
        let long = "/tmp/" + String(repeating: "deep/", count: 25) + "admin.sock"
        #expect { try profile(gateway + "AdminSocket=\(long)\n[SESSION]\nTargetCompID=OMS1\n") } throws: { error in
            "\(error)".contains("AdminSocket: \(long) is longer than a Unix domain socket path may be")
        }
    }

    /// Each OMS session of a gateway names the accounts it may trade; a default account alone
    /// is the one.
    @Test func gatewaySessionsNameTheAccountsTheyMayTrade() throws {
        let gateway = base + "Application=gateway\nInstruments=\(dictionary)\nRiskLimits=\(dictionary)\n"
        let listed = try profile(gateway + "[SESSION]\nTargetCompID=OMS1\nAccounts=DESK1, DESK1-HEDGE\nDefaultAccount=DESK1\n")
        #expect(listed.sessions.first?.gateway?.accounts == ["DESK1", "DESK1-HEDGE"])
        let single = try profile(gateway + "[SESSION]\nTargetCompID=OMS1\nDefaultAccount=DESK2\n")
        #expect(single.sessions.first?.gateway?.accounts == ["DESK2"])
        let failures = [
            ("[SESSION]\nTargetCompID=OMS1\n", "Accounts: missing: an OMS session lists the accounts it may trade"),
            ("[SESSION]\nTargetCompID=OMS1\nAccounts=DESK1,,DESK2\n", "Accounts: an empty account name"),
            ("[SESSION]\nTargetCompID=OMS1\nAccounts=DESK1,DESK1\n", "Accounts: DESK1 is listed twice"),
            ("[SESSION]\nTargetCompID=OMS1\nAccounts=DESK1\nDefaultAccount=DESK9\n", "DefaultAccount: DESK9 is not one of this session's Accounts (DESK1)"),
        ]
        for (session, message) in failures {
            #expect { try profile(gateway + session) } throws: { error in "\(error)".contains(message) && "\(error)".contains("/tmp/test.cfg") }
        }
    }

    @Test func gatewayNeedsItsRiskLimitsAndInstruments() {
        let text = base + "Application=gateway\nInstruments=\(dictionary)\n[SESSION]\nTargetCompID=OMS1\n"
        #expect { try profile(text) } throws: { error in
            "\(error)".contains("RiskLimits: missing (required with Application=gateway)")
        }
        let unreadable = base + "Application=gateway\nInstruments=\(dictionary)\nRiskLimits=/nonexistent/limits.yaml\n[SESSION]\nTargetCompID=OMS1\n"
        #expect { try profile(unreadable) } throws: { error in
            "\(error)".contains("RiskLimits: cannot read /nonexistent/limits.yaml")
        }
    }

    /// A route session says how its venue names roots and which fields it wants on orders;
    /// each malformed entry is an error naming the key.
    @Test func routeSessionsTranslateSymbolsAndAddVenueFields() throws {
        let route = base.replacingOccurrences(of: "ConnectionType=acceptor", with: "ConnectionType=initiator")
            .replacingOccurrences(of: "SocketAcceptPort=9880", with: "SocketConnectHost=127.0.0.1\nSocketConnectPort=9890\nHeartBtInt=30")
            + "Application=route\nVenueName=ICE\n[SESSION]\nTargetCompID=ICEVENUE\n"
        let loaded = try profile(route + "VenueSymbolRoots=BZ:BRN, HO:OH\nVenueOrderFields=207:IFEU,582:1\n")
        let session = try #require(loaded.sessions.first)
        #expect(session.venueSymbolRoots == ["BZ": "BRN", "HO": "OH"])
        #expect(session.venueOrderFields == [VenueDialect.Field(tag: 207, value: "IFEU"), VenueDialect.Field(tag: 582, value: "1")])
        for (line, message) in [("VenueSymbolRoots=BZ", "is not gatewayRoot:venueRoot"),
                                ("VenueSymbolRoots=BZ:BRN,CL:BRN", "two roots map to the venue's BRN"),
                                ("VenueSymbolRoots=bz:BRN", "upper-case"),
                                ("VenueOrderFields=55:X", "tag 55 is set by the gateway"),
                                ("VenueOrderFields=SecurityExchange:X", "'SecurityExchange' is not a FIX tag number"),
                                ("VenueOrderFields=207:A,207:B", "tag 207 is given twice")] {
            #expect { try profile(route + line + "\n") } throws: { error in
                "\(error)".hasPrefix("/tmp/test.cfg:") && "\(error)".contains(message)
                    && (error as? SettingsError)?.key == String(line.prefix { $0 != "=" })
            }
        }
        #expect { try profile(base + "Application=venue\nInstruments=\(dictionary)\nSimulatedVenue=N\n[SESSION]\nTargetCompID=QA1\n") } throws: { error in
            (error as? SettingsError)?.key == "SimulatedVenue" && "\(error)".contains("N is for a gateway")
        }
        let calendar = TestDictionaries.path("sessions/calendar-cme-energy.yaml")
        #expect(try profile(route + "TradingCalendar=\(calendar)\n").sessions.first?.venueCalendarPath == calendar,
                "a route may say when its venue trades")
        #expect { try profile(route + "TradingCalendar=/nowhere/cme.yaml\n") } throws: { error in
            "\(error)".hasPrefix("/tmp/test.cfg:") && (error as? SettingsError)?.key == "TradingCalendar" && "\(error)".contains("/nowhere/cme.yaml")
        }
        let venue = try profile(base + "Application=venue\nInstruments=\(dictionary)\n[SESSION]\nTargetCompID=QA1\nVenueSymbolRoots=BZ:BRN\n")
        #expect(venue.sessions.first?.venueSymbolRoots == ["BZ": "BRN"], "a venue simulator may show an exchange's roots")
        #expect { try profile(base + "[SESSION]\nTargetCompID=OMS1\nVenueSymbolRoots=BZ:BRN\n") } throws: { error in
            "\(error)".contains("VenueSymbolRoots: only a route session (Application=route) talks to a venue")
        }
    }

    /// The demo's shipped history (`sessions/demo-signal-history.csv`) warms every root of the
    /// standard daily signals, says it is simulated, and ends where the simulator starts.
    @Test func theDemosHistoryWarmsEveryRootAndSaysItIsSimulated() throws {
        let path = TestDictionaries.path("sessions/demo-signal-history.csv")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(SettlementHistory.note(in: text)?.contains("not market prices") == true)
        let reference = InstrumentReference.standard
        let rows = try SettlementHistory.parse(csv: text, file: path) { reference.catalog(on: $0).instrument(symbol: $1) }
        var set = SignalSet(configuration: .standard)
        let days = set.backfill(rows) { Int64($0.daysSinceEpoch + 1) * 86_400_000_000_000 }
        #expect(days >= 500, "two years of trading days: \(days)")
        for engine in set.engines {
            #expect(engine.score != nil, "\(engine.root) has a composite")
            #expect(engine.bars == days, "\(engine.root)")
        }
        let last = try #require(rows.last?.date)
        for (root, simulation) in SimulationSettings.standard.roots {
            let front = try #require(rows.first { $0.date == last && $0.instrument.root == root })
            #expect(front.settlement == simulation.frontPrice, "\(root)")
        }
        // The standard composite takes a view rarely on a walk with no trend in it, but the
        // desk sees a record from the start.
        #expect(set.engines.map(\.record.signals).reduce(0, +) > 0, "\(set.engines.map { ($0.root, $0.record.signals) })")
    }

    /// `wellhead signals sample`: years of the simulator's walk pulled back towards its start
    /// stay in oil's range (the bare walk took CL to $12 in three years), and each root ends at
    /// the simulator's starting price.
    @Test func aSampledHistoryStaysInRangeAndEndsWhereTheSimulatorStarts() throws {
        let reference = InstrumentReference.standard
        let rows = try SampleHistory.make(reference: reference, from: CalendarDate(iso: "2022-01-03")!,
                                          through: CalendarDate(iso: "2024-12-31")!, seed: 1, months: 2)
        let crude = rows.filter { $0.instrument.root == "CL" }.map(\.settlement)
        #expect(crude.min()! > FIXDecimal(35) && crude.max()! < FIXDecimal(105), "\(crude.min()!) to \(crude.max()!)")
        let lastDay = rows.last!.date
        for (root, simulation) in SimulationSettings.standard.roots {
            #expect(rows.first { $0.date == lastDay && $0.instrument.root == root }?.settlement == simulation.frontPrice, "\(root)")
            #expect(rows.filter { $0.date == lastDay && $0.instrument.root == root }.count == 2, "\(root): two months a day")
        }
    }
}
