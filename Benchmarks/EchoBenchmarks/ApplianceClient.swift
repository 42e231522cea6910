import FIXCodec
import Foundation

/// An OMS talking to the Wellhead appliance (`Application=gateway`) over one FIX 4.4 session
/// on a ``FIXSocketConnection`` (blocking TCP socket, TCP_NODELAY): sends NewOrderSingles and
/// OrderMassCancelRequests with increasing MsgSeqNum and the current SendingTime, and reads the
/// ExecutionReports back, checking each one (MsgType, ClOrdID, ExecType, the server's
/// MsgSeqNum without gaps).
///
/// Only the wire (``FIXSocketConnection``) is shared with ``EchoClient`` (same socket, framer
/// and parser code, so the client's own cost is comparable with the echo round trips); what
/// comes back differs, hence a client of its own. Used from one thread at a time (a
/// benchmark's setup, iterations and teardown run one after another), hence
/// `@unchecked Sendable` without locking.
final class ApplianceClient: @unchecked Sendable {
    /// What one NewOrderSingle asks for. Prices are exact decimals (never binary floating point).
    struct Order {
        enum Kind { case limit(FIXDecimal), market }
        enum TimeInForce: UInt8 {
            case day = 48        // "0"
            case immediateOrCancel = 51  // "3"
        }

        var symbol: String
        var buy: Bool
        var quantity: Int
        var kind: Kind
        var timeInForce: TimeInForce
    }

    /// How a marketable IOC order ended.
    enum FillOutcome {
        /// Filled in full; the last fill's LastPx (31).
        case filled(lastPrice: FIXDecimal)
        /// Canceled by the venue with nothing filled: no liquidity at the limit.
        case unfilled
    }

    static let senderCompID = "OMS1"
    static let targetCompID = "WELLHEAD"
    static let account = "DESK1"

    private let connection: FIXSocketConnection
    /// ClOrdIDs are this client's order numbers (1, 2, 3 …): unique for the session's day,
    /// as the gateway requires.
    private(set) var ordersSent = 0
    private var massCancelsSent = 0

    init(port: Int, readTimeoutSeconds: Int = 10) throws {
        connection = try FIXSocketConnection(port: port, peerName: "appliance", senderCompID: Self.senderCompID,
                                             targetCompID: Self.targetCompID, checksSequence: true,
                                             readTimeoutSeconds: readTimeoutSeconds, sendCapacity: 4 * 1024)
    }

    // MARK: - Session

    /// Sends Logon (HeartBtInt 30, no reset) and waits for the appliance's Logon.
    func logOn() throws {
        try connection.logOn()
    }

    /// Sends Logout and waits (up to the read timeout) for the appliance's; errors are
    /// ignored, the session is over either way.
    func logOut() {
        connection.logOut(readingAtMost: 100_000)
    }

    // MARK: - Orders

    /// Sends one NewOrderSingle and returns its ClOrdID (the order's number).
    @discardableResult
    func send(_ order: Order) throws -> Int {
        ordersSent += 1
        var message = connection.header("D")
        message.body.append(11, ordersSent)
        message.body.append(1, Self.account)
        message.body.append(55, order.symbol)
        message.body.append(54, char: order.buy ? UInt8(ascii: "1") : UInt8(ascii: "2"))
        message.body.append(60, FIXSocketConnection.now())
        message.body.append(38, order.quantity)
        switch order.kind {
        case .limit(let price):
            message.body.append(40, char: UInt8(ascii: "2"))
            message.body.append(44, price)
        case .market:
            message.body.append(40, char: UInt8(ascii: "1"))
        }
        message.body.append(59, char: order.timeInForce.rawValue)
        try connection.send(message)
        return ordersSent
    }

    /// Reads until order `clOrdID` is acknowledged: skips its PendingNew (150=A) and returns
    /// its New (150=0). A reject (150=8) or anything unexpected fails with the report's text.
    @discardableResult
    func awaitNew(clOrdID: Int) throws -> FIXMessage {
        let report = try awaitAcknowledgement(clOrdID: clOrdID)
        guard report[150]?.char == UInt8(ascii: "0") else {
            throw EchoFailure("expected New (150=0) for ClOrdID \(clOrdID), got: \(report.debugText)")
        }
        return report
    }

