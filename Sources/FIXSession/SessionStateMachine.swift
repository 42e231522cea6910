import FIXCodec
import FIXDictionary
import Foundation

/// The FIX session protocol for one session: logon, heartbeats and test requests,
/// sequence numbers, gap detection and resend, sequence resets, rejects and logout.
///
/// A value type with no I/O. Each event (connected, a message received, a timer tick, the
/// application sending, a disconnect) returns the ``SessionAction``s the driver must carry
/// out in order. The driver journals inbound messages before calling ``received(_:now:)``
/// and journals every ``SessionOutbound`` it is asked to send before writing it.
public struct SessionStateMachine: Sendable {
    /// Where the session stands with its counterparty.
    public enum State: Sendable, Hashable {
        case disconnected
        /// Connected; the acceptor waits for a Logon, the initiator for the Logon reply.
        case awaitingLogon
        case loggedOn
        /// This side sent a Logout and waits for the reply.
        case awaitingLogout
    }

    /// A message held back because an earlier sequence number is missing.
    private enum Queued: Sendable {
        case message(FIXMessage)
        /// Already acted on (a Logon or ResendRequest that arrived ahead of a gap): only
        /// its sequence number remains to be consumed.
        case consumed
    }

    public let configuration: SessionConfiguration
    public private(set) var state: State = .disconnected
    public private(set) var nextSenderSeqNum: Int
    public private(set) var nextTargetSeqNum: Int
    /// The heartbeat interval in force: the configured one, or the initiator's for an acceptor.
    public private(set) var heartBtInt: Int
    /// The start of the schedule period the sequence numbers belong to.
    public private(set) var periodStart: Date?

    private let parser: FIXParser
    private let validator: FIXValidator?
    private var connectedAt: Int64 = 0
    private var logoutSentAt: Int64 = 0
    private var lastReceivedAt: Int64 = 0
    private var lastSentAt: Int64 = 0
    private var testRequestsSent = 0
    /// The last sequence number of the gap a ResendRequest of ours is waiting to see filled.
    private var resendThrough: Int?
    private var queue: [Int: Queued] = [:]
    /// Set when this side asked for a sequence reset by Logon and waits for the reply.
    private var awaitingResetReply = false
    /// The last connection ended while logged on (a drop, or a crash of either side) rather
    /// than with a Logout: a Logon that continues the numbering recovers that session.
    public private(set) var endedWithoutLogout: Bool
    /// This side reset both sequences after its last Logon was answered below its numbers:
    /// the next Logon asks the counterparty to reset too.
    public private(set) var resetOnNextLogon: Bool

    /// Messages queued behind a gap beyond this many are dropped: the ResendRequest asks
    /// for everything through infinity, so they come again once the gap is filled.
    public static let queueLimit = 10_000

    public init(configuration: SessionConfiguration, nextSenderSeqNum: Int = 1, nextTargetSeqNum: Int = 1,
                periodStart: Date? = nil, endedWithoutLogout: Bool = false, resetOnNextLogon: Bool = false) {
        self.configuration = configuration
        self.endedWithoutLogout = endedWithoutLogout
        self.resetOnNextLogon = resetOnNextLogon
        self.nextSenderSeqNum = nextSenderSeqNum
        self.nextTargetSeqNum = nextTargetSeqNum
        self.heartBtInt = configuration.heartBtInt
        self.periodStart = periodStart
        self.parser = FIXParser(dataFields: configuration.dictionary?.dataFields ?? .standard)
        self.validator = configuration.dictionary.map {
            FIXValidator(dictionary: $0, options: configuration.validation)
        }
    }

    public var isLoggedOn: Bool { state == .loggedOn }

    /// The parser this session reads with (its dictionary's data fields).
    public var messageParser: FIXParser { parser }

    /// How many received messages wait behind a gap.
    public var queuedCount: Int { queue.count }

    // MARK: - Connection events

    /// The transport connected. An initiator sends its Logon; an acceptor starts waiting for one.
    public mutating func connected(now: FIXTimestamp) -> [SessionAction] {
        state = .awaitingLogon
        connectedAt = now.nanosecondsSinceEpoch
        lastReceivedAt = connectedAt
        lastSentAt = connectedAt
        testRequestsSent = 0
        queue.removeAll()
        resendThrough = nil
        awaitingResetReply = false
        guard configuration.role == .initiator else { return [] }
        var actions: [SessionAction] = []
        let reset = configuration.resetOnLogon || resetOnNextLogon
        if reset { resetSequenceNumbers(&actions) }
        sendLogon(reset: reset, now: now, &actions)
        awaitingResetReply = reset
        return actions
    }

    /// The transport closed, for whatever reason.
    public mutating func disconnected(now: FIXTimestamp) -> [SessionAction] {
        let wasConnected = state != .disconnected
        if state == .loggedOn || state == .awaitingLogout { endedWithoutLogout = true }
        state = .disconnected
        queue.removeAll()
        resendThrough = nil
        awaitingResetReply = false
        var actions: [SessionAction] = []
        if wasConnected && configuration.resetOnDisconnect { resetSequenceNumbers(&actions) }
        return actions
    }

