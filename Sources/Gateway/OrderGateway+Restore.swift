import FIXCodec
import FIXJournal
import Foundation
import Instruments
import RiskSidecar
import SimulatedVenue
import OrderEntry

/// One of the gateway's journaled events, as a restore reads it: the journal's row id names it
/// in an error.
public struct GatewayRecord: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    public var json: String
    /// When it was journaled, nanoseconds since the epoch (when known).
    public var time: Int64?

    public init(id: Int64, kind: String, json: String, time: Int64? = nil) {
        self.id = id
        self.kind = kind
        self.json = json
        self.time = time
    }
}

extension GatewayRecord {
    /// What a restart reads from `journal`: the last `day.end` (the restore point) and every
    /// event after it of the kinds a restore reads (``OrderGateway/restoredKinds``), oldest first.
    public static func restorePoint(in journal: Journal) throws(JournalError) -> [GatewayRecord] {
        try journal.events(fromLast: "day.end").filter { OrderGateway.restoredKinds.contains($0.kind) }
            .map { GatewayRecord(id: $0.id, kind: $0.kind, json: $0.json, time: $0.time) }
    }
}

/// A journaled event the restore could not read: the appliance does not start on a journal it
/// would rebuild only in part.
public struct GatewayRestoreError: Error, CustomStringConvertible, Sendable {
    public var record: Int64
    public var kind: String
    public var reason: String

    public var description: String {
        "journaled event \(record) (kind \(kind)) cannot be read: \(reason)"
    }
}

extension OrderGateway {
    /// What a restart found in the journal.
    public struct Restored: Sendable {
        public var orders: Int
        public var workingOrders: Int
        public var fills: Int
        public var nextOrderNumber: UInt64
    }

    /// The kinds of journaled event a restore reads.
    public static let restoredKinds: Set<String> = ["order", "fill", "risk.killSwitch", "risk.tradingState", "route", "day.end"]

    /// Rebuilds, from the last `day.end` on (its orders, positions, switches and routes; every
    /// event when there is none), orders, positions (in the position book and in the risk sidecar's limits), the
    /// next OrderID, kill switches, trading states and the orders at FIX venues from the gateway's journaled
    /// events (kinds ``restoredKinds``, oldest first), after a restart. An order at a FIX venue
    /// stays there: it is reconciled by status request when the venue session logs on.
    ///
    /// State is rebuilt, never re-executed: a kill switch comes back engaged or released as its
    /// last record left it and cancels nothing (the orders it cancelled were journaled as
    /// cancelled), a fill counts into positions without being a new fill. Working orders go back
    /// onto the venue for what they have left, under their old OrderIDs, and back into the risk
    /// sidecar; nothing is reported to the OMS again (what was sent is in the session journal,
    /// and resent from there if asked). A cancel or replace left pending by the crash is
    /// completed as a cancel, and reported, at the in-process venue; at a FIX venue it stays
    /// pending for the venue's answer, as does an order the venue had not acknowledged.
    ///
    /// - Throws: the first record that cannot be read, by its journal row id: nothing is skipped.
    public func restore(events: [GatewayRecord], now: Int64) throws(GatewayRestoreError) -> (Restored, [GatewayOutbound]) {
        let decoder = JSONDecoder()
        var latest: [String: ClientOrder] = [:]
        /// The journal row each order's latest state came from.
        var orderRecords: [String: Int64] = [:]
        var fills: [(id: Int64, audit: FillAudit)] = []
        var switches: [KillSwitchRecord] = []
        var tradingStates: [String: TradingStateRecord] = [:]
        var routes: [UInt64: (record: Int64, route: VenueRoute)] = [:]
        var tradingDate: CalendarDate?
        var nextOrderNumber: UInt64 = 1
        func decode<T: Decodable>(_ type: T.Type, _ event: GatewayRecord) throws(GatewayRestoreError) -> T {
            do {
                return try decoder.decode(type, from: Data(event.json.utf8))
            } catch {
                throw GatewayRestoreError(record: event.id, kind: event.kind, reason: "\(error)")
            }
        }
        for event in events {
            switch event.kind {
            case "order":
                let order = try decode(OrderAudit.self, event).order
                latest[order.orderID] = order
                orderRecords[order.orderID] = event.id
            case "fill": fills.append((event.id, try decode(FillAudit.self, event)))
            case "risk.killSwitch": switches.append(try decode(KillSwitchRecord.self, event))
            case "risk.tradingState":
                let record = try decode(TradingStateRecord.self, event)
                guard TradingStateScope(scope: record.scope) != nil else {
                    throw GatewayRestoreError(record: event.id, kind: event.kind, reason: "scope '\(record.scope)' is not firm or account:<name>")
                }
                tradingStates[record.scope] = record
            case "route":
                let audit = try decode(RouteAudit.self, event)
                routes[audit.id] = (event.id, audit.route)
            case "day.end":
                // A restore point: everything before it is summed up in it.
                let day = try decode(DayEndRecord.self, event)
                guard let next = CalendarDate(iso: day.nextTradingDate) else {
                    throw GatewayRestoreError(record: event.id, kind: event.kind, reason: "nextTradingDate '\(day.nextTradingDate)' is not a date")
                }
                tradingDate = next
                latest = Dictionary(day.orders.map { ($0.orderID, $0) }, uniquingKeysWith: { $1 })
                orderRecords = latest.mapValues { _ in event.id }
                fills = day.positions.map { (event.id, $0.fill(tradingDate: day.tradingDate, time: day.time)) }
                switches = day.killSwitches
                tradingStates = Dictionary((day.tradingStates ?? []).map { ($0.scope, $0) }, uniquingKeysWith: { $1 })
                routes = Dictionary(day.routes.map { ($0.id, (event.id, $0.route)) }, uniquingKeysWith: { $1 })
                nextOrderNumber = day.nextOrderNumber
            default: continue
            }
        }
        let result: Result<(Restored, [GatewayOutbound]), GatewayRestoreError> = perform(now: now) { work in
            // Without a day's end journaled, the events belong to the trading day the first of
            // them was written in: if that day is over, the first tick ends it (its day orders
            // expire), as it would have had the appliance been running.
            let firstTime = events.lazy.compactMap(\.time).first
            let started = firstTime.map { work.state.calendar.tradingDate(at: $0) }.flatMap { $0 < work.state.tradingDate ? $0 : nil }
            if let tradingDate = tradingDate ?? started {
                work.state.tradingDate = tradingDate
                // What was listed that day, whatever day the appliance started on.
                if work.state.catalog.tradingDate != tradingDate { work.list(work.state.catalog.reference.catalog(on: tradingDate)) }
            }
            work.state.nextOrderNumber = max(work.state.nextOrderNumber, nextOrderNumber)
            for (number, (record, route)) in routes.sorted(by: { $0.key < $1.key }) {
                let audit = RouteAudit(id: number, route: route)
                guard let index = work.state.venues.indices.first(where: { work.state.venues[$0]?.restore(audit) == true }) else {
                    return .failure(GatewayRestoreError(record: record, kind: "route",
                                                        reason: "order \(number) was routed to venue session \(route.session), which this profile no longer has"))
                }
                work.state.venueOfOrder[number] = index
                // A routed order's number is taken, whatever became of its order records.
                work.state.nextOrderNumber = max(work.state.nextOrderNumber, number + 1)
            }
            for (id, fill) in fills {
                do {
                    // A fill journaled twice (its ExecID seen) counts once, in both books.
                    if case .duplicate = try work.state.positions.apply(fill.fill) { continue }
                } catch {
                    return .failure(GatewayRestoreError(record: id, kind: "fill", reason: "fill \(fill.execID) does not apply to positions: \(error)"))
                }
                work.risk.restoreFill(fill.riskFill)
            }
            // Switches first: an order restored below is checked against nothing, but the
            // switches' state must be what it was before any event after the restart.
            for record in switches { work.risk.restoreKillSwitch(record) }
            for record in tradingStates.values {
                // Checked as it was read: the scope parses.
                if let scope = TradingStateScope(scope: record.scope) {
                    work.risk.setTradingState(record.state, for: scope, by: record.by, now: record.time)
                }
            }
            work.state.tradingStates = tradingStates
            var working = 0
            for order in latest.values.sorted(by: { $0.orderID < $1.orderID }) {
                guard work.restore(order) else {
                    return .failure(GatewayRestoreError(record: orderRecords[order.orderID] ?? 0, kind: "order",
                                                        reason: "working order \(order.orderID) was at the in-process venue, which this profile no longer has"))
                }
                if !order.status.isTerminal { working += 1 }
            }
            work.updateMarks()
            let restored = Restored(orders: latest.count, workingOrders: working, fills: fills.count,
                                    nextOrderNumber: work.state.nextOrderNumber)
            return .success((restored, work.outbound))
        }
        return try result.get()
    }
}

