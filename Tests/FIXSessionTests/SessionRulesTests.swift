import FIXCodec
import Foundation
@testable import FIXSession
import Testing
import TestSupport

/// Heartbeats and test requests (4, 6), rejects (2, 14), logout (12, 13), queued sends (16),
/// third-party routing on rejects (18) and the session schedule.
@Suite struct SessionRulesTests {
    @Test func heartbeatWhenIdleTestRequestAfterSilenceThenDisconnect() {
        let harness = SessionHarness.loggedOn(SessionHarness.configuration(heartBtInt: 10))
        #expect(harness.machine.heartBtInt == 30, "an acceptor takes the initiator's HeartBtInt")
        var harness10 = SessionHarness()
        harness10.connect()
        harness10.receive(harness10.counterparty.logon(heartBtInt: 10))
        harness10.clear()
        harness10.advance(seconds: 10)
        #expect(harness10.sentTypes == ["0"])
        harness10.advance(seconds: 2)
        #expect(harness10.sentTypes == ["0", "1"], "TestRequest after 1.2 × HeartBtInt of silence")
        let testReqID = harness10.sent(1)[112]?.string
        #expect(testReqID != nil)
        harness10.advance(seconds: 12)
        #expect(harness10.disconnects.count == 1, "disconnect after 2.4 × HeartBtInt")
    }

    @Test func answeredTestRequestKeepsTheSessionUp() throws {
        var harness = SessionHarness()
        harness.connect()
        harness.receive(harness.counterparty.logon(heartBtInt: 10))
        harness.clear()
        harness.advance(seconds: 12)
        let testRequest = try #require(harness.sentMessages.last { $0.msgType == "1" }, "TestRequest after 1.2 × HeartBtInt of silence")
        let testReqID = try #require(testRequest[112]?.string)
        harness.receive(harness.counterparty.message("0", seq: 2, at: harness.now, "112=\(testReqID)|"))
        harness.clear()
        // Second by second, as the engine ticks, to 26 s after the Logon: past 2.4 × HeartBtInt
        // (24 s) of silence, where an ignored TestRequest disconnects (see above).
        for _ in 0..<14 { harness.advance(seconds: 1) }
        #expect(harness.disconnects.isEmpty, "the Heartbeat answered the TestRequest: \(harness.disconnects)")
        #expect(harness.sentTypes.last == "1", "12 s after the Heartbeat, silence again brings a TestRequest, not a disconnect")
    }

