import FIXCodec
import FIXJournal
import FIXSession
import Logging
import NIOCore

/// Carries one connection's FIX session: feeds framed input to the ``SessionStateMachine``
/// and carries out what it asks, with the journal's output-commit rule — what a read brings
/// in is acted on at once, and it is committed together with everything it caused, on this
/// session and any other the loop carries (``OutputCommit``), before any of that is written
/// to a socket.
///
/// Durability costs one commit per turn of the event loop, not per message and not per
/// direction: the inbound messages of a read and the replies they caused are one transaction.
final class FIXSessionHandler: ChannelInboundHandler {
    typealias InboundIn = FIXInboundFrame
    typealias OutboundOut = ByteBuffer

    /// How a connection finds its session.
    enum Binding {
        /// An acceptor's connection: the first message's CompIDs pick the session.
        case acceptor(SessionRegistry)
        /// An initiator's connection, for one session.
        case initiator(SessionEndpoint)
    }

    private let binding: Binding
    private var logger: Logger
    private var endpoint: SessionEndpoint?
    private var machine: SessionStateMachine?
    private var context: ChannelHandlerContext?
    /// The loop's output commit to the session's journal, once bound.
    private var output: OutputCommit?
    private var entries: [JournalEntry] = []
    private var writes: [[UInt8]] = []
    private var replays: [(begin: Int, end: Int)] = []
    private var closeReason: String?
    /// A close asked for with resends, carried out after they are served.
    private var pendingClose: String?
    private var closing = false
    private var timer: RepeatedTask?
    /// Commits asked for and not yet durable: past ``inFlightLimit`` reading stops.
    private var commitsInFlight = 0
    private var readingPaused = false
    /// How deep inside an application callback this handler is. A command arriving then (the
    /// application sending through its own session's endpoint) waits in `deferred` and is
    /// carried out right after the callback, on the same working copy of the state machine:
    /// acting on it at once would number it from a stale copy.
    private var inApplication = 0
    private var deferred: [FIXSessionCommand] = []
    /// What arrived between claiming the session and its state coming back from the journal's
    /// writer (`nil` when not waiting): frames and commands, carried out in order once it is in.
    private var held: [HeldInput]?

    /// Input held while the session's state is read.
    private enum HeldInput {
        /// A frame and when it arrived, the time its journal record keeps.
        case frame(FIXInboundFrame, at: FIXTimestamp)
        case command(FIXSessionCommand)
    }

    private let openedAt = WallClock.now().nanosecondsSinceEpoch
    /// How long an acceptor waits for the first message before it knows the session.
    static let unboundTimeout: Int64 = 10_000_000_000

    /// Commits in flight beyond which reading stops until they complete.
    static let inFlightLimit = 64

