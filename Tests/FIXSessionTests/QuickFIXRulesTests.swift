import FIXCodec
import FIXDictionary
@testable import FIXSession
import Testing
import TestSupport

/// The session rules where QuickFIX's acceptance scenarios and Wellhead once disagreed, each
/// as plain values: what a counterparty running QuickFIX expects to see.
@Suite struct QuickFIXRulesTests {
    static let resetOnLogon = SessionHarness.configuration { $0.resetOnLogon = true }

    @Test func resetOnLogonResetsQuietlyWhenTheInitiatorDidNotAsk() {
        var harness = SessionHarness(Self.resetOnLogon, sender: 40, target: 40)
        harness.connect()
        harness.receive(harness.counterparty.logon(seq: 1))
        #expect(harness.sentTypes == ["A"])
        #expect(harness.sent(0).msgSeqNum == 1)
        // An unasked ResetSeqNumFlag would make a QuickFIX initiator reset its own numbers.
        #expect(harness.sent(0)[141] == nil)
        #expect(harness.machine.nextSenderSeqNum == 2)
        #expect(harness.machine.nextTargetSeqNum == 2)
    }

    @Test func resetOnLogonAnswersAResetWithAReset() {
        var harness = SessionHarness(Self.resetOnLogon, sender: 40, target: 40)
        harness.connect()
        harness.receive(harness.counterparty.logon(seq: 1, reset: true))
        #expect(harness.sent(0)[141]?.bool == true)
    }

    @Test func aResendRequestWithAStaleNumberIsServed() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.receive(harness.counterparty.newOrder(seq: 3))
        harness.clear()
        harness.receive(harness.counterparty.message("2", seq: 2, "7=1|16=0|"))
        #expect(harness.disconnects.isEmpty)
        #expect(harness.replays.count == 1)
        #expect(harness.replays.first?.begin == 1)
        // Its number was already used: it does not move the expected one.
        #expect(harness.machine.nextTargetSeqNum == 4)
    }

    @Test func aLogoutWithAStaleNumberIsAnswered() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.clear()
        harness.receive(harness.counterparty.message("5", seq: 2))
        #expect(harness.sentTypes == ["5"])
        #expect(harness.sent(0)[58] == nil)
        #expect(harness.disconnects.count == 1)
    }

    @Test func aStalePossDupWhoseOriginalTimeIsLaterIsRejectedThenLoggedOut() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.clear()
        let later = TestClock.after(seconds: 10)
        harness.receive(harness.counterparty.newOrder(seq: 2, header: "43=Y|122=\(later)|"))
        #expect(harness.sentTypes == ["3", "5"])
        #expect(harness.sent(0)[373]?.int == 10)
        #expect(harness.sent(0)[45]?.int == 2)
        #expect(harness.machine.state == .awaitingLogout)
    }

    @Test func aStalePossDupWithoutOriginalTimeIsRejectedOnly() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2))
        harness.clear()
        harness.receive(harness.counterparty.newOrder(seq: 2, header: "43=Y|"))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[373]?.int == 1)
        #expect(harness.sent(0)[371]?.int == 122)
        #expect(harness.machine.state == .loggedOn)
        #expect(harness.machine.nextTargetSeqNum == 3)
    }

    @Test func aMissingTargetCompIDIsARequiredTagNotACompIDProblem() {
        var harness = SessionHarness.loggedOn()
        harness.receive(FIXText.message("35=0|34=2|49=OMS1|52=\(TestClock.start)|"))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[373]?.int == 1)
        #expect(harness.sent(0)[371]?.int == 56)
        #expect(harness.disconnects.isEmpty)
        #expect(harness.machine.nextTargetSeqNum == 3)
    }

    @Test func anEmptyTargetCompIDIsATagWithoutAValue() {
        var harness = SessionHarness.loggedOn()
        harness.receive(FIXText.message("35=0|34=2|49=OMS1|52=\(TestClock.start)|56=|"))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[373]?.int == 4)
        #expect(harness.sent(0)[371]?.int == 56)
        #expect(harness.disconnects.isEmpty)
    }

    @Test func aWrongTargetCompIDIsACompIDProblemAndEndsTheSession() {
        var harness = SessionHarness.loggedOn()
        harness.counterparty.targetCompID = "SOMEONE"
        harness.receive(harness.counterparty.message("0", seq: 2))
        #expect(harness.sentTypes == ["3", "5"])
        #expect(harness.sent(0)[373]?.int == 9)
        #expect(harness.disconnects.count == 1)
    }

    @Test func emptyRoutingTagsAreNotReversedIntoTheReject() {
        var harness = SessionHarness.loggedOn()
        harness.receive(harness.counterparty.newOrder(seq: 2, header: "115=|"))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[128] == nil)
        harness.clear()
        harness.receive(harness.counterparty.newOrder(seq: 3, header: "115=JCD|116=|"))
        #expect(harness.sent(0)[128]?.string == "JCD")
        #expect(harness.sent(0)[129] == nil)
    }

    @Test func noHeartbeatWhileATestRequestIsUnanswered() {
        var harness = SessionHarness()
        harness.connect()
        harness.receive(harness.counterparty.logon(heartBtInt: 6))
        harness.receive(harness.counterparty.message("0", seq: 2))
        harness.clear()
        // Silent counterparty: at 1.2 × HeartBtInt a TestRequest (TestReqID TEST, as QuickFIX).
        for _ in 0..<8 { harness.advance(seconds: 1) }
        #expect(harness.sentTypes.last == "1")
        #expect(harness.sentMessages.last?[112]?.string == "TEST")
        let sentBefore = harness.sent.count
        // Until 2.4 × HeartBtInt of silence, nothing more; then the disconnect.
        for _ in 0..<6 { harness.advance(seconds: 1) }
        #expect(harness.sent.count == sentBefore)
        #expect(harness.disconnects.isEmpty)
        harness.advance(seconds: 1)
        #expect(harness.sent.count == sentBefore)
        #expect(harness.disconnects.count == 1)
    }
}

