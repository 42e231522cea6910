/// Audit rows as CSV (RFC 4180): a header, one record a row, CRLF between records, a field
/// quoted when it holds a comma, a quote, CR or LF, its quotes doubled.
public enum AuditCSV {
    public static let header = ["time", "time_ns", "table", "id", "party", "kind", "session", "direction", "msg_type",
                                "account", "clordid", "origclordid", "orderid", "text"]

    public static func csv(_ rows: [AuditRow]) -> String {
        var lines = [record(header)]
        for row in rows {
            lines.append(record([row.isoTime, String(row.time), row.table.rawValue, String(row.id), row.party.rawValue, row.kind,
                                 row.session, row.direction, row.msgType, row.account, row.clOrdID, row.origClOrdID, row.orderID,
                                 row.text]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public static func csv(_ orders: [OrderLifecycle]) -> String {
        csv(orders.flatMap(\.rows))
    }

    static func record(_ fields: [String]) -> String {
        fields.map(quoted).joined(separator: ",")
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return field }
        return "\"" + String(field.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }
}
