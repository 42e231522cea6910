import FIXCodec
import FIXJournal
import FIXSession
import Logging
import NIOCore
import Synchronization

/// One configured session: its settings, its rows in the journal, its application, and the
/// connection currently carrying it (at most one).
public final class SessionEndpoint: Sendable {
    public let configuration: SessionConfiguration
    public let application: any FIXApplication
    let journal: Journal
    let journalSession: JournalSession
    /// QuickFIX's PersistMessages: when false, a ResendRequest is answered with gap fills only.
    public let persistMessages: Bool
    /// Which messages the journal keeps whole (all of them unless the profile says otherwise).
    public let journaling: MessageJournaling
    /// The session's instruments, made here once: its handler counts on them per message.
    public let metrics: SessionMetrics
    private let connection = Mutex<Channel?>(nil)
    private static let logger = Logger(label: "wellhead.session")

    public init(configuration: SessionConfiguration, application: any FIXApplication, journal: Journal,
                persistMessages: Bool = true, journaling: MessageJournaling = .everything,
                now: FIXTimestamp = WallClock.now()) throws(JournalError) {
        self.configuration = configuration
        self.persistMessages = persistMessages
        self.journaling = journaling
        self.application = application
        self.journal = journal
        let state: JournalSessionState
        (journalSession, state) = try journal.session(named: configuration.id.description, now: now.nanosecondsSinceEpoch)
        metrics = SessionMetrics(session: configuration.id.description)
        metrics.nextSenderSeq.record(state.nextSenderSeqNum)
        metrics.nextTargetSeq.record(state.nextTargetSeqNum)
    }

    public var id: SessionID { configuration.id }

    /// The journal's sequence numbers and status for this session, read on the journal's
    /// writer thread after every write queued before this call (the messages numbered while no
    /// connection carried the session among them): `completion` runs there with the state, or
    /// with why it cannot be read. An event loop binding a connection never touches SQLite.
    func readJournalState(completion: @escaping @Sendable (Result<JournalSessionState, JournalError>) -> Void) {
        journal.readState(of: journalSession, completion: completion)
    }

    /// Binds a connection to this session; `false` if another already carries it.
    /// A connection that has already closed (its last messages written, its state journaled,
    /// only its clean-up still to run on its own event loop) no longer holds the session: a
    /// counterparty reconnecting at once after this side logged it out is not a duplicate.
    func claim(_ channel: Channel) -> Bool {
        connection.withLock { current in
            if let holder = current, holder.isActive { return false }
            current = channel
            return true
        }
    }

    func release(_ channel: Channel) {
        connection.withLock { current in
            if current === channel { current = nil }
        }
    }

    /// Whether a connection currently carries this session.
    public var isConnected: Bool { connection.withLock { $0 != nil } }

    /// The next sequence numbers in and out, and how the last connection ended, as the journal's
    /// queue has them (what the last turn committed): `nil` at `JournalSync=full`.
    public var queuedState: JournalSessionState? { journal.queuedState(of: journalSession) }

    /// Starts the Logout handshake on the live connection, if any; the future completes
    /// when the connection has closed.
    public func logout(reason: String?) -> EventLoopFuture<Void>? {
        guard let channel = connection.withLock({ $0 }) else { return nil }
        channel.pipeline.fireUserInboundEventTriggered(FIXSessionCommand.logout(reason: reason))
        return channel.closeFuture
    }

    /// Drops the live connection without a Logout, as a network failure would (a venue
    /// scenario testing a counterparty's reconnect and resend); the session's sequence numbers
    /// are kept for its next logon. `false` when nothing was connected.
    @discardableResult
    public func drop() -> Bool {
        guard let channel = connection.withLock({ $0 }) else { return false }
        channel.close(promise: nil)
        return true
    }

    /// How a reset of the sequence numbers was carried out.
    public enum SequenceReset: Sendable, Equatable {
        /// Logged on: a Logon with ResetSeqNumFlag (141=Y) went to the counterparty, which
        /// answers with its own (QuickFIX does); both sides then number from 1.
        case requestedInSession
        /// No connection: the journal's numbers are 1 and 1, and the next Logon carries
        /// ResetSeqNumFlag so the counterparty starts again too (QuickFIX's `Session::reset`).
        case resetForNextLogon
    }

    /// Starts both sequences again at 1, as a desk does after agreeing it with the counterparty
    /// (the console's "reset"). `completion` runs once the reset is journaled, or with why it
    /// could not be; on a live session the reset Logon and its answer are journaled by the
    /// session's own commit as they happen.
    public func resetSequenceNumbers(completion: @escaping @Sendable (Result<SequenceReset, JournalError>) -> Void) {
        if let channel = carrier {
            channel.pipeline.fireUserInboundEventTriggered(FIXSessionCommand.resetSequenceNumbers)
            completion(.success(.requestedInSession))
            return
        }
        // Decided on the writer thread, as a message for a disconnected session is: a
        // connection that claimed the session meanwhile gets the reset as a command instead.
        final class HandedOver: Sendable { let value = Atomic<Bool>(false) }
        let handedOver = HandedOver()
        journal.write(for: journalSession, building: { [self] _ in
            if let channel = carrier {
                channel.pipeline.fireUserInboundEventTriggered(FIXSessionCommand.resetSequenceNumbers)
                handedOver.value.store(true, ordering: .relaxed)
                return []
            }
            return [.reset(journalSession, periodStart: WallClock.now().nanosecondsSinceEpoch), .status(journalSession, .resetPending)]
        }, completion: { error in
            if let error { return completion(.failure(error)) }
            completion(.success(handedOver.value.load(ordering: .relaxed) ? .requestedInSession : .resetForNextLogon))
        })
    }

