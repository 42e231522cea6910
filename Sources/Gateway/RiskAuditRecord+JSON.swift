import OrderEntry
import RiskSidecar

/// The journal's JSON for a risk decision (`risk.decision`), written by hand: one is written
/// for every order, cancel and replace, and Foundation's `JSONEncoder` on it was about a
/// quarter of the gateway's time per order. It holds what `JSONEncoder` writes for
/// ``RiskAuditRecord`` (the form `JSONDecoder` reads back), with keys in a fixed order.
extension RiskAuditRecord {
    var auditJSON: String {
        var json = JSONText()
        json.object { record in
            record.field("time", time)
            record.field("action", action)
            record.field("orderKey", orderKey)
            record.field("clOrdID", clOrdID)
            record.field("account", account)
            record.field("session", session)
            record.field("symbol", symbol)
            record.field("root", root)
            record.field("side", side)
            record.field("quantity", quantity)
            record.field("orderType", orderType)
            record.field("price", price)
            record.field("stopPrice", stopPrice)
            record.field("timeInForce", timeInForce)
            record.field("originalQuantity", originalQuantity)
            record.field("originalPrice", originalPrice)
            record.field("referencePrice", referencePrice)
            record.field("referencePriceKind", referencePriceKind)
            record.field("protectionBasePrice", protectionBasePrice)
            record.field("protectionBaseKind", protectionBaseKind)
            record.field("accepted", accepted)
            record.field("adjustedLimitPrice", adjustedLimitPrice)
            record.field("check", check)
            record.field("scope", scope)
            record.field("limit", limit)
            record.field("value", value)
            record.field("ordRejReason", ordRejReason)
            record.field("cxlRejReason", cxlRejReason)
            record.field("text", text)
            record.field("warnings", warnings)
            record.field("cancelResting", cancelResting)
            record.field("logoutSession", logoutSession)
        }
        return json.text
    }
}
