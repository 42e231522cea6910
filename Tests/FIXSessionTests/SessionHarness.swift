import FIXCodec
import FIXDictionary
@testable import FIXSession
import TestSupport

/// Drives a ``SessionStateMachine`` with a ``Counterparty`` and reads what it did.
struct SessionHarness {
    var machine: SessionStateMachine
    var counterparty = Counterparty()
    var now = TestClock.start
    /// Everything the machine asked to send, in order (new, queued and resends).
    var sent: [SessionOutbound] = []
    var delivered: [FIXMessage] = []
    var disconnects: [String] = []
    var events: [SessionEvent] = []
    var replays: [(begin: Int, end: Int)] = []

    static func configuration(role: SessionRole = .acceptor, heartBtInt: Int = 30,
                              _ adjust: (inout SessionConfiguration) -> Void = { _ in }) -> SessionConfiguration {
        var configuration = SessionConfiguration(
            id: SessionID(beginString: "FIX.4.4", senderCompID: "WELLHEAD", targetCompID: "OMS1"),
            role: role, dictionary: TestDictionaries.fix44, heartBtInt: heartBtInt)
        adjust(&configuration)
        return configuration
    }

    init(_ configuration: SessionConfiguration = Self.configuration(), sender: Int = 1, target: Int = 1) {
        machine = SessionStateMachine(configuration: configuration, nextSenderSeqNum: sender, nextTargetSeqNum: target)
    }

    /// An acceptor harness already logged on with both sides at sequence 2.
    static func loggedOn(_ configuration: SessionConfiguration = Self.configuration()) -> SessionHarness {
        var harness = SessionHarness(configuration)
        harness.connect()
        harness.receive(harness.counterparty.logon())
        harness.clear()
        return harness
    }

    mutating func clear() {
        sent.removeAll()
        delivered.removeAll()
        disconnects.removeAll()
        events.removeAll()
        replays.removeAll()
    }

    mutating func record(_ actions: [SessionAction]) {
        for action in actions {
            switch action {
            case .send(let outbound): sent.append(outbound)
            case .deliver(let message): delivered.append(message)
            case .disconnect(let reason): disconnects.append(reason)
            case .replay(let begin, let end): replays.append((begin, end))
            case .event(let event): events.append(event)
            case .sequenceNumbersReset: break
            }
        }
    }

    mutating func connect() { record(machine.connected(now: now)) }
    mutating func receive(_ bytes: [UInt8]) { record(machine.received(bytes, now: now)) }
    mutating func advance(seconds: Double) {
        now = TestClock.after(seconds: seconds, from: now)
        record(machine.tick(now: now))
    }

    /// The messages sent, parsed.
    var sentMessages: [FIXMessage] { sent.map { try! FIXMessage(parsing: $0.bytes) } }
    var sentTypes: [String] { sentMessages.map { $0.msgType ?? "?" } }
    func sent(_ index: Int) -> FIXMessage { sentMessages[index] }
}
