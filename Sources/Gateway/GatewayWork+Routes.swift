import FIXCodec
import FIXVocabulary
import Instruments
import SimulatedVenue
import OrderEntry

/// An order the gateway sent to a venue over FIX: the venue session, and the ClOrdIDs the
/// gateway uses with the venue (its own, never the OMS's, so two OMS sessions' ClOrdIDs never
/// collide at the venue).
struct VenueRoute: Sendable, Codable {
    /// The venue session's TargetCompID.
    let session: String
    /// The ClOrdID the venue knows the order by now (the last accepted replace's).
    var clOrdID: String
    /// A cancel or replace sent and not yet answered: its ClOrdID at the venue.
    var pendingClOrdID: String?
    /// OrderID (37) the venue gave the order.
    var venueOrderID: String?
    var changes = 0
}

/// Routing to venues over FIX (initiator sessions to real exchanges, or the venue simulator in
/// another process): requests out as FIX, the venue's execution reports back in as the same
/// ``VenueEvent``s the in-process venue produces, so one order state machine serves both.
extension GatewayWork {
    /// The FIX venue session an order naming `destination` goes to, if it names one.
    func fixVenueSession(_ destination: String?) -> String? {
        destination.flatMap { state.settings.fixVenues[$0] }
    }

    /// Keeps `route` for order `number` and journals it (`route`), so a restart knows which
    /// orders are at which venue under which ClOrdIDs.
    mutating func save(_ route: VenueRoute, for number: UInt64) {
        state.routes[number] = route
        state.routeByClOrdID[route.clOrdID] = number
        if let pending = route.pendingClOrdID { state.routeByClOrdID[pending] = number }
        record("route", RouteAudit(id: number, route: route))
    }

    /// Sends a NewOrderSingle for an accepted order to its venue session.
    mutating func submit(_ number: UInt64, orderID: String, terms: OrderTerms, venueTerms: OrderTerms, toVenue session: String) {
        save(VenueRoute(session: session, clOrdID: orderID), for: number)
        let dialect = state.settings.venueDialects[session] ?? VenueDialect()
        var body = FIXFieldList(reservingCapacity: 200)
        body.append(FIXTag.clOrdID, orderID)
        if !terms.account.isEmpty { body.append(FIXTag.account, terms.account) }
        body.append(FIXTag.symbol, dialect.venueSymbol(terms.symbol))
        body.append(FIXTag.side, Int(terms.side.rawValue))
        body.append(FIXTag.transactTime, FIXTimestamp(nanosecondsSinceEpoch: now))
        body.append(FIXTag.orderQty, FIXDecimal(mantissa: venueTerms.quantity))
        body.append(FIXTag.ordType, char: venueTerms.type.rawValue.fixByte)
        if let price = venueTerms.price { body.append(FIXTag.price, price) }
        if let stopPrice = venueTerms.stopPrice { body.append(FIXTag.stopPx, stopPrice) }
        body.append(FIXTag.timeInForce, char: venueTerms.timeInForce.rawValue.fixByte)
        if let expireTime = venueTerms.expireTime { body.append(FIXTag.expireTime, FIXTimestamp(nanosecondsSinceEpoch: expireTime)) }
        for field in dialect.orderFields { body.append(field.tag, field.value) }
        outbound.append(GatewayOutbound(session: session, type: .newOrderSingle, body: body))
    }

    /// Sends an OrderCancelRequest (or, with `newTerms`, an OrderCancelReplaceRequest) for a
    /// routed order. `false` when the venue is not connected (nothing sent).
    mutating func requestChange(_ number: UInt64, order: ClientOrder, newTerms: OrderTerms?) -> Bool {
        guard var route = state.routes[number], state.venuesUp.contains(route.session) else { return false }
        route.changes += 1
        let clOrdID = "\(order.orderID)-\(route.changes)"
        route.pendingClOrdID = clOrdID
        save(route, for: number)
        let dialect = state.settings.venueDialects[route.session] ?? VenueDialect()
        var body = FIXFieldList(reservingCapacity: 200)
        body.append(FIXTag.origClOrdID, route.clOrdID)
        body.append(FIXTag.clOrdID, clOrdID)
        if let venueOrderID = route.venueOrderID { body.append(FIXTag.orderID, venueOrderID) }
        if !order.terms.account.isEmpty { body.append(FIXTag.account, order.terms.account) }
        body.append(FIXTag.symbol, dialect.venueSymbol(order.terms.symbol))
        body.append(FIXTag.side, Int(order.terms.side.rawValue))
        body.append(FIXTag.transactTime, FIXTimestamp(nanosecondsSinceEpoch: now))
        let terms = newTerms ?? order.terms
        body.append(FIXTag.orderQty, FIXDecimal(mantissa: terms.quantity))
        if newTerms != nil {
            body.append(FIXTag.ordType, char: terms.type.rawValue.fixByte)
            if let price = terms.price { body.append(FIXTag.price, price) }
            if let stopPrice = terms.stopPrice { body.append(FIXTag.stopPx, stopPrice) }
            body.append(FIXTag.timeInForce, char: terms.timeInForce.rawValue.fixByte)
        }
        for field in dialect.orderFields { body.append(field.tag, field.value) }
        let type: MsgType = newTerms == nil ? .orderCancelRequest : .orderCancelReplaceRequest
        outbound.append(GatewayOutbound(session: route.session, type: type, body: body))
        return true
    }

