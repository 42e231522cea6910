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

    /// The shipped profile plus a TW44 session for each older FIX 4.x, validated with
    /// QuickFIX's own dictionary for that version.
    static func everyVersionProfile(in directory: TemporaryDirectory, port: Int) throws -> String {
        var text = try String(contentsOfFile: try acceptanceProfile(in: directory, port: port), encoding: .utf8)
        let spec = try QuickFIXSpecs.directory()
        for minor in 0...3 {
            text += "\n[SESSION]\nBeginString=FIX.4.\(minor)\nTargetCompID=TW44\nDataDictionary=\(spec.appendingPathComponent("FIX4\(minor).xml").path)\n"
        }
        let path = directory.path("quickfix-acceptance-all.cfg")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The same scenarios in FIX 4.0 to 4.3, translated as QuickFIX's per-version scenarios
    /// differ from its FIX 4.4 ones: the session layer behaves the same in every version.
    @Test(arguments: ["FIX.4.3", "FIX.4.2", "FIX.4.1", "FIX.4.0"])
    func everyScenarioPassesInOlderVersions(_ beginString: String) async throws {
        let scenarios = try Self.scenarios().filter { $0.applies(to: beginString) }.map { $0.translated(to: beginString) }
        // All but those built on fields the version lacks (141 and 167 before 4.1, 454 before 4.3).
        #expect(scenarios.count >= 56)
        try await Self.play(scenarios, label: beginString) { directory, port in try Self.everyVersionProfile(in: directory, port: port) }
    }

    /// Starts `wellhead serve` on the profile `profile` writes, plays every scenario against it
    /// in turn, and records each one that fails with what differed.
    static func play(_ scenarios: [ConformanceScenario], label: String,
                     profile: (TemporaryDirectory, Int) throws -> String) async throws {
        let directory = TemporaryDirectory("acceptance")
        defer { directory.remove() }
        let port = freePort()
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", try profile(directory, port)],
                                           log: directory.path("wellhead.log"))
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        let runner = ConformanceRunner(port: port)
        var failed: [String] = []
        for scenario in scenarios {
            let problems = await offCooperativePool { runner.play(scenario) }
            if !problems.isEmpty {
                failed.append(scenario.name)
                Issue.record("\(problems.joined(separator: "\n"))")
            }
        }
        print("QuickFIX scenarios in \(label): \(scenarios.count - failed.count) of \(scenarios.count) passed")
        #expect(failed.isEmpty, "failed: \(failed.joined(separator: ", "))\nwellhead: \(server.output.suffix(4000))")
        if !failed.isEmpty, let keep = ProcessInfo.processInfo.environment["WELLHEAD_KEEP_LOG"] {
            try? server.output.write(toFile: keep, atomically: true, encoding: .utf8)
        }
        server.signal(SIGTERM)
        #expect(server.wait(timeout: 10) == 0)
    }

    @Test func theScenariosAreAllThere() throws {
        let scenarios = try Self.scenarios()
        #expect(scenarios.count == 59)
        #expect(scenarios.allSatisfy { !$0.steps.isEmpty })
    }

    @Test func everyScenarioPassesAgainstTheEchoAcceptor() async throws {
        try await Self.play(try Self.scenarios(), label: "FIX.4.4") { directory, port in try Self.acceptanceProfile(in: directory, port: port) }
    }
}
