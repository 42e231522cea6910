import FIXCodec
import FIXVocabulary
import Instruments
import Logging
import MarketDataFeed
import Positions
import RiskSidecar
import SimulatedVenue
import Signals
import OrderEntry

/// A FIX message the gateway wants sent to an OMS session. MsgType `5` asks for the session
/// to be logged out (its Text the reason), through the session's own Logout handshake.
public struct GatewayOutbound: Sendable {
    /// The OMS session, as ``OrderGateway`` names sessions (their TargetCompID).
    public var session: String
    public var msgType: String
    public var body: FIXFieldList

    public init(session: String, msgType: String, body: FIXFieldList) {
        self.session = session
        self.msgType = msgType
        self.body = body
    }

    public init(session: String, type: MsgType, body: FIXFieldList) {
        self.init(session: session, msgType: type.rawValue, body: body)
    }

    /// MsgType as the ``MsgType`` it names.
    public var type: MsgType? { MsgType(rawValue: msgType) }
}

/// Something the gateway decided, for the journal: risk decisions with their inputs, and
/// orders' state after each change, as JSON.
public struct GatewayAuditEvent: Sendable {
    public var kind: String
    public var time: Int64
    public var json: String
}

/// How the gateway is set up: where orders may go and which accounts each session may use.
public struct GatewaySettings: Sendable {
    /// Names an order may give in ExDestination (100) or SecurityExchange (207) to reach the
    /// simulated venue: its own name and the exchange its contracts list on.
    public var venueNames: Set<String>
    /// The account used when an order carries none, per OMS session.
    public var defaultAccounts: [String: String]
    /// Venues reached over FIX: the name an order gives in ExDestination (100) or
    /// SecurityExchange (207), to the venue session's TargetCompID.
    public var fixVenues: [String: String]
    /// How each FIX venue's symbols and order fields differ from the gateway's, by the venue
    /// session's TargetCompID; a venue without one speaks the gateway's symbols.
    public var venueDialects: [String: VenueDialect]
    /// The accounts each OMS session may trade; an order from it for another account is
    /// rejected by the risk sidecar (unknown account). A session not listed is not restricted.
    public var permittedAccounts: [String: Set<String>]
    /// When each FIX venue trades, by the venue session's TargetCompID; a venue without one is
    /// left to say so itself.
    public var venueCalendars: [String: TradingCalendar]
    /// Seconds between the journal's market-data snapshots (`marketdata.snapshot`: each
    /// instrument's bid, ask, last and mark, with its venue, as risk and the marks took them),
    /// journaled only when something changed; 0 journals none (`MarketDataSnapshotInterval`).
    public var marketDataSnapshotInterval: Int

    public init(venueNames: Set<String> = ["SIM", "NYMEX"], defaultAccounts: [String: String] = [:], fixVenues: [String: String] = [:],
                venueDialects: [String: VenueDialect] = [:], permittedAccounts: [String: Set<String>] = [:],
                venueCalendars: [String: TradingCalendar] = [:], marketDataSnapshotInterval: Int = 60) {
        self.venueCalendars = venueCalendars
        self.marketDataSnapshotInterval = marketDataSnapshotInterval
        self.venueNames = venueNames
        self.defaultAccounts = defaultAccounts
        self.permittedAccounts = permittedAccounts
        self.fixVenues = fixVenues
        self.venueDialects = venueDialects
    }
}

/// The order gateway: OMS requests in, through the risk sidecar, to the venue, and execution
/// reports back, with positions and P&L kept from the fills.
///
/// It has no lock and is not `Sendable`: it has one owner, which calls it from one executor
/// (``GatewayApplication`` pins it to its event loop; a test calls it from its own task).
/// Every entry point runs to completion, so the order of events is the order of calls.
public final class OrderGateway {
    /// The gateway's state and the call in progress.
    private var work: GatewayWork
    public let risk: RiskSidecar
    /// The venue sessions' TargetCompIDs (fixed by the settings): told apart from OMS sessions
    /// on every message without taking the lock.
    let venueSessions: Set<String>
    let venueDialects: [String: VenueDialect]
    let logger: Logger

