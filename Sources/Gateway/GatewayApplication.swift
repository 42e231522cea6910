import CoreMetrics
import FIXCodec
import FIXJournal
import FIXSession
import FIXTransport
import FIXVocabulary
import Logging
import RiskSidecar
import NIOCore
import NIOPosix
import Signals
import SimulatedVenue
import Synchronization
import OrderEntry

/// The order gateway as a FIX application (`Application=gateway`): each OMS session's
/// orders, cancels and replaces go to the ``OrderGateway``; its execution reports go back to
/// the session they concern, whichever session's message (or timer) produced them.
///
/// The gateway has one owner: this application's event loop (``loop``). Every call into it,
/// from a session's message, the timer, a venue's report or an admin request, runs there, one
/// at a time, so it needs no lock. The appliance runs its FIX sessions on the same loop, so a
/// message reaches the gateway with no hand-off; a session on another loop is handed over.
public final class GatewayApplication: FIXApplication {
    /// The event loop that owns the gateway.
    public let loop: any EventLoop
    private let owned: LoopOwned<OrderGateway>
    let journal: Journal
    private let endpoints = Mutex<[String: SessionEndpoint]>([:])
    private let timer = Mutex<RepeatedTask?>(nil)
    /// Reports a restore produced, sent once the sessions are attached (``start(interval:)``).
    private let restoredReports: [GatewayOutbound]
    let logger: Logger
    /// Nanoseconds since the epoch: the machine's clock, or a test's.
    public let clock: @Sendable () -> Int64
    /// Market data for OMS clients (MarketDataRequest).
    let marketData: GatewayMarketData
    /// The risk sidecar, which keeps its own lock and may be read from anywhere.
    public let risk: RiskSidecar
    /// Venue sessions (TargetCompIDs), fixed by the settings: told apart from OMS sessions
    /// without asking the gateway.
    public let venueSessions: Set<String>
    /// Told whenever the gateway may have changed (the console's live pages). The closure is
    /// kept inside a struct: a bare closure read through `withLock`'s inout is reabstracted on
    /// the way in and again on the write-back, so the stored closure gained two thunks at every
    /// read and each call walked them all (the order path slowed as a run went on).
    private let changeObserver = Mutex<ChangeObserver?>(nil)

    private struct ChangeObserver: Sendable {
        let notify: @Sendable () -> Void
    }
    /// `wellhead_order_ack_seconds`: a NewOrderSingle's arrival here to its first report handed
    /// to its session, on the monotonic clock. Made once.
    private let orderAck = CoreMetrics.Timer(label: "wellhead_order_ack_seconds")
    /// The console's own session, once opened (``openConsoleSession(ourCompID:)``): its
    /// reports are journaled, not sent.
    let consoleSession = Mutex<GatewayConsoleSession?>(nil)

    /// - Parameters:
    ///   - gateway: the gateway, handed over: from now on only ``loop`` calls it.
    ///   - journal: where the gateway's decisions are written (the profile's journal).
    ///   - loop: the event loop that owns the gateway (the FIX sessions' own, in the appliance).
    ///   - restoredReports: what a restore left to report (``OrderGateway/restore(events:now:)``),
    ///     sent at ``start(interval:)``.
    ///   - clock: the time each request is handled at; the wall clock unless a test sets it.
    ///   - signals: the signals' weights and thresholds (the profile's `Signals=` file).
    ///   - signalHistory: the daily prices the signals start from (`SignalHistory=` and the
    ///     journal's market-data snapshots of past days), and where they came from, for the console.
    public init(gateway: OrderGateway, journal: Journal, loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next(),
                restoredReports: [GatewayOutbound] = [], logger: Logger = Logger(label: "wellhead.gateway"),
                clock: @escaping @Sendable () -> Int64 = { WallClock.now().nanosecondsSinceEpoch },
                signals: SignalConfiguration = .standard, signalHistory: [DailySettlement] = [], signalHistorySource: String = "") {
        self.signalHistorySource = signalHistorySource
        self.loop = loop
        self.journal = journal
        self.logger = logger
        self.clock = clock
        self.restoredReports = restoredReports
        risk = gateway.risk
        venueSessions = gateway.venueSessions
        marketData = GatewayMarketData(catalog: gateway.catalog, venueDialects: Dictionary(
            uniqueKeysWithValues: gateway.venueSessions.map { ($0, gateway.dialect(ofVenueSession: $0)) }), signals: signals,
            signalHistory: signalHistory)
        owned = LoopOwned(gateway, loop: loop)
    }

