import FIXCodec
import FIXJournal
import FIXTransport
import FIXVocabulary
import Instruments
import Logging
import NIOCore
import OrderEntry
import RiskSidecar

/// An order a console user enters, as typed values (the console's edge has read and checked
/// the text a page sent).
public struct ConsoleOrderTicket: Sendable, Hashable {
    public var account: String
    public var symbol: String
    public var side: Side
    /// Market, limit or stop (a stop-limit too, with both prices).
    public var type: OrderType
    /// Contracts.
    public var quantity: Int64
    public var price: FIXDecimal?
    public var stopPrice: FIXDecimal?
    public var timeInForce: TimeInForce

    public init(account: String, symbol: String, side: Side, type: OrderType, quantity: Int64, price: FIXDecimal? = nil,
                stopPrice: FIXDecimal? = nil, timeInForce: TimeInForce = .day) {
        self.account = account
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.stopPrice = stopPrice
        self.timeInForce = timeInForce
    }
}

/// The gateway's answer to a console order, replace or cancel: its first report.
public struct ConsoleEntryAnswer: Sendable, Hashable {
    /// Taken for the venue (pending new, pending replace, pending cancel), not rejected.
    public var accepted: Bool
    public var orderID: String?
    /// The ClOrdID the console gave the request.
    public var clOrdID: String
    /// OrdStatus (39) as a desk reads it (`pending new`, `rejected` …); empty for a cancel reject.
    public var status: String
    /// The reject's Text (58): the risk check and limit that refused it; empty when accepted.
    public var text: String
}

/// Why a console request was not sent to the gateway at all, or its answer not made durable.
public enum ConsoleEntryError: Error, Sendable, CustomStringConvertible {
    /// The request itself is wrong (an account the user may not trade, a price off the tick
    /// grid, an order that is not the console's): nothing was journaled or sent.
    case refused(String)
    /// The journal did not take the request: it had no effect outside the process.
    case journal(String)
    /// The gateway's loop is gone (shutting down).
    case unavailable(String)

    public var description: String {
        switch self {
        case .refused(let text): text
        case .journal(let text): "not journaled: \(text)"
        case .unavailable(let text): "the gateway is shutting down: \(text)"
        }
    }
}

/// The console's own session in the gateway (`CONSOLE`): orders, replaces and cancels a console
/// user enters become FIX messages of this session, built with the codec, journaled as inbound
/// messages (with the user in the Parties group, PartyRole 11 Order Origination Trader) in the
/// same commit as everything they cause, and handed to ``OrderGateway/handle(_:from:now:)``
/// exactly as an OMS's are. Its execution reports are journaled as outbound messages of the
/// session; there is no socket to send them to.
///
/// Its sequence numbers are the gateway loop's to change (``GatewayApplication/loop``); they
/// start from the journal's row for the session, so ClOrdIDs (`C` and the inbound number) are
/// never given twice.
public final class GatewayConsoleSession: Sendable {
    /// The session's name in the gateway and its TargetCompID in the journal: no FIX endpoint has it.
    public static let name = "CONSOLE"
    let application: GatewayApplication
    let journalSession: JournalSession
    /// The gateway's CompID, our side of the session.
    let ourCompID: String
    private let numbers: LoopOwned<Numbers>

    private final class Numbers {
        var nextIn: Int
        var nextOut: Int
        /// The reports journaled in the call in progress, for its answer.
        var reports: [FIXMessage] = []

        init(nextIn: Int, nextOut: Int) {
            self.nextIn = nextIn
            self.nextOut = nextOut
        }
    }

    init(application: GatewayApplication, journalSession: JournalSession, state: JournalSessionState, ourCompID: String) {
        self.application = application
        self.journalSession = journalSession
        self.ourCompID = ourCompID
        numbers = LoopOwned(Numbers(nextIn: state.nextTargetSeqNum, nextOut: state.nextSenderSeqNum), loop: application.loop)
    }

    // MARK: Requests

