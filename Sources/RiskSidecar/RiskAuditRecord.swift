import FIXCodec
import Instruments

/// One decision with its inputs, for the journal: plain strings and numbers, decimals as their
/// exact FIX text, so the JSON reads the same as the wire.
public struct RiskAuditRecord: Sendable, Hashable, Codable {
    /// Nanoseconds since the Unix epoch, as passed to the check.
    public var time: Int64
    /// `new`, `replace` or `cancel`.
    public var action: String
    public var orderKey: String
    public var clOrdID: String
    public var account: String?
    public var session: String
    public var symbol: String?
    public var root: String?
    /// `buy` or `sell`.
    public var side: String?
    public var quantity: Int64?
    public var orderType: String?
    public var price: String?
    public var stopPrice: String?
    public var timeInForce: String?
    /// For replaces: the working order's quantity and price before the replace.
    public var originalQuantity: Int64?
    public var originalPrice: String?
    /// The reference price the price collar measured from, and which it was (`last`, `mid`,
    /// `settlement`): the market the decision was taken against.
    public var referencePrice: String?
    public var referencePriceKind: String?
    /// Market-order protection's base price and which it was (`ask`, `bid`, `last`,
    /// `settlement`, a stop's own `stop`): what the capped limit was taken from.
    public var protectionBasePrice: String?
    public var protectionBaseKind: String?
    public var accepted: Bool
    public var adjustedLimitPrice: String?
    public var check: String?
    public var scope: String?
    public var limit: String?
    public var value: String?
    public var ordRejReason: Int?
    public var cxlRejReason: Int?
    public var text: String?
    public var warnings: [String]
    public var cancelResting: [String]
    public var logoutSession: Bool
}

extension RiskDecision {
    /// The decision and its inputs as the journal records them.
    public var auditRecord: RiskAuditRecord {
        var record = RiskAuditRecord(
            time: time, action: "", orderKey: "", clOrdID: "", account: nil, session: "", symbol: nil, root: nil,
            side: nil, quantity: nil, orderType: nil, price: nil, stopPrice: nil, timeInForce: nil,
            originalQuantity: nil, originalPrice: nil, referencePrice: referencePrice?.description,
            referencePriceKind: referencePriceKind?.rawValue, protectionBasePrice: protectionBasePrice?.description,
            protectionBaseKind: protectionBaseKind, accepted: isAccepted, adjustedLimitPrice: adjustedLimitPrice?.description,
            check: rejection?.check.rawValue, scope: rejection?.scope?.description,
            limit: rejection?.limit?.description, value: rejection?.value?.description,
            ordRejReason: nil, cxlRejReason: nil, text: rejection?.text,
            warnings: warnings.map(\.message), cancelResting: cancelResting.map(\.value), logoutSession: logoutSession)
        switch input {
        case .newOrder(let order):
            record.action = "new"
            record.orderKey = order.key.value
            record.clOrdID = order.clOrdID
            record.account = order.account
            record.session = order.session
            record.symbol = order.symbol
            record.root = order.root
            record.side = order.side.auditName
            record.quantity = order.quantity
            record.orderType = order.type.name
            record.price = order.price?.description
            record.stopPrice = order.stopPrice?.description
            record.timeInForce = order.timeInForce.name
            record.ordRejReason = rejection?.ordRejReason.rawValue
        case .replace(let replace, let original):
            record.action = "replace"
            record.orderKey = replace.key.value
            record.clOrdID = replace.clOrdID
            record.session = replace.session
            record.quantity = replace.quantity
            record.orderType = replace.type.name
            record.price = replace.price?.description
            record.stopPrice = replace.stopPrice?.description
            record.timeInForce = (replace.timeInForce ?? original?.timeInForce)?.name
            record.cxlRejReason = rejection?.cxlRejReason.rawValue
            if let original {
                record.account = original.account
                record.symbol = original.symbol
                record.root = original.root
                record.side = original.side.auditName
                record.originalQuantity = original.orderQuantity
                record.originalPrice = original.price?.description
            }
        case .cancel(let cancel, let original):
            record.action = "cancel"
            record.orderKey = cancel.key.value
            record.clOrdID = cancel.clOrdID
            record.session = cancel.session
            if let original {
                record.account = original.account
                record.symbol = original.symbol
                record.root = original.root
                record.side = original.side.auditName
                record.originalQuantity = original.orderQuantity
                record.originalPrice = original.price?.description
            }
        }
        return record
    }
}

extension Side {
    var auditName: String { self == .buy ? "buy" : "sell" }
}