    /// Where the signals' daily history came from (shown with the signals); empty for none.
    public let signalHistorySource: String

    /// The gateway; only on ``loop`` (anywhere else it traps: see ``onLoop(_:)``).
    public var gateway: OrderGateway { owned.value }

    /// Runs `body` with the gateway on its loop and returns what it gives.
    public func onLoop<Result: Sendable>(_ body: @escaping @Sendable (OrderGateway) -> Result) async throws -> Result {
        let owned = self.owned
        return try await loop.submit { body(owned.value) }.get()
    }

    /// Makes the application's reports reach `endpoint`'s OMS (named by its TargetCompID),
    /// connected or not: a disconnected session queues them for its next logon.
    public func attach(_ endpoint: SessionEndpoint) {
        endpoints.withLock { $0[endpoint.id.targetCompID] = endpoint }
    }

    /// Sends what the restore left to report, then moves the venue's clock every `interval`:
    /// prices step, resting orders fill. Call once the sessions are attached.
    public func start(interval: TimeAmount = .milliseconds(250)) {
        loop.execute { [self] in _ = deliver(restoredReports, replyingTo: nil) }
        let task = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in tick() }
        timer.withLock { $0 = task }
    }

    /// One tick of the timer, on the loop: the day's end if due, the venues' clocks, market data.
    private func tick() {
        let now = clock()
        if let (record, reports) = gateway.rollIfDue(now: now) { dayEnded(record, reports: reports) }
        _ = deliver(gateway.advance(now: now), replyingTo: nil)
        publishMarketData()
    }

    /// Sends what a day's end reported (expired day orders) and logs it; the record itself is
    /// journaled with the reports.
    func dayEnded(_ record: DayEndRecord, reports: [GatewayOutbound]) {
        _ = deliver(reports, replyingTo: nil)
        if !record.listed.isEmpty || !record.delisted.isEmpty { marketData.relist(gateway.catalog) }
        logger.notice("trading day ended", metadata: [
            "tradingDate": "\(record.tradingDate)", "next": "\(record.nextTradingDate)", "expired": "\(record.expired.count)",
            "carried": "\(record.positions.count)", "working": "\(record.orders.count)", "by": "\(record.by ?? "schedule")",
        ])
    }

    public func stop() {
        timer.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    /// Runs `body` on the loop: at once when called there, else handed over in order.
    private func confined(_ body: @escaping @Sendable () -> Void) {
        if loop.inEventLoop { body() } else { loop.execute(body) }
    }

    /// Runs `body` on the loop with the replies to a message of `session`: the message's own
    /// replies when called there; when handed over from another loop, replies sent through the
    /// session's endpoint.
    private func answering(_ session: SessionID, replies: inout FIXReplies, _ body: @escaping @Sendable (inout FIXReplies) -> Void) {
        guard loop.inEventLoop else {
            loop.execute { [self] in
                var later = FIXReplies()
                body(&later)
                endpoint(session.targetCompID)?.send(later)
            }
            return
        }
        body(&replies)
    }

    private func endpoint(_ session: String) -> SessionEndpoint? { endpoints.withLock { $0[session] } }

    /// The sessions attached, by TargetCompID.
    public var sessionEndpoints: [SessionEndpoint] { endpoints.withLock { Array($0.values) }.sorted { $0.id.targetCompID < $1.id.targetCompID } }

    /// Has `observer` told, from the loop, whenever the gateway may have changed: after every
    /// message, report, tick and admin request it handles. It must return at once.
    public func observeChanges(_ observer: @escaping @Sendable () -> Void) {
        changeObserver.withLock { $0 = ChangeObserver(notify: observer) }
    }

    public func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        let arrived = ContinuousClock.now
        answering(session, replies: &replies) { [self] replies in handle(message, from: session, arrived: arrived, replies: &replies) }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// One message from `session`, on the loop.
    private func handle(_ message: FIXMessage, from session: SessionID, arrived: ContinuousClock.Instant, replies: inout FIXReplies) {
        let now = clock()
        if venueSessions.contains(session.targetCompID) {
            venueMessage(message, from: session.targetCompID, now: now, replies: &replies)
            return
        }
        if message.type == .marketDataRequest {
            for reply in marketData.handle(message, from: session.targetCompID, gateway: gateway, now: now) {
                replies.send(msgType: reply.msgType, body: reply.body)
            }
            return
        }
        guard let outbound = gateway.handle(message, from: session.targetCompID, now: now) else {
            replies.businessReject(message, reason: 3, text: "Unsupported message type \(message.msgType ?? "")")
            return
        }
        let answered = reply(outbound, to: session, replies: &replies)
        if answered > 0, message.type == .newOrderSingle {
            orderAck.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - arrived))
        }
    }

    /// A venue's execution reports and cancel rejects go through the order state machine; its
    /// market data into its feed, and from there to OMS subscribers, the risk sidecar's
    /// reference prices and the positions' marks; its trading session and security status
    /// decide whether new orders may go to it. Its news is not for the order flow and is not
    /// refused either.
    private func venueMessage(_ message: FIXMessage, from venue: String, now: Int64, replies: inout FIXReplies) {
        switch message.type {
        case .executionReport, .orderCancelReject:
            _ = deliver(gateway.venueReport(message, from: venue, now: now), replyingTo: nil)
        case .marketDataSnapshotFullRefresh, .marketDataIncrementalRefresh:
            let update: GatewayMarketData.VenueUpdate
            do {
                update = try marketData.venueData(message, from: venue, gateway: gateway, now: now)
            } catch {
                logger.warning("market data from a venue not applied", metadata: ["venue": "\(venue)", "error": "\(error)"])
                return
            }
            if !update.quotes.isEmpty {
                gateway.quote(update.quotes, now: now)
                journalAudit()
            }
            for request in update.requests { replies.send(msgType: MsgType.marketDataRequest.rawValue, body: request) }
            for message in update.published {
                endpoint(message.session)?.send(msgType: message.msgType, body: message.body)
            }
        case .tradingSessionStatus, .securityStatus:
            gateway.venueStatus(message, from: venue, now: now)
            journalAudit()
        case .marketDataRequestReject:
            logger.warning("a venue refused a market data request", metadata: [
                "venue": "\(venue)", "mdReqID": "\(message[FIXTag.mdReqID]?.string ?? "")",
                "text": "\(message[FIXTag.text]?.string ?? "no reason given")",
            ])
        default:
            break
        }
    }

    public func onLogon(_ session: SessionID) {
        guard venueSessions.contains(session.targetCompID) else { return }
        confined { [self] in
            _ = deliver(gateway.venueSession(session.targetCompID, up: true, now: clock()), replyingTo: nil)
            guard let endpoint = endpoint(session.targetCompID) else { return }
            for request in marketData.venueLoggedOn(session.targetCompID) {
                endpoint.send(msgType: MsgType.marketDataRequest.rawValue, body: request)
            }
        }
    }

    /// Sends every OMS subscriber what moved in the market since the last publish; the signals'
    /// direction changes, outcomes, curve shapes and spread states are journaled first
    /// (`signal.direction`, `signal.outcome`, `signal.curve`, `signal.spread`), in turn with
    /// what is sent, so the journal has what the desk was shown.
    func publishMarketData() {
        let published = marketData.publish(gateway: gateway, now: clock())
        Self.journal(marketData.drainSignalChanges(), to: journal, logger: logger)
        for message in published {
            endpoint(message.session)?.send(msgType: message.msgType, body: message.body)
        }
    }

    /// Replaces the signals' configuration (the `Signals=` file reloaded on SIGHUP), on the
    /// loop; the signals start again from no history.
    public func reloadSignals(_ configuration: SignalConfiguration) {
        confined { [self] in marketData.reconfigureSignals(configuration) }
    }

    public func onLogout(_ session: SessionID, loggedOut: Bool) {
        confined { [self] in
            marketData.sessionEnded(session.targetCompID)
            if venueSessions.contains(session.targetCompID) {
                marketData.venueLoggedOff(session.targetCompID)
                _ = deliver(gateway.venueSession(session.targetCompID, up: false, now: clock()), replyingTo: nil)
                return
            }
            let outbound = gateway.sessionDisconnected(session.targetCompID, loggedOut: loggedOut, now: clock())
            _ = deliver(outbound, replyingTo: nil)
        }
    }

    /// Delivers `outbound`; what is for `session` goes back through its `replies`.
    /// Returns how many replies it handed to `replies`.
    @discardableResult
    private func reply(_ outbound: [GatewayOutbound], to session: SessionID, replies: inout FIXReplies) -> Int {
        let answers = deliver(outbound, replyingTo: session.targetCompID)
        for message in answers {
            replies.send(msgType: message.msgType, body: message.body)
        }
        return answers.count
    }

    /// Moves the simulated venue's prices (a shock of `root`, or one month set to a price) and
    /// sends the reports of the client orders it filled; returns how many went out.
    public func moveMarket(_ move: (OrderGateway, Int64) throws(SimulatedVenueError) -> [GatewayOutbound]) throws(SimulatedVenueError) -> Int {
        let outbound = try move(gateway, clock())
        _ = deliver(outbound, replyingTo: nil)
        return outbound.count
    }

    /// Journals the gateway's decisions, then hands each report to its session. Returns the
    /// replies for `session`, the one whose message is being handled: they go back through
    /// that message's `FIXReplies`, in order with it.
    func deliver(_ outbound: [GatewayOutbound], replyingTo session: String?) -> [GatewayOutbound] {
        journalAudit()
        changeObserver.withLock { $0 }?.notify()
        var replies: [GatewayOutbound] = []
        for message in outbound {
            if message.type == .logout {
                // The only logout the gateway asks for. Run after this message's handling, so
                // the replies already queued for the session go first.
                let endpoint = endpoint(message.session)
                loop.execute { _ = endpoint?.logout(reason: "message rate far above the limit") }
            } else if message.session == session {
                replies.append(message)
            } else if message.session == GatewayConsoleSession.name, let console = consoleSession.withLock({ $0 }) {
                console.reported(message)
            } else if let endpoint = endpoint(message.session) {
                // Requests to a venue are in its own symbols already (``VenueDialect``).
                endpoint.send(msgType: message.msgType, body: message.body)
            } else {
                logger.warning("no session for a report", metadata: ["session": "\(message.session)", "msgType": "\(message.msgType)"])
            }
        }
        return replies
    }

    func journalAudit() {
        Self.journal(gateway.drainAudit(), to: journal, logger: logger)
    }

    /// Hands the gateway's decisions to the journal, in order: on an event loop, to its output
    /// commit, so they are committed with the message that caused them and the reports they
    /// make, before any of those is sent; from anywhere else, to the journal's writer.
    static func journal(_ events: [GatewayAuditEvent], to journal: Journal, logger: Logger) {
        guard !events.isEmpty else { return }
        journal.writeInTurn(events.map { .event(kind: $0.kind, time: $0.time, json: $0.json) }) { error in
            logger.error("gateway decisions not journaled", metadata: ["error": "\(error)"])
        }
    }
}
