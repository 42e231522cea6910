import FIXCodec
import FIXVocabulary
import Foundation
import Instruments
import OrderEntry
import RiskSidecar
import SimulatedVenue

/// A cancel or a replace as a participant sent it: the ClOrdIDs it gives, and which it is.
struct ChangeRequest {
    var session: String
    var clOrdID: String
    var origClOrdID: String
    var replace: Bool

    init(_ message: FIXMessage, session: String, replace: Bool) {
        self.session = session
        clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        origClOrdID = message[FIXTag.origClOrdID]?.string ?? ""
        self.replace = replace
    }
}

extension ExchangeOrders {
    // MARK: NewOrderSingle

    /// A new order: checked (its terms, its ClOrdID, the hours, the listing, the tick grid, the
    /// venue's limits), then onto the book, whose answer is the first report: New, or a fill.
    mutating func enter(_ message: FIXMessage, from session: String) {
        let account = accounts[session] ?? session
        let terms: OrderTerms
        switch OrderRequestParser.terms(of: message, defaultAccount: account, symbols: participantSymbols) {
        case .failure(let problem):
            return reject(message, from: session, problem.reason, problem.text)
        case .success(let read):
            terms = read
        }
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        if clOrdIDs[session]?[clOrdID] != nil {
            return reject(message, from: session, account: account, .duplicateOrder,
                          "duplicate ClOrdID \(clOrdID): this session used it already on trading day \(tradingDate)")
        }
        guard hours.contains(now) else {
            return reject(message, from: session, account: account, .exchangeClosed,
                          "\(name) is closed: it trades \(calendar.summary); trading day \(tradingDate) opens at "
                          + "\(FIXTimestamp(nanosecondsSinceEpoch: hours.lowerBound)) UTC")
        }
        guard let instrument = catalog.instrument(symbol: terms.symbol) else {
            return reject(message, from: session, account: account, .unknownSymbol,
                          "unknown symbol \(terms.symbol): \(name) does not list it on trading day \(tradingDate)")
        }
        if let problem = offTheGrid(terms, instrument) {
            return reject(message, from: session, account: account, .brokerOption, problem)
        }
        let number = nextOrderNumber
        nextOrderNumber += 1
        let orderID = Self.orderID(name, number)
        var order = ClientOrder(orderID: orderID, session: session, clOrdID: clOrdID, terms: terms)
        clOrdIDs[session, default: [:]][clOrdID] = orderID
        let decision = risk.check(riskOrder(order, root: instrument.root), now: now)
        logOutIfAsked(decision, session: session)
        if let refusal = decision.rejection {
            send(order.rejected(refusal.ordRejReason, text: refusal.text), to: session)
            orders[orderID] = order
            record(order)
            return
        }
        for key in decision.cancelResting { end(key.value, .canceled("self-trade prevention")) }
        var bookTerms = terms
        if let cap = decision.adjustedLimitPrice {
            // Market-order protection: a market order rests as a limit at the cap, a stop as a stop-limit.
            bookTerms.price = cap
            bookTerms.type = terms.type == .stop ? .stopLimit : .limit
        }
        orders[orderID] = order
        bookIDs[orderID] = number
        orderIDs[number] = orderID
        follow(venue.submit(VenueOrder(id: number, owner: owner(of: terms.account), symbol: terms.symbol, side: terms.side,
                                       type: bookTerms.venueType, quantity: terms.quantity, timeInForce: bookTerms.venueTimeInForce),
                            now: now))
        updateReferencePrices(of: [terms.symbol])
    }

