import FIXSession
@testable import FIXSettings
import FIXTransportConfiguration
import Foundation
import Testing
import TestSupport

@Suite struct SettingsTests {
    private let dictionary = TestDictionaries.path("dictionaries/FIX44.xml")

    private func profile(_ text: String) throws(SettingsError) -> EngineProfile {
        try EngineProfile(file: SettingsFile(text: text, path: "/tmp/test.cfg"))
    }

    private var base: String {
        """
        # comment
        [DEFAULT]
        ConnectionType=acceptor
        BeginString=FIX.4.4
        SenderCompID=WELLHEAD
        SocketAcceptPort=9880
        DataDictionary=\(dictionary)
        JournalPath=/tmp/j.sqlite

        """
    }

    @Test func sessionsInheritDefaultsAndOverrideThem() throws {
        let loaded = try profile(base + """
            [SESSION]
            TargetCompID=OMS1
            [SESSION]
            TargetCompID=OMS2
            HeartBtInt=10
            ResetOnLogon=Y
            StartTime=08:00:00
            EndTime=17:00:00
            StartDay=Sun
            EndDay=Friday
            TimeZone=America/Chicago
            """)
        #expect(loaded.sessions.count == 2)
        #expect(loaded.journalPath == "/tmp/j.sqlite")
        let first = loaded.sessions[0], second = loaded.sessions[1]
        #expect(first.configuration.id == SessionID(beginString: "FIX.4.4", senderCompID: "WELLHEAD", targetCompID: "OMS1"))
        #expect(first.acceptPort == 9880)
        #expect(first.configuration.resetOnLogon == false)
        #expect(first.configuration.dictionary != nil)
        #expect(second.configuration.resetOnLogon == true)
        #expect(second.configuration.heartBtInt == 10)
        let schedule = try #require(second.configuration.schedule)
        #expect(schedule.startTime == 8 * 3600 && schedule.startDay == 1 && schedule.endDay == 6)
        #expect(schedule.timeZone.identifier == "America/Chicago")
    }

    @Test func initiatorReadsFailoverAddressesAndTLS() throws {
        let certs = TemporaryDirectory("certs")
        defer { certs.remove() }
        for name in ["client.pem", "client.key", "ca.pem"] { FileManager.default.createFile(atPath: certs.path(name), contents: Data("x".utf8)) }
        let loaded = try profile("""
            [DEFAULT]
            ConnectionType=initiator
            BeginString=FIX.4.4
            DataDictionary=\(dictionary)
            JournalPath=j.sqlite
            [SESSION]
            SenderCompID=OMS1
            TargetCompID=VENUE
            HeartBtInt=15
            SocketConnectHost=10.0.0.1
            SocketConnectPort=9001
            SocketConnectHost1=10.0.0.2
            SocketConnectPort1=9002
            ReconnectInterval=3
            SocketUseSSL=Y
            ClientCertificateFile=\(certs.path("client.pem"))
            ClientCertificateKeyFile=\(certs.path("client.key"))
            CertificationAuthoritiesFile=\(certs.path("ca.pem"))
            SSLProtocol=-all +TLSv1.3
            """)
        let session = loaded.sessions[0]
        #expect(session.connectAddresses == [ConnectAddress(host: "10.0.0.1", port: 9001), ConnectAddress(host: "10.0.0.2", port: 9002)])
        #expect(session.reconnectInterval == 3)
        #expect(session.configuration.heartBtInt == 15)
        #expect(session.tls?.verifyPeer == true)
        #expect(session.tls?.minimumVersion == .tls13)
        #expect(loaded.journalPath == "/tmp/j.sqlite", "relative to the settings file's folder")
    }

