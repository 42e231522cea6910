import CoreMetrics
import CSQLite
import CThreadPriority
import Dispatch
import Foundation
import Synchronization

/// Which way a journaled message went.
public enum JournalDirection: Int, Sendable, Hashable {
    case inbound = 0
    case outbound = 1
}

/// What kind of journal record a message is.
public enum JournalKind: Int, Sendable, Hashable {
    /// Received, or sent with a new sequence number.
    case message = 0
    /// Given a sequence number while not logged on; the counterparty fetches it by resend.
    case queued = 1
    /// A resend or gap fill of a number already journaled.
    case resend = 2
    /// Inbound bytes that could not be framed or parsed, kept for the audit trail.
    case garbled = 3
}

/// One message in or out of one session.
public struct JournalRecord: Sendable {
    public var session: JournalSession
    public var direction: JournalDirection
    public var sequenceNumber: Int
    public var msgType: String
    public var kind: JournalKind
    /// Nanoseconds since the Unix epoch, by the engine's clock.
    public var time: Int64
    public var bytes: [UInt8]

    public init(session: JournalSession, direction: JournalDirection, sequenceNumber: Int, msgType: String,
                kind: JournalKind = .message, time: Int64, bytes: [UInt8]) {
        self.session = session
        self.direction = direction
        self.sequenceNumber = sequenceNumber
        self.msgType = msgType
        self.kind = kind
        self.time = time
        self.bytes = bytes
    }
}

/// A session's row in the journal.
public struct JournalSession: Sendable, Hashable {
    public let id: Int64
    public let name: String
}

/// What the journal knows of a session when Wellhead starts.
public struct JournalSessionState: Sendable, Hashable {
    public var nextSenderSeqNum: Int
    public var nextTargetSeqNum: Int
    /// Nanoseconds since the epoch when the current sequence numbering began.
    public var periodStart: Int64
    /// How the session's last connection ended.
    public var status: JournalSessionStatus

    public init(nextSenderSeqNum: Int, nextTargetSeqNum: Int, periodStart: Int64, status: JournalSessionStatus = .loggedOut) {
        self.nextSenderSeqNum = nextSenderSeqNum
        self.nextTargetSeqNum = nextTargetSeqNum
        self.periodStart = periodStart
        self.status = status
    }
}

/// Where a session stood when its last connection ended, kept so a restart knows too.
public enum JournalSessionStatus: Int, Sendable, Hashable {
    /// Never logged on, or ended with a Logout.
    case loggedOut = 0
    /// Logged on: a connection that ends in this state dropped (or the process was killed),
    /// and a counterparty logging on again means to recover the session.
    case loggedOn = 1
    /// Both sequences were reset on this side; the next Logon must say so (ResetSeqNumFlag).
    case resetPending = 2
}

/// One item of a write, applied in order inside one transaction.
public enum JournalEntry: Sendable {
    case message(JournalRecord)
    /// The session's sequence numbers after the messages before it.
    case sequenceNumbers(JournalSession, nextSender: Int, nextTarget: Int)
    /// Sequence numbers start again at 1: later messages belong to a new numbering, and a
    /// resend never mixes the two. `periodStart` in nanoseconds since the epoch.
    case reset(JournalSession, periodStart: Int64)
    /// The session logged on, logged out, or owes its counterparty a reset Logon.
    case status(JournalSession, JournalSessionStatus)
    /// Something an application decided, for the audit trail: a risk decision with its
    /// inputs, an order's state after a change. `kind` names it (`risk.decision`), `json`
    /// holds it; `time` in nanoseconds since the epoch.
    case event(kind: String, time: Int64, json: String)
}

/// Writes committed together, in order, in one transaction (``Journal/commit(_:completion:)``):
/// all of them durable, or none.
public struct JournalGroup: Sendable {
    public enum Item: Sendable {
        case entries([JournalEntry])
        /// Entries made from the session's state as the writes before them left it, inside the
        /// transaction (a message numbered for a session no connection carries). `make` must be
        /// quick and must not wait.
        case build(JournalSession, make: @Sendable (JournalSessionState) -> [JournalEntry])
    }

    public private(set) var items: [Item] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func append(_ entries: [JournalEntry]) {
        guard !entries.isEmpty else { return }
        items.append(.entries(entries))
    }

    public mutating func append(building session: JournalSession, _ make: @escaping @Sendable (JournalSessionState) -> [JournalEntry]) {
        items.append(.build(session, make: make))
    }
}

/// The SQLite journal: every message in and out of every session of one profile, and each
/// session's sequence numbers, written before the engine acts on them.
///
/// Writes go to one writer thread that commits whatever has queued up in one transaction
/// (group commit), so durability costs one WAL append per batch, not per message; each
/// write's completion runs once its transaction is committed. Reads (resend, recovery,
/// audit) use a second connection, which WAL lets run beside the writer.
public final class Journal: Sendable {
    public enum Synchronous: String, Sendable {
        /// Survives a process crash (SIGKILL); a power loss may cost the last commits.
        case normal = "NORMAL"
        /// Syncs the WAL on every commit: survives power loss too, at several times the cost.
        case full = "FULL"
    }

    /// How the threads that fill SQLite behind the write-ahead log and checkpoint it give way
    /// to the event loops (`JournalFill`).
    public enum FillPriority: String, Sendable {
        /// Nice 10: they take a tenth of a busy core, and wait their turn otherwise; a thread
        /// on the round trip that wakes may still wait a scheduler slice behind them.
        case background
        /// SCHED_IDLE (the default): they run only on a core nothing else wants, and a thread
        /// that wakes takes the core from them at once, so they never delay a round trip. On
        /// a host kept busy by something else they are raised to normal priority while SQLite
        /// is behind (``FillScheduling``), so the backlog never reaches the senders.
        case idle
    }

    public let path: String
    /// How the filling and checkpointing threads were asked to share the cores.
    public let fillPriority: FillPriority
    /// How they do: `idle` only where the journal writes ahead and a thread may leave
    /// SCHED_IDLE again to be rescued (``FillScheduling``); `background` otherwise.
    public var fillInEffect: FillPriority { scheduling.effective }
    /// How many times the idle threads were raised to catch up with a backlog.
    public var fillRescues: Int { scheduling.rescues }
    /// The kernel thread ids of the writer and the checkpointer (0 until each has started),
    /// to find them in /proc.
    public var fillThreadIDs: [Int32] { scheduling.threadIDs }
    fileprivate let scheduling: FillScheduling
    private let reader: Mutex<SQLiteConnection?>
    private let queue: Mutex<WriteQueue>
    private let wakeup = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    private let checkpointer: Checkpointer
    /// Objects kept with the journal for as long as it lives, one per key: each event loop's
    /// output commit (``attachment(for:make:)``).
    private let attachments = Mutex<[ObjectIdentifier: any AnyObject & Sendable]>([:])

