import FIXJournal

/// Why the audit trail could not answer, naming what could not be read.
public enum AuditError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The journal itself could not be read.
    case journal(JournalError)
    /// A row of the `messages` table that is not a FIX message this reader can decode.
    case undecodableMessage(id: Int64, reason: String)
    /// A row of the `events` table whose JSON does not read.
    case undecodableEvent(id: Int64, kind: String, reason: String)
    /// No order in the journal has this ClOrdID or OrderID.
    case orderNotFound(String)
    /// A time that is not ISO-8601 UTC.
    case badTime(String)

    public var description: String {
        switch self {
        case .journal(let error): "\(error)"
        case .undecodableMessage(let id, let reason): "journal message row \(id) does not decode: \(reason)"
        case .undecodableEvent(let id, let kind, let reason): "journal event row \(id) (\(kind)) does not decode: \(reason)"
        case .orderNotFound(let text): text
        case .badTime(let text): "'\(text)' is not an ISO-8601 UTC time (e.g. 2026-12-07T14:30:00Z, 2026-12-07T14:30:00.123456789Z or 2026-12-07)"
        }
    }
}
