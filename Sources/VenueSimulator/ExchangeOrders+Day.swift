import FIXCodec
import FIXJournal
import Foundation
import Instruments
import MarketDataFeed
import OrderEntry
import RiskSidecar
import SimulatedVenue

/// The end of one of the exchange's trading days, journaled (`exchange.day.end`) as the point a
/// restart restores from: the orders still working and the kill switches still engaged.
public struct ExchangeDayEnd: Codable, Sendable {
    /// The trading day that ended and the one that began (`YYYY-MM-DD`).
    public var tradingDate: String
    public var nextTradingDate: String
    public var time: Int64
    /// Who forced the end and why; absent when it came on schedule.
    public var by: String?
    public var reason: String?
    /// OrderIDs of the day orders (and orders in delisted contracts) that expired.
    public var expired: [String]
    /// Every order still working (GTC and GTD), as it stood.
    public var orders: [ClientOrder]
    public var killSwitches: [KillSwitchRecord]
    public var nextOrderNumber: UInt64
    /// Contracts no longer listed, and those listed anew.
    public var delisted: [String]
    public var listed: [String]

    public static let kind = "exchange.day.end"
}

extension ExchangeOrders {
    /// Ends the trading day if its end has come (a timer calls this); `nil` when it has not.
    /// After a long stop the exchange rolls once, to the day `now` falls in.
    public mutating func rollIfDue(now: Int64) -> (ExchangeDayEnd, [ExchangeMessage])? {
        guard now >= calendar.end(of: tradingDate) else { return nil }
        var dayEnd: ExchangeDayEnd?
        let sent = at(now) { dayEnd = $0.endDay(next: $0.calendar.tradingDate(at: now), by: nil, reason: nil) }
        return dayEnd.map { ($0, sent) }
    }

    /// Ends the trading day now, in `person`'s name, whatever the calendar says.
    public mutating func roll(by person: String, reason: String, now: Int64) -> (ExchangeDayEnd, [ExchangeMessage]) {
        var dayEnd: ExchangeDayEnd?
        let sent = at(now) { dayEnd = $0.endDay(next: $0.calendar.next(after: $0.tradingDate), by: person, reason: reason) }
        return (dayEnd!, sent)
    }

    /// Day orders expire (150=C), as do orders in contracts no longer listed; the next day's
    /// listing comes onto the books; the day's ClOrdIDs and finished orders are forgotten, the
    /// venue's daily limits start again. GTC and GTD orders stay working.
    mutating func endDay(next: CalendarDate, by person: String?, reason: String?) -> ExchangeDayEnd {
        let ending = tradingDate
        follow(venue.advance(to: now))
        follow(venue.endOfDay())
        let listing = catalog.reference.catalog(on: next)
        let delisted = catalog.instruments.map(\.symbol).filter { listing.instrument(symbol: $0) == nil }
        for symbol in delisted { snapshots.remove(symbol) }
        for order in orderList(session: nil) where !order.status.isTerminal && delisted.contains(order.terms.symbol) {
            end(order.orderID, .expired("\(order.terms.symbol) expired: delisted at the end of trading day \(ending)"))
        }
        let expired = expiredToday
        expiredToday.removeAll()
        risk.startNewDay()

        orders = orders.filter { !$0.value.status.isTerminal }
        clOrdIDs = clOrdIDs.mapValues { $0.filter { orders[$0.value] != nil } }.filter { !$0.value.isEmpty }
        bookIDs = bookIDs.filter { orders[$0.key] != nil }
        orderIDs = orderIDs.filter { orders[$0.value] != nil }
        unasked.removeAll()
        tradingDate = next
        hours = Self.hours(of: next, calendar)
        let listed = venue.relist(listing)
        catalog = listing
        updateReferencePrices()

        let dayEnd = ExchangeDayEnd(tradingDate: ending.description, nextTradingDate: next.description, time: now, by: person,
                                    reason: reason, expired: expired, orders: orderList(session: nil),
                                    killSwitches: risk.killSwitchHistory.filter(\.isEngaged), nextOrderNumber: nextOrderNumber,
                                    delisted: delisted, listed: listed)
        record(ExchangeDayEnd.kind, dayEnd)
        return dayEnd
    }
}

// MARK: Restore

/// One of the exchange's journaled events as a restore reads it: its journal row id names it
/// in an error.
public struct ExchangeJournalRow: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    /// When it was journaled (nanoseconds since the epoch): the trading day it belongs to.
    public var time: Int64
    public var json: String

    /// The kinds a restore reads.
    public static let restoredKinds: Set<String> = [ExchangeOrders.orderKind, "exchange.killSwitch", ExchangeDayEnd.kind]

    /// What a restart reads from `journal`: the last `exchange.day.end` and every exchange
    /// event after it (all of them when no day has ended), oldest first.
    public static func restorePoint(in journal: Journal) throws(JournalError) -> [ExchangeJournalRow] {
        try journal.events(fromLast: ExchangeDayEnd.kind).filter { restoredKinds.contains($0.kind) }
            .map { ExchangeJournalRow(id: $0.id, kind: $0.kind, time: $0.time, json: $0.json) }
    }
}

/// A journaled event the exchange cannot restore from: it does not start on a journal it would
/// rebuild only in part.
public struct ExchangeRestoreError: Error, CustomStringConvertible, Sendable {
    public var row: Int64
    public var kind: String
    public var reason: String

    public var description: String { "journal row \(row) (\(kind)) cannot be restored: \(reason)" }
}

/// What a restart found in the journal.
public struct ExchangeRestored: Sendable, Hashable {
    public var orders: Int
    public var workingOrders: Int
    public var nextOrderNumber: UInt64
}