    /// The exchange's OrderID for its `number`th order: the venue's name, a dash, eight digits.
    static func orderID(_ name: String, _ number: UInt64) -> String {
        let digits = String(number)
        return name + "-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// The number in an OrderID the exchange gave (``orderID(_:_:)``).
    static func number(of orderID: String) -> UInt64? {
        orderID.split(separator: "-").last.flatMap { UInt64($0) }
    }

    /// Why a price of `terms` is not one `instrument` trades at, if it is not.
    func offTheGrid(_ terms: OrderTerms, _ instrument: Instrument) -> String? {
        for (tag, price) in [("Price", terms.price), ("StopPx", terms.stopPrice)] {
            if let price, instrument.ticks(for: price) == nil {
                return "\(tag) \(price) is not on \(terms.symbol)'s tick grid of \(instrument.tickSize)"
            }
        }
        return nil
    }

    /// `order` as the risk sidecar checks and keeps it.
    func riskOrder(_ order: ClientOrder, root: String) -> RiskOrder {
        let terms = order.terms
        return RiskOrder(key: RiskOrderKey(order.orderID), clOrdID: order.clOrdID, account: terms.account, session: order.session,
                         symbol: terms.symbol, root: root, side: terms.side, quantity: terms.quantity, type: terms.type,
                         price: terms.price, stopPrice: terms.stopPrice, timeInForce: terms.timeInForce)
    }

    /// The books' owner number for `account`: self-trade prevention works between owners (the
    /// market makers' is ``SimulatedVenue/marketMakerOwner``).
    mutating func owner(of account: String) -> UInt64 {
        if let known = owners[account] { return known }
        let next = UInt64(owners.count + 1)
        owners[account] = next
        return next
    }

    // MARK: Cancel and replace

    /// The order a cancel or replace names, by OrderID (37) when given, else by OrigClOrdID
    /// among the session's.
    func named(by request: ChangeRequest, in message: FIXMessage) -> ClientOrder? {
        if let orderID = message[FIXTag.orderID]?.string, let order = orders[orderID], order.session == request.session {
            return order
        }
        return clOrdIDs[request.session]?[request.origClOrdID].flatMap { orders[$0] }
    }

    /// The order a cancel or replace may change, or `nil` once it has been refused with the
    /// CxlRejReason FIX prescribes.
    mutating func changeable(_ request: ChangeRequest, in message: FIXMessage) -> ClientOrder? {
        guard !request.clOrdID.isEmpty, !request.origClOrdID.isEmpty else {
            refuse(request, order: nil, .other, "ClOrdID (11) and OrigClOrdID (41) are required")
            return nil
        }
        guard let order = named(by: request, in: message) else {
            refuse(request, order: nil, .unknownOrder, "unknown order: this session has no order \(request.origClOrdID) on \(name)")
            return nil
        }
        if clOrdIDs[request.session]?[request.clOrdID] != nil {
            refuse(request, order: order, .duplicateClOrdID,
                   "duplicate ClOrdID \(request.clOrdID): this session used it already on trading day \(tradingDate)")
            return nil
        }
        if order.status.isTerminal {
            refuse(request, order: order, .tooLateToCancel, "too late: order \(order.orderID) is \(order.status.text)")
            return nil
        }
        return order
    }

    mutating func cancel(_ message: FIXMessage, from session: String) {
        let request = ChangeRequest(message, session: session, replace: false)
        guard var order = changeable(request, in: message), let number = bookIDs[order.orderID] else { return }
        let decision = risk.check(RiskCancel(key: RiskOrderKey(order.orderID), clOrdID: request.clOrdID, session: session), now: now)
        logOutIfAsked(decision, session: session)
        if let refusal = decision.rejection { return refuse(request, order: order, refusal.cxlRejReason, refusal.text) }
        clOrdIDs[session, default: [:]][request.clOrdID] = order.orderID
        // The book answers at once: the participant hears the outcome, not a PendingCancel.
        _ = order.requested(PendingChange(kind: .cancel, clOrdID: request.clOrdID))
        orders[order.orderID] = order
        follow(venue.cancel(id: number, symbol: order.terms.symbol, now: now))
    }

    mutating func replace(_ message: FIXMessage, from session: String) {
        let request = ChangeRequest(message, session: session, replace: true)
        guard var order = changeable(request, in: message), let number = bookIDs[order.orderID] else { return }
        let terms: OrderTerms
        switch OrderRequestParser.terms(of: message, defaultAccount: order.terms.account, symbols: participantSymbols) {
        case .failure(let problem):
            return refuse(request, order: order, .other, problem.text)
        case .success(let read):
            terms = read
        }
        guard terms.symbol == order.terms.symbol, terms.side == order.terms.side, terms.account == order.terms.account else {
            return refuse(request, order: order, .other, "a replace keeps Symbol, Side and Account: cancel, and enter a new order")
        }
        if let instrument = catalog.instrument(symbol: terms.symbol), let problem = offTheGrid(terms, instrument) {
            return refuse(request, order: order, .other, problem)
        }
        let decision = risk.check(RiskReplace(key: RiskOrderKey(order.orderID), clOrdID: request.clOrdID, session: session,
                                              quantity: terms.quantity, type: terms.type, price: terms.price,
                                              stopPrice: terms.stopPrice, timeInForce: terms.timeInForce), now: now)
        logOutIfAsked(decision, session: session)
        if let refusal = decision.rejection { return refuse(request, order: order, refusal.cxlRejReason, refusal.text) }
        clOrdIDs[session, default: [:]][request.clOrdID] = order.orderID
        _ = order.requested(PendingChange(kind: .replace(terms), clOrdID: request.clOrdID))
        orders[order.orderID] = order
        // The book counts OrderQty from what it was given: after a restart, only what was left.
        let filledBefore = order.cumQty - (venue.order(id: number)?.filledQuantity ?? order.cumQty)
        follow(venue.replace(id: number, symbol: terms.symbol, quantity: terms.quantity - filledBefore, price: terms.price,
                             stopPrice: terms.stopPrice, now: now))
    }

    // MARK: Status, mass status and mass cancel

    /// OrderStatusRequest (H): the order's state (ExecType I), found by OrderID or ClOrdID;
    /// an unknown order is answered with OrdStatus rejected and OrdRejReason 5.
    mutating func status(_ message: FIXMessage, from session: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let request = ChangeRequest(message, session: session, replace: false)
        let byClOrdID = clOrdIDs[session]?[clOrdID].flatMap { orders[$0] }
        guard var order = named(by: request, in: message) ?? byClOrdID else {
            let echo = OrderRequestEcho(message)
            send(.aboutRequest(echo, clOrdID: clOrdID, execID: execID("ST", session, clOrdID), execType: .orderStatus,
                               reason: .unknownOrder, text: "unknown order \(clOrdID): this session has none by that ClOrdID"),
                 to: session)
            return
        }
        send(order.statusReport(), to: session)
        orders[order.orderID] = order
        record(order)
    }

    /// The session's working orders a mass request covers: all of them (scope 7) or those in
    /// `symbol` (1); `nil` for a scope the exchange does not take.
    func working(of session: String, scope: Int, symbol: String?) -> [ClientOrder]? {
        guard scope == 1 || scope == 7 else { return nil }
        return orderList(session: session).filter { !$0.status.isTerminal && (scope == 7 || $0.terms.symbol == symbol) }
    }

    /// OrderMassStatusRequest (AF): a status report for each of the session's working orders
    /// (MassStatusReqType 7), or those in one Symbol (1), carrying MassStatusReqID and
    /// TotNumReports, the last LastRptRequested=Y. None working: one report that says so.
    mutating func massStatus(_ message: FIXMessage, from session: String) {
        let requestID = message[FIXTag.massStatusReqID]?.string ?? ""
        let scope = message[FIXTag.massStatusReqType]?.int ?? 7
        let transactTime = FIXTimestamp(nanosecondsSinceEpoch: now)
        let noneID = execID("MS", session, requestID)
        func tagged(_ report: ExecutionReport, total: Int?, last: Bool) -> ExchangeMessage {
            var body = report.fields(transactTime: transactTime, symbols: participantSymbols)
            body.append(FIXTag.massStatusReqID, requestID)
            if let total { body.append(FIXTag.totNumReports, total) }
            if last { body.append(FIXTag.lastRptRequested, "Y") }
            return ExchangeMessage(session: session, type: .executionReport, body: body)
        }
        func none(_ reason: OrdRejReason, _ text: String, total: Int?) -> ExchangeMessage {
            tagged(.aboutRequest(OrderRequestEcho(message), clOrdID: "", execID: noneID,
                                 execType: .orderStatus, reason: reason, text: text), total: total, last: total != nil)
        }
        switch working(of: session, scope: scope, symbol: message[FIXTag.symbol].map { participantSymbols.canonicalSymbol($0.string) }) {
        case nil:
            outbox.append(none(.other, "MassStatusReqType \(scope) is not supported: 1 (a Symbol's orders) or 7 (all orders)", total: nil))
        case let found? where found.isEmpty:
            outbox.append(none(.unknownOrder, "no working orders", total: 0))
        case let found?:
            for (index, original) in found.enumerated() {
                var order = original
                outbox.append(tagged(order.statusReport(), total: found.count, last: index == found.count - 1))
                orders[order.orderID] = order
                record(order)
            }
        }
    }

    /// OrderMassCancelRequest (q): every working order of the session (MassCancelRequestType
    /// 7), or of one Symbol (1), is cancelled; the OrderMassCancelReport (r) first says how many.
    mutating func massCancel(_ message: FIXMessage, from session: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let scope = message[FIXTag.massCancelRequestType]?.int ?? 0
        // As the participant sent it, for the report; the catalog's, for the orders.
        let sentSymbol = message[FIXTag.symbol]?.string
        let symbol = sentSymbol.map(participantSymbols.canonicalSymbol)
        var report = FIXFieldList(reservingCapacity: 128)
        report.append(FIXTag.clOrdID, clOrdID)
        report.append(FIXTag.orderID, execID("MC", session, clOrdID))
        report.append(FIXTag.massCancelRequestType, scope)
        guard let doomed = working(of: session, scope: scope, symbol: symbol) else {
            report.append(FIXTag.massCancelResponse, 0)
            report.append(FIXTag.massCancelRejectReason, 1)
            report.append(FIXTag.text, "MassCancelRequestType \(scope) is not supported: 1 (a Symbol's orders) or 7 (all orders)")
            outbox.append(ExchangeMessage(session: session, type: .orderMassCancelReport, body: report))
            return
        }
        report.append(FIXTag.massCancelResponse, scope)
        report.append(FIXTag.totalAffectedOrders, doomed.count)
        if scope == 1, let sentSymbol { report.append(FIXTag.symbol, sentSymbol) }
        outbox.append(ExchangeMessage(session: session, type: .orderMassCancelReport, body: report))
        for order in doomed { end(order.orderID, .canceled("mass cancel \(clOrdID)")) }
    }

    // MARK: Rejects

    /// An ExecutionReport (150=8) rejecting a request that never became an order: OrderID NONE
    /// and the request's own fields echoed as sent (`account` standing for an Account it left out).
    mutating func reject(_ message: FIXMessage, from session: String, account: String? = nil, _ reason: OrdRejReason,
                         _ text: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        send(.aboutRequest(OrderRequestEcho(message, account: account), clOrdID: clOrdID, execID: execID("RJ", session, clOrdID),
                           execType: .rejected, reason: reason, text: text), to: session)
    }

    /// An OrderCancelReject (35=9) answering `request`.
    mutating func refuse(_ request: ChangeRequest, order: ClientOrder?, _ reason: CxlRejReason, _ text: String) {
        let refusal = OrderCancelReject(order: order, clOrdID: request.clOrdID, origClOrdID: request.origClOrdID,
                                        replace: request.replace, reason: reason, text: text)
        outbox.append(ExchangeMessage(session: request.session, type: .orderCancelReject, body: refusal.fields()))
    }

    /// An ExecID for a report that names no order of the exchange's: unique by its time.
    func execID(_ kind: String, _ session: String, _ clOrdID: String) -> String {
        "\(name)-\(kind)-\(session)-\(clOrdID)-\(now)"
    }

    /// Far above its message rate limit, a session is logged out (after what it is sent now).
    mutating func logOutIfAsked(_ decision: RiskDecision, session: String) {
        guard decision.logoutSession, !outbox.contains(where: { $0.session == session && $0.type == .logout }) else { return }
        var body = FIXFieldList()
        body.append(FIXTag.text, "message rate far above the limit: logged out by \(name)")
        outbox.append(ExchangeMessage(session: session, type: .logout, body: body))
    }

    mutating func send(_ report: ExecutionReport, to session: String) {
        outbox.append(ExchangeMessage(session: session, type: .executionReport,
                                      body: report.fields(transactTime: FIXTimestamp(nanosecondsSinceEpoch: now), symbols: participantSymbols)))
    }
}
