import FIXCodec
import FIXJournal
import FIXSession
@testable import FIXTransport
import Foundation
import Testing
import TestSupport

/// A session whose market data refreshes (W, X) are counted but not kept in the journal
/// (``MessageJournaling/withoutMarketDataRefreshes``, the appliance's default), against one that
/// keeps everything: real acceptor, real loopback socket, real SQLite journal.
@Suite(.serialized) struct MarketDataJournalingTests {
    /// Answers a MarketDataRequest (V) with a snapshot (W) and one incremental refresh (X),
    /// as a venue does; takes a counterparty's own refreshes without a word.
    final class MarketDataApplication: FIXApplication {
        static func snapshot(_ request: String) -> FIXFieldList {
            var entry = FIXFieldList()
            entry.append(269, "0")
            entry.append(270, FIXDecimal("70.00")!)
            entry.append(271, 5)
            var body = FIXFieldList()
            body.append(262, request)
            body.append(55, "CLF7")
            body.appendGroup(268, [entry])
            return body
        }

        static func increment(_ request: String) -> FIXFieldList {
            var entry = FIXFieldList()
            entry.append(279, "0")
            entry.append(269, "1")
            entry.append(55, "CLF7")
            entry.append(270, FIXDecimal("70.05")!)
            entry.append(271, 3)
            var body = FIXFieldList()
            body.append(262, request)
            body.appendGroup(268, [entry])
            return body
        }

