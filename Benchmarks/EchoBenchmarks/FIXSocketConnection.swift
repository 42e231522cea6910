import FIXCodec
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The wire every benchmark client shares: a blocking TCP socket to 127.0.0.1 (TCP_NODELAY,
/// a bounded read timeout), the outgoing header (CompIDs, MsgSeqNum, SendingTime), blocking
/// sends, and one reusable receive buffer that frames with ``FIXFramer``, parses and checks
/// the peer's MsgSeqNum for gaps.
///
/// ``EchoClient`` and ``ApplianceClient`` both talk through it, so the client's own cost is
/// the same code in every figure; what each does with the replies stays in the client.
/// Used from one thread at a time (a benchmark's setup, iterations and teardown run one after
/// another), hence `@unchecked Sendable` without locking.
final class FIXSocketConnection: @unchecked Sendable {
    private let socket: Int32
    /// How errors name the other end ("server", "appliance").
    private let peerName: String
    private let senderCompID: String
    private let targetCompID: String
    /// Whether the peer keeps a FIX session (its MsgSeqNum must run without gaps); a plain
    /// byte echo returns the client's own numbers, which are not checked.
    private let checksSequence: Bool
    private let parser = FIXParser()
    private let framer = FIXFramer()
    /// Scratch for ``send(_:)-(FIXMessageBuilder)``: encoded into, written, reused.
    private var scratch: [UInt8] = []
    private var receiveBuffer: [UInt8]
    private var receiveStart = 0
    private var receiveEnd = 0
    /// The next MsgSeqNum this client sends.
    private var nextOutgoingSeqNum = 1
    /// The MsgSeqNum expected next from the peer (when ``checksSequence``).
    private var nextIncomingSeqNum = 1

    /// Connects to `127.0.0.1:port`. A peer that stops answering for `readTimeoutSeconds`
    /// fails the benchmark instead of hanging it.
    convenience init(port: Int, peerName: String, senderCompID: String, targetCompID: String, checksSequence: Bool,
                     readTimeoutSeconds: Int, sendCapacity: Int) throws {
        self.init(connected: try loopbackConnection(port: port), peerName: peerName, senderCompID: senderCompID, targetCompID: targetCompID,
                  checksSequence: checksSequence, readTimeoutSeconds: readTimeoutSeconds, sendCapacity: sendCapacity)
    }

    /// Takes over a connected socket (one this process accepted, when it plays a venue the
    /// engine connects to), closing it when done.
    init(connected socket: Int32, peerName: String, senderCompID: String, targetCompID: String, checksSequence: Bool,
         readTimeoutSeconds: Int, sendCapacity: Int) {
        self.socket = socket
        self.peerName = peerName
        self.senderCompID = senderCompID
        self.targetCompID = targetCompID
        self.checksSequence = checksSequence
        receiveBuffer = [UInt8](repeating: 0, count: 1 << 20)
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        scratch.reserveCapacity(sendCapacity)
    }

    deinit { close(socket) }

    // MARK: - Session

    /// Sends Logon (HeartBtInt 30, no reset) and waits for the peer's Logon.
    func logOn() throws {
        var logon = header("A")
        logon.body.append(98, 0)
        logon.body.append(108, 30)
        try send(logon)
        let reply = try nextMessage()
        guard reply.msgType == "A" else { throw EchoFailure("expected Logon (35=A) in reply, got: \(reply.debugText)") }
    }

    /// Sends Logout and reads (up to `limit` messages, each within the read timeout) until
    /// the peer's Logout; errors are ignored, the session is over either way.
    func logOut(readingAtMost limit: Int) {
        guard (try? send(header("5"))) != nil else { return }
        for _ in 0..<limit {
            guard let message = try? nextMessage(checkingSequence: false) else { return }
            if message.msgType == "5" { return }
        }
    }

    /// Answers a TestRequest (35=1) with a Heartbeat carrying its TestReqID (112).
    func answerTestRequest(_ request: FIXMessage) throws {
        var heartbeat = header("0")
        heartbeat.body.append(112, request[112]?.string ?? "")
        try send(heartbeat)
    }

    // MARK: - Writing

    /// A message with this client's header (49, 56, 34 the next MsgSeqNum, 52 now); the
    /// MsgSeqNum is used up, so the message must be sent.
    func header(_ msgType: String, bodyCapacity: Int = 160) -> FIXMessageBuilder {
        var builder = FIXMessageBuilder(msgType: msgType, bodyCapacity: bodyCapacity)
        builder.header.append(49, senderCompID)
        builder.header.append(56, targetCompID)
        builder.header.append(34, nextOutgoingSeqNum)
        builder.header.append(52, Self.now())
        nextOutgoingSeqNum += 1
        return builder
    }

    /// Encodes `message` into the reusable scratch buffer and sends it.
    func send(_ message: FIXMessageBuilder) throws {
        scratch.removeAll(keepingCapacity: true)
        message.encode(into: &scratch)
        try send(scratch)
    }

    /// Writes every byte of `buffer`, blocking as needed.
    func send(_ buffer: [UInt8]) throws {
        try buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.send(socket, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw EchoFailure("send failed: errno \(errno) (the \(peerName) closed the connection?)") }
                offset += written
            }
        }
    }

    /// Parses bytes this client built (to compare an echo with what was sent).
    func parse(_ bytes: [UInt8]) throws -> FIXMessage {
        try parser.parse(bytes)
    }

    /// Wall-clock now, for SendingTime and TransactTime (the peers check SendingTime).
    static func now() -> FIXTimestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return FIXTimestamp(nanosecondsSinceEpoch: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    // MARK: - Reading

    /// The next message, reading as needed; with `checkingSequence`, the peer's MsgSeqNum
    /// must be the next one expected.
    func nextMessage(checkingSequence: Bool = true) throws -> FIXMessage {
        while true {
            if let message = try takeMessage(checkingSequence: checkingSequence) { return message }
            try fill()
        }
    }

    /// Frames and parses the next complete message in the buffer, or `nil` if there is none yet.
    func takeMessage(checkingSequence: Bool = true) throws -> FIXMessage? {
        guard receiveEnd > receiveStart else { return nil }
        let frame = receiveBuffer.withUnsafeBytes { framer.frame(UnsafeRawBufferPointer(rebasing: $0[receiveStart..<receiveEnd])) }
        switch frame {
        case .incomplete:
            return nil
        case .garbled(let reason, _):
            let text = String(decoding: receiveBuffer[receiveStart..<min(receiveEnd, receiveStart + 200)], as: UTF8.self)
            throw EchoFailure("garbled input from the \(peerName) (\(reason)): \(text)")
        case .message(let length):
            let bytes = Array(receiveBuffer[receiveStart..<receiveStart + length])
            receiveStart += length
            let message = try parser.parse(bytes)
            if checksSequence && checkingSequence {
                guard message.msgSeqNum == nextIncomingSeqNum else {
                    throw EchoFailure("\(peerName) MsgSeqNum \(message.msgSeqNum.map(String.init) ?? "missing"), expected \(nextIncomingSeqNum): \(message.debugText)")
                }
                nextIncomingSeqNum += 1
            }
            return message
        }
    }

    /// One blocking `recv` into the buffer (compacted first when its tail is full).
    func fill() throws {
        if receiveStart == receiveEnd {
            receiveStart = 0
            receiveEnd = 0
        } else if receiveEnd == receiveBuffer.count {
            let pending = receiveEnd - receiveStart
            guard receiveStart > 0 else { throw EchoFailure("a message longer than \(receiveBuffer.count) bytes arrived") }
            receiveBuffer.withUnsafeMutableBytes { buffer in
                _ = memmove(buffer.baseAddress!, buffer.baseAddress! + receiveStart, pending)
            }
            receiveStart = 0
            receiveEnd = pending
        }
        while true {
            let count = receiveBuffer.withUnsafeMutableBytes { buffer in
                recv(socket, buffer.baseAddress! + receiveEnd, buffer.count - receiveEnd, 0)
            }
            if count > 0 {
                receiveEnd += count
                return
            }
            if count == 0 { throw EchoFailure("the \(peerName) closed the connection") }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw EchoFailure("no reply from the \(peerName) within the read timeout")
            default: throw EchoFailure("recv failed: errno \(errno)")
            }
        }
    }
}

/// A TCP connection to `127.0.0.1:port`: the socket, connected.
func loopbackConnection(port: Int) throws -> Int32 {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw EchoFailure("socket() failed: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard status == 0 else {
        let error = errno
        close(socket)
        throw EchoFailure("connect to 127.0.0.1:\(port) failed: errno \(error)")
    }
    return socket
}
