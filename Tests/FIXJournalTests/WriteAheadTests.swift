import Foundation
@testable import FIXJournal
import Synchronization
import Testing
import TestSupport

/// The write-ahead log (`<journal>-ahead.<n>`): a committed group is durable once appended,
/// SQLite is filled behind it, and whatever SQLite lacked when the journal last stopped is
/// replayed when it opens again. SQLite is held back with a real lock taken by another process.
@Suite(.serialized) struct WriteAheadTests {
    private func record(_ session: JournalSession, _ direction: JournalDirection, _ seq: Int, _ msgType: String = "D",
                        bytes: Int = 0) -> JournalEntry {
        .message(JournalRecord(session: session, direction: direction, sequenceNumber: seq, msgType: msgType,
                               time: Int64(seq) * 1_000,
                               bytes: Array("8=FIX.4.4\u{01}34=\(seq)\u{01}".utf8) + [UInt8](repeating: 0x41, count: bytes)))
    }

    /// One inbound order and its reply, with the sequence numbers after them.
    private func roundTrip(_ session: JournalSession, _ seq: Int) -> JournalGroup {
        var group = JournalGroup()
        group.append([record(session, .inbound, seq), .event(kind: "order", time: Int64(seq), json: "{\"seq\":\(seq)}")])
        group.append(building: session) { state in
            [self.record(session, .outbound, state.nextSenderSeqNum, "8"),
             .sequenceNumbers(session, nextSender: state.nextSenderSeqNum + 1, nextTarget: seq + 1)]
        }
        return group
    }

