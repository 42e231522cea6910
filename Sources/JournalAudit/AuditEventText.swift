/// A journal event summarised for a person; the row's text goes on with the event's JSON.
enum AuditEventText {
    /// `decoder` names enumerated values the events hold as FIX does (an order's OrdStatus).
    static func summary(kind: String, json: AuditJSON, decoder: AuditMessageDecoder) -> String {
        switch kind {
        case "risk.decision":
            let inputs = ["account", "symbol", "side", "quantity", "orderType", "price", "stopPrice", "timeInForce",
                          "referencePrice"].compactMap { key in json.text(key).map { "\(key) \($0)" } }.joined(separator: ", ")
            let action = json.text("action") ?? "?"
            let clOrdID = json.text("clOrdID") ?? ""
            guard json.text("accepted") == "false" else { return "risk \(action) ClOrdID \(clOrdID) accepted (\(inputs))" }
            return "risk \(action) ClOrdID \(clOrdID) REJECTED by check \(json.text("check") ?? "?") at \(json.text("scope") ?? "?"): "
                + "value \(json.text("value") ?? "?") against limit \(json.text("limit") ?? "?"): \(json.text("text") ?? "") (\(inputs))"
        case "risk.warning":
            return "risk warning: \(json.text("message") ?? "")"
        case "risk.killSwitch":
            let released = json.text("releasedBy").map { ", released by \($0)" } ?? ""
            return "kill switch engaged by \(json.text("engagedBy") ?? "?"): \(json.text("reason") ?? "")\(released)"
        case "order":
            let status = json.text("order", "status").map { decoder.field(tag: AuditTag.ordStatus, value: $0) } ?? "?"
            return "order \(json.text("order", "orderID") ?? "?") ClOrdID \(json.text("order", "clOrdID") ?? "?") "
                + "\(status) cumQty \(json.text("order", "cumQty") ?? "?")"
        case "order.rejected", "cancel.rejected":
            return "\(kind) ClOrdID \(json.text("clOrdID") ?? "?") reason \(json.text("reason") ?? "?"): \(json.text("text") ?? "")"
        case "fill":
            return "fill \(json.text("execID") ?? "?"): \(json.text("account") ?? "?") \(json.text("quantity") ?? "?") "
                + "\(json.text("symbol") ?? "?") at \(json.text("price") ?? "?")"
        case "route":
            return "route of order \(json.text("id") ?? "?") to \(json.text("route", "session") ?? "?") "
                + "as ClOrdID \(json.text("route", "clOrdID") ?? "?")"
        case "admin":
            return "admin \(json.text("command") ?? "?") \(json.text("scope") ?? "") by \(json.text("by") ?? "?"): \(json.text("message") ?? "")"
        default:
            return kind
        }
    }
}
