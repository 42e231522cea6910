import FIXCodec
import FIXSession

/// What a session hands its application messages to: the echo application for conformance
/// testing now, the order gateway and the venue later.
///
/// Callbacks run on the session's event loop, one message at a time in sequence order,
/// after the message is durable in the journal. Replies go through ``FIXReplies`` so they
/// are numbered, journaled and sent by the session like everything else.
public protocol FIXApplication: Sendable {
    func onLogon(_ session: SessionID)
    /// The session ended: `loggedOut` is true after a Logout handshake (either side's), false
    /// when the connection dropped while logged on (what cancel-on-disconnect acts on).
    func onLogout(_ session: SessionID, loggedOut: Bool)
    func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies)
}

extension FIXApplication {
    public func onLogon(_ session: SessionID) {}
    public func onLogout(_ session: SessionID, loggedOut: Bool) {}
}

/// Messages an application sends in answer to one it received.
public struct FIXReplies: Sendable {
    enum Reply: Sendable {
        case message(msgType: String, body: FIXFieldList, header: FIXFieldList)
        case businessReject(FIXMessage, reason: Int, text: String, refIDTag: Int?)
    }

    private(set) var replies: [Reply] = []

    public init() {}

    /// Sends an application message; the session writes the standard header.
    public mutating func send(msgType: String, body: FIXFieldList, header: FIXFieldList = FIXFieldList()) {
        replies.append(.message(msgType: msgType, body: body, header: header))
    }

    /// Answers `message` with a BusinessMessageReject (35=j).
    /// - Parameters:
    ///   - reason: BusinessRejectReason (380): 3 = unsupported message type, 0 = other …
    ///   - refIDTag: the tag whose value goes in BusinessRejectRefID (379), e.g. ClOrdID (11).
    public mutating func businessReject(_ message: FIXMessage, reason: Int, text: String, refIDTag: Int? = nil) {
        replies.append(.businessReject(message, reason: reason, text: text, refIDTag: refIDTag))
    }

    public var count: Int { replies.count }
}

extension FIXMessage {
    /// The message's body fields (header and trailer left out), in order, for reflecting or
    /// forwarding a message under a new header.
    public func bodyFields() -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: bytes.count)
        var inBody = false
        for position in 0..<count {
            let tag = tag(at: position)
            if !inBody {
                if FIXStandardHeader.contains(tag) { continue }
                inBody = true
            }
            if FIXStandardTrailer.contains(tag) { break }
            body.append(tag, value(at: position))
        }
        return body
    }
}