extension ExchangeOrders {
    /// Rebuilds the exchange's orders after a restart from its journal (``ExchangeJournalRow/restorePoint(in:)``):
    /// every order as it last stood, its ClOrdIDs taken again, the working ones back on the
    /// books for what they have left, under their OrderIDs, and in the venue's limits; kill
    /// switches as they were; the trading day the last day end began. Nothing is reported
    /// again, except what the books do with an order put back (a fill, an expiry).
    ///
    /// The trading day is the latest the rows belong to (a day end's next day, or the day an
    /// order was journaled on): a restart after that day's end rolls it at the first
    /// ``rollIfDue(now:)``, expiring its day orders, as if the venue had been up.
    ///
    /// - Throws: the first row that cannot be read: nothing is skipped.
    public mutating func restore(_ rows: [ExchangeJournalRow], now: Int64) throws(ExchangeRestoreError) -> (ExchangeRestored, [ExchangeMessage]) {
        let decoder = JSONDecoder()
        func read<T: Decodable>(_ type: T.Type, _ row: ExchangeJournalRow) throws(ExchangeRestoreError) -> T {
            do {
                return try decoder.decode(type, from: Data(row.json.utf8))
            } catch {
                throw ExchangeRestoreError(row: row.id, kind: row.kind, reason: "\(error)")
            }
        }
        var latest: [String: ClientOrder] = [:]
        var switches: [KillSwitchRecord] = []
        var day: CalendarDate?
        var next: UInt64 = 1
        func take(_ order: ClientOrder, _ row: ExchangeJournalRow) throws(ExchangeRestoreError) {
            guard let number = Self.number(of: order.orderID), number > 0 else {
                throw ExchangeRestoreError(row: row.id, kind: row.kind, reason: "OrderID \(order.orderID) is not one the exchange gives")
            }
            latest[order.orderID] = order
            next = max(next, number + 1)
        }
        for row in rows {
            let journaledOn = calendar.tradingDate(at: row.time)
            day = max(day ?? journaledOn, journaledOn)
            switch row.kind {
            case Self.orderKind:
                try take(read(JournaledOrder.self, row).order, row)
            case "exchange.killSwitch":
                switches.append(try read(KillSwitchRecord.self, row))
            case ExchangeDayEnd.kind:
                let dayEnd = try read(ExchangeDayEnd.self, row)
                guard let date = CalendarDate(iso: dayEnd.nextTradingDate) else {
                    throw ExchangeRestoreError(row: row.id, kind: row.kind, reason: "nextTradingDate '\(dayEnd.nextTradingDate)' is not a date")
                }
                day = max(day ?? date, date)
                latest.removeAll()
                for order in dayEnd.orders { try take(order, row) }
                switches = dayEnd.killSwitches
                next = max(next, dayEnd.nextOrderNumber)
            default:
                continue
            }
        }
        var restored = ExchangeRestored(orders: latest.count, workingOrders: 0, nextOrderNumber: 0)
        let sent = at(now) { exchange in
            if let day, day != exchange.tradingDate {
                exchange.tradingDate = day
                exchange.hours = Self.hours(of: day, exchange.calendar)
                exchange.catalog = exchange.catalog.reference.catalog(on: day)
                exchange.venue.relist(exchange.catalog)
            }
            exchange.nextOrderNumber = max(exchange.nextOrderNumber, next)
            for record in switches { exchange.risk.restoreKillSwitch(record) }
            for order in latest.values.sorted(by: { $0.orderID < $1.orderID }) {
                if exchange.putBack(order) { restored.workingOrders += 1 }
            }
            exchange.updateReferencePrices()
            restored.nextOrderNumber = exchange.nextOrderNumber
        }
        return (restored, sent)
    }

    /// One journaled order back in the exchange, and on its book if it is working; `true` when it is.
    mutating func putBack(_ order: ClientOrder) -> Bool {
        guard let number = Self.number(of: order.orderID) else { return false }
        orders[order.orderID] = order
        for clOrdID in [order.clOrdID, order.origClOrdID, order.pending?.clOrdID].compactMap({ $0 }) {
            clOrdIDs[order.session, default: [:]][clOrdID] = order.orderID
        }
        guard !order.status.isTerminal, let instrument = catalog.instrument(symbol: order.terms.symbol) else { return false }
        bookIDs[order.orderID] = number
        orderIDs[number] = order.orderID
        risk.restoreWorkingOrder(riskOrder(order, root: instrument.root), filledQuantity: order.cumQty, acknowledged: true)
        let events = venue.submit(VenueOrder(id: number, owner: owner(of: order.terms.account), symbol: order.terms.symbol,
                                             side: order.terms.side, type: order.terms.venueType, quantity: order.leavesQty,
                                             timeInForce: order.terms.venueTimeInForce), now: now)
        if case .rejected(_, let reason)? = events.first(where: { $0.orderID == number && !$0.acknowledges }) {
            // The book will not take it back (a GTD order whose time passed while the venue was down).
            var ended = order
            let report = order.terms.timeInForce == .goodTillDate
                ? ended.expired(text: "GTD order reached its ExpireTime while \(name) was down")
                : ended.canceled(text: "not restored to the book after a restart: \(reason)")
            risk.orderDone(key: RiskOrderKey(order.orderID), now: now)
            orders[order.orderID] = ended
            send(report, to: order.session)
            record(ended)
            return false
        }
        // Its acceptance is not news to the participant; what the book does with it now is.
        follow(events.filter { $0 != .accepted(id: number) })
        return true
    }
}

/// An order as the journal keeps it (``ClientOrder/auditJSON()``: `{"order": {...}}`).
struct JournaledOrder: Codable {
    var order: ClientOrder
}
