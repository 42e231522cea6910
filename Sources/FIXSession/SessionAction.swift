import FIXCodec

/// A message the session wants written to the counterparty.
public struct SessionOutbound: Sendable {
    /// How the journal should treat the message.
    public enum Kind: Sendable, Hashable {
        /// A new message with a new sequence number: journal it before sending.
        case new
        /// A new message produced while not logged on: journal it, do not transmit. The
        /// counterparty gets it by ResendRequest once it sees the gap (FIX's queued sends).
        case queued
        /// A resend (PossDupFlag=Y) or gap fill of an already-journaled sequence number.
        case resend
    }

    public let sequenceNumber: Int
    public let msgType: String
    public let bytes: [UInt8]
    public let kind: Kind
}

/// Something that happened in the session, for the log and for tests.
public enum SessionEvent: Sendable, Hashable {
    case loggedOn(heartBtInt: Int, resetSequenceNumbers: Bool)
    case loggedOut(reason: String)
    /// This side reset both sequences and will ask the counterparty to do the same at the
    /// next Logon (the driver keeps this across a restart).
    case resetOnNextLogon
    /// A Logon's credentials were refused (wrong, missing, or the session is locked out).
    case logonRefused(reason: String)
    case garbled(String)
    case gapDetected(expected: Int, received: Int)
    case gapFilled(through: Int)
    case duplicateIgnored(sequenceNumber: Int)
    case rejected(sequenceNumber: Int, reason: String)
    case sequenceReset(newSeqNo: Int)
    case resendServed(begin: Int, end: Int)
    case warning(String)
}

/// What the session asks its driver to do, in order.
///
/// The state machine never touches a socket, a clock or the journal: it returns these,
/// and the driver (the transport) carries them out. That keeps every protocol rule
/// testable with plain values.
public enum SessionAction: Sendable {
    /// Journal (unless a resend) and write this message.
    case send(SessionOutbound)
    /// Hand this inbound message to the application.
    case deliver(FIXMessage)
    /// Read this session's outbound messages `begin...end` from the journal and pass them to
    /// ``SessionStateMachine/replay(_:begin:end:now:)``.
    case replay(begin: Int, end: Int)
    /// Close the connection once the messages before this action are written.
    case disconnect(reason: String)
    /// Both sequence numbers went back to 1: the journal starts a new session period.
    case sequenceNumbersReset
    case event(SessionEvent)
}

/// A message from the journal handed back for a resend.
public struct StoredMessage: Sendable {
    public let sequenceNumber: Int
    public let bytes: [UInt8]

    public init(sequenceNumber: Int, bytes: [UInt8]) {
        self.sequenceNumber = sequenceNumber
        self.bytes = bytes
    }
}