    /// The connection carrying this session, if one is live: a connection that has closed
    /// (only its clean-up still to run) carries nothing, as in ``claim(_:)``.
    private var carrier: Channel? {
        connection.withLock { current in current.flatMap { $0.isActive ? $0 : nil } }
    }

    /// Sends an application message from outside the session's event loop (a venue's
    /// execution report, a console action); returns at once, whatever loop or thread it is
    /// called on.
    ///
    /// While no connection carries the session the message still gets its sequence number
    /// and is journaled (as FIX engines do): at the next logon the counterparty sees the
    /// gap and fetches it with a ResendRequest, so nothing the application sent is lost.
    public func send(msgType: String, body: FIXFieldList, header: FIXFieldList = FIXFieldList()) {
        let command = FIXSessionCommand.send(msgType: msgType, body: body, header: header)
        if let channel = carrier {
            channel.pipeline.fireUserInboundEventTriggered(command)
            return
        }
        queueWhileDisconnected(command, msgType: msgType, body: body, header: header)
    }

    /// Numbers and journals a message for a session no connection carries, on the journal's
    /// writer thread: the numbers are read there, in the writer's order, so nothing here
    /// waits on SQLite or on another thread.
    ///
    /// The writer looks again whether a connection carries the session. A connection claims
    /// the session before it queues its state read, so when none does, a connection still to
    /// come queues its read after this write and sees the number it took. When one does, it
    /// may have claimed between `send` looking and this write being queued, its read ahead of
    /// this write: the message goes to it instead, to be numbered by its own state machine (a
    /// handler holds commands until its state is in). So neither the connection lock nor the
    /// journal's queue is ever taken inside the other, and no one waits.
    private func queueWhileDisconnected(_ command: FIXSessionCommand, msgType: String, body: FIXFieldList, header: FIXFieldList) {
        let id = configuration.id
        let make: @Sendable (JournalSessionState) -> [JournalEntry] = { [self] state in
            if let channel = carrier {
                channel.pipeline.fireUserInboundEventTriggered(command)
                return []
            }
            let now = WallClock.now()
            var machine = SessionStateMachine(configuration: configuration, nextSenderSeqNum: state.nextSenderSeqNum,
                                              nextTargetSeqNum: state.nextTargetSeqNum)
            var entries: [JournalEntry] = []
            for case .send(let outbound) in machine.send(msgType: msgType, body: body, header: header, now: now)
            where journaling.stores(outbound.msgType) {
                entries.append(.message(JournalRecord(session: journalSession, direction: .outbound,
                                                      sequenceNumber: outbound.sequenceNumber, msgType: outbound.msgType,
                                                      kind: .queued, time: now.nanosecondsSinceEpoch, bytes: outbound.bytes)))
            }
            entries.append(.sequenceNumbers(journalSession, nextSender: machine.nextSenderSeqNum, nextTarget: machine.nextTargetSeqNum))
            return entries
        }
        // Sent from an event loop (the gateway's, acting on a message it read), it is committed
        // with that message and the rest of what it caused; from anywhere else, on its own.
        journal.writeInTurn(for: journalSession, building: make) { error in
            // Not sent and not journaled: said, never dropped in silence.
            Self.logger.critical("message for a disconnected session not journaled",
                                 metadata: ["session": "\(id)", "msgType": "\(msgType)", "error": "\(error)"])
        }
    }
}

/// Requests delivered to a session's handler on its event loop.
enum FIXSessionCommand: Sendable {
    case logout(reason: String?)
    /// Both sequences start again at 1: a Logon with ResetSeqNumFlag (141=Y) during the session.
    case resetSequenceNumbers
    case send(msgType: String, body: FIXFieldList, header: FIXFieldList)
}

/// An acceptor's sessions, found by the CompIDs of an incoming Logon.
public struct SessionRegistry: Sendable {
    private var endpoints: [Key: SessionEndpoint] = [:]

    struct Key: Hashable {
        var beginString: String
        var ourCompID: String
        var theirCompID: String
    }

    public init(_ endpoints: [SessionEndpoint] = []) {
        for endpoint in endpoints { add(endpoint) }
    }

    public mutating func add(_ endpoint: SessionEndpoint) {
        let id = endpoint.id
        endpoints[Key(beginString: id.beginString, ourCompID: id.senderCompID, theirCompID: id.targetCompID)] = endpoint
    }

    /// The session a message from the counterparty belongs to: its TargetCompID is ours.
    func endpoint(for message: FIXMessage) -> SessionEndpoint? {
        guard let begin = message.beginString, let theirs = message[FIXTag.senderCompID]?.string,
              let ours = message[FIXTag.targetCompID]?.string else { return nil }
        return endpoints[Key(beginString: begin, ourCompID: ours, theirCompID: theirs)]
    }

    public var all: [SessionEndpoint] { Array(endpoints.values) }
}
