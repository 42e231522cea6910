/// An order's lifecycle as text for a terminal: what it went by, then one block a row.
public enum AuditReport {
    public static func text(_ order: OrderLifecycle) -> String {
        var lines: [String] = []
        lines.append("Order \(order.orderIDs.joined(separator: ", "))  account \(order.account.isEmpty ? "-" : order.account)")
        lines.append("  ClOrdIDs: \(order.clOrdIDs.joined(separator: " -> "))")
        if !order.venueClOrdIDs.isEmpty || !order.venueOrderIDs.isEmpty {
            lines.append("  at the venue: ClOrdIDs \(order.venueClOrdIDs.joined(separator: " -> ")); "
                         + "OrderIDs \(order.venueOrderIDs.joined(separator: ", "))")
        }
        lines.append("  \(AuditTime.iso8601(order.start)) to \(AuditTime.iso8601(order.end)), \(order.rows.count) rows")
        for row in order.rows {
            var heading = "\(row.isoTime)  \(label(row))"
            if row.table == .messages { heading += "  \(row.session) message \(row.id)" } else { heading += "  event \(row.id)" }
            lines.append("")
            lines.append(heading)
            lines.append("    " + row.text)
        }
        return lines.joined(separator: "\n")
    }

    /// `OMS in 35=D`, `venue out 35=F`, `risk.decision`.
    static func label(_ row: AuditRow) -> String {
        switch row.table {
        case .messages:
            let kind = row.kind == "message" ? "" : " (\(row.kind))"
            return "\(row.party == .venue ? "venue" : "OMS") \(row.direction) MsgType \(row.msgType)\(kind)"
        case .events:
            return row.kind
        }
    }
}