    /// Bytes that could not be framed or parsed: FIX says ignore them, consume no sequence
    /// number, and let the gap they leave be recovered by resend.
    public func garbled(_ reason: String) -> [SessionAction] {
        [.event(.garbled(reason))]
    }

    // MARK: - Inbound

    /// One framed message from the counterparty (BodyLength and CheckSum already verified).
    public mutating func received(_ bytes: [UInt8], now: FIXTimestamp) -> [SessionAction] {
        guard state != .disconnected else { return [] }
        let message: FIXMessage
        do {
            message = try parser.parse(bytes)
        } catch {
            return garbled("\(error)")
        }
        return received(message, now: now)
    }

    /// One framed message already parsed by the driver (which reads its header to route it).
    public mutating func received(_ message: FIXMessage, now: FIXTimestamp) -> [SessionAction] {
        guard state != .disconnected else { return [] }
        lastReceivedAt = now.nanosecondsSinceEpoch
        testRequestsSent = 0
        var actions: [SessionAction] = []
        process(message, now: now, &actions)
        drainQueue(now: now, &actions)
        return actions
    }

    private mutating func process(_ message: FIXMessage, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        guard let msgType = message.msgType else {
            actions.append(.event(.garbled("no MsgType")))
            return
        }
        if state == .awaitingLogon {
            guard msgType == SessionMsgType.logon else {
                disconnect("first message was not a Logon (35=\(msgType))", &actions)
                return
            }
            receivedLogon(message, now: now, &actions)
            return
        }
        if awaitingResetReply && !(msgType == SessionMsgType.logon && message[SessionTag.resetSeqNumFlag]?.bool == true) {
            // Numbered before the counterparty saw our reset: nothing in it can be placed.
            actions.append(.event(.warning("ignoring \(msgType) \(message.msgSeqNum ?? 0) sent before the counterparty answered our sequence reset")))
            return
        }
        guard message.beginString == configuration.id.beginString else {
            logoutAndDisconnect("Incorrect BeginString \(message.beginString ?? "")", now: now, &actions)
            return
        }
        guard let seq = message.msgSeqNum else {
            logoutAndDisconnect("MsgSeqNum(34) missing", now: now, &actions)
            return
        }
        if let rejection = missingCompID(message) {
            // Required or empty, not a CompID problem: QuickFIX checks presence first.
            reject(message, rejection, consume: seq == nextTargetSeqNum && msgType != SessionMsgType.sequenceReset, now: now, &actions)
            return
        }
        if let problem = compIDProblem(message) {
            reject(message, FIXRejection(.compIDProblem, refTagID: problem, refMsgType: msgType), consume: seq == nextTargetSeqNum, now: now, &actions)
            logoutAndDisconnect("CompID problem", now: now, &actions)
            return
        }
        if msgType == SessionMsgType.logon && message[SessionTag.resetSeqNumFlag]?.bool == true {
            // A reset Logon starts both sequences again whatever number it carries.
            if validate(message, seq: seq, now: now, &actions) {
                receivedLogonWhileLoggedOn(message, now: now, &actions)
            }
            return
        }
        let isSequenceReset = msgType == SessionMsgType.sequenceReset
        let gapFill = message[SessionTag.gapFillFlag]?.bool == true
        if isSequenceReset && !gapFill {
            receivedSequenceReset(message, seq: seq, now: now, &actions)
            return
        }
        if seq > nextTargetSeqNum {
            switch msgType {
            case SessionMsgType.logout:
                // A Logout is honoured even across a gap: there is nothing left to recover.
                receivedLogout(message, consume: false, now: now, &actions)
            case SessionMsgType.resendRequest:
                // Serve theirs at once, then ask for ours: both sides resending at the same
                // time must not deadlock.
                if validate(message, seq: seq, now: now, &actions) {
                    receivedResendRequest(message, &actions)
                }
                targetTooHigh(.consumed, seq: seq, now: now, &actions)
            default:
                targetTooHigh(.message(message), seq: seq, now: now, &actions)
            }
            return
        }
        let possDup = message[FIXTag.possDupFlag]?.bool == true
        if seq < nextTargetSeqNum {
            switch msgType {
            case SessionMsgType.resendRequest:
                // Answered whatever its own number: a counterparty recovering from a reset of
                // its own asks with a number this side has already seen (QuickFIX does the same).
                if validate(message, seq: seq, now: now, &actions) { receivedResendRequest(message, &actions) }
                return
            case SessionMsgType.logout:
                receivedLogout(message, consume: false, now: now, &actions)
                return
            default:
                break
            }
            if possDup {
                if checkOrigSendingTime(message, isSequenceReset: isSequenceReset, consume: false, now: now, &actions) {
                    actions.append(.event(.duplicateIgnored(sequenceNumber: seq)))
                } else if message[FIXTag.origSendingTime] != nil {
                    // A resent message whose times contradict themselves: nothing it claims can
                    // be trusted, so after the Reject the session ends (QuickFIX's rule).
                    logout(reason: "PossDupFlag=Y with an OrigSendingTime after its SendingTime", now: now, &actions)
                }
                return
            }
            logoutAndDisconnect("MsgSeqNum too low, expecting \(nextTargetSeqNum) but received \(seq)", now: now, &actions)
            return
        }
        if possDup && !checkOrigSendingTime(message, isSequenceReset: isSequenceReset, consume: true, now: now, &actions) {
            return
        }
        guard validate(message, seq: seq, now: now, &actions) else { return }
        switch msgType {
        case SessionMsgType.heartbeat:
            nextTargetSeqNum += 1
        case SessionMsgType.testRequest:
            nextTargetSeqNum += 1
            var body = FIXFieldList()
            if let id = message[SessionTag.testReqID] { body.append(SessionTag.testReqID, id) }
            sendAdmin(SessionMsgType.heartbeat, body: body, now: now, &actions)
        case SessionMsgType.resendRequest:
            nextTargetSeqNum += 1
            receivedResendRequest(message, &actions)
        case SessionMsgType.reject:
            nextTargetSeqNum += 1
            actions.append(.event(.warning("counterparty rejected our message \(message[SessionTag.refSeqNum]?.string ?? "?"): \(message[SessionTag.text]?.string ?? "")")))
        case SessionMsgType.sequenceReset:
            receivedGapFill(message, seq: seq, now: now, &actions)
        case SessionMsgType.logout:
            receivedLogout(message, consume: true, now: now, &actions)
        case SessionMsgType.logon:
            logoutAndDisconnect("Logon received while already logged on", now: now, &actions)
        default:
            nextTargetSeqNum += 1
            actions.append(.deliver(message))
        }
    }

