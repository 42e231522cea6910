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
                order.field("enteredBy", enteredBy)
            }
        }
        return json.text
    }
}

/// A minimal JSON writer for the journal's audit records (the order's above, the gateway's
/// risk decisions). It writes UTF-8 bytes and makes one `String` at the end: on the order
/// path, where `String`'s appends of scalars and interpolated pieces cost more than the
/// decision being recorded.
package struct JSONText {
    private var bytes: [UInt8] = []
    private var first = true

    package init() {
        bytes.reserveCapacity(512)
    }

    /// The JSON written so far.
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    package mutating func object(_ body: (inout JSONText) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        let outer = first
        first = true
        body(&self)
        first = outer
        bytes.append(UInt8(ascii: "}"))
    }

    package mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    package mutating func field(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    package mutating func field(_ name: String, _ value: Int64) {
        key(name)
        integer(value)
    }

    package mutating func field(_ name: String, _ value: Int) {
        key(name)
        integer(Int64(value))
    }

    package mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    package mutating func field(_ name: String, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
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

    /// Decimal digits, with a minus sign when negative.
    private mutating func integer(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0) // room for 20 digits, filled from the end
        withUnsafeMutableBytes(of: &digits) { room in
            var index = room.count
            repeat {
                index -= 1
                room[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: room[index...])
        }
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
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "/"): bytes.append(contentsOf: #"\/"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): bytes.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                // Bytes of multi-byte UTF-8 sequences are all 0x80 or above: only controls land here.
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
