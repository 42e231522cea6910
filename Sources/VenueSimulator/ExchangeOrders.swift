import FIXCodec
import FIXVocabulary
import Foundation
import Instruments
import MarketDataFeed
import OrderEntry
import RiskSidecar
import SimulatedVenue

/// A FIX message the exchange sends to a participant's session (named by its TargetCompID).
/// A Logout (35=5) asks for the session to be logged out, its Text the reason.
public struct ExchangeMessage: Sendable {
    public var session: String
    public var type: MsgType
    public var body: FIXFieldList
}

/// What the exchange journals as it goes: an event's kind, time and JSON.
public struct ExchangeRecord: Sendable, Hashable {
    public var kind: String
    public var time: Int64
    public var json: String
}

/// The venue simulator's order entry, as an exchange keeps it: the books (a ``SimulatedVenue``),
/// the participants' orders (each a ``ClientOrder``) under the exchange's own OrderIDs, the
/// ClOrdIDs each participant session used today, and the venue's own risk limits, if any.
///
/// A value without I/O: each call takes the time it happens at and returns the messages to
/// send; what must survive a restart collects in ``records`` for the caller to journal
/// (``drainRecords()``). Exchange behaviour, not a broker's: the book answers at once, so an
/// accepted order's first report is New (150=0), a cancel's is Canceled and a replace's
/// Replaced, with no PendingNew, PendingCancel or PendingReplace before them; no positions are
/// kept.
public struct ExchangeOrders: Sendable {
    /// TradingSessionID (336), and the start of every OrderID the exchange gives.
    public let name: String
    public internal(set) var venue: SimulatedVenue
    /// What is listed on the trading day in progress.
    public internal(set) var catalog: InstrumentCatalog
    public let calendar: TradingCalendar
    /// The trading day in progress: day orders, and ClOrdIDs, last until its end.
    public internal(set) var tradingDate: CalendarDate
    /// The venue's own limits (market-order protection at least), its kill switches and its
    /// trading state (halted or active).
    public let risk: RiskSidecar
    /// The Account an order is entered under when it names none, by session; otherwise the
    /// session's own name (its participant's CompID).
    let accounts: [String: String]
    /// How participants name instruments (an exchange's roots, `VenueSymbolRoots`): requests
    /// are read, and reports written, in their symbols; everything inside is the catalog's.
    public let participantSymbols: VenueDialect

    /// Every order today, and every order still working, by OrderID.
    public internal(set) var orders: [String: ClientOrder] = [:]
    /// Per session, each ClOrdID used today and the OrderID it names.
    var clOrdIDs: [String: [String: String]] = [:]
    /// The book's id for each order, and back.
    var bookIDs: [String: UInt64] = [:]
    var orderIDs: [UInt64: String] = [:]
    /// A small number per account for the books' self-trade prevention.
    var owners: [String: UInt64] = [:]
    public internal(set) var nextOrderNumber: UInt64 = 1
    /// Orders the exchange ends itself (a kill switch, a mass cancel, a delisting), by book id:
    /// why, for the report's Text.
    var unasked: [UInt64: EndedByExchange] = [:]
    /// OrderIDs of the day orders expired at this day's end.
    var expiredToday: [String] = []
    /// When the trading day in progress trades.
    var hours: Range<Int64>
    /// What the caller has yet to journal.
    public internal(set) var records: [ExchangeRecord] = []
    /// The market the venue publishes (each book's best bid and offer, its last trade), for
    /// the journal's market-data snapshots (`marketdata.snapshot`) in place of every refresh.
    var snapshots: MarketDataSnapshots

    /// The time of the call in progress, and what it sends.
    var now: Int64
    var outbox: [ExchangeMessage] = []