    /// Validates against the dictionary; on failure sends the Reject, consumes the sequence
    /// number and, for a SendingTime out of range, logs out.
    private mutating func validate(_ message: FIXMessage, seq: Int, now: FIXTimestamp, _ actions: inout [SessionAction]) -> Bool {
        guard let validator else { return true }
        do throws(FIXRejection) {
            try validator.validate(message, now: now)
            return true
        } catch {
            let consume = seq == nextTargetSeqNum && message.msgType != SessionMsgType.sequenceReset
            reject(message, error, consume: consume, now: now, &actions)
            if error.reason == .sendingTimeAccuracyProblem {
                logoutAndDisconnect("SendingTime accuracy problem", now: now, &actions)
            }
            return false
        }
    }

    /// FIX's rule for PossDupFlag=Y: OrigSendingTime must be present and not after SendingTime.
    private mutating func checkOrigSendingTime(_ message: FIXMessage, isSequenceReset: Bool, consume: Bool,
                                               now: FIXTimestamp, _ actions: inout [SessionAction]) -> Bool {
        if isSequenceReset { return true }
        guard let original = message[FIXTag.origSendingTime] else {
            reject(message, FIXRejection(.requiredTagMissing, refTagID: FIXTag.origSendingTime, refMsgType: message.msgType,
                                         detail: "PossDupFlag=Y without OrigSendingTime"), consume: consume, now: now, &actions)
            return false
        }
        if let originalTime = original.timestamp, let sendingTime = message[FIXTag.sendingTime]?.timestamp,
           originalTime > sendingTime {
            reject(message, FIXRejection(.sendingTimeAccuracyProblem, refTagID: FIXTag.origSendingTime, refMsgType: message.msgType,
                                         detail: "OrigSendingTime is after SendingTime"), consume: consume, now: now, &actions)
            return false
        }
        return true
    }

    /// SenderCompID or TargetCompID absent (373=1) or empty (373=4).
    private func missingCompID(_ message: FIXMessage) -> FIXRejection? {
        for tag in [FIXTag.senderCompID, FIXTag.targetCompID] {
            guard let value = message[tag] else {
                return FIXRejection(.requiredTagMissing, refTagID: tag, refMsgType: message.msgType)
            }
            if value.isEmpty { return FIXRejection(.tagSpecifiedWithoutValue, refTagID: tag, refMsgType: message.msgType) }
        }
        return nil
    }

    private func compIDProblem(_ message: FIXMessage) -> Int? {
        guard configuration.checkCompID else { return nil }
        guard let sender = message[FIXTag.senderCompID], sender.string == configuration.id.targetCompID else {
            return FIXTag.senderCompID
        }
        guard let target = message[FIXTag.targetCompID], target.string == configuration.id.senderCompID else {
            return FIXTag.targetCompID
        }
        return nil
    }

    private mutating func targetTooHigh(_ entry: Queued, seq: Int, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        actions.append(.event(.gapDetected(expected: nextTargetSeqNum, received: seq)))
        if queue.count < Self.queueLimit { queue[seq] = entry }
        if resendThrough == nil || configuration.sendRedundantResendRequests {
            var body = FIXFieldList()
            body.append(SessionTag.beginSeqNo, nextTargetSeqNum)
            // "Through infinity": 0 from FIX 4.2, 999999 before it.
            body.append(SessionTag.endSeqNo, configuration.id.beginString < "FIX.4.2" && !configuration.id.beginString.hasPrefix("FIXT") ? 999_999 : 0)
            sendAdmin(SessionMsgType.resendRequest, body: body, now: now, &actions)
            resendThrough = max(resendThrough ?? 0, seq - 1)
        }
    }

