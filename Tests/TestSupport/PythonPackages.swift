import Foundation

/// Python packages from PyPI the tests use as independent references (TA-Lib, Selenium):
/// installed once with pip into `.build/python-<name>` (not committed), and scripts run with
/// `PYTHONPATH` set to it.
///
/// Tests run in parallel and several ask at once: one install runs at a time in this process,
/// into a folder of its own that is renamed into place whole, so no caller (here or in another
/// process) imports from a folder pip is still writing.
public struct PythonPackages: Sendable {
    /// The folder's name under `.build`: `python-<name>`.
    public let name: String
    /// pip requirement specifiers: `ta-lib==0.8.2`, `numpy`.
    public let requirements: [String]
    /// Files whose presence in the folder shows the install finished: `talib/__init__.py`.
    public let markers: [String]
    /// An environment variable naming a folder that already holds the packages.
    public let override: String

    public init(name: String, requirements: [String], markers: [String], override: String) {
        self.name = name
        self.requirements = requirements
        self.markers = markers
        self.override = override
    }

    /// The folder holding the packages, installing them on first use.
    public func folder() throws -> URL {
        if let configured = ProcessInfo.processInfo.environment[override] { return URL(fileURLWithPath: configured) }
        Self.installLock.lock()
        defer { Self.installLock.unlock() }
        let build = TestDictionaries.repositoryRoot.appendingPathComponent(".build")
        let folder = build.appendingPathComponent("python-\(name)")
        if isComplete(folder) { return folder }
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        let staging = build.appendingPathComponent("python-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0 ... .max))")
        defer { try? FileManager.default.removeItem(at: staging) }
        let (status, output) = try Self.run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                                             "--target", staging.path] + requirements, environment: [:])
        guard status == 0, isComplete(staging) else {
            throw PythonError(message: "could not install \(requirements.joined(separator: " ")) from PyPI into \(folder.path): "
                + (output.isEmpty ? "pip exited \(status)" : output) + "; set \(override) to a folder holding them")
        }
        if isComplete(folder) { return folder }  // another process finished first
        try? FileManager.default.removeItem(at: folder)  // a half-made one left by a killed run
        do {
            try FileManager.default.moveItem(at: staging, to: folder)
        } catch {
            // Another process may have renamed its own into place between the check and the move.
            guard isComplete(folder) else { throw error }
        }
        return folder
    }

    /// Runs `python3 script arguments…` with the packages importable; returns what it printed,
    /// or throws with that output if it fails.
    @discardableResult
    public func run(script: String, arguments: [String], environment: [String: String] = [:]) throws -> String {
        let packages = try folder()
        let (status, output) = try Self.run("/usr/bin/env", ["python3", script] + arguments,
                                            environment: environment.merging(["PYTHONPATH": packages.path]) { _, new in new })
        guard status == 0 else { throw PythonError(message: "python3 \(script) exited \(status): \(output)") }
        return output
    }

    private static let installLock = NSLock()

    private func isComplete(_ folder: URL) -> Bool {
        markers.allSatisfy { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (Int32, String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("python-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw PythonError(message: "could not create \(log.path)") }
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    public struct PythonError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
