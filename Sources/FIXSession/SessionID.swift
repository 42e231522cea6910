/// Names one FIX session from this engine's side: our CompID, theirs, and the version.
///
/// An acceptor tells its sessions apart by the CompIDs of an incoming Logon, read from the
/// other side: their SenderCompID is our ``targetCompID``.
public struct SessionID: Hashable, Sendable, CustomStringConvertible {
    public var beginString: String
    public var senderCompID: String
    public var targetCompID: String
    /// QuickFIX's SessionQualifier: tells apart two sessions with the same CompIDs.
    public var qualifier: String?

    public init(beginString: String, senderCompID: String, targetCompID: String, qualifier: String? = nil) {
        self.beginString = beginString
        self.senderCompID = senderCompID
        self.targetCompID = targetCompID
        self.qualifier = qualifier
    }

    /// `FIX.4.4:WELLHEAD->OMS1`, QuickFIX's way of writing a session.
    public var description: String {
        "\(beginString):\(senderCompID)->\(targetCompID)" + (qualifier.map { ":\($0)" } ?? "")
    }
}

/// Which side opens the connection.
public enum SessionRole: String, Sendable, Hashable {
    case acceptor
    case initiator
}

/// Session-level tags the engine reads and writes, beyond the codec's framing tags.
enum SessionTag {
    static let beginSeqNo = 7
    static let endSeqNo = 16
    static let newSeqNo = 36
    static let refSeqNum = 45
    static let senderSubID = 50
    static let targetSubID = 57
    static let text = 58
    static let encryptMethod = 98
    static let heartBtInt = 108
    static let testReqID = 112
    static let onBehalfOfCompID = 115
    static let onBehalfOfSubID = 116
    static let gapFillFlag = 123
    static let deliverToCompID = 128
    static let deliverToSubID = 129
    static let resetSeqNumFlag = 141
    static let senderLocationID = 142
    static let targetLocationID = 143
    static let onBehalfOfLocationID = 144
    static let deliverToLocationID = 145
    static let refTagID = 371
    static let refMsgType = 372
    static let sessionRejectReason = 373
    static let businessRejectRefID = 379
    static let businessRejectReason = 380
    static let username = 553
    static let password = 554
}

/// The session-level message types.
public enum SessionMsgType {
    public static let heartbeat = "0"
    public static let testRequest = "1"
    public static let resendRequest = "2"
    public static let reject = "3"
    public static let sequenceReset = "4"
    public static let logout = "5"
    public static let logon = "A"
    public static let businessMessageReject = "j"

    /// QuickFIX's rule, which Wellhead follows: these are never resent, only gap-filled.
    public static func isAdmin(_ msgType: String) -> Bool {
        msgType.utf8.count == 1 && "0A12345".utf8.contains(msgType.utf8.first!)
    }
}