    /// Processes queued messages whose turn has come.
    private mutating func drainQueue(now: FIXTimestamp, _ actions: inout [SessionAction]) {
        while !queue.isEmpty && state != .disconnected {
            if let lowest = queue.keys.min(), lowest < nextTargetSeqNum {
                queue.removeValue(forKey: lowest)
                continue
            }
            guard let entry = queue.removeValue(forKey: nextTargetSeqNum) else { break }
            switch entry {
            case .consumed: nextTargetSeqNum += 1
            case .message(let message): process(message, now: now, &actions)
            }
        }
        if let through = resendThrough, nextTargetSeqNum > through {
            resendThrough = nil
            actions.append(.event(.gapFilled(through: through)))
        }
    }

    // MARK: Logon

    private mutating func receivedLogon(_ message: FIXMessage, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        guard message.beginString == configuration.id.beginString else {
            disconnect("Logon with BeginString \(message.beginString ?? "") (expected \(configuration.id.beginString))", &actions)
            return
        }
        if compIDProblem(message) != nil {
            disconnect("Logon from \(message[FIXTag.senderCompID]?.string ?? "?") to \(message[FIXTag.targetCompID]?.string ?? "?") does not match this session", &actions)
            return
        }
        guard let seq = message.msgSeqNum else {
            disconnect("Logon without MsgSeqNum", &actions)
            return
        }
        if let validator {
            do throws(FIXRejection) {
                try validator.validate(message, now: now)
            } catch {
                disconnect("invalid Logon: \(error.text)", &actions)
                return
            }
        }
        if let schedule = configuration.schedule, !schedule.contains(now.instant) {
            disconnect("Logon outside the session schedule", &actions)
            return
        }
        guard let interval = message[SessionTag.heartBtInt]?.int, interval >= 0 else {
            disconnect("Logon without a valid HeartBtInt", &actions)
            return
        }
        if configuration.role == .acceptor, let authenticator = configuration.logonAuthenticator,
           case .refused(let reason) = authenticator.verify(username: message[SessionTag.username]?.string,
                                                             password: message[SessionTag.password]?.string, now: now) {
            // Answered with a Logout that says why, numbered like any message, then closed.
            actions.append(.event(.logonRefused(reason: reason)))
            logoutAndDisconnect(reason, now: now, &actions)
            return
        }
        let resetRequested = message[SessionTag.resetSeqNumFlag]?.bool == true
        switch configuration.role {
        case .acceptor:
            heartBtInt = interval
            // ResetOnLogon resets this side's numbers quietly; the reply carries
            // ResetSeqNumFlag only when the initiator asked for the reset (QuickFIX's rule): an
            // initiator that did not ask would take an unasked 141=Y as a reset of its own.
            // A Logon that continues the numbering after the session dropped is the counterparty
            // recovering it: resetting would throw away what was in flight.
            let recovering = endedWithoutLogout && !resetRequested && seq >= nextTargetSeqNum
            let reset = resetRequested || (configuration.resetOnLogon && !recovering)
            if reset {
                resetSequenceNumbers(&actions)
            }
            if seq < nextTargetSeqNum {
                logoutAndDisconnect("MsgSeqNum too low, expecting \(nextTargetSeqNum) but received \(seq)", now: now, &actions, afterLogon: true)
                return
            }
            sendLogon(reset: resetRequested, now: now, &actions)
            state = .loggedOn
            endedWithoutLogout = false
            actions.append(.event(.loggedOn(heartBtInt: interval, resetSequenceNumbers: reset)))
        case .initiator:
            if resetRequested && !awaitingResetReply {
                // The acceptor reset both sequences without our asking: follow it and confirm
                // with a reset Logon of our own, as QuickFIX does, rather than argue.
                resetSequenceNumbers(&actions)
                sendLogon(reset: true, now: now, &actions)
                state = .loggedOn
                endedWithoutLogout = false
                resetOnNextLogon = false
                actions.append(.event(.loggedOn(heartBtInt: heartBtInt, resetSequenceNumbers: true)))
                nextTargetSeqNum = seq + 1
                return
            }
            let answeredOurReset = awaitingResetReply
            awaitingResetReply = false
            if seq < nextTargetSeqNum {
                guard !answeredOurReset else {
                    logoutAndDisconnect("MsgSeqNum too low, expecting \(nextTargetSeqNum) but received \(seq)", now: now, &actions, afterLogon: true)
                    return
                }
                // The acceptor started its numbering again without saying so (ResetOnLogon or
                // ResetOnDisconnect on its side). A Logout would end the session for good,
                // since it does the same at every Logon; a reset asked for on this connection
                // would meet our first Logon still queued on its side. So: reset here, drop
                // the connection, and log on again at 1 asking it to reset too.
                actions.append(.event(.warning("Logon answered with MsgSeqNum \(seq), expecting \(nextTargetSeqNum): the counterparty reset its numbers; reconnecting to reset both")))
                resetSequenceNumbers(&actions)
                resetOnNextLogon = true
                actions.append(.event(.resetOnNextLogon))
                disconnect("counterparty reset its numbers; logging on again with ResetSeqNumFlag", &actions)
                return
            }
            state = .loggedOn
            endedWithoutLogout = false
            resetOnNextLogon = false
            actions.append(.event(.loggedOn(heartBtInt: heartBtInt, resetSequenceNumbers: resetRequested)))
        }
        if seq > nextTargetSeqNum {
            targetTooHigh(.consumed, seq: seq, now: now, &actions)
        } else {
            nextTargetSeqNum += 1
        }
    }

