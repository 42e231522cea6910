import FIXCodec
import Foundation

/// The other side of a FIX session in tests: writes messages as a counterparty would,
/// with its CompIDs, a sequence number and a SendingTime, from readable `|` text.
public struct Counterparty: Sendable {
    public var beginString: String
    public var senderCompID: String
    public var targetCompID: String

    public init(beginString: String = "FIX.4.4", senderCompID: String = "OMS1", targetCompID: String = "WELLHEAD") {
        self.beginString = beginString
        self.senderCompID = senderCompID
        self.targetCompID = targetCompID
    }

    /// `35=<msgType>|34=<seq>|49=…|52=<time>|56=…|` + `fields` (which end with `|`, or are empty).
    public func message(_ msgType: String, seq: Int, at time: FIXTimestamp = TestClock.start,
                        header: String = "", _ fields: String = "") -> [UInt8] {
        FIXText.message("35=\(msgType)|34=\(seq)|49=\(senderCompID)|52=\(time)|56=\(targetCompID)|\(header)\(fields)",
                        beginString: beginString)
    }

    public func logon(seq: Int = 1, heartBtInt: Int = 30, reset: Bool = false, at time: FIXTimestamp = TestClock.start) -> [UInt8] {
        message("A", seq: seq, at: time, "98=0|108=\(heartBtInt)|" + (reset ? "141=Y|" : ""))
    }

    /// A valid FIX 4.4 NewOrderSingle for CL.
    public func newOrder(seq: Int, clOrdID: String = "ORD1", at time: FIXTimestamp = TestClock.start,
                         header: String = "") -> [UInt8] {
        message("D", seq: seq, at: time, header: header,
                "11=\(clOrdID)|55=CLZ6|54=1|60=\(time)|38=5|40=2|44=71.25|")
    }
}

/// Fixed instants for deterministic session tests.
public enum TestClock {
    /// 2026-11-24 14:00:00.000 UTC.
    public static let start = FIXTimestamp(nanosecondsSinceEpoch: 1_795_528_800_000_000_000)

    /// The real time now, for tests against a running engine.
    public static func wall() -> FIXTimestamp {
        FIXTimestamp(nanosecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1_000_000) * 1_000)
    }

    public static func after(seconds: Double, from base: FIXTimestamp = start) -> FIXTimestamp {
        FIXTimestamp(nanosecondsSinceEpoch: base.nanosecondsSinceEpoch + Int64(seconds * 1_000_000_000))
    }
}
