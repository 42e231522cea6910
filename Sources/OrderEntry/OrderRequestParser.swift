import FIXCodec
import FIXVocabulary
import Instruments

/// Reads the terms of a NewOrderSingle or OrderCancelReplaceRequest, with the reject FIX
/// prescribes when they cannot be traded.
public enum OrderRequestParser {
    /// Why a request cannot become an order: the OrdRejReason to report and the words.
    public struct Problem: Error, Sendable {
        public var reason: OrdRejReason
        public var text: String
    }

    /// The terms of `message`, or the reject to send; `defaultAccount` stands for an Account
    /// (1) the request left out. `symbols` is how the sender names instruments: its Symbol is
    /// read into the catalog's.
    public static func terms(of message: FIXMessage, defaultAccount: String?,
                             symbols: VenueDialect = VenueDialect()) -> Result<OrderTerms, Problem> {
        guard let clOrdID = message[FIXTag.clOrdID]?.string, !clOrdID.isEmpty else {
            return .failure(Problem(reason: .other, text: "ClOrdID (11) is required"))
        }
        guard let account = message[FIXTag.account]?.string ?? defaultAccount, !account.isEmpty else {
            return .failure(Problem(reason: .unknownAccount, text: "Account (1) is required: this session has no default account"))
        }
        guard let symbol = message[FIXTag.symbol].map({ symbols.canonicalSymbol($0.string) }), !symbol.isEmpty else {
            return .failure(Problem(reason: .unknownSymbol, text: "Symbol (55) is required"))
        }
        let side: Side
        switch message[FIXSide.self] {
        case .buy: side = .buy
        case .sell: side = .sell
        default:
            return .failure(Problem(reason: .unsupportedOrderCharacteristic,
                                    text: "Side \(message[FIXTag.side]?.string ?? "(missing)") is not supported: futures orders buy (1) or sell (2)"))
        }
        guard let quantityValue = message[FIXTag.orderQty]?.decimal else {
            return .failure(Problem(reason: .incorrectQuantity, text: "OrderQty (38) is required"))
        }
        guard let whole = quantityValue.rescaled(to: 0), whole.mantissa > 0 else {
            return .failure(Problem(reason: .incorrectQuantity,
                                    text: "OrderQty \(quantityValue) is not a positive whole number of contracts"))
        }
        guard let type = message[OrderType.self] else {
            return .failure(Problem(reason: .unsupportedOrderCharacteristic,
                                    text: "OrdType \(message[FIXTag.ordType]?.string ?? "(missing)") is not supported: 1 market, 2 limit, 3 stop, 4 stop-limit"))
        }
        let tifText = message[FIXTag.timeInForce]?.string ?? "0"
        guard let timeInForce = TimeInForce(rawValue: tifText) else {
            return .failure(Problem(reason: .unsupportedOrderCharacteristic,
                                    text: "TimeInForce \(tifText) is not supported: 0 day, 1 GTC, 3 IOC, 4 FOK, 6 GTD"))
        }
        let price = message[FIXTag.price]?.decimal
        let stopPrice = message[FIXTag.stopPx]?.decimal
        if type.needsPrice && price == nil {
            return .failure(Problem(reason: .other, text: "Price (44) is required for OrdType \(type.rawValue)"))
        }
        if type.needsStopPrice && stopPrice == nil {
            return .failure(Problem(reason: .other, text: "StopPx (99) is required for OrdType \(type.rawValue)"))
        }
        var expireTime: Int64?
        if timeInForce == .goodTillDate {
            guard let expiry = message[FIXTag.expireTime]?.timestamp else {
                return .failure(Problem(reason: .other, text: "ExpireTime (126) is required for a GTD order"))
            }
            expireTime = expiry.nanosecondsSinceEpoch
        }
        return .success(OrderTerms(account: account, symbol: symbol, side: side, type: type, timeInForce: timeInForce,
                                   quantity: whole.mantissa, price: type.needsPrice ? price : nil,
                                   stopPrice: type.needsStopPrice ? stopPrice : nil, expireTime: expireTime))
    }
}
