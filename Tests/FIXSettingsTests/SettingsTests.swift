import FIXSession
@testable import FIXSettings
import FIXTransportConfiguration
import Foundation
import Testing
import TestSupport

@Suite struct SettingsTests {
    private let dictionary = TestDictionaries.path("dictionaries/FIX44.xml")

    /// The engine's own echo application, and one with keys of its own.
    static let applications = ApplicationKeys(["echo": [], "desk": ["DeskName", "DeskLimit"]], fallback: "echo")

    private func profile(_ text: String) throws(SettingsError) -> EngineProfile {
        try EngineProfile(file: SettingsFile(text: text, path: "/tmp/test.cfg"), applications: Self.applications)
    }

    private var base: String { WellheadProfiles.settingsDefaults }

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

    /// `JournalMarketData`: market data refreshes are counted but not kept unless a session
    /// says Y; any other value is an error naming the file, the line and the key.
    @Test func journalMarketDataIsNUnlessASessionSaysY() throws {
        let loaded = try profile(base + "[SESSION]\nTargetCompID=OMS1\n[SESSION]\nTargetCompID=OMS2\nJournalMarketData=Y\n")
        #expect(loaded.sessions.map(\.journalMarketData) == [false, true])
        #expect(try profile(base + "JournalMarketData=y\n[SESSION]\nTargetCompID=OMS1\n").sessions.first?.journalMarketData == true)
        #expect { try profile(base + "[SESSION]\nTargetCompID=OMS1\nJournalMarketData=sometimes\n") } throws: { error in
            guard let error = error as? SettingsError else { return false }
            return error.file == "/tmp/test.cfg" && error.key == "JournalMarketData" && error.line == 11
                && "\(error)".hasPrefix("/tmp/test.cfg:11: ") && "\(error)".contains("'sometimes' is not Y or N")
        }
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
        ("RiskLimits=limits.yaml", "RiskLimits", "not a setting Wellhead knows"),
        ("JournalSync=sometimes", "JournalSync", "neither normal"),
        ("JournalFill=lazy", "JournalFill", "neither idle"),
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

    @Test func journalSyncIsNormalUnlessTheProfileAsksForFullAndOneValuePerProfile() throws {
        #expect(try profile(base + "[SESSION]\nTargetCompID=OMS1\n").journalSync == .normal)
        #expect(try profile(base + "[SESSION]\nTargetCompID=OMS1\nJournalSync=FULL\n").journalSync == .full)
        do {
            _ = try profile(base + "[SESSION]\nTargetCompID=OMS1\nJournalSync=full\n[SESSION]\nTargetCompID=OMS2\n")
            Issue.record("two sync levels for one journal accepted")
        } catch {
            #expect(error.key == "JournalSync", "\(error)")
        }
    }

    @Test func journalFillIsIdleUnlessTheProfileAsksForBackgroundAndOneValuePerProfile() throws {
        #expect(try profile(base + "[SESSION]\nTargetCompID=OMS1\n").journalFill == .idle)
        #expect(try profile(base + "[SESSION]\nTargetCompID=OMS1\nJournalFill=BACKGROUND\n").journalFill == .background)
        do {
            _ = try profile(base + "[SESSION]\nTargetCompID=OMS1\nJournalFill=background\n[SESSION]\nTargetCompID=OMS2\n")
            Issue.record("two fill priorities for one journal accepted")
        } catch {
            #expect(error.key == "JournalFill", "\(error)")
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

    /// The keys an application declares are its own: the engine hands them over with their
    /// lines and section, and an application's helpers name them in errors the same way.
    @Test func anApplicationGetsItsOwnKeysWithTheirLinesAndSection() throws {
        let loaded = try profile(base + "DeskName=Crude\n[SESSION]\nTargetCompID=OMS1\nApplication=desk\nDeskLimit=many\n")
        let session = try #require(loaded.sessions.first)
        #expect(session.application == "desk")
        let settings = session.applicationSettings
        #expect(Set(settings.entries.keys) == ["DeskName", "DeskLimit"], "the engine's keys are not the application's")
        #expect(settings.string("DeskName") == "Crude" && settings.entries["DeskName"]?.line == 9, "inherited from [DEFAULT], with its line")
        #expect { _ = try settings.int("DeskLimit", default: nil) } throws: { error in
            "\(error)" == "/tmp/test.cfg:13: [SESSION] at line 10 (FIX.4.4:WELLHEAD->OMS1): DeskLimit: 'many' is not a whole number in 0..."
        }
        #expect(loaded.sessions.count == 1)
        let echo = try profile(base + "[SESSION]\nTargetCompID=OMS2\n")
        #expect(echo.sessions.first?.application == "echo", "a session that names no application runs the fallback")
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

            """, path: "/tmp/creds.cfg"), applications: SettingsTests.applications)
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
