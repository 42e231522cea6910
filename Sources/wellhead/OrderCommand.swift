import ArgumentParser
import Dispatch
import FIXCodec
import FIXSession
import FIXTransport
import Foundation
import Synchronization

/// `wellhead order`: a small FIX client for traders and QA. Logs on as an OMS session, sends
/// one order (or a cancel or a replace), prints the execution reports as they arrive, and
/// logs out once the order has settled or the wait is over.
struct OrderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Log on as an OMS session, send one order, cancel or replace, and print the execution reports."
    )

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
    @Option(help: "ExDestination (100), e.g. SIM.") var destination: String?
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

    static let orderTypes = ["market": "1", "limit": "2", "stop": "3", "stop-limit": "4"]
    static let timesInForce = ["day": "0", "gtc": "1", "ioc": "3", "fok": "4"]

    func run() async throws {
        let clOrdID = self.clOrdID ?? "WO-\(Int(Date().timeIntervalSince1970 * 1000))"
        let client = OrderClient(msgType: action == .new ? "D" : (action == .cancel ? "F" : "G"), body: body(clOrdID: clOrdID))
        let session = try ClientSession(name: "order", sender: sender, target: target, host: host, port: port, application: client)
        client.endpoint.withLock { $0 = session.endpoint }
        let settled = await client.waitUntilSettled(timeout: wait)
        if !settled { print("no final report within \(wait)s; logging out") }
        await session.close(reason: "order sent")
        if !client.loggedOn { throw ExitCode(2) }
    }

    private func body(clOrdID: String) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 256)
        body.append(11, clOrdID)
        if let origClOrdID { body.append(41, origClOrdID) }
        if let account { body.append(1, account) }
        if let destination { body.append(100, destination) }
        body.append(55, symbol)
        body.append(54, side == "buy" ? "1" : "2")
        body.append(60, WallClock.now())
        if action != .cancel {
            body.append(38, quantity)
            body.append(40, Self.orderTypes[type] ?? "2")
            if let price, let value = FIXDecimal(price) { body.append(44, value) }
            if let stopPrice, let value = FIXDecimal(stopPrice) { body.append(99, value) }
            body.append(59, Self.timesInForce[tif] ?? "0")
        }
        return body
    }
}

/// The command's FIX application: sends its one request once logged on, prints what comes
/// back, and says when the order has settled.
private final class OrderClient: FIXApplication {
    let endpoint = Mutex<SessionEndpoint?>(nil)
    private let request: (msgType: String, body: FIXFieldList)
    private let state = Mutex((loggedOn: false, settled: false))
    private let settledSignal = DispatchSemaphore(value: 0)

    init(msgType: String, body: FIXFieldList) { request = (msgType, body) }

    var loggedOn: Bool { state.withLock { $0.loggedOn } }

    func onLogon(_ session: SessionID) {
        state.withLock { $0.loggedOn = true }
        print("logged on as \(session.senderCompID) to \(session.targetCompID)")
        let request = self.request
        let endpoint = self.endpoint.withLock { $0 }
        // Sent from outside the session's own callback, as any application message is.
        DispatchQueue.global().async { endpoint?.send(msgType: request.msgType, body: request.body) }
    }

    func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        print(Self.describe(message))
        let final: Set<String> = ["2", "3", "4", "8", "C"]
        let settled = (message.msgType == "8" && final.contains(message[39]?.string ?? ""))
            || message.msgType == "9" || message.msgType == "j"
            || (message.msgType == "8" && ["0", "5"].contains(message[150]?.string ?? "") && request.msgType != "D")
            || (message.msgType == "8" && message[150]?.string == "0" && message[59]?.string != "3" && message[59]?.string != "4")
        if settled {
            let first = state.withLock { state in
                defer { state.settled = true }
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

    /// One line per report: what happened, the order's state, quantities and prices.
    static func describe(_ message: FIXMessage) -> String {
        let field = { (tag: Int) in message[tag]?.string ?? "" }
        switch message.msgType {
        case "8":
            var line = "ExecutionReport \(field(37)) ClOrdID=\(field(11)) ExecType=\(field(150)) OrdStatus=\(field(39))"
            line += " \(field(55)) \(field(54) == "1" ? "buy" : "sell") \(field(38))"
            if !field(44).isEmpty { line += " @ \(field(44))" }
            line += " CumQty=\(field(14)) LeavesQty=\(field(151)) AvgPx=\(field(6))"
            if !field(32).isEmpty { line += " LastQty=\(field(32)) LastPx=\(field(31))" }
            if !field(103).isEmpty { line += " OrdRejReason=\(field(103))" }
            if !field(58).isEmpty { line += " Text=\"\(field(58))\"" }
            return line
        case "9":
            return "OrderCancelReject ClOrdID=\(field(11)) OrigClOrdID=\(field(41)) CxlRejReason=\(field(102)) Text=\"\(field(58))\""
        default:
            return "\(message.msgType ?? "?") \(field(58))"
        }
    }
}