    /// - Parameter now: the start time; the venue's prices at that time become the risk
    ///   sidecar's first reference prices, so the first order has a collar to meet.
    /// - Parameter calendar: when the venue trades and its day ends (around the clock, ending at
    ///   17:00 New York time, unless given).
    /// - Parameter venue: the in-process simulated venue, where an order naming no venue goes
    ///   and whose prices are the marks; `nil` for a gateway that only routes to venues by name.
    /// - Parameter venues: venues of other kinds, by the name orders give them (ExDestination):
    ///   the router hands them orders as it does the simulated venue and the FIX venues.
    public init(catalog: InstrumentCatalog, venue: SimulatedVenue?, risk: RiskSidecar, settings: GatewaySettings = GatewaySettings(),
                venues: [String: any Venue] = [:],
                calendar: TradingCalendar = .aroundTheClock, now: Int64, logger: Logger = Logger(label: "wellhead.gateway")) {
        for (session, accounts) in settings.permittedAccounts { risk.permitAccounts(accounts.sorted(), session: session) }
        var work = GatewayWork(state: GatewayState(catalog: catalog, venue: venue, settings: settings, venues: venues, calendar: calendar,
                                                   now: now),
                               risk: risk, now: now)
        work.updateMarks()
        work.outbound.removeAll()
        self.work = work
        self.risk = risk
        venueSessions = Set(settings.fixVenues.values)
        venueDialects = settings.venueDialects
        self.logger = logger
    }

    /// Handles one application message from an OMS session. `nil` when the gateway does not
    /// handle that MsgType (the caller answers with a BusinessMessageReject).
    public func handle(_ message: FIXMessage, from session: String, now: Int64) -> [GatewayOutbound]? {
        return perform(now: now) { work in
            switch message.type {
            case .newOrderSingle: work.newOrder(message, session: session)
            case .orderCancelRequest: work.cancel(message, session: session)
            case .orderCancelReplaceRequest: work.replace(message, session: session)
            case .orderStatusRequest: work.status(message, session: session)
            case .orderMassCancelRequest: work.massCancel(message, session: session)
            case .orderMassStatusRequest: work.massStatus(message, session: session)
            default: return nil
            }
            // The work's own buffer, shared rather than copied into a new one (a copy of every
            // report was 4 % of the loop's time on the order path).
            return work.pendingLogouts.isEmpty ? work.outbound : work.outbound + work.pendingLogouts
        }
    }

    /// Moves the venue's clock: prices step, market makers requote, resting orders may fill,
    /// GTD orders expire; marks feed P&L and the risk sidecar. When due, the prices risk and
    /// the marks were taken from are kept for the journal (`marketdata.snapshot`).
    public func advance(now: Int64) -> [GatewayOutbound] {
        return perform(now: now) { work in
            work.advanceVenues()
            work.updateMarks()
            if let snapshot = work.state.snapshots.take(now: now) {
                work.record(MarketDataSnapshots.kind, snapshot)
                work.keepDailyMarks(snapshot)
            }
            return work.outbound
        }
    }

    /// An OMS session went away. Without a Logout its working day orders are cancelled (GTC
    /// and GTD kept), as the risk controls' cancel-on-disconnect requires.
    public func sessionDisconnected(_ session: String, loggedOut: Bool, now: Int64) -> [GatewayOutbound] {
        let risk = self.risk
        return perform(now: now) { work in
            let doomed = risk.sessionDisconnected(session, loggedOut: loggedOut, now: now)
            for working in doomed { work.cancelForRisk(orderID: working.key.value, reason: "cancel on disconnect") }
            return work.outbound
        }
    }