    /// A Logon during the session: with ResetSeqNumFlag=Y both sides start again at 1.
    private mutating func receivedLogonWhileLoggedOn(_ message: FIXMessage, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        if awaitingResetReply {
            awaitingResetReply = false
            // Whatever the counterparty numbered before it (sent ahead of seeing our reset)
            // was set aside: its reset Logon is where its numbering restarts.
            nextTargetSeqNum = (message.msgSeqNum ?? nextTargetSeqNum) + 1
            actions.append(.event(.sequenceReset(newSeqNo: 1)))
            return
        }
        resetSequenceNumbers(&actions)
        nextTargetSeqNum = 2
        sendLogon(reset: true, now: now, &actions)
    }

    /// Asks the counterparty, mid-session, to start both sequences again at 1.
    public mutating func requestSequenceReset(now: FIXTimestamp) -> [SessionAction] {
        guard state == .loggedOn else { return [] }
        var actions: [SessionAction] = []
        resetSequenceNumbers(&actions)
        awaitingResetReply = true
        sendLogon(reset: true, now: now, &actions)
        return actions
    }

    private mutating func sendLogon(reset: Bool, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        var body = FIXFieldList()
        body.append(SessionTag.encryptMethod, 0)
        body.append(SessionTag.heartBtInt, heartBtInt)
        if reset { body.append(SessionTag.resetSeqNumFlag, true) }
        if configuration.role == .initiator, let credentials = configuration.logonCredentials {
            body.append(SessionTag.username, credentials.username)
            body.append(SessionTag.password, credentials.password)
        }
        sendAdmin(SessionMsgType.logon, body: body, now: now, &actions)
    }

    private mutating func resetSequenceNumbers(_ actions: inout [SessionAction]) {
        nextSenderSeqNum = 1
        nextTargetSeqNum = 1
        queue.removeAll()
        resendThrough = nil
        actions.append(.sequenceNumbersReset)
    }

    // MARK: Sequence reset

    private mutating func receivedSequenceReset(_ message: FIXMessage, seq: Int, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        // Reset mode ignores MsgSeqNum: it is the last resort when messages are lost for good.
        guard validate(message, seq: seq, now: now, &actions) else { return }
        guard let newSeqNo = message[SessionTag.newSeqNo]?.int else { return }
        if newSeqNo > nextTargetSeqNum {
            nextTargetSeqNum = newSeqNo
            actions.append(.event(.sequenceReset(newSeqNo: newSeqNo)))
        } else if newSeqNo == nextTargetSeqNum {
            actions.append(.event(.warning("SequenceReset to \(newSeqNo), the number already expected")))
        } else {
            reject(message, FIXRejection(.valueIsIncorrect, refTagID: SessionTag.newSeqNo, refMsgType: SessionMsgType.sequenceReset,
                                         detail: "attempt to lower sequence number, invalid value NewSeqNo(36)=\(newSeqNo) below \(nextTargetSeqNum)"),
                   consume: false, now: now, &actions)
        }
    }

    private mutating func receivedGapFill(_ message: FIXMessage, seq: Int, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        guard let newSeqNo = message[SessionTag.newSeqNo]?.int else { return }
        if newSeqNo > seq {
            nextTargetSeqNum = newSeqNo
            actions.append(.event(.sequenceReset(newSeqNo: newSeqNo)))
        } else {
            reject(message, FIXRejection(.valueIsIncorrect, refTagID: SessionTag.newSeqNo, refMsgType: SessionMsgType.sequenceReset,
                                         detail: "attempt to lower sequence number, invalid value NewSeqNo(36)=\(newSeqNo) not above MsgSeqNum \(seq)"),
                   consume: false, now: now, &actions)
        }
    }

    // MARK: Resend

    private mutating func receivedResendRequest(_ message: FIXMessage, _ actions: inout [SessionAction]) {
        guard let begin = message[SessionTag.beginSeqNo]?.int, let end = message[SessionTag.endSeqNo]?.int else { return }
        let last = nextSenderSeqNum - 1
        let through = (end == 0 || end > last) ? last : end
        guard begin >= 1, begin <= through else {
            actions.append(.event(.warning("ResendRequest \(begin)-\(end) asks for nothing this session has sent (last \(last))")))
            return
        }
        actions.append(.replay(begin: begin, end: through))
    }

