import FIXCodec
import FIXJournal
import FIXSession
@testable import FIXTransport
import Foundation
import Synchronization
import Testing
import TestSupport

/// A real acceptor on a loopback port, driven with raw FIX bytes over a real socket, with a
/// real SQLite journal.
@Suite(.serialized) struct AcceptorTests {
    /// An engine serving OMS1 and OMS2 with the echo application.
    struct Running {
        let engine: FIXEngine
        let journal: Journal
        let port: Int
        let directory: TemporaryDirectory
        let endpoints: [SessionEndpoint]

        static func start(directory: TemporaryDirectory = TemporaryDirectory(), heartBtInt: Int = 30,
                          application: any FIXApplication = EchoApplication(), journaling: MessageJournaling = .everything,
                          sync: Journal.Synchronous = .normal,
                          _ adjust: (inout SessionConfiguration) -> Void = { _ in }) async throws -> Running {
            let journal = try Journal(path: directory.path("journal.sqlite"), synchronous: sync)
            let endpoints = try ["OMS1", "OMS2"].map { client in
                var configuration = SessionConfiguration(
                    id: SessionID(beginString: "FIX.4.4", senderCompID: "WELLHEAD", targetCompID: client),
                    role: .acceptor, dictionary: TestDictionaries.fix44, heartBtInt: heartBtInt)
                adjust(&configuration)
                return try SessionEndpoint(configuration: configuration, application: application, journal: journal,
                                           journaling: journaling)
            }
            let engine = FIXEngine()
            let port = try await engine.listen(host: "127.0.0.1", port: 0, registry: SessionRegistry(endpoints))
            return Running(engine: engine, journal: journal, port: port, directory: directory, endpoints: endpoints)
        }

        func stop() async {
            await engine.shutdown()
            journal.close()
        }
    }

    func logOn(_ port: Int, as counterparty: Counterparty = Counterparty(), seq: Int = 1, reset: Bool = false) throws -> RawFIXClient {
        let client = try RawFIXClient(port: port)
        try client.send(counterparty.logon(seq: seq, reset: reset, at: TestClock.wall()))
        return client
    }

    @Test func logonEchoAndLogoutOverTCPAllJournaled() async throws {
        let running = try await Running.start()
        let oms = Counterparty()
        let client = try logOn(running.port)
        let logon = try #require(client.receive())
        #expect(logon.msgType == "A")
        #expect(logon[108]?.int == 30)
        try client.send(oms.newOrder(seq: 2, clOrdID: "E1", at: TestClock.wall()))
        let echo = try #require(client.receive())
        #expect(echo.msgType == "D")
        #expect(echo[11]?.string == "E1")
        #expect(echo[44]?.decimal == FIXDecimal("71.25"))
        #expect(echo.msgSeqNum == 2)
        #expect(echo[49]?.string == "WELLHEAD")
        try client.send(oms.message("8", seq: 3, at: TestClock.wall(), "37=1|17=1|150=0|39=0|55=X|54=1|151=0|14=0|6=0|"))
        let reject = try #require(client.receive())
        #expect(reject.msgType == "j")
        #expect(reject[380]?.int == 3)
        try client.send(oms.message("5", seq: 4, at: TestClock.wall()))
        #expect(client.receive()?.msgType == "5")
        #expect(client.isClosed())
        await running.stop()
        let reopened = try Journal(path: running.directory.path("journal.sqlite"))
        defer { reopened.close(); running.directory.remove() }
        let records = try reopened.messages()
        #expect(records.filter { $0.direction == .inbound }.map(\.msgType) == ["A", "D", "8", "5"])
        #expect(records.filter { $0.direction == .outbound }.map(\.msgType) == ["A", "D", "j", "5"])
        let (_, state) = try reopened.session(named: "FIX.4.4:WELLHEAD->OMS1", now: 0)
        #expect(state.nextSenderSeqNum == 5)
        #expect(state.nextTargetSeqNum == 5)
    }

