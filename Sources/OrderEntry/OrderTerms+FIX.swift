import FIXCodec
import FIXVocabulary

extension OrderTerms {
    /// The order's fields of a NewOrderSingle, an OrderCancelReplaceRequest or an
    /// ExecutionReport, in FIX 4.4's order: Account (when set), Symbol (`symbol`: the terms'
    /// own, or a venue's name for it), Side, TransactTime (when given: a request's, not a
    /// report's), OrderQty, OrdType, Price, StopPx, TimeInForce, ExpireTime.
    public func appendFIXFields(to body: inout FIXFieldList, symbol: String, transactTime: Int64?) {
        if !account.isEmpty { body.append(FIXTag.account, account) }
        body.append(FIXTag.symbol, symbol)
        body.append(FIXTag.side, Int(side.rawValue))
        if let transactTime { body.append(FIXTag.transactTime, FIXTimestamp(nanosecondsSinceEpoch: transactTime)) }
        body.append(FIXTag.orderQty, FIXDecimal(mantissa: quantity))
        body.append(FIXTag.ordType, char: type.rawValue.fixByte)
        if let price { body.append(FIXTag.price, price) }
        if let stopPrice { body.append(FIXTag.stopPx, stopPrice) }
        body.append(FIXTag.timeInForce, char: timeInForce.rawValue.fixByte)
        if let expireTime { body.append(FIXTag.expireTime, FIXTimestamp(nanosecondsSinceEpoch: expireTime)) }
    }
}