    /// Bytes the WAL file is cut back to when it starts over.
    static let walSizeLimit = 16 << 20

    /// `application_id` of a Wellhead journal ('WELL').
    static let applicationID: Int64 = 0x5745_4C4C
    /// 1: sessions and messages; 2: application events; 3: each session's status; 4: only
    /// first-sent outbound messages indexed by sequence number (what a resend looks up); 5: the
    /// last write-ahead record SQLite holds; 6: events of a kind indexed by time too (what a
    /// read of a kind's recent events seeks by).
    static let schemaVersion: Int64 = 6

    /// One item of the writer's queue, carried out in queue order inside one group commit.
    fileprivate enum Pending {
        /// Entries to write, with their record's number in the write-ahead log (0 when they are
        /// not in it); the completion, if any, runs once they are committed or failed.
        case write([JournalEntry], lsn: UInt64, completion: (@Sendable (JournalError?) -> Void)?)
        /// Entries built from the session's state as the queue has it at this point, then written.
        case build(JournalSession, make: @Sendable (JournalSessionState) -> [JournalEntry],
                   completion: @Sendable (JournalError?) -> Void)
        /// The session's state as the queue has it at this point, delivered once committed.
        case read(JournalSession, completion: @Sendable (Result<JournalSessionState, JournalError>) -> Void)
        /// Writes that stand or fall together (``JournalGroup``).
        case group(JournalGroup, completion: @Sendable (JournalError?) -> Void)

        /// Completes the item with a failure, its entries unwritten.
        func fail(_ error: JournalError) {
            switch self {
            case .write(_, _, let completion): completion?(error)
            case .build(_, _, let completion), .group(_, let completion): completion(error)
            case .read(_, let completion): completion(.failure(error))
            }
        }
    }

    private struct WriteQueue {
        var pending: [Pending] = []
        var closing = false
        /// Why a commit failed: from then on every write fails with it, unwritten (fail closed).
        var failure: JournalError?
        /// The writer found nothing to do and sleeps on `wakeup`: the next write wakes it.
        var writerAsleep = false
        /// With the write-ahead log: something queued waits for SQLite (a completion, a read),
        /// so the writer takes the queue now rather than when the batch is due.
        var urgent = false
        /// With the write-ahead log: when the oldest item of the queue came (monotonic
        /// nanoseconds), which makes the batch due ``aheadDelay`` later.
        var oldest: UInt64 = 0

        /// Whether the item just queued must wake the writer (with the write-ahead log): when
        /// it is the first of a batch (the writer, asleep on an empty queue, must start the
        /// batch's clock), when something waits for SQLite, or when a full batch has come.
        /// Marks the writer awake if so.
        mutating func wakeWriter(urgent waiting: Bool) -> Bool {
            if waiting { urgent = true }
            guard writerAsleep, pending.count == 1 || urgent || pending.count >= Journal.aheadBatch else { return false }
            writerAsleep = false
            return true
        }
        /// The write-ahead log this journal appends to (at `normal`, when it owns the log).
        var ahead: WriteAheadLog?
        /// The next record's number in the write-ahead log.
        var nextLSN: UInt64 = 1
        /// Each session's state as the writes queued so far leave it: what a write built from
        /// the session's state gets when the write-ahead log takes it (and SQLite has yet to).
        var sessions: [Int64: SessionMirror] = [:]
    }

    /// With the write-ahead log nothing that is sent waits for SQLite, so SQLite is filled in
    /// batches: the writer takes the queue when ``aheadBatch`` items have come, ``aheadDelay``
    /// after the oldest of them, or at once when something waits for it. Fewer, larger
    /// transactions write each page of the WAL once per batch instead of once per message,
    /// and an event loop wakes the writer once per batch, not once per turn.
    static let aheadBatch = 128
    static let aheadDelay: UInt64 = 2_000_000

    /// A session's state as the queue has it: the row's values, and the highest number sent
    /// in the current numbering (a restart never reuses one, whatever the row says).
    struct SessionMirror {
        var row: JournalSessionState
        var highestSent: Int

        var state: JournalSessionState {
            var state = row
            state.nextSenderSeqNum = max(row.nextSenderSeqNum, highestSent + 1)
            return state
        }

        mutating func apply(_ entry: JournalEntry) {
            switch entry {
            case .message(let record):
                if record.direction == .outbound && record.kind != .resend { highestSent = max(highestSent, record.sequenceNumber) }
            case .sequenceNumbers(_, let nextSender, let nextTarget):
                row.nextSenderSeqNum = nextSender
                row.nextTargetSeqNum = nextTarget
            case .reset(_, let periodStart):
                row.nextSenderSeqNum = 1
                row.nextTargetSeqNum = 1
                row.periodStart = periodStart
                highestSent = 0
            case .status(_, let status):
                row.status = status
            case .event:
                break
            }
        }
    }

    /// Whether writes reach the write-ahead log when queued (``WriteAheadLog``): at `normal`,
    /// for the journal that owns the log. A committed group is then durable against a kill
    /// once ``commit(_:completion:)`` has appended it, and its completion runs at once.
    public let writesAhead: Bool
    /// Records of the write-ahead log that SQLite lacked when this journal opened, put into it
    /// before anything read it: what the last process appended and did not live to apply.
    public let replayedRecords: Int
    /// Queued writes beyond which a committed group's completion waits for SQLite again: how
    /// far SQLite may fall behind the write-ahead log before the senders feel it.
    static let aheadBacklog = 1024
    /// Queued writes at which idle filling threads are raised to catch up (``FillScheduling``):
    /// two full batches, long before the backlog reaches the senders.
    static let rescueBacklog = 2 * aheadBatch
    /// The age of the oldest queued write at which idle filling threads are raised: twenty-five
    /// times the batch delay, so a quiet host never raises them.
    static let rescueAge: UInt64 = 25 * aheadDelay
    /// The writer thread's `pthread_self()`, so a read made there does not wait for itself.
    private let writerThread = Atomic<UInt>(0)
    /// `wellhead_journal_commit_seconds`: each group commit's transaction on the writer thread,
    /// BEGIN to COMMIT. Made once; a histogram with the appliance's microsecond buckets.
    fileprivate let commitSeconds = CoreMetrics.Timer(label: "wellhead_journal_commit_seconds")
    /// `wellhead_journal_write_ahead_append_seconds`: each append to the write-ahead log.
    private let appendSeconds = CoreMetrics.Timer(label: "wellhead_journal_write_ahead_append_seconds")

