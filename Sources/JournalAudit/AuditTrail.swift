import FIXCodec
import FIXDictionary
import FIXJournal

/// The journal read for compliance: one order's whole lifecycle by any of its ClOrdIDs or
/// OrderIDs, searches by account and time, rows for export. Reads only the journal; every
/// row it cannot decode is an error naming the row.
public struct AuditTrail: Sendable {
    public let journal: Journal
    /// Field names and enumeration descriptions for decoding messages; without one, fields
    /// show as `11=A1`.
    public let dictionary: FIXDataDictionary?

    public init(journal: Journal, dictionary: FIXDataDictionary?) {
        self.journal = journal
        self.dictionary = dictionary
    }

    /// Every order one of whose ClOrdIDs is `clOrdID` (one per OMS session that used it).
    public func orders(clOrdID: String) throws(AuditError) -> [OrderLifecycle] {
        let index = try load()
        let found = index.lifecycles(keys: index.keys(clOrdID: clOrdID))
        guard !found.isEmpty else { throw .orderNotFound("no order with ClOrdID \(clOrdID) in the journal \(journal.path)") }
        return found
    }

    /// The order whose gateway OrderID (`WH00000001`) or venue OrderID is `orderID`.
    public func orders(orderID: String) throws(AuditError) -> [OrderLifecycle] {
        let index = try load()
        let found = index.lifecycles(keys: index.keys(orderID: orderID))
        guard !found.isEmpty else { throw .orderNotFound("no order with OrderID \(orderID) in the journal \(journal.path)") }
        return found
    }

    /// Every order of `account` (all accounts when `nil`) with a row in `from...through`
    /// (nanoseconds since the epoch; open when `nil`), each whole, oldest first.
    public func orders(account: String? = nil, from: Int64? = nil, through: Int64? = nil) throws(AuditError) -> [OrderLifecycle] {
        try load().lifecycles(keys: nil).filter { order in
            (account == nil || order.account == account)
                && order.rows.contains { (from ?? .min) <= $0.time && $0.time <= (through ?? .max) }
        }
    }

    /// Every row journaled in `from...through`, decoded, each naming its order's account and
    /// OrderID; with `account`, only the rows of that account's orders and those naming it.
    public func rows(account: String? = nil, from: Int64? = nil, through: Int64? = nil) throws(AuditError) -> [AuditRow] {
        try load().rowsNamingTheirOrders().filter { row in
            (from ?? .min) <= row.time && row.time <= (through ?? .max) && (account == nil || row.account == account)
        }
    }

    private func load() throws(AuditError) -> AuditIndex {
        let messages: [JournalMessageRow]
        let events: [JournalEventRow]
        do {
            messages = try journal.auditMessages()
            events = try journal.auditEvents()
        } catch {
            throw .journal(error)
        }
        return try AuditIndex(messages: messages, events: events, decoder: AuditMessageDecoder(dictionary: dictionary))
    }
}