    /// - Parameters:
    ///   - accounts: the Account of orders that name none, by session (the session's name
    ///     when not given).
    ///   - now: the start time; the venue's prices then are the risk sidecar's first
    ///     reference prices.
    ///   - marketDataSnapshotInterval: seconds between the journal's market-data snapshots,
    ///     each taken only when the market moved since the last; 0 takes none.
    public init(name: String = "SIM", venue: SimulatedVenue, risk: RiskSidecar, calendar: TradingCalendar = .aroundTheClock,
                accounts: [String: String] = [:], participantSymbols: VenueDialect = VenueDialect(),
                marketDataSnapshotInterval: Int = 60, now: Int64) {
        self.name = name
        snapshots = MarketDataSnapshots(seconds: marketDataSnapshotInterval, start: now)
        self.participantSymbols = participantSymbols
        self.venue = venue
        self.catalog = venue.catalog
        self.risk = risk
        self.calendar = calendar
        self.accounts = accounts
        self.now = now
        tradingDate = calendar.tradingDate(at: now)
        hours = Self.hours(of: tradingDate, calendar)
        updateReferencePrices()
    }

    /// The hours `date` trades: its session's, or all of them around the clock.
    static func hours(of date: CalendarDate, _ calendar: TradingCalendar) -> Range<Int64> {
        guard case .sessions = calendar.hours else { return Int64.min..<Int64.max }
        return calendar.open(of: date)..<calendar.end(of: date)
    }

    /// Runs one call at `time`: what it sends, in order, Logouts last.
    mutating func at(_ time: Int64, _ body: (inout ExchangeOrders) -> Void) -> [ExchangeMessage] {
        now = time
        outbox.removeAll(keepingCapacity: true)
        body(&self)
        let logouts = outbox.filter { $0.type == .logout }
        return outbox.filter { $0.type != .logout } + logouts
    }

    // MARK: Participants' requests

    /// One application message from a participant's session: NewOrderSingle (D),
    /// OrderCancelRequest (F), OrderCancelReplaceRequest (G), OrderStatusRequest (H),
    /// OrderMassCancelRequest (q) or OrderMassStatusRequest (AF). `nil` for any other MsgType
    /// (the caller answers it with a BusinessMessageReject).
    public mutating func handle(_ message: FIXMessage, from session: String, now: Int64) -> [ExchangeMessage]? {
        let entry: (inout ExchangeOrders) -> Void
        switch message.type {
        case .newOrderSingle: entry = { $0.enter(message, from: session) }
        case .orderCancelRequest: entry = { $0.cancel(message, from: session) }
        case .orderCancelReplaceRequest: entry = { $0.replace(message, from: session) }
        case .orderStatusRequest: entry = { $0.status(message, from: session) }
        case .orderMassCancelRequest: entry = { $0.massCancel(message, from: session) }
        case .orderMassStatusRequest: entry = { $0.massStatus(message, from: session) }
        default: return nil
        }
        return at(now, entry)
    }

    /// Refuses a NewOrderSingle or OrderCancelReplaceRequest before it reaches the book (an
    /// instrument a circuit breaker halted, a scenario's random reject): ExecutionReport 150=8
    /// with OrdRejReason 2 (exchange closed), or an OrderCancelReject, with `text`.
    public mutating func refuse(_ message: FIXMessage, from session: String, text: String, now: Int64) -> [ExchangeMessage] {
        at(now) { exchange in
            if message.type == .orderCancelReplaceRequest {
                let request = ChangeRequest(message, session: session, replace: true)
                exchange.refuse(request, order: exchange.named(by: request, in: message), .brokerOption, text)
            } else {
                exchange.reject(message, from: session, .exchangeClosed, text)
            }
        }
    }

    /// A participant's session went away. Without a Logout its working day orders are
    /// cancelled (GTC and GTD stay), unless the venue's limits turn cancel on disconnect off.
    public mutating func disconnected(_ session: String, loggedOut: Bool, now: Int64) -> [ExchangeMessage] {
        at(now) { exchange in
            for working in exchange.risk.sessionDisconnected(session, loggedOut: loggedOut, now: now) {
                exchange.end(working.key.value, .canceled("cancel on disconnect"))
            }
        }
    }

    // MARK: The market

    /// Moves the market on to `now`: prices step, the market makers requote, resting orders
    /// may fill or trigger, GTD orders expire. When due, the market as it stands is kept for
    /// the journal (`marketdata.snapshot`).
    public mutating func advance(now: Int64) -> [ExchangeMessage] {
        at(now) { exchange in
            exchange.follow(exchange.venue.advance(to: now))
            exchange.updateReferencePrices()
            if let snapshot = exchange.snapshots.take(now: now) { exchange.record(MarketDataSnapshots.kind, snapshot) }
        }
    }

