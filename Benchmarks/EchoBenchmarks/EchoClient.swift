import FIXCodec
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What went wrong talking to an echo server, with what was expected and what arrived.
struct EchoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The one FIX client every echo benchmark uses: a blocking TCP socket (TCP_NODELAY) that
/// writes NewOrderSingles with increasing MsgSeqNum and the current SendingTime, and reads
/// their echoes back, checking each one (MsgType D, ClOrdIDs in order, the server's MsgSeqNum
/// without gaps). The same code drives Wellhead, QuickFIX and the bare loopback echo, so the
/// client's own cost is the same in every figure.
///
/// Used from one thread at a time (the benchmark's setup, iterations and teardown run one
/// after another), hence `@unchecked Sendable` without locking.
final class EchoClient: @unchecked Sendable {
    /// Whether the other end is a FIX engine (log on, answer TestRequests, expect its CompIDs
    /// and sequence numbers) or a byte-for-byte echo of what the client sends.
    enum Peer { case fixEngine, byteEcho }

    static let senderCompID = "OMS1"
    static let targetCompID = "WELLHEAD"

    private let socket: Int32
    private let peer: Peer
    private let parser = FIXParser()
    private let framer = FIXFramer()
    private var sendBuffer: [UInt8] = []
    private var receiveBuffer: [UInt8]
    private var receiveStart = 0
    private var receiveEnd = 0
    /// The next MsgSeqNum this client sends.
    private var nextOutgoingSeqNum = 1
    /// The MsgSeqNum expected next from the server (engines only).
    private var nextIncomingSeqNum = 1
    /// Orders sent and echoes received; ClOrdID is the order's number, so echo `n` must carry
    /// ClOrdID `n`.
    private(set) var ordersSent = 0
    private(set) var echoesReceived = 0

    init(port: Int, peer: Peer, readTimeoutSeconds: Int = 10) throws {
        self.peer = peer
        receiveBuffer = [UInt8](repeating: 0, count: 1 << 20)
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
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
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // A bounded blocking read: a server that stops answering fails the benchmark instead
        // of hanging it.
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        sendBuffer.reserveCapacity(64 * 1024)
    }

    deinit { close(socket) }

    // MARK: - Session

    /// Sends Logon (HeartBtInt 30, no reset) and waits for the server's Logon.
    func logOn() throws {
        var logon = header("A")
        logon.body.append(98, 0)
        logon.body.append(108, 30)
        sendBuffer.removeAll(keepingCapacity: true)
        logon.encode(into: &sendBuffer)
        try writeAll(sendBuffer)
        let reply = try nextMessage()
        guard reply.msgType == "A" else { throw EchoFailure("expected Logon (35=A) in reply, got: \(reply.debugText)") }
    }

    /// Sends Logout and waits (up to the read timeout) for the server's Logout; errors are
    /// ignored, the session is over either way.
    func logOut() {
        guard peer == .fixEngine else { return }
        sendBuffer.removeAll(keepingCapacity: true)
        header("5").encode(into: &sendBuffer)
        guard (try? writeAll(sendBuffer)) != nil else { return }
        for _ in 0..<1_000 {
            guard let message = try? nextMessage(checkingSequence: false) else { return }
            if message.msgType == "5" { return }
        }
    }

    // MARK: - Orders

    /// One NewOrderSingle, then blocks until its echo has arrived: one round trip.
    func roundTrip() throws {
        sendBuffer.removeAll(keepingCapacity: true)
        appendOrder()
        try writeAll(sendBuffer)
        while echoesReceived < ordersSent { try readEchoes() }
    }

    /// `count` NewOrderSingles with at most `window` unanswered at any time: sends until the
    /// window is full, reads what has come back, tops the window up again, until every echo
    /// is in. The bytes in flight stay far below the socket buffers, so blocking writes
    /// cannot deadlock against a server blocked writing its echoes.
    func pipeline(count: Int, window: Int) throws {
        let target = ordersSent + count
        while echoesReceived < target {
            let room = min(window - (ordersSent - echoesReceived), target - ordersSent)
            if room > 0 {
                sendBuffer.removeAll(keepingCapacity: true)
                for _ in 0..<room { appendOrder() }
                try writeAll(sendBuffer)
            }
            try readEchoes()
        }
    }

    /// Sends one order and checks its echo field by field against what was sent: run once
    /// before any timing, so a server that does not really echo fails loudly.
    func verifyEcho() throws {
        sendBuffer.removeAll(keepingCapacity: true)
        appendOrder()
        let sent = try parser.parse(sendBuffer)
        try writeAll(sendBuffer)
        let echo = try nextMessage()
        guard echo.msgType == "D" else { throw EchoFailure("expected the NewOrderSingle back (35=D), got: \(echo.debugText)") }
        for tag in [11, 55, 54, 60, 38, 40, 44] where echo[tag] != sent[tag] {
            throw EchoFailure("echo differs in tag \(tag): sent \(sent[tag]?.string ?? "nothing"), got \(echo[tag]?.string ?? "nothing") in \(echo.debugText)")
        }
        if peer == .fixEngine {
            guard echo[49]?.string == Self.targetCompID, echo[56]?.string == Self.senderCompID else {
                throw EchoFailure("echo has the wrong CompIDs (expected 49=\(Self.targetCompID), 56=\(Self.senderCompID)): \(echo.debugText)")
            }
        }
        echoesReceived += 1
    }

