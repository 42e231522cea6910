import FIXCodec
import FIXVocabulary
import MarketDataFeed
import FIXSession
import FIXTransport
import Gateway
import Logging
import NIOCore
import NIOPosix
import RiskSidecar
import Synchronization

/// The simulated venue as a FIX 4.4 exchange (`Application=venue`), for QA teams to test an
/// OMS against, and for Wellhead's own gateway to route to over FIX.
///
/// Orders, cancels, replaces, status requests and mass cancels go through the same order
/// state machine and matching engine as the appliance's in-process venue (``GatewayApplication``,
/// with the venue's own risk limits, if any). On top of that it serves what an exchange
/// serves: market data by subscription (MarketDataRequest V → snapshots W, then incremental
/// refreshes X as the book and the tape move, MarketDataRequestReject Y), reference data
/// (SecurityListRequest x → SecurityList y, SecurityDefinitionRequest c → SecurityDefinition
/// d), and the trading session's state (TradingSessionStatus h at logon, on request (g), and
/// on every halt and resume).
public final class VenueApplication: FIXApplication {
    /// The venue's trading session, as TradSesStatus (340) reports it.
    public enum TradingStatus: Int, Sendable {
        case halted = 1
        case open = 2
        case closed = 3
    }

    public let orders: GatewayApplication
    /// TradingSessionID (336) and the venue's name in reports.
    public let name: String
    private let publisher = Mutex(MarketDataPublisher())
    private let endpoints = Mutex<[String: SessionEndpoint]>([:])
    private let status = Mutex(TradingStatus.open)
    private let responses = Atomic<Int>(0)
    private let timer = Mutex<RepeatedTask?>(nil)
    let conditions = Mutex(VenueConditions())
    let logger: Logger

    public init(orders: GatewayApplication, name: String = "SIM", logger: Logger = Logger(label: "wellhead.venue")) {
        self.orders = orders
        self.name = name
        self.logger = logger
    }

    /// Makes `endpoint`'s counterparty (named by its TargetCompID) reachable for reports and
    /// market data.
    public func attach(_ endpoint: SessionEndpoint) {
        orders.attach(endpoint)
        endpoints.withLock { $0[endpoint.id.targetCompID] = endpoint }
    }

    /// Starts the market: the venue's clock (prices step, resting orders fill) and market data
    /// published to subscribers every `interval`.
    public func start(interval: TimeAmount = .milliseconds(250)) {
        let loop = orders.loop
        loop.execute { [orders] in orders.gateway.recordTrades() }
        orders.start(interval: interval)
        let task = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
            runScenario(now: orders.clock())
            publishMarketData()
        }
        timer.withLock { $0 = task }
    }

    public func stop() {
        orders.stop()
        timer.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    public var tradingStatus: TradingStatus { status.withLock { $0 } }

    // MARK: FIXApplication

    public func onLogon(_ session: SessionID) {
        // Unsolicited, as exchanges announce the session's state to each participant.
        endpoint(session.targetCompID)?.send(msgType: MsgType.tradingSessionStatus.rawValue, body: statusBody(requestID: nil))
    }

    public func onLogout(_ session: SessionID, loggedOut: Bool) {
        publisher.withLock { $0.sessionEnded(session.targetCompID) }
        orders.onLogout(session, loggedOut: loggedOut)
    }

    public func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        let counterparty = session.targetCompID
        // Participants may name contracts as an exchange does (`VenueSymbolRoots`): the order
        // flow and the books work in the catalog's symbols, and answers go out in theirs.
        let message = orders.participantSymbols.canonicalMessage(message)
        switch message.type {
        case .marketDataRequest:
            marketDataRequest(message, from: counterparty, replies: &replies)
        case .securityListRequest:
            let listed = orders.gateway.catalog.instruments
            let wanted = message[FIXTag.symbol]?.string
            let instruments = message[FIXTag.securityListRequestType]?.string == "0" && wanted != nil ? listed.filter { $0.symbol == wanted } : listed
            replies.send(msgType: MsgType.securityList.rawValue, body: orders.outward(SecurityDefinitions.list(instruments, requestID: message[FIXTag.securityReqID]?.string ?? "",
                                                                                      responseID: nextResponseID())))
        case .securityDefinitionRequest:
            let symbol = message[FIXTag.symbol]?.string ?? ""
            replies.send(msgType: MsgType.securityDefinition.rawValue, body: orders.outward(SecurityDefinitions.definition(
                orders.gateway.catalog.instrument(symbol: symbol), symbol: symbol,
                requestID: message[FIXTag.securityReqID]?.string ?? "", responseID: nextResponseID())))
        case .tradingSessionStatusRequest:
            replies.send(msgType: MsgType.tradingSessionStatus.rawValue, body: statusBody(requestID: message[FIXTag.tradSesReqID]?.string))
        default:
            switch entryConditions(message, now: orders.clock()) {
            case .refuse(let text):
                orders.refuse(message, from: session, text: text, replies: &replies)
            case .delay(let milliseconds):
                // An exchange slow to answer: the request reaches the book that much later.
                orders.loop.scheduleTask(in: .milliseconds(Int64(milliseconds))) { [self] in
                    orders.receivedLater(message, from: session)
                    publishMarketData()
                }
            case .accept:
                orders.received(message, from: session, replies: &replies)
                publishMarketData()
            }
        }
    }

    // MARK: Market data

    private func marketDataRequest(_ message: FIXMessage, from session: String, replies: inout FIXReplies) {
        let request: MarketDataRequest
        switch MarketDataRequest.parse(message) {
        case .success(let parsed): request = parsed
        case .failure(let rejection):
            replies.send(msgType: MsgType.marketDataRequestReject.rawValue, body: orders.outward(rejection.body))
            return
        }
        let gateway = orders.gateway
        let catalog = gateway.catalog
        // Under the publisher's lock, so no publish can slip between the snapshot and the
        // subscription's first incremental.
        let result = publisher.withLock { publisher in
            publisher.handle(request, from: session, listed: { catalog.instrument(symbol: $0) != nil },
                             book: { gateway.depth(symbol: $0, levels: $1) }, lastTrade: { gateway.lastTradePrice(symbol: $0) })
        }
        switch result {
        case .success(let snapshots):
            for snapshot in snapshots { replies.send(msgType: MsgType.marketDataSnapshotFullRefresh.rawValue, body: orders.outward(snapshot)) }
        case .failure(let rejection):
            replies.send(msgType: MsgType.marketDataRequestReject.rawValue, body: orders.outward(rejection.body))
        }
    }

    /// Sends every subscriber what moved since the last publish: book levels and trades.
    public func publishMarketData() {
        let gateway = orders.gateway
        publisher.withLock { publisher in
            let trades = gateway.drainTrades()
            guard publisher.subscriptionCount > 0 else { return }
            let out = publisher.publish(book: { gateway.depth(symbol: $0, levels: $1) }, trades: trades,
                                        lastTrade: { gateway.lastTradePrice(symbol: $0) })
            // Sent under the lock, so two publishes never reach a session out of order.
            for message in out { endpoint(message.session)?.send(msgType: message.msgType, body: orders.outward(message.body)) }
        }
    }

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
        status.withLock { $0 = new }
        orders.risk.setTradingState(tradingState, for: .firm, by: person, now: orders.clock())
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
