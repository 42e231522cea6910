import FIXCodec
import FIXVocabulary
import Foundation
import Instruments
import Positions
import RiskSidecar
import SimulatedVenue
import OrderEntry

/// One call's worth of gateway work under the lock: the state it changes and the messages
/// it produces.
struct GatewayWork {
    var state: GatewayState
    let risk: RiskSidecar
    /// The time of the call in progress.
    private(set) var now: Int64
    var outbound: [GatewayOutbound] = []
    /// Logouts, sent after everything else this call produced.
    var pendingLogouts: [GatewayOutbound] = []

    init(state: GatewayState, risk: RiskSidecar, now: Int64) {
        self.state = state
        self.risk = risk
        self.now = now
    }

    /// Starts a call at `now`, with nothing yet to send.
    mutating func begin(now: Int64) {
        self.now = now
        outbound.removeAll(keepingCapacity: true)
        pendingLogouts.removeAll(keepingCapacity: true)
    }

    private var transactTime: FIXTimestamp { FIXTimestamp(nanosecondsSinceEpoch: now) }

    // MARK: Sending

    mutating func send(_ report: ExecutionReport, to session: String) {
        outbound.append(GatewayOutbound(session: session, type: .executionReport, body: report.fields(transactTime: transactTime)))
    }

    /// Journals `order` as it stands (`order`), before anything it is sent to a venue for: a
    /// restart rebuilds each order from its last record, so an order a venue has not yet
    /// answered, or a cancel or replace it has not, comes back as it was (its OrderID taken,
    /// its ClOrdIDs known, its ExecIDs counted), not lost or given again.
    mutating func journal(_ order: ClientOrder) {
        state.audit.append(GatewayAuditEvent(kind: "order", time: now, json: order.auditJSON()))
    }

    mutating func record(_ kind: String, _ value: some Encodable) {
        state.audit.append(GatewayAuditEvent(kind: kind, time: now, json: AuditJSON.encode(value)))
    }

    /// A risk decision, in the JSON written for it by hand (``RiskAuditRecord/auditJSON``).
    mutating func record(_ kind: String, _ value: RiskAuditRecord) {
        state.audit.append(GatewayAuditEvent(kind: kind, time: now, json: value.auditJSON))
    }

    /// An ExecutionReport rejecting a request that never became an order. It echoes the
    /// request's fields as the OMS sent them (a Side or OrderQty the gateway could not read
    /// included, a field the OMS left out left out), never values of the gateway's making; an
    /// Account the request left out is the one it was read for (`terms`), when it was read.
    mutating func rejectNew(_ message: FIXMessage, session: String, terms: OrderTerms?, reason: OrdRejReason, text: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        send(.aboutRequest(OrderRequestEcho(message, account: terms?.account), clOrdID: clOrdID,
                           execID: "R-\(session)-\(clOrdID)-\(now)", execType: .rejected, reason: reason, text: text), to: session)
        record("order.rejected", RejectAudit(session: session, clOrdID: clOrdID, reason: reason.rawValue, text: text))
    }

    /// An OrderCancelReject (35=9).
    mutating func cancelReject(session: String, clOrdID: String, origClOrdID: String, order: ClientOrder?,
                               replace: Bool, reason: CxlRejReason, text: String) {
        let reject = OrderCancelReject(order: order, clOrdID: clOrdID, origClOrdID: origClOrdID, replace: replace, reason: reason, text: text)
        outbound.append(GatewayOutbound(session: session, type: .orderCancelReject, body: reject.fields()))
        record("cancel.rejected", RejectAudit(session: session, clOrdID: clOrdID, reason: reason.rawValue, text: text))
    }

    /// Far above its message rate limit, a session is logged out (after the reject already
    /// queued for it), as exchanges' messaging controls do.
    mutating func logOutIfFlooding(_ decision: RiskDecision, session: String) {
        guard decision.logoutSession, !outbound.contains(where: { $0.session == session && $0.type == .logout }) else { return }
        var body = FIXFieldList()
        body.append(FIXTag.text, "message rate far above the limit: logged out by the risk sidecar")
        pendingLogouts.append(GatewayOutbound(session: session, type: .logout, body: body))
    }

