import FIXCodec
import TestSupport
import Testing

/// A BodyLength that is wrong is framed as QuickFIX frames it (scenario 2m of its acceptance
/// suite): the bad message runs to the next CheckSum at or after where it claims to end.
@Suite struct FIXFramerBodyLengthTests {
    let framer = FIXFramer()
    let order = FIXText.message("35=D|34=4|49=TW44|52=20261206-10:00:00|56=ISLD|11=ID|21=3|40=1|54=1|55=INTC|60=20261206-10:00:00|")
    let next = FIXText.message("35=D|34=5|49=TW44|52=20261206-10:00:00|56=ISLD|11=ID|21=3|40=1|54=1|55=INTC|60=20261206-10:00:00|")

    /// `order` with its BodyLength replaced.
    func claiming(_ length: Int) -> [UInt8] {
        let text = FIXText.show(order)
        let start = text.range(of: "|9=")!.upperBound
        let end = text[start...].firstIndex(of: "|")!
        return FIXText.raw(String(text[..<start]) + String(length) + String(text[end...]))
    }

    var trueLength: Int {
        let text = FIXText.show(order)
        let start = text.range(of: "|9=")!.upperBound
        return Int(text[start..<text[start...].firstIndex(of: "|")!])!
    }

    @Test func aLengthTooShortDropsOnlyThatMessage() {
        let bad = claiming(trueLength - 40)
        guard case let .garbled(.bodyLengthMismatch, discard) = framer.frame(bad + next) else {
            Issue.record("expected a body length mismatch")
            return
        }
        #expect(discard == bad.count)
        #expect(framer.frame(Array((bad + next)[discard...])) == .message(length: next.count))
    }

    @Test func aLengthTooLongSwallowsTheNextMessageToo() {
        let bad = claiming(trueLength + 20)
        let after = FIXText.message("35=0|34=6|49=TW44|52=20261206-10:00:00|56=ISLD|")
        let stream = bad + next + after
        guard case let .garbled(.bodyLengthMismatch, discard) = framer.frame(stream) else {
            Issue.record("expected a body length mismatch")
            return
        }
        #expect(discard == bad.count + next.count)
        #expect(framer.frame(Array(stream[discard...])) == .message(length: after.count))
    }

    @Test func aLengthTooLongWaitsForTheCheckSumItRunsInto() {
        let bad = claiming(trueLength + 20)
        // The claimed end lies inside the next message, whose CheckSum has not arrived yet.
        let partial = bad + next.prefix(next.count - 8)
        #expect(framer.frame(Array(partial)) == .incomplete)
    }
}
