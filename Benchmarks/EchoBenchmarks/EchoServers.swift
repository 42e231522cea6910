import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where the servers and the dictionary are: found from this source file's place in the
/// repository (Benchmarks/EchoBenchmarks/), so the benchmark runs from any working directory.
enum EchoPaths {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `WELLHEAD_BINARY`, or the release build in the repository root.
    static var wellhead: String {
        ProcessInfo.processInfo.environment["WELLHEAD_BINARY"] ?? repositoryRoot + "/.build/release/wellhead"
    }

    /// `WELLHEAD_BASELINE_BINARY`: another build of wellhead (an earlier commit's) that the
    /// order-path benchmarks also measure, as "Wellhead baseline", in the same run.
    static var wellheadBaseline: String? {
        ProcessInfo.processInfo.environment["WELLHEAD_BASELINE_BINARY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `QUICKFIX_ECHO_ACCEPTOR`, or the acceptor build-echo.sh builds.
    static var quickfixAcceptor: String {
        ProcessInfo.processInfo.environment["QUICKFIX_ECHO_ACCEPTOR"] ?? repositoryRoot + "/Benchmarks/quickfix-peer/echo-acceptor"
    }

    static var dictionary: String { repositoryRoot + "/dictionaries/FIX44.xml" }
}

/// Knobs, read from the environment so one command line runs the whole comparison.
enum EchoSettings {
    /// Unanswered orders the throughput benchmarks keep in flight (`ECHO_BENCH_WINDOW`, default 100).
    static var window: Int {
        ProcessInfo.processInfo.environment["ECHO_BENCH_WINDOW"].flatMap(Int.init).map { max(1, $0) } ?? 100
    }

    /// QuickFIX's acceptor class (`ECHO_BENCH_QUICKFIX_ACCEPTOR`): `threaded`
    /// (ThreadedSocketAcceptor, the default) or `socket` (SocketAcceptor).
    static var quickfixAcceptorKind: String {
        ProcessInfo.processInfo.environment["ECHO_BENCH_QUICKFIX_ACCEPTOR"] ?? "threaded"
    }

    /// Whether QuickFIX also writes its FileLog (`ECHO_BENCH_QUICKFIX_FILELOG=1`); off by default.
    static var quickfixFileLog: Bool {
        ProcessInfo.processInfo.environment["ECHO_BENCH_QUICKFIX_FILELOG"] == "1"
    }
}

/// The server processes this benchmark process started, killed if it dies without its
/// teardown running (a trap, a signal, an exit from a failed setup), so no engine outlives it.
enum ChildGuard {
    private static let pid = Atomic<Int32>(0)

    static func adopt(_ child: Int32) {
        installHandlersOnce
        pid.store(child, ordering: .sequentiallyConsistent)
    }

    static func release() {
        pid.store(0, ordering: .sequentiallyConsistent)
    }

    fileprivate static func killChild() {
        let child = pid.exchange(0, ordering: .sequentiallyConsistent)
        if child > 0 { kill(child, SIGKILL) }
    }

    private static let installHandlersOnce: Void = {
        atexit { ChildGuard.killChild() }
        for number in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGINT, SIGTERM, SIGHUP] {
            signal(number) { received in
                ChildGuard.killChild()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }()
}

/// A server running as a child process, its output in a log file in its own temporary folder.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: touched only by the benchmark's setup and teardown, one after the other.
    let name: String
    let directory: String
    private let process = Process()
    private let input = Pipe()
    private let logPath: String

    /// Starts `executable` with `arguments` and waits until its log contains `readyText`.
    init(name: String, executable: String, arguments: [String], directory: String, readyText: String) throws {
        self.name = name
        self.directory = directory
        logPath = directory + "/server.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let log = FileHandle(forWritingAtPath: logPath) else { throw EchoFailure("cannot write \(logPath)") }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = log
        process.standardError = log
        try process.run()
        ChildGuard.adopt(process.processIdentifier)
        let deadline = Date().addingTimeInterval(30)
        while !output.contains(readyText) {
            if !process.isRunning {
                ChildGuard.release()
                throw EchoFailure("\(name) exited (status \(process.terminationStatus)) before it was ready:\n\(output)")
            }
            if Date() > deadline {
                stop()
                throw EchoFailure("\(name) was not ready (no \"\(readyText)\" in its output) within 30 s:\n\(output)")
            }
            usleep(20_000)
        }
    }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The server's process id.
    var processIdentifier: Int32 { process.processIdentifier }

    /// SIGTERM (both engines log their sessions out and close their stores), SIGKILL after 10 s.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(10)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? input.fileHandleForWriting.close()
        ChildGuard.release()
    }
}

/// The bare loopback round trip: a thread that accepts one connection and sends back every
/// byte it receives with blocking `recv`/`send` — no parsing, no session, no storage.
final class LoopbackEchoServer: @unchecked Sendable {
    // @unchecked: `listener` is immutable after init; the thread owns the accepted socket.
    let port: Int
    private let listener: Int32

    init() throws {
        let (listener, port) = try loopbackListener()
        self.listener = listener
        self.port = port
        let thread = Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            var one: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            buffer.withUnsafeMutableBytes { buffer in
                while true {
                    let count = recv(connection, buffer.baseAddress, buffer.count, 0)
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { return }
                    var offset = 0
                    while offset < count {
                        let written = send(connection, buffer.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL))
                        if written < 0 && errno == EINTR { continue }
                        guard written > 0 else { return }
                        offset += written
                    }
                }
            }
        }
        thread.name = "loopback echo"
        thread.start()
    }

    /// Stops accepting; the echo thread ends when the client closes its connection.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}

/// A socket listening on a free loopback port (for one connection), and the port.
func loopbackListener() throws -> (socket: Int32, port: Int) {
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard listener >= 0 else { throw EchoFailure("socket() failed: errno \(errno)") }
    var one: Int32 = 1
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) } }
    guard bound == 0, listen(listener, 1) == 0 else {
        close(listener)
        throw EchoFailure("cannot listen on 127.0.0.1: errno \(errno)")
    }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) } }
    return (listener, Int(UInt16(bigEndian: address.sin_port)))
}

/// A free TCP port on loopback, found by binding port 0.
func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