    /// Opens (creating if absent) the journal at `path`. A file that is not a Wellhead
    /// journal is an error, never overwritten.
    public init(path: String, synchronous: Synchronous = .normal, fill: FillPriority = .idle) throws(JournalError) {
        self.path = path
        fillPriority = fill
        let writer = try SQLiteConnection(path: path)
        try Self.prepareSchema(writer, synchronous: synchronous)
        // Whatever the last owner appended to the write-ahead log and SQLite lacks goes in now,
        // before anything reads the journal.
        var nextLSN: UInt64 = 1
        var replayed = 0
        let log = try WriteAheadLog(journalPath: path) { records throws(JournalError) in
            (nextLSN, replayed) = try Self.replay(records, into: writer)
            nextLSN += 1
        }
        replayedRecords = replayed
        writesAhead = log != nil && synchronous == .normal
        scheduling = FillScheduling(writesAhead ? fill : .background)
        // Kept at `full` too, unused: the journal stays the log's one owner.
        queue = Mutex(WriteQueue(ahead: log, nextLSN: nextLSN))
        let readConnection = try SQLiteConnection(path: path)
        try readConnection.execute("PRAGMA query_only = ON")
        reader = Mutex(readConnection)
        // The writer never checkpoints: a checkpoint syncs the database file, and on the
        // writer thread that sync (up to tens of milliseconds) would hold up every commit
        // behind it. A thread of its own copies the WAL back while commits go on.
        try writer.execute("PRAGMA wal_autocheckpoint = 0")
        // When the WAL starts over (a checkpoint has copied all of it back), it is cut back to
        // this size: a burst does not leave a file of its size behind for good.
        try writer.execute("PRAGMA journal_size_limit = \(Self.walSizeLimit)")
        let checkpointConnection = try SQLiteConnection(path: path)
        // A checkpoint syncs the WAL before it copies it back and the database after, so the
        // WAL is never written over while the database lacks what it held: a power loss may
        // cost the last commits at `normal`, never the file.
        try checkpointConnection.execute("PRAGMA synchronous = \(synchronous.rawValue)")
        checkpointer = Checkpointer(connection: WriterHandOff(checkpointConnection), scheduling: scheduling)
        checkpointer.start()
        let writerBox = WriterHandOff(writer)
        let thread = WriterThread(journal: self, connection: writerBox)
        thread.start()
        if writesAhead { Self.owners.withLock { $0[path] = WeakJournal(journal: self) } }
    }

    /// Checks the file is ours (or empty) and creates the schema.
    private static func prepareSchema(_ db: SQLiteConnection, synchronous: Synchronous) throws(JournalError) {
        let application: Int64
        do {
            application = try db.integer("PRAGMA application_id") ?? 0
        } catch {
            throw JournalError(.notADatabase, path: db.path, "not a SQLite database: \(error.message)")
        }
        let tables = try db.integer("SELECT count(*) FROM sqlite_master") ?? 0
        if application != applicationID && (application != 0 || tables > 0) {
            throw JournalError(.foreignDatabase, path: db.path,
                               "is a SQLite database but not a Wellhead journal (application_id \(application)); refusing to use it")
        }
        let version = try db.integer("PRAGMA user_version") ?? 0
        if version > schemaVersion {
            throw JournalError(.unsupportedVersion, path: db.path,
                               "journal schema version \(version) is newer than this build's \(schemaVersion)")
        }
        try db.execute("PRAGMA journal_mode = WAL")
        // At `normal` the writer never syncs. Its commits do not sync at NORMAL either; what OFF
        // takes away is the sync of the WAL's header each time the WAL starts over after a
        // checkpoint, a sync on the writer's thread that held up every commit behind it (the
        // round trip's p99.9, milliseconds). The checkpointer still syncs the WAL before it
        // copies any of it back and the database after, so the header a restart reads is on
        // disk before the database holds anything newer than the frames it describes.
        try db.execute("PRAGMA synchronous = \(synchronous == .full ? "FULL" : "OFF")")
        guard version < schemaVersion else { return }
        if version >= 1 && version < 3 {
            // Written by an earlier build: the sessions table lacks the status column.
            try db.execute("ALTER TABLE sessions ADD COLUMN status INTEGER NOT NULL DEFAULT 0")
        }
        if version >= 1 && version < 4 {
            // The index of every message, in and out, becomes one of what a resend reads.
            try db.execute("DROP INDEX IF EXISTS messages_by_seq")
        }
        try db.execute("""
            BEGIN;
            CREATE TABLE IF NOT EXISTS sessions (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                next_sender INTEGER NOT NULL DEFAULT 1,
                next_target INTEGER NOT NULL DEFAULT 1,
                generation INTEGER NOT NULL DEFAULT 0,
                period_start INTEGER NOT NULL DEFAULT 0,
                status INTEGER NOT NULL DEFAULT 0
            );
            CREATE TABLE IF NOT EXISTS messages (
                id INTEGER PRIMARY KEY,
                session INTEGER NOT NULL REFERENCES sessions(id),
                generation INTEGER NOT NULL,
                direction INTEGER NOT NULL,
                seq INTEGER NOT NULL,
                msg_type TEXT NOT NULL,
                kind INTEGER NOT NULL,
                time INTEGER NOT NULL,
                bytes BLOB NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sent_by_seq ON messages(session, generation, seq) WHERE direction = 1 AND kind != 2;
            CREATE TABLE IF NOT EXISTS events (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                time INTEGER NOT NULL,
                json TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS events_by_kind ON events(kind, id);
            CREATE INDEX IF NOT EXISTS events_by_kind_time ON events(kind, time);
            CREATE TABLE IF NOT EXISTS write_ahead (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                applied INTEGER NOT NULL
            );
            INSERT OR IGNORE INTO write_ahead(id, applied) VALUES (1, 0);
            PRAGMA application_id = \(applicationID);
            PRAGMA user_version = \(schemaVersion);
            COMMIT;
            """)
    }

    /// Puts the records SQLite lacks (numbered after its `write_ahead.applied`) into it, in one
    /// transaction; returns the highest record number known, applied or not, and how many
    /// records went in.
    private static func replay(_ records: [(lsn: UInt64, payload: ArraySlice<UInt8>, segment: String)],
                               into db: SQLiteConnection) throws(JournalError) -> (last: UInt64, replayed: Int) {
        let applied = UInt64(try db.integer("SELECT applied FROM write_ahead WHERE id = 1") ?? 0)
        let missing = records.filter { $0.lsn > applied }
        guard let last = missing.last else { return (max(applied, records.last?.lsn ?? 0), 0) }
        try db.execute("BEGIN IMMEDIATE")
        do throws(JournalError) {
            var generations: [Int64: Int64] = [:]
            for record in missing {
                for entry in try JournalEntry.decode(record.payload, lsn: record.lsn, path: record.segment) {
                    try JournalApply.apply(entry, db, &generations)
                }
            }
            try JournalApply.recordApplied(last.lsn, db)
            try db.execute("COMMIT")
        } catch {
            _ = Result { () throws(JournalError) in try db.execute("ROLLBACK") }
            throw error
        }
        return (last.lsn, missing.count)
    }

