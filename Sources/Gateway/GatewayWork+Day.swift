import FIXCodec
import FIXVocabulary
import Foundation
import Instruments
import MarketDataFeed
import Positions
import RiskSidecar
import SimulatedVenue
import Signals
import OrderEntry

/// What the end of a trading day decided, journaled as `day.end`: the restore point. A restart
/// rebuilds the gateway from the last one and the events after it, so its cost does not grow
/// with the number of days journaled.
public struct DayEndRecord: Codable, Sendable {
    /// The trading day that ended, and the one that began (`YYYY-MM-DD`).
    public var tradingDate: String
    public var nextTradingDate: String
    public var time: Int64
    /// Who forced the roll and why; absent when it came on schedule.
    public var by: String?
    public var reason: String?
    /// The prices positions were re-based at, by symbol.
    public var settlements: [String: FIXDecimal]
    /// Positions carried into the next day, at their settlement price.
    public var positions: [CarriedPosition]
    /// OrderIDs of the day orders the roll expired.
    public var expired: [String]
    /// Every order still working (GTC, GTD, and day orders whose cancel a FIX venue has yet to
    /// confirm), as it stood.
    public var orders: [ClientOrder]
    /// The orders at FIX venues among them, by venue id.
    var routes: [RouteAudit]
    /// Kill switches still engaged.
    public var killSwitches: [KillSwitchRecord]
    public var nextOrderNumber: UInt64
    /// Contracts past their last trade date, no longer listed; and the months listed anew.
    public var delisted: [String] = []
    public var listed: [String] = []
    /// Trading states set by a person (absent in journals written before they were kept).
    public var tradingStates: [TradingStateRecord]? = nil
}

/// One account's position in one contract carried over a day's end.
public struct CarriedPosition: Codable, Sendable, Hashable {
    public var account: String
    public var symbol: String
    public var root: String
    public var multiplier: FIXDecimal
    public var quantity: Int64
    public var settlement: FIXDecimal

    /// The position as a fill at its settlement price: how a restore opens it again.
    func fill(tradingDate: String, time: Int64) -> FillAudit {
        FillAudit(account: account, session: nil, symbol: symbol, root: root, multiplier: multiplier,
                  side: quantity > 0 ? .buy : .sell, quantity: quantity.magnitude > UInt64(Int64.max) ? .max : abs(quantity),
                  price: settlement, execID: "CARRY-\(tradingDate)-\(account)-\(symbol)", time: time)
    }
}

