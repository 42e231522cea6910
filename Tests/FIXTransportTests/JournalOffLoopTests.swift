import Dispatch
import FIXCodec
@testable import FIXJournal
import FIXSession
@testable import FIXTransport
import Foundation
import Testing
import TestSupport

/// Nothing on an event loop or in `SessionEndpoint.send` waits for the journal: sequence
/// numbers are read on the journal's writer thread, in its order. A real acceptor, a real
/// SQLite journal, a real socket.
extension AcceptorTests {
    /// Holds the journal's writer thread (a write whose completion, which runs there, waits)
    /// until released: everything queued behind it waits too, as behind a slow disk.
    final class WriterHold: Sendable {
        private let holding = DispatchSemaphore(value: 0)
        private let released = DispatchSemaphore(value: 0)

        /// Returns once the writer is held.
        static func start(_ journal: Journal) async throws -> WriterHold {
            let hold = WriterHold()
            journal.write([]) { [holding = hold.holding, released = hold.released] _ in
                holding.signal()
                released.wait()
            }
            let held = await offCooperativePool { [holding = hold.holding] in holding.wait(timeout: .now() + 5) == .success }
            try #require(held, "the writer thread took the held write")
            return hold
        }

        func release() { released.signal() }
    }

    static func report(_ clOrdID: String) -> FIXFieldList {
        var report = FIXFieldList()
        report.append(37, "WH1")
        report.append(11, clOrdID)
        report.append(150, "4")
        return report
    }

    /// Sends a report through `endpoint` on a thread of its own, as a venue's report arrives
    /// from another event loop; the semaphore is signalled once `send` has returned.
    static func sendOnAnotherThread(_ endpoint: SessionEndpoint, clOrdID: String) -> DispatchSemaphore {
        let returned = DispatchSemaphore(value: 0)
        Thread { endpoint.send(msgType: "8", body: report(clOrdID)); returned.signal() }.start()
        return returned
    }

    static func returnsAtOnce(_ returned: DispatchSemaphore) async -> Bool {
        await offCooperativePool { returned.wait(timeout: .now() + 5) == .success }
    }

    @Test func anOfflineSendReturnsWithoutWaitingForTheJournalAndIsResentAtLogon() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let endpoint = try #require(running.endpoints.first)
        let hold = try await WriterHold.start(running.journal)
        // It must return while the writer, and so the journal, is still held.
        let returned = Self.sendOnAnotherThread(endpoint, clOrdID: "OFF1")
        let returnedAtOnce = await Self.returnsAtOnce(returned)
        #expect(returnedAtOnce, "send waited for the journal")
        // SQLite as it stands, read with SQLite alone: a journal's reads, the running one's
        // or a second opener's in this process, wait for SQLite to catch up with the
        // write-ahead log, and the writer is held.
        let sqlite = try SQLiteConnection(path: running.journal.path, readOnly: true)
        #expect(try sqlite.integer("SELECT count(*) FROM messages") == 0, "nothing is in SQLite while the writer is held")
        sqlite.close()
        hold.release()
        if !returnedAtOnce { _ = await offCooperativePool { returned.wait(timeout: .now() + 30) } }