    /// An ExecutionReport or OrderCancelReject from a venue session, followed through the
    /// order's state machine and reported to its OMS.
    mutating func venueReport(_ message: FIXMessage, from session: String) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        guard let number = state.routeByClOrdID[clOrdID] ?? message[FIXTag.origClOrdID].flatMap({ state.routeByClOrdID[$0.string] }),
              var route = state.routes[number], route.session == session,
              let orderID = state.orderIDByVenueID[number], var order = state.orders[orderID] else {
            return
        }
        if let venueOrderID = message[FIXTag.orderID]?.string, venueOrderID != "NONE" { route.venueOrderID = venueOrderID }
        if message[ExecType.self] == .canceled || message[ExecType.self] == .expired { route.pendingClOrdID = nil }
        if message.type == .orderCancelReject {
            // The venue refused the cancel or replace: the order stands as it was.
            route.pendingClOrdID = nil
            save(route, for: number)
            guard let pending = order.pending else { return }
            let replace = message[FIXTag.cxlRejResponseTo]?.int == 2
            order.changeRefused()
            state.orders[orderID] = order
            if replace { risk.replaceRejected(key: .init(orderID), now: now) }
            cancelReject(session: order.session, clOrdID: pending.clOrdID, origClOrdID: order.clOrdID, order: order, replace: replace,
                         reason: message[CxlRejReason.self] ?? .other,
                         text: "venue refused: \(message[FIXTag.text]?.string ?? "no reason given")")
            return
        }
        let leaves = Int64(message[FIXTag.leavesQty]?.decimal?.rounded(toScale: 0).mantissa ?? 0)
        var events: [VenueEvent] = []
        switch message[ExecType.self] {
        case .new:
            events.append(.accepted(id: number))
        case .trade:
            guard let quantity = message[FIXTag.lastQty]?.decimal?.rounded(toScale: 0).mantissa, let price = message[FIXTag.lastPx]?.decimal else { break }
            events.append(.fill(VenueFill(id: number, owner: state.owner(of: order.terms.account), symbol: order.terms.symbol,
                                          side: order.terms.side, price: price, quantity: quantity, leavesQuantity: leaves,
                                          tradeID: 0, aggressor: false)))
        case .canceled, .expired:
            if clOrdID != route.pendingClOrdID, state.cancelReasons[number] == nil {
                state.cancelReasons[number] = "canceled by the venue\(message[FIXTag.text].map { ": \($0.string)" } ?? "")"
            }
            events.append(.canceled(id: number, canceledQuantity: max(0, order.terms.quantity - order.cumQty),
                                    reason: message[ExecType.self] == .expired ? .expired : .requested))
        case .replaced:
            route.clOrdID = clOrdID
            route.pendingClOrdID = nil
            events.append(.replaced(VenueReplacement(id: number, quantity: message[FIXTag.orderQty]?.decimal?.rounded(toScale: 0).mantissa ?? 0,
                                                     leavesQuantity: leaves, price: message[FIXTag.price]?.decimal,
                                                     stopPrice: message[FIXTag.stopPx]?.decimal, keptPriority: false)))
        case .rejected:
            events.append(.rejected(id: number, reason: message[FIXTag.text]?.string ?? "rejected by the venue"))
        case .orderStatus:
            events += reconcile(order, number: number, with: message)
        default:
            break  // PendingNew, PendingCancel, PendingReplace, DoneForDay: the OMS already knows.
        }
        if route.clOrdID != state.routes[number]?.clOrdID || route.venueOrderID != state.routes[number]?.venueOrderID
            || route.pendingClOrdID != state.routes[number]?.pendingClOrdID {
            save(route, for: number)
        }
        apply(venue: events)
    }

    /// What an order status report from the venue shows that the gateway missed while the
    /// venue was away: fills (at the price that makes the venue's average come out) and an end.
    private mutating func reconcile(_ order: ClientOrder, number: UInt64, with message: FIXMessage) -> [VenueEvent] {
        var events: [VenueEvent] = []
        let venueCum = message[FIXTag.cumQty]?.decimal?.rounded(toScale: 0).mantissa ?? 0
        let missed = venueCum - order.cumQty
        if missed > 0, let average = message[FIXTag.avgPx]?.decimal {
            let venueValue = average * FIXDecimal(mantissa: venueCum)
            let ourValue = order.averagePrice * FIXDecimal(mantissa: order.cumQty)
            let price = (venueValue - ourValue).divided(by: FIXDecimal(mantissa: missed), toScale: 8) ?? average
            let leaves = Int64(message[FIXTag.leavesQty]?.decimal?.rounded(toScale: 0).mantissa ?? 0)
            events.append(.fill(VenueFill(id: number, owner: state.owner(of: order.terms.account), symbol: order.terms.symbol,
                                          side: order.terms.side, price: price, quantity: missed, leavesQuantity: leaves,
                                          tradeID: 0, aggressor: false)))
        }
        switch message[OrderStatus.self] {
        case .canceled, .expired, .rejected:
            state.cancelReasons[number] = state.cancelReasons[number] ?? "found canceled at the venue after it reconnected"
            events.append(.canceled(id: number, canceledQuantity: max(0, order.terms.quantity - max(order.cumQty, venueCum)),
                                    reason: message[OrderStatus.self] == .expired ? .expired : .requested))
        default:
            break
        }
        return events
    }

    /// The venue session logged on: requests the status of every order working there, then
    /// sends the cancels the gateway decided while the venue was away (a kill switch, a mass
    /// cancel, cancel on disconnect), which could not reach it then.
    mutating func venueUp(_ session: String) {
        state.venuesUp.insert(session)
        let dialect = state.settings.venueDialects[session] ?? VenueDialect()
        let working = workingOrders(at: session)
        for (route, order) in working {
            var body = FIXFieldList(reservingCapacity: 96)
            if let venueOrderID = route.venueOrderID { body.append(FIXTag.orderID, venueOrderID) }
            body.append(FIXTag.clOrdID, route.clOrdID)
            body.append(FIXTag.symbol, dialect.venueSymbol(order.terms.symbol))
            body.append(FIXTag.side, Int(order.terms.side.rawValue))
            outbound.append(GatewayOutbound(session: session, type: .orderStatusRequest, body: body))
        }
        for (route, order) in working where route.pendingClOrdID == nil {
            guard let number = state.venueIDByOrderID[order.orderID], state.cancelReasons[number] != nil else { continue }
            _ = requestChange(number, order: order, newTerms: nil)
        }
    }

    /// The venue session went away: new orders for it are refused until it is back, and every
    /// OMS with orders working there is told their state is unknown until then.
    mutating func venueDown(_ session: String) {
        state.venuesUp.remove(session)
        let name = venueName(ofSession: session)
        for (_, original) in workingOrders(at: session) {
            var order = original
            var report = order.statusReport()
            report.text = "venue \(name) disconnected: the order's state there is unknown until it reconnects"
            send(report, to: order.session)
            state.orders[order.orderID] = order
        }
    }

    /// The orders still working at the venue on `session`, in the order they were sent.
    private func workingOrders(at session: String) -> [(route: VenueRoute, order: ClientOrder)] {
        state.routes.sorted { $0.key < $1.key }.compactMap { number, route in
            guard route.session == session, let orderID = state.orderIDByVenueID[number], let order = state.orders[orderID],
                  !order.status.isTerminal else { return nil }
            return (route, order)
        }
    }

    /// The name orders give the venue on `session` (its `VenueName`), for texts.
    func venueName(ofSession session: String) -> String {
        state.settings.fixVenues.first { $0.value == session }?.key ?? session
    }
}

