import FIXCodec
import Foundation

/// What went wrong talking to an echo server, with what was expected and what arrived.
struct EchoFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The one FIX client every echo benchmark uses: over a ``FIXSocketConnection`` (blocking
/// TCP socket, TCP_NODELAY) it writes NewOrderSingles with increasing MsgSeqNum and the
/// current SendingTime, and reads their echoes back, checking each one (MsgType D, ClOrdIDs in order, the server's MsgSeqNum
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

    private let connection: FIXSocketConnection
    private let peer: Peer
    /// This client's SenderCompID (OMS1 unless several sessions run at once).
    let senderCompID: String
    /// The orders of one write (a round trip's one, a pipeline window's many), reused.
    private var sendBuffer: [UInt8] = []
    /// Orders sent and echoes received; ClOrdID is the order's number, so echo `n` must carry
    /// ClOrdID `n`.
    private(set) var ordersSent = 0
    private(set) var echoesReceived = 0

    init(port: Int, peer: Peer, senderCompID: String = EchoClient.senderCompID, readTimeoutSeconds: Int = 10) throws {
        self.peer = peer
        self.senderCompID = senderCompID
        connection = try FIXSocketConnection(port: port, peerName: "server", senderCompID: senderCompID,
                                             targetCompID: Self.targetCompID, checksSequence: peer == .fixEngine,
                                             readTimeoutSeconds: readTimeoutSeconds, sendCapacity: 4 * 1024)
        sendBuffer.reserveCapacity(64 * 1024)
    }

    // MARK: - Session

    /// Sends Logon (HeartBtInt 30, no reset) and waits for the server's Logon.
    func logOn() throws {
        try connection.logOn()
    }

    /// Sends Logout and waits (up to the read timeout) for the server's Logout; errors are
    /// ignored, the session is over either way.
    func logOut() {
        guard peer == .fixEngine else { return }
        connection.logOut(readingAtMost: 1_000)
    }

    // MARK: - Orders

    /// One NewOrderSingle, then blocks until its echo has arrived: one round trip.
    func roundTrip() throws {
        sendBuffer.removeAll(keepingCapacity: true)
        appendOrder()
        try connection.send(sendBuffer)
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
                try connection.send(sendBuffer)
            }
            try readEchoes()
        }
    }

    /// Sends one order and checks its echo field by field against what was sent: run once
    /// before any timing, so a server that does not really echo fails loudly.
    func verifyEcho() throws {
        sendBuffer.removeAll(keepingCapacity: true)
        appendOrder()
        let sent = try connection.parse(sendBuffer)
        try connection.send(sendBuffer)
        let echo = try connection.nextMessage()
        guard echo.msgType == "D" else { throw EchoFailure("expected the NewOrderSingle back (35=D), got: \(echo.debugText)") }
        for tag in [11, 55, 54, 60, 38, 40, 44] where echo[tag] != sent[tag] {
            throw EchoFailure("echo differs in tag \(tag): sent \(sent[tag]?.string ?? "nothing"), got \(echo[tag]?.string ?? "nothing") in \(echo.debugText)")
        }
        if peer == .fixEngine {
            guard echo[49]?.string == Self.targetCompID, echo[56]?.string == senderCompID else {
                throw EchoFailure("echo has the wrong CompIDs (expected 49=\(Self.targetCompID), 56=\(senderCompID)): \(echo.debugText)")
            }
        }
        echoesReceived += 1
    }

    // MARK: - Writing

    /// A FIX 4.4 NewOrderSingle for one CL lot at a limit price, ClOrdID its order number,
    /// SendingTime and TransactTime now (Wellhead and QuickFIX both check SendingTime).
    private func appendOrder() {
        ordersSent += 1
        var order = connection.header("D", bodyCapacity: 128)
        order.body.append(11, ordersSent)
        order.body.append(1, "DESK1")
        order.body.append(55, "CLZ6")
        order.body.append(54, char: UInt8(ascii: "1"))
        order.body.append(60, FIXSocketConnection.now())
        order.body.append(38, 1)
        order.body.append(40, char: UInt8(ascii: "2"))
        order.body.append(44, FIXDecimal(mantissa: 7_125, scale: 2))
        order.encode(into: &sendBuffer)
    }

    // MARK: - Reading

    /// One blocking read, then every complete message in the buffer: echoes are counted and
    /// checked, Heartbeats skipped, TestRequests answered; anything else fails the run.
    private func readEchoes() throws {
        try connection.fill()
        while let message = try connection.takeMessage() {
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
            try connection.answerTestRequest(message)
        default:
            throw EchoFailure("unexpected message from the server (expected an echoed NewOrderSingle): \(message.debugText)")
        }
    }
}
