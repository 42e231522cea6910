import CSQLite

/// One SQLite connection and its prepared statements. Not thread-safe: the journal gives
/// the writer connection to its writer thread and guards the reader with a mutex.
final class SQLiteConnection {
    let path: String
    private(set) var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The writer's statements, by the address of their SQL text: found without hashing it.
    private var fixed: [UInt: OpaquePointer] = [:]

    init(path: String, readOnly: Bool = false) throws(JournalError) {
        self.path = path
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw JournalError(.cannotOpen, path: path, "cannot open: \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit { close() }

    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    func error(_ status: Int32, _ doing: String) -> JournalError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed"
        let code: JournalError.Code = (status == SQLITE_NOTADB || status == SQLITE_CORRUPT) ? .notADatabase : .sqlite
        return JournalError(code, path: path, "\(doing): \(message) (SQLite \(status))")
    }

    /// Runs SQL with no results (several statements allowed).
    func execute(_ sql: String) throws(JournalError) {
        let status = sqlite3_exec(handle, sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status, sql.split(separator: "\n").first.map(String.init) ?? sql) }
    }

    /// A cached prepared statement, reset and with its bindings cleared.
    func statement(_ sql: String) throws(JournalError) -> Statement {
        if let cached = statements[sql] {
            sqlite3_reset(cached)
            sqlite3_clear_bindings(cached)
            return Statement(handle: cached, connection: self)
        }
        var prepared: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard status == SQLITE_OK, let prepared else { throw error(status, "prepare") }
        statements[sql] = prepared
        return Statement(handle: prepared, connection: self)
    }

    /// ``statement(_:)`` for SQL fixed at compile time, found by its text's address: what the
    /// writer runs for every row.
    func cached(_ sql: StaticString) throws(JournalError) -> Statement {
        let key = UInt(bitPattern: sql.utf8Start)
        if let cached = fixed[key] {
            sqlite3_reset(cached)
            sqlite3_clear_bindings(cached)
            return Statement(handle: cached, connection: self)
        }
        let prepared = try statement(sql.description)
        fixed[key] = prepared.handle
        return prepared
    }

    /// The single integer a query returns, or `nil` for no row.
    func integer(_ sql: String) throws(JournalError) -> Int64? {
        let query = try statement(sql)
        defer { query.finish() }
        return try query.step() ? query.int64(0) : nil
    }
}

/// A prepared statement borrowed from its connection's cache.
struct Statement {
    let handle: OpaquePointer
    unowned let connection: SQLiteConnection

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Int) { sqlite3_bind_int64(handle, index, Int64(value)) }
    func bind(_ index: Int32, _ value: String) { sqlite3_bind_text(handle, index, value, -1, Self.transient) }
    func bind(_ index: Int32, _ value: [UInt8]) {
        value.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), Self.transient)
        }
    }

    /// Binds `value` without copying it and steps once, while its bytes are known to stay put.
    func step(binding value: [UInt8], at index: Int32) throws(JournalError) {
        let status: Int32 = value.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), nil) // SQLITE_STATIC
            let status = sqlite3_step(handle)
            // Unbound before the bytes may move: a later reset must not read them.
            sqlite3_bind_null(handle, index)
            return status
        }
        guard status == SQLITE_DONE || status == SQLITE_ROW else { throw connection.error(status, "step") }
    }

    /// Steps once: `true` with a row to read, `false` when done.
    @discardableResult
    func step() throws(JournalError) -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.error(status, "step")
        }
    }

    /// Ends the statement's read so it holds no transaction open between uses.
    func finish() { sqlite3_reset(handle) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: pointer)
    }
    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
