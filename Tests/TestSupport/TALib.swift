import Foundation

/// TA-Lib and numpy for the tests' reference values: the `ta-lib` package on PyPI ships a
/// binary wheel with TA-Lib's C library inside, so nothing is installed by hand. Installed once
/// with pip into `.build/python-talib` (not committed) and run with `PYTHONPATH` set to it.
public enum TALib {
    /// The `ta-lib` release the Signals tests were checked against (TA-Lib C 0.8.x inside): its
    /// look-backs and seeding are what the indicators match.
    public static let version = "0.8.2"

    /// The folder holding the `talib` and `numpy` packages, installing them on first use.
    ///
    /// Tests run in parallel and several ask at once: one install runs at a time in this
    /// process, into a folder of its own that is renamed into place whole, so no caller (here
    /// or in another process) imports from a folder pip is still writing.
    public static func packages() throws -> URL {
        if let configured = ProcessInfo.processInfo.environment["WELLHEAD_PYTHON_TALIB"] {
            return URL(fileURLWithPath: configured)
        }
        installLock.lock()
        defer { installLock.unlock() }
        let build = TestDictionaries.repositoryRoot.appendingPathComponent(".build")
        let folder = build.appendingPathComponent("python-talib")
        if isComplete(folder) { return folder }
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        let staging = build.appendingPathComponent(
            "python-talib-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0 ... .max))")
        defer { try? FileManager.default.removeItem(at: staging) }
        let log = build.appendingPathComponent("\(staging.lastPathComponent).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let status = try run("/usr/bin/env", ["python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                              "--target", staging.path, "ta-lib==\(version)", "numpy"],
                             environment: [:], output: log)
        guard status == 0, isComplete(staging) else {
            throw TALibError(message: "could not install ta-lib and numpy from PyPI into \(folder.path): "
                + ((try? String(contentsOf: log, encoding: .utf8)) ?? "pip exited \(status)")
                + "; set WELLHEAD_PYTHON_TALIB to a folder holding them")
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

    /// Runs `python3 script arguments…` with TA-Lib and numpy importable; throws with the
    /// script's output if it fails.
    public static func runPython(script: String, arguments: [String]) throws {
        let packages = try packages()
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("talib-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let status = try run("/usr/bin/env", ["python3", script] + arguments,
                             environment: ["PYTHONPATH": packages.path], output: log)
        guard status == 0 else {
            throw TALibError(message: "python3 \(script) exited \(status): "
                + ((try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }
    }

    private static let installLock = NSLock()

    private static func isComplete(_ folder: URL) -> Bool {
        ["talib/__init__.py", "numpy/__init__.py"].allSatisfy {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }
    }

    private static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                            output: URL) throws -> Int32 {
        guard FileManager.default.createFile(atPath: output.path, contents: nil) else {
            throw TALibError(message: "could not create \(output.path)")
        }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    public struct TALibError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