    init(binding: Binding, logger: Logger) {
        self.binding = binding
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        if case .initiator(let endpoint) = binding {
            guard bind(endpoint, context: context) else { return }
        }
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        timer = loop.scheduleRepeatedTask(initialDelay: .milliseconds(250), delay: .milliseconds(250)) { _ in
            bound.value.tick()
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        if let endpoint, var machine {
            let wasLoggedOn = machine.isLoggedOn || machine.state == .awaitingLogout
            perform(machine.disconnected(now: WallClock.now()), machine: &machine)
            endpoint.metrics.loggedOn.record(0)
            self.machine = machine
            if wasLoggedOn { endpoint.application.onLogout(endpoint.id, loggedOut: false) }
            entries.append(.sequenceNumbers(endpoint.journalSession, nextSender: machine.nextSenderSeqNum,
                                            nextTarget: machine.nextTargetSeqNum))
            let logger = self.logger
            output?.write(entries) { error in
                if let error { logger.error("journal write failed at disconnect", metadata: ["error": "\(error)"]) }
            }
            entries.removeAll()
            writes.removeAll()
            endpoint.release(context.channel)
            logger.info("disconnected")
        } else if let endpoint {
            // Closed before the session's state came in: nothing was numbered here. Messages
            // the application gave meanwhile go the way of any sent while no connection
            // carries the session, numbered and journaled for the counterparty's next logon.
            endpoint.release(context.channel)
            for case .command(.send(let msgType, let body, let header)) in held ?? [] {
                endpoint.send(msgType: msgType, body: body, header: header)
            }
            held = nil
            logger.info("disconnected")
        }
        closing = true
        context.fireChannelInactive()
    }

    /// Attaches the connection to its session, or closes it if the session is taken, and asks
    /// the journal for the session's state; input waits in `held` until it comes back.
    ///
    /// The state is read on the journal's writer thread, not here on the event loop, and only
    /// after the claim: a message sent while the session was free is queued on the writer
    /// before the claim, so the read sees its number; one sent after the claim comes to this
    /// connection (``SessionEndpoint/send(msgType:body:header:)``).
    private func bind(_ endpoint: SessionEndpoint, context: ChannelHandlerContext) -> Bool {
        guard endpoint.claim(context.channel) else {
            logger.warning("session already connected; dropping the second connection", metadata: ["session": "\(endpoint.id)"])
            close(context)
            return false
        }
        self.endpoint = endpoint
        output = OutputCommit.shared(journal: endpoint.journal, loop: context.eventLoop)
        logger[metadataKey: "session"] = "\(endpoint.id)"
        held = []
        // What is already read waits in `held`; no more is read until the state is in.
        pauseReading(context)
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        endpoint.readJournalState { result in
            loop.execute { bound.value.stateRead(result) }
        }
        return true
    }

    /// The session's state is in: starts the state machine, then carries out what was held.
    private func stateRead(_ result: Result<JournalSessionState, JournalError>) {
        guard let endpoint, let context, let input = held, !closing else { return }
        held = nil
        let state: JournalSessionState
        switch result {
        case .success(let read): state = read
        case .failure(let error):
            logger.error("cannot read the journal", metadata: ["session": "\(endpoint.id)", "error": "\(error)"])
            // Back in `held` so that closing hands the application's messages to the endpoint.
            held = input
            close(context)
            return
        }
        var machine = SessionStateMachine(configuration: endpoint.configuration, nextSenderSeqNum: state.nextSenderSeqNum,
                                          nextTargetSeqNum: state.nextTargetSeqNum, endedWithoutLogout: state.status == .loggedOn,
                                          resetOnNextLogon: state.status == .resetPending)
        perform(machine.connected(now: WallClock.now()), machine: &machine)
        self.machine = machine
        // In the order they arrived: a message the application sent after a frame was read
        // is numbered after that frame's replies.
        for item in input {
            switch item {
            case .frame(let frame, let arrived): receive(frame, now: arrived)
            case .command(let command): carryOut(command)
            }
        }
        commit()
        if context.channel.isWritable && commitsInFlight < Self.inFlightLimit { resumeReading(context) }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let frame = unwrapInboundIn(data)
        let now = WallClock.now()
        if endpoint == nil {
            guard case .message(let bytes) = frame, case .acceptor(let registry) = binding else {
                // Garbled bytes before the Logon are ignored, as FIX says.
                return
            }
            guard let message = try? FIXParser().parse(bytes), let endpoint = registry.endpoint(for: message) else {
                logger.warning("connection from an unknown session; closing without a reply")
                close(context)
                return
            }
            guard bind(endpoint, context: context) else { return }
        }
        if held != nil {
            held?.append(.frame(frame, at: now))
            return
        }
        receive(frame, now: now)
    }

    /// Journals a frame of the bound session and acts on it at once: its record and what it
    /// causes go to the journal in the same commit, before anything it causes is sent.
    private func receive(_ frame: FIXInboundFrame, now: FIXTimestamp) {
        guard let endpoint, var machine else { return }
        switch frame {
        case .message(let bytes):
            endpoint.metrics.received.increment()
            let message = try? machine.messageParser.parse(bytes)
            let msgType = message?.msgType ?? ""
            if message == nil || endpoint.journaling.stores(msgType) {
                entries.append(.message(JournalRecord(
                    session: endpoint.journalSession, direction: .inbound, sequenceNumber: message?.msgSeqNum ?? 0,
                    msgType: msgType, kind: message == nil ? .garbled : .message, time: now.nanosecondsSinceEpoch,
                    bytes: msgType == SessionMsgType.logon ? LogonRedaction.redacted(bytes) : bytes)))
            }
            // A message counted but not kept is covered by the sequence numbers the commit writes.
            guard let message, !closing else { return }
            endpoint.metrics.activity.received(message, at: now)
            perform(machine.received(message, now: now), machine: &machine)
            self.machine = machine
        case .garbled(let reason, let bytes):
            logger.notice("ignoring garbled input", metadata: ["reason": "\(reason)"])
            entries.append(.message(JournalRecord(session: endpoint.journalSession, direction: .inbound, sequenceNumber: 0,
                                                  msgType: "", kind: .garbled, time: now.nanosecondsSinceEpoch, bytes: bytes)))
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        commit()
        context.fireChannelReadComplete()
    }

    // MARK: Actions

    private func perform(_ actions: [SessionAction]) {
        guard var machine else { return }
        perform(actions, machine: &machine)
        self.machine = machine
    }

    private func perform(_ actions: [SessionAction], machine: inout SessionStateMachine) {
        guard let endpoint else { return }
        for action in actions {
            switch action {
            case .send(let outbound):
                if endpoint.journaling.stores(outbound.msgType) { entries.append(.message(JournalRecord(
                    session: endpoint.journalSession, direction: .outbound, sequenceNumber: outbound.sequenceNumber,
                    msgType: outbound.msgType, kind: outbound.kind == .queued ? .queued : (outbound.kind == .resend ? .resend : .message),
                    time: WallClock.now().nanosecondsSinceEpoch,
                    bytes: outbound.msgType == SessionMsgType.logon ? LogonRedaction.redacted(outbound.bytes) : outbound.bytes))) }
                if outbound.kind != .queued {
                    writes.append(outbound.bytes)
                    endpoint.metrics.countSent(msgType: outbound.msgType, bytes: outbound.bytes)
                }
            case .deliver(let message):
                var replies = FIXReplies()
                inApplication += 1
                endpoint.application.received(message, from: endpoint.id, replies: &replies)
                inApplication -= 1
                for reply in replies.replies {
                    let now = WallClock.now()
                    switch reply {
                    case .message(let msgType, let body, let header):
                        perform(machine.send(msgType: msgType, body: body, header: header, now: now), machine: &machine)
                    case .businessReject(let original, let reason, let text, let refIDTag):
                        perform(machine.businessReject(original, reason: reason, text: text, refIDTag: refIDTag, now: now),
                                machine: &machine)
                    }
                }
                carryOutDeferred(&machine)
            case .replay(let begin, let end):
                replays.append((begin, end))
            case .disconnect(let reason):
                closeReason = reason
                closing = true
            case .sequenceNumbersReset:
                entries.append(.reset(endpoint.journalSession, periodStart: WallClock.now().nanosecondsSinceEpoch))
            case .event(let event):
                inApplication += 1
                log(event, endpoint: endpoint)
                inApplication -= 1
                carryOutDeferred(&machine)
            }
        }
    }

    /// Commands the application gave during a callback, after its replies.
    private func carryOutDeferred(_ machine: inout SessionStateMachine) {
        while !deferred.isEmpty {
            let command = deferred.removeFirst()
            perform(actions(for: command, machine: &machine), machine: &machine)
        }
    }

    private func actions(for command: FIXSessionCommand, machine: inout SessionStateMachine) -> [SessionAction] {
        switch command {
        case .logout(let reason): machine.logout(reason: reason, now: WallClock.now())
        case .resetSequenceNumbers: machine.requestSequenceReset(now: WallClock.now())
        case .send(let msgType, let body, let header): machine.send(msgType: msgType, body: body, header: header, now: WallClock.now())
        }
    }

    private func log(_ event: SessionEvent, endpoint: SessionEndpoint) {
        switch event {
        case .loggedOn(let interval, let reset):
            logger.info("logged on", metadata: ["heartBtInt": "\(interval)", "reset": "\(reset)"])
            // Journaled with the Logon: a connection that ends before a Logout is then known,
            // after a restart too, to have dropped a live session.
            entries.append(.status(endpoint.journalSession, .loggedOn))
            endpoint.metrics.loggedOn.record(1)
            endpoint.application.onLogon(endpoint.id)
        case .loggedOut(let reason):
            entries.append(.status(endpoint.journalSession, .loggedOut))
            endpoint.metrics.loggedOn.record(0)
            logger.info("logged out", metadata: ["reason": "\(reason)"])
            endpoint.application.onLogout(endpoint.id, loggedOut: true)
        case .rejected(let seq, let reason):
            logger.notice("rejected message", metadata: ["seq": "\(seq)", "reason": "\(reason)"])
        case .gapDetected(let expected, let received):
            logger.notice("sequence gap; resend requested", metadata: ["expected": "\(expected)", "received": "\(received)"])
        case .garbled(let reason):
            logger.notice("garbled message ignored", metadata: ["reason": "\(reason)"])
        case .logonRefused(let reason):
            logger.warning("logon refused", metadata: ["reason": "\(reason)"])
            entries.append(.event(kind: "session.logon-refused", time: WallClock.now().nanosecondsSinceEpoch,
                                  json: "{\"session\":\"\(endpoint.id)\",\"reason\":\"\(reason.replacingOccurrences(of: "\"", with: "'"))\"}"))
        case .resetOnNextLogon:
            entries.append(.status(endpoint.journalSession, .resetPending))
            logger.notice("sequence numbers reset; the next Logon asks the counterparty to reset too")
        case .warning(let text):
            logger.warning("session warning", metadata: ["text": "\(text)"])
        default:
            logger.debug("session event", metadata: ["event": "\(event)"])
        }
    }