    // MARK: NewOrderSingle

    mutating func newOrder(_ message: FIXMessage, session: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let terms: OrderTerms
        switch OrderRequestParser.terms(of: message, defaultAccount: state.settings.defaultAccounts[session]) {
        case .failure(let problem):
            rejectNew(message, session: session, terms: nil, reason: problem.reason, text: problem.text)
            return
        case .success(let parsed):
            terms = parsed
        }
        if state.clOrdIDs[session]?[clOrdID] != nil {
            // The sidecar sees it too, so the journal holds the decision with its inputs.
            if let root = state.catalog.instrument(symbol: terms.symbol)?.root {
                let decision = risk.check(RiskOrder(key: RiskOrderKey("DUP-\(session)-\(clOrdID)-\(now)"), clOrdID: clOrdID,
                                                    account: terms.account, session: session, symbol: terms.symbol, root: root,
                                                    side: terms.side, quantity: terms.quantity, type: terms.type,
                                                    price: terms.price, stopPrice: terms.stopPrice,
                                                    timeInForce: terms.timeInForce), now: now)
                record("risk.decision", decision.auditRecord)
                if decision.rejection == nil { _ = risk.orderDone(key: RiskOrderKey("DUP-\(session)-\(clOrdID)-\(now)"), now: now) }
            }
            rejectNew(message, session: session, terms: terms, reason: .duplicateOrder,
                      text: "duplicate ClOrdID \(clOrdID): already used by this session today")
            return
        }
        let destination = message[FIXTag.exDestination]?.string ?? message[FIXTag.securityExchange]?.string
        let venueIndex: Int
        if let destination {
            guard let index = state.router[destination] else {
                let known = state.router.keys.sorted().joined(separator: ", ")
                rejectNew(message, session: session, terms: terms, reason: .brokerOption,
                          text: "unknown venue \(destination): this gateway routes to \(known)")
                return
            }
            venueIndex = index
        } else if let index = state.defaultVenue {
            venueIndex = index
        } else {
            let known = state.router.keys.sorted().joined(separator: ", ")
            rejectNew(message, session: session, terms: terms, reason: .brokerOption,
                      text: "no venue named: this gateway routes only by ExDestination (100), to \(known)")
            return
        }
        if let refusal = state.venues[venueIndex]?.refusal(newOrderIn: terms.symbol, now: now) {
            rejectNew(message, session: session, terms: terms, reason: .exchangeClosed, text: refusal)
            return
        }
        guard let instrument = state.catalog.instrument(symbol: terms.symbol) else {
            rejectNew(message, session: session, terms: terms, reason: .unknownSymbol,
                      text: "unknown instrument \(terms.symbol): not listed on \(state.catalog.tradingDate)")
            return
        }
        for (name, price) in [("Price", terms.price), ("StopPx", terms.stopPrice)] {
            if let price, instrument.ticks(for: price) == nil {
                rejectNew(message, session: session, terms: terms, reason: .brokerOption,
                          text: "\(name) \(price) is not on \(terms.symbol)'s tick grid of \(instrument.tickSize)")
                return
            }
        }
        let number = state.nextOrderNumber
        state.nextOrderNumber += 1
        // "WH" and eight digits, without Foundation's locale-aware formatting on the order path.
        let digits = String(number)
        let orderID = "WH" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        var riskOrder = RiskOrder(key: RiskOrderKey(orderID), clOrdID: clOrdID, account: terms.account, session: session,
                                  symbol: terms.symbol, root: instrument.root, side: terms.side, quantity: terms.quantity,
                                  type: terms.type, price: terms.price, stopPrice: terms.stopPrice,
                                  timeInForce: terms.timeInForce)
        // Names to the sidecar's ids, ClOrdID and key hashed, once, as the order is built: the
        // check itself hashes no string.
        risk.resolve(&riskOrder)
        // Only the small verdict leaves the sidecar's lock; the decision with the order as its
        // input (what the journal records) is made here, outside it.
        let decision = RiskDecision(riskOrder, risk.verdict(riskOrder, now: now), time: now)
        record("risk.decision", decision.auditRecord)
        if !decision.warnings.isEmpty { raise(decision.warnings) }
        logOutIfFlooding(decision, session: session)
        state.clOrdIDs[session, default: [:]][clOrdID] = orderID
        if let rejection = decision.rejection {
            var order = ClientOrder(orderID: orderID, session: session, clOrdID: clOrdID, terms: terms,
                                    enteredBy: Self.originationTrader(of: message))
            send(order.rejected(rejection.ordRejReason, text: rejection.text), to: session)
            state.orders[orderID] = order
            journal(order)
            return
        }
        for key in decision.cancelResting { cancelForRisk(orderID: key.value, reason: "self-trade prevention") }
        var venueTerms = terms
        if let capped = decision.adjustedLimitPrice {
            // Market-order protection: a market order goes as a limit at the cap, a stop as a stop-limit.
            venueTerms.price = capped
            venueTerms.type = terms.type == .stop ? .stopLimit : .limit
        }
        var order = ClientOrder(orderID: orderID, session: session, clOrdID: clOrdID, terms: terms,
                                enteredBy: Self.originationTrader(of: message))
        send(order.pendingNew(), to: session)
        state.orders[orderID] = order
        journal(order)
        state.orderIDByVenueID[number] = orderID
        state.venueIDByOrderID[orderID] = number
        submit(order, number: number, terms: venueTerms, to: venueIndex)
        if venueIndex == state.priceVenue { updateMarks(symbols: [terms.symbol]) }
    }

