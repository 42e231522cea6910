import ArgumentParser
import Dispatch
import FIXCodec
import FIXSession
import FIXTransport
import FIXVocabulary
import Foundation
import Gateway
import Synchronization

/// `wellhead order`: a small FIX client for traders and QA. Logs on as an OMS session, sends
/// one order (or a cancel or a replace), prints the execution reports as they arrive, and
/// logs out once the order has settled or the wait is over.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Log on as an OMS session, send one order, cancel or replace, and print the execution reports.",
        discussion: """
            Exit status:
              0  the request was accepted: the order is working, filled or done (IOC, FOK), or the
                 cancel or replace was carried out
              2  the request was rejected: an ExecutionReport with OrdStatus Rejected, an
                 OrderCancelReject, or a session-level or business Reject of the request
              1  an error: the gateway could not be reached (connection refused, no answer), the
                 session did not log on, or no final answer came within --wait seconds
            """
    )

    /// The exit status of a request the gateway rejected (see the discussion above).
    static let rejectedStatus: Int32 = 2

    enum Action: String, ExpressibleByArgument, CaseIterable { case new, cancel, replace }

    @Option(help: "Gateway host.") var host = "127.0.0.1"
    @Option(help: "Gateway port.") var port = 9878
    @Option(help: "Our SenderCompID: the OMS session.") var sender = "OMS1"
    @Option(help: "The gateway's CompID.") var target = "WELLHEAD"
    @Option(help: "new, cancel or replace.") var action: Action = .new
    @Option(help: "ClOrdID (11); a fresh one by default.") var clOrdID: String?
    @Option(help: "OrigClOrdID (41) of the order to cancel or replace.") var origClOrdID: String?
    @Option(help: "Account (1); the session's default account if left out.") var account: String?
    @Option(help: "Symbol (55), e.g. CLF7.") var symbol: String
    @Option(help: "buy or sell.") var side = "buy"
    @Option(help: "Contracts (38).") var quantity = 1
    @Option(help: "market, limit, stop or stop-limit.") var type = "limit"
    @Option(help: "Limit price (44).") var price: String?
    @Option(help: "Stop price (99).") var stopPrice: String?
    @Option(help: "day, gtc, ioc or fok.") var tif = "day"
    @Option(help: "ExDestination (100), e.g. SIM: for a new order or a replace (a cancel goes where the order is).")
    var destination: String?
    @Option(help: "Seconds to wait for the order to settle before logging out.") var wait = 5.0

    func validate() throws {
        guard ["buy", "sell"].contains(side) else { throw ValidationError("--side is buy or sell, not '\(side)'") }
        guard Self.orderTypes[type] != nil else { throw ValidationError("--type is market, limit, stop or stop-limit, not '\(type)'") }
        guard Self.timesInForce[tif] != nil else { throw ValidationError("--tif is day, gtc, ioc or fok, not '\(tif)'") }
        if action != .new && origClOrdID == nil { throw ValidationError("--orig-cl-ord-id names the order to \(action.rawValue)") }
        for (name, value) in [("--price", price), ("--stop-price", stopPrice)] {
            if let value, FIXDecimal(value) == nil { throw ValidationError("\(name) '\(value)' is not a decimal price") }
        }
        if action != .cancel && ["limit", "stop-limit"].contains(type) && price == nil { throw ValidationError("a \(type) order needs --price") }
        if action != .cancel && ["stop", "stop-limit"].contains(type) && stopPrice == nil { throw ValidationError("a \(type) order needs --stop-price") }
    }

    static let orderTypes: [String: OrderType] = ["market": .market, "limit": .limit, "stop": .stop, "stop-limit": .stopLimit]
    static let timesInForce: [String: TimeInForce] = ["day": .day, "gtc": .goodTillCancel, "ioc": .immediateOrCancel,
                                                      "fok": .fillOrKill]

    func run() async throws {
        var standardError = StandardError()
        if action == .cancel, let destination {
            print("note: --destination \(destination) is left off the cancel: FIX 4.4's OrderCancelRequest has no ExDestination (100); "
                  + "the cancel goes to wherever the order is", to: &standardError)
        }
        let clOrdID = self.clOrdID ?? "WO-\(Int(Date().timeIntervalSince1970 * 1000))"
        let type: MsgType = action == .new ? .newOrderSingle : (action == .cancel ? .orderCancelRequest : .orderCancelReplaceRequest)
        let client = OrderClient(type: type, body: body(clOrdID: clOrdID))
        let session = try await ClientSession(name: "order", sender: sender, target: target, host: host, port: port,
                                              application: client)
        client.attach(session.endpoint)
        let settled = await client.waitUntilSettled(timeout: wait)
        await session.close(reason: "order sent")
        guard client.loggedOn else {
            print("error: not logged on to \(target) at \(host):\(port) as \(sender) within \(wait)s", to: &standardError)
            throw ExitCode.failure
        }
        guard settled else {
            print("error: no final report within \(wait)s", to: &standardError)
            throw ExitCode.failure
        }
        if client.rejected { throw ExitCode(Self.rejectedStatus) }
    }

    /// The request's body, with only the fields FIX 4.4 defines for its message: a cancel
    /// (OrderCancelRequest) carries no ExDestination, OrdType, Price, StopPx or TimeInForce.
    private func body(clOrdID: String) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 256)
        body.append(FIXTag.clOrdID, clOrdID)
        if let origClOrdID { body.append(FIXTag.origClOrdID, origClOrdID) }
        if let account { body.append(FIXTag.account, account) }
        if action != .cancel, let destination { body.append(FIXTag.exDestination, destination) }
        body.append(FIXTag.symbol, symbol)
        body.append(FIXTag.side, (side == "buy" ? FIXSide.buy : .sell).rawValue)
        body.append(FIXTag.transactTime, WallClock.now())
        if action != .cancel {
            body.append(FIXTag.orderQty, quantity)
            body.append(FIXTag.ordType, (Self.orderTypes[type] ?? .limit).rawValue)
            if let price, let value = FIXDecimal(price) { body.append(FIXTag.price, value) }
            if let stopPrice, let value = FIXDecimal(stopPrice) { body.append(FIXTag.stopPx, value) }
            body.append(FIXTag.timeInForce, (Self.timesInForce[tif] ?? .day).rawValue)
        }
        return body
    }
}