    /// The object kept with this journal for `key`, made by `make` the first time: how each
    /// event loop finds its one output commit for this journal, without the journal knowing
    /// what an event loop is. It lives as long as the journal.
    public func attachment<Attached: AnyObject & Sendable>(for key: ObjectIdentifier, make: () -> Attached) -> Attached {
        attachments.withLock { table in
            if let found = table[key] as? Attached { return found }
            let made = make()
            table[key] = made
            return made
        }
    }

    // MARK: Sessions

    /// The session's row, created on first use with both sequence numbers at 1.
    public func session(named name: String, now: Int64) throws(JournalError) -> (JournalSession, JournalSessionState) {
        try reader.withLock { connection throws(JournalError) in
            guard let db = connection else { throw JournalError(.closed, path: path, "closed") }
            if let found = try Self.loadSessionRow(db, name: name) { return mirrored(found) }
            // Sessions are created through a short-lived writable connection; it serialises
            // with the writer thread on SQLite's own lock.
            let creator = try SQLiteConnection(path: path)
            let insert = try creator.statement("INSERT OR IGNORE INTO sessions(name, period_start) VALUES (?, ?)")
            insert.bind(1, name)
            insert.bind(2, now)
            try insert.step()
            creator.close()
            guard let created = try Self.loadSessionRow(db, name: name) else {
                throw JournalError(.sqlite, path: path, "session \(name) could not be created")
            }
            return mirrored(created)
        }
    }

    /// A session's sequence numbers and status as the writes queued so far leave them (ahead
    /// of SQLite): a read that waits for nothing, for a console. `nil` without the write-ahead
    /// log, or for a session this journal has not opened.
    public func queuedState(of session: JournalSession) -> JournalSessionState? {
        guard writesAhead else { return nil }
        return queue.withLock { $0.sessions[session.id]?.state }
    }

    /// With the write-ahead log, SQLite may lag the queue: a session already known answers from
    /// the queue's view of it, and one met for the first time is known from here on.
    private func mirrored(_ loaded: (JournalSession, JournalSessionState, highestSent: Int)) -> (JournalSession, JournalSessionState) {
        guard writesAhead else { return (loaded.0, loaded.1) }
        return queue.withLock { queue in
            if let known = queue.sessions[loaded.0.id] { return (loaded.0, known.state) }
            // The state as read already has the highest number sent applied; a later change of
            // the row replaces it, and `state` applies the highest number sent again.
            queue.sessions[loaded.0.id] = SessionMirror(row: loaded.1, highestSent: loaded.highestSent)
            return (loaded.0, loaded.1)
        }
    }

    fileprivate static func loadSession(_ db: SQLiteConnection, name: String) throws(JournalError) -> (JournalSession, JournalSessionState)? {
        try loadSessionRow(db, name: name).map { ($0.0, $0.1) }
    }

    /// The session, its state, and the highest number sent in its current numbering.
    private static func loadSessionRow(_ db: SQLiteConnection, name: String) throws(JournalError)
        -> (JournalSession, JournalSessionState, highestSent: Int)? {
        let query = try db.statement("SELECT id, next_sender, next_target, generation, period_start, status FROM sessions WHERE name = ?")
        query.bind(1, name)
        defer { query.finish() }
        guard try query.step() else { return nil }
        let id = query.int64(0)
        guard let status = JournalSessionStatus(rawValue: query.int(5)) else {
            // Guessing would decide whether the next Logon resets or recovers the session.
            throw JournalError(.sqlite, path: db.path, "session \(name) has status \(query.int(5)), which this build does not know")
        }
        var state = JournalSessionState(nextSenderSeqNum: query.int(1), nextTargetSeqNum: query.int(2), periodStart: query.int64(4),
                                        status: status)
        let generation = query.int64(3)
        // Never reuse a sequence number already journaled as sent, whatever the row says.
        let highest = try db.statement("SELECT max(seq) FROM messages WHERE session = ? AND generation = ? AND direction = 1 AND kind != 2")
        highest.bind(1, id)
        highest.bind(2, generation)
        defer { highest.finish() }
        var highestSent = 0
        if try highest.step() {
            highestSent = highest.int(0)
            state.nextSenderSeqNum = max(state.nextSenderSeqNum, highestSent + 1)
        }
        return (JournalSession(id: id, name: name), state, highestSent)
    }

    // MARK: Writing

    /// Queues `entries` for the next group commit; `completion` runs on the writer thread
    /// once they are durable (with `nil`) or failed.
    public func write(_ entries: [JournalEntry], completion: @escaping @Sendable (JournalError?) -> Void) {
        enqueue(.write(entries, lsn: 0, completion: completion))
    }

    /// Queues a write whose entries depend on the session's sequence numbers: on the writer
    /// thread, in queue order, `make` gets the session's state with every write queued before
    /// this one applied, and what it returns is written in the same commit; `completion` runs
    /// on the writer thread once that is durable (with `nil`) or failed.
    ///
    /// A message numbered while no connection carries its session is journaled this way:
    /// nothing waits for the journal, and because the writer is serial, a state read queued
    /// after it (``readState(of:completion:)``, a connection binding) sees the number it took.
    /// `make` runs inside the writer's transaction: it must be quick and must not wait.
    public func write(for session: JournalSession, building make: @escaping @Sendable (JournalSessionState) -> [JournalEntry],
                      completion: @escaping @Sendable (JournalError?) -> Void) {
        enqueue(.build(session, make: make, completion: completion))
    }

    /// Reads the session's state on the writer thread, after every write queued before this
    /// call; `completion` runs on the writer thread once those writes are committed, with the
    /// state or the failure. An event loop binding a connection asks this way instead of
    /// reading SQLite itself, and sees every message numbered for the session before it asked.
    public func readState(of session: JournalSession,
                          completion: @escaping @Sendable (Result<JournalSessionState, JournalError>) -> Void) {
        enqueue(.read(session, completion: completion))
    }

    /// Queues `group` for the next group commit, its writes applied in order inside one
    /// transaction with nothing of another group between them; `completion` runs on the writer
    /// thread once they are all durable (with `nil`), or with the failure that left all of them
    /// unwritten.
    ///
    /// This is the output commit: an inbound message and everything it caused (the messages
    /// it made on any session, the application's decisions, the sequence numbers) are one
    /// group, so a crash leaves either all of it in the journal or none of it.
    ///
    /// When the journal ``writesAhead``, the group is one record of the write-ahead log,
    /// appended before this returns, and `completion` runs at once on the calling thread: a
    /// kill from then on loses none of it. (Only when SQLite has fallen ``aheadBacklog`` writes
    /// behind does the completion wait for SQLite, as without the log.)
    public func commit(_ group: JournalGroup, completion: @escaping @Sendable (JournalError?) -> Void) {
        enqueue(.group(group, completion: completion))
    }

