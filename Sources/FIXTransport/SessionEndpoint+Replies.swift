import FIXSession

extension SessionEndpoint {
    /// Sends what an application answered to a message outside that message's callback (an
    /// application that owns its state on another event loop hands the message there and
    /// answers from it): each reply goes out as ``send(msgType:body:header:)`` sends, in order.
    public func send(_ replies: FIXReplies) {
        for reply in replies.replies {
            switch reply {
            case .message(let msgType, let body, let header):
                send(msgType: msgType, body: body, header: header)
            case .businessReject(let original, let reason, let text, let refIDTag):
                let reject = SessionStateMachine.businessReject(to: original, reason: reason, text: text, refIDTag: refIDTag,
                                                                beginString: id.beginString)
                send(msgType: reject.msgType, body: reject.body, header: reject.header)
            }
        }
    }
}
