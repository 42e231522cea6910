import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Console pages watching the appliance live, as many browsers would: one login to the admin
/// console (a risk manager, who is sent everything), then `count` WebSockets on `/live` with
/// its session cookie, each drained by a thread of its own as fast as the console pushes. The
/// order-path benchmark runs with them to show what watching costs the orders.
final class ConsoleWatchers: @unchecked Sendable {
    // @unchecked: `sockets` and `threads` are set in init and read in stop, on the benchmark's thread.
    private var sockets: [Int32] = []
    private var finished: [DispatchSemaphore] = []
    private let lock = NSLock()
    private var bytes = 0
    private var frames = 0

    static let user = "bench"
    static let password = "benchmark-password-1"

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

    init(port: Int, count: Int) throws {
        let cookie = try Self.signIn(port: port)
        for _ in 0..<count {
            let socket = try loopbackConnection(port: port)
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            try Self.send(socket, """
                GET /live HTTP/1.1\r
                Host: 127.0.0.1:\(port)\r
                Upgrade: websocket\r
                Connection: Upgrade\r
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
                Sec-WebSocket-Version: 13\r
                Origin: http://127.0.0.1:\(port)\r
                Cookie: \(cookie)\r
                \r

                """)
            let head = try Self.readHead(socket)
            guard head.hasPrefix("HTTP/1.1 101") else {
                close(socket)
                throw EchoFailure("the console did not open a WebSocket: \(head)")
            }
            sockets.append(socket)
            let done = DispatchSemaphore(value: 0)
            finished.append(done)
            Thread { [self] in
                drain(socket)
                done.signal()
            }.start()
        }
    }

    /// Bytes and frames the watchers have read since they connected.
    var received: (bytes: Int, frames: Int) { lock.withLock { (bytes, frames) } }

    /// Closes every WebSocket and waits for the threads that drained them.
    func stop() {
        for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
        for done in finished { _ = done.wait(timeout: .now() + 5) }
        for socket in sockets { close(socket) }
        sockets.removeAll()
        finished.removeAll()
    }

    /// Reads what the console pushes until the socket closes, counting the frames' starts
    /// roughly (a text frame from the server begins 0x81).
    private func drain(_ socket: Int32) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            let starts = buffer[0..<count].reduce(0) { $0 + ($1 == 0x81 ? 1 : 0) }
            lock.withLock {
                bytes += count
                frames += starts
            }
        }
    }

    /// Signs in once; the session cookie (`wellhead_console=…`).
    private static func signIn(port: Int) throws -> String {
        let socket = try loopbackConnection(port: port)
        defer { close(socket) }
        let form = "user=\(user)&password=\(password)"
        try send(socket, "POST /login HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 + "Content-Length: \(form.utf8.count)\r\nConnection: close\r\n\r\n\(form)")
        let head = try readHead(socket)
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("set-cookie:") {
            if let pair = line.dropFirst("set-cookie:".count).split(separator: ";").first {
                return pair.trimmingCharacters(in: .whitespaces)
            }
        }
        throw EchoFailure("the console's login set no cookie: \(head)")
    }

    private static func send(_ socket: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { write(socket, $0.baseAddress, $0.count) }
            guard count > 0 else { throw EchoFailure("write to the console failed: errno \(errno)") }
            sent += count
        }
    }

    /// Reads an HTTP response's head, byte by byte up to the blank line (nothing after it is taken).
    private static func readHead(_ socket: Int32) throws -> String {
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.suffix(4).elementsEqual([13, 10, 13, 10]) {
            guard read(socket, &byte, 1) == 1 else { throw EchoFailure("the console closed before answering: \(String(decoding: head, as: UTF8.self))") }
            head.append(byte)
        }
        return String(decoding: head, as: UTF8.self)
    }
}