    /// Hands what the session journaled and produced since the last commit to the loop's
    /// output commit; the bytes are written once it is durable, then resends are served.
    private func commit() {
        guard let endpoint, let machine, let output, let context else { return }
        // Bytes to send always commit (a message counted but not kept still moves the sequence
        // number the commit writes). Inbound messages counted but not kept alone do not: their
        // numbers go with the session's next commit, and a crash before it has the counterparty
        // send them again, as it would any message not committed.
        guard !entries.isEmpty || !writes.isEmpty || !replays.isEmpty || closeReason != nil else { return }
        entries.append(.sequenceNumbers(endpoint.journalSession, nextSender: machine.nextSenderSeqNum,
                                        nextTarget: machine.nextTargetSeqNum))
        // Once a turn, not once a message: two atomic stores.
        endpoint.metrics.nextSenderSeq.record(machine.nextSenderSeqNum)
        endpoint.metrics.nextTargetSeq.record(machine.nextTargetSeqNum)
        let batch = entries, bytes = writes, resends = replays, reason = closeReason
        entries.removeAll(keepingCapacity: true)
        writes.removeAll(keepingCapacity: true)
        replays.removeAll()
        closeReason = nil
        commitsInFlight += 1
        if commitsInFlight >= Self.inFlightLimit { pauseReading(context) }
        output.write(batch) { [self] error in
            commitsInFlight -= 1
            outboundDurable(bytes, resends: resends, close: reason, error: error)
            if readingPaused && commitsInFlight < Self.inFlightLimit / 2 && held == nil && !closing,
               let context = self.context, context.channel.isWritable {
                resumeReading(context)
            }
        }
    }

