import FIXCodec

/// The journal's JSON for an order, written by hand: it is written after every change of
/// every order, and Foundation's `JSONEncoder` cost a fifth of the gateway's time per order.
/// The text is exactly what `JSONEncoder` writes for ``OrderAudit`` (the form
/// `JSONDecoder` reads back at a restart), with keys in a fixed order.
extension ClientOrder {
    /// The order as the journal keeps it (`{"order": {...}}`).
    public func auditJSON() -> String {
        var json = JSONText()
        json.object {
            $0.key("order")
            $0.object { order in
                order.field("orderID", orderID)
                order.field("session", session)
                order.field("clOrdID", clOrdID)
                if let origClOrdID { order.field("origClOrdID", origClOrdID) }
                order.key("terms")
                order.terms(terms)
                order.field("status", String(status.rawValue))
                order.field("cumQty", cumQty)
                order.field("filledNotional", filledNotional.description)
                if let pending {
                    order.key("pending")
                    order.object { change in
                        change.key("kind")
                        change.object { kind in
                            switch pending.kind {
                            case .cancel:
                                kind.key("cancel")
                                kind.object { _ in }
                            case .replace(let newTerms):
                                kind.key("replace")
                                kind.object { replace in
                                    replace.key("_0")
                                    replace.terms(newTerms)
                                }
                            }
                        }
                        change.field("clOrdID", pending.clOrdID)
                    }
                }
                order.field("executions", executions)
            }
        }
        return json.text
    }
}

/// A minimal JSON writer for the journal's audit records (the order's above, the gateway's
/// risk decisions).
package struct JSONText {
    package private(set) var text = ""
    private var first = true

    package init() {}

    package mutating func object(_ body: (inout JSONText) -> Void) {
        text += "{"
        let outer = first
        first = true
        body(&self)
        first = outer
        text += "}"
    }

    package mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\"\(name)\":"
    }

    package mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    package mutating func field(_ name: String, _ value: Int64) {
        key(name)
        text += String(value)
    }

    package mutating func field(_ name: String, _ value: Int) {
        key(name)
        text += String(value)
    }

    package mutating func field(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    package mutating func field(_ name: String, _ values: [String]) {
        key(name)
        text += "["
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            string(value)
        }
        text += "]"
    }

    /// `value`'s field, or nothing when it is `nil` (as `JSONEncoder` leaves an absent optional out).
    package mutating func field(_ name: String, _ value: String?) {
        if let value { field(name, value) }
    }

    package mutating func field(_ name: String, _ value: Int64?) {
        if let value { field(name, value) }
    }

    package mutating func field(_ name: String, _ value: Int?) {
        if let value { field(name, value) }
    }

    mutating func terms(_ terms: OrderTerms) {
        object { json in
            json.field("account", terms.account)
            json.field("symbol", terms.symbol)
            json.field("side", Int(terms.side.rawValue))
            json.field("type", String(terms.type.rawValue))
            json.field("timeInForce", String(terms.timeInForce.rawValue))
            json.field("quantity", terms.quantity)
            if let price = terms.price { json.field("price", price.description) }
            if let stopPrice = terms.stopPrice { json.field("stopPrice", stopPrice.description) }
            if let expireTime = terms.expireTime { json.field("expireTime", expireTime) }
        }
    }

    /// A JSON string, escaped as JSON requires (quote, backslash, controls; `/` as JSONEncoder does).
    private mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "/": text += "\\/"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