    /// Why the journal stopped accepting writes, if it has: a commit failed (the disk is full,
    /// the file cannot be written) and, failing closed, every write since fails with that.
    public var failure: JournalError? { queue.withLock { $0.failure } }

    private func enqueue(_ item: Pending) {
        if writesAhead {
            enqueueAhead(item)
            return
        }
        let (refusal, wake): (JournalError?, Bool) = queue.withLock { queue in
            if let failure = queue.failure { return (failure, false) }
            guard !queue.closing else { return (JournalError(.closed, path: path, "closed"), false) }
            queue.pending.append(item)
            defer { queue.writerAsleep = false }
            return (nil, queue.writerAsleep)
        }
        if let refusal {
            item.fail(refusal)
        } else if wake {
            wakeup.signal()
        }
    }

    /// Queues `item` with the write-ahead log: its entries (those built from a session's state
    /// made here, from the queue's view of it) are appended as one record, then queued for
    /// SQLite in the same order. A group completes at once unless SQLite lags far behind.
    private func enqueueAhead(_ item: Pending) {
        enum Outcome {
            case refused(JournalError)
            case queued(wake: Bool, complete: (@Sendable (JournalError?) -> Void)?, behind: Bool)
        }
        // Recorded once the queue's lock is let go, so the histogram's own lock is never inside it.
        var appended: UInt64?
        defer { if let appended { appendSeconds.recordNanoseconds(Int64(appended)) } }
        let outcome: Outcome = queue.withLock { queue in
            if let failure = queue.failure { return .refused(failure) }
            guard !queue.closing else { return .refused(JournalError(.closed, path: path, "closed")) }
            let entries: [JournalEntry]
            let completion: (@Sendable (JournalError?) -> Void)?
            var early: (@Sendable (JournalError?) -> Void)?
            switch item {
            case .read:
                queue.pending.append(item)
                return .queued(wake: queue.wakeWriter(urgent: true), complete: nil, behind: true)
            case .write(let written, _, let then):
                entries = written
                completion = then
                for entry in entries { Self.mirror(entry, in: &queue.sessions) }
            case .build(let session, let make, let then):
                guard let known = queue.sessions[session.id] else {
                    return .refused(JournalError(.sqlite, path: path, "session \(session.name) is not in the journal"))
                }
                entries = make(known.state)
                completion = then
                for entry in entries { Self.mirror(entry, in: &queue.sessions) }
            case .group(let group, let then):
                // Built on a copy: a group stands or falls whole.
                var sessions = queue.sessions
                var made: [JournalEntry] = []
                for part in group.items {
                    switch part {
                    case .entries(let written):
                        for entry in written { Self.mirror(entry, in: &sessions) }
                        made.append(contentsOf: written)
                    case .build(let session, let make):
                        guard let known = sessions[session.id] else {
                            // The loop has acted on what the group holds: fail closed, as a
                            // commit that fails does.
                            let error = JournalError(.sqlite, path: path, "session \(session.name) is not in the journal")
                            queue.failure = error
                            return .refused(error)
                        }
                        let built = make(known.state)
                        for entry in built { Self.mirror(entry, in: &sessions) }
                        made.append(contentsOf: built)
                    }
                }
                queue.sessions = sessions
                entries = made
                if queue.pending.count < Self.aheadBacklog {
                    early = then
                    completion = nil
                } else {
                    completion = then
                }
            }
            var lsn: UInt64 = 0
            if !entries.isEmpty, let log = queue.ahead {
                lsn = queue.nextLSN
                var payload: [UInt8] = []
                payload.reserveCapacity(256)
                JournalEntry.encode(entries, into: &payload)
                do throws(JournalError) {
                    let started = DispatchTime.now().uptimeNanoseconds
                    try log.append(lsn: lsn, payload: payload)
                    appended = DispatchTime.now().uptimeNanoseconds - started
                } catch {
                    // Fail closed: what is queued before it is in the log and still goes to
                    // SQLite; nothing after it is taken.
                    queue.failure = error
                    return .refused(error)
                }
                queue.nextLSN += 1
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if queue.pending.isEmpty { queue.oldest = now }
            queue.pending.append(.write(entries, lsn: lsn, completion: completion))
            // Something waits for SQLite (a write that is not a turn's commit, or any once the
            // backlog is reached), or SQLite has fallen behind: idle threads must catch up.
            let behind = completion != nil || queue.pending.count >= Self.rescueBacklog || now >= queue.oldest + Self.rescueAge
            return .queued(wake: queue.wakeWriter(urgent: completion != nil), complete: early, behind: behind)
        }
        switch outcome {
        case .refused(let error):
            item.fail(error)
        case .queued(let wake, let complete, let behind):
            // A rescue that raced the writer settling wakes it, to lower itself again.
            let raisedLate = behind && scheduling.rescue()
            if wake || raisedLate { wakeup.signal() }
            complete?(nil)
        }
    }

    /// Moves the queue's view of a session past `entry`.
    private static func mirror(_ entry: JournalEntry, in sessions: inout [Int64: SessionMirror]) {
        let id: Int64
        switch entry {
        case .message(let record): id = record.session.id
        case .sequenceNumbers(let session, _, _), .reset(let session, _), .status(let session, _): id = session.id
        case .event: return
        }
        sessions[id]?.apply(entry)
    }

    /// SQLite holds every write-ahead record through `lsn`: the log lets go of the segments it
    /// no longer needs, deleted here on the writer thread, and the next segment is opened ahead
    /// of need, so that no append waits on the file system beyond its own write.
    fileprivate func applied(through lsn: UInt64) -> JournalError? {
        let (done, wanted): ([String], String?) = queue.withLock { queue in
            guard let log = queue.ahead else { return ([], nil) }
            return (log.applied(through: lsn), log.spareWanted)
        }
        for path in done where unlink(path) != 0 && errno != ENOENT {
            return JournalError(.sqlite, path: path, "cannot delete an applied write-ahead segment: \(String(cString: strerror(errno)))")
        }
        guard let wanted else { return nil }
        do throws(JournalError) {
            let spare = try WriteAheadFile(path: wanted)
            queue.withLock { queue in queue.ahead?.keep(spare: spare) }
            return nil
        } catch {
            return error
        }
    }

    /// Waits until SQLite holds every write queued before this call, so a read sees what was
    /// written ahead. Not on the writer thread (a read there is already caught up).
    private func catchUp() {
        guard writesAhead else {
            // Another journal of this process owns the file's write-ahead log: a read here waits
            // for its SQLite as that journal's own reads do. (Another process's lag, a few
            // milliseconds, is for its readers to wait out.)
            Self.owners.withLock { $0[path]?.journal }?.catchUp()
            return
        }
        guard writerThread.load(ordering: .acquiring) != UInt(bitPattern: Int(bitPattern: pthread_self())) else { return }
        let done = DispatchSemaphore(value: 0)
        write([]) { _ in done.signal() }
        done.wait()
    }

    /// The journals of this process that own their file's write-ahead log, by path.
    private static let owners = Mutex<[String: WeakJournal]>([:])

    private struct WeakJournal: Sendable {
        weak var journal: Journal?
    }

    fileprivate func writerStarted() {
        writerThread.store(UInt(bitPattern: Int(bitPattern: pthread_self())), ordering: .releasing)
    }

    /// A commit failed: no write is accepted from now on; what is queued fails with `error`.
    fileprivate func failed(_ error: JournalError) -> [Pending] {
        queue.withLock { queue in
            if queue.failure == nil { queue.failure = error }
            defer { queue.pending.removeAll() }
            return queue.pending
        }
    }

    /// Writes `entries` and waits until SQLite holds them or the write failed: for a start or a
    /// tool, never an event loop.
    public func writeAndWait(_ entries: [JournalEntry]) throws(JournalError) {
        let written = DispatchSemaphore(value: 0)
        let failure = Mutex<JournalError?>(nil)
        write(entries) { error in
            failure.withLock { $0 = error }
            written.signal()
        }
        written.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Writes `entries` and returns once they are durable.
    public func write(_ entries: [JournalEntry]) async throws(JournalError) {
        let failure: JournalError? = await withCheckedContinuation { continuation in
            write(entries) { error in continuation.resume(returning: error) }
        }
        if let failure { throw failure }
    }

    /// Commits what is queued, stops the writer and closes both connections.
    public func close() {
        let first = queue.withLock { queue in
            defer { queue.closing = true }
            return !queue.closing
        }
        guard first else { return }
        // Signalled whether the writer sleeps or not: at worst it finds the count and goes round.
        wakeup.signal()
        stopped.wait()
        checkpointer.stop()
        if writesAhead {
            Self.owners.withLock { owners in
                if owners[path]?.journal === self { owners[path] = nil }
            }
        }
        // Everything appended is in SQLite unless a commit failed: then the log keeps it for
        // the next open to replay.
        queue.withLock { queue in
            if queue.failure == nil { queue.ahead?.removeAll() }
            queue.ahead = nil
        }
        reader.withLock { connection in
            connection?.close()
            connection = nil
        }
    }

    /// How long the writer looks for more work before it sleeps, in nanoseconds, while work
    /// comes steadily (the last batch came within this of the one before). A write that arrives
    /// meanwhile is taken at once, without the futex wake and the scheduler's delay a sleeping
    /// thread costs: measured on the echo round trip here, 190 µs at the median with no spin,
    /// 148 µs spinning 200 µs, 118 µs spinning 400 µs. A journal written now and then never
    /// spins: its writer sleeps as soon as its queue is empty.
    static let spinNanoseconds: UInt64 = 500_000

    /// The next batch of writes (with the write-ahead log: once it is due, see ``aheadBatch``).
    fileprivate func takeAhead() -> (batch: [Pending], closing: Bool) {
        while true {
            let now = DispatchTime.now().uptimeNanoseconds
            let (taken, until): ((batch: [Pending], closing: Bool)?, UInt64?) = queue.withLock { queue in
                let due = !queue.pending.isEmpty
                    && (queue.urgent || queue.pending.count >= Self.aheadBatch || now >= queue.oldest + Self.aheadDelay)
                if due || queue.closing {
                    queue.urgent = false
                    defer { queue.pending.removeAll(keepingCapacity: true) }
                    return ((queue.pending, queue.closing), nil)
                }
                queue.writerAsleep = true
                return (nil, queue.pending.isEmpty ? nil : queue.oldest + Self.aheadDelay)
            }
            if let taken { return taken }
            // Caught up: a rescue is over, and the writer waits at SCHED_IDLE, holding nothing.
            scheduling.settle()
            scheduling.fill {
                if let until {
                    _ = wakeup.wait(timeout: DispatchTime(uptimeNanoseconds: until))
                } else {
                    wakeup.wait()
                }
            }
        }
    }

    /// The next batch of writes: what is queued, taken as soon as there is any, looking for it
    /// for `spin` nanoseconds before sleeping.
    fileprivate func takePending(spinningFor spin: UInt64) -> (batch: [Pending], closing: Bool) {
        // With the write-ahead log no sender waits for SQLite: the writer never spins, and
        // leaves the cores to the event loops.
        if writesAhead { return takeAhead() }
        let spinUntil = DispatchTime.now().uptimeNanoseconds + spin
        while true {
            let taken: (batch: [Pending], closing: Bool)? = queue.withLock { queue in
                guard queue.pending.isEmpty && !queue.closing else {
                    defer { queue.pending.removeAll(keepingCapacity: true) }
                    return (queue.pending, queue.closing)
                }
                if DispatchTime.now().uptimeNanoseconds < spinUntil { return nil }
                // Nothing came: sleep until a write (or close) signals.
                queue.writerAsleep = true
                return ([], false)
            }
            if let taken {
                if taken.batch.isEmpty && !taken.closing {
                    wakeup.wait()
                    continue
                }
                return taken
            }
            // Still looking: let any other thread waiting for this core (the event loop, on a
            // machine with few cores) run first.
            sched_yield()
        }
    }

    fileprivate func writerStopped() { stopped.signal() }

    fileprivate func committed() { checkpointer.committed() }

    // MARK: Reading

    /// This session's outbound messages numbered `from...through` in the current numbering,
    /// as first sent (resends excluded), for serving a ResendRequest.
    public func sentMessages(session: JournalSession, from: Int, through: Int) throws(JournalError) -> [(sequenceNumber: Int, bytes: [UInt8])] {
        catchUp()
        return try reader.withLock { connection throws(JournalError) in
            guard let db = connection else { throw JournalError(.closed, path: path, "closed") }
            let query = try db.statement("""
                SELECT seq, bytes FROM messages
                WHERE session = ?1 AND direction = 1 AND kind != 2 AND seq BETWEEN ?2 AND ?3
                  AND generation = (SELECT generation FROM sessions WHERE id = ?1)
                ORDER BY seq
                """)
            query.bind(1, session.id)
            query.bind(2, from)
            query.bind(3, through)
            defer { query.finish() }
            var result: [(Int, [UInt8])] = []
            while try query.step() { result.append((query.int(0), query.blob(1))) }
            return result
        }
    }

    /// Application events of `kind` (all kinds when `nil`), oldest first, each with its row id
    /// in the `events` table (how an error names the record).
    public func events(kind: String? = nil) throws(JournalError) -> [(id: Int64, kind: String, time: Int64, json: String)] {
        catchUp()
        return try reader.withLock { connection throws(JournalError) in
            guard let db = connection else { throw JournalError(.closed, path: path, "closed") }
            let query = try db.statement("SELECT id, kind, time, json FROM events WHERE ?1 IS NULL OR kind = ?1 ORDER BY id")
            if let kind { query.bind(1, kind) }
            defer { query.finish() }
            var result: [(Int64, String, Int64, String)] = []
            while try query.step() { result.append((query.int64(0), query.text(1), query.int64(2), query.text(3))) }
            return result
        }
    }

    /// Events of `kind` timed at or after `since` (nanoseconds since the epoch), by time (row
    /// id among equal times), handed to `body` one at a time without holding them all: a read
    /// of a kind's recent events (the signals' history from months of market-data snapshots)
    /// that seeks through the `events_by_kind_time` index and keeps one row in memory. `body`
    /// returns `false` to stop early; it runs under the journal's reader lock and must not
    /// call the journal.
    public func forEachEvent(kind: String, since: Int64, _ body: (_ id: Int64, _ time: Int64, _ json: String) -> Bool) throws(JournalError) {
        catchUp()
        try reader.withLock { connection throws(JournalError) in
            guard let db = connection else { throw JournalError(.closed, path: path, "closed") }
            let query = try db.statement("SELECT id, time, json FROM events WHERE kind = ?1 AND time >= ?2 ORDER BY time, id")
            query.bind(1, kind)
            query.bind(2, since)
            defer { query.finish() }
            while try query.step() {
                guard body(query.int64(0), query.int64(1), query.text(2)) else { return }
            }
        }
    }

    /// Every event from the last one of `kind` on (that one included), oldest first; every event
    /// when there is none of `kind`. A restore point (`day.end`) and what followed it, read
    /// through the `events_by_kind` index and the row ids after it: the cost does not grow with
    /// what came before.
    public func events(fromLast kind: String) throws(JournalError) -> [(id: Int64, kind: String, time: Int64, json: String)] {
        catchUp()
        return try reader.withLock { connection throws(JournalError) in
            guard let db = connection else { throw JournalError(.closed, path: path, "closed") }
            let last = try db.statement("SELECT coalesce(max(id), 0) FROM events WHERE kind = ?1")
            last.bind(1, kind)
            defer { last.finish() }
            let start = try last.step() ? last.int64(0) : 0
            let query = try db.statement("SELECT id, kind, time, json FROM events WHERE id >= ?1 ORDER BY id")
            query.bind(1, start)
            defer { query.finish() }
            var result: [(Int64, String, Int64, String)] = []
            while try query.step() { result.append((query.int64(0), query.text(1), query.int64(2), query.text(3))) }
            return result
        }
    }

    /// Every journaled message of a session (or of all sessions), oldest first: the audit trail.
    public func messages(session: JournalSession? = nil) throws(JournalError) -> [JournalRecord] {
        catchUp()
        return try reader.withLock { connection throws(JournalError) in
            guard let db = connection else { throw JournalError(.closed, path: path, "closed") }
            let query = try db.statement("""
                SELECT m.session, s.name, m.direction, m.seq, m.msg_type, m.kind, m.time, m.bytes
                FROM messages m JOIN sessions s ON s.id = m.session
                WHERE ?1 IS NULL OR m.session = ?1 ORDER BY m.id
                """)
            if let session { query.bind(1, session.id) }
            defer { query.finish() }
            var result: [JournalRecord] = []
            while try query.step() {
                result.append(JournalRecord(
                    session: JournalSession(id: query.int64(0), name: query.text(1)),
                    direction: JournalDirection(rawValue: query.int(2)) ?? .inbound, sequenceNumber: query.int(3),
                    msgType: query.text(4), kind: JournalKind(rawValue: query.int(5)) ?? .message,
                    time: query.int64(6), bytes: query.blob(7)))
            }
            return result
        }
    }
}

/// Moves the writer connection, made and checked on the opening thread, to the writer
/// thread that alone uses it from then on.
private final class WriterHandOff: @unchecked Sendable {
    let connection: SQLiteConnection
    init(_ connection: SQLiteConnection) { self.connection = connection }
}

/// The journal's single writer: waits for queued writes, commits them together, then
/// completes them.
private struct WriterThread: Sendable {
    let journal: Journal
    let connection: WriterHandOff

    func start() {
        let thread = Thread { run() }
        thread.name = "wellhead-journal"
        thread.start()
    }

    private func run() {
        journal.writerStarted()
        if journal.writesAhead { journal.scheduling.enter(.writer) }
        let db = connection.connection
        var generations: [Int64: Int64] = [:]
        var spin: UInt64 = 0
        while true {
            let asked = DispatchTime.now().uptimeNanoseconds
            let (batch, closing) = journal.takePending(spinningFor: spin)
            // Spin next time only if this batch came soon: a stream of messages, not an idle journal.
            spin = DispatchTime.now().uptimeNanoseconds - asked <= Journal.spinNanoseconds ? Journal.spinNanoseconds : 0
            if !batch.isEmpty {
                let started = DispatchTime.now().uptimeNanoseconds
                // SQLite's work at SCHED_IDLE (with `JournalFill=idle`): it takes no lock an event
                // loop takes. What follows (the queue, the completions) at SCHED_OTHER.
                let (completions, applied, commitFailure) = journal.scheduling.fill { commit(batch, db, &generations) }
                if commitFailure == nil { journal.commitSeconds.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started)) }
                // A write-ahead segment that cannot be let go of fails the journal as a commit would.
                let failure = commitFailure ?? (applied > 0 ? journal.applied(through: applied) : nil)
                if let failure {
                    // Fail closed: what its writers hold in memory is ahead of the journal now,
                    // so nothing may be written after it, and nothing they made may be sent.
                    let queued = journal.failed(failure)
                    for complete in completions { complete() }
                    for pending in queued { pending.fail(failure) }
                } else {
                    for complete in completions { complete() }
                    journal.committed()
                }
            }
            if closing {
                db.close()
                journal.writerStopped()
                return
            }
        }
    }

