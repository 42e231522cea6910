import FIXJournal
import Foundation
import Testing
import TestSupport

/// Logon credentials against QuickFIX's C++ engine: Wellhead as acceptor checking what a
/// QuickFIX initiator sends (right, wrong, missing, then locked out), and Wellhead as
/// initiator sending a password read from a file to a QuickFIX acceptor that checks it.
@Suite(.serialized) struct LogonCredentialsTests {
    /// A password-file line made by `wellhead credentials hash`, as an operator would.
    static func passwordFileLine(username: String, password: String) throws -> String {
        let process = Process()
        process.executableURL = WellheadProcess.executable
        process.arguments = ["credentials", "hash", "--username", username, "--rounds", "210000"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data((password + "\n").utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aQuickFIXInitiatorWithRightWrongAndMissingCredentials() throws {
        let directory = TemporaryDirectory("credentials")
        defer { directory.remove() }
        let port = freePort()
        let line = try Self.passwordFileLine(username: "desk1", password: "correct horse")
        #expect(line.hasPrefix("desk1:pbkdf2-sha256:210000:"))
        #expect(!line.contains("correct horse"))
        try "# OMS logons\n\(line)\n".write(toFile: directory.path("users.passwd"), atomically: true, encoding: .utf8)
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: port, extra: """
            LogonCredentialsFile=\(directory.path("users.passwd"))
            LogonUsername=desk1
            LogonLockoutAttempts=3
            LogonLockoutSeconds=120
            """)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config],
                                           log: directory.path("wellhead.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")

        // Right: OMS1 logs on and its orders come back.
        let right = try BackgroundProcess(
            try QuickFIXPeer.executable(),
            ["initiator", try QuickFIXPeer.settings(in: directory, connectionType: "initiator", sender: "OMS1", target: "WELLHEAD", port: port),
             "20", "0"],
            log: directory.path("right.log"), environment: ["QF_USERNAME": "desk1", "QF_PASSWORD": "correct horse"])
        #expect(right.wait(timeout: 60) == 0, "\(right.output)\n\(server.output.suffix(2000))")
        #expect(right.output.contains("echoed 20 of 20"))

        // Missing and wrong, on OMS2: each refused with a Logout that says why.
        let oms2 = try QuickFIXPeer.settings(in: directory, connectionType: "initiator", sender: "OMS2", target: "WELLHEAD", port: port)
        /// QuickFIX logging on as OMS2 with `credentials`, until every one of `refusals` has
        /// been printed (each a Logout's text); then it is stopped. Returns what it printed.
        func refused(_ name: String, _ credentials: [String: String], _ refusals: [String]) throws -> String {
            let peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["initiator", oms2, "1", "0"], log: directory.path("\(name).log"),
                                             environment: credentials.merging(["QF_LOGON_WAIT": "30"]) { $1 })
            for text in refusals { #expect(peer.waitForOutput(text), "\(name): \(peer.output)") }
            peer.signal(SIGKILL)
            _ = peer.wait(timeout: 10)
            return peer.output
        }
        _ = try refused("missing", [:], ["logout: Logon refused: Username (553) and Password (554) are required"])
        // Wrong, until the third refusal in a row locks the session out.
        _ = try refused("wrong", ["QF_USERNAME": "desk1", "QF_PASSWORD": "battery staple"],
                        ["logout: Logon refused: invalid Username or Password", "locked out for 120s after 3 failed logons"])
        // Locked out: the right password is refused too, until the lockout ends.
        let locked = try refused("locked", ["QF_USERNAME": "desk1", "QF_PASSWORD": "correct horse"],
                                 ["logout: Logon refused: locked out after 3 failed logons"])
        #expect(!locked.contains("echoed"))

        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
        // The refusals are in the audit trail; no password is anywhere in the journal.
        let journal = try Journal(path: directory.path("wellhead.sqlite"))
        let refusals = try journal.events(kind: "session.logon-refused")
        journal.close()
        #expect(refusals.count >= 4, "\(refusals)")
        #expect(refusals.contains { $0.json.contains("locked out") })
        for file in ["wellhead.sqlite", "wellhead.sqlite-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: directory.path(file)))) ?? Data()
            for secret in ["correct horse", "battery staple"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) found in \(file)")
            }
        }
    }

    @Test func wellheadInitiatorSendsAPasswordReadFromAFile() throws {
        let directory = TemporaryDirectory("credentials")
        defer { directory.remove() }
        let port = freePort()
        try "tr0mbone\n".write(toFile: directory.path("venue-password"), atomically: true, encoding: .utf8)
        let settings = try QuickFIXPeer.settings(in: directory, connectionType: "acceptor", sender: "VENUE", target: "WELLHEAD", port: port)
        let peer = try BackgroundProcess(try QuickFIXPeer.executable(), ["acceptor", settings, "50"], log: directory.path("peer.log"),
                                         environment: ["QF_EXPECT_USERNAME": "gw1", "QF_EXPECT_PASSWORD": "tr0mbone"])
        let config = try WellheadProfiles.echoInitiator(in: directory, port: port, sender: "WELLHEAD", target: "VENUE", extra: """
            LogonUsername=gw1
            LogonPasswordFile=\(directory.path("venue-password"))
            """)
        #expect(!(try String(contentsOfFile: config, encoding: .utf8)).contains("tr0mbone"))
        let client = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("wellhead.log"))
        #expect(peer.wait(timeout: 60) == 0, "peer: \(peer.output)\nwellhead: \(client.output.suffix(2000))")
        #expect(peer.output.contains("accepted logon from gw1"))
        #expect(peer.output.contains("echoed 50 of 50"))
        client.signal(SIGTERM)
        #expect(client.wait(timeout: 10) == 0)
    }
}