        func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
            guard message.msgType == "V", let request = message[262]?.string else { return }
            replies.send(msgType: "W", body: Self.snapshot(request))
            replies.send(msgType: "X", body: Self.increment(request))
        }
    }

    static let request = "262=MD1|263=1|264=1|265=1|267=2|269=0|269=1|146=1|55=CLF7|"
    static let venueIncrement = "268=1|279=0|269=0|55=CLF7|270=69.95|271=2|"

    /// Logs on, subscribes (V, seq 2) and asks for a Heartbeat (TestRequest, seq 3): reads the
    /// W and X the subscription is answered with, then the Heartbeat. Then sends a refresh of its
    /// own (X, seq 4) and another TestRequest (seq 5), whose Heartbeat proves the X was taken.
    /// Outbound: Logon 1, W 2, X 3, Heartbeat 4, Heartbeat 5.
    func subscribe(_ running: AcceptorTests.Running, _ oms: Counterparty) throws -> RawFIXClient {
        let client = try RawFIXClient(port: running.port)
        try client.send(oms.logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        try client.send(oms.message("V", seq: 2, at: TestClock.wall(), Self.request))
        try client.send(oms.message("1", seq: 3, at: TestClock.wall(), "112=AFTER-V|"))
        let answered = (0..<3).compactMap { _ in client.receive() }
        #expect(answered.map { $0.msgType ?? "" } == ["W", "X", "0"], "\(answered.map(\.debugText))")
        #expect(answered.map { $0.msgSeqNum ?? 0 } == [2, 3, 4])
        try client.send(oms.message("X", seq: 4, at: TestClock.wall(), Self.venueIncrement))
        try client.send(oms.message("1", seq: 5, at: TestClock.wall(), "112=AFTER-X|"))
        let heartbeat = try #require(client.receive())
        #expect(heartbeat.msgType == "0" && heartbeat[112]?.string == "AFTER-X" && heartbeat.msgSeqNum == 5, "\(heartbeat.debugText)")
        return client
    }

    /// Reads what a ResendRequest is answered with until the gap fill or message numbered `end`.
    func resent(_ client: RawFIXClient, through end: Int) -> [FIXMessage] {
        var replies: [FIXMessage] = []
        while let message = client.receive() {
            replies.append(message)
            let covered = message.msgType == "4" ? (message[36]?.int ?? 0) - 1 : (message.msgSeqNum ?? 0)
            if covered >= end { break }
        }
        return replies
    }

    @Test func refreshesAreCountedNotKeptTheirNumbersSurviveARestartAndAResendGapFillsThem() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let oms = Counterparty()
        do {
            let running = try await AcceptorTests.Running.start(directory: directory, application: MarketDataApplication(),
                                                                journaling: .withoutMarketDataRefreshes)
            _ = try subscribe(running, oms)
            await running.stop()
        }
        // The journal: the subscription kept, no refresh either way, every number committed.
        let sent: Int
        do {
            let journal = try Journal(path: directory.path("journal.sqlite"))
            defer { journal.close() }
            let records = try journal.messages().filter { $0.session.name == "FIX.4.4:WELLHEAD->OMS1" }
            #expect(records.filter { $0.direction == .inbound }.map(\.msgType) == ["A", "V", "1", "1"],
                    "\(records.map { "\($0.direction) \($0.msgType)" })")
            #expect(!records.contains { $0.msgType == "W" || $0.msgType == "X" }, "\(records.map { "\($0.direction) \($0.msgType)" })")
            #expect(records.contains { $0.direction == .inbound && $0.msgType == "V" })
            let (_, state) = try journal.session(named: "FIX.4.4:WELLHEAD->OMS1", now: 0)
            #expect(state.nextTargetSeqNum == 6, "Logon, V, TestRequest, X, TestRequest: numbered though the X is not kept")
            sent = state.nextSenderSeqNum
            #expect(sent >= 6, "Logon, W, X and two Heartbeats numbered though the W and X are not kept")
        }
        // After the restart the numbers carry on; a resend over the refreshes is gap-filled.
        let running = try await AcceptorTests.Running.start(directory: directory, application: MarketDataApplication(),
                                                            journaling: .withoutMarketDataRefreshes)
        let client = try RawFIXClient(port: running.port)
        try client.send(oms.logon(seq: 6, at: TestClock.wall()))
        let logon = try #require(client.receive())
        #expect(logon.msgType == "A" && logon.msgSeqNum == sent, "\(logon.debugText)")
        try client.send(oms.message("2", seq: 7, at: TestClock.wall(), "7=1|16=0|"))
        let replies = resent(client, through: sent)
        #expect(!replies.isEmpty)
        #expect(!replies.contains { $0.msgType == "W" || $0.msgType == "X" }, "\(replies.map(\.debugText))")
        #expect(replies.allSatisfy { $0.msgType == "4" && $0[123]?.bool == true }, "\(replies.map(\.debugText))")
        #expect(replies.first?.msgSeqNum == 1 && replies.last?[36]?.int == sent + 1, "\(replies.map(\.debugText))")
        // Still in step: the next message is the one expected, no ResendRequest, no Logout.
        try client.send(oms.message("1", seq: 8, at: TestClock.wall(), "112=IN-STEP|"))
        let heartbeat = try #require(client.receive())
        #expect(heartbeat.msgType == "0" && heartbeat[112]?.string == "IN-STEP" && heartbeat.msgSeqNum == sent + 1, "\(heartbeat.debugText)")
        await running.stop()
    }

    @Test func journalingEverythingKeepsTheRefreshesAndResendsThem() async throws {
        let running = try await AcceptorTests.Running.start(application: MarketDataApplication(), journaling: .everything)
        defer { running.directory.remove() }
        let oms = Counterparty()
        let client = try subscribe(running, oms)
        try client.send(oms.message("2", seq: 6, at: TestClock.wall(), "7=2|16=3|"))
        let replies = resent(client, through: 3)
        #expect(replies.map { $0.msgType ?? "" } == ["W", "X"], "\(replies.map(\.debugText))")
        #expect(replies.allSatisfy { $0[43]?.bool == true })
        #expect(replies.map { $0.msgSeqNum ?? 0 } == [2, 3])
        await running.stop()
        let journal = try Journal(path: running.directory.path("journal.sqlite"))
        defer { journal.close() }
        let records = try journal.messages().filter { $0.session.name == "FIX.4.4:WELLHEAD->OMS1" }
        #expect(records.filter { $0.direction == .outbound && $0.kind != .resend }.map(\.msgType).starts(with: ["A", "W", "X"]),
                "\(records.map { "\($0.direction) \($0.msgType)" })")
        #expect(records.contains { $0.direction == .inbound && $0.msgType == "X" })
    }

    /// A refresh the journal does not keep goes out at once, with nothing kept after it: it is
    /// committed (its sequence number) and sent in the turn that made it, not held until a kept
    /// message (a Heartbeat, up to HeartBtInt later) comes along.
    @Test func refreshesTheJournalDoesNotKeepGoOutWithoutWaitingForAKeptMessage() async throws {
        let running = try await AcceptorTests.Running.start(application: MarketDataApplication(), journaling: .withoutMarketDataRefreshes)
        defer { running.directory.remove() }
        let oms = Counterparty()
        let client = try RawFIXClient(port: running.port)
        try client.send(oms.logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        try client.send(oms.message("V", seq: 2, at: TestClock.wall(), Self.request))
        let snapshot = client.receive(timeout: 2)
        #expect(snapshot?.msgType == "W")
        await running.stop()
    }
}