    /// Catches the market up to `now`, then moves its prices with `change` (a shock, a price
    /// set): the orders the books now cross fill, and are reported.
    public mutating func move(now: Int64, _ change: (inout SimulatedVenue) throws(SimulatedVenueError) -> [VenueEvent])
        throws(SimulatedVenueError) -> [ExchangeMessage] {
        var failure: SimulatedVenueError?
        let sent = at(now) { exchange in
            exchange.follow(exchange.venue.advance(to: now))
            do throws(SimulatedVenueError) {
                let moved = try change(&exchange.venue)
                exchange.follow(moved)
            } catch {
                failure = error
            }
            exchange.updateReferencePrices()
        }
        if let failure { throw failure }
        return sent
    }

    /// Trades since the last call, market makers' prints included (see
    /// ``SimulatedVenue/recordsTrades``).
    public mutating func drainTrades() -> [VenueTrade] { venue.drainTrades() }

    /// Keeps the venue's trades for ``drainTrades()``: only a market-data publisher wants them.
    public mutating func recordTrades() { venue.recordsTrades = true }

    // MARK: Risk controls

    /// Engages a kill switch: every working order it covers is cancelled, and new ones are
    /// refused until it is released. Journaled, so it is still engaged after a restart.
    public mutating func engageKillSwitch(_ level: KillSwitchLevel, by person: String, reason: String, now: Int64) -> [ExchangeMessage] {
        at(now) { exchange in
            let engagedBefore = exchange.risk.killSwitch(level) != nil
            for working in exchange.risk.engageKillSwitch(level, by: person, reason: reason, now: now) {
                exchange.end(working.key.value, .canceled("kill switch: \(reason)"))
            }
            if !engagedBefore, let record = exchange.risk.killSwitch(level) { exchange.record("exchange.killSwitch", record) }
        }
    }

    /// Releases a kill switch in `person`'s name; `nil` when it was not engaged.
    public mutating func releaseKillSwitch(_ level: KillSwitchLevel, by person: String, now: Int64) -> KillSwitchRecord? {
        self.now = now
        guard let record = risk.releaseKillSwitch(level, by: person, now: now) else { return nil }
        self.record("exchange.killSwitch", record)
        return record
    }

    // MARK: Journal

    /// Takes what is to be journaled since the last call.
    public mutating func drainRecords() -> [ExchangeRecord] {
        defer { records.removeAll(keepingCapacity: true) }
        return records
    }

    /// Keeps `value` as JSON for the journal, under `kind` (a fixed name).
    mutating func record(_ kind: String, _ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            records.append(ExchangeRecord(kind: kind, time: now, json: String(decoding: try encoder.encode(value), as: UTF8.self)))
        } catch {
            // Not expected of these plain values; if it happens, the journal says what it lost.
            records.append(ExchangeRecord(kind: "exchange.error", time: now, json: #"{"notJournaled":"\#(kind)"}"#))
        }
    }

    /// Keeps an order's state after a change, as the journal holds orders (``ClientOrder/auditJSON()``).
    mutating func record(_ order: ClientOrder) {
        records.append(ExchangeRecord(kind: Self.orderKind, time: now, json: order.auditJSON()))
    }

    /// The journal's kind for an order's state.
    public static let orderKind = "exchange.order"

    // MARK: Queries

    /// The trading day in progress as of `now`: when it opened and ends, and the next one.
    public func dayStatus(now: Int64) -> TradingDayStatus { calendar.status(of: tradingDate, at: now) }

    /// The session's orders (every session's when `nil`), by OrderID.
    public func orderList(session: String? = nil) -> [ClientOrder] {
        orders.values.filter { session == nil || $0.session == session }.sorted { $0.orderID < $1.orderID }
    }
}

/// Why the exchange ended an order nobody asked it to cancel.
enum EndedByExchange: Sendable, Hashable {
    /// Reported Canceled (150=4), with the words.
    case canceled(String)
    /// Reported Expired (150=C): a day order at its day's end, a contract delisted.
    case expired(String)
}