    /// Answers a ``SessionAction/replay(begin:end:)``: resends application messages with
    /// PossDupFlag=Y and their OrigSendingTime, and covers admin messages and anything the
    /// journal lacks with SequenceReset-GapFill, one per run.
    public mutating func replay(_ stored: [StoredMessage], begin: Int, end: Int, now: FIXTimestamp) -> [SessionAction] {
        guard state == .loggedOn || state == .awaitingLogout else { return [] }
        var actions: [SessionAction] = []
        var bySequence: [Int: FIXMessage] = [:]
        for item in stored where item.sequenceNumber >= begin && item.sequenceNumber <= end {
            if let message = try? parser.parse(item.bytes) { bySequence[item.sequenceNumber] = message }
        }
        var gapStart: Int?
        for seq in begin...max(begin, end) {
            if let message = bySequence[seq], let msgType = message.msgType, !SessionMsgType.isAdmin(msgType) {
                if let start = gapStart {
                    sendGapFill(seq: start, newSeqNo: seq, now: now, &actions)
                    gapStart = nil
                }
                actions.append(.send(SessionOutbound(sequenceNumber: seq, msgType: msgType,
                                                     bytes: possibleDuplicate(of: message, now: now), kind: .resend)))
            } else if gapStart == nil {
                gapStart = seq
            }
        }
        if let start = gapStart { sendGapFill(seq: start, newSeqNo: end + 1, now: now, &actions) }
        lastSentAt = now.nanosecondsSinceEpoch
        actions.append(.event(.resendServed(begin: begin, end: end)))
        return actions
    }

    private mutating func sendGapFill(seq: Int, newSeqNo: Int, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        var header = FIXFieldList()
        header.append(FIXTag.possDupFlag, true)
        header.append(FIXTag.origSendingTime, stamp(now))
        var body = FIXFieldList()
        body.append(SessionTag.gapFillFlag, true)
        body.append(SessionTag.newSeqNo, newSeqNo)
        let bytes = encode(SessionMsgType.sequenceReset, seq: seq, header: header, body: body, now: now)
        actions.append(.send(SessionOutbound(sequenceNumber: seq, msgType: SessionMsgType.sequenceReset, bytes: bytes, kind: .resend)))
    }

    /// The stored message again, with PossDupFlag=Y, OrigSendingTime = its SendingTime and
    /// a fresh SendingTime; every other field as it was.
    private func possibleDuplicate(of message: FIXMessage, now: FIXTimestamp) -> [UInt8] {
        var header = FIXFieldList()
        var body = FIXFieldList()
        var trailer = FIXFieldList()
        var section = 0
        for position in 0..<message.count {
            let tag = message.tag(at: position)
            switch tag {
            // What `encode` writes itself: written here too, they would appear twice.
            case FIXTag.beginString, FIXTag.bodyLength, FIXTag.msgType, FIXTag.checkSum, FIXTag.msgSeqNum,
                 FIXTag.senderCompID, FIXTag.targetCompID, FIXTag.sendingTime, FIXTag.possDupFlag, FIXTag.origSendingTime:
                continue
            default: break
            }
            if section == 0 && !FIXStandardHeader.contains(tag) { section = 1 }
            if section == 1 && FIXStandardTrailer.contains(tag) { section = 2 }
            switch section {
            case 0: header.append(tag, message.value(at: position))
            case 1: body.append(tag, message.value(at: position))
            default: trailer.append(tag, message.value(at: position))
            }
        }
        header.append(FIXTag.possDupFlag, true)
        if let original = message[FIXTag.sendingTime] { header.append(FIXTag.origSendingTime, original) }
        return encode(message.msgType ?? "", seq: message.msgSeqNum ?? 0, header: header, body: body, now: now, trailer: trailer)
    }

    // MARK: Logout

    private mutating func receivedLogout(_ message: FIXMessage, consume: Bool, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        if consume { nextTargetSeqNum += 1 }
        let text = message[SessionTag.text]?.string ?? ""
        if state == .awaitingLogout {
            actions.append(.event(.loggedOut(reason: text.isEmpty ? "logout confirmed" : text)))
            finishLogout(&actions)
            disconnect("logged out", &actions)
            return
        }
        sendAdmin(SessionMsgType.logout, body: FIXFieldList(), now: now, &actions)
        actions.append(.event(.loggedOut(reason: text.isEmpty ? "counterparty logged out" : "counterparty logged out: \(text)")))
        finishLogout(&actions)
        disconnect("counterparty logged out", &actions)
    }

    private mutating func finishLogout(_ actions: inout [SessionAction]) {
        if configuration.resetOnLogout { resetSequenceNumbers(&actions) }
    }

    /// Starts the Logout handshake; the session disconnects on the reply or after LogoutTimeout.
    public mutating func logout(reason: String? = nil, now: FIXTimestamp) -> [SessionAction] {
        var actions: [SessionAction] = []
        logout(reason: reason, now: now, &actions)
        return actions
    }

    private mutating func logout(reason: String?, now: FIXTimestamp, _ actions: inout [SessionAction]) {
        switch state {
        case .loggedOn:
            var body = FIXFieldList()
            if let reason { body.append(SessionTag.text, reason) }
            sendAdmin(SessionMsgType.logout, body: body, now: now, &actions)
            state = .awaitingLogout
            logoutSentAt = now.nanosecondsSinceEpoch
        case .awaitingLogon:
            disconnect(reason ?? "closed before logon", &actions)
        case .awaitingLogout, .disconnected:
            break
        }
    }

    private mutating func logoutAndDisconnect(_ reason: String, now: FIXTimestamp, _ actions: inout [SessionAction], afterLogon: Bool = false) {
        var body = FIXFieldList()
        body.append(SessionTag.text, reason)
        sendAdmin(SessionMsgType.logout, body: body, now: now, &actions)
        actions.append(.event(.loggedOut(reason: reason)))
        disconnect(reason, &actions)
    }

