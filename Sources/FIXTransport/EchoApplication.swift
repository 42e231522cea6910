import FIXCodec
import FIXSession
import Synchronization

/// The conformance-testing application FIX engines ship: reflects NewOrderSingle (D),
/// SecurityDefinition (d) and Email (C) back to the sender, ignores a NewOrderSingle with
/// PossResend=Y whose ClOrdID it already reflected, and answers any other application
/// message with a BusinessMessageReject (unsupported message type).
public final class EchoApplication: FIXApplication {
    private static let reflected: Set<String> = ["D", "d", "C"]
    private let seenClOrdIDs = Mutex<[SessionID: Set<String>]>([:])

    public init() {}

    public func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        guard let msgType = message.msgType, Self.reflected.contains(msgType) else {
            replies.businessReject(message, reason: 3, text: "Unsupported message type \(message.msgType ?? "")")
            return
        }
        if msgType == "D", let clOrdID = message[11]?.string {
            let possResend = message[FIXTag.possResend]?.bool == true
            let seenBefore = seenClOrdIDs.withLock { seen in
                !seen[session, default: []].insert(clOrdID).inserted
            }
            if possResend && seenBefore { return }
        }
        replies.send(msgType: msgType, body: message.bodyFields())
    }
}
