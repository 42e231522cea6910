import Foundation

/// QuickFIX's C++ engine (Debian's libquickfix-dev) as an independent counterparty: builds
/// `Tests/Interop/qf_peer.cpp` once and runs it with a QuickFIX settings file.
public enum QuickFIXPeer {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// A compiled program of `Tests/Interop` (`qf_peer`, the echo counterparty; `qf_oms`,
    /// an OMS running a script), rebuilt when its source is newer.
    public static func executable(_ name: String = "qf_peer") throws -> String {
        // Suites run in parallel: one build at a time, each to a file of its own until renamed.
        building.lock()
        defer { building.unlock() }
        let source = TestDictionaries.path("Tests/Interop/\(name).cpp")
        let output = TestDictionaries.path(".build/interop/\(name)")
        let manager = FileManager.default
        let sourceDate = (try? manager.attributesOfItem(atPath: source)[.modificationDate] as? Date) ?? .distantFuture
        if let built = try? manager.attributesOfItem(atPath: output)[.modificationDate] as? Date, built > sourceDate {
            return output
        }
        guard manager.fileExists(atPath: "/usr/include/quickfix/Session.h") else {
            throw Failure(description: "QuickFIX is not installed: apt-get install -y libquickfix-dev (.ci/run does this)")
        }
        try manager.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = "\(output).\(ProcessInfo.processInfo.processIdentifier).tmp"
        let result = try Shell.run("g++ -std=c++14 -O1 -w -DHAVE_SSL=1 '\(source)' -lquickfix -lssl -lcrypto -lpthread -o '\(temporary)' && mv '\(temporary)' '\(output)'")
        guard result.status == 0 else { throw Failure(description: "building \(name) failed:\n\(result.output)") }
        return output
    }

    private static let building = NSLock()

    /// A QuickFIX settings file for one FIX 4.4 session, using Wellhead's dictionary; `extra`
    /// goes into `[DEFAULT]`, where QuickFIX's SSL sockets look for their keys.
    public static func settings(in directory: TemporaryDirectory, connectionType: String, sender: String, target: String,
                                port: Int, heartBtInt: Int = 30, extra: String = "") throws -> String {
        let socket = connectionType == "initiator"
            ? "SocketConnectHost=127.0.0.1\nSocketConnectPort=\(port)\nHeartBtInt=\(heartBtInt)"
            : "SocketAcceptPort=\(port)\nSocketReuseAddress=Y"
        let text = """
            [DEFAULT]
            ConnectionType=\(connectionType)
            ReconnectInterval=1
            FileStorePath=\(directory.path("qf-store"))
            FileLogPath=\(directory.path("qf-log"))
            StartTime=00:00:00
            EndTime=00:00:00
            UseDataDictionary=Y
            DataDictionary=\(TestDictionaries.path("dictionaries/FIX44.xml"))
            ValidateUserDefinedFields=N
            \(extra)
            [SESSION]
            BeginString=FIX.4.4
            SenderCompID=\(sender)
            TargetCompID=\(target)
            \(socket)

            """
        let path = directory.path("quickfix-\(connectionType).cfg")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Runs shell commands and child processes for tests.
public enum Shell {
    public struct Result: Sendable {
        public let status: Int32
        public let output: String
    }

    /// Runs `command` with /bin/sh, standard output and error together.
    public static func run(_ command: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " 2>&1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` seconds have passed, and says
/// whether it held: how tests wait for an event (a line of output, a file, a journal row)
/// with a deadline, never for a fixed time.
public func eventually(timeout: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return try condition() }
        usleep(20_000)
    }
}

/// A child process running in the background, its output collected into a file.
public final class BackgroundProcess: @unchecked Sendable {
    // @unchecked: `process` and `input` are only touched from the test that owns this object.
    public let process: Process
    public let logPath: String
    private let input: Pipe?

    /// - Parameters:
    ///   - environment: variables added to this process's environment for the child.
    ///   - standardInput: gives the child a pipe to read from (``write(_:)``, ``closeInput()``);
    ///     otherwise it inherits the test's.
    public init(_ executable: String, _ arguments: [String], log: String, environment: [String: String] = [:],
                standardInput: Bool = false) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)!
        process.standardOutput = handle
        process.standardError = handle
        input = standardInput ? Pipe() : nil
        if let input { process.standardInput = input }
        logPath = log
        try process.run()
    }

    public var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends signal `number`, unless the child has exited (its process ID may be another's by now).
    public func signal(_ number: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, number)
    }

    /// Writes `bytes` to the child's standard input (see `standardInput`).
    public func write(_ bytes: [UInt8]) throws {
        try input?.fileHandleForWriting.write(contentsOf: bytes)
    }

    /// Closes the child's standard input: it reads end of file.
    public func closeInput() {
        try? input?.fileHandleForWriting.close()
    }

    /// Waits up to `timeout` seconds; the exit status, or `nil` if still running.
    public func wait(timeout: Double) -> Int32? {
        _ = eventually(timeout: timeout) { !process.isRunning }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Waits until the output contains `text` (at least `count` times).
    public func waitForOutput(_ text: String, count: Int = 1, timeout: Double = 30) -> Bool {
        waitForOutput(timeout: timeout) { $0.components(separatedBy: text).count > count }
    }

    /// Waits until `condition` holds for the output so far; gives up early once the child has
    /// exited and its last output does not satisfy it.
    public func waitForOutput(timeout: Double = 30, _ condition: (String) -> Bool) -> Bool {
        var met = false
        _ = eventually(timeout: timeout) {
            met = condition(output)
            return met || !process.isRunning
        }
        return met || condition(output)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A loopback TCP port no other socket can be given until this test process exits.
///
/// The port is bound (to 127.0.0.1, with SO_REUSEADDR, never listening) and stays bound:
/// the kernel does not hand a bound port to another `bind` to port 0 or to an outgoing
/// connection, so no other test (or process) can take it, whichever suites run in parallel,
/// while a server started for it (`wellhead serve`, a QuickFIX acceptor, both with
/// SO_REUSEADDR) listens on it, and again after a restart.
public func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    precondition(fd >= 0, "socket: errno \(errno)")
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    precondition(bound == 0, "bind: errno \(errno)")
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    // Never closed: the descriptor is the reservation (a few hundred ports in a full run).
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A python3 process holding SQLite's write lock on the database at `path` (as an operator's
/// `sqlite3` session in a write transaction would) until it is killed; returns once it holds it.
public func holdSQLiteWriteLock(_ path: String, log: String) throws -> BackgroundProcess {
    let holder = try BackgroundProcess("/usr/bin/env", ["python3", "-c", """
        import sqlite3, sys, time
        db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
        db.execute("BEGIN IMMEDIATE")
        print("holding the write lock", flush=True)
        time.sleep(600)
        """, path], log: log)
    guard holder.waitForOutput("holding the write lock") else {
        holder.signal(SIGKILL)
        throw QuickFIXPeer.Failure(description: "could not lock \(path): \(holder.output)")
    }
    return holder
}