    /// An execution report or cancel reject from the venue session `session` (its TargetCompID).
    public func venueReport(_ message: FIXMessage, from session: String, now: Int64) -> [GatewayOutbound] {
        perform(now: now) { work in
            work.venueMessage(message, from: session)
            // A fill moved a position: its P&L, and the account's, go to the daily loss control.
            if message[ExecType.self] == .trade || message[ExecType.self] == .orderStatus, let symbol = message[FIXTag.symbol]?.string {
                work.updateMarks(symbols: [dialect(ofVenueSession: session).canonicalSymbol(symbol)])
            }
            return work.outbound
        }
    }

    /// Prices from a FIX venue's market data become the risk sidecar's reference prices and
    /// the position book's marks for those symbols (see ``GatewayWork/updateMarks(quotes:)``).
    public func quote(_ quotes: [MarketQuote], now: Int64) {
        perform(now: now) { work in work.updateMarks(quotes: quotes) }
    }

    /// How the venue on `session` names things.
    public func dialect(ofVenueSession session: String) -> VenueDialect {
        venueDialects[session] ?? VenueDialect()
    }

    /// A FIX venue's TradingSessionStatus (35=h) or SecurityStatus (35=f): while it says the
    /// venue or an instrument is halted, new orders and replaces for it are refused here, with
    /// the venue's words, rather than sent to be rejected there. Cancels still go.
    public func venueStatus(_ message: FIXMessage, from session: String, now: Int64) {
        perform(now: now) { work in work.venueMessage(message, from: session) }
    }


    /// A venue session logged on (`true`) or went away: orders are reconciled, or marked.
    public func venueSession(_ session: String, up: Bool, now: Int64) -> [GatewayOutbound] {
        perform(now: now) { work in
            work.venueConnected(session, up: up)
            return work.outbound
        }
    }

    /// Engages a kill switch and cancels every working order it covers. The switch is
    /// journaled (`risk.killSwitch`), so it is still engaged after a restart.
    public func engageKillSwitch(_ level: KillSwitchLevel, by person: String, reason: String, now: Int64) -> [GatewayOutbound] {
        let risk = self.risk
        return perform(now: now) { work in
            let wasEngaged = risk.killSwitch(level) != nil
            for working in risk.engageKillSwitch(level, by: person, reason: reason, now: now) {
                work.cancelForRisk(orderID: working.key.value, reason: "kill switch: \(reason)")
            }
            if !wasEngaged, let record = risk.killSwitch(level) { work.record("risk.killSwitch", record) }
            return work.outbound
        }
    }

    /// A price shock on the simulated venue: every month of `root` moves by `percent` of its
    /// price at once (−150 takes 70.00 to −35.00 where negative prices are allowed); the books
    /// requote, and client orders they now cross fill.
    public func shock(root: String, percent: FIXDecimal, months: ClosedRange<Int>? = nil, now: Int64)
        throws(SimulatedVenueError) -> [GatewayOutbound] {
        try moveMarket(now: now) { venue throws(SimulatedVenueError) in try venue.shock(root: root, percent: percent, months: months) }
    }

    /// Sets one month of `root` on the simulated venue to `price` (see
    /// ``SimulatedVenue/setPrice(root:month:to:)``); client orders the books now cross fill.
    public func setPrice(root: String, month: Int, to price: FIXDecimal, now: Int64) throws(SimulatedVenueError) -> [GatewayOutbound] {
        try moveMarket(now: now) { venue throws(SimulatedVenueError) in try venue.setPrice(root: root, month: month, to: price) }
    }

    /// Runs a change to the venue's prices after catching it up to `now`, then follows the
    /// client events it caused and refreshes the marks.
    private func moveMarket(now: Int64, _ change: (inout SimulatedVenue) throws(SimulatedVenueError) -> [VenueEvent])
        throws(SimulatedVenueError) -> [GatewayOutbound] {
        let result: Result<[GatewayOutbound], SimulatedVenueError> = perform(now: now) { work in
            work.advanceVenues()
            if case .failure(let error) = work.moveMarket(change) { return .failure(error) }
            work.updateMarks()
            return .success(work.outbound)
        }
        return try result.get()
    }

