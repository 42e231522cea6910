import FIXCodec
import FIXVocabulary

/// An OrderCancelReject (35=9) about to go out, as values: a cancel or replace refused, by a
/// broker or an exchange. ``fields()`` lays out its body.
public struct OrderCancelReject: Sendable, Hashable {
    /// The order's OrderID, or `NONE` when the request named no order there is.
    public var orderID: String
    /// The request's ClOrdID and OrigClOrdID, as sent: left out when it sent none.
    public var clOrdID: String
    public var origClOrdID: String
    /// The order's status after the refusal (rejected when there is no order).
    public var status: OrderStatus
    /// CxlRejResponseTo (434): a replace (2) or a cancel (1) was refused.
    public var replace: Bool
    public var reason: CxlRejReason
    public var text: String

    /// A refusal of the request with `clOrdID` and `origClOrdID` concerning `order`, if it names one.
    public init(order: ClientOrder?, clOrdID: String, origClOrdID: String, replace: Bool, reason: CxlRejReason, text: String) {
        orderID = order?.orderID ?? "NONE"
        status = order?.status ?? .rejected
        self.clOrdID = clOrdID
        self.origClOrdID = origClOrdID
        self.replace = replace
        self.reason = reason
        self.text = text
    }

    /// The body in the order FIX 4.4 lists an OrderCancelReject's fields.
    public func fields() -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 160)
        body.append(FIXTag.orderID, orderID)
        if !clOrdID.isEmpty { body.append(FIXTag.clOrdID, clOrdID) }
        if !origClOrdID.isEmpty { body.append(FIXTag.origClOrdID, origClOrdID) }
        body.append(FIXTag.ordStatus, char: status.rawValue.fixByte)
        body.append(FIXTag.cxlRejResponseTo, replace ? 2 : 1)
        body.append(FIXTag.cxlRejReason, reason.rawValue)
        body.append(FIXTag.text, text)
        return body
    }
}
