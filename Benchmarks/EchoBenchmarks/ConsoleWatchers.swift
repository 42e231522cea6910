import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Console pages watching the appliance live, as many browsers would: one login to the admin
/// console (a risk manager, who is sent everything), then `count` WebSockets on `/live` with
/// its session cookie, read as fast as the console pushes. The order-path benchmark runs with
/// them to show what watching costs the orders.
///
/// The pages are a process of their own, `Benchmarks/console-watchers.py` (one thread, a
/// selector over every socket), not threads of the load generator: the browsers they stand in
/// for run on the desks' machines, so here they run at the lowest priority
/// (`APPLIANCE_BENCH_WATCHER_NICE`, default 19) and the measurement is of the appliance, not
/// of the client's CPU on the benchmark machine's two cores.
final class ConsoleWatchers: @unchecked Sendable {
    // @unchecked: made in the benchmark's setup and stopped in its teardown, on its thread.
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private var summary: String?

    static let user = "bench"
    static let password = "benchmark-password-1"

    static var script: String { EchoPaths.repositoryRoot + "/Benchmarks/console-watchers.py" }

    static var niceness: Int {
        ProcessInfo.processInfo.environment["APPLIANCE_BENCH_WATCHER_NICE"].flatMap(Int.init) ?? 19
    }

    /// Writes a users file at `path` with the one user the watchers sign in as, through the
    /// `wellhead user add` of `executable` (the password on standard input, as a script would).
    static func writeUsers(at path: String, executable: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["user", "add", user, "--role", "risk_manager", "--users", path]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        input.fileHandleForWriting.write(Data((password + "\n").utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EchoFailure("wellhead user add exited \(process.terminationStatus)") }
    }

    /// Starts the watchers' process and waits until every page's WebSocket is open.
    init(port: Int, count: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, String(port), String(count), Self.user, Self.password, String(Self.niceness)]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let ready = readLine()
        guard ready == "ready" else {
            process.terminate()
            throw EchoFailure("the console watchers did not start: \(ready ?? "no answer")")
        }
    }

    /// One line of the watchers' output, nil at its end.
    private func readLine() -> String? {
        var line: [UInt8] = []
        let handle = output.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if first == 10 { return String(decoding: line, as: UTF8.self) }
            line.append(first)
        }
    }

    /// Closes the watchers' standard input (their signal to stop), waits for them and returns
    /// what they read: "frames … bytes … states … patches …".
    func stop() -> String {
        if let summary { return summary }
        try? input.fileHandleForWriting.close()
        let line = readLine() ?? "no summary"
        process.waitUntilExit()
        summary = line
        return line
    }
}