/// Reset settings that differ on the two sides, or a side that crashed: the session recovers
/// or resets by handshake, and never logs out or ping-pongs Logons.
@Suite struct ResetPairingRulesTests {
    @Test func anAcceptorWithResetOnLogonRecoversASessionThatDropped() {
        let configuration = SessionHarness.configuration { $0.resetOnLogon = true }
        var harness = SessionHarness(configuration, sender: 20, target: 30)
        harness.machine = SessionStateMachine(configuration: configuration, nextSenderSeqNum: 20, nextTargetSeqNum: 30,
                                              endedWithoutLogout: true)
        harness.connect()
        harness.receive(harness.counterparty.logon(seq: 30))
        #expect(harness.sentTypes == ["A"])
        #expect(harness.sent(0).msgSeqNum == 20)
        #expect(harness.sent(0)[141] == nil)
        #expect(harness.machine.nextTargetSeqNum == 31)
    }

    @Test func anAcceptorWithResetOnLogonStillResetsAfterALogout() {
        let configuration = SessionHarness.configuration { $0.resetOnLogon = true }
        var harness = SessionHarness(configuration, sender: 20, target: 30)
        harness.connect()
        harness.receive(harness.counterparty.logon(seq: 5))
        // QuickFIX's scenario 1a: a quiet reset, then a ResendRequest for what it skipped.
        #expect(harness.sentTypes == ["A", "2"])
        #expect(harness.sent(0).msgSeqNum == 1)
        #expect(harness.sent(0)[141] == nil)
        #expect(harness.sent(1)[7]?.int == 1)
    }

    @Test func aDroppedSessionIsRememberedByTheMachine() {
        var harness = SessionHarness.loggedOn()
        #expect(!harness.machine.endedWithoutLogout)
        harness.record(harness.machine.disconnected(now: harness.now))
        #expect(harness.machine.endedWithoutLogout)
    }

    @Test func anInitiatorAnsweredBelowItsNumbersResetsAndLogsOnAgainAskingForAReset() {
        let configuration = SessionHarness.configuration(role: .initiator)
        var harness = SessionHarness(configuration, sender: 40, target: 50)
        harness.connect()
        harness.clear()
        // The acceptor reset quietly (ResetOnLogon) and answers at 1: no Logout, a drop…
        harness.receive(harness.counterparty.logon(seq: 1))
        #expect(harness.sent.isEmpty)
        #expect(harness.disconnects.count == 1)
        #expect(harness.events.contains(.resetOnNextLogon))
        #expect(harness.machine.nextSenderSeqNum == 1)
        #expect(harness.machine.resetOnNextLogon)
        // …and the next connection (a new machine from what the driver kept) asks for the reset.
        harness.machine = SessionStateMachine(configuration: configuration, resetOnNextLogon: true)
        harness.clear()
        harness.connect()
        #expect(harness.sentTypes == ["A"])
        #expect(harness.sent(0).msgSeqNum == 1)
        #expect(harness.sent(0)[141]?.bool == true)
        harness.receive(harness.counterparty.logon(seq: 1, reset: true))
        #expect(harness.machine.state == .loggedOn)
        #expect(!harness.machine.resetOnNextLogon)
        #expect(harness.sentTypes == ["A"])
    }