    /// Enters `ticket` for `user`, who may trade `accounts`: the NewOrderSingle is journaled,
    /// checked by the risk sidecar and sent to the venue as an OMS's is; returns the gateway's
    /// first report once all of it is durable.
    public func submit(_ ticket: ConsoleOrderTicket, by user: String, accounts: Set<String>)
        async throws(ConsoleEntryError) -> ConsoleEntryAnswer {
        try await run { session throws(ConsoleEntryError) in
            try session.check(ticket, accounts: accounts)
            return session.enter(.newOrderSingle, by: user, accounts: accounts) { body, clOrdID, now in
                body.append(FIXTag.clOrdID, clOrdID)
                Self.appendTerms(of: ticket, to: &body, now: now)
            }
        }
    }

    /// Replaces a console order's quantity and/or price (its other terms stay): `price` is a
    /// limit order's price, or a stop order's stop price.
    public func replace(orderID: String, quantity: Int64?, price: FIXDecimal?, by user: String,
                        accounts: Set<String>) async throws(ConsoleEntryError) -> ConsoleEntryAnswer {
        try await run { session throws(ConsoleEntryError) in
            let order = try session.consoleOrder(orderID, accounts: accounts)
            let ticket = Self.replacement(of: order, quantity: quantity, price: price)
            try session.check(ticket, accounts: accounts)
            return session.enter(.orderCancelReplaceRequest, by: user, accounts: accounts) { body, clOrdID, now in
                body.append(FIXTag.orderID, order.orderID)
                body.append(FIXTag.origClOrdID, order.clOrdID)
                body.append(FIXTag.clOrdID, clOrdID)
                Self.appendTerms(of: ticket, to: &body, now: now)
            }
        }
    }

    /// The terms a replace leaves `order` with: `price` is a limit order's price, or a stop order's stop price.
    static func replacement(of order: ClientOrder, quantity: Int64?, price: FIXDecimal?) -> ConsoleOrderTicket {
        let stop = order.terms.type == .stop
        var ticket = ConsoleOrderTicket(account: order.terms.account, symbol: order.terms.symbol, side: order.terms.side,
                                        type: order.terms.type, quantity: quantity ?? order.terms.quantity,
                                        price: (stop ? nil : price) ?? order.terms.price,
                                        stopPrice: (stop ? price : nil) ?? order.terms.stopPrice,
                                        timeInForce: order.terms.timeInForce)
        if !ticket.type.needsPrice { ticket.price = nil }
        if !ticket.type.needsStopPrice { ticket.stopPrice = nil }
        return ticket
    }

    /// What the risk sidecar would decide about replacing a console order's quantity and/or
    /// price, and each limit's use once the venue applied it; nothing changes.
    public func previewReplace(orderID: String, quantity: Int64?, price: FIXDecimal?, accounts: Set<String>)
        async throws(ConsoleEntryError) -> RiskPreview {
        let result: Result<RiskPreview, ConsoleEntryError>
        do {
            result = try await application.onLoop { [self] _ in
                Result { () throws(ConsoleEntryError) in
                    let order = try consoleOrder(orderID, accounts: accounts)
                    let ticket = Self.replacement(of: order, quantity: quantity, price: price)
                    try check(ticket, accounts: accounts)
                    let replace = RiskReplace(key: RiskOrderKey(order.orderID), clOrdID: Self.clOrdID(numbers.value.nextIn), session: Self.name,
                                              quantity: ticket.quantity, type: ticket.type, price: ticket.price, stopPrice: ticket.stopPrice,
                                              timeInForce: ticket.timeInForce)
                    return application.risk.preview(replace, now: application.clock())
                }
            }
        } catch {
            throw .unavailable("\(error)")
        }
        return try result.get()
    }

