import FIXCodec
import FIXVocabulary
import Instruments

/// An ExecutionReport (35=8) about to go to an OMS, as values; ``fields(transactTime:)``
/// lays out its body.
public struct ExecutionReport: Sendable, Hashable, Codable {
    public var orderID: String
    public var execID: String
    /// Left out of the report when empty (a report about a request that carried none).
    public var clOrdID: String
    public var origClOrdID: String?
    public var execType: ExecType
    public var status: OrderStatus
    public var terms: ReportedTerms
    public var cumQty: Int64
    public var leavesQty: Int64
    public var averagePrice: FIXDecimal
    public var lastQty: Int64?
    public var lastPrice: FIXDecimal?
    public var rejectReason: OrdRejReason?
    public var text: String?

    /// A report about a request that never became an order (a reject, an unknown order's
    /// status, a mass status with nothing to report): OrderID NONE, OrdStatus rejected, nothing
    /// filled, and the request's own fields echoed as the OMS sent them.
    public static func aboutRequest(_ request: OrderRequestEcho, clOrdID: String, execID: String, execType: ExecType,
                             reason: OrdRejReason, text: String) -> ExecutionReport {
        ExecutionReport(orderID: "NONE", execID: execID, clOrdID: clOrdID, execType: execType, status: .rejected,
                        terms: .request(request), cumQty: 0, leavesQty: 0, averagePrice: .zero, rejectReason: reason, text: text)
    }

    /// The body in the order FIX 4.4 lists an ExecutionReport's fields, the order's Symbol as
    /// `symbols` names it (a request's fields are echoed as they were sent).
    public func fields(transactTime: FIXTimestamp, symbols: VenueDialect = VenueDialect()) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 256)
        body.append(FIXTag.orderID, orderID)
        if !clOrdID.isEmpty { body.append(FIXTag.clOrdID, clOrdID) }
        if let origClOrdID { body.append(FIXTag.origClOrdID, origClOrdID) }
        body.append(FIXTag.execID, execID)
        body.append(FIXTag.execType, char: execType.rawValue.fixByte)
        body.append(FIXTag.ordStatus, char: status.rawValue.fixByte)
        if let rejectReason { body.append(FIXTag.ordRejReason, rejectReason.rawValue) }
        switch terms {
        case .order(let terms): terms.appendFIXFields(to: &body, symbol: symbols.venueSymbol(terms.symbol), transactTime: nil)
        case .request(let request): request.appendReported(to: &body)
        }
        if let lastQty { body.append(FIXTag.lastQty, FIXDecimal(mantissa: lastQty)) }
        if let lastPrice { body.append(FIXTag.lastPx, lastPrice) }
        body.append(FIXTag.leavesQty, FIXDecimal(mantissa: leavesQty))
        body.append(FIXTag.cumQty, FIXDecimal(mantissa: cumQty))
        body.append(FIXTag.avgPx, averagePrice)
        body.append(FIXTag.transactTime, transactTime)
        if let text { body.append(FIXTag.text, text) }
        return body
    }
}

/// What an ExecutionReport says the order is: the terms of an order the gateway holds, or the
/// fields of a request it answered without ever holding an order, as the OMS sent them.
public enum ReportedTerms: Sendable, Hashable, Codable {
    case order(OrderTerms)
    case request(OrderRequestEcho)
}

/// The order fields of a request, exactly as the OMS sent them: what a report about a request
/// that never became an order echoes, so that it never states a side, quantity, type or price
/// the OMS did not send (a Side the gateway cannot trade, a negative OrderQty). A field the
/// request left out, or sent empty, is left out of the report too.
public struct OrderRequestEcho: Sendable, Hashable, Codable {
    public var account: String?
    public var symbol: String?
    public var side: String?
    public var orderQty: String?
    public var ordType: String?
    public var price: String?
    public var stopPx: String?
    public var timeInForce: String?
    public var expireTime: String?

    /// The fields of `message` (a NewOrderSingle, OrderCancelReplaceRequest, OrderStatusRequest
    /// or OrderMassStatusRequest). `account` stands for an Account (1) the request left out: the
    /// account the gateway read it for (the session's default), when there is one.
    public init(_ message: FIXMessage, account defaultAccount: String? = nil) {
        func sent(_ tag: Int) -> String? {
            guard let value = message[tag]?.string, !value.isEmpty else { return nil }
            return value
        }
        account = sent(FIXTag.account) ?? defaultAccount
        symbol = sent(FIXTag.symbol)
        side = sent(FIXTag.side)
        orderQty = sent(FIXTag.orderQty)
        ordType = sent(FIXTag.ordType)
        price = sent(FIXTag.price)
        stopPx = sent(FIXTag.stopPx)
        timeInForce = sent(FIXTag.timeInForce)
        expireTime = sent(FIXTag.expireTime)
    }

    /// Account, Symbol, Side, OrderQty, OrdType, Price, StopPx, TimeInForce and ExpireTime,
    /// each where the request had it.
    fileprivate func appendReported(to body: inout FIXFieldList) {
        let fields = [(FIXTag.account, account), (FIXTag.symbol, symbol), (FIXTag.side, side), (FIXTag.orderQty, orderQty),
                      (FIXTag.ordType, ordType), (FIXTag.price, price), (FIXTag.stopPx, stopPx),
                      (FIXTag.timeInForce, timeInForce), (FIXTag.expireTime, expireTime)]
        for case let (tag, value?) in fields { body.append(tag, value) }
    }
}