    private func segments(of path: String) throws -> [String] {
        let folder = (path as NSString).deletingLastPathComponent
        let prefix = (path as NSString).lastPathComponent + "-ahead."
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix(prefix) && Int($0.dropFirst(prefix.count)) != nil }
            .sorted { Int($0.dropFirst(prefix.count))! < Int($1.dropFirst(prefix.count))! }
            .map { (folder as NSString).appendingPathComponent($0) }
    }

    private func lockSQLite(_ path: String, in folder: TemporaryDirectory) throws -> BackgroundProcess {
        try holdSQLiteWriteLock(path, log: folder.path("lock-\(UUID().uuidString).log"))
    }

    /// A journal at `path` whose groups for `seqs` are in its write-ahead log but never reached
    /// SQLite (held locked by another process until the writer gave up), closed.
    private func leftInTheLog(_ path: String, seqs: ClosedRange<Int>, in folder: TemporaryDirectory) throws -> JournalSession {
        let journal = try Journal(path: path)
        let (session, _) = try journal.session(named: "S", now: 0)
        let holder = try lockSQLite(path, in: folder)
        defer { holder.signal(SIGKILL) }
        let completed = Completions()
        for seq in seqs { journal.commit(roundTrip(session, seq)) { completed.add($0) } }
        #expect(completed.count == seqs.count && completed.errors == 0, "durable in the log while SQLite is locked")
        // The writer gives up on SQLite's lock (its busy timeout) and the journal fails closed;
        // the log keeps what SQLite never got.
        #expect(eventually(timeout: 30) { journal.failure != nil })
        journal.close()
        holder.signal(SIGKILL)
        _ = holder.wait(timeout: 10)
        return session
    }

    @Test func aGroupIsDurableWhenAppendedAndReachesSQLiteBehind() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        let journal = try Journal(path: path)
        defer { journal.close() }
        #expect(journal.writesAhead)
        let (session, _) = try journal.session(named: "S", now: 0)
        let completed = Completions()
        for seq in 1...3 {
            journal.commit(roundTrip(session, seq)) { error in completed.add(error) }
            // Appended and complete before `commit` returns: nothing waited for SQLite.
            #expect(completed.count == seq)
        }
        #expect(completed.errors == 0)
        // A read waits for SQLite to hold what was written ahead of it.
        #expect(try journal.messages(session: session).map(\.sequenceNumber) == [1, 1, 2, 2, 3, 3])
        #expect(try journal.events(kind: "order").count == 3)
        // A session state read sees the numbers the groups took, built from the queue's view.
        #expect(try journal.session(named: "S", now: 0).1.nextSenderSeqNum == 4)
        let check = try SQLiteConnection(path: path)
        defer { check.close() }
        #expect(try check.integer("SELECT applied FROM write_ahead") == 3)
    }

    /// A thread's scheduling policy, read from /proc: field 41 of its stat (0 SCHED_OTHER,
    /// 5 SCHED_IDLE).
    private func policy(ofThread id: Int32) -> Int? {
        guard let stat = try? String(contentsOfFile: "/proc/self/task/\(id)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // After the command's closing parenthesis come fields 3 (state) onwards.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 38 ? Int(fields[38]) : nil
    }

    /// `JournalFill=idle`, the default: the two threads that fill SQLite and checkpoint it run
    /// SCHED_IDLE (the kernel's policy of each, read from /proc), and SQLite still gets every group.
    @Test func atIdleFillTheBackgroundThreadsRunSCHEDIDLEAndSQLiteIsFilled() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.path("journal.sqlite"))
        defer { journal.close() }
        #expect(journal.fillPriority == .idle)
        #expect(journal.fillInEffect == .idle, "the tests run where a thread may leave SCHED_IDLE (root)")
        let (session, _) = try journal.session(named: "S", now: 0)
        for seq in 1...50 { journal.commit(roundTrip(session, seq)) { _ in } }
        #expect(try journal.messages(session: session).count == 100)
        #expect(eventually(timeout: 10) { journal.fillThreadIDs.allSatisfy { $0 != 0 && policy(ofThread: $0) == 5 } },
                "policies: \(journal.fillThreadIDs.map { policy(ofThread: $0) ?? -1 })")
    }

    /// The guard against starving them: with every core kept busy by threads at normal priority,
    /// SCHED_IDLE threads would get almost no time, and SQLite would fall ever further behind.
    /// A backlog of queued groups raises them (a rescue) without anything reading; SQLite
    /// catches up while the cores are still busy; once it has, they go back to SCHED_IDLE.
    @Test func idleFillingThreadsStarvedByABusyHostAreRaisedUntilSQLiteCatchesUp() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        let journal = try Journal(path: path, fill: .idle)
        defer { journal.close() }
        let (session, _) = try journal.session(named: "S", now: 0)
        #expect(eventually(timeout: 10) { journal.fillThreadIDs.allSatisfy { $0 != 0 && policy(ofThread: $0) == 5 } })
        // Two busy threads per core, at normal priority, until the test is over.
        let busy = Atomic<Bool>(true)
        let hogs = (0..<(2 * ProcessInfo.processInfo.activeProcessorCount)).map { _ in
            Thread { while busy.load(ordering: .relaxed) {} }
        }
        hogs.forEach { $0.start() }
        defer { busy.store(false, ordering: .relaxed) }
        // Groups until the threads were raised: three backlogs' worth is nearly always enough,
        // but the writer may have had a core for a moment as the hogs started (CI once saw no
        // rescue after 768); more groups, or the oldest growing old, must raise them.
        var groups = 0
        repeat {
            for _ in 0..<Journal.rescueBacklog {
                groups += 1
                journal.commit(roundTrip(session, groups)) { _ in }
            }
        } while journal.fillRescues == 0 && groups < 20 * Journal.rescueBacklog
        #expect(journal.fillRescues >= 1, "a backlog of \(groups) groups did not raise the threads")
        // Counted on a connection of its own: a read through the journal would itself raise them.
        let check = try SQLiteConnection(path: path)
        defer { check.close() }
        #expect(eventually(timeout: 60) { (try? check.integer("SELECT count(*) FROM messages")) == 2 * Int64(groups) },
                "SQLite holds \((try? check.integer("SELECT count(*) FROM messages")) ?? -1) of \(2 * groups) messages")
        #expect(eventually(timeout: 10) { journal.fillThreadIDs.allSatisfy { policy(ofThread: $0) == 5 } },
                "policies after catching up: \(journal.fillThreadIDs.map { policy(ofThread: $0) ?? -1 })")
    }

    @Test func whatSQLiteLackedIsReplayedWhenTheJournalOpensAgainAndATornTailIsDropped() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        let session = try leftInTheLog(path, seqs: 1...3, in: directory)
        let left = try segments(of: path)
        #expect(left.count == 1, "\(left)")
        // A write the kill interrupted: a header promising more than the file holds.
        let torn = try #require(FileHandle(forWritingAtPath: left[0]))
        torn.seekToEndOfFile()
        var header: [UInt8] = []
        header.appendLittleEndian(WriteAheadFile.magic)
        header.appendLittleEndian(UInt32(500))
        header.appendLittleEndian(UInt64(4))
        torn.write(Data(header + [1, 2, 3]))
        try torn.close()

        let reopened = try Journal(path: path)
        defer { reopened.close() }
        #expect(reopened.replayedRecords == 3, "the three groups, not the torn record")
        #expect(try reopened.messages(session: session).map(\.sequenceNumber) == [1, 1, 2, 2, 3, 3])
        #expect(try reopened.events(kind: "order").map(\.json) == ["{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}"])
        let state = try reopened.session(named: "S", now: 0).1
        #expect(state.nextSenderSeqNum == 4 && state.nextTargetSeqNum == 4)
        #expect(try segments(of: path).allSatisfy { (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) == 0 },
                "the replayed segments are gone, the new one empty")
        // Numbering goes on after the replayed records, never reusing one.
        reopened.commit(roundTrip(session, 4)) { _ in }
        _ = try reopened.messages()
        let check = try SQLiteConnection(path: path)
        defer { check.close() }
        #expect(try check.integer("SELECT applied FROM write_ahead") == 4)
    }

    @Test func aDamagedRecordBeforeOthersIsAnErrorNamingTheSegment() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        _ = try leftInTheLog(path, seqs: 1...2, in: directory)
        let segment = try #require(try segments(of: path).first)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[WriteAheadFile.headerSize + 3] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect {
            _ = try Journal(path: path)
        } throws: { error in
            guard let error = error as? JournalError else { return false }
            return error.path == segment && error.message.contains("record 1") && error.message.contains("damaged")
        }
    }

    @Test func anotherOpenerReadsSQLiteAndLeavesTheLogToItsOwner() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        let owner = try Journal(path: path)
        defer { owner.close() }
        let (session, _) = try owner.session(named: "S", now: 0)
        owner.commit(roundTrip(session, 1)) { _ in }
        _ = try owner.messages()
        let other = try Journal(path: path)
        #expect(!other.writesAhead, "the log has one owner")
        #expect(try other.messages().count == 2)
        other.close()
        #expect(!(try segments(of: path)).isEmpty, "closing another opener leaves the owner's log alone")
        #expect(try !Journal(path: directory.path("full.sqlite"), synchronous: .full).writesAhead,
                "at JournalSync=full every commit syncs SQLite before anything is sent")
    }

    @Test func whenSQLiteFallsFarBehindACommitWaitsForItAgain() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let journal = try Journal(path: directory.path("journal.sqlite"))
        defer { journal.close() }
        let (session, _) = try journal.session(named: "S", now: 0)
        // The writer thread held inside a completion: nothing reaches SQLite meanwhile.
        let holding = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        journal.write([]) { _ in
            holding.signal()
            released.wait()
        }
        #expect(holding.wait(timeout: .now() + 10) == .success)
        let completed = Completions()
        let extra = 5
        for seq in 1...(Journal.aheadBacklog + extra) { journal.commit(roundTrip(session, seq)) { completed.add($0) } }
        #expect(completed.count == Journal.aheadBacklog, "a commit completes at once only while SQLite is less than the backlog behind")
        released.signal()
        #expect(eventually(timeout: 30) { completed.count == Journal.aheadBacklog + extra })
        #expect(completed.errors == 0)
        #expect(try journal.messages(session: session).count == 2 * (Journal.aheadBacklog + extra))
    }

    @Test func segmentsRollOverAndGoOnceSQLiteHoldsThem() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.sqlite")
        let journal = try Journal(path: path)
        let (session, _) = try journal.session(named: "S", now: 0)
        // SQLite held back (for less than its busy timeout) while a little over two segments'
        // worth is appended.
        let holder = try lockSQLite(path, in: directory)
        defer { holder.signal(SIGKILL) }
        let perGroup = 64 << 10
        let groups = 2 * WriteAheadLog.segmentLimit / perGroup + 4
        for seq in 1...groups {
            var group = JournalGroup()
            group.append([record(session, .inbound, seq, bytes: perGroup)])
            journal.commit(group) { _ in }
        }
        #expect(try segments(of: path).count == 3, "the log began a new segment each time one was full")
        holder.signal(SIGKILL)
        _ = holder.wait(timeout: 10)
        #expect(try journal.messages(session: session).count == groups)
        #expect(journal.failure == nil)
        // Left: the segment appended to, and the next one, opened ahead of need and empty.
        let left = try segments(of: path).map { ($0, (try FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int) ?? -1) }
        #expect(left.filter { $0.1 > 0 }.count == 1 && left.count <= 2, "applied segments are deleted: \(left)")
        journal.close()
        #expect(try segments(of: path).isEmpty, "a journal closed with everything in SQLite leaves no log")
    }

    /// The records' checksum is CRC-32 as zlib computes it, eight bytes at a time: the check
    /// value of "123456789", and a byte-at-a-time CRC on every length and alignment up to 70
    /// bytes, fed whole and in two parts.
    @Test func theRecordChecksumIsCRC32EightBytesAtATime() {
        func bytewise(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return crc ^ 0xFFFF_FFFF
        }
        var check = CRC32()
        Array("123456789".utf8).withUnsafeBytes { check.update($0) }
        #expect(check.value == 0xCBF4_3926)
        var random = SystemRandomNumberGenerator()
        let data = (0..<80).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        for offset in 0..<8 {
            for length in 0...70 {
                let slice = Array(data[offset..<(offset + length)])
                var whole = CRC32()
                data.withUnsafeBytes { whole.update(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + length)])) }
                var parts = CRC32()
                slice.withUnsafeBytes { bytes in
                    parts.update(UnsafeRawBufferPointer(rebasing: bytes[..<(length / 3)]))
                    parts.update(UnsafeRawBufferPointer(rebasing: bytes[(length / 3)...]))
                }
                #expect(whole.value == bytewise(slice) && parts.value == whole.value, "offset \(offset), length \(length)")
            }
        }
    }
}

/// Completions counted from any thread.
private final class Completions: Sendable {
    private let state = Mutex((count: 0, errors: 0))
    func add(_ error: JournalError?) { state.withLock { $0.count += 1; $0.errors += error == nil ? 0 : 1 } }
    var count: Int { state.withLock { $0.count } }
    var errors: Int { state.withLock { $0.errors } }
}