    /// Cancels a console order with an OrderCancelRequest of the console's session.
    public func cancel(orderID: String, by user: String, accounts: Set<String>) async throws(ConsoleEntryError) -> ConsoleEntryAnswer {
        try await run { session throws(ConsoleEntryError) in
            let order = try session.consoleOrder(orderID, accounts: accounts)
            return session.enter(.orderCancelRequest, by: user, accounts: accounts) { body, clOrdID, now in
                body.append(FIXTag.origClOrdID, order.clOrdID)
                body.append(FIXTag.orderID, order.orderID)
                body.append(FIXTag.clOrdID, clOrdID)
                body.append(FIXTag.account, order.terms.account)
                body.append(FIXTag.symbol, order.terms.symbol)
                body.append(FIXTag.side, Int(order.terms.side.rawValue))
                body.append(FIXTag.transactTime, FIXTimestamp(nanosecondsSinceEpoch: now))
                body.append(FIXTag.orderQty, FIXDecimal(mantissa: order.terms.quantity))
            }
        }
    }

    /// What the risk sidecar would decide about `ticket` and each limit's use after it,
    /// changing nothing: no message, no order, no ClOrdID or number taken.
    public func preview(_ ticket: ConsoleOrderTicket, accounts: Set<String>) async throws(ConsoleEntryError) -> RiskPreview {
        let result: Result<RiskPreview, ConsoleEntryError>
        do {
            result = try await application.onLoop { [self] gateway in
                Result { () throws(ConsoleEntryError) in
                    try check(ticket, accounts: accounts)
                    let instrument = gateway.catalog.instrument(symbol: ticket.symbol)!
                    let number = gateway.state.nextOrderNumber
                    let digits = String(number)
                    let orderID = "WH" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
                    let risk = gateway.risk
                    risk.permitAccounts(accounts.sorted(), session: Self.name)
                    let order = RiskOrder(key: RiskOrderKey(orderID), clOrdID: Self.clOrdID(numbers.value.nextIn), account: ticket.account,
                                          session: Self.name, symbol: ticket.symbol, root: instrument.root, side: ticket.side,
                                          quantity: ticket.quantity, type: ticket.type, price: ticket.price, stopPrice: ticket.stopPrice,
                                          timeInForce: ticket.timeInForce)
                    return risk.preview(risk.resolved(order), now: application.clock())
                }
            }
        } catch {
            throw .unavailable("\(error)")
        }
        return try result.get()
    }

    // MARK: On the loop

    /// Runs `body` on the gateway's loop, then waits for the turn's commit.
    private func run(_ body: @escaping @Sendable (GatewayConsoleSession) throws(ConsoleEntryError) -> (ConsoleEntryAnswer, EventLoopFuture<Void>))
        async throws(ConsoleEntryError) -> ConsoleEntryAnswer {
        let result: Result<(ConsoleEntryAnswer, EventLoopFuture<Void>), ConsoleEntryError>
        do {
            result = try await application.onLoop { [self] _ in Result { () throws(ConsoleEntryError) in try body(self) } }
        } catch {
            throw .unavailable("\(error)")
        }
        let (answer, durable) = try result.get()
        do {
            try await durable.get()
        } catch {
            throw .journal("\(error)")
        }
        return answer
    }

    /// The checks a request must pass before it becomes a message: the user's account, a
    /// listed instrument, prices on its tick grid, the prices its type needs.
    private func check(_ ticket: ConsoleOrderTicket, accounts: Set<String>) throws(ConsoleEntryError) {
        guard accounts.contains(ticket.account) else {
            throw .refused("refused: \(ticket.account) is not one of your accounts")
        }
        guard ticket.quantity > 0 else { throw .refused("quantity \(ticket.quantity) is not a positive whole number of contracts") }
        guard let instrument = application.gateway.catalog.instrument(symbol: ticket.symbol) else {
            throw .refused("unknown instrument \(ticket.symbol): not listed today")
        }
        if ticket.type.needsPrice, ticket.price == nil { throw .refused("a \(ticket.type) order needs a price") }
        if ticket.type.needsStopPrice, ticket.stopPrice == nil { throw .refused("a stop order needs a stop price") }
        for (name, price) in [("price", ticket.price), ("stop price", ticket.stopPrice)] {
            if let price, instrument.ticks(for: price) == nil {
                throw .refused("\(name) \(price) is not on \(ticket.symbol)'s tick grid of \(instrument.tickSize)")
            }
        }
    }

