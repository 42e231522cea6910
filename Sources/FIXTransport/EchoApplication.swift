import FIXCodec
import FIXSession
import FIXVocabulary
import Synchronization

/// The conformance-testing application FIX engines ship: reflects NewOrderSingle (D),
/// SecurityDefinition (d) and Email (C) back to the sender, ignores a NewOrderSingle with
/// PossResend=Y whose ClOrdID it already reflected since the session logged on, and answers
/// any other application message with a BusinessMessageReject (unsupported message type).
///
/// A reflected message keeps its PossResend flag, as QuickFIX's echo does: the application
/// on the other side decides what a possible resend means to it.
public final class EchoApplication: FIXApplication {
    private static let reflected: Set<String> = [MsgType.newOrderSingle.rawValue, MsgType.securityDefinition.rawValue, MsgType.email.rawValue]
    private let seenClOrdIDs = Mutex<[SessionID: Set<String>]>([:])

    public init() {}

    /// What was seen belongs to one logon: a new one (after a reset, or the next day) starts
    /// afresh, so a message resent after it is processed rather than taken for a duplicate.
    public func onLogon(_ session: SessionID) {
        seenClOrdIDs.withLock { _ = $0.removeValue(forKey: session) }
    }

    public func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        guard let msgType = message.msgType, Self.reflected.contains(msgType) else {
            replies.businessReject(message, reason: 3, text: "Unsupported message type \(message.msgType ?? "")")
            return
        }
        if msgType == MsgType.newOrderSingle.rawValue, let clOrdID = message[FIXTag.clOrdID]?.string {
            let possResend = message[FIXTag.possResend]?.bool == true
            let seenBefore = seenClOrdIDs.withLock { seen in
                !seen[session, default: []].insert(clOrdID).inserted
            }
            if possResend && seenBefore { return }
        }
        var header = FIXFieldList()
        if let possResend = message[FIXTag.possResend] { header.append(FIXTag.possResend, possResend) }
        replies.send(msgType: msgType, body: message.bodyFields(), header: header)
    }
}