    /// Reads the stored messages of each range on the journal's writer thread, never on the
    /// event loop, then serves them here.
    private func readResends(_ resends: [(begin: Int, end: Int)]) {
        guard let endpoint, let context else { return }
        let journal = endpoint.journal
        let session = endpoint.journalSession
        let persist = endpoint.persistMessages
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let ranges = resends.map { ResendRange(begin: $0.begin, end: $0.end) }
        journal.write([]) { error in
            var served: [ServedResend] = []
            var unreadable: UnreadableResend?
            for range in ranges {
                if let error {
                    unreadable = UnreadableResend(begin: range.begin, end: range.end, error: error)
                    break
                }
                guard persist else {
                    served.append(ServedResend(begin: range.begin, end: range.end, stored: []))
                    continue
                }
                do throws(JournalError) {
                    let rows = try journal.sentMessages(session: session, from: range.begin, through: range.end)
                    served.append(ServedResend(begin: range.begin, end: range.end,
                                               stored: rows.map { StoredMessage(sequenceNumber: $0.sequenceNumber, bytes: $0.bytes) }))
                } catch {
                    unreadable = UnreadableResend(begin: range.begin, end: range.end, error: error)
                    break
                }
            }
            let read = served, failed = unreadable
            loop.execute { bound.value.serve(read, unreadable: failed) }
        }
    }

    private struct ResendRange: Sendable {
        var begin: Int
        var end: Int
    }

    /// A ResendRequest's range with the messages the journal holds in it (none when messages
    /// are not persisted: all of it is gap-filled).
    private struct ServedResend {
        var begin: Int
        var end: Int
        var stored: [StoredMessage]
    }

    /// A ResendRequest's range whose stored messages cannot be read.
    private struct UnreadableResend {
        var begin: Int
        var end: Int
        var error: JournalError
    }

