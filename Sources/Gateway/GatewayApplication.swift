import FIXCodec
import FIXJournal
import FIXSession
import FIXTransport
import Dispatch
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The order gateway as a FIX application (`Application=gateway`): each OMS session's
/// orders, cancels and replaces go to the ``OrderGateway``; its execution reports go back to
/// the session they concern, whichever session's message (or timer) produced them.
public final class GatewayApplication: FIXApplication {
    public let gateway: OrderGateway
    private let journal: Journal
    private let endpoints = Mutex<[String: SessionEndpoint]>([:])
    private let timer = Mutex<RepeatedTask?>(nil)
    private let logger: Logger

    /// - Parameter journal: where the gateway's decisions are written (the profile's journal).
    public init(gateway: OrderGateway, journal: Journal, logger: Logger = Logger(label: "wellhead.gateway")) {
        self.gateway = gateway
        self.journal = journal
        self.logger = logger
    }

    /// Makes the application's reports reach `endpoint`'s OMS (named by its TargetCompID),
    /// connected or not: a disconnected session queues them for its next logon.
    public func attach(_ endpoint: SessionEndpoint) {
        endpoints.withLock { $0[endpoint.id.targetCompID] = endpoint }
    }

    /// Starts moving the venue's clock every `interval`: prices step, resting orders fill.
    public func start(on loop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any(), interval: TimeAmount = .milliseconds(250)) {
        let task = loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [self] _ in
            _ = deliver(gateway.advance(now: WallClock.now().nanosecondsSinceEpoch), replyingTo: nil)
        }
        timer.withLock { $0 = task }
    }

    public func stop() {
        timer.withLock { task in
            task?.cancel()
            task = nil
        }
    }

    public func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        let now = WallClock.now().nanosecondsSinceEpoch
        guard let outbound = gateway.handle(message, from: session.targetCompID, now: now) else {
            replies.businessReject(message, reason: 3, text: "Unsupported message type \(message.msgType ?? "")")
            return
        }
        for reply in deliver(outbound, replyingTo: session.targetCompID) {
            replies.send(msgType: reply.msgType, body: reply.body)
        }
    }

    public func onLogout(_ session: SessionID, loggedOut: Bool) {
        let outbound = gateway.sessionDisconnected(session.targetCompID, loggedOut: loggedOut, now: WallClock.now().nanosecondsSinceEpoch)
        _ = deliver(outbound, replyingTo: nil)
    }

    /// Journals the gateway's decisions, then hands each report to its session. Returns the
    /// replies for `session`, the one whose message is being handled: they go back through
    /// that message's `FIXReplies`, in order with it.
    private func deliver(_ outbound: [GatewayOutbound], replyingTo session: String?) -> [GatewayOutbound] {
        journalAudit()
        var replies: [GatewayOutbound] = []
        for message in outbound {
            if message.msgType == "5" {
                // The only logout the gateway asks for. Run after this message's handling, so
                // the replies already queued for the session go first.
                let endpoint = endpoints.withLock { $0[message.session] }
                DispatchQueue.global().async { _ = endpoint?.logout(reason: "message rate far above the limit") }
            } else if message.session == session {
                replies.append(message)
            } else if let endpoint = endpoints.withLock({ $0[message.session] }) {
                endpoint.send(msgType: message.msgType, body: message.body)
            } else {
                logger.warning("no session \(message.session) for a \(message.msgType) report")
            }
        }
        return replies
    }

    private func journalAudit() {
        let events = gateway.drainAudit()
        guard !events.isEmpty else { return }
        let logger = self.logger
        journal.write(events.map { .event(kind: $0.kind, time: $0.time, json: $0.json) }) { error in
            if let error { logger.error("gateway decisions not journaled: \(error)") }
        }
    }
}
