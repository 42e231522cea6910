import AdminSocket
import Console
import ConsoleAccess
import CoreMetrics
import FIXCodec
import FIXDictionary
import FIXJournal
import FIXTransport
import FIXVocabulary
import Gateway
import Instruments
import JournalAudit
import MarketDataFeed
import NIOSSL
import OrderEntry
import Logging
import Positions
import RiskSidecar
import Synchronization

/// The console's backend in the appliance: what the pages show is taken from the gateway on
/// its own loop (orders, fills, positions, the market) and from the risk sidecar and the
/// sessions, which keep their own locks; what a user does goes through the gateway's admin
/// requests, journaled with the signed-in user (`console:<name>`).
struct GatewayConsoleBackend: ConsoleBackend {
    let application: GatewayApplication
    let journal: Journal
    let changes = ChangeSignal()
    let clock: @Sendable () -> Int64

    init(application: GatewayApplication, journal: Journal, clock: @escaping @Sendable () -> Int64) {
        self.application = application
        self.journal = journal
        self.clock = clock
        application.observeChanges { [changes] in changes.notify() }
    }

    func state() async throws -> ConsoleState {
        let now = clock()
        // The gateway's loop, in short turns: the orders first, then the futures' tops of book a
        // few at a time, so an order that arrives meanwhile waits for one short turn at most.
        var taken = try await application.onLoop { gateway in Self.take(gateway, now: now) }
        for start in stride(from: 0, to: taken.futureInstruments.count, by: Self.futuresPerTurn) {
            let instruments = Array(taken.futureInstruments[start..<min(start + Self.futuresPerTurn, taken.futureInstruments.count)])
            taken.futures += try await application.onLoop { gateway in Self.tops(gateway, of: instruments) }
        }
        var state = Self.gatewayState(taken, now: now)
        let venues = application.venueSessions
        state.sessions = application.sessionEndpoints.map { endpoint in
            let queued = endpoint.queuedState
            let name = endpoint.id.targetCompID
            return ConsoleState.SessionRow(name: name, id: endpoint.id.description, kind: venues.contains(name) ? "venue" : "oms",
                                           connected: endpoint.isConnected, state: Self.describe(connected: endpoint.isConnected, queued?.status),
                                           nextIn: queued?.nextTargetSeqNum ?? 0, nextOut: queued?.nextSenderSeqNum ?? 0, lastReceived: 0,
                                           heartbeat: endpoint.configuration.heartBtInt)
        }
        state.venues = state.sessions.filter { $0.kind == "venue" }.map {
            ConsoleState.VenueRow(name: $0.name, connected: $0.connected, halted: false, status: $0.connected ? "trading" : "disconnected")
        }
        let market = application.marketView()
        state.spreads = market.derived.map { ConsoleState.SpreadRow(name: $0.symbol, value: $0.price.description, unit: $0.unit) }
        state.signals = market.signals.map {
            ConsoleState.SignalRow(root: $0.root, direction: $0.direction, score: $0.score?.description ?? "", confidence: $0.confidence.description)
        }
        let risk = application.risk
        state.limits = risk.utilisation(now: now).map { limit in
            var account: String?
            if case .account(let name) = limit.scope { account = name }
            return ConsoleState.LimitRow(control: limit.kind.rawValue, scope: limit.scope.description, subject: limit.subject,
                                         used: limit.used.description, limit: limit.limit.description, unit: limit.unit.description,
                                         percent: limit.percent.description, level: limit.level.rawValue, account: account)
        }
        state.killSwitches = risk.killSwitchHistory.filter(\.isEngaged).map { record in
            ConsoleState.KillSwitchRow(scope: Self.scope(record.level), engagedBy: record.engagedBy, reason: record.reason,
                                       engagedAt: record.engagedAt)
        }
        return state
    }

    /// What the gateway holds, taken on its loop as values (orders, fills, the position book,
    /// each future's top of book): the least the loop can do, the rows are made after.
    struct Taken: Sendable {
        typealias Top = (instrument: Instrument, bid: BookDepth.Level?, ask: BookDepth.Level?, last: FIXDecimal?, mark: FIXDecimal?)
        var tradingDate: String
        var working: [ClientOrder]
        var done: [ClientOrder]
        var fills: ArraySlice<Fill>
        var book: PositionBook
        /// The futures listed: their tops are taken in turns of their own (``tops(_:of:)``).
        var futureInstruments: [Instrument]
        var futures: [Top] = []
    }

    /// Futures whose tops of book one turn on the gateway's loop takes (about 8 µs each).
    static let futuresPerTurn = 8

    /// On the gateway's loop: the orders, fills, positions and the futures listed.
    static func take(_ gateway: OrderGateway, now: Int64) -> Taken {
        let (working, done) = gateway.recentOrders(ConsoleState.recentOrders)
        return Taken(tradingDate: gateway.dayStatus(now: now).tradingDate.description, working: working, done: done,
                     fills: gateway.recentFills.suffix(ConsoleState.recentFills), book: gateway.positions,
                     futureInstruments: gateway.catalog.instruments.filter { $0.kind == .future })
    }