    /// Releases a kill switch in the name of `person` (required); journaled like the engage.
    /// `nil` when the switch was not engaged or no person is named.
    public func releaseKillSwitch(_ level: KillSwitchLevel, by person: String, now: Int64) -> KillSwitchRecord? {
        let risk = self.risk
        return perform(now: now) { work in
            guard let record = risk.releaseKillSwitch(level, by: person, now: now) else { return nil }
            work.record("risk.killSwitch", record)
            return record
        }
    }

    // MARK: The trading day

    /// The trading day in progress, when it opened and when it ends.
    public func dayStatus(now: Int64) -> TradingDayStatus {
        state.calendar.status(of: state.tradingDate, at: now)
    }

    /// Ends the trading day if its end has come (the timer calls this): `nil` when it has not.
    /// After a long stop the appliance rolls once, to the trading day `now` falls in.
    public func rollIfDue(now: Int64) -> (DayEndRecord, [GatewayOutbound])? {
        perform(now: now) { work in
            work.takeSettlementIfDue()
            guard now >= work.state.calendar.end(of: work.state.tradingDate) else { return nil }
            let record = work.endDay(next: work.state.calendar.tradingDate(at: now), by: nil, reason: nil)
            return (record, work.outbound)
        }
    }

    /// Ends the trading day now, in the name of `person`, whatever the calendar says: the next
    /// trading day begins at once and runs to its own end.
    public func roll(by person: String, reason: String, now: Int64) -> (DayEndRecord, [GatewayOutbound]) {
        perform(now: now) { work in
            let next = work.state.calendar.next(after: work.state.tradingDate)
            let record = work.endDay(next: next, by: person, reason: reason)
            return (record, work.outbound)
        }
    }

    /// The day's prices the journal's snapshots held before this start (``GatewaySignalHistory/todayMarks``),
    /// so the day's `marketdata.daily` record covers the whole day, not only what followed the
    /// restart. Call once, before the gateway's first tick.
    public func resume(dailyMarks: DailyMarks) {
        perform(now: 0) { work in work.state.dailyMarks = dailyMarks }
    }

    /// Takes what the gateway decided since the last call, for the journal.
    public func drainAudit() -> [GatewayAuditEvent] {
        perform(now: 0) { work in
            defer { work.state.audit.removeAll(keepingCapacity: true) }
            return work.state.audit
        }
    }

    /// Runs `body` as one call of the gateway's at `now`: it starts with nothing to send, and
    /// works on the state in place.
    func perform<Result>(now: Int64, _ body: (inout GatewayWork) -> Result) -> Result {
        work.begin(now: now)
        return body(&work)
    }

    /// Everything the gateway holds, as it stands.
    var state: GatewayState { work.state }

    // MARK: Queries

    public func order(_ orderID: String) -> ClientOrder? { state.orders[orderID] }
    public func orders(session: String? = nil) -> [ClientOrder] {
        state.orders.values.filter { session == nil || $0.session == session }.sorted { $0.orderID < $1.orderID }
    }
    public var positions: PositionBook { state.positions }
    /// The day's most recent fills, oldest first (at most the last 1,000).
    public var recentFills: [Fill] { state.recentFills }
    /// The day's most recent limit warnings (75 % and 90 % crossings), oldest first, each
    /// numbered in the order raised, for the console's alerts.
    public var recentWarnings: [RaisedWarning] { state.recentWarnings }
    /// Each venue's connection and halts.
    public var venueStatuses: [VenueStatus] { state.venues.compactMap { $0?.status } }
    /// Trading states a person set today or carried over, by scope.
    public var tradingStateRecords: [TradingStateRecord] { state.tradingStates.values.sorted { $0.scope < $1.scope } }
    public func mark(symbol: String) -> FIXDecimal? { state.market?.mark(symbol: symbol) }
    /// What is listed on the simulated venue today.
    public var catalog: InstrumentCatalog { state.catalog }

    // MARK: Market data