    private mutating func disconnect(_ reason: String, _ actions: inout [SessionAction]) {
        actions.append(.disconnect(reason: reason))
        state = .disconnected
        queue.removeAll()
        resendThrough = nil
        if configuration.resetOnDisconnect { resetSequenceNumbers(&actions) }
    }

    // MARK: - Timers

    /// Called by the driver about once a second: heartbeats, test requests, timeouts and
    /// the session schedule.
    public mutating func tick(now: FIXTimestamp) -> [SessionAction] {
        var actions: [SessionAction] = []
        let nanos = now.nanosecondsSinceEpoch
        if let schedule = configuration.schedule {
            let period = schedule.periodStart(containing: now.instant)
            if let period, period != periodStart {
                if periodStart != nil && state == .disconnected { resetSequenceNumbers(&actions) }
                if state == .disconnected || periodStart == nil { periodStart = period }
            }
            if period == nil && state == .loggedOn {
                actions += logout(reason: "end of the session schedule", now: now)
                return actions
            }
        }
        switch state {
        case .disconnected:
            break
        case .awaitingLogon:
            if nanos - connectedAt >= Int64(configuration.logonTimeout) * 1_000_000_000 {
                disconnect("no Logon within \(configuration.logonTimeout)s", &actions)
            }
        case .awaitingLogout:
            if nanos - logoutSentAt >= Int64(configuration.logoutTimeout) * 1_000_000_000 {
                actions.append(.event(.loggedOut(reason: "no Logout reply within \(configuration.logoutTimeout)s")))
                finishLogout(&actions)
                disconnect("no Logout reply within \(configuration.logoutTimeout)s", &actions)
            }
        case .loggedOn:
            guard heartBtInt > 0 else { break }
            let interval = Int64(heartBtInt) * 1_000_000_000
            let silence = nanos - lastReceivedAt
            if testRequestsSent > 0 && silence >= interval * 24 / 10 {
                disconnect("no message from the counterparty for \(silence / 1_000_000_000)s after a TestRequest", &actions)
                return actions
            }
            if silence >= interval * 12 / 10 * Int64(testRequestsSent + 1) {
                testRequestsSent += 1
                var body = FIXFieldList()
                body.append(SessionTag.testReqID, "TEST")
                sendAdmin(SessionMsgType.testRequest, body: body, now: now, &actions)
            } else if testRequestsSent == 0 && nanos - lastSentAt >= interval {
                // While a TestRequest is unanswered the next thing sent is another TestRequest
                // or the disconnect, not a Heartbeat (QuickFIX's rule).
                sendAdmin(SessionMsgType.heartbeat, body: FIXFieldList(), now: now, &actions)
            }
        }
        return actions
    }

    /// Whether the schedule lets this session be connected at `now` (always, without one).
    public func isInSession(_ now: FIXTimestamp) -> Bool {
        configuration.schedule?.contains(now.instant) ?? true
    }

    // MARK: - Outbound

    /// Sends an application message, or, while not logged on, journals it for the
    /// counterparty to fetch by ResendRequest after the next Logon.
    /// - Parameter header: extra header fields (routing, sub IDs); the session writes
    ///   BeginString, BodyLength, MsgType, CompIDs, MsgSeqNum and SendingTime itself.
    public mutating func send(msgType: String, body: FIXFieldList, header: FIXFieldList = FIXFieldList(),
                              now: FIXTimestamp) -> [SessionAction] {
        let seq = nextSenderSeqNum
        nextSenderSeqNum += 1
        let bytes = encode(msgType, seq: seq, header: header, body: body, now: now)
        let transmit = state == .loggedOn
        if transmit { lastSentAt = now.nanosecondsSinceEpoch }
        return [.send(SessionOutbound(sequenceNumber: seq, msgType: msgType, bytes: bytes, kind: transmit ? .new : .queued))]
    }

    /// A BusinessMessageReject (35=j) for an application message this side cannot handle;
    /// before FIX 4.2, which has no BusinessMessageReject, a session Reject with the text.
    public mutating func businessReject(_ message: FIXMessage, reason: Int, text: String,
                                        refIDTag: Int? = nil, now: FIXTimestamp) -> [SessionAction] {
        let reject = Self.businessReject(to: message, reason: reason, text: text, refIDTag: refIDTag,
                                         beginString: configuration.id.beginString)
        return send(msgType: reject.msgType, body: reject.body, header: reject.header, now: now)
    }

