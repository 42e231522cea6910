import FIXCodec
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking TCP client that writes raw FIX bytes and reads framed messages back:
/// the counterparty in tests that drive a real acceptor over a real socket. One test uses a
/// client at a time, so it is handed to `offCooperativePool` without locking.
public final class RawFIXClient: @unchecked Sendable {
    private let socket: Int32
    private var buffer: [UInt8] = []
    private let framer = FIXFramer()

    public struct ClientError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(host: String = "127.0.0.1", port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            close(socket)
            throw ClientError(description: "connect to \(host):\(port) failed: errno \(errno)")
        }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(socket) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            offset += written
        }
    }

    /// The next complete message, or `nil` if the connection closed or `timeout` passed.
    public func receive(timeout: Double = 5) -> FIXMessage? {
        receiveBytes(timeout: timeout).flatMap { try? FIXMessage(parsing: $0) }
    }

    /// What ``awaitClose(timeout:)`` saw.
    public enum CloseOutcome: Sendable, Equatable {
        case closed
        /// A message arrived before the connection closed.
        case received([UInt8])
        case timedOut
    }

    /// Waits for the other side to close the connection; a message arriving first is returned.
    public func awaitClose(timeout: Double = 5) -> CloseOutcome {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if case .message(let length) = buffer.withUnsafeBytes({ framer.frame($0) }) {
                let bytes = Array(buffer[0..<length])
                buffer.removeFirst(length)
                return .received(bytes)
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return .timedOut }
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, remaining * 1000))) > 0 else { return .timedOut }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(socket, &chunk, chunk.count, 0)
            if count <= 0 { return .closed }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// The next complete message's bytes, or `nil` if the connection closed or `timeout` passed.
    public func receiveBytes(timeout: Double = 5) -> [UInt8]? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            switch buffer.withUnsafeBytes({ framer.frame($0) }) {
            case .message(let length):
                let bytes = Array(buffer[0..<length])
                buffer.removeFirst(length)
                return bytes
            case .garbled(_, let discard):
                buffer.removeFirst(min(discard, buffer.count))
                continue
            case .incomplete:
                break
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(remaining * 1000)) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }

    /// Receives until a message of `msgType` arrives, returning everything read on the way.
    public func receive(until msgType: String, timeout: Double = 5) -> [FIXMessage] {
        var seen: [FIXMessage] = []
        while let message = receive(timeout: timeout) {
            seen.append(message)
            if message.msgType == msgType { break }
        }
        return seen
    }

    /// Whether the other side closed the connection within `timeout` (reading and
    /// discarding anything it sent first).
    public func isClosed(within timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { return false }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = recv(socket, &chunk, chunk.count, 0)
            if count <= 0 { return true }
            buffer.append(contentsOf: chunk[0..<count])
        }
        return false
    }
}

/// Runs a blocking call on a thread of its own and awaits its result, so a test that waits on
/// a socket while async work it started (an engine shutting down) must make progress does
/// not hold one of the few cooperative threads (two on a 2-core machine) that work needs.
public func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: body()) }
    }
}
