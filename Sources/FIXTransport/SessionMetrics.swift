import CoreMetrics
import FIXCodec
import FIXSession
import FIXVocabulary
import Synchronization

/// One session's instruments (swift-metrics), made once when its endpoint is set up: counting a
/// message is an atomic add on an instrument already made, with no lookup, lock or allocation.
///
/// - `wellhead_fix_messages_received_total{session}`, `wellhead_fix_messages_sent_total{session}`
/// - `wellhead_fix_rejects_total{session,reason}`: session Rejects (35=3) sent, by
///   SessionRejectReason (373), and BusinessMessageRejects (35=j) sent, by BusinessRejectReason (380)
/// - `wellhead_fix_next_sender_seq{session}`, `wellhead_fix_next_target_seq{session}`: as each
///   turn of the event loop commits them
/// - `wellhead_fix_session_logged_on{session}`: 1 while logged on, else 0
public final class SessionMetrics: Sendable {
    let received: Counter
    let sent: Counter
    let nextSenderSeq: Gauge
    let nextTargetSeq: Gauge
    let loggedOn: Gauge
    /// When the last message came in, and how far behind its SendingTime(52) the last
    /// Heartbeat arrived (by the counterparty's clock), for the console: one relaxed store each.
    public let activity = SessionActivity()
    private let session: String
    /// Reject counters by reason label, made at a reason's first reject (rejects are rare).
    private let rejects = Mutex<[String: Counter]>([:])
    /// The factory in force when the session was set up, for the counters made later.
    private let factory: any MetricsFactory

    init(session: String) {
        factory = MetricsSystem.factory
        self.session = session
        let dimensions = [("session", session)]
        received = Counter(label: "wellhead_fix_messages_received_total", dimensions: dimensions)
        sent = Counter(label: "wellhead_fix_messages_sent_total", dimensions: dimensions)
        nextSenderSeq = Gauge(label: "wellhead_fix_next_sender_seq", dimensions: dimensions)
        nextTargetSeq = Gauge(label: "wellhead_fix_next_target_seq", dimensions: dimensions)
        loggedOn = Gauge(label: "wellhead_fix_session_logged_on", dimensions: dimensions)
        loggedOn.record(0)
    }

    /// Counts a message sent on the wire; a Reject (3) or BusinessMessageReject (j) also by its reason.
    func countSent(msgType: String, bytes: [UInt8]) {
        sent.increment()
        if msgType == SessionMsgType.reject || msgType == SessionMsgType.businessMessageReject {
            countReject(msgType: msgType, bytes: bytes)
        }
    }

    private func countReject(msgType: String, bytes: [UInt8]) {
        let reason = Self.rejectReason(msgType: msgType, message: try? FIXParser().parse(bytes))
        let counter = rejects.withLock { counters in
            if let known = counters[reason] { return known }
            let made = Counter(label: "wellhead_fix_rejects_total", dimensions: [("session", session), ("reason", reason)],
                               factory: factory)
            counters[reason] = made
            return made
        }
        counter.increment()
    }

    /// The reason label of a Reject or BusinessMessageReject: snake case of FIX 4.4's name for
    /// its SessionRejectReason (373), or `business_` and its BusinessRejectReason's (380).
    static func rejectReason(msgType: String, message: FIXMessage?) -> String {
        if msgType == SessionMsgType.businessMessageReject {
            guard let code = message?[FIXTag.businessRejectReason]?.int else { return "business_unspecified" }
            return "business_" + (businessReasons[code] ?? "other")
        }
        guard let code = message?[FIXTag.sessionRejectReason]?.int else { return "unspecified" }
        return sessionReasons[code] ?? "other"
    }

    static let sessionReasons: [Int: String] = [
        0: "invalid_tag_number", 1: "required_tag_missing", 2: "tag_not_defined_for_message_type", 3: "undefined_tag",
        4: "tag_without_value", 5: "value_incorrect", 6: "incorrect_data_format", 7: "decryption_problem",
        8: "signature_problem", 9: "compid_problem", 10: "sending_time_accuracy_problem", 11: "invalid_msg_type",
        12: "xml_validation_error", 13: "tag_appears_more_than_once", 14: "tag_out_of_order",
        15: "repeating_group_fields_out_of_order", 16: "incorrect_num_in_group_count", 17: "non_data_value_includes_delimiter",
        99: "other",
    ]

    static let businessReasons: [Int: String] = [
        0: "other", 1: "unknown_id", 2: "unknown_security", 3: "unsupported_message_type",
        4: "application_not_available", 5: "conditionally_required_field_missing", 6: "not_authorized",
        7: "deliverto_firm_not_available",
    ]
}

/// What the console shows of a session's traffic, kept as atomics the session's loop stores
/// into and any thread reads.
public final class SessionActivity: Sendable {
    private let lastReceived = Atomic<Int64>(0)
    private let heartbeatLag = Atomic<Int64>(-1)

    /// Nanoseconds since the epoch when the last message was read; 0 before any.
    public var lastReceivedAt: Int64 { lastReceived.load(ordering: .relaxed) }
    /// Receipt time less SendingTime of the last Heartbeat, in nanoseconds: one-way latency by
    /// the two clocks (nil before the first Heartbeat).
    public var lastHeartbeatLag: Int64? {
        let lag = heartbeatLag.load(ordering: .relaxed)
        return lag < 0 ? nil : lag
    }

    func received(_ message: FIXMessage, at now: FIXTimestamp) {
        let time = now.nanosecondsSinceEpoch
        lastReceived.store(time, ordering: .relaxed)
        guard message.msgType == SessionMsgType.heartbeat, let sent = message[FIXTag.sendingTime]?.timestamp else { return }
        heartbeatLag.store(max(0, time - sent.nanosecondsSinceEpoch), ordering: .relaxed)
    }
}
