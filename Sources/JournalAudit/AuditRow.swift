/// One line of the audit trail: a journaled message, decoded, or an application event, with
/// what links it to an order.
public struct AuditRow: Sendable, Hashable {
    /// Which table of the journal the row is from.
    public enum Table: String, Sendable, Hashable {
        case messages
        case events
    }

    /// Whose the row is: the OMS's session, a venue's session, or the gateway's own record.
    public enum Party: String, Sendable, Hashable {
        case oms
        case venue
        case gateway
    }

    public var table: Table
    /// The row's id in its table.
    public var id: Int64
    /// Nanoseconds since the Unix epoch, UTC.
    public var time: Int64
    public var party: Party
    /// Messages: `message`, `queued`, `resend` or `garbled`; events: the event's kind (`risk.decision`).
    public var kind: String
    /// Messages: the journal's session name; events: the session they name, if any.
    public var session: String
    /// Messages: `in` or `out`; events: empty.
    public var direction: String
    /// Messages: MsgType (35); events: empty.
    public var msgType: String
    public var account: String
    public var clOrdID: String
    public var origClOrdID: String
    /// The gateway's OrderID (`WH00000001`) or the venue's, as the row names it.
    public var orderID: String
    /// The message decoded with field names (`ClOrdID(11)=A1 | Side(54)=1 (BUY)`), or the
    /// event summarised, followed by its JSON.
    public var text: String

    /// The time as ISO-8601 UTC with nanoseconds.
    public var isoTime: String { AuditTime.iso8601(time) }
}

/// One order's whole life: every ClOrdID it went by, the gateway's OrderID and the venue's,
/// and every row that touched it, in time order.
public struct OrderLifecycle: Sendable, Hashable {
    /// ClOrdIDs as the OMS used them, first to last.
    public var clOrdIDs: [String]
    /// The gateway's OrderIDs (one, for an order the gateway accepted for checking).
    public var orderIDs: [String]
    /// The venue's OrderIDs and ClOrdIDs for the order.
    public var venueOrderIDs: [String]
    public var venueClOrdIDs: [String]
    public var account: String
    public var rows: [AuditRow]

    public var start: Int64 { rows.first?.time ?? 0 }
    public var end: Int64 { rows.last?.time ?? 0 }
}