    /// A working order of the console's session whose account the user may trade.
    private func consoleOrder(_ orderID: String, accounts: Set<String>) throws(ConsoleEntryError) -> ClientOrder {
        guard let order = application.gateway.order(orderID) else { throw .refused("no order \(orderID)") }
        guard order.session == Self.name else {
            throw .refused("\(orderID) came from \(order.session): only the console's own orders are changed from the console")
        }
        guard accounts.contains(order.terms.account) else { throw .refused("refused: \(orderID) is not an order of your accounts") }
        guard !order.status.isTerminal else { throw .refused("too late: \(orderID) is \(order.status.text)") }
        return order
    }

    /// Builds the request (its body from `fill`, the user in its Parties), journals it in this
    /// turn's commit, hands it to the gateway and delivers what it caused; returns the first
    /// report about it, and the commit to wait for.
    private func enter(_ type: MsgType, by user: String, accounts: Set<String>,
                       _ fill: (inout FIXFieldList, String, Int64) -> Void) -> (ConsoleEntryAnswer, EventLoopFuture<Void>) {
        let numbers = self.numbers.value
        let now = application.clock()
        let sequenceNumber = numbers.nextIn
        numbers.nextIn += 1
        let clOrdID = Self.clOrdID(sequenceNumber)
        var builder = FIXMessageBuilder(msgType: type.rawValue)
        builder.header.append(FIXTag.senderCompID, Self.name)
        builder.header.append(FIXTag.targetCompID, ourCompID)
        builder.header.append(FIXTag.msgSeqNum, sequenceNumber)
        builder.header.append(FIXTag.sendingTime, FIXTimestamp(nanosecondsSinceEpoch: now))
        fill(&builder.body, clOrdID, now)
        var party = FIXFieldList()
        party.append(FIXTag.partyID, user)
        party.append(FIXTag.partyIDSource, PartyIDSource.proprietary.rawValue)
        party.append(FIXTag.partyRole, PartyRole.orderOriginationTrader.rawValue)
        builder.body.appendGroup(FIXTag.noPartyIDs, [party])
        let bytes = builder.encode()
        let durable = application.loop.makePromise(of: Void.self)
        let message: FIXMessage
        do {
            message = try FIXMessage(parsing: bytes)
        } catch {
            // The codec cannot read what it wrote: a bug, refused before anything is journaled.
            durable.succeed()
            return (ConsoleEntryAnswer(accepted: false, orderID: nil, clOrdID: clOrdID, status: "rejected",
                                       text: "the console's message could not be read back: \(error)"), durable.futureResult)
        }
        let inbound = JournalRecord(session: journalSession, direction: .inbound, sequenceNumber: sequenceNumber, msgType: type.rawValue,
                                    time: now, bytes: bytes)
        OutputCommit.shared(journal: application.journal, loop: application.loop)
            .write([.message(inbound), .sequenceNumbers(journalSession, nextSender: numbers.nextOut, nextTarget: numbers.nextIn)]) { error in
                if let error { durable.fail(error) } else { durable.succeed() }
            }
        // The risk sidecar lets this session trade the user's accounts, and only those.
        application.gateway.risk.permitAccounts(accounts.sorted(), session: Self.name)
        numbers.reports.removeAll()
        let outbound = application.gateway.handle(message, from: Self.name, now: now) ?? []
        _ = application.deliver(outbound, replyingTo: nil)
        let reports = numbers.reports
        numbers.reports.removeAll()
        application.logger.info("console request entered", metadata: [
            "user": "\(user)", "msgType": "\(type.rawValue)", "clOrdID": "\(clOrdID)", "reports": "\(reports.count)",
        ])
        return (Self.answer(to: clOrdID, in: reports), durable.futureResult)
    }