    /// The venue's book to `levels` price levels a side, as market data publishes it.
    public func depth(symbol: String, levels: Int) -> BookDepth? {
        state.market?.depth(symbol: symbol, levels: levels).map(BookDepth.init)
    }

    /// Each symbol's book to `levels` a side on the simulated venue, read from one look at it
    /// (``depth(symbol:levels:)`` copies the gateway's state and the venue out of its box per
    /// call: for every book at each market-data refresh, that was most of the refresh).
    public func depths(symbols: [String], levels: Int) -> [BookDepth?] {
        guard let market = state.market else { return symbols.map { _ in nil } }
        return symbols.map { market.depth(symbol: $0, levels: levels).map(BookDepth.init) }
    }

    /// Each symbol's top of book, last trade and mark on the simulated venue, read from one
    /// look at it: the console's market rows (``depth(symbol:levels:)`` and its kin each look
    /// the venue up again, and the look copies it out of its existential box).
    public func tops(symbols: [String]) -> [VenueTop] {
        guard let market = state.market else { return symbols.map { _ in VenueTop() } }
        return symbols.map { symbol in
            let top = market.depth(symbol: symbol, levels: 1).map(BookDepth.init)
            return VenueTop(bid: top?.bids.first, ask: top?.asks.first, last: market.lastTradePrice(symbol: symbol),
                            mark: market.mark(symbol: symbol))
        }
    }

    /// Starts (or stops) keeping the venue's trades for ``drainTrades()``: only a market-data
    /// publisher wants them, and nothing else drains them.
    public func recordTrades(_ on: Bool = true) { perform(now: 0) { work in work.withMarket { $0.recordsTrades = on } } }

    /// The venue's last trade price in `symbol`, if it has traded.
    public func lastTradePrice(symbol: String) -> FIXDecimal? { state.market?.lastTradePrice(symbol: symbol) }

    /// The venue's trades since the last call, market makers' prints included.
    public func drainTrades() -> [TradePrint] {
        perform(now: 0) { work in work.withMarket { $0.drainTrades() } ?? [] }.map(TradePrint.init)
    }
}

/// Everything the gateway holds: one owner, no lock (see ``OrderGateway``).
struct GatewayState: Sendable {
    /// What is listed on the trading day in progress (relisted at each day's end).
    var catalog: InstrumentCatalog
    /// When the gateway's trading day ends (the in-process venue's calendar).
    let calendar: TradingCalendar
    /// The trading day in progress: what "today" means for day orders, ClOrdIDs and the daily loss.
    var tradingDate: CalendarDate
    /// Orders whose cancel is an expiry (their day ended, or their contract): by number.
    var expiring: Set<UInt64> = []
    /// OrderIDs of the day orders the day's end expired, for its record.
    var expiredToday: [String] = []
    /// Settlement prices FIX venues published today (MDEntryType 6), by symbol.
    var venueSettlements: [String: FIXDecimal] = [:]
    /// The in-process venue's prices at the calendar's settlement time, once taken today.
    var settlements: [String: FIXDecimal] = [:]
    /// The venues, by the router's index; each is taken out while it works (``GatewayWork/take(_:)``).
    var venues: [(any Venue)?]
    /// The router: a name an order gives in ExDestination (100) or SecurityExchange (207), to its venue.
    let router: [String: Int]
    /// Where an order naming no venue goes: the in-process venue, when there is one.
    let defaultVenue: Int?
    /// The venue with a market of its own, whose prices are the marks and reference prices.
    let priceVenue: Int?
    /// FIX venues by their session's TargetCompID.
    let venueBySession: [String: Int]
    /// The venue each order went to, by number.
    var venueOfOrder: [UInt64: Int] = [:]
    let settings: GatewaySettings
    var orders = GatewayOrders()
    /// Per session, every ClOrdID used today, to the order it names.
    var clOrdIDs: [String: [String: String]] = [:]
    var orderIDByVenueID: [UInt64: String] = [:]
    var venueIDByOrderID: [String: UInt64] = [:]
    var ownerByAccount: [String: UInt64] = [:]
    var nextOrderNumber: UInt64 = 1
    /// Why the gateway itself cancelled an order, by venue id, for the report's Text.
    var cancelReasons: [UInt64: String] = [:]
    var positions = PositionBook()
    /// The most recent fills, at least the last ``recentFillsKept`` (for the console).
    var recentFills: [Fill] = []
    static let recentFillsKept = 500
    /// The most recent limit warnings, at least the last ``recentWarningsKept``, and the number the next one takes.
    var recentWarnings: [RaisedWarning] = []
    /// Trading states a person set, by scope (`firm`, `account:<name>`): carried over a day's end.
    var tradingStates: [String: TradingStateRecord] = [:]
    var warningsRaised = 0
    static let recentWarningsKept = 50
    var audit: [GatewayAuditEvent] = []
    /// Symbols whose reference prices and marks come from a FIX venue's market data.
    var quotedByVenueFeed: Set<String> = []
    /// The prices risk and the marks were last given, for the journal's market-data snapshots.
    var snapshots: MarketDataSnapshots
    /// Each contract's first, highest, lowest and last price of the trading day as the
    /// snapshots journaled them, journaled at the day's end as `marketdata.daily` (what the
    /// signals' history reads at the next start instead of the day's snapshots).
    var dailyMarks = DailyMarks()

