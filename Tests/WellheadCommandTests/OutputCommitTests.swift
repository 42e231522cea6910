import FIXCodec
import FIXJournal
import Foundation
import Testing
import TestSupport

/// The output commit of `wellhead serve`, with a real journal another process holds locked (as
/// an operator's `sqlite3` session in a write transaction would, or a disk that stopped
/// taking writes).
///
/// At `JournalSync=full` the commit is SQLite's own: an order the gateway has read and acted
/// on, but whose commit has not happened, has left no trace outside the process — no report
/// to the OMS, nothing in the journal — so a SIGKILL then costs nothing: the OMS sends it
/// again, since its sequence number never moved, and it is placed once. A commit that fails
/// stops the appliance from sending anything: its sessions are dropped, and it logs on no one.
///
/// At `normal` (the default) the commit is the append to the journal's write-ahead log: the
/// report goes out while SQLite is still locked, and after a SIGKILL the restart puts what
/// SQLite lacked into it from the log: the order is there once, and nobody resends anything.
@Suite(.serialized) struct OutputCommitTests {
    /// A process holding the journal's write lock until it is killed.
    static func lock(_ journal: String, in folder: TemporaryDirectory) throws -> BackgroundProcess {
        try holdSQLiteWriteLock(journal, log: folder.path("lock-\(UUID().uuidString).log"))
    }

    /// The notional of DESK1's working orders, as the running gateway holds it in memory.
    static func workingNotional(_ appliance: Appliance) throws -> String? {
        try appliance.utilisation()["grossNotional account DESK1"]
    }

    /// Waits until the gateway's working notional is `expected`: the order was read and acted on.
    static func awaitNotional(_ appliance: Appliance, _ expected: String) throws -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if try workingNotional(appliance) == expected { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Everything journaled about `clOrdID`: the OMS's messages naming it, the gateway's replies
    /// naming it, and the order's events.
    static func traces(of clOrdID: String, in path: String) throws -> (messages: Int, replies: Int, events: Int) {
        let journal = try Journal(path: path)
        defer { journal.close() }
        let tag = Array("\u{1}11=\(clOrdID)\u{1}".utf8)
        let naming = try journal.messages().filter { record in
            record.bytes.withUnsafeBufferPointer { bytes in
                bytes.count >= tag.count && (0...(bytes.count - tag.count)).contains { start in
                    bytes[start..<(start + tag.count)].elementsEqual(tag)
                }
            }
        }
        let events = try journal.events().filter { $0.json.contains("\"\(clOrdID)\"") }.count
        return (naming.filter { $0.direction == .inbound }.count, naming.filter { $0.direction == .outbound }.count, events)
    }

    /// A resting buy of 2 at 1.00 from OMS1, sent: its bytes and sequence number.
    static func send(_ clOrdID: String, from oms: OMS, in appliance: Appliance) throws -> (order: [UInt8], seq: Int) {
        let order = oms.party.message("D", seq: oms.nextSeq, at: TestClock.wall(),
                                      "11=\(clOrdID)|55=\(appliance.symbol)|54=1|38=2|40=2|44=1.00|59=1|60=\(TestClock.wall())|")
        try oms.client.send(order)
        return (order, oms.nextSeq)
    }

    /// After a restart, OMS1 logs on one past the order the gateway never committed: the
    /// gateway asks for it again, and it goes again (PossDupFlag), as any FIX engine's would.
    static func reconnectAndResend(_ appliance: Appliance, order: [UInt8], seq: Int, clOrdID: String) throws -> [FIXMessage] {
        let party = Counterparty()
        let client = try RawFIXClient(port: appliance.port)
        try client.send(party.logon(seq: seq + 1, at: TestClock.wall()))
        let received = client.receive(until: "2", timeout: 10)
        let resendRequest = try #require(received.last, "no ResendRequest after the Logon: \(received.map(\.debugText))")
        #expect(resendRequest.msgType == "2" && resendRequest[7]?.string == "\(seq)", "\(resendRequest.debugText)")
        // The stored order again: the same fields, PossDupFlag and OrigSendingTime added.
        var text = String(decoding: order, as: UTF8.self).replacingOccurrences(of: "\u{1}", with: "|")
        let body = text.split(separator: "|").filter { field in
            !["8", "9", "10", "35", "34", "49", "52", "56"].contains(field.split(separator: "=").first.map(String.init) ?? "")
        }.joined(separator: "|")
        text = body + "|"
        try client.send(party.message("D", seq: seq, at: TestClock.wall(), header: "43=Y|122=\(TestClock.wall())|", text))
        var reports: [FIXMessage] = []
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, let message = client.receive(timeout: deadline.timeIntervalSinceNow) {
            guard message[11]?.string == clOrdID else { continue }
            reports.append(message)
            if message[39]?.string == "0" { break }
        }
        return reports
    }

    @Test func anOrderActedOnButNotCommittedLeavesNoTraceAndIsPlacedOnceAfterAKill() throws {
        let appliance = try Appliance(keys: "JournalSync=full")
        defer { appliance.stop() }
        var oms = try appliance.connect()
        let rested = try oms.order("BEFORE", "54=1|38=3|40=2|44=1.00|59=1")
        #expect(rested.last?[39]?.string == "0", "\(rested.map(\.debugText))")
        #expect(try Self.workingNotional(appliance) == "3000")

        let holder = try Self.lock(appliance.journalPath, in: appliance.directory)
        defer { holder.signal(SIGKILL) }
        let (order, seq) = try Self.send("UNCOMMITTED", from: oms, in: appliance)
        // The gateway has read the order and acted on it: its working notional counts it.
        #expect(try Self.awaitNotional(appliance, "5000"), "the gateway never took the order in")
        // Nothing of it has left: the New waits on the commit the lock holds up.
        let early = oms.client.receive(timeout: 0.3)
        #expect(early == nil, "sent before its commit: \(early?.debugText ?? "")")

        // Killed while its commit waits.
        appliance.server.signal(SIGKILL)
        _ = appliance.server.wait(timeout: 10)
        holder.signal(SIGKILL)
        _ = holder.wait(timeout: 10)
        let traces = try Self.traces(of: "UNCOMMITTED", in: appliance.journalPath)
        #expect(traces.messages == 0 && traces.replies == 0 && traces.events == 0, "the uncommitted order is in the journal: \(traces)")

        try appliance.startAgain()
        let reports = try Self.reconnectAndResend(appliance, order: order, seq: seq, clOrdID: "UNCOMMITTED")
        #expect(reports.last?[39]?.string == "0", "\(reports.map(\.debugText))")
        #expect(reports.filter { $0[150]?.string == "0" }.count == 1)
        #expect(try Self.workingNotional(appliance) == "5000", "placed once, beside the order before it")
        let after = try Self.traces(of: "UNCOMMITTED", in: appliance.journalPath)
        #expect(after.messages == 1, "the resent order, journaled once: \(after)")
        #expect(after.replies == 2, "its PendingNew and New, once each: \(after)")
    }

    @Test func aCommitThatFailsStopsTheApplianceSendingAndTheOrderIsPlacedOnceAfterARestart() throws {
        let appliance = try Appliance(keys: "JournalSync=full")
        defer { appliance.stop() }
        let oms = try appliance.connect()
        let holder = try Self.lock(appliance.journalPath, in: appliance.directory)
        defer { holder.signal(SIGKILL) }
        let (order, seq) = try Self.send("FAILCLOSED", from: oms, in: appliance)
        // The writer gives up on the lock (SQLite's busy timeout): the commit fails, and the
        // connection is dropped with nothing sent.
        #expect(appliance.server.waitForOutput("journal write failed; closing the connection without sending", timeout: 30),
                "\(appliance.server.output.suffix(2000))")
        switch oms.client.awaitClose(timeout: 10) {
        case .closed: break
        case .received(let bytes): Issue.record("sent after the commit failed: \(FIXText.show(bytes))")
        case .timedOut: Issue.record("the connection stayed open")
        }
        // Nothing is sent from now on, to anyone: a new Logon gets no answer.
        holder.signal(SIGKILL)
        _ = holder.wait(timeout: 10)
        let again = try RawFIXClient(port: appliance.port)
        try again.send(oms.party.logon(seq: seq + 1, at: TestClock.wall()))
        switch again.awaitClose(timeout: 10) {
        case .closed: break
        case .received(let bytes): Issue.record("a failed journal logged a session on: \(FIXText.show(bytes))")
        case .timedOut: Issue.record("the connection stayed open")
        }

        appliance.server.signal(SIGKILL)
        _ = appliance.server.wait(timeout: 10)
        try appliance.startAgain()
        let reports = try Self.reconnectAndResend(appliance, order: order, seq: seq, clOrdID: "FAILCLOSED")
        #expect(reports.last?[39]?.string == "0", "\(reports.map(\.debugText))")
        #expect(reports.filter { $0[150]?.string == "0" }.count == 1)
        #expect(try Self.workingNotional(appliance) == "2000")
    }

