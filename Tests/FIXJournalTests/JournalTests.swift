import Foundation
@testable import FIXJournal
import Synchronization
import Testing
import TestSupport

@Suite struct JournalTests {
    private func record(_ session: JournalSession, _ direction: JournalDirection, _ seq: Int, _ msgType: String = "D",
                        kind: JournalKind = .message) -> JournalEntry {
        .message(JournalRecord(session: session, direction: direction, sequenceNumber: seq, msgType: msgType, kind: kind,
                               time: Int64(seq) * 1_000, bytes: Array("8=FIX.4.4\u{01}34=\(seq)\u{01}".utf8)))
    }

    @Test func aVersion3JournalIsMigratedToIndexOnlyWhatAResendReads() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        do {
            let journal = try Journal(path: path)
            let (session, _) = try journal.session(named: "FIX.4.4:WELLHEAD->OMS1", now: 7)
            try await journal.write([record(session, .inbound, 1, "A"), record(session, .outbound, 1, "A"),
                                     record(session, .outbound, 2, "8"), .sequenceNumbers(session, nextSender: 3, nextTarget: 2)])
            journal.close()
        }
        // As the build before version 4 left it: every message in one index.
        do {
            let old = try SQLiteConnection(path: path)
            try old.execute("""
                DROP INDEX sent_by_seq;
                CREATE INDEX messages_by_seq ON messages(session, generation, direction, seq);
                PRAGMA user_version = 3;
                """)
            old.close()
        }
        let migrated = try Journal(path: path)
        defer { migrated.close() }
        let check = try SQLiteConnection(path: path)
        defer { check.close() }
        let indexes = try check.statement("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' ORDER BY name")
        var names: [String] = []
        while try indexes.step() { names.append(indexes.text(0)) }
        indexes.finish()
        #expect(names == ["sent_by_seq"])
        #expect(try check.integer("PRAGMA user_version") == Journal.schemaVersion)
        let (session, state) = try migrated.session(named: "FIX.4.4:WELLHEAD->OMS1", now: 99)
        #expect(state.nextSenderSeqNum == 3)
        #expect(try migrated.sentMessages(session: session, from: 1, through: 5).map(\.sequenceNumber) == [1, 2])
        #expect(try migrated.messages(session: session).count == 3)
    }

    @Test func aGroupIsCommittedWholeOrNotAtAllAndAFailedCommitFailsEveryWriteAfterIt() async throws {
        let (journal, session, directory) = try freshJournal()
        defer { journal.close(); directory.remove() }
        var group = JournalGroup()
        group.append([record(session, .inbound, 1)])
        group.append(building: session) { state in
            [self.record(session, .outbound, state.nextSenderSeqNum, "8"),
             .sequenceNumbers(session, nextSender: state.nextSenderSeqNum + 1, nextTarget: 2)]
        }
        let first: JournalError? = await withCheckedContinuation { continuation in
            journal.commit(group) { continuation.resume(returning: $0) }
        }
        #expect(first == nil)
        #expect(try journal.messages().map(\.sequenceNumber) == [1, 1])

        // A group that cannot be written whole (its session's state cannot be read) leaves
        // nothing of itself, and the journal fails closed: nothing is written after it.
        var broken = JournalGroup()
        broken.append([record(session, .inbound, 2)])
        broken.append(building: JournalSession(id: 99, name: "NOT-THERE")) { _ in [] }
        let failed: JournalError? = await withCheckedContinuation { continuation in
            journal.commit(broken) { continuation.resume(returning: $0) }
        }
        #expect(failed != nil)
        #expect(journal.failure != nil)
        await #expect(throws: JournalError.self) { try await journal.write([self.record(session, .inbound, 3)]) }
        #expect(try journal.messages().map(\.sequenceNumber) == [1, 1], "nothing of the failed group, nothing after it")
    }

    @Test func messagesAndSequenceNumbersSurviveReopening() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        do {
            let journal = try Journal(path: path)
            let (session, state) = try journal.session(named: "FIX.4.4:WELLHEAD->OMS1", now: 7)
            #expect(state == JournalSessionState(nextSenderSeqNum: 1, nextTargetSeqNum: 1, periodStart: 7))
            try await journal.write([record(session, .inbound, 1, "A"), record(session, .outbound, 1, "A"),
                                     .sequenceNumbers(session, nextSender: 2, nextTarget: 2)])
            try await journal.write([record(session, .inbound, 2), record(session, .outbound, 2, "8"),
                                     .sequenceNumbers(session, nextSender: 3, nextTarget: 3)])
            journal.close()
        }
        let reopened = try Journal(path: path)
        defer { reopened.close() }
        let (session, state) = try reopened.session(named: "FIX.4.4:WELLHEAD->OMS1", now: 99)
        #expect(state.nextSenderSeqNum == 3)
        #expect(state.nextTargetSeqNum == 3)
        let all = try reopened.messages(session: session)
        #expect(all.map(\.sequenceNumber) == [1, 1, 2, 2])
        #expect(all.map(\.direction) == [.inbound, .outbound, .inbound, .outbound])
        #expect(String(decoding: all[3].bytes, as: UTF8.self) == "8=FIX.4.4\u{01}34=2\u{01}")
        let sent = try reopened.sentMessages(session: session, from: 1, through: 10)
        #expect(sent.map(\.sequenceNumber) == [1, 2])
    }

    @Test func applicationEventsAreKeptInOrderAndByKind() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        do {
            let journal = try Journal(path: path)
            try await journal.write([.event(kind: "risk.decision", time: 1, json: #"{"accepted":false}"#),
                                     .event(kind: "order", time: 2, json: #"{"order":"WH1"}"#),
                                     .event(kind: "risk.decision", time: 3, json: #"{"accepted":true}"#)])
            journal.close()
        }
        let reopened = try Journal(path: path)
        defer { reopened.close() }
        #expect(try reopened.events().map(\.time) == [1, 2, 3])
        #expect(try reopened.events(kind: "risk.decision").map(\.json) == [#"{"accepted":false}"#, #"{"accepted":true}"#])
    }

    /// A kind's events from a time on, in time order, one at a time: through the index of a
    /// kind's times, which a version-5 journal gains when it is opened.
    @Test func aKindsEventsAreReadFromATimeOnInTimeOrderAndCanStopEarly() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        do {
            let journal = try Journal(path: path)
            // Written out of time order, and beside another kind at the same times.
            try journal.writeAndWait([.event(kind: "snap", time: 30, json: "c"), .event(kind: "snap", time: 10, json: "a"),
                                      .event(kind: "other", time: 20, json: "x"), .event(kind: "snap", time: 20, json: "b"),
                                      .event(kind: "snap", time: 40, json: "d")])
            journal.close()
            let old = try SQLiteConnection(path: path)
            try old.execute("DROP INDEX events_by_kind_time; PRAGMA user_version = 5;")
            old.close()
        }
        let journal = try Journal(path: path)
        defer { journal.close() }
        let check = try SQLiteConnection(path: path)
        defer { check.close() }
        #expect(try check.integer("SELECT count(*) FROM sqlite_master WHERE name = 'events_by_kind_time'") == 1)
        let plan = try check.statement("EXPLAIN QUERY PLAN SELECT id, time, json FROM events WHERE kind = ?1 AND time >= ?2 ORDER BY time, id")
        var steps: [String] = []
        while try plan.step() { steps.append(plan.text(3)) }
        plan.finish()
        #expect(steps.contains { $0.contains("events_by_kind_time") } && !steps.contains { $0.contains("TEMP B-TREE") }, "\(steps)")

        var read: [String] = []
        try journal.forEachEvent(kind: "snap", since: 20) { _, _, json in
            read.append(json)
            return true
        }
        #expect(read == ["b", "c", "d"])
        read = []
        try journal.forEachEvent(kind: "snap", since: 0) { _, time, json in
            read.append(json)
            return time < 20
        }
        #expect(read == ["a", "b"])
        journal.close()
        #expect(throws: JournalError.self) { try journal.forEachEvent(kind: "snap", since: 0) { _, _, _ in true } }
    }

    @Test func senderNumberNeverGoesBelowWhatWasJournaledAsSent() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.path("j.sqlite"))
        defer { journal.close() }
        let (session, _) = try journal.session(named: "S", now: 0)
        // Messages written, but the state row not yet updated (a crash in between).
        try await journal.write([record(session, .outbound, 1), record(session, .outbound, 2), record(session, .outbound, 3)])
        let (_, state) = try journal.session(named: "S", now: 0)
        #expect(state.nextSenderSeqNum == 4)
    }

    @Test func resetStartsANewNumberingThatResendsNeverMix() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.path("j.sqlite"))
        defer { journal.close() }
        let (session, _) = try journal.session(named: "S", now: 0)
        try await journal.write([record(session, .outbound, 1, "8"), record(session, .outbound, 2, "8"),
                                 .reset(session, periodStart: 500), record(session, .outbound, 1, "A")])
        let sent = try journal.sentMessages(session: session, from: 1, through: 5)
        #expect(sent.count == 1)
        let (_, state) = try journal.session(named: "S", now: 0)
        #expect(state.periodStart == 500)
        #expect(state.nextSenderSeqNum == 2)
        #expect(try journal.messages().count == 3, "the audit trail keeps both numberings")
    }

    @Test func resendsAreAuditedButNotServedAgain() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.path("j.sqlite"))
        defer { journal.close() }
        let (session, _) = try journal.session(named: "S", now: 0)
        try await journal.write([record(session, .outbound, 1, "8"), record(session, .outbound, 1, "8", kind: .resend)])
        #expect(try journal.sentMessages(session: session, from: 1, through: 1).count == 1)
        #expect(try journal.messages().map(\.kind) == [.message, .resend])
    }

    @Test func concurrentWritesAreGroupCommittedAndAllComplete() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.path("j.sqlite"))
        defer { journal.close() }
        let (session, _) = try journal.session(named: "S", now: 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for seq in 1...500 {
                group.addTask { try await journal.write([self.record(session, .inbound, seq)]) }
            }
            try await group.waitForAll()
        }
        #expect(Set(try journal.messages().map(\.sequenceNumber)) == Set(1...500))
    }

    /// A new journal in a directory of its own, with session "S": the test closes the one and
    /// removes the other.
    private func freshJournal() throws -> (Journal, JournalSession, TemporaryDirectory) {
        let directory = TemporaryDirectory()
        let journal = try Journal(path: directory.path("j.sqlite"))
        return (journal, try journal.session(named: "S", now: 0).0, directory)
    }

    @Test func writesBuiltFromTheSessionStateAndStateReadsFollowTheWritersOrder() async throws {
        let (journal, session, directory) = try freshJournal()
        defer { journal.close(); directory.remove() }
        let seen = Mutex<[Int]>([])
        // Queued one after the other without waiting: each sees what the ones before it wrote,
        // committed or not yet.
        journal.write([record(session, .outbound, 1, "8"), .sequenceNumbers(session, nextSender: 2, nextTarget: 1)]) { _ in }
        for _ in 0..<2 {
            journal.write(for: session, building: { state in
                seen.withLock { $0.append(state.nextSenderSeqNum) }
                return [self.record(session, .outbound, state.nextSenderSeqNum, "8", kind: .queued),
                        .sequenceNumbers(session, nextSender: state.nextSenderSeqNum + 1, nextTarget: state.nextTargetSeqNum)]
            }, completion: { _ in })
        }
        let state = try await withCheckedThrowingContinuation { continuation in
            journal.readState(of: session) { continuation.resume(with: $0) }
        }
        #expect(seen.withLock { $0 } == [2, 3])
        #expect(state.nextSenderSeqNum == 4)
        #expect(try journal.sentMessages(session: session, from: 1, through: 3).map(\.sequenceNumber) == [1, 2, 3])
    }

    @Test func aStateReadOfAnUnknownSessionFailsAloneAndAfterCloseFailsClearly() async throws {
        let (journal, session, directory) = try freshJournal()
        defer { journal.close(); directory.remove() }
        let unknown = JournalSession(id: 99, name: "NOT-THERE")
        let failed = await withCheckedContinuation { continuation in
            journal.readState(of: unknown) { continuation.resume(returning: $0) }
        }
        #expect(throws: JournalError.self) { try failed.get() }
        try await journal.write([record(session, .inbound, 1)])
        journal.close()
        let closed = await withCheckedContinuation { continuation in
            journal.readState(of: session) { continuation.resume(returning: $0) }
        }
        #expect(throws: JournalError(.closed, path: "", "")) { try closed.get() }
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAndKept() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("orders.sqlite")
        let junk = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try junk.write(to: URL(fileURLWithPath: path))
        #expect(throws: JournalError(.notADatabase, path: path, "")) { try Journal(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == junk, "never silently replaced")
    }

    @Test func anotherApplicationsDatabaseIsRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("other.sqlite")
        let other = try SQLiteConnection(path: path)
        try other.execute("CREATE TABLE trades(id INTEGER PRIMARY KEY, px REAL); INSERT INTO trades(px) VALUES (71.2);")
        other.close()
        do {
            _ = try Journal(path: path)
            Issue.record("a foreign database was accepted")
        } catch {
            #expect(error.code == .foreignDatabase)
            #expect(error.description.contains("not a Wellhead journal"))
        }
        let check = try SQLiteConnection(path: path)
        #expect(try check.integer("SELECT count(*) FROM trades") == 1)
    }

    @Test func writesAfterCloseFailClearly() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.path("j.sqlite"))
        let (session, _) = try journal.session(named: "S", now: 0)
        journal.close()
        await #expect(throws: JournalError(.closed, path: "", "")) {
            try await journal.write([self.record(session, .inbound, 1)])
        }
    }
}