    @Test func sequenceNumbersContinueAcrossAnEngineRestart() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        do {
            let running = try await Running.start(directory: directory)
            let client = try logOn(running.port)
            _ = client.receive()
            try client.send(Counterparty().newOrder(seq: 2, at: TestClock.wall()))
            _ = client.receive()
            await running.stop()
        }
        let running = try await Running.start(directory: directory)
        let client = try logOn(running.port, seq: 3)
        let logon = try #require(client.receive())
        #expect(logon.msgType == "A")
        #expect(logon.msgSeqNum == 4, "Logon 1, echo 2, the unanswered shutdown Logout 3")
        try client.send(Counterparty().message("1", seq: 4, at: TestClock.wall(), "112=AFTER-RESTART|"))
        let heartbeat = try #require(client.receive())
        #expect(heartbeat.msgType == "0", "seq 4 was expected: no ResendRequest, no Logout")
        #expect(heartbeat.msgSeqNum == 5)
        await running.stop()
    }

    @Test func unknownCompIDIsClosedWithoutAReply() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let client = try logOn(running.port, as: Counterparty(senderCompID: "NOBODY"))
        #expect(client.awaitClose() == .closed, "closed, and nothing sent before it")
        await running.stop()
    }

    @Test func secondConnectionForALiveSessionIsDroppedAndTheFirstIsUnaffected() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let first = try logOn(running.port)
        #expect(first.receive()?.msgType == "A")
        let second = try logOn(running.port, seq: 2)
        #expect(second.isClosed())
        try first.send(Counterparty().message("1", seq: 2, at: TestClock.wall(), "112=STILL-HERE|"))
        let heartbeat = try #require(first.receive())
        #expect(heartbeat[112]?.string == "STILL-HERE")
        await running.stop()
    }

    @Test func twoSessionsShareOnePort() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let one = try logOn(running.port)
        let two = try logOn(running.port, as: Counterparty(senderCompID: "OMS2"))
        #expect(one.receive()?[56]?.string == "OMS1")
        #expect(two.receive()?[56]?.string == "OMS2")
        await running.stop()
    }

    @Test func garbledMessageIsIgnoredAndTheGapRecoveredByResend() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let oms = Counterparty()
        let client = try logOn(running.port)
        _ = client.receive()
        var garbled = oms.newOrder(seq: 2, clOrdID: "LOST", at: TestClock.wall())
        garbled[garbled.count - 3] = UInt8(ascii: "9") // break the CheckSum
        garbled[garbled.count - 2] = UInt8(ascii: "9")
        garbled[garbled.count - 4] = UInt8(ascii: "9")
        try client.send(garbled)
        try client.send(oms.newOrder(seq: 3, clOrdID: "NEXT", at: TestClock.wall()))
        let resendRequest = try #require(client.receive())
        #expect(resendRequest.msgType == "2")
        #expect(resendRequest[7]?.int == 2)
        try client.send(oms.newOrder(seq: 2, clOrdID: "LOST", at: TestClock.wall(), header: "43=Y|122=\(TestClock.wall())|"))
        let first = try #require(client.receive())
        let second = try #require(client.receive())
        #expect([first[11]?.string, second[11]?.string] == ["LOST", "NEXT"])
        await running.stop()
    }

    /// Sends through its own session's endpoint from inside that session's callbacks, as a
    /// venue does: a News greeting at logon, and a News after each echo.
    final class SelfSendingApplication: FIXApplication {
        let endpoint = Mutex<SessionEndpoint?>(nil)

        static func news(_ text: String) -> FIXFieldList {
            var body = FIXFieldList()
            body.append(148, text)
            body.append(33, 1)
            body.append(58, text)
            return body
        }

        func onLogon(_ session: SessionID) {
            endpoint.withLock { $0 }?.send(msgType: "B", body: Self.news("hello"))
        }

        func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
            replies.send(msgType: "D", body: message.bodyFields())
            endpoint.withLock { $0 }?.send(msgType: "B", body: Self.news("after \(message[11]?.string ?? "")"))
        }
    }

    @Test func anApplicationSendingThroughItsOwnSessionKeepsSequenceNumbersInOrder() async throws {
        let application = SelfSendingApplication()
        let running = try await Running.start(application: application)
        defer { running.directory.remove() }
        application.endpoint.withLock { $0 = running.endpoints.first }
        let oms = Counterparty()
        let client = try logOn(running.port)
        try client.send(oms.newOrder(seq: 2, clOrdID: "S1", at: TestClock.wall()))
        try client.send(oms.newOrder(seq: 3, clOrdID: "S2", at: TestClock.wall()))
        let received = (0..<6).compactMap { _ in client.receive() }
        #expect(received.map { $0.msgType ?? "" } == ["A", "B", "D", "B", "D", "B"])
        #expect(received.map { $0.msgSeqNum ?? 0 } == [1, 2, 3, 4, 5, 6], "each message its own number, in order")
        #expect(received.compactMap { $0[148]?.string } == ["hello", "after S1", "after S2"])
        await running.stop()
    }

    @Test func messagesSentWhileDisconnectedAreNumberedJournaledAndResentAtLogon() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let oms = Counterparty()
        let endpoint = try #require(running.endpoints.first)
        var report = FIXFieldList()
        report.append(37, "WH1")
        report.append(11, "C1")
        report.append(150, "4")
        endpoint.send(msgType: "8", body: report)
        endpoint.send(msgType: "8", body: report)
        let client = try logOn(running.port)
        let logon = try #require(client.receive())
        #expect(logon.msgType == "A")
        #expect(logon.msgSeqNum == 3, "numbers 1 and 2 went to the reports sent while away")
        try client.send(oms.message("2", seq: 2, at: TestClock.wall(), "7=1|16=0|"))
        let resent = (0..<2).compactMap { _ in client.receive() }
        #expect(resent.map { $0.msgType ?? "" } == ["8", "8"])
        #expect(resent.map { $0.msgSeqNum ?? 0 } == [1, 2])
        #expect(resent.allSatisfy { $0[43]?.bool == true && $0[11]?.string == "C1" })
        await running.stop()
    }

    @Test func resendRequestIsServedFromTheJournalWithGapFills() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let oms = Counterparty()
        let client = try logOn(running.port)
        _ = client.receive()
        try client.send(oms.newOrder(seq: 2, clOrdID: "R1", at: TestClock.wall()))
        try client.send(oms.message("1", seq: 3, at: TestClock.wall(), "112=T|"))
        try client.send(oms.newOrder(seq: 4, clOrdID: "R2", at: TestClock.wall()))
        for _ in 0..<3 { _ = client.receive() }
        try client.send(oms.message("2", seq: 5, at: TestClock.wall(), "7=1|16=0|"))
        let replies = (0..<4).compactMap { _ in client.receive() }
        #expect(replies.map { $0.msgType ?? "" } == ["4", "D", "4", "D"])
        #expect(replies.map { $0.msgSeqNum ?? 0 } == [1, 2, 3, 4])
        #expect(replies[0][36]?.int == 2)
        #expect(replies[1][43]?.bool == true)
        #expect(replies[1][122] != nil)
        #expect(replies[1][11]?.string == "R1")
        #expect(replies[2][36]?.int == 4)
        await running.stop()
    }

    @Test func heartbeatsFlowWhenIdle() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let client = try RawFIXClient(port: running.port)
        let oms = Counterparty()
        try client.send(oms.logon(heartBtInt: 1, at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        // Silent for a HeartBtInt, Wellhead sends a Heartbeat; a tick that finds the silence
        // past 1.2 × HeartBtInt first sends a TestRequest, which a counterparty answers.
        var seq = 2
        var heartbeats = 0
        while heartbeats < 2, let idle = client.receive(timeout: 3) {
            if idle.msgType == "1" {
                try client.send(oms.message("0", seq: seq, at: TestClock.wall(), "112=\(idle[112]?.string ?? "")|"))
                seq += 1
            } else {
                #expect(idle.msgType == "0")
                heartbeats += 1
            }
        }
        #expect(heartbeats == 2)
        #expect(!client.isClosed(within: 0.1))
        await running.stop()
    }

    @Test func shutdownLogsSessionsOut() async throws {
        let running = try await Running.start()
        defer { running.directory.remove() }
        let client = try logOn(running.port)
        _ = client.receive()
        let stopping = Task { await running.stop() }
        let logout = try #require(await offCooperativePool { client.receive() })
        #expect(logout.msgType == "5")
        try client.send(Counterparty().message("5", seq: 2, at: TestClock.wall()))
        await stopping.value
        #expect(client.isClosed())
    }
}
