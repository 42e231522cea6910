import FIXCodec
import Instruments

/// An ExecutionReport (35=8) about to go to an OMS, as values; ``fields(transactTime:)``
/// lays out its body.
public struct ExecutionReport: Sendable, Hashable, Codable {
    public var orderID: String
    public var execID: String
    public var clOrdID: String
    public var origClOrdID: String?
    public var execType: ExecType
    public var status: OrderStatus
    public var terms: OrderTerms
    public var cumQty: Int64
    public var leavesQty: Int64
    public var averagePrice: FIXDecimal
    public var lastQty: Int64?
    public var lastPrice: FIXDecimal?
    public var rejectReason: OrderRejectReason?
    public var text: String?

    /// The body in the order FIX 4.4 lists an ExecutionReport's fields.
    public func fields(transactTime: FIXTimestamp) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 256)
        body.append(37, orderID)
        body.append(11, clOrdID)
        if let origClOrdID { body.append(41, origClOrdID) }
        body.append(17, execID)
        body.append(150, char: execType.rawValue.fixByte)
        body.append(39, char: status.rawValue.fixByte)
        if let rejectReason { body.append(103, rejectReason.rawValue) }
        if !terms.account.isEmpty { body.append(1, terms.account) }
        body.append(55, terms.symbol)
        body.append(54, Int(terms.side.rawValue))
        body.append(38, FIXDecimal(mantissa: terms.quantity))
        body.append(40, char: terms.type.rawValue.fixByte)
        if let price = terms.price { body.append(44, price) }
        if let stopPrice = terms.stopPrice { body.append(99, stopPrice) }
        body.append(59, char: terms.timeInForce.rawValue.fixByte)
        if let expireTime = terms.expireTime { body.append(126, FIXTimestamp(nanosecondsSinceEpoch: expireTime)) }
        if let lastQty { body.append(32, FIXDecimal(mantissa: lastQty)) }
        if let lastPrice { body.append(31, lastPrice) }
        body.append(151, FIXDecimal(mantissa: leavesQty))
        body.append(14, FIXDecimal(mantissa: cumQty))
        body.append(6, averagePrice)
        body.append(60, transactTime)
        if let text { body.append(58, text) }
        return body
    }
}