    /// Reads until order `clOrdID` is accepted or rejected: skips its PendingNew (150=A) and
    /// returns its New (150=0) or Rejected (150=8) report.
    func awaitAcknowledgement(clOrdID: Int) throws -> FIXMessage {
        while true {
            let report = try nextReport(clOrdID: clOrdID)
            switch report[150]?.char {
            case UInt8(ascii: "A"): continue
            case UInt8(ascii: "0"), UInt8(ascii: "8"): return report
            default: throw EchoFailure("expected New (150=0) or Rejected (150=8) for ClOrdID \(clOrdID), got: \(report.debugText)")
            }
        }
    }

    /// Reads until IOC order `clOrdID` is done: PendingNew, New and partial fills are
    /// skipped; a full fill (39=2) or a cancel with nothing filled (39=4, CumQty 0) ends it.
    func awaitFill(clOrdID: Int) throws -> FillOutcome {
        while true {
            let report = try nextReport(clOrdID: clOrdID)
            switch (report[150]?.char, report[39]?.char) {
            case (UInt8(ascii: "A"), _), (UInt8(ascii: "0"), _), (UInt8(ascii: "F"), UInt8(ascii: "1")):
                continue
            case (UInt8(ascii: "F"), UInt8(ascii: "2")):
                guard let price = report[31]?.decimal else { throw EchoFailure("fill without LastPx (31): \(report.debugText)") }
                return .filled(lastPrice: price)
            case (UInt8(ascii: "4"), _) where report[14]?.decimal?.isZero == true:
                return .unfilled
            default:
                throw EchoFailure("expected a fill (150=F, 39=2) for ClOrdID \(clOrdID), got: \(report.debugText)")
            }
        }
    }

    /// Sends an OrderMassCancelRequest for every working order of this session (530=7) and
    /// reads its OrderMassCancelReport and one Canceled report (150=4) per order it names.
    /// Returns how many orders it cancelled.
    @discardableResult
    func cancelAllOrders() throws -> Int {
        massCancelsSent += 1
        let clOrdID = "MC\(massCancelsSent)"
        var request = connection.header("q")
        request.body.append(11, clOrdID)
        request.body.append(530, 7)
        request.body.append(60, FIXSocketConnection.now())
        try connection.send(request)
        var report: FIXMessage
        repeat { report = try nextApplicationMessage() } while report.msgType != "r"
        guard report[11]?.string == clOrdID, report[531]?.int == 7, let count = report[533]?.int else {
            throw EchoFailure("mass cancel \(clOrdID) refused or malformed: \(report.debugText)")
        }
        var canceled = 0
        while canceled < count {
            let message = try nextApplicationMessage()
            guard message.msgType == "8", message[150]?.char == UInt8(ascii: "4") else {
                throw EchoFailure("expected a Canceled report (150=4) after mass cancel \(clOrdID), got: \(message.debugText)")
            }
            canceled += 1
        }
        return count
    }

    // MARK: - Reading

    /// The next ExecutionReport, which must be about `clOrdID`.
    private func nextReport(clOrdID: Int) throws -> FIXMessage {
        let report = try nextApplicationMessage()
        guard report.msgType == "8", report[11]?.int == clOrdID else {
            throw EchoFailure("expected an ExecutionReport for ClOrdID \(clOrdID), got: \(report.debugText)")
        }
        return report
    }

    /// The next message that is not session housekeeping: Heartbeats are skipped and
    /// TestRequests answered; a session-level Reject or BusinessMessageReject fails the run.
    private func nextApplicationMessage() throws -> FIXMessage {
        while true {
            let message = try connection.nextMessage()
            switch message.msgType {
            case "0":
                continue
            case "1":
                try connection.answerTestRequest(message)
            case "3", "j", "5":
                throw EchoFailure("the appliance refused a message: \(message.debugText)")
            default:
                return message
            }
        }
    }
}
