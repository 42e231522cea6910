/// One row of the `messages` table as stored, for the audit trail: its row id (how an error
/// names it), and its direction and kind as the integers the table holds, so that a reader
/// can refuse a value it does not know rather than take it for another.
public struct JournalMessageRow: Sendable, Hashable {
    public var id: Int64
    public var session: JournalSession
    /// The session's sequence numbering the message belongs to (it goes up at each reset).
    public var generation: Int64
    /// 0 inbound, 1 outbound (``JournalDirection``).
    public var direction: Int
    public var sequenceNumber: Int
    public var msgType: String
    /// 0 message, 1 queued, 2 resend, 3 garbled (``JournalKind``).
    public var kind: Int
    /// Nanoseconds since the Unix epoch, UTC.
    public var time: Int64
    public var bytes: [UInt8]
}

/// One row of the `events` table, with its row id.
public struct JournalEventRow: Sendable, Hashable {
    public var id: Int64
    public var kind: String
    /// Nanoseconds since the Unix epoch, UTC.
    public var time: Int64
    public var json: String
}

extension Journal {
    /// Every message whose time lies in `from...through` (either bound may be left open), in
    /// the order they were journaled, as the table holds them: the audit trail's reading.
    public func auditMessages(from: Int64? = nil, through: Int64? = nil) throws(JournalError) -> [JournalMessageRow] {
        try auditRead { db throws(JournalError) in
            let query = try db.statement("""
                SELECT m.id, m.session, s.name, m.generation, m.direction, m.seq, m.msg_type, m.kind, m.time, m.bytes
                FROM messages m JOIN sessions s ON s.id = m.session
                WHERE m.time >= ?1 AND m.time <= ?2 ORDER BY m.id
                """)
            query.bind(1, from ?? Int64.min)
            query.bind(2, through ?? Int64.max)
            defer { query.finish() }
            var rows: [JournalMessageRow] = []
            while try query.step() {
                rows.append(JournalMessageRow(
                    id: query.int64(0), session: JournalSession(id: query.int64(1), name: query.text(2)), generation: query.int64(3),
                    direction: query.int(4), sequenceNumber: query.int(5), msgType: query.text(6), kind: query.int(7),
                    time: query.int64(8), bytes: query.blob(9)))
            }
            return rows
        }
    }

    /// Every application event whose time lies in `from...through` (either bound may be left
    /// open), oldest first by row id.
    public func auditEvents(from: Int64? = nil, through: Int64? = nil) throws(JournalError) -> [JournalEventRow] {
        try auditRead { db throws(JournalError) in
            let query = try db.statement("SELECT id, kind, time, json FROM events WHERE time >= ?1 AND time <= ?2 ORDER BY id")
            query.bind(1, from ?? Int64.min)
            query.bind(2, through ?? Int64.max)
            defer { query.finish() }
            var rows: [JournalEventRow] = []
            while try query.step() {
                rows.append(JournalEventRow(id: query.int64(0), kind: query.text(1), time: query.int64(2), json: query.text(3)))
            }
            return rows
        }
    }

    /// Runs `read` on a read-only connection of its own, once SQLite holds what this process
    /// has written ahead (the catch-up every read of the journal makes, here through a read
    /// that finds nothing): the audit's long reads never hold the reader resends use.
    private func auditRead<Result>(_ read: (SQLiteConnection) throws(JournalError) -> Result) throws(JournalError) -> Result {
        _ = try sentMessages(session: JournalSession(id: 0, name: ""), from: 1, through: 0)
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        try connection.execute("PRAGMA query_only = ON")
        return try read(connection)
    }
}
