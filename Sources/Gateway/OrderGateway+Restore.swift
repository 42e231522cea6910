import FIXCodec
import Foundation
import Instruments
import RiskSidecar
import SimulatedVenue

extension OrderGateway {
    /// What a restart found in the journal.
    public struct Restored: Sendable {
        public var orders: Int
        public var workingOrders: Int
        public var fills: Int
        public var nextOrderNumber: UInt64
    }

    /// Rebuilds orders, positions, the next OrderID, engaged kill switches and the orders at
    /// FIX venues from the gateway's journaled events (kinds `order`, `fill`,
    /// `risk.killSwitch` and `route`, oldest first), after a restart. An order at a FIX venue
    /// stays there: it is reconciled by status request when the venue session logs on.
    ///
    /// Working orders go back onto the venue for what they have left, under their old
    /// OrderIDs, and back into the risk sidecar; nothing is reported to the OMS again (what
    /// was sent is in the session journal, and resent from there if asked). A cancel or
    /// replace left pending by the crash is completed as a cancel, and reported.
    public func restore(events: [(kind: String, json: String)], now: Int64) -> (Restored, [GatewayOutbound]) {
        let decoder = JSONDecoder()
        var latest: [String: GatewayOrder] = [:]
        var fills: [FillAudit] = []
        var switches: [KillSwitchRecord] = []
        var routes: [UInt64: VenueRoute] = [:]
        for event in events {
            let data = Data(event.json.utf8)
            switch event.kind {
            case "order": if let audit = try? decoder.decode(OrderAudit.self, from: data) { latest[audit.order.orderID] = audit.order }
            case "fill": if let fill = try? decoder.decode(FillAudit.self, from: data) { fills.append(fill) }
            case "risk.killSwitch": if let record = try? decoder.decode(KillSwitchRecord.self, from: data) { switches.append(record) }
            case "route": if let audit = try? decoder.decode(RouteAudit.self, from: data) { routes[audit.id] = audit.route }
            default: continue
            }
        }
        return perform(now: now) { work in
            for (number, route) in routes {
                work.state.routes[number] = route
                work.state.routeByClOrdID[route.clOrdID] = number
                if let pending = route.pendingClOrdID { work.state.routeByClOrdID[pending] = number }
            }
            for fill in fills { _ = try? work.state.positions.apply(fill.fill) }
            var working = 0
            for order in latest.values.sorted(by: { $0.orderID < $1.orderID }) {
                work.restore(order)
                if !order.status.isTerminal { working += 1 }
            }
            // A kill switch stays engaged across a restart until a person releases it; an order
            // the crash left working under it is cancelled now.
            let risk = work.risk
            for record in switches {
                if let person = record.releasedBy {
                    _ = risk.releaseKillSwitch(record.level, by: person, now: record.releasedAt ?? now)
                } else {
                    for working in risk.engageKillSwitch(record.level, by: record.engagedBy, reason: record.reason, now: record.engagedAt) {
                        work.cancelForRisk(orderID: working.key.value, reason: "kill switch: \(record.reason)")
                    }
                }
            }
            work.updateMarks()
            let restored = Restored(orders: latest.count, workingOrders: working, fills: fills.count,
                                    nextOrderNumber: work.state.nextOrderNumber)
            return (restored, work.outbound)
        }
    }
}

extension GatewayWork {
    /// One journaled order back in the gateway, and on the venue if it is still working.
    mutating func restore(_ order: GatewayOrder) {
        let number = UInt64(order.orderID.dropFirst(2)) ?? 0
        state.nextOrderNumber = max(state.nextOrderNumber, number + 1)
        state.orders[order.orderID] = order
        state.clOrdIDs[order.session, default: [:]][order.clOrdID] = order.orderID
        if let original = order.origClOrdID { state.clOrdIDs[order.session, default: [:]][original] = order.orderID }
        if let pending = order.pending { state.clOrdIDs[order.session, default: [:]][pending.clOrdID] = order.orderID }
        guard !order.status.isTerminal, let instrument = state.catalog.instrument(symbol: order.terms.symbol) else { return }
        let leaves = order.terms.quantity - order.cumQty
        let riskOrder = RiskOrder(key: RiskOrderKey(order.orderID), clOrdID: order.clOrdID, account: order.terms.account,
                                  session: order.session, symbol: order.terms.symbol, root: instrument.root, side: order.terms.side,
                                  quantity: order.terms.quantity, type: order.terms.type.riskType, price: order.terms.price,
                                  stopPrice: order.terms.stopPrice, timeInForce: order.terms.timeInForce.riskTimeInForce)
        risk.restoreWorkingOrder(riskOrder, filledQuantity: order.cumQty, acknowledged: order.status != .pendingNew)
        state.orderIDByVenueID[number] = order.orderID
        state.venueIDByOrderID[order.orderID] = number
        guard state.routes[number] == nil else { return }
        let owner = state.owner(of: order.terms.account)
        var events = state.venue.submit(VenueOrder(id: number, owner: owner, symbol: order.terms.symbol, side: order.terms.side,
                                                   type: order.terms.venueType, quantity: leaves,
                                                   timeInForce: order.terms.venueTimeInForce), now: now)
        // The resubmission's own acknowledgement is not news to the OMS.
        events.removeAll { $0 == .accepted(id: number) }
        apply(venue: events)
        if order.pending != nil {
            apply(venue: state.venue.cancel(id: number, symbol: order.terms.symbol, now: now))
        }
    }
}
