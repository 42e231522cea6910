import FIXCodec
import FIXVocabulary
import Instruments
import OrderEntry

/// An order the gateway sent to a venue over FIX: the venue session, and the ClOrdIDs the
/// gateway uses with the venue (its own, never the OMS's, so two OMS sessions' ClOrdIDs never
/// collide at the venue).
public struct VenueRoute: Sendable, Codable {
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

/// A route as journaled (`route`): the order's number, and where it went.
public struct RouteAudit: Codable, Sendable {
    var id: UInt64
    var route: VenueRoute
}

/// A venue reached over FIX (an exchange through an initiator session, or the venue simulator
/// in another process): it owns its routes, its dialect (``VenueDialect``: its symbols and the
/// fields it wants on every order), its trading halts, and the reconciliation of orders after
/// it was away. Requests go out as FIX messages to its session; its execution reports come
/// back as the same ``VenueEvent``s the in-process venue produces.
public struct FIXVenue: Venue {
    /// The name orders give it (`VenueName`), for texts.
    public let name: String
    /// The venue session's TargetCompID.
    public let session: String
    public let dialect: VenueDialect
    /// When it trades, if the profile says (`TradingCalendar` on its route): outside its hours
    /// new orders are refused here rather than sent to be rejected there.
    private var hours: TradingHours?
    /// Whether its session is logged on now.
    public private(set) var isUp = false
    private var routes: [UInt64: VenueRoute] = [:]
    private var routeByClOrdID: [String: UInt64] = [:]
    /// Why the whole venue (`nil`) or one instrument takes no new orders, in the venue's words.
    private var halts: [String?: String] = [:]
    /// Orders the gateway cancelled while the venue was away: their cancels go at its logon.
    private var cancelsOwed: Set<UInt64> = []

    public init(name: String, session: String, dialect: VenueDialect, calendar: TradingCalendar? = nil) {
        self.name = name
        self.session = session
        self.dialect = dialect
        hours = calendar.map(TradingHours.init)
    }

    // MARK: Requests

    public mutating func refusal(newOrderIn symbol: String, now: Int64) -> String? {
        if !isUp { return "venue \(name) is not connected: orders for it are refused until it is back" }
        if let halt = haltReason(symbol: symbol) { return "venue \(name) has halted \(symbol): \(halt)" }
        if let closed = hours?.closed(now: now) { return "venue \(name) is closed: \(closed)" }
        return nil
    }

    public func refusal(changing request: VenueRequest, replace: Bool) -> String? {
        if !isUp { return "venue \(name) is not connected: the request cannot reach it; try again once it is back" }
        if replace, let halt = haltReason(symbol: request.order.terms.symbol) {
            return "venue \(name) has halted \(request.order.terms.symbol): \(halt)"
        }
        return nil
    }

