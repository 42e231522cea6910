import Foundation
import Testing
import TestSupport

/// `wellhead serve` as a user runs it: a real process, a real port, real signals.
@Suite(.serialized) struct ServeCommandTests {
    @Test func servesUntilSIGTERMThenLogsOutAndExitsCleanly() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: port)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("serve.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        let client = try RawFIXClient(port: port)
        try client.send(Counterparty().logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        server.signal(SIGTERM)
        let logout = try #require(client.receive())
        #expect(logout.msgType == "5")
        try client.send(Counterparty().message("5", seq: 2, at: TestClock.wall()))
        #expect(server.wait(timeout: 10) == 0, "\(server.output)")
        #expect(server.output.contains("journal closed"))
    }

    @Test func unknownKeyIsAnErrorNamingFileLineAndKey() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: freePort(), extra: "HeartBeatInt=30")
        let result = try WellheadProcess.run(["serve", "--config", config])
        #expect(result.status != 0)
        #expect(result.standardError.contains("wellhead-acceptor.cfg:"), "\(result.standardError)")
        #expect(result.standardError.contains("HeartBeatInt: not a setting Wellhead knows"), "\(result.standardError)")
    }

    @Test func unreadableDictionaryIsNamed() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var config = try String(contentsOfFile: WellheadProfiles.echoAcceptor(in: directory, port: freePort()), encoding: .utf8)
        config = config.replacingOccurrences(of: "dictionaries/FIX44.xml", with: "dictionaries/FIX99.xml")
        let path = directory.path("bad.cfg")
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try WellheadProcess.run(["serve", "--config", path])
        #expect(result.status != 0)
        #expect(result.standardError.contains("DataDictionary"), "\(result.standardError)")
        #expect(result.standardError.contains("FIX99.xml"), "\(result.standardError)")
    }

    @Test func portInUseIsAnErrorNamingTheKey() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let first = try BackgroundProcess(WellheadProcess.executable.path,
                                          ["serve", "--config", try WellheadProfiles.echoAcceptor(in: directory, port: port)],
                                          log: directory.path("first.log"))
        #expect(first.waitForOutput("accepting connections"))
        let other = TemporaryDirectory()
        defer { other.remove() }
        var config = try String(contentsOfFile: WellheadProfiles.echoAcceptor(in: other, port: port), encoding: .utf8)
        config = config.replacingOccurrences(of: "SocketAcceptPort=\(port)", with: "SocketAcceptPort=\(port)\nSocketReuseAddress=N")
        try config.write(toFile: other.path("second.cfg"), atomically: true, encoding: .utf8)
        let result = try WellheadProcess.run(["serve", "--config", other.path("second.cfg")])
        #expect(result.status != 0)
        #expect(result.standardError.contains("SocketAcceptPort"), "\(result.standardError)")
        #expect(result.standardError.contains("cannot listen"), "\(result.standardError)")
        first.signal(SIGTERM)
        #expect(first.wait(timeout: 10) == 0)
    }

    @Test func aForeignJournalFileIsRefusedNotReplaced() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: freePort())
        let junk = Data(repeating: 0x5A, count: 8192)
        try junk.write(to: URL(fileURLWithPath: directory.path("wellhead.sqlite")))
        let result = try WellheadProcess.run(["serve", "--config", config])
        #expect(result.status != 0)
        #expect(result.standardError.contains("JournalPath"), "\(result.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory.path("wellhead.sqlite"))) == junk)
    }
}