    /// The reject of an application message the application cannot take: a
    /// BusinessMessageReject (35=j), or before FIX 4.2 a session Reject (35=3) with Text, its
    /// routing header reversed to reach whoever sent `message`.
    public static func businessReject(to message: FIXMessage, reason: Int, text: String, refIDTag: Int?,
                                      beginString: String) -> (msgType: String, body: FIXFieldList, header: FIXFieldList) {
        var body = FIXFieldList()
        if beginString < "FIX.4.2" && !beginString.hasPrefix("FIXT") {
            if let seq = message.msgSeqNum { body.append(SessionTag.refSeqNum, seq) }
            body.append(SessionTag.text, text)
            return (SessionMsgType.reject, body, replyRouting(to: message))
        }
        if let seq = message.msgSeqNum { body.append(SessionTag.refSeqNum, seq) }
        body.append(SessionTag.refMsgType, message.msgType ?? "")
        if let refIDTag, let id = message[refIDTag] { body.append(SessionTag.businessRejectRefID, id) }
        body.append(SessionTag.businessRejectReason, reason)
        body.append(SessionTag.text, text)
        return (SessionMsgType.businessMessageReject, body, replyRouting(to: message))
    }

    /// The routing header of a reply: the message's OnBehalfOf* fields become DeliverTo*
    /// and the other way round, so a reject reaches whoever the message came from.
    public static func replyRouting(to message: FIXMessage) -> FIXFieldList {
        var header = FIXFieldList()
        let swaps = [(SessionTag.onBehalfOfCompID, SessionTag.deliverToCompID), (SessionTag.onBehalfOfSubID, SessionTag.deliverToSubID),
                     (SessionTag.onBehalfOfLocationID, SessionTag.deliverToLocationID), (SessionTag.deliverToCompID, SessionTag.onBehalfOfCompID),
                     (SessionTag.deliverToSubID, SessionTag.onBehalfOfSubID), (SessionTag.deliverToLocationID, SessionTag.onBehalfOfLocationID)]
        for (from, to) in swaps {
            if let value = message[from], !value.isEmpty { header.append(to, value) }
        }
        return header
    }

    private mutating func reject(_ message: FIXMessage, _ rejection: FIXRejection, consume: Bool, now: FIXTimestamp,
                                 _ actions: inout [SessionAction]) {
        let seq = message.msgSeqNum ?? 0
        if consume && seq == nextTargetSeqNum { nextTargetSeqNum += 1 }
        var body = FIXFieldList()
        body.append(SessionTag.refSeqNum, seq)
        // RefTagID, RefMsgType and SessionRejectReason came with FIX 4.2, whose
        // SessionRejectReason stops at 11 (Invalid MsgType); before 4.2 the Text names the tag.
        let version = configuration.id.beginString
        if version >= "FIX.4.2" || version.hasPrefix("FIXT") {
            if let tag = rejection.refTagID { body.append(SessionTag.refTagID, tag) }
            if let type = rejection.refMsgType ?? message.msgType, !type.isEmpty { body.append(SessionTag.refMsgType, type) }
            if version != "FIX.4.2" || rejection.reason.rawValue <= 11 {
                body.append(SessionTag.sessionRejectReason, rejection.reason.rawValue)
            }
            body.append(SessionTag.text, rejection.text)
        } else {
            body.append(SessionTag.text, rejection.refTagID.map { "\(rejection.text) (\($0))" } ?? rejection.text)
        }
        actions.append(.event(.rejected(sequenceNumber: seq, reason: rejection.text)))
        sendAdmin(SessionMsgType.reject, body: body, header: Self.replyRouting(to: message), now: now, &actions)
    }

    private mutating func sendAdmin(_ msgType: String, body: FIXFieldList, header: FIXFieldList = FIXFieldList(),
                                    now: FIXTimestamp, _ actions: inout [SessionAction]) {
        let seq = nextSenderSeqNum
        nextSenderSeqNum += 1
        lastSentAt = now.nanosecondsSinceEpoch
        let bytes = encode(msgType, seq: seq, header: header, body: body, now: now)
        actions.append(.send(SessionOutbound(sequenceNumber: seq, msgType: msgType, bytes: bytes, kind: .new)))
    }

    private func stamp(_ now: FIXTimestamp) -> FIXTimestamp {
        // UTCTimestamp has no fraction of a second before FIX 4.2.
        let precision = configuration.id.beginString < "FIX.4.2" && !configuration.id.beginString.hasPrefix("FIXT")
            ? .seconds : configuration.timestampPrecision
        return FIXTimestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch, precision: precision)
    }

    private func encode(_ msgType: String, seq: Int, header extra: FIXFieldList, body: FIXFieldList, now: FIXTimestamp,
                        trailer: FIXFieldList = FIXFieldList()) -> [UInt8] {
        var builder = FIXMessageBuilder(beginString: configuration.id.beginString, msgType: msgType,
                                        bodyCapacity: body.bytes.count + 16)
        builder.header.append(FIXTag.msgSeqNum, seq)
        builder.header.append(FIXTag.senderCompID, configuration.id.senderCompID)
        builder.header.append(FIXTag.sendingTime, stamp(now))
        builder.header.append(FIXTag.targetCompID, configuration.id.targetCompID)
        builder.header.append(contentsOf: extra)
        builder.body = body
        builder.trailer = trailer
        return builder.encode()
    }
}

/// The FIX 4.x / FIXT 1.1 standard header and trailer tags, for telling a stored message's
/// header from its body without a dictionary.

extension FIXTimestamp {
    /// The same instant as a Foundation `Date`, for calendar arithmetic (schedules).
    var instant: Date { Date(timeIntervalSince1970: TimeInterval(nanosecondsSinceEpoch) / 1_000_000_000) }
}