    /// Commits the batch in one transaction; returns each item's completion, in order, to run
    /// once the commit is over. A session whose state cannot be read fails that item alone; a
    /// failed statement or commit fails them all.
    private func commit(_ batch: [Journal.Pending], _ db: SQLiteConnection, _ generations: inout [Int64: Int64])
        -> (completions: [() -> Void], applied: UInt64, failure: JournalError?) {
        do throws(JournalError) {
            // Prepared once and kept, as every statement here: nothing is parsed per commit.
            try db.cached("BEGIN IMMEDIATE").step()
            var completions: [() -> Void] = []
            completions.reserveCapacity(batch.count)
            var applied: UInt64 = 0
            for pending in batch {
                switch pending {
                case .write(let entries, let lsn, let completion):
                    for entry in entries { try apply(entry, db, &generations) }
                    applied = max(applied, lsn)
                    if let completion { completions.append { completion(nil) } }
                case .build(let session, let make, let completion):
                    // Read inside the transaction: it sees what the items before it wrote.
                    switch Result(catching: { () throws(JournalError) in try JournalApply.state(of: session, db) }) {
                    case .success(let state):
                        for entry in make(state) { try apply(entry, db, &generations) }
                        completions.append { completion(nil) }
                    case .failure(let error):
                        completions.append { completion(error) }
                    }
                case .read(let session, let completion):
                    let outcome = Result { () throws(JournalError) in try JournalApply.state(of: session, db) }
                    completions.append { completion(outcome) }
                case .group(let group, let completion):
                    for item in group.items {
                        switch item {
                        case .entries(let entries):
                            for entry in entries { try apply(entry, db, &generations) }
                        case .build(let session, let make):
                            // A group stands or falls whole: a state that cannot be read fails it.
                            for entry in make(try JournalApply.state(of: session, db)) { try apply(entry, db, &generations) }
                        }
                    }
                    completions.append { completion(nil) }
                }
            }
            if applied > 0 { try JournalApply.recordApplied(applied, db) }
            try db.cached("COMMIT").step()
            return (completions, applied, nil)
        } catch {
            // The rollback's own failure changes nothing: the journal fails closed either way.
            _ = Result { () throws(JournalError) in try db.execute("ROLLBACK") }
            generations.removeAll()
            return (batch.map { pending in { pending.fail(error) } }, 0, error)
        }
    }