    /// Each bad setting is an error that names the key (and the file and line).
    @Test(arguments: [
        ("ConnectionType=server", "ConnectionType", "neither acceptor nor initiator"),
        ("HeartBtInt=soon", "HeartBtInt", "not a whole number"),
        ("ResetOnLogon=maybe", "ResetOnLogon", "not Y or N"),
        ("FileStorePath=store", "FileStorePath", "JournalPath"),
        ("SocketAcceptPrt=9000", "SocketAcceptPrt", "not a setting Wellhead knows"),
        ("DataDictionary=/nonexistent/FIX44.xml", "DataDictionary", "/nonexistent/FIX44.xml"),
        ("StartTime=25:00:00\nEndTime=17:00:00", "StartTime", "not a time"),
        ("StartTime=08:00:00", "EndTime", "missing"),
        ("TimeZone=Mars/Olympus\nStartTime=08:00:00\nEndTime=09:00:00", "TimeZone", "not a time zone"),
        ("Application=gateway9", "Application", "not an application"),
        ("SocketUseSSL=Y", "ServerCertificateFile", "missing"),
        ("BeginString=FIX.9.9", "BeginString", "not supported"),
    ])
    func badSettingNamesItsKey(line: String, key: String, message: String) {
        do {
            _ = try profile(base + "[SESSION]\nTargetCompID=OMS1\n" + line + "\n")
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.description.contains(message), "\(error)")
            #expect(error.description.hasPrefix("/tmp/test.cfg:"), "\(error)")
            #expect(error.line != nil)
        }
    }

    @Test func missingRequiredKeysAreNamed() {
        #expect(throws: SettingsError.self) { try profile("[SESSION]\nConnectionType=acceptor\n") }
        do {
            _ = try profile("[DEFAULT]\nConnectionType=acceptor\nBeginString=FIX.4.4\nSenderCompID=W\nDataDictionary=\(dictionary)\nJournalPath=/tmp/j\n[SESSION]\nTargetCompID=A\n")
            Issue.record("no port accepted")
        } catch {
            #expect(error.key == "SocketAcceptPort")
            #expect(error.section?.contains("FIX.4.4:W->A") == true)
        }
    }

    @Test func malformedFilesAreErrorsWithLines() {
        for (text, fragment) in [("[DEFAULT\nX=1", "closing"), ("[OTHER]\n", "unknown section"), ("Key=1\n", "outside"),
                                 ("[SESSION]\njunk\n", "Key=Value"), ("[SESSION]\nA=1\nA=2\n", "set twice"), ("", "no [SESSION]")] {
            #expect(throws: SettingsError.self, "\(fragment)") { try profile(text) }
            do { _ = try profile(text) } catch { #expect(error.description.contains(fragment), "\(error)") }
        }
    }

    @Test func shippedProfilesLoad() throws {
        for name in ["echo-acceptor.cfg", "initiator.cfg", "demo.cfg", "venue-sim.cfg", "gateway-to-venue.cfg"] {
            let loaded = try EngineProfile.load(path: TestDictionaries.path("sessions/\(name)"))
            #expect(!loaded.sessions.isEmpty)
        }
    }

    @Test func demoProfileIsTheGatewayWithItsFiles() throws {
        let demo = try EngineProfile.load(path: TestDictionaries.path("sessions/demo.cfg"))
        #expect(demo.sessions.map(\.configuration.id.targetCompID) == ["OMS1", "OMS2"])
        #expect(demo.sessions.allSatisfy { $0.application == "gateway" && $0.acceptPort == 9878 })
        let gateway = try #require(demo.sessions.first?.gateway)
        #expect(gateway.riskLimitsPath?.hasSuffix("sessions/risk-limits.yaml") == true)
        #expect(gateway.instrumentsPath.hasSuffix("sessions/instruments.yaml"))
        #expect(demo.sessions.map { $0.gateway?.defaultAccount } == ["DESK1", "DESK2"])
        #expect(gateway.adminSocketPath == demo.journalPath.replacingOccurrences(of: ".sqlite", with: ".admin.sock"),
                "the admin socket sits beside the journal unless AdminSocket says otherwise")
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
        #expect(session.venueOrderFields == [VenueOrderField(tag: 207, value: "IFEU"), VenueOrderField(tag: 582, value: "1")])
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
        let venue = try profile(base + "Application=venue\nInstruments=\(dictionary)\n[SESSION]\nTargetCompID=QA1\nVenueSymbolRoots=BZ:BRN\n")
        #expect(venue.sessions.first?.venueSymbolRoots == ["BZ": "BRN"], "a venue simulator may show an exchange's roots")
        #expect { try profile(base + "[SESSION]\nTargetCompID=OMS1\nVenueSymbolRoots=BZ:BRN\n") } throws: { error in
            "\(error)".contains("VenueSymbolRoots: only a route session (Application=route) talks to a venue")
        }
    }
}

/// Logon credentials in settings: hashes in a file for acceptors, a password from a file or
/// the environment for initiators, never a password in the settings file.
@Suite struct LogonCredentialSettingsTests {
    let dictionary = TestDictionaries.path("dictionaries/FIX44.xml")

    func profile(_ sessionLines: String, role: String = "acceptor") throws(SettingsError) -> EngineProfile {
        let socket = role == "acceptor" ? "SocketAcceptPort=9880" : "SocketConnectHost=127.0.0.1\nSocketConnectPort=9880\nHeartBtInt=30"
        return try EngineProfile(file: SettingsFile(text: """
            [DEFAULT]
            ConnectionType=\(role)
            BeginString=FIX.4.4
            SenderCompID=WELLHEAD
            \(socket)
            DataDictionary=\(dictionary)
            JournalPath=/tmp/j.sqlite
            [SESSION]
            TargetCompID=OMS1
            \(sessionLines)

            """, path: "/tmp/creds.cfg"))
    }

    @Test func aPasswordInTheSettingsFileIsRefusedByName() {
        do {
            _ = try profile("LogonUsername=desk1\nLogonPassword=secret", role: "initiator")
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "LogonPassword")
            #expect(error.description.contains("/tmp/creds.cfg"))
        }
    }

    @Test func anInitiatorReadsItsPasswordFromAFileOrTheEnvironment() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try "s3cret\n".write(toFile: directory.path("password"), atomically: true, encoding: .utf8)
        let loaded = try profile("LogonUsername=desk1\nLogonPasswordFile=\(directory.path("password"))", role: "initiator")
        #expect(loaded.sessions[0].configuration.logonCredentials == LogonCredentials(username: "desk1", password: "s3cret"))
        #expect(!"\(loaded.sessions[0].configuration.logonCredentials!)".contains("s3cret"))
        do {
            _ = try profile("LogonUsername=desk1\nLogonPasswordEnv=WELLHEAD_TEST_UNSET_PASSWORD", role: "initiator")
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "LogonPasswordEnv")
        }
    }

    @Test func anAcceptorNeedsItsUserInThePasswordFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        try "# nobody\n".write(toFile: directory.path("users.passwd"), atomically: true, encoding: .utf8)
        do {
            _ = try profile("LogonCredentialsFile=\(directory.path("users.passwd"))\nLogonUsername=desk1")
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "LogonUsername")
            #expect(error.message.contains("desk1"))
        }
        do {
            _ = try profile("LogonPasswordFile=/etc/hostname")
            Issue.record("expected an error")
        } catch {
            #expect(error.key == "LogonPasswordFile")
        }
    }
}
