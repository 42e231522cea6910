import FIXCodec
import FIXJournal
import FIXVocabulary
import Instruments
import MarketDataFeed
import FIXSession
import FIXTransport
import Logging
import NIOCore
import NIOPosix
import OrderEntry
import RiskSidecar
import SimulatedVenue
import Synchronization

/// The simulated venue as a FIX 4.4 exchange (`Application=venue`), for QA teams to test an
/// OMS against, and for Wellhead's own gateway to route to over FIX.
///
/// Orders, cancels, replaces, status requests and mass cancels go to the exchange's own order
/// entry (``ExchangeOrders``: its books, its OrderIDs, its own risk limits if any), whose
/// decisions are journaled and restored after a restart. On top of that it serves what an
/// exchange serves: market data by subscription (MarketDataRequest V → snapshots W, then
/// incremental refreshes X as the book and the tape move, MarketDataRequestReject Y),
/// reference data (SecurityListRequest x → SecurityList y, SecurityDefinitionRequest c →
/// SecurityDefinition d), and the trading session's state (TradingSessionStatus h at logon, on
/// request (g), and on every halt and resume).
///
/// The venue's state (the exchange, market-data subscriptions, the trading status, a
/// scenario's conditions) has one owner, the venue's event loop (``loop``): every entry point
/// runs there, so it needs no lock. The appliance runs the venue's sessions on that loop; a
/// session on another loop, the timer and the admin socket hand over to it.
public final class VenueApplication: FIXApplication {
    /// The venue's trading session, as TradSesStatus (340) reports it.
    public enum TradingStatus: Int, Sendable {
        case halted = 1
        case open = 2
        case closed = 3
    }

    /// TradingSessionID (336) and the venue's name in reports.
    public let name: String
    /// How participants name instruments, when not as the catalog does (an exchange's roots,
    /// `VenueSymbolRoots`): requests are read in the catalog's symbols, answers go out in theirs.
    public let participantSymbols: VenueDialect
    /// Nanoseconds since the epoch: the machine's clock, or a test's.
    public let clock: @Sendable () -> Int64
    /// The event loop that owns the venue's state.
    public let loop: any EventLoop
    private let owned: LoopOwned<State>
    let journal: Journal
    /// The participants' sessions, by TargetCompID: looked up and released, never held.
    private let endpoints = Mutex<[String: SessionEndpoint]>([:])
    private let responses = Atomic<Int>(0)
    private let timer = Mutex<RepeatedTask?>(nil)
    let logger: Logger

    /// What the venue changes as it runs; only on ``loop``.
    final class State {
        var exchange: ExchangeOrders
        var publisher = MarketDataPublisher()
        var status = TradingStatus.open
        var conditions = VenueConditions()
        /// Reports a restore produced, sent at ``start(interval:)``.
        var restoredReports: [ExchangeMessage]

        init(exchange: ExchangeOrders, restoredReports: [ExchangeMessage]) {
            self.exchange = exchange
            self.restoredReports = restoredReports
        }
    }

    /// - Parameters:
    ///   - exchange: the venue's order entry and books, restored from the journal
    ///     (``ExchangeOrders/restore(_:now:)``) if the venue ran before; what it recorded
    ///     restoring is journaled now.
    ///   - journal: where its orders and admin requests are journaled (the profile's journal).
    ///   - loop: the event loop that owns the venue (its sessions' own, in the appliance).
    ///   - restoredReports: what the restore left to report, sent at ``start(interval:)``.
    public init(exchange: ExchangeOrders, journal: Journal, loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next(),
                restoredReports: [ExchangeMessage] = [], participantSymbols: VenueDialect = VenueDialect(),
                logger: Logger = Logger(label: "wellhead.venue"),
                clock: @escaping @Sendable () -> Int64 = { WallClock.now().nanosecondsSinceEpoch }) {
        name = exchange.name
        var exchange = exchange
        Self.journal(exchange.drainRecords(), to: journal, logger: logger)
        owned = LoopOwned(State(exchange: exchange, restoredReports: restoredReports), loop: loop)
        self.loop = loop
        self.journal = journal
        self.participantSymbols = participantSymbols
        self.logger = logger
        self.clock = clock
    }

    /// The venue's state; only on ``loop``.
    var state: State { owned.value }

    /// Runs `body` on the venue's loop and returns what it gives.
    public func onLoop<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async throws -> Result {
        try await loop.submit(body).get()
    }