    private func apply(_ entry: JournalEntry, _ db: SQLiteConnection, _ generations: inout [Int64: Int64]) throws(JournalError) {
        try JournalApply.apply(entry, db, &generations)
    }

}

/// How an entry goes into SQLite: on the writer thread, and when a journal opens and replays
/// its write-ahead log.
enum JournalApply {
    /// Records that SQLite holds every write-ahead record through `lsn`, inside the transaction.
    static func recordApplied(_ lsn: UInt64, _ db: SQLiteConnection) throws(JournalError) {
        let update = try db.cached("UPDATE write_ahead SET applied = ? WHERE id = 1")
        update.bind(1, Int64(lsn))
        try update.step()
    }

    /// The session's state through the writer's connection, inside its transaction.
    static func state(of session: JournalSession, _ db: SQLiteConnection) throws(JournalError) -> JournalSessionState {
        guard let (_, state) = try Journal.loadSession(db, name: session.name) else {
            throw JournalError(.sqlite, path: db.path, "session \(session.name) is not in the journal")
        }
        return state
    }

    static func generation(of session: JournalSession, _ db: SQLiteConnection, _ generations: inout [Int64: Int64]) throws(JournalError) -> Int64 {
        if let known = generations[session.id] { return known }
        let query = try db.cached("SELECT generation FROM sessions WHERE id = ?")
        query.bind(1, session.id)
        defer { query.finish() }
        let value = try query.step() ? query.int64(0) : 0
        generations[session.id] = value
        return value
    }

