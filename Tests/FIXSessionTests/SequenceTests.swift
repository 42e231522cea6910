import FIXDictionary
import FIXCodec
@testable import FIXSession
import Testing
import TestSupport

/// FIX 4.4 session test cases 2 (MsgSeqNum rules), 8 and 9 (resend), 10 and 11
/// (SequenceReset in gap-fill and reset mode) and 20 (simultaneous resend).
@Suite struct SequenceTests {
    @Test func expectedMessageIsDelivered() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        #expect(harness.delivered.count == 1)
        #expect(harness.machine.nextTargetSeqNum == 3)
    }

    @Test func gapIsRequestedQueuedMessagesProcessedInOrderOnceFilled() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 5, clOrdID: "C5"))
        harness.receive(harness.counterparty.newOrder(seq: 6, clOrdID: "C6"))
        #expect(harness.sentTypes == ["2"], "one ResendRequest for the gap, not one per message")
        #expect(harness.sent(0)[7]?.int == 2)
        #expect(harness.sent(0)[16]?.int == 0)
        #expect(harness.delivered.isEmpty)
        #expect(harness.machine.queuedCount == 2)
        let resent = "43=Y|122=\(TestClock.start)|"
        harness.receive(harness.counterparty.newOrder(seq: 2, clOrdID: "C2", header: resent))
        harness.receive(harness.counterparty.message("4", seq: 3, header: resent, "123=Y|36=5|"))
        #expect(harness.delivered.map { $0[11]?.string } == ["C2", "C5", "C6"])
        #expect(harness.machine.nextTargetSeqNum == 7)
        #expect(harness.machine.queuedCount == 0)
        #expect(harness.events.contains(.gapFilled(through: 4)))
    }

    @Test func redundantResendRequestsOnlyWhenConfigured() {
        var plain = SessionHarness.loggedOn()
        plain.receive(plain.counterparty.newOrder(seq: 5))
        plain.receive(plain.counterparty.newOrder(seq: 7))
        #expect(plain.sentTypes == ["2"])
        var redundant = SessionHarness.loggedOn(SessionHarness.configuration { $0.sendRedundantResendRequests = true })
        redundant.receive(redundant.counterparty.newOrder(seq: 5))
        redundant.receive(redundant.counterparty.newOrder(seq: 7))
        #expect(redundant.sentTypes == ["2", "2"])
    }

    @Test func sequenceTooLowWithoutPossDupLogsOut() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.clear()
        harness.receive(harness.counterparty.newOrder(seq: 2, clOrdID: "AGAIN"))
        #expect(harness.sentTypes == ["5"])
        #expect(harness.sent(0)[58]?.string == "MsgSeqNum too low, expecting 3 but received 2")
        #expect(harness.disconnects.count == 1)
        #expect(harness.delivered.isEmpty)
    }

    @Test func possDupDuplicateIsIgnored() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.clear()
        harness.receive(harness.counterparty.newOrder(seq: 2, header: "43=Y|122=\(TestClock.after(seconds: -1))|"))
        #expect(harness.sent.isEmpty)
        #expect(harness.delivered.isEmpty)
        #expect(harness.events.contains(.duplicateIgnored(sequenceNumber: 2)))
        #expect(harness.machine.nextTargetSeqNum == 3)
    }

    @Test func possDupWithoutOrigSendingTimeIsRejectedAndConsumed() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2, header: "43=Y|"))
        #expect(harness.sentTypes == ["3"])
        let reject = harness.sent(0)
        #expect(reject[45]?.int == 2)
        #expect(reject[373]?.int == 1)
        #expect(reject[371]?.int == 122)
        #expect(reject[372]?.string == "D")
        #expect(harness.delivered.isEmpty)
        #expect(harness.machine.nextTargetSeqNum == 3)
    }

    @Test func origSendingTimeAfterSendingTimeIsRejected() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2, header: "43=Y|122=\(TestClock.after(seconds: 5))|"))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[373]?.int == 10)
        #expect(harness.machine.nextTargetSeqNum == 3)
    }

    @Test func gapFillMovesTheExpectedNumber() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.message("4", seq: 2, header: "43=Y|122=\(TestClock.start)|", "123=Y|36=10|"))
        #expect(harness.sent.isEmpty)
        #expect(harness.machine.nextTargetSeqNum == 10)
    }

    @Test func gapFillThatWouldLowerTheNumberIsRejected() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.message("4", seq: 2, "123=Y|36=2|"))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[373]?.int == 5)
        #expect(harness.sent(0)[371]?.int == 36)
        #expect(harness.machine.nextTargetSeqNum == 2)
    }

    @Test func gapFillAheadOfExpectedAsksForTheGap() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.message("4", seq: 5, "123=Y|36=9|"))
        #expect(harness.sentTypes == ["2"])
        #expect(harness.machine.nextTargetSeqNum == 2)
    }

    @Test func gapFillTooLowWithoutPossDupLogsOut() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.clear()
        harness.receive(harness.counterparty.message("4", seq: 1, "123=Y|36=5|"))
        #expect(harness.sentTypes == ["5"])
        #expect(harness.disconnects.count == 1)
    }

    @Test func sequenceResetModeIgnoresMsgSeqNum() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.message("4", seq: 99, "36=20|"))
        #expect(harness.sent.isEmpty)
        #expect(harness.machine.nextTargetSeqNum == 20)
        harness.receive(harness.counterparty.message("4", seq: 1, "36=20|"))
        #expect(harness.sent.isEmpty)
        #expect(harness.machine.nextTargetSeqNum == 20)
        harness.receive(harness.counterparty.message("4", seq: 1, "36=5|"))
        #expect(harness.sentTypes == ["3"], "a reset backwards is rejected")
        #expect(harness.sent(0)[373]?.int == 5)
        #expect(harness.sent(0)[371]?.int == 36)
        #expect(harness.machine.nextTargetSeqNum == 20)
    }

    @Test func resendRequestIsServedFromTheJournal() {
        var harness = SessionHarness.loggedOn()
        // Our messages 2…6: an order echo (app), a heartbeat, a test request, two app messages.
        var stored: [StoredMessage] = []
        for msgType in ["8", "0", "1", "8", "8"] {
            let body: FIXFieldList = {
                var list = FIXFieldList()
                if msgType == "8" {
                    list.append(37, "O1"); list.append(17, "E1"); list.append(150, "0"); list.append(39, "0")
                    list.append(55, "CLZ6"); list.append(54, "1"); list.append(151, 5); list.append(14, 0); list.append(6, 0)
                } else if msgType == "1" { list.append(112, "T") }
                return list
            }()
            for case .send(let outbound) in harness.machine.send(msgType: msgType, body: body, now: harness.now) {
                stored.append(StoredMessage(sequenceNumber: outbound.sequenceNumber, bytes: outbound.bytes))
            }
        }
        harness.now = TestClock.after(seconds: 10)
        harness.receive(harness.counterparty.message("2", seq: 2, at: harness.now, "7=2|16=0|"))
        #expect(harness.replays.count == 1)
        #expect(harness.replays[0].begin == 2 && harness.replays[0].end == 6)
        harness.record(harness.machine.replay(stored, begin: 2, end: 6, now: harness.now))
        #expect(harness.sentTypes == ["8", "4", "8", "8"])
        #expect(harness.sent.allSatisfy { $0.kind == .resend })
        #expect(harness.sentMessages.map(\.msgSeqNum) == [2, 3, 5, 6])
        let first = harness.sent(0)
        #expect(first[43]?.bool == true)
        #expect(first[122]?.timestamp == TestClock.start)
        #expect(first[52]?.timestamp == harness.now)
        #expect(first[37]?.string == "O1")
        // Each resent message is valid FIX: every header tag once, in place.
        let validator = FIXValidator(dictionary: TestDictionaries.fix44)
        for message in harness.sentMessages {
            #expect(throws: Never.self) { try validator.validate(message) }
            let tags = (0..<message.count).map { message.tag(at: $0) }
            #expect(Set(tags).count == tags.count, "repeated tag in \(tags)")
        }
        let gapFill = harness.sent(1)
        #expect(gapFill[123]?.bool == true)
        #expect(gapFill[36]?.int == 5, "the heartbeat and test request collapse into one gap fill")
        #expect(harness.machine.nextSenderSeqNum == 7)
    }

    @Test func resendOfOnlyAdminMessagesIsOneGapFillToTheNextNumber() {
        var harness = SessionHarness.loggedOn()
        for _ in 0..<3 { _ = harness.machine.send(msgType: "0", body: FIXFieldList(), now: harness.now) }
        harness.receive(harness.counterparty.message("2", seq: 2, "7=1|16=0|"))
        harness.record(harness.machine.replay([], begin: 1, end: 4, now: harness.now))
        #expect(harness.sentTypes == ["4"])
        #expect(harness.sent(0).msgSeqNum == 1)
        #expect(harness.sent(0)[36]?.int == 5)
    }

    @Test func simultaneousResendRequestsDoNotDeadlock() {
        var harness = SessionHarness.loggedOn()
        _ = harness.machine.send(msgType: "0", body: FIXFieldList(), now: harness.now)
        // Their ResendRequest arrives with a number ahead of ours: serve it, and ask for our gap.
        harness.receive(harness.counterparty.message("2", seq: 5, "7=1|16=0|"))
        #expect(harness.replays.count == 1)
        #expect(harness.sentTypes == ["2"])
        #expect(harness.sent(0)[7]?.int == 2)
        harness.receive(harness.counterparty.message("4", seq: 2, header: "43=Y|122=\(TestClock.start)|", "123=Y|36=5|"))
        #expect(harness.machine.nextTargetSeqNum == 6, "the ResendRequest's own number is consumed once the gap is filled")
        #expect(harness.replays.count == 1, "and it is not served twice")
    }
}