    init(catalog: InstrumentCatalog, venue: SimulatedVenue?, settings: GatewaySettings, venues others: [String: any Venue] = [:],
         calendar: TradingCalendar, now: Int64) {
        self.catalog = catalog
        self.calendar = calendar
        tradingDate = calendar.tradingDate(at: now)
        self.settings = settings
        snapshots = MarketDataSnapshots(seconds: settings.marketDataSnapshotInterval, start: now)
        var venues: [(any Venue)?] = []
        var router: [String: Int] = [:]
        if let venue {
            venues.append(InProcessVenue(market: venue, calendar: calendar))
            for name in settings.venueNames { router[name] = 0 }
        }
        var bySession: [String: Int] = [:]
        for (name, session) in settings.fixVenues.sorted(by: { $0.key < $1.key }) {
            bySession[session] = venues.count
            router[name] = venues.count
            venues.append(FIXVenue(name: name, session: session, dialect: settings.venueDialects[session] ?? VenueDialect(),
                                   calendar: settings.venueCalendars[session]))
        }
        for (name, venue) in others.sorted(by: { $0.key < $1.key }) {
            router[name] = venues.count
            venues.append(venue)
        }
        self.venues = venues
        self.router = router
        venueBySession = bySession
        defaultVenue = venue == nil ? nil : 0
        priceVenue = defaultVenue
    }

    /// A small number per account for the venue's self-trade prevention (0 is the venue's
    /// market makers).
    mutating func owner(of account: String) -> UInt64 {
        if let known = ownerByAccount[account] { return known }
        let owner = UInt64(ownerByAccount.count + 1_000)
        ownerByAccount[account] = owner
        return owner
    }

    /// The in-process venue's market (prices, books, the tape), read in place.
    var market: SimulatedVenue? { priceVenue.flatMap { (venues[$0] as? InProcessVenue)?.market } }
}

/// A limit warning as it was raised: when, and its number in the gateway's run.
public struct RaisedWarning: Sendable, Equatable {
    public var number: Int
    /// Nanoseconds since the epoch.
    public var time: Int64
    public var warning: RiskWarning
}

/// One instrument's top of book, last trade and mark, as ``OrderGateway/tops(symbols:)`` reads them.
public struct VenueTop: Sendable {
    public var bid: BookDepth.Level?
    public var ask: BookDepth.Level?
    public var last: FIXDecimal?
    public var mark: FIXDecimal?

    public init(bid: BookDepth.Level? = nil, ask: BookDepth.Level? = nil, last: FIXDecimal? = nil, mark: FIXDecimal? = nil) {
        self.bid = bid
        self.ask = ask
        self.last = last
        self.mark = mark
    }
}