        let client = try logOn(running.port)
        let logon = try #require(client.receive())
        #expect(logon.msgType == "A")
        #expect(logon.msgSeqNum == 2, "number 1 went to the report sent while away")
        let queued = try running.journal.messages().filter { $0.direction == .outbound && $0.kind == .queued }
        #expect(queued.map(\.sequenceNumber) == [1])
        #expect(queued.map(\.msgType) == ["8"])
        try client.send(Counterparty().message("2", seq: 2, at: TestClock.wall(), "7=1|16=0|"))
        let resent = try #require(client.receive())
        #expect(resent.msgType == "8")
        #expect(resent.msgSeqNum == 1)
        #expect(resent[43]?.bool == true)
        #expect(resent[11]?.string == "OFF1")
        await running.stop()
    }

    /// Binding reads the session's state through the writer's queue, holding the frames that
    /// came after the Logon until it arrives. With the write-ahead log (`normal`), a message
    /// sent while away is numbered when it is sent, from the queue's view of the session, so
    /// the state the connection reads counts it, and the counterparty fetches it by resend.
    /// At `full` (no write-ahead log), it is numbered on the writer after the connection has
    /// claimed the session, and goes out live behind the held frames.
    @Test(arguments: [Journal.Synchronous.normal, .full])
    func bindingReadsTheSessionStateThroughTheJournalAndHoldsFramesUntilItArrives(sync: Journal.Synchronous) async throws {
        let running = try await Running.start(sync: sync)
        defer { running.directory.remove() }
        #expect(running.journal.writesAhead == (sync == .normal))
        let endpoint = try #require(running.endpoints.first)
        let oms = Counterparty()
        let hold = try await WriterHold.start(running.journal)
        // Queued on the writer before the connection binds: the connection's read of the
        // sequence numbers, queued after it, must see the number it took.
        let returned = Self.sendOnAnotherThread(endpoint, clOrdID: "AWAY")
        let returnedAtOnce = await Self.returnsAtOnce(returned)
        #expect(returnedAtOnce, "send waited for the journal")
        let client = try RawFIXClient(port: running.port)
        try client.send(oms.logon(at: TestClock.wall()) + oms.message("1", seq: 2, at: TestClock.wall(), "112=HELD|")
                        + oms.newOrder(seq: 3, clOrdID: "H1", at: TestClock.wall()))
        // The connection has claimed the session and asked for its state; the state cannot
        // arrive until the writer is released, so the frames after the Logon are held.
        let claimed = await offCooperativePool { eventually(timeout: 5) { endpoint.isConnected } }
        #expect(claimed)
        hold.release()
        if !returnedAtOnce { _ = await offCooperativePool { returned.wait(timeout: .now() + 30) } }
        guard sync == .full else {
            // Numbered 1 when it was sent: the Logon and the replies to the held frames follow it.
            let replies = (0..<3).compactMap { _ in client.receive() }
            #expect(replies.map { $0.msgType ?? "" } == ["A", "0", "D"], "the held frames, in order, after the state")
            #expect(replies.map { $0.msgSeqNum ?? 0 } == [2, 3, 4])
            #expect(replies.count == 3 && replies[1][112]?.string == "HELD" && replies[2][11]?.string == "H1")
            let queued = try running.journal.messages().filter { $0.direction == .outbound && $0.kind == .queued }
            #expect(queued.map(\.sequenceNumber) == [1])
            try client.send(oms.message("2", seq: 4, at: TestClock.wall(), "7=1|16=1|"))
            let resent = try #require(client.receive())
            #expect(resent.msgType == "8" && resent.msgSeqNum == 1 && resent[43]?.bool == true && resent[11]?.string == "AWAY",
                    "\(resent.debugText)")
            await running.stop()
            return
        }
        // The report was numbered on the writer after the connection had claimed the session,
        // so the writer handed it to the connection, which holds it behind the frames it had
        // already read: it goes out live, numbered after their replies, never twice and never
        // with a number the connection's state did not know.
        let replies = (0..<4).compactMap { _ in client.receive() }
        #expect(replies.map { $0.msgType ?? "" } == ["A", "0", "D", "8"], "the held frames, in order, after the state")
        #expect(replies.map { $0.msgSeqNum ?? 0 } == [1, 2, 3, 4])
        #expect(replies[1][112]?.string == "HELD")
        #expect(replies[2][11]?.string == "H1")
        #expect(replies[3][11]?.string == "AWAY")
        #expect(try running.journal.messages().filter { $0.direction == .outbound && $0.kind == .queued }.isEmpty)
        await running.stop()
    }

    /// Deletes one outbound message's row from the table but not from the `sent_by_seq`
    /// index, as damage to the file would: a query through the index finds the entry and no
    /// row, and SQLite reports the database malformed.
    static func corrupt(journalAt path: String, session: JournalSession, sentSeq seq: Int) throws {
        let schema = try SQLiteConnection(path: path)
        let index = try schema.statement("SELECT rootpage, sql FROM sqlite_master WHERE name = 'sent_by_seq'")
        try #require(try index.step())
        let rootPage = index.int64(0), sql = index.text(1)
        index.finish()
        try schema.execute("PRAGMA writable_schema = ON; DELETE FROM sqlite_master WHERE name = 'sent_by_seq'")
        schema.close()
        // A new connection reads the schema without the index, so the delete leaves it as it was.
        let blind = try SQLiteConnection(path: path)
        try blind.execute("DELETE FROM messages WHERE session = \(session.id) AND direction = 1 AND seq = \(seq)")
        try blind.execute("""
            PRAGMA writable_schema = ON;
            INSERT INTO sqlite_master(type, name, tbl_name, rootpage, sql)
            VALUES ('index', 'sent_by_seq', 'messages', \(rootPage), '\(sql)');
            PRAGMA writable_schema = OFF;
            """)
        blind.close()
    }

    @Test func aResendWhoseStoredMessageCannotBeReadClosesTheConnectionInsteadOfGapFilling() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let endpoint = try #require(running.endpoints.first)
        let oms = Counterparty()
        let client = try logOn(running.port)
        #expect(client.receive()?.msgType == "A")
        try client.send(oms.newOrder(seq: 2, clOrdID: "K1", at: TestClock.wall()))
        try client.send(oms.newOrder(seq: 3, clOrdID: "K2", at: TestClock.wall()))
        #expect(client.receive()?[11]?.string == "K1")
        #expect(client.receive()?[11]?.string == "K2")
        // SQLite holds what the write-ahead log took (a read waits for it) before it is damaged.
        _ = try running.journal.messages()
        try Self.corrupt(journalAt: running.journal.path, session: endpoint.journalSession, sentSeq: 2)
        #expect(throws: JournalError.self) { try running.journal.sentMessages(session: endpoint.journalSession, from: 2, through: 3) }

        try client.send(oms.message("2", seq: 4, at: TestClock.wall(), "7=2|16=0|"))
        #expect(client.awaitClose() == .closed, "closed, with neither the resend nor a gap fill sent")
        await running.stop()
        let reopened = try Journal(path: running.directory.path("journal.sqlite"))
        defer { reopened.close() }
        let outbound = try reopened.messages().filter { $0.direction == .outbound }
        #expect(!outbound.contains { $0.kind == .resend }, "no resend or gap fill journaled")
    }
}