    static func apply(_ entry: JournalEntry, _ db: SQLiteConnection, _ generations: inout [Int64: Int64]) throws(JournalError) {
        switch entry {
        case .message(let record):
            let insert = try db.cached(
                "INSERT INTO messages(session, generation, direction, seq, msg_type, kind, time, bytes) VALUES (?,?,?,?,?,?,?,?)")
            insert.bind(1, record.session.id)
            insert.bind(2, try generation(of: record.session, db, &generations))
            insert.bind(3, record.direction.rawValue)
            insert.bind(4, record.sequenceNumber)
            insert.bind(5, record.msgType)
            insert.bind(6, record.kind.rawValue)
            insert.bind(7, record.time)
            try insert.step(binding: record.bytes, at: 8)
        case .sequenceNumbers(let session, let nextSender, let nextTarget):
            let update = try db.cached("UPDATE sessions SET next_sender = ?, next_target = ? WHERE id = ?")
            update.bind(1, nextSender)
            update.bind(2, nextTarget)
            update.bind(3, session.id)
            try update.step()
        case .reset(let session, let periodStart):
            let next = try generation(of: session, db, &generations) + 1
            let update = try db.cached(
                "UPDATE sessions SET generation = ?, next_sender = 1, next_target = 1, period_start = ? WHERE id = ?")
            update.bind(1, next)
            update.bind(2, periodStart)
            update.bind(3, session.id)
            try update.step()
            generations[session.id] = next
        case .status(let session, let status):
            let update = try db.cached("UPDATE sessions SET status = ? WHERE id = ?")
            update.bind(1, status.rawValue)
            update.bind(2, session.id)
            try update.step()
        case .event(let kind, let time, let json):
            let insert = try db.cached("INSERT INTO events(kind, time, json) VALUES (?,?,?)")
            insert.bind(1, kind)
            insert.bind(2, time)
            insert.bind(3, json)
            try insert.step()
        }
    }
}

/// Copies the WAL back into the database on a thread and connection of its own (a PASSIVE
/// checkpoint, which never blocks the writer), after every ``interval`` commits.
private final class Checkpointer: Sendable {
    /// Commits between checkpoints: each copies back a few hundred pages at most, so it ends
    /// between two commits often enough for the WAL to start over.
    static let interval = 128
    private let connection: WriterHandOff
    private let wakeup = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)
    /// Atomics, not a lock: the checkpointer runs at SCHED_IDLE and must hold nothing the
    /// writer waits for.
    private let commits = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    private let scheduling: FillScheduling

    init(connection: WriterHandOff, scheduling: FillScheduling) {
        self.connection = connection
        self.scheduling = scheduling
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "wellhead-journal-checkpoint"
        thread.start()
    }

    func committed() {
        // Only the writer counts: every interval-th commit wakes the checkpointer.
        if commits.wrappingAdd(1, ordering: .relaxed).newValue % Self.interval == 0 { wakeup.signal() }
    }

    func stop() {
        stopping.store(true, ordering: .releasing)
        wakeup.signal()
        stopped.wait()
    }

    private func run() {
        scheduling.enter(.checkpointer)
        let db = connection.connection
        while true {
            wakeup.wait()
            if stopping.load(ordering: .acquiring) {
                db.close()
                stopped.signal()
                return
            }
            try? db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        }
    }
}