/// A trading halt at a FIX venue: the whole venue, or one instrument there.
struct VenueHalt: Hashable, Sendable {
    var session: String
    /// `nil` for the whole venue.
    var symbol: String?
}

extension GatewayWork {
    /// Follows a venue's TradingSessionStatus (TradSesStatus 340: 1 halted, 2 open, 3 closed)
    /// or SecurityStatus (SecurityTradingStatus 326: 2 halt or 18 not available, 3 resume or
    /// 17 ready to trade), journaled as `venue.status`.
    mutating func venueStatus(_ message: FIXMessage, from session: String, dialect: VenueDialect) {
        let halt: VenueHalt
        let halted: Bool
        switch message.type {
        case .tradingSessionStatus:
            guard let status = message[FIXTag.tradSesStatus]?.int, [1, 2, 3].contains(status) else { return }
            halt = VenueHalt(session: session, symbol: nil)
            halted = status != 2
        case .securityStatus:
            guard let symbol = message[FIXTag.symbol]?.string, let status = message[FIXTag.securityTradingStatus]?.int, [2, 3, 17, 18].contains(status) else { return }
            halt = VenueHalt(session: session, symbol: dialect.canonicalSymbol(symbol))
            halted = status == 2 || status == 18
        default:
            return
        }
        let text = message[FIXTag.text]?.string ?? (halt.symbol == nil ? (message[FIXTag.tradSesStatus]?.int == 3 ? "closed" : "halted") : "halted")
        state.venueHalts[halt] = halted ? text : nil
        record("venue.status", VenueStatusAudit(venue: venueName(ofSession: session), symbol: halt.symbol, halted: halted, text: text))
    }

    /// Why the venue on `session` takes no new orders in `symbol` now, if it said so.
    func haltReason(at session: String, symbol: String) -> String? {
        state.venueHalts[VenueHalt(session: session, symbol: nil)] ?? state.venueHalts[VenueHalt(session: session, symbol: symbol)]
    }
}

/// A venue's trading status change, for the journal.
struct VenueStatusAudit: Codable {
    var venue: String
    var symbol: String?
    var halted: Bool
    var text: String
}

/// A route as journaled: the venue id of the order, and where it went.
struct RouteAudit: Codable {
    var id: UInt64
    var route: VenueRoute
}