    @Test func testRequestIsAnsweredWithItsID() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.message("1", seq: 2, "112=PING-7|"))
        #expect(harness.sentTypes == ["0"])
        #expect(harness.sent(0)[112]?.string == "PING-7")
    }

    @Test func invalidMessageIsRejectedWithReasonTagAndType() {
        var harness = SessionHarness.loggedOn()
        // OrdType 40=Z is not a valid enum value.
        let bad = harness.counterparty.message("D", seq: 2, "11=X|55=CLZ6|54=1|60=\(TestClock.start)|38=5|40=Z|")
        harness.receive(bad)
        #expect(harness.sentTypes == ["3"])
        let reject = harness.sent(0)
        #expect(reject[45]?.int == 2)
        #expect(reject[371]?.int == 40)
        #expect(reject[372]?.string == "D")
        #expect(reject[373]?.int == 5)
        #expect(reject[58]?.string.isEmpty == false)
        #expect(harness.delivered.isEmpty)
        #expect(harness.machine.nextTargetSeqNum == 3, "a rejected message consumes its sequence number")
    }

    @Test func invalidMsgTypeIsRejected() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.message("ZZ", seq: 2))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[373]?.int == 11)
    }

    @Test func compIDMismatchMidSessionIsRejectedThenLoggedOut() {
        var harness = SessionHarness.loggedOn()
        var stranger = harness.counterparty
        stranger.senderCompID = "OMS2"
        harness.receive(stranger.newOrder(seq: 2))
        #expect(harness.sentTypes == ["3", "5"])
        #expect(harness.sent(0)[373]?.int == 9)
        #expect(harness.disconnects.count == 1)
    }

    @Test func sendingTimeOutOfRangeIsRejectedThenLoggedOut() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2, at: TestClock.after(seconds: 500)))
        #expect(harness.sentTypes == ["3", "5"])
        #expect(harness.sent(0)[373]?.int == 10)
        #expect(harness.disconnects.count == 1)
    }

    @Test func wrongBeginStringMidSessionLogsOut() {
        var harness = SessionHarness.loggedOn()
        var other = harness.counterparty
        other.beginString = "FIX.4.2"
        harness.receive(other.newOrder(seq: 2))
        #expect(harness.sentTypes == ["5"])
        #expect(harness.disconnects.count == 1)
    }

    @Test func rejectSwapsOnBehalfOfAndDeliverTo() {
        var harness = SessionHarness.loggedOn()
        let bad = harness.counterparty.message("D", seq: 2, header: "115=DESK7|116=TRADER3|128=BROKER|",
                                               "11=X|55=CLZ6|54=Z|60=\(TestClock.start)|38=5|40=1|")
        harness.receive(bad)
        #expect(harness.sentTypes == ["3"])
        let reject = harness.sent(0)
        #expect(reject[128]?.string == "DESK7")
        #expect(reject[129]?.string == "TRADER3")
        #expect(reject[115]?.string == "BROKER")
    }

    @Test func logoutWeStartWaitsForTheReply() {
        var harness = SessionHarness.loggedOn()
        harness.record(harness.machine.logout(reason: "end of day", now: harness.now))
        #expect(harness.sentTypes == ["5"])
        #expect(harness.sent(0)[58]?.string == "end of day")
        #expect(harness.disconnects.isEmpty)
        harness.receive(harness.counterparty.message("5", seq: 2))
        #expect(harness.disconnects.count == 1)
        #expect(harness.sentTypes == ["5"], "the reply is not answered")
    }

    @Test func logoutWithoutAReplyTimesOut() {
        var harness = SessionHarness.loggedOn()
        harness.record(harness.machine.logout(now: harness.now))
        harness.advance(seconds: 1)
        #expect(harness.disconnects.isEmpty)
        harness.advance(seconds: 1)
        #expect(harness.disconnects.count == 1)
    }

    @Test func logoutFromTheCounterpartyIsAnswered() {
        var harness = SessionHarness.loggedOn(SessionHarness.configuration { $0.resetOnLogout = true })
        harness.receive(harness.counterparty.message("5", seq: 2, "58=bye|"))
        #expect(harness.sentTypes == ["5"])
        #expect(harness.disconnects.count == 1)
        #expect(harness.machine.nextSenderSeqNum == 1, "ResetOnLogout")
    }

    @Test func applicationSendsWhileDisconnectedAreQueuedForResend() {
        var harness = SessionHarness()
        let actions = harness.machine.send(msgType: "8", body: FIXFieldList(), now: harness.now)
        guard case .send(let outbound) = actions.first else { Issue.record("nothing sent"); return }
        #expect(outbound.kind == .queued)
        #expect(outbound.sequenceNumber == 1)
        harness.connect()
        harness.receive(harness.counterparty.logon())
        #expect(harness.sent.last?.sequenceNumber == 2, "the Logon carries the next number, so the counterparty sees the gap")
    }

    @Test func businessRejectNamesTheMessageAndSwapsRouting() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.message("D", seq: 2, header: "115=DESK7|",
                                                     "11=X|55=CLZ6|54=1|60=\(TestClock.start)|38=5|40=1|"))
        let message = harness.delivered[0]
        harness.record(harness.machine.businessReject(message, reason: 3, text: "unsupported", refIDTag: 11, now: harness.now))
        let reject = harness.sent(0)
        #expect(reject.msgType == "j")
        #expect(reject[45]?.int == 2)
        #expect(reject[372]?.string == "D")
        #expect(reject[379]?.string == "X")
        #expect(reject[380]?.int == 3)
        #expect(reject[128]?.string == "DESK7")
    }

    @Test func disconnectWithResetOnDisconnect() {
        var harness = SessionHarness.loggedOn(SessionHarness.configuration { $0.resetOnDisconnect = true })
        harness.record(harness.machine.disconnected(now: harness.now))
        #expect(harness.machine.nextSenderSeqNum == 1)
        #expect(harness.machine.nextTargetSeqNum == 1)
    }

    @Test func scheduleDailyAndWeekly() throws {
        let utc = TimeZone(identifier: "UTC")!
        let daily = SessionSchedule(startTime: 8 * 3600, endTime: 17 * 3600, timeZone: utc)
        func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        #expect(daily.contains(at("2026-11-24T09:00:00Z")))
        #expect(!daily.contains(at("2026-11-24T18:00:00Z")))
        #expect(!daily.contains(at("2026-11-24T07:59:59Z")))
        #expect(daily.periodStart(containing: at("2026-11-24T16:00:00Z")) == at("2026-11-24T08:00:00Z"))
        let overnight = SessionSchedule(startTime: 22 * 3600, endTime: 6 * 3600, timeZone: utc)
        #expect(overnight.periodStart(containing: at("2026-11-24T02:00:00Z")) == at("2026-11-23T22:00:00Z"))
        #expect(overnight.periodStart(containing: at("2026-11-24T23:00:00Z")) == at("2026-11-24T22:00:00Z"))
        #expect(!overnight.contains(at("2026-11-24T12:00:00Z")))
        // CME Globex week: Sunday 17:00 to Friday 16:00 Chicago time.
        let chicago = TimeZone(identifier: "America/Chicago")!
        let weekly = SessionSchedule(startTime: 17 * 3600, endTime: 16 * 3600, startDay: 1, endDay: 6, timeZone: chicago)
        #expect(weekly.contains(at("2026-11-24T15:00:00Z")))            // Tuesday
        #expect(!weekly.contains(at("2026-11-28T15:00:00Z")))           // Saturday
        #expect(weekly.periodStart(containing: at("2026-11-24T15:00:00Z")) == at("2026-11-22T23:00:00Z"))
    }

    @Test func scheduleEndLogsOutAndANewPeriodResetsNumbers() {
        let utc = TimeZone(identifier: "UTC")!
        let schedule = SessionSchedule(startTime: 8 * 3600, endTime: 17 * 3600, timeZone: utc)
        var harness = SessionHarness(SessionHarness.configuration { $0.schedule = schedule })
        harness.record(harness.machine.tick(now: harness.now))
        harness.connect()
        harness.receive(harness.counterparty.logon())
        #expect(harness.machine.state == .loggedOn)
        harness.clear()
        harness.now = TestClock.after(seconds: 3 * 3600)   // 17:00 UTC
        harness.record(harness.machine.tick(now: harness.now))
        #expect(harness.sentTypes == ["5"])
        harness.record(harness.machine.disconnected(now: harness.now))
        harness.now = TestClock.after(seconds: 18 * 3600)  // 08:00 the next day
        harness.record(harness.machine.tick(now: harness.now))
        #expect(harness.machine.nextSenderSeqNum == 1)
        #expect(harness.machine.nextTargetSeqNum == 1)
    }
}
