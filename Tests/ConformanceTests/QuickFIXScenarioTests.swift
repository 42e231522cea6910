import Foundation
import Testing
import TestSupport

/// QuickFIX's 59 FIX 4.4 session acceptance scenarios, played one after another against
/// `wellhead serve` running `sessions/quickfix-acceptance.cfg` (QuickFIX's own acceptor
/// settings) with the echo application, as QuickFIX's test runner plays them against its
/// own acceptor.
@Suite(.serialized) struct QuickFIXScenarioTests {
    /// `../shared/conformance/quickfix-fix44` beside the repository (or
    /// `WELLHEAD_CONFORMANCE_DIR`): test data that is not copied into the project.
    static func scenarioDirectory() throws -> URL {
        let manager = FileManager.default
        var candidates: [String] = []
        if let overridden = ProcessInfo.processInfo.environment["WELLHEAD_CONFORMANCE_DIR"] { candidates.append(overridden) }
        candidates.append(TestDictionaries.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance/quickfix-fix44").path)
        candidates.append("/work/shared/conformance/quickfix-fix44")
        for candidate in candidates where manager.fileExists(atPath: candidate + "/1a_ValidLogonWithCorrectMsgSeqNum.def") {
            return URL(fileURLWithPath: candidate)
        }
        throw QuickFIXPeer.Failure(description: "QuickFIX's scenarios are not at any of \(candidates); set WELLHEAD_CONFORMANCE_DIR")
    }

    static func scenarios() throws -> [ConformanceScenario] {
        let directory = try scenarioDirectory()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".def") }.sorted()
        return try files.map { try ConformanceScenario(contentsOf: directory.appendingPathComponent($0)) }
    }

    /// The shipped profile with its port, journal and dictionary pointed at this run.
    static func acceptanceProfile(in directory: TemporaryDirectory, port: Int) throws -> String {
        let shipped = try String(contentsOfFile: TestDictionaries.path("sessions/quickfix-acceptance.cfg"), encoding: .utf8)
        let lines = shipped.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("SocketAcceptPort=") { return "SocketAcceptPort=\(port)" }
            if line.hasPrefix("JournalPath=") { return "JournalPath=\(directory.path("acceptance.sqlite"))" }
            if line.hasPrefix("DataDictionary=") { return "DataDictionary=\(TestDictionaries.path("dictionaries/FIX44.xml"))" }
            return String(line)
        }
        let path = directory.path("quickfix-acceptance.cfg")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theScenariosAreAllThere() throws {
        let scenarios = try Self.scenarios()
        #expect(scenarios.count == 59)
        #expect(scenarios.allSatisfy { !$0.steps.isEmpty })
    }

    @Test func everyScenarioPassesAgainstTheEchoAcceptor() async throws {
        let scenarios = try Self.scenarios()
        let directory = TemporaryDirectory("acceptance")
        defer { directory.remove() }
        let port = freePort()
        let server = try BackgroundProcess(WellheadProcess.executable.path,
                                           ["serve", "--config", try Self.acceptanceProfile(in: directory, port: port)],
                                           log: directory.path("wellhead.log"))
        #expect(server.waitForOutput("accepting on"), "\(server.output)")
        let runner = ConformanceRunner(port: port)
        var failed: [String] = []
        for scenario in scenarios {
            let problems = await offCooperativePool { runner.play(scenario) }
            if !problems.isEmpty {
                failed.append(scenario.name)
                Issue.record("\(problems.joined(separator: "\n"))")
            }
        }
        print("QuickFIX FIX 4.4 scenarios: \(scenarios.count - failed.count) of \(scenarios.count) passed")
        #expect(failed.isEmpty, "failed: \(failed.joined(separator: ", "))\nwellhead: \(server.output.suffix(4000))")
        if !failed.isEmpty, let keep = ProcessInfo.processInfo.environment["WELLHEAD_KEEP_LOG"] {
            try? server.output.write(toFile: keep, atomically: true, encoding: .utf8)
        }
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
    }
}