/// The command's FIX application: sends its one request once logged on, prints what comes
/// back, and says when the order has settled.
private final class OrderClient: FIXApplication {
    private let request: (type: MsgType, body: FIXFieldList)
    private let sending: SendOnLogon
    private let state = Mutex((loggedOn: false, settled: false, rejected: false))
    private let settledSignal = DispatchSemaphore(value: 0)

    init(type: MsgType, body: FIXFieldList) {
        request = (type, body)
        sending = SendOnLogon([(type, body)])
    }

    var loggedOn: Bool { state.withLock { $0.loggedOn } }
    /// Whether the request was refused: a rejecting ExecutionReport, an OrderCancelReject,
    /// or a session-level (3) or business (j) Reject.
    var rejected: Bool { state.withLock { $0.rejected } }

    func onLogon(_ session: SessionID) {
        state.withLock { $0.loggedOn = true }
        print("logged on as \(session.senderCompID) to \(session.targetCompID)")
        sending.loggedOn()
    }

    /// The session's endpoint, which the request goes out through once logged on.
    func attach(_ endpoint: SessionEndpoint) {
        sending.attach(endpoint)
    }

    func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        print(Self.describe(message))
        let report = message.type == .executionReport
        let status = report ? message[OrderStatus.self] : nil
        let execType = report ? message[ExecType.self] : nil
        let refused = status == .rejected || [MsgType.orderCancelReject, .businessMessageReject, .reject].contains { $0 == message.type }
        let final: Set<OrderStatus> = [.filled, .doneForDay, .canceled, .rejected, .expired]
        let settled = refused || status.map(final.contains) == true
            || ((execType == .new || execType == .replaced) && request.type != .newOrderSingle)
            || (execType == .new && message[TimeInForce.self] != .immediateOrCancel && message[TimeInForce.self] != .fillOrKill)
        if settled {
            let first = state.withLock { state in
                defer { state.settled = true }
                if !state.settled { state.rejected = refused }
                return !state.settled
            }
            if first { settledSignal.signal() }
        }
    }

    func waitUntilSettled(timeout: Double) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [settledSignal] in
                continuation.resume(returning: settledSignal.wait(timeout: .now() + timeout) == .success)
            }
        }
    }

    /// One line per report: what happened, the order's state, quantities and prices, each
    /// enumerated value by its FIX name with its code (`ExecType=Trade(F)`).
    private static let sideNames: [FIXSide: String] = [.buy: "buy", .sell: "sell"]

    static func describe(_ message: FIXMessage) -> String {
        let field = { (tag: Int) in message[tag]?.string ?? "" }
        switch message.type {
        case .executionReport:
            var line = "ExecutionReport \(field(FIXTag.orderID)) ClOrdID=\(field(FIXTag.clOrdID)) ExecType=\(named(field(FIXTag.execType), as: ExecType.self))"
            line += " OrdStatus=\(named(field(FIXTag.ordStatus), as: OrderStatus.self))"
            // A reject echoes the OMS's own Side, which may be neither buy nor sell.
            line += " \(field(FIXTag.symbol)) \(message[FIXSide.self].flatMap { sideNames[$0] } ?? "Side=\(field(FIXTag.side))") \(field(FIXTag.orderQty))"
            if !field(FIXTag.price).isEmpty { line += " @ \(field(FIXTag.price))" }
            line += " CumQty=\(field(FIXTag.cumQty)) LeavesQty=\(field(FIXTag.leavesQty)) AvgPx=\(field(FIXTag.avgPx))"
            if !field(FIXTag.lastQty).isEmpty { line += " LastQty=\(field(FIXTag.lastQty)) LastPx=\(field(FIXTag.lastPx))" }
            if !field(FIXTag.ordRejReason).isEmpty { line += " OrdRejReason=\(named(field(FIXTag.ordRejReason), as: OrdRejReason.self))" }
            if !field(FIXTag.text).isEmpty { line += " Text=\"\(field(FIXTag.text))\"" }
            return line
        case .orderCancelReject:
            return "OrderCancelReject ClOrdID=\(field(FIXTag.clOrdID)) OrigClOrdID=\(field(FIXTag.origClOrdID)) OrdStatus=\(named(field(FIXTag.ordStatus), as: OrderStatus.self))"
                + " CxlRejReason=\(named(field(FIXTag.cxlRejReason), as: CxlRejReason.self)) Text=\"\(field(FIXTag.text))\""
        case .reject:
            return "Reject RefSeqNum=\(field(FIXTag.refSeqNum)) RefTagID=\(field(FIXTag.refTagID)) SessionRejectReason=\(field(FIXTag.sessionRejectReason)) Text=\"\(field(FIXTag.text))\""
        default:
            return "\(message.msgType ?? "?") \(field(FIXTag.text))"
        }
    }

    /// `Name(code)` for a value of one of the gateway's FIX enumerations (ExecType F is
    /// `Trade(F)`, OrdStatus 1 `PartiallyFilled(1)`): the case's name, capitalised as FIX
    /// spells it. A code the gateway never sends stays a bare code.
    static func named<Value: RawRepresentable>(_ code: String, as type: Value.Type) -> String
        where Value.RawValue: LosslessStringConvertible {
        guard let raw = Value.RawValue(code), let value = Value(rawValue: raw) else { return code }
        let name = String(describing: value)
        return name.prefix(1).uppercased() + name.dropFirst() + "(\(code))"
    }
}