extension GatewayWork {
    /// Ends the trading day `state.tradingDate`: day orders expire (ExecType C to the OMS; a
    /// cancel to a FIX venue), positions are re-based at settlement, the daily loss, the
    /// per-day counts and the day's ClOrdIDs start again, finished orders are forgotten, and
    /// the decisions are journaled as `day.end`. GTC and GTD orders stay working.
    mutating func endDay(next: CalendarDate, by person: String?, reason: String?) -> DayEndRecord {
        let ending = state.tradingDate
        advanceVenues()
        updateMarks()

        // Day orders: each venue ends its own (the simulated venue cancels them, a FIX venue is
        // asked to); each is reported to the OMS as Expired when it is gone (``apply(venue:)``).
        let text = "day order expired at the end of trading day \(ending)"
        var dayOrders: [Int: [VenueRequest]] = [:]
        for order in state.orders.working(where: { $0.terms.timeInForce == .day }) {
            guard let (index, number) = placement(of: order) else { continue }
            state.expiring.insert(number)
            state.cancelReasons[number] = text
            dayOrders[index, default: []].append(VenueRequest(number: number, order: order, owner: state.owner(of: order.terms.account)))
        }
        for index in state.venues.indices {
            guard var venue = take(index) else { continue }
            var output = VenueOutput()
            venue.endDay(dayOrders: dayOrders[index] ?? [], now: now, into: &output)
            put(venue, at: index, output)
        }

        // Contracts past their last trade date are delisted, their orders expired; new months
        // are listed, on the simulated venue too.
        let listing = state.catalog.reference.catalog(on: next)
        let delisted = state.catalog.instruments.map(\.symbol).filter { listing.instrument(symbol: $0) == nil }
        for symbol in delisted { state.snapshots.remove(symbol) }
        for order in state.orders.working(where: { delisted.contains($0.terms.symbol) }) {
            guard let number = state.venueIDByOrderID[order.orderID] else { continue }
            state.expiring.insert(number)
            cancelForRisk(orderID: order.orderID, reason: "\(order.terms.symbol) expired: delisted at the end of trading day \(ending)")
        }
        let expired = state.expiredToday

        // Settlement: a FIX venue's published settlement, else the simulated venue's price at
        // the calendar's settlement time, else its mark now.
        var settlements: [String: FIXDecimal] = [:]
        for instrument in state.catalog.instruments {
            if let price = state.venueSettlements[instrument.symbol] ?? state.settlements[instrument.symbol]
                ?? state.market?.mark(symbol: instrument.symbol) {
                settlements[instrument.symbol] = price
            }
        }
        for position in state.positions.positions() where position.quantity != 0 && settlements[position.symbol] == nil {
            settlements[position.symbol] = position.mark.price
        }
        let held = Set(state.positions.positions().filter { $0.quantity != 0 }.map(\.symbol))
        do {
            try state.positions.startDay(settlements: settlements.filter { held.contains($0.key) })
        } catch {
            record("positions.error", ["error": "day end \(ending): \(error)"])
        }
        risk.startNewDay()
        updateMarks()

        // The day's ClOrdIDs go; those of orders still working stay, so they can be cancelled.
        state.orders.removeDone()
        for (session, ids) in state.clOrdIDs { state.clOrdIDs[session] = ids.filter { state.orders[$0.value] != nil } }
        let numbers = Set(state.orders.keys.compactMap { state.venueIDByOrderID[$0] })
        state.orderIDByVenueID = state.orderIDByVenueID.filter { numbers.contains($0.key) }
        state.venueIDByOrderID = state.venueIDByOrderID.filter { state.orders[$0.key] != nil }
        state.venueOfOrder = state.venueOfOrder.filter { numbers.contains($0.key) }
        for index in state.venues.indices { state.venues[index]?.forget(keeping: numbers) }
        state.expiredToday.removeAll()
        state.recentFills.removeAll()
        state.recentWarnings.removeAll()
        state.venueSettlements.removeAll()
        state.settlements.removeAll()
        state.tradingDate = next
        let listed = list(listing)
        updateMarks(symbols: listed)

        let carried = state.positions.positions().filter { $0.quantity != 0 }.map { position in
            CarriedPosition(account: position.account, symbol: position.symbol, root: position.root, multiplier: position.multiplier,
                            quantity: position.quantity, settlement: settlements[position.symbol] ?? position.mark.price)
        }
        let dayEnd = DayEndRecord(
            tradingDate: ending.description, nextTradingDate: next.description, time: now, by: person, reason: reason,
            settlements: settlements, positions: carried.sorted { ($0.account, $0.symbol) < ($1.account, $1.symbol) },
            expired: expired, orders: state.orders.values.sorted { $0.orderID < $1.orderID },
            routes: state.venues.flatMap { $0?.carried ?? [] }.sorted { $0.id < $1.id },
            killSwitches: risk.killSwitchHistory.filter(\.isEngaged), nextOrderNumber: state.nextOrderNumber,
            delisted: delisted, listed: listed.filter { listing.instrument(symbol: $0)?.kind == .future },
            tradingStates: state.tradingStates.values.sorted { $0.scope < $1.scope })
        // The day's prices as the snapshots journaled them, for the signals' next start.
        for day in GatewaySignalHistory.records(state.dailyMarks.take(through: ending)) { record(GatewaySignalHistory.dailyKind, day) }
        record("day.end", dayEnd)
        return dayEnd
    }

    /// Folds a journaled snapshot's prices (each instrument's mark, else its last) into the
    /// trading day in progress: once a snapshot interval, a price per instrument.
    mutating func keepDailyMarks(_ snapshot: MarketDataSnapshots.Snapshot) {
        let date = state.tradingDate
        let catalog = state.catalog
        for entry in snapshot.instruments {
            guard let price = (entry.mark ?? entry.last).flatMap(FIXDecimal.init) else { continue }
            state.dailyMarks.add(date: date, symbol: entry.symbol, price: price) { _, symbol in catalog.instrument(symbol: symbol) }
        }
    }
}

extension GatewayWork {
    /// At the calendar's settlement time (14:30 New York for CME energy), the simulated venue's
    /// marks become the day's settlement prices, journaled (`day.settlement`) as what the
    /// day's end will re-base positions at.
    mutating func takeSettlementIfDue() {
        guard state.settlements.isEmpty, let minute = state.calendar.settlement,
              now >= state.calendar.zone.instant(state.tradingDate, minute: minute), now < state.calendar.end(of: state.tradingDate)
        else { return }
        for instrument in state.catalog.instruments {
            if let mark = state.market?.mark(symbol: instrument.symbol) { state.settlements[instrument.symbol] = mark }
        }
        record("day.settlement", ["tradingDate": state.tradingDate.description,
                                  "prices": state.settlements.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")])
    }

    /// Makes `listing` what the gateway and the simulated venue trade; the symbols listed anew.
    @discardableResult
    mutating func list(_ listing: InstrumentCatalog) -> [String] {
        var listed: [String] = []
        for index in state.venues.indices {
            guard var venue = take(index) else { continue }
            for symbol in venue.relist(listing) where !listed.contains(symbol) { listed.append(symbol) }
            state.venues[index] = venue
        }
        state.catalog = listing
        return listed
    }
}