    @Test func atNormalAReportSentWhileSQLiteIsLockedIsInTheJournalAfterAKill() throws {
        let appliance = try Appliance()
        defer { appliance.stop() }
        var oms = try appliance.connect()
        let holder = try Self.lock(appliance.journalPath, in: appliance.directory)
        defer { holder.signal(SIGKILL) }
        // Acknowledged while SQLite is locked: the turn is durable once in the write-ahead log.
        let reports = try oms.order("AHEAD", "54=1|38=2|40=2|44=1.00|59=1")
        #expect(reports.last?[39]?.string == "0", "\(reports.map(\.debugText))")
        let seen = oms.nextSeq

        appliance.server.signal(SIGKILL)
        _ = appliance.server.wait(timeout: 10)
        holder.signal(SIGKILL)
        _ = holder.wait(timeout: 10)
        // The restart replays the log into SQLite: the order and its reports are there.
        try appliance.startAgain()
        #expect(appliance.server.output.contains("journal recovered from its write-ahead log"), "\(appliance.server.output.suffix(2000))")
        let traces = try Self.traces(of: "AHEAD", in: appliance.journalPath)
        #expect(traces.messages == 1 && traces.replies == 2 && traces.events > 0, "\(traces)")

        // The OMS logs on where it left off: nothing is asked again, nothing resent.
        let party = Counterparty()
        let client = try RawFIXClient(port: appliance.port)
        try client.send(party.logon(seq: seen, at: TestClock.wall()))
        let logon = try #require(client.receive(timeout: 10))
        #expect(logon.msgType == "A", "\(logon.debugText)")
        let extra = client.receive(timeout: 0.5)
        #expect(extra == nil || extra?.msgType != "2", "the gateway asked for a message it had: \(extra?.debugText ?? "")")
        #expect(try Self.workingNotional(appliance) == "2000", "placed once")
    }
}
