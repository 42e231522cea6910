import Foundation
import Testing
import TestSupport

/// `wellhead serve` as a user runs it: a real process, a real port, real signals.
@Suite(.serialized) struct ServeCommandTests {
    /// SIGTERM and SIGINT alike: ServiceLifecycle's graceful shutdown logs the session out.
    @Test(arguments: [SIGTERM, SIGINT])
    func servesUntilSIGTERMThenLogsOutAndExitsCleanly(signal: Int32) throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: port)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("serve.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        let client = try RawFIXClient(port: port)
        try client.send(Counterparty().logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        server.signal(signal)
        let logout = try #require(client.receive())
        #expect(logout.msgType == "5")
        try client.send(Counterparty().message("5", seq: 2, at: TestClock.wall()))
        #expect(server.wait(timeout: 10) == 0, "\(server.output)")
        #expect(server.output.contains("wellhead: serving 2 session(s)"), "\(server.output)")
        #expect(server.output.contains("signal received; logging sessions out"), "\(server.output)")
        #expect(server.output.contains("journal closed; goodbye"), "\(server.output)")
    }

    /// The whole appliance (gateway, risk sidecar, venue clock, admin socket, journal) on
    /// SIGTERM: the OMS gets a Logout, the admin socket is closed and removed, the journal
    /// closes after the logout, and the process exits 0.
    @Test func applianceLogsTheOMSOutOnSIGTERMClosesTheAdminSocketAndExitsZero() throws {
        let appliance = try Appliance()
        defer { appliance.directory.remove() }
        var oms = try appliance.connect()
        let order = try oms.order("T1", "54=1|38=1|40=2|44=1.00|59=0")
        #expect(order.last?[39]?.string == "0", "\(order.map(\.debugText))")
        #expect(FileManager.default.fileExists(atPath: appliance.adminSocket))
        appliance.server.signal(SIGTERM)
        let logout = try #require(oms.client.receive(until: "5", timeout: 10).last, "\(appliance.server.output.suffix(2000))")
        #expect(logout.msgType == "5")
        try oms.client.send(oms.party.message("5", seq: oms.nextSeq, at: TestClock.wall()))
        #expect(appliance.server.wait(timeout: 10) == 0, "\(appliance.server.output.suffix(2000))")
        let output = appliance.server.output
        let steps = ["signal received; logging sessions out", "logged out", "journal closed; goodbye"]
        let places = steps.map { output.range(of: $0)?.lowerBound }
        #expect(places.allSatisfy { $0 != nil }, "\(output.suffix(2000))")
        #expect(places.compactMap { $0 } == places.compactMap { $0 }.sorted(), "\(output.suffix(2000))")
        #expect(!FileManager.default.fileExists(atPath: appliance.adminSocket))
    }

    /// The threads of `process` at each scheduling policy (field 41 of /proc/<pid>/task/<tid>/stat;
    /// 5 is SCHED_IDLE), and at each nice value (field 19).
    private func threads(of process: BackgroundProcess) -> (idle: Int, nice10: Int) {
        let tasks = "/proc/\(process.process.processIdentifier)/task"
        var counts = (idle: 0, nice10: 0)
        for task in (try? FileManager.default.contentsOfDirectory(atPath: tasks)) ?? [] {
            guard let stat = try? String(contentsOfFile: "\(tasks)/\(task)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 38 else { continue }
            if fields[38] == "5" { counts.idle += 1 }
            if fields[16] == "10" { counts.nice10 += 1 }
        }
        return counts
    }

    /// `JournalFill=idle` (the default, so no key): the served appliance's two journal threads
    /// (SQLite filled behind the write-ahead log, the checkpoints) run SCHED_IDLE, and a logon
    /// is journaled.
    @Test func byDefaultTheJournalsBackgroundThreadsRunAtSCHEDIDLE() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: port)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("serve.log"))
        defer {
            server.signal(SIGTERM)
            _ = server.wait(timeout: 10)
        }
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        let client = try RawFIXClient(port: port)
        try client.send(Counterparty().logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        #expect(eventually(timeout: 10) { threads(of: server).idle == 2 }, "\(threads(of: server))")
        #expect(!server.output.contains("JournalFill=idle needs"), "\(server.output)")
    }

    /// Without CAP_SYS_NICE (and with the default RLIMIT_NICE of 0) Linux never lets a thread
    /// leave SCHED_IDLE, so idle threads could not be rescued on a busy host: the appliance says
    /// so and runs them at nice 10, as `JournalFill=background`.
    @Test func whereAStarvedThreadCannotBeRaisedTheJournalsThreadsRunAtNice10AndSaySo() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        let config = try WellheadProfiles.echoAcceptor(in: directory, port: port)
        // The same root user, without CAP_SYS_NICE in its bounding set.
        let server = try BackgroundProcess("/usr/bin/setpriv", ["--inh-caps=-sys_nice", "--bounding-set=-sys_nice", "--",
                                                                WellheadProcess.executable.path, "serve", "--config", config],
                                           log: directory.path("serve.log"))
        defer {
            server.signal(SIGTERM)
            _ = server.wait(timeout: 10)
        }
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        #expect(server.output.contains("JournalFill=idle needs CAP_SYS_NICE"), "\(server.output)")
        // setpriv execs wellhead in its own process: the pid is the appliance's.
        #expect(eventually(timeout: 10) { threads(of: server) == (idle: 0, nice10: 2) }, "\(threads(of: server))")
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
