import FIXCodec
@testable import FIXSession
import Testing
import TestSupport

/// FIX 4.4 session test cases 1B (logon as acceptor), 1S (as initiator) and the Logon rules
/// of 2 (sequence numbers, BeginString, CompIDs, SendingTime on the first message).
@Suite struct LogonTests {
    @Test func acceptorAnswersAValidLogon() {
        var harness = SessionHarness()
        harness.connect()
        #expect(harness.sent.isEmpty)
        harness.receive(harness.counterparty.logon(heartBtInt: 20))
        #expect(harness.sentTypes == ["A"])
        let reply = harness.sent(0)
        #expect(reply[108]?.int == 20)
        #expect(reply[98]?.int == 0)
        #expect(reply[49]?.string == "WELLHEAD")
        #expect(reply[56]?.string == "OMS1")
        #expect(reply.msgSeqNum == 1)
        #expect(harness.machine.state == .loggedOn)
        #expect(harness.machine.heartBtInt == 20)
        #expect(harness.machine.nextSenderSeqNum == 2)
        #expect(harness.machine.nextTargetSeqNum == 2)
    }

    @Test func firstMessageThatIsNotALogonEndsTheConnectionWithoutAReply() {
        var harness = SessionHarness()
        harness.connect()
        harness.receive(harness.counterparty.newOrder(seq: 1))
        #expect(harness.sent.isEmpty)
        #expect(harness.disconnects.count == 1)
        #expect(harness.disconnects[0].contains("not a Logon"))
        #expect(harness.machine.state == .disconnected)
    }

    @Test func logonFromTheWrongCompIDIsDroppedWithoutAReply() {
        var harness = SessionHarness()
        harness.counterparty.senderCompID = "INTRUDER"
        harness.connect()
        harness.receive(harness.counterparty.logon())
        #expect(harness.sent.isEmpty)
        #expect(harness.disconnects.count == 1)
    }

    @Test func logonWithABadSendingTimeIsDroppedWithoutAReply() {
        var harness = SessionHarness()
        harness.connect()
        harness.receive(harness.counterparty.logon(at: TestClock.after(seconds: -600)))
        #expect(harness.sent.isEmpty)
        #expect(harness.disconnects.first?.contains("SendingTime") == true)
    }

    @Test func logonWithTheWrongBeginStringIsDroppedWithoutAReply() {
        var harness = SessionHarness()
        harness.counterparty.beginString = "FIX.4.2"
        harness.connect()
        harness.receive(harness.counterparty.logon())
        #expect(harness.sent.isEmpty)
        #expect(harness.disconnects.first?.contains("BeginString") == true)
    }

    @Test func logonWithSequenceNumberTooLowIsLoggedOutAndDisconnected() {
        var harness = SessionHarness(SessionHarness.configuration(), sender: 5, target: 10)
        harness.connect()
        harness.receive(harness.counterparty.logon(seq: 4))
        #expect(harness.sentTypes == ["5"])
        #expect(harness.sent(0)[58]?.string == "MsgSeqNum too low, expecting 10 but received 4")
        #expect(harness.disconnects.count == 1)
    }

    @Test func logonAheadOfExpectedIsAnsweredThenAGapIsRequested() {
        var harness = SessionHarness(SessionHarness.configuration(), sender: 3, target: 3)
        harness.connect()
        harness.receive(harness.counterparty.logon(seq: 7))
        #expect(harness.sentTypes == ["A", "2"])
        #expect(harness.sent(1)[7]?.int == 3)
        #expect(harness.sent(1)[16]?.int == 0)
        // The counterparty fills 3…6 with a gap fill: the Logon's own number is then consumed.
        harness.receive(harness.counterparty.message("4", seq: 3, header: "43=Y|122=\(TestClock.start)|", "123=Y|36=7|"))
        #expect(harness.machine.nextTargetSeqNum == 8)
        #expect(harness.events.contains(.gapFilled(through: 6)))
    }

    @Test func resetSeqNumFlagOnLogonStartsBothSidesAtOne() {
        var harness = SessionHarness(SessionHarness.configuration(), sender: 50, target: 60)
        harness.connect()
        harness.receive(harness.counterparty.logon(seq: 1, reset: true))
        #expect(harness.sentTypes == ["A"])
        #expect(harness.sent(0).msgSeqNum == 1)
        #expect(harness.sent(0)[141]?.bool == true)
        #expect(harness.machine.nextSenderSeqNum == 2)
        #expect(harness.machine.nextTargetSeqNum == 2)
    }

    @Test func resetSeqNumFlagMidSessionResetsAndIsAnswered() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.clear()
        harness.receive(harness.counterparty.logon(seq: 1, reset: true))
        #expect(harness.sentTypes == ["A"])
        #expect(harness.sent(0).msgSeqNum == 1)
        #expect(harness.sent(0)[141]?.bool == true)
        #expect(harness.machine.nextTargetSeqNum == 2)
        #expect(harness.machine.nextSenderSeqNum == 2)
    }

    @Test func noLogonWithinLogonTimeoutDisconnects() {
        var harness = SessionHarness()
        harness.connect()
        harness.advance(seconds: 9)
        #expect(harness.disconnects.isEmpty)
        harness.advance(seconds: 1)
        #expect(harness.disconnects.first?.contains("no Logon") == true)
    }

    @Test func initiatorSendsLogonAndIsLoggedOnByTheReply() {
        var harness = SessionHarness(SessionHarness.configuration(role: .initiator, heartBtInt: 15))
        harness.connect()
        #expect(harness.sentTypes == ["A"])
        #expect(harness.sent(0)[108]?.int == 15)
        #expect(harness.machine.state == .awaitingLogon)
        harness.receive(harness.counterparty.logon(heartBtInt: 15))
        #expect(harness.machine.state == .loggedOn)
        #expect(harness.sentTypes == ["A"])
        #expect(harness.machine.nextTargetSeqNum == 2)
    }

    @Test func initiatorWithResetOnLogonAsksForAReset() {
        var harness = SessionHarness(SessionHarness.configuration(role: .initiator) { $0.resetOnLogon = true }, sender: 9, target: 9)
        harness.connect()
        #expect(harness.sent(0).msgSeqNum == 1)
        #expect(harness.sent(0)[141]?.bool == true)
        harness.receive(harness.counterparty.logon(seq: 1, reset: true))
        #expect(harness.machine.state == .loggedOn)
        #expect(harness.machine.nextTargetSeqNum == 2)
    }
}