    /// Journals one report to the console (on the loop, in the turn's commit), as an outbound
    /// message of the session.
    func reported(_ outbound: GatewayOutbound) {
        let numbers = self.numbers.value
        let now = application.clock()
        var builder = FIXMessageBuilder(msgType: outbound.msgType)
        builder.header.append(FIXTag.senderCompID, ourCompID)
        builder.header.append(FIXTag.targetCompID, Self.name)
        builder.header.append(FIXTag.msgSeqNum, numbers.nextOut)
        builder.header.append(FIXTag.sendingTime, FIXTimestamp(nanosecondsSinceEpoch: now))
        builder.body = outbound.body
        let bytes = builder.encode()
        let record = JournalRecord(session: journalSession, direction: .outbound, sequenceNumber: numbers.nextOut, msgType: outbound.msgType,
                                   time: now, bytes: bytes)
        numbers.nextOut += 1
        let logger = application.logger
        application.journal.writeInTurn([.message(record), .sequenceNumbers(journalSession, nextSender: numbers.nextOut,
                                                                             nextTarget: numbers.nextIn)]) { error in
            logger.error("console report not journaled", metadata: ["error": "\(error)"])
        }
        do {
            numbers.reports.append(try FIXMessage(parsing: bytes))
        } catch {
            logger.warning("console report not read back for its answer", metadata: ["error": "\(error)"])
        }
    }

    /// The first report naming `clOrdID`: an ExecutionReport (rejected or not) or an OrderCancelReject.
    static func answer(to clOrdID: String, in reports: [FIXMessage]) -> ConsoleEntryAnswer {
        guard let report = reports.first(where: { $0[FIXTag.clOrdID]?.string == clOrdID }) else {
            return ConsoleEntryAnswer(accepted: false, orderID: nil, clOrdID: clOrdID, status: "",
                                      text: "the gateway sent no report for \(clOrdID)")
        }
        let text = report[FIXTag.text]?.string ?? ""
        if report.type == .orderCancelReject {
            return ConsoleEntryAnswer(accepted: false, orderID: report[FIXTag.orderID]?.string, clOrdID: clOrdID, status: "", text: text)
        }
        let status = report[FIXTag.ordStatus].flatMap { OrderStatus(rawValue: $0.string) }
        return ConsoleEntryAnswer(accepted: status != .rejected, orderID: report[FIXTag.orderID]?.string, clOrdID: clOrdID,
                                  status: status?.text ?? "", text: text)
    }

    /// `C` and eight digits of the inbound number.
    static func clOrdID(_ sequenceNumber: Int) -> String {
        let digits = String(sequenceNumber)
        return "C" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The ticket's order fields, as an OMS's NewOrderSingle carries them.
    static func appendTerms(of ticket: ConsoleOrderTicket, to body: inout FIXFieldList, now: Int64) {
        let terms = OrderTerms(account: ticket.account, symbol: ticket.symbol, side: ticket.side, type: ticket.type,
                               timeInForce: ticket.timeInForce, quantity: ticket.quantity, price: ticket.price, stopPrice: ticket.stopPrice)
        terms.appendFIXFields(to: &body, symbol: ticket.symbol, transactTime: now)
    }
}

extension GatewayApplication {
    /// Opens the console's own session (``GatewayConsoleSession``): its row in the journal
    /// (`FIX.4.4:<ourCompID>->CONSOLE`) is read or created, and from now on the gateway's
    /// reports to it are journaled. Call once, at startup, off the loop.
    public func openConsoleSession(ourCompID: String) throws(JournalError) -> GatewayConsoleSession {
        let (session, state) = try journal.session(named: "FIX.4.4:\(ourCompID)->\(GatewayConsoleSession.name)", now: clock())
        let console = GatewayConsoleSession(application: self, journalSession: session, state: state, ourCompID: ourCompID)
        consoleSession.withLock { $0 = console }
        return console
    }
}

extension GatewayWork {
    /// The person a request names as its Order Origination Trader (Parties: PartyID (448) with
    /// PartyRole (452) 11); `nil` for a request without Parties.
    static func originationTrader(of message: FIXMessage) -> String? {
        guard message.position(of: FIXTag.noPartyIDs) != nil else { return nil }
        var party: String?
        for index in 0..<message.count {
            switch message.tag(at: index) {
            case FIXTag.partyID:
                party = message.value(at: index).string
            case FIXTag.partyRole where message.value(at: index).int == PartyRole.orderOriginationTrader.rawValue:
                return party
            default:
                continue
            }
        }
        return nil
    }
}