extension GatewayWork {
    /// One journaled order back in the gateway, and on the venue if it is still working.
    /// `false` when the order is working and no venue can hold it.
    mutating func restore(_ order: ClientOrder) -> Bool {
        let number = UInt64(order.orderID.dropFirst(2)) ?? 0
        state.nextOrderNumber = max(state.nextOrderNumber, number + 1)
        state.orders[order.orderID] = order
        state.clOrdIDs[order.session, default: [:]][order.clOrdID] = order.orderID
        if let original = order.origClOrdID { state.clOrdIDs[order.session, default: [:]][original] = order.orderID }
        if let pending = order.pending { state.clOrdIDs[order.session, default: [:]][pending.clOrdID] = order.orderID }
        guard !order.status.isTerminal, let instrument = state.catalog.instrument(symbol: order.terms.symbol) else { return true }
        let riskOrder = RiskOrder(key: RiskOrderKey(order.orderID), clOrdID: order.clOrdID, account: order.terms.account,
                                  session: order.session, symbol: order.terms.symbol, root: instrument.root, side: order.terms.side,
                                  quantity: order.terms.quantity, type: order.terms.type, price: order.terms.price,
                                  stopPrice: order.terms.stopPrice, timeInForce: order.terms.timeInForce)
        risk.restoreWorkingOrder(riskOrder, filledQuantity: order.cumQty, acknowledged: order.status != .pendingNew)
        if let pending = order.pending, case .replace(let newTerms) = pending.kind {
            // A replace the crash left unanswered counts as it did when the sidecar accepted
            // it, so that the venue's answer (replaced, or refused) moves the sidecar to the
            // terms the gateway then holds, not leaves it on the old ones.
            _ = risk.check(RiskReplace(key: RiskOrderKey(order.orderID), clOrdID: pending.clOrdID, session: order.session,
                                       quantity: newTerms.quantity, type: newTerms.type, price: newTerms.price,
                                       stopPrice: newTerms.stopPrice, timeInForce: newTerms.timeInForce), now: now)
        }
        state.orderIDByVenueID[number] = order.orderID
        state.venueIDByOrderID[order.orderID] = number
        // An order without a route was at the in-process venue; a routed one is its venue's.
        guard let index = state.venueOfOrder[number] ?? state.defaultVenue, var venue = take(index) else { return false }
        state.venueOfOrder[number] = index
        var output = VenueOutput()
        venue.restore(VenueRequest(number: number, order: order, owner: state.owner(of: order.terms.account)), now: now, into: &output)
        put(venue, at: index, output)
        return true
    }
}