    /// On the gateway's loop: the top of book, last trade and mark of each of `instruments`.
    static func tops(_ gateway: OrderGateway, of instruments: [Instrument]) -> [Taken.Top] {
        instruments.map { instrument in
            let top = gateway.depth(symbol: instrument.symbol, levels: 1)
            return (instrument, top?.bids.first, top?.asks.first, gateway.lastTradePrice(symbol: instrument.symbol),
                    gateway.mark(symbol: instrument.symbol))
        }
    }

    /// The rows the console shows, made from what ``take(_:now:)`` took; off the loop.
    static func gatewayState(_ taken: Taken, now: Int64) -> ConsoleState {
        var state = ConsoleState(time: now)
        state.tradingDate = taken.tradingDate
        state.orders = (taken.working.sorted { $0.orderID > $1.orderID } + taken.done).map { order in
            let terms = order.terms
            return ConsoleState.OrderRow(orderID: order.orderID, clOrdID: order.clOrdID, session: order.session, account: terms.account,
                                         symbol: terms.symbol, side: terms.side == .buy ? "BUY" : "SELL", type: Self.label(terms.type),
                                         timeInForce: Self.label(terms.timeInForce), quantity: terms.quantity, price: terms.price?.description ?? "",
                                         stopPrice: terms.stopPrice?.description ?? "", cumQty: order.cumQty, leavesQty: order.leavesQty,
                                         averagePrice: order.cumQty > 0 ? order.averagePrice.description : "", status: "\(order.status)".uppercased(),
                                         working: !order.status.isTerminal)
        }
        state.fills = taken.fills.reversed().map { fill in
            ConsoleState.FillRow(execID: fill.execID, account: fill.account, symbol: fill.symbol, side: fill.side == .buy ? "BUY" : "SELL",
                                 quantity: fill.quantity, price: fill.price.description,
                                 value: (fill.price * FIXDecimal(mantissa: fill.quantity) * fill.multiplier).rounded(toScale: 2).description,
                                 time: fill.time.nanosecondsSinceEpoch)
        }
        let book = taken.book
        state.positions = book.positions().map { position in
            ConsoleState.PositionRow(account: position.account, root: position.root, symbol: position.symbol, net: position.quantity,
                                     averagePrice: position.averagePrice?.description ?? "", mark: position.mark.price.description,
                                     realised: position.realised.description, unrealised: position.unrealised.description)
        }
        func total(_ scope: String, account: String?, root: String? = nil) -> ConsoleState.TotalRow {
            let sum = book.totals(account: account, root: root)
            return ConsoleState.TotalRow(scope: scope, account: account, realised: sum.realised.description, unrealised: sum.unrealised.description,
                                         dayPnL: sum.dayPnL.description, grossExposure: sum.grossExposure.description)
        }
        state.totals = [total("firm", account: nil)]
        for account in book.accounts {
            state.totals.append(total(account, account: account))
            for root in Set(book.positions(account: account).map(\.root)).sorted() {
                state.totals.append(total("\(account) \(root)", account: account, root: root))
            }
        }
        state.market = taken.futures.map { future in
            ConsoleState.MarketRow(symbol: future.instrument.symbol, root: future.instrument.root, month: future.instrument.month.description,
                                   bid: future.bid?.price.description ?? "", bidSize: future.bid?.quantity ?? 0,
                                   ask: future.ask?.price.description ?? "", askSize: future.ask?.quantity ?? 0,
                                   last: future.last?.description ?? "", settlement: future.mark?.description ?? "")
        }
        return state
    }

    /// How a desk writes them: `LIMIT`, `STOP LIMIT`; `DAY`, `GTC`, `IOC`.
    static func label(_ type: OrderType) -> String {
        switch type {
        case .market: "MARKET"
        case .limit: "LIMIT"
        case .stop: "STOP"
        case .stopLimit: "STOP LIMIT"
        }
    }

    static func label(_ timeInForce: TimeInForce) -> String {
        switch timeInForce {
        case .day: "DAY"
        case .goodTillCancel: "GTC"
        case .immediateOrCancel: "IOC"
        case .fillOrKill: "FOK"
        case .goodTillDate: "GTD"
        }
    }

    static func describe(connected: Bool, _ status: JournalSessionStatus?) -> String {
        if connected { return "logged on" }
        switch status {
        case .loggedOn: return "dropped"
        case .resetPending: return "reset pending"
        case .loggedOut, nil: return "logged out"
        }
    }

    static func scope(_ level: KillSwitchLevel) -> String {
        switch level {
        case .firm: "firm"
        case .account(let name): "account:\(name)"
        case .session(let name): "session:\(name)"
        }
    }