    // MARK: - Writing

    private func header(_ msgType: String) -> FIXMessageBuilder {
        var builder = FIXMessageBuilder(msgType: msgType, bodyCapacity: 128)
        builder.header.append(49, Self.senderCompID)
        builder.header.append(56, Self.targetCompID)
        builder.header.append(34, nextOutgoingSeqNum)
        builder.header.append(52, Self.now())
        nextOutgoingSeqNum += 1
        return builder
    }

    /// A FIX 4.4 NewOrderSingle for one CL lot at a limit price, ClOrdID its order number,
    /// SendingTime and TransactTime now (Wellhead and QuickFIX both check SendingTime).
    private func appendOrder() {
        ordersSent += 1
        var order = header("D")
        order.body.append(11, ordersSent)
        order.body.append(1, "DESK1")
        order.body.append(55, "CLZ6")
        order.body.append(54, char: UInt8(ascii: "1"))
        order.body.append(60, Self.now())
        order.body.append(38, 1)
        order.body.append(40, char: UInt8(ascii: "2"))
        order.body.append(44, FIXDecimal(mantissa: 7_125, scale: 2))
        order.encode(into: &sendBuffer)
    }

    private func writeAll(_ buffer: [UInt8]) throws {
        try buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = send(socket, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw EchoFailure("send failed: errno \(errno) (the server closed the connection?)") }
                offset += written
            }
        }
    }

    private static func now() -> FIXTimestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return FIXTimestamp(nanosecondsSinceEpoch: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    // MARK: - Reading

    /// One blocking read, then every complete message in the buffer: echoes are counted and
    /// checked, Heartbeats skipped, TestRequests answered; anything else fails the run.
    private func readEchoes() throws {
        try fill()
        while let message = try takeMessage() {
            try handle(message)
        }
    }

    private func handle(_ message: FIXMessage) throws {
        switch message.msgType {
        case "D":
            let expected = echoesReceived + 1
            guard message[11]?.int == expected else {
                throw EchoFailure("echo out of order: expected ClOrdID \(expected), got \(message.debugText)")
            }
            echoesReceived = expected
        case "0" where peer == .fixEngine:
            break
        case "1" where peer == .fixEngine:
            var heartbeat = header("0")
            heartbeat.body.append(112, message[112]?.string ?? "")
            try writeAll(heartbeat.encode())
        default:
            throw EchoFailure("unexpected message from the server (expected an echoed NewOrderSingle): \(message.debugText)")
        }
    }

    /// The next message, reading as needed; with `checkingSequence`, the server's MsgSeqNum
    /// must be the next one expected.
    private func nextMessage(checkingSequence: Bool = true) throws -> FIXMessage {
        while true {
            if let message = try takeMessage(checkingSequence: checkingSequence) { return message }
            try fill()
        }
    }

    /// Frames and parses the next complete message in the buffer, or `nil` if there is none yet.
    private func takeMessage(checkingSequence: Bool = true) throws -> FIXMessage? {
        guard receiveEnd > receiveStart else { return nil }
        let frame = receiveBuffer.withUnsafeBytes { framer.frame(UnsafeRawBufferPointer(rebasing: $0[receiveStart..<receiveEnd])) }
        switch frame {
        case .incomplete:
            return nil
        case .garbled(let reason, _):
            let text = String(decoding: receiveBuffer[receiveStart..<min(receiveEnd, receiveStart + 200)], as: UTF8.self)
            throw EchoFailure("garbled input from the server (\(reason)): \(text)")
        case .message(let length):
            let bytes = Array(receiveBuffer[receiveStart..<receiveStart + length])
            receiveStart += length
            let message = try parser.parse(bytes)
            if peer == .fixEngine && checkingSequence {
                guard message.msgSeqNum == nextIncomingSeqNum else {
                    throw EchoFailure("server MsgSeqNum \(message.msgSeqNum.map(String.init) ?? "missing"), expected \(nextIncomingSeqNum): \(message.debugText)")
                }
                nextIncomingSeqNum += 1
            }
            return message
        }
    }

    /// One blocking `recv` into the buffer (compacted first when its tail is full).
    private func fill() throws {
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
            if count == 0 { throw EchoFailure("the server closed the connection") }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw EchoFailure("no reply from the server within the read timeout")
            default: throw EchoFailure("recv failed: errno \(errno)")
            }
        }
    }
}