    /// Sends a NewOrderSingle for an accepted order, under the gateway's OrderID as ClOrdID.
    public mutating func submit(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {
        let orderID = request.order.orderID, terms = request.terms
        save(VenueRoute(session: session, clOrdID: orderID), for: request.number, into: &output)
        var body = FIXFieldList(reservingCapacity: 200)
        body.append(FIXTag.clOrdID, orderID)
        terms.appendFIXFields(to: &body, symbol: dialect.venueSymbol(terms.symbol), transactTime: now)
        for field in dialect.orderFields { body.append(field.tag, field.value) }
        output.messages.append(GatewayOutbound(session: session, type: .newOrderSingle, body: body))
    }

    public mutating func cancel(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {
        if !requestChange(request, newTerms: nil, now: now, into: &output) { cancelsOwed.insert(request.number) }
    }

    public mutating func replace(_ request: VenueRequest, with terms: OrderTerms, now: Int64, into output: inout VenueOutput) {
        _ = requestChange(request, newTerms: terms, now: now, into: &output)
    }

    /// Its route came back with the journal's `route` records (``restore(_:)-(RouteAudit)``).
    public mutating func restore(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {}

    /// A FIX venue keeps its own clock.
    public mutating func advance(to now: Int64, into output: inout VenueOutput) {}

    /// Asks the venue to cancel each day order: a venue that expires them itself answers the
    /// cancel with a reject or an expiry, either of which ends the order here.
    public mutating func endDay(dayOrders: [VenueRequest], now: Int64, into output: inout VenueOutput) {
        for request in dayOrders { cancel(request, now: now, into: &output) }
    }

    public mutating func forget(keeping numbers: Set<UInt64>) {
        routes = routes.filter { numbers.contains($0.key) }
        routeByClOrdID = routeByClOrdID.filter { numbers.contains($0.value) }
        cancelsOwed = cancelsOwed.filter { numbers.contains($0) }
    }

    public var carried: [RouteAudit] {
        routes.keys.sorted().map { RouteAudit(id: $0, route: routes[$0]!) }
    }

    public mutating func restore(_ audit: RouteAudit) -> Bool {
        guard audit.route.session == session else { return false }
        remember(audit.route, for: audit.id)
        return true
    }

    /// Keeps `route` for order `number` and journals it (`route`), so a restart knows which
    /// orders are at which venue under which ClOrdIDs.
    private mutating func save(_ route: VenueRoute, for number: UInt64, into output: inout VenueOutput) {
        remember(route, for: number)
        output.record("route", RouteAudit(id: number, route: route))
    }

    private mutating func remember(_ route: VenueRoute, for number: UInt64) {
        routes[number] = route
        routeByClOrdID[route.clOrdID] = number
        if let pending = route.pendingClOrdID { routeByClOrdID[pending] = number }
    }

    /// Sends an OrderCancelRequest (or, with `newTerms`, an OrderCancelReplaceRequest) for a
    /// routed order. `false` when the venue is not connected (nothing sent).
    private mutating func requestChange(_ request: VenueRequest, newTerms: OrderTerms?, now: Int64,
                                        into output: inout VenueOutput) -> Bool {
        guard var route = routes[request.number], isUp else { return false }
        let order = request.order
        route.changes += 1
        let clOrdID = "\(order.orderID)-\(route.changes)"
        route.pendingClOrdID = clOrdID
        save(route, for: request.number, into: &output)
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
        output.messages.append(GatewayOutbound(session: session, type: type, body: body))
        return true
    }

    // MARK: What the venue says

    public mutating func received(_ message: FIXMessage, now: Int64, order: (UInt64) -> ClientOrder?, into output: inout VenueOutput) {
        switch message.type {
        case .executionReport, .orderCancelReject: report(message, order: order, into: &output)
        case .tradingSessionStatus, .securityStatus: status(message, into: &output)
        default: break
        }
    }

    /// An ExecutionReport or OrderCancelReject, read into venue events for the order it names.
    private mutating func report(_ message: FIXMessage, order lookup: (UInt64) -> ClientOrder?, into output: inout VenueOutput) {
        let clOrdID = message[FIXTag.clOrdID]?.string ?? ""
        guard let number = routeByClOrdID[clOrdID] ?? message[FIXTag.origClOrdID].flatMap({ routeByClOrdID[$0.string] }),
              var route = routes[number], let order = lookup(number) else {
            return
        }
        let before = route
        if let venueOrderID = message[FIXTag.orderID]?.string, venueOrderID != "NONE" { route.venueOrderID = venueOrderID }
        if message[ExecType.self] == .canceled || message[ExecType.self] == .expired { route.pendingClOrdID = nil }
        if message.type == .orderCancelReject {
            // The venue refused the cancel or replace: the order stands as it was.
            route.pendingClOrdID = nil
            save(route, for: number, into: &output)
            output.events.append(.changeRefused(id: number, replace: message[FIXTag.cxlRejResponseTo]?.int == 2,
                                                reason: message[CxlRejReason.self] ?? .other,
                                                text: "venue refused: \(message[FIXTag.text]?.string ?? "no reason given")"))
            return
        }
        let leaves = Self.contracts(message[FIXTag.leavesQty])
        switch message[ExecType.self] {
        case .new:
            output.events.append(.accepted(id: number))
        case .trade:
            guard let quantity = message[FIXTag.lastQty]?.decimal?.rounded(toScale: 0).mantissa,
                  let price = message[FIXTag.lastPx]?.decimal else { break }
            output.events.append(.fill(Self.fill(number, order, price: price, quantity: quantity, leaves: leaves)))
        case .canceled, .expired:
            if clOrdID != before.pendingClOrdID {
                output.cancelTexts[number] = "canceled by the venue\(message[FIXTag.text].map { ": \($0.string)" } ?? "")"
            }
            output.events.append(.canceled(id: number, canceledQuantity: max(0, order.terms.quantity - order.cumQty),
                                           reason: message[ExecType.self] == .expired ? .expired : .requested))
        case .replaced:
            route.clOrdID = clOrdID
            route.pendingClOrdID = nil
            output.events.append(.replaced(VenueReplacement(
                id: number, quantity: Self.contracts(message[FIXTag.orderQty]), leavesQuantity: leaves,
                price: message[FIXTag.price]?.decimal, stopPrice: message[FIXTag.stopPx]?.decimal, keptPriority: false)))
        case .rejected:
            output.events.append(.rejected(id: number, reason: message[FIXTag.text]?.string ?? "rejected by the venue"))
        case .orderStatus:
            reconcile(order, number: number, with: message, into: &output)
        default:
            break  // PendingNew, PendingCancel, PendingReplace, DoneForDay: the OMS already knows.
        }
        if route.clOrdID != before.clOrdID || route.venueOrderID != before.venueOrderID || route.pendingClOrdID != before.pendingClOrdID {
            save(route, for: number, into: &output)
        }
    }

    /// What an order status report from the venue shows that the gateway missed while the
    /// venue was away: fills (at the price that makes the venue's average come out) and an end.
    private func reconcile(_ order: ClientOrder, number: UInt64, with message: FIXMessage, into output: inout VenueOutput) {
        let venueCum = Self.contracts(message[FIXTag.cumQty])
        let missed = venueCum - order.cumQty
        if missed > 0, let average = message[FIXTag.avgPx]?.decimal {
            let venueValue = average * FIXDecimal(mantissa: venueCum)
            let ourValue = order.averagePrice * FIXDecimal(mantissa: order.cumQty)
            let price = (venueValue - ourValue).divided(by: FIXDecimal(mantissa: missed), toScale: 8) ?? average
            output.events.append(.fill(Self.fill(number, order, price: price, quantity: missed, leaves: Self.contracts(message[FIXTag.leavesQty]))))
        }
        switch message[OrderStatus.self] {
        case .canceled, .expired, .rejected:
            output.cancelTexts[number] = "found canceled at the venue after it reconnected"
            output.events.append(.canceled(id: number, canceledQuantity: max(0, order.terms.quantity - max(order.cumQty, venueCum)),
                                           reason: message[OrderStatus.self] == .expired ? .expired : .requested))
        default:
            break
        }
    }

    /// A fill the venue reported. The venue's self-trade prevention is its own: no owner here.
    private static func fill(_ number: UInt64, _ order: ClientOrder, price: FIXDecimal, quantity: Int64, leaves: Int64) -> VenueFill {
        VenueFill(id: number, owner: 0, symbol: order.terms.symbol, side: order.terms.side, price: price, quantity: quantity,
                  leavesQuantity: leaves, tradeID: 0, aggressor: false)
    }

    /// A quantity field as whole contracts (0 when absent).
    private static func contracts(_ value: FIXValue?) -> Int64 {
        Int64(value?.decimal?.rounded(toScale: 0).mantissa ?? 0)
    }

    // MARK: The venue's session

    /// Logged on: asks the status of every order working there, then sends the cancels the
    /// gateway decided while the venue was away (a kill switch, a mass cancel, cancel on
    /// disconnect), which could not reach it then. Gone: new orders are refused until it is
    /// back (the gateway tells the OMS of each order working there).
    public mutating func connected(_ up: Bool, now: Int64, order lookup: (UInt64) -> ClientOrder?, into output: inout VenueOutput) {
        isUp = up
        guard up else { return }
        let working = routes.sorted { $0.key < $1.key }.compactMap { number, route -> (UInt64, VenueRoute, ClientOrder)? in
            guard let order = lookup(number), !order.status.isTerminal else { return nil }
            return (number, route, order)
        }
        for (_, route, order) in working {
            var body = FIXFieldList(reservingCapacity: 96)
            if let venueOrderID = route.venueOrderID { body.append(FIXTag.orderID, venueOrderID) }
            body.append(FIXTag.clOrdID, route.clOrdID)
            body.append(FIXTag.symbol, dialect.venueSymbol(order.terms.symbol))
            body.append(FIXTag.side, Int(order.terms.side.rawValue))
            output.messages.append(GatewayOutbound(session: session, type: .orderStatusRequest, body: body))
        }
        for (number, route, order) in working where route.pendingClOrdID == nil && cancelsOwed.contains(number) {
            cancelsOwed.remove(number)
            _ = requestChange(VenueRequest(number: number, order: order, owner: 0), newTerms: nil, now: now, into: &output)
        }
    }

    /// A TradingSessionStatus (TradSesStatus 340: 1 halted, 2 open, 3 closed) or SecurityStatus
    /// (SecurityTradingStatus 326: 2 halt or 18 not available, 3 resume or 17 ready to trade),
    /// journaled as `venue.status`: while the venue or an instrument is halted, new orders and
    /// replaces for it are refused at the gateway, with the venue's words. Cancels still go.
    private mutating func status(_ message: FIXMessage, into output: inout VenueOutput) {
        let symbol: String?
        let halted: Bool
        switch message.type {
        case .tradingSessionStatus:
            guard let status = message[FIXTag.tradSesStatus]?.int, [1, 2, 3].contains(status) else { return }
            symbol = nil
            halted = status != 2
        case .securityStatus:
            guard let venueSymbol = message[FIXTag.symbol]?.string, let status = message[FIXTag.securityTradingStatus]?.int,
                  [2, 3, 17, 18].contains(status) else { return }
            symbol = dialect.canonicalSymbol(venueSymbol)
            halted = status == 2 || status == 18
        default:
            return
        }
        let text = message[FIXTag.text]?.string ?? (symbol == nil ? (message[FIXTag.tradSesStatus]?.int == 3 ? "closed" : "halted") : "halted")
        halts[symbol] = halted ? text : nil
        output.record("venue.status", VenueStatusAudit(venue: name, symbol: symbol, halted: halted, text: text))
    }

    public var status: VenueStatus {
        VenueStatus(name: name, session: session, connected: isUp,
                    halts: halts.map { VenueStatus.Halt(symbol: $0.key, reason: $0.value) }.sorted { ($0.symbol ?? "") < ($1.symbol ?? "") })
    }

    /// Why the venue takes no new orders in `symbol` now, if it said so.
    private func haltReason(symbol: String) -> String? {
        halts[nil] ?? halts[symbol]
    }
}

/// A venue's trading status change, for the journal.
struct VenueStatusAudit: Codable {
    var venue: String
    var symbol: String?
    var halted: Bool
    var text: String
}