    func perform(_ action: ConsoleAction, by user: ConsoleUser) async -> ConsoleOutcome {
        let person = "console:\(user.name)"
        let request: AdminRequest
        switch action {
        case .cancelOrder(let orderID):
            request = AdminRequest(command: .cancelOrder, by: person, reason: "console", orderID: orderID)
        case .cancelAll(let account):
            request = AdminRequest(command: .cancelAccount, scope: "account:\(account)", by: person, reason: "console")
        case .engageKillSwitch(let scope, let reason):
            request = AdminRequest(command: .engageKillSwitch, scope: scope, by: person, reason: reason)
        case .releaseKillSwitch(let scope, let reason):
            request = AdminRequest(command: .releaseKillSwitch, scope: scope, by: person, reason: reason)
        case .logout(let session), .disconnect(let session), .resetSequenceNumbers(let session):
            return await sessionControl(action, session: session, by: person)
        case .approve:
            return ConsoleOutcome(ok: false, message: "an approval is the console's own")
        }
        let response = await application.handle(request)
        return ConsoleOutcome(ok: response.ok, message: response.message)
    }

    /// Logs a session out or drops its connection, journaled (`console.session`) first.
    private func sessionControl(_ action: ConsoleAction, session: String, by person: String) async -> ConsoleOutcome {
        guard let endpoint = application.sessionEndpoints.first(where: { $0.id.targetCompID == session }) else {
            return ConsoleOutcome(ok: false, message: "no session \(session)")
        }
        if case .resetSequenceNumbers = action {
            return ConsoleOutcome(ok: false, message: "resetting sequence numbers from the console is not supported yet: "
                                  + "log the session out and have both sides log on with ResetSeqNumFlag (141=Y)")
        }
        do {
            try await record("session", json: "{\"action\":\"\(action.name)\",\"by\":\(Self.quoted(person)),\"session\":\(Self.quoted(session))}")
        } catch {
            return ConsoleOutcome(ok: false, message: "not done: the journal could not record it: \(error)")
        }
        if case .logout = action {
            guard endpoint.logout(reason: "logged out by \(person)") != nil else { return ConsoleOutcome(ok: false, message: "\(session) is not connected") }
            return ConsoleOutcome(ok: true, message: "\(session) logging out")
        }
        return endpoint.drop() ? ConsoleOutcome(ok: true, message: "\(session) disconnected") : ConsoleOutcome(ok: false, message: "\(session) is not connected")
    }

    func record(_ kind: String, json: String) async throws {
        try await journal.write([.event(kind: "console.\(kind)", time: clock(), json: json)])
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension ConsoleServer {
    /// The appliance's console: the gateway's backend, the wall clock.
    /// - Parameter dictionary: the profile's data dictionary, for the audit page's field names.
    /// - Parameter tls: the gateway session's TLS settings: the console serves with the same
    ///   certificate when the sessions use TLS.
    /// - Parameter metrics: the appliance's exposition for `/metrics`; the console's own gauges,
    ///   `wellhead_console_users` and `wellhead_console_websocket_clients`, are set from the
    ///   server as each scrape comes.
    static func appliance(_ settings: GatewayProfile.ConsoleSettings, gateway: GatewayApplication, journal: Journal,
                          dictionary: FIXDataDictionary?, tls: TLSConfiguration?, logger: Logger,
                          metrics: (@Sendable () -> String)? = nil) -> ConsoleServer {
        let clock: @Sendable () -> Int64 = { WallClock.now().nanosecondsSinceEpoch }
        let served = WeakConsoleServer()
        let scrape: (@Sendable () -> String)? = metrics.map { exposition -> @Sendable () -> String in
            let users = CoreMetrics.Gauge(label: "wellhead_console_users")
            let clients = CoreMetrics.Gauge(label: "wellhead_console_websocket_clients")
            return {
                if let watching = served.server?.watching {
                    users.record(watching.users)
                    clients.record(watching.pages)
                }
                return exposition()
            }
        }
        let server = ConsoleServer(configuration: ConsoleConfiguration(host: settings.host, port: settings.port, usersPath: settings.usersPath, tls: tls),
                                   backend: GatewayConsoleBackend(application: gateway, journal: journal, clock: clock),
                                   logger: Logger(label: "wellhead.console"), metrics: scrape,
                                   audit: AuditTrail(journal: journal, dictionary: dictionary), clock: clock)
        served.server = server
        return server
    }
}

/// The console server its own metrics closure reads at scrape time, held weakly: the server holds the closure.
private final class WeakConsoleServer: Sendable {
    private let held = Mutex<Held>(Held())

    private struct Held {
        weak var server: ConsoleServer?
    }

    var server: ConsoleServer? {
        get { held.withLock { $0.server } }
        set { held.withLock { $0.server = newValue } }
    }
}