    @Test func messagesAheadOfTheResetReplyAreSetAsideAndItsNumberCounts() {
        var harness = SessionHarness.loggedOn(SessionHarness.configuration(role: .initiator))
        harness.record(harness.machine.requestSequenceReset(now: harness.now))
        harness.clear()
        harness.receive(harness.counterparty.message("2", seq: 9, "7=1|16=0|"))
        #expect(harness.sent.isEmpty)
        #expect(harness.replays.isEmpty)
        harness.receive(harness.counterparty.logon(seq: 2, reset: true))
        #expect(harness.machine.nextTargetSeqNum == 3)
        harness.receive(harness.counterparty.newOrder(seq: 3))
        #expect(harness.delivered.count == 1)
        #expect(harness.sent.isEmpty)
    }

    @Test func anInitiatorFollowsAResetItDidNotAskForWithOneConfirmingLogon() {
        var harness = SessionHarness(SessionHarness.configuration(role: .initiator), sender: 40, target: 50)
        harness.connect()
        harness.clear()
        harness.receive(harness.counterparty.logon(seq: 1, reset: true))
        #expect(harness.sentTypes == ["A"])
        #expect(harness.sent(0).msgSeqNum == 1)
        #expect(harness.sent(0)[141]?.bool == true)
        #expect(harness.machine.state == .loggedOn)
        #expect(harness.machine.nextSenderSeqNum == 2)
        #expect(harness.machine.nextTargetSeqNum == 2)
    }

    @Test func anInitiatorWithResetOnLogonTakesTheResetReplyOnce() {
        var harness = SessionHarness(SessionHarness.configuration(role: .initiator) { $0.resetOnLogon = true }, sender: 9, target: 9)
        harness.connect()
        harness.clear()
        harness.receive(harness.counterparty.logon(seq: 1, reset: true))
        #expect(harness.sent.isEmpty)
        harness.receive(harness.counterparty.newOrder(seq: 2))
        #expect(harness.delivered.count == 1)
    }
}

/// What differs by FIX version, as QuickFIX's per-version scenarios have it.
@Suite struct OlderVersionRulesTests {
    static func harness(_ beginString: String, dictionary file: String? = nil) throws -> SessionHarness {
        var configuration = SessionHarness.configuration()
        configuration.id.beginString = beginString
        configuration.dictionary = try file.map { try FIXDictionaryLoader.load(path: try QuickFIXSpecs.directory().appendingPathComponent($0).path) }
        var harness = SessionHarness(configuration)
        harness.counterparty.beginString = beginString
        harness.connect()
        harness.receive(harness.counterparty.logon())
        harness.clear()
        return harness
    }

    @Test func beforeFIX42ARejectNamesTheTagInItsText() throws {
        var harness = try Self.harness("FIX.4.1")
        harness.receive(harness.counterparty.message("0", seq: 2, header: "43=Y|"))
        #expect(harness.sentTypes == ["3"])
        let reject = harness.sent(0)
        #expect(reject[371] == nil && reject[372] == nil && reject[373] == nil)
        #expect(reject[58]?.string.hasSuffix("(122)") == true)
        // No milliseconds in a FIX 4.1 UTCTimestamp.
        #expect(reject[52]?.string.count == 17)
    }

    @Test func inFIX42SessionRejectReasonStopsAtEleven() throws {
        var harness = try Self.harness("FIX.4.2", dictionary: "FIX42.xml")
        harness.receive(harness.counterparty.message("0", seq: 2, "112=A|112=B|"))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[371]?.int == 112)
        #expect(harness.sent(0)[373] == nil) // 13, Tag appears more than once, is FIX 4.3's
        harness.clear()
        harness.receive(harness.counterparty.message("0", seq: 3, "999=X|"))
        #expect(harness.sent(0)[373]?.int == 0)
    }

    @Test func beforeFIX42AnUnsupportedMessageGetsASessionReject() throws {
        var harness = try Self.harness("FIX.4.1")
        let order = try FIXMessage(parsing: harness.counterparty.newOrder(seq: 2))
        harness.record(harness.machine.businessReject(order, reason: 3, text: "Unsupported Message Type", now: harness.now))
        #expect(harness.sentTypes == ["3"])
        #expect(harness.sent(0)[45]?.int == 2)
        #expect(harness.sent(0)[380] == nil)
    }

    @Test func beforeFIX42AResendRequestRunsTo999999() throws {
        var harness = try Self.harness("FIX.4.0")
        harness.receive(harness.counterparty.message("0", seq: 5))
        #expect(harness.sentTypes == ["2"])
        #expect(harness.sent(0)[16]?.int == 999_999)
    }
}