    private func outboundDurable(_ bytes: [[UInt8]], resends: [(begin: Int, end: Int)], close reason: String?,
                                 error: JournalError?) {
        guard let context else { return }
        if let error {
            // Fail closed: what this session (and the application) decided is not in the
            // journal, so none of it may leave, and nothing after it either (the journal
            // now refuses every write). The connection is dropped without a Logout: a Logout
            // would be a sequence number the journal does not have.
            logger.critical("journal write failed; closing the connection without sending", metadata: ["error": "\(error)"])
            closeNow()
            return
        }
        guard !bytes.isEmpty || !resends.isEmpty || reason != nil else { return }
        for message in bytes {
            context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: message)), promise: nil)
        }
        context.flush()
        if !resends.isEmpty {
            readResends(resends)
            // The close, if any, follows the resends it was asked with.
            if let reason { pendingClose = reason }
            return
        }
        if let reason {
            logger.info("closing", metadata: ["reason": "\(reason)"])
            closeNow()
        }
    }

    /// Serves resends read from the journal, then closes if a close waited on them.
    private func serve(_ resends: [ServedResend], unreadable: UnreadableResend?) {
        if let unreadable, let endpoint {
            // Gap-filling what cannot be read would tell the counterparty those messages never
            // mattered (an execution report lost for good): fail closed instead, so its next
            // logon asks again, and the journal's damage is seen.
            logger.error("stored messages cannot be read for a resend; closing without serving it",
                         metadata: ["session": "\(endpoint.id)", "beginSeqNo": "\(unreadable.begin)",
                                    "endSeqNo": "\(unreadable.end)", "error": "\(unreadable.error)"])
            closeNow()
            return
        }
        if !resends.isEmpty, var machine, !closing {
            for resend in resends {
                perform(machine.replay(resend.stored, begin: resend.begin, end: resend.end, now: WallClock.now()), machine: &machine)
            }
            self.machine = machine
            if let reason = pendingClose {
                pendingClose = nil
                closeReason = reason
            }
            commit()
        }
    }

    // MARK: Timers and commands

    private func tick() {
        if endpoint == nil, !closing, let context, WallClock.now().nanosecondsSinceEpoch - openedAt > Self.unboundTimeout {
            logger.notice("no Logon in time after connecting; closing", metadata: ["seconds": "\(Self.unboundTimeout / 1_000_000_000)"])
            close(context)
            return
        }
        guard var machine, !closing else { return }
        if let endpoint, let failure = endpoint.journal.failure {
            logger.critical("the journal cannot be written; closing the connection without sending", metadata: ["error": "\(failure)"])
            closeNow()
            return
        }
        perform(machine.tick(now: WallClock.now()), machine: &machine)
        self.machine = machine
        commit()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let command = event as? FIXSessionCommand else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if inApplication > 0 {
            deferred.append(command)
            return
        }
        if held != nil {
            held?.append(.command(command))
            return
        }
        carryOut(command)
    }

    private func carryOut(_ command: FIXSessionCommand) {
        guard var machine, !closing else { return }
        perform(actions(for: command, machine: &machine), machine: &machine)
        self.machine = machine
        commit()
    }

    // MARK: Back-pressure

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // A slow reader on the other side: stop reading (and so producing replies) until
        // our writes drain, so memory does not grow without bound.
        if context.channel.isWritable {
            if commitsInFlight < Self.inFlightLimit && held == nil { resumeReading(context) }
        } else {
            pauseReading(context)
        }
        context.fireChannelWritabilityChanged()
    }

    private func pauseReading(_ context: ChannelHandlerContext) {
        guard !readingPaused else { return }
        readingPaused = true
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
    }

    private func resumeReading(_ context: ChannelHandlerContext) {
        guard readingPaused else { return }
        readingPaused = false
        context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.notice("connection error", metadata: ["error": "\(error)"])
        close(context)
    }

    private func closeNow() {
        closing = true
        if let context { close(context) }
    }

    private func close(_ context: ChannelHandlerContext) {
        closing = true
        context.close(promise: nil)
    }
}

/// Logon passwords stay out of the journal: the Password (554) of a Logon, in or out, is
/// journaled as asterisks of the same length (the stored CheckSum no longer matches, which
/// marks the record as redacted; a Logon is never resent).
enum LogonRedaction {
    static func redacted(_ bytes: [UInt8]) -> [UInt8] {
        let marker: [UInt8] = [0x01, 0x35, 0x35, 0x34, 0x3D] // SOH "554="
        guard bytes.count > marker.count else { return bytes }
        var index = 0
        while index + marker.count <= bytes.count {
            if bytes[index] == 0x01, Array(bytes[index..<(index + marker.count)]) == marker {
                var copy = bytes
                var position = index + marker.count
                while position < copy.count, copy[position] != 0x01 {
                    copy[position] = UInt8(ascii: "*")
                    position += 1
                }
                return copy
            }
            index += 1
        }
        return bytes
    }
}