    // MARK: Cancel and replace

    /// The order a cancel or replace names by OrigClOrdID, or the reject to send.
    private mutating func target(of message: FIXMessage, session: String, replace: Bool) -> ClientOrder? {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let origClOrdID = message[FIXTag.origClOrdID]?.string ?? ""
        guard !clOrdID.isEmpty, !origClOrdID.isEmpty else {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: origClOrdID, order: nil, replace: replace,
                         reason: .other, text: "ClOrdID (11) and OrigClOrdID (41) are required")
            return nil
        }
        guard let orderID = state.clOrdIDs[session]?[origClOrdID], let order = state.orders[orderID] else {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: origClOrdID, order: nil, replace: replace,
                         reason: .unknownOrder, text: "unknown order: no order with ClOrdID \(origClOrdID) from this session")
            return nil
        }
        if state.clOrdIDs[session]?[clOrdID] != nil {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: origClOrdID, order: order, replace: replace,
                         reason: .duplicateClOrdID, text: "duplicate ClOrdID \(clOrdID): already used by this session today")
            return nil
        }
        if order.status.isTerminal {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: origClOrdID, order: order, replace: replace,
                         reason: .tooLateToCancel, text: "too late: order \(order.orderID) is \(order.status.text)")
            return nil
        }
        if order.pending != nil || order.status == .pendingNew {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: origClOrdID, order: order, replace: replace,
                         reason: .alreadyPending, text: "order \(order.orderID) already has a change pending at the venue")
            return nil
        }
        return order
    }

    mutating func cancel(_ message: FIXMessage, session: String) {
        guard var order = target(of: message, session: session, replace: false) else { return }
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let decision = risk.check(RiskCancel(key: RiskOrderKey(order.orderID), clOrdID: clOrdID, session: session), now: now)
        record("risk.decision", decision.auditRecord)
        logOutIfFlooding(decision, session: session)
        if let rejection = decision.rejection {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: order.clOrdID, order: order, replace: false,
                         reason: rejection.cxlRejReason, text: rejection.text)
            return
        }
        if refuseAtVenue(order, session: session, clOrdID: clOrdID, replace: false) { return }
        state.clOrdIDs[session, default: [:]][clOrdID] = order.orderID
        send(order.requested(PendingChange(kind: .cancel, clOrdID: clOrdID)), to: session)
        state.orders[order.orderID] = order
        journal(order)
        change(order)
    }

    mutating func replace(_ message: FIXMessage, session: String) {
        guard var order = target(of: message, session: session, replace: true) else { return }
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let newTerms: OrderTerms
        switch OrderRequestParser.terms(of: message, defaultAccount: order.terms.account) {
        case .failure(let problem):
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: order.clOrdID, order: order, replace: true,
                         reason: .other, text: problem.text)
            return
        case .success(let parsed):
            newTerms = parsed
        }
        guard newTerms.symbol == order.terms.symbol, newTerms.side == order.terms.side, newTerms.account == order.terms.account else {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: order.clOrdID, order: order, replace: true, reason: .other,
                         text: "a replace cannot change Symbol, Side or Account: cancel and send a new order")
            return
        }
        if let price = newTerms.price, state.catalog.instrument(symbol: newTerms.symbol)?.ticks(for: price) == nil {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: order.clOrdID, order: order, replace: true,
                         reason: .other, text: "Price \(price) is not on \(newTerms.symbol)'s tick grid")
            return
        }
        let decision = risk.check(RiskReplace(key: RiskOrderKey(order.orderID), clOrdID: clOrdID, session: session,
                                              quantity: newTerms.quantity, type: newTerms.type, price: newTerms.price,
                                              stopPrice: newTerms.stopPrice, timeInForce: newTerms.timeInForce), now: now)
        record("risk.decision", decision.auditRecord)
        if !decision.warnings.isEmpty { raise(decision.warnings) }
        logOutIfFlooding(decision, session: session)
        if let rejection = decision.rejection {
            cancelReject(session: session, clOrdID: clOrdID, origClOrdID: order.clOrdID, order: order, replace: true,
                         reason: rejection.cxlRejReason, text: rejection.text)
            return
        }
        if refuseAtVenue(order, session: session, clOrdID: clOrdID, replace: true) {
            risk.replaceRejected(key: RiskOrderKey(order.orderID), now: now)
            return
        }
        state.clOrdIDs[session, default: [:]][clOrdID] = order.orderID
        send(order.requested(PendingChange(kind: .replace(newTerms), clOrdID: clOrdID)), to: session)
        state.orders[order.orderID] = order
        journal(order)
        change(order, to: newTerms)
    }

    /// Cancels an order the OMS did not ask to cancel (kill switch, cancel on disconnect,
    /// self-trade prevention); the OMS is told by an unsolicited Canceled report.
    mutating func cancelForRisk(orderID: String, reason: String) {
        guard let order = state.orders[orderID], !order.status.isTerminal, let venueID = state.venueIDByOrderID[orderID] else { return }
        state.cancelReasons[venueID] = reason
        change(order)
    }

    /// A cancel or replace of an order at a FIX venue that is not connected cannot be carried
    /// out, nor a replace at one that has halted the instrument: refused (OrderCancelReject)
    /// rather than left pending. `true` when refused.
    private mutating func refuseAtVenue(_ order: ClientOrder, session: String, clOrdID: String, replace: Bool) -> Bool {
        guard let text = refusal(changing: order, replace: replace) else { return false }
        cancelReject(session: session, clOrdID: clOrdID, origClOrdID: order.clOrdID, order: order, replace: replace,
                     reason: .brokerOption, text: text)
        return true
    }

    // MARK: Status and mass cancel

    mutating func status(_ message: FIXMessage, session: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let orderID = message[FIXTag.orderID]?.string ?? state.clOrdIDs[session]?[clOrdID]
        guard let orderID, var order = state.orders[orderID], order.session == session else {
            send(.aboutRequest(OrderRequestEcho(message), clOrdID: clOrdID, execID: "S-\(session)-\(clOrdID)-\(now)",
                               execType: .orderStatus, reason: .unknownOrder, text: "unknown order \(clOrdID)"), to: session)
            return
        }
        send(order.statusReport(), to: session)
        state.orders[orderID] = order
        journal(order)  // its ExecID is taken
    }

    /// OrderMassStatusRequest (AF): a status report (ExecType I) for each of the session's
    /// working orders (MassStatusReqType 7), or those in one Symbol (1), each carrying the
    /// MassStatusReqID, TotNumReports and, on the last, LastRptRequested. With none working,
    /// one report says so (OrdStatus rejected, Text).
    mutating func massStatus(_ message: FIXMessage, session: String) {
        let requestID = message[FIXTag.massStatusReqID]?.string ?? ""
        let requestType = message[FIXTag.massStatusReqType]?.int ?? 7
        let symbol = message[FIXTag.symbol]?.string
        let orders = state.orders.working { order in
            order.session == session && (requestType != 1 || order.terms.symbol == symbol)
        }
        guard requestType == 7 || requestType == 1 else {
            massStatusAnswer(message, session: session, requestID: requestID, reason: .other, total: nil,
                             text: "MassStatusReqType \(requestType) is not supported: use 1 (by Symbol) or 7 (all orders)")
            return
        }
        if orders.isEmpty {
            massStatusAnswer(message, session: session, requestID: requestID, reason: .unknownOrder, total: 0,
                             text: "no working orders")
            return
        }
        for (index, original) in orders.enumerated() {
            var order = original
            var body = order.statusReport().fields(transactTime: FIXTimestamp(nanosecondsSinceEpoch: now))
            body.append(FIXTag.massStatusReqID, requestID)
            body.append(FIXTag.totNumReports, orders.count)
            if index == orders.count - 1 { body.append(FIXTag.lastRptRequested, "Y") }
            outbound.append(GatewayOutbound(session: session, type: .executionReport, body: body))
            state.orders[order.orderID] = order
            journal(order)
        }
    }

    /// A mass status request's only report when there is no order to report: OrdStatus
    /// rejected, with why. It names no order: no ClOrdID, and only the Account, Symbol and Side
    /// the request itself carried.
    private mutating func massStatusAnswer(_ message: FIXMessage, session: String, requestID: String, reason: OrdRejReason,
                                           total: Int?, text: String) {
        let report = ExecutionReport.aboutRequest(OrderRequestEcho(message), clOrdID: "", execID: "MS-\(session)-\(requestID)-\(now)",
                                                  execType: .orderStatus, reason: reason, text: text)
        var body = report.fields(transactTime: FIXTimestamp(nanosecondsSinceEpoch: now))
        body.append(FIXTag.massStatusReqID, requestID)
        if let total {
            body.append(FIXTag.totNumReports, total)
            body.append(FIXTag.lastRptRequested, "Y")
        }
        outbound.append(GatewayOutbound(session: session, type: .executionReport, body: body))
    }

    mutating func massCancel(_ message: FIXMessage, session: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        let requestType = message[FIXTag.massCancelRequestType]?.int ?? 0
        let symbol = message[FIXTag.symbol]?.string
        var body = FIXFieldList(reservingCapacity: 128)
        body.append(FIXTag.clOrdID, clOrdID)
        body.append(FIXTag.orderID, "MC-\(session)-\(clOrdID)")
        body.append(FIXTag.massCancelRequestType, requestType)
        guard requestType == 1 || requestType == 7 else {
            body.append(FIXTag.massCancelResponse, 0)
            body.append(FIXTag.massCancelRejectReason, 1)
            body.append(FIXTag.text, "MassCancelRequestType \(requestType) is not supported: use 1 (by Symbol) or 7 (all orders)")
            outbound.append(GatewayOutbound(session: session, type: .orderMassCancelReport, body: body))
            return
        }
        let doomed = state.orders.working { order in
            order.session == session && (requestType == 7 || order.terms.symbol == symbol)
        }
        body.append(FIXTag.massCancelResponse, requestType)
        body.append(FIXTag.totalAffectedOrders, doomed.count)
        if let symbol, requestType == 1 { body.append(FIXTag.symbol, symbol) }
        outbound.append(GatewayOutbound(session: session, type: .orderMassCancelReport, body: body))
        for order in doomed { cancelForRisk(orderID: order.orderID, reason: "mass cancel \(clOrdID)") }
    }
}

/// What went into a reject, for the journal.
struct RejectAudit: Encodable {
    var session: String
    var clOrdID: String
    var reason: Int
    var text: String
}