    /// Runs `body` on the loop: at once when called there, else handed over in order.
    private func confined(_ body: @escaping @Sendable () -> Void) {
        if loop.inEventLoop { body() } else { loop.execute(body) }
    }

    /// Makes `endpoint`'s counterparty (named by its TargetCompID) reachable for reports and
    /// market data.
    public func attach(_ endpoint: SessionEndpoint) {
        endpoints.withLock { $0[endpoint.id.targetCompID] = endpoint }
    }

    /// Starts the market: sends what the restore left to report, then every `interval` the
    /// venue's clock moves (prices step, resting orders fill, the trading day ends on time),
    /// the running scenario's steps come due, and market data goes to subscribers.
    public func start(interval: TimeAmount = .milliseconds(250)) {
        loop.execute { [self] in
            withExchange { $0.recordTrades() }
            deliver(state.restoredReports, replyingTo: nil)
            state.restoredReports.removeAll()
        }
        let task = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
            let now = clock()
            if let (dayEnd, sent) = withExchange({ $0.rollIfDue(now: now) }) { dayEnded(dayEnd, sent) }
            deliver(withExchange { $0.advance(now: now) }, replyingTo: nil)
            runScenario(now: now)
            publishMarketData()
        }
        timer.withLock { $0 = task }
    }

    public func stop() {
        timer.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    /// The trading session's state; on the loop.
    var tradingStatus: TradingStatus { state.status }

    /// What is listed on the trading day in progress; on the loop.
    var catalog: InstrumentCatalog { state.exchange.catalog }

    /// The participants' orders (one session's, or everyone's), by OrderID.
    public func orders(session: String? = nil) async throws -> [ClientOrder] {
        try await onLoop { self.state.exchange.orderList(session: session) }
    }

    // MARK: FIXApplication

    public func onLogon(_ session: SessionID) {
        confined { [self] in
            // Unsolicited, as exchanges announce the session's state to each participant.
            endpoint(session.targetCompID)?.send(msgType: MsgType.tradingSessionStatus.rawValue, body: statusBody(requestID: nil))
        }
    }

    public func onLogout(_ session: SessionID, loggedOut: Bool) {
        confined { [self] in
            state.publisher.sessionEnded(session.targetCompID)
            let now = clock()
            deliver(withExchange { $0.disconnected(session.targetCompID, loggedOut: loggedOut, now: now) }, replyingTo: nil)
        }
    }

    public func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        guard loop.inEventLoop else {
            // A session on another loop: handled on the venue's, answered through the session.
            loop.execute { [self] in
                var later = FIXReplies()
                handle(message, from: session, replies: &later)
                endpoint(session.targetCompID)?.send(later)
            }
            return
        }
        handle(message, from: session, replies: &replies)
    }

    /// One message from a participant, on the loop.
    private func handle(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        let counterparty = session.targetCompID
        // Participants may name contracts as an exchange does (`VenueSymbolRoots`): their
        // symbols are read into the catalog's where a request is read, and written in theirs
        // where an answer is built; the message itself is never rewritten.
        switch message.type {
        case .marketDataRequest:
            marketDataRequest(message, from: counterparty, replies: &replies)
        case .securityListRequest:
            let listed = catalog.instruments
            let wanted = message[FIXTag.symbol].map { participantSymbols.canonicalSymbol($0.string) }
            let instruments = message[SecurityListRequestType.self] == .symbol && wanted != nil ? listed.filter { $0.symbol == wanted } : listed
            replies.send(msgType: MsgType.securityList.rawValue, body: SecurityDefinitions.list(
                instruments, requestID: message[FIXTag.securityReqID]?.string ?? "", responseID: nextResponseID(), symbols: participantSymbols))
        case .securityDefinitionRequest:
            let symbol = message[FIXTag.symbol]?.string ?? ""
            replies.send(msgType: MsgType.securityDefinition.rawValue, body: SecurityDefinitions.definition(
                catalog.instrument(symbol: participantSymbols.canonicalSymbol(symbol)), symbol: symbol,
                requestID: message[FIXTag.securityReqID]?.string ?? "", responseID: nextResponseID(), symbols: participantSymbols))
        case .tradingSessionStatusRequest:
            replies.send(msgType: MsgType.tradingSessionStatus.rawValue, body: statusBody(requestID: message[FIXTag.tradSesReqID]?.string))
        default:
            let now = clock()
            switch entryConditions(message, now: now) {
            case .refuse(let text):
                reply(withExchange { $0.refuse(message, from: counterparty, text: text, now: now) }, to: counterparty, replies: &replies)
            case .delay(let milliseconds):
                // An exchange slow to answer: the request reaches the book that much later.
                loop.scheduleTask(in: .milliseconds(Int64(milliseconds))) { [self] in
                    let later = clock()
                    deliver(withExchange { $0.handle(message, from: counterparty, now: later) } ?? [], replyingTo: nil)
                    publishMarketData()
                }
            case .accept:
                guard let sent = withExchange({ $0.handle(message, from: counterparty, now: now) }) else {
                    replies.businessReject(message, reason: 3, text: "Unsupported message type \(message.msgType ?? "")")
                    return
                }
                reply(sent, to: counterparty, replies: &replies)
                publishMarketData()
            }
        }
    }

    // MARK: The exchange

    /// Runs `body` on the exchange, on the loop, and hands what it decided to the journal's
    /// writer at once, so the journal keeps decisions in the order they were taken.
    @discardableResult
    func withExchange<T>(_ body: (inout ExchangeOrders) -> T) -> T {
        let result = body(&state.exchange)
        Self.journal(state.exchange.drainRecords(), to: journal, logger: logger)
        return result
    }

    private static func journal(_ records: [ExchangeRecord], to journal: Journal, logger: Logger) {
        guard !records.isEmpty else { return }
        // With this turn's output commit: committed with the request that caused them and the
        // reports they make, before any of those is sent.
        journal.writeInTurn(records.map { .event(kind: $0.kind, time: $0.time, json: $0.json) }) { error in
            logger.error("the exchange's orders not journaled", metadata: ["error": "\(error)"])
        }
    }

    /// Sends what the exchange decided: the messages for `session`, whose request is being
    /// handled, come back to go through its `FIXReplies` (in order with it); the rest go out
    /// through the sessions' endpoints. A Logout goes last, once what is queued has gone.
    @discardableResult
    func deliver(_ messages: [ExchangeMessage], replyingTo session: String?) -> [ExchangeMessage] {
        var replies: [ExchangeMessage] = []
        for message in messages {
            let endpoint = endpoint(message.session)
            if message.type == .logout {
                // After this message's handling, so the replies already queued go first.
                loop.execute { _ = endpoint?.logout(reason: "message rate far above the limit") }
            } else if message.session == session {
                replies.append(message)
            } else if let endpoint {
                endpoint.send(msgType: message.type.rawValue, body: message.body)
            } else {
                logger.warning("no session for a report", metadata: ["session": "\(message.session)", "msgType": "\(message.type.rawValue)"])
            }
        }
        return replies
    }

    private func reply(_ messages: [ExchangeMessage], to session: String, replies: inout FIXReplies) {
        for message in deliver(messages, replyingTo: session) {
            replies.send(msgType: message.type.rawValue, body: message.body)
        }
    }

    /// A day's end: the expiries go out, and it is logged.
    func dayEnded(_ dayEnd: ExchangeDayEnd, _ sent: [ExchangeMessage]) {
        deliver(sent, replyingTo: nil)
        logger.notice("trading day ended", metadata: [
            "venue": "\(name)", "tradingDate": "\(dayEnd.tradingDate)", "next": "\(dayEnd.nextTradingDate)",
            "expired": "\(dayEnd.expired.count)", "working": "\(dayEnd.orders.count)", "by": "\(dayEnd.by ?? "schedule")",
        ])
    }

    /// Moves the venue's prices (a shock, a price set), sends the reports of the orders it
    /// filled, and publishes the moved books; returns how many reports went out.
    @discardableResult
    func moveMarket(_ change: (inout SimulatedVenue) throws(SimulatedVenueError) -> [VenueEvent]) throws(SimulatedVenueError) -> Int {
        let now = clock()
        let result = withExchange { exchange -> Result<[ExchangeMessage], SimulatedVenueError> in
            do throws(SimulatedVenueError) {
                return .success(try exchange.move(now: now, change))
            } catch {
                return .failure(error)
            }
        }
        let sent = try result.get()
        deliver(sent, replyingTo: nil)
        publishMarketData()
        return sent.count
    }


    // MARK: Market data

    private func marketDataRequest(_ message: FIXMessage, from session: String, replies: inout FIXReplies) {
        let request: MarketDataRequest
        switch MarketDataRequest.parse(message) {
        case .success(let parsed): request = parsed
        case .failure(let rejection):
            replies.send(msgType: MsgType.marketDataRequestReject.rawValue, body: rejection.body)
            return
        }
        let catalog = catalog, symbols = participantSymbols
        // On the loop, so no publish can slip between the snapshot and the subscription's
        // first incremental. The publisher works in the participants' symbols.
        let result = state.publisher.handle(request, from: session, listed: { catalog.instrument(symbol: symbols.canonicalSymbol($0)) != nil },
                                            book: { depth(symbol: symbols.canonicalSymbol($0), levels: $1) },
                                            lastTrade: { lastTradePrice(symbol: symbols.canonicalSymbol($0)) })
        switch result {
        case .success(let snapshots):
            for snapshot in snapshots { replies.send(msgType: MsgType.marketDataSnapshotFullRefresh.rawValue, body: snapshot) }
        case .failure(let rejection):
            replies.send(msgType: MsgType.marketDataRequestReject.rawValue, body: rejection.body)
        }
    }

    /// Sends every subscriber what moved since the last publish: book levels and trades.
    public func publishMarketData() {
        let symbols = participantSymbols
        let trades = withExchange { $0.drainTrades() }.map { trade in
            TradePrint(symbol: symbols.venueSymbol(trade.symbol), price: trade.price, quantity: trade.quantity)
        }
        guard state.publisher.subscriptionCount > 0 else { return }
        // The publisher works in the participants' symbols.
        let out = state.publisher.publish(book: { depth(symbol: symbols.canonicalSymbol($0), levels: $1) }, trades: trades,
                                          lastTrade: { lastTradePrice(symbol: symbols.canonicalSymbol($0)) })
        // Sent from the loop, in order: two publishes never reach a session out of order.
        for message in out { endpoint(message.session)?.send(msgType: message.msgType, body: message.body) }
    }

    /// The book in `symbol` to `levels` price levels a side, as market data publishes it.
    func depth(symbol: String, levels: Int) -> BookDepth? {
        withExchange { $0.venue.depth(symbol: symbol, levels: levels) }.map(BookDepth.init)
    }

    /// The last trade price in `symbol`, if it has traded.
    func lastTradePrice(symbol: String) -> FIXDecimal? { withExchange { $0.venue.lastTradePrice(symbol: symbol) } }

    /// The mark of `symbol`: its last trade, or its fair price.
    func mark(symbol: String) -> FIXDecimal? { withExchange { $0.venue.mark(symbol: symbol) } }

    // MARK: Trading session

    /// Halts trading: new orders and replaces are rejected, cancels still accepted, as
    /// exchanges do in a halt; every session is told (TradingSessionStatus, 340=1).
    public func halt(by person: String, reason: String) {
        setStatus(.halted, tradingState: .halted, by: person, reason: reason)
    }

    /// Resumes trading after a halt (340=2).
    public func resume(by person: String) {
        setStatus(.open, tradingState: .active, by: person, reason: "")
    }

    private func setStatus(_ new: TradingStatus, tradingState: TradingState, by person: String, reason: String) {
        state.status = new
        let now = clock()
        withExchange { $0.risk.setTradingState(tradingState, for: .firm, by: person, now: now) }
        logger.warning("trading session status changed", metadata: ["venue": "\(name)", "status": "\(new)", "by": "\(person)", "reason": "\(reason)"])
        let body = statusBody(requestID: nil, text: reason.isEmpty ? nil : reason)
        for endpoint in connectedEndpoints { endpoint.send(msgType: MsgType.tradingSessionStatus.rawValue, body: body) }
    }

    private func statusBody(requestID: String?, text: String? = nil) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 64)
        if let requestID { body.append(FIXTag.tradSesReqID, requestID) }
        body.append(FIXTag.tradingSessionID, name)
        if requestID == nil { body.append(FIXTag.unsolicitedIndicator, "Y") }
        body.append(FIXTag.tradSesStatus, tradingStatus.rawValue)
        if let text { body.append(FIXTag.text, text) }
        return body
    }

    func endpoint(_ session: String) -> SessionEndpoint? { endpoints.withLock { $0[session] } }

    /// Every participant's session that is connected now.
    var connectedEndpoints: [SessionEndpoint] { endpoints.withLock { Array($0.values) }.filter(\.isConnected) }

    private func nextResponseID() -> String {
        "\(name)-\(responses.add(1, ordering: .relaxed).newValue)"
    }
}
