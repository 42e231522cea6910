import FIXCodec
import TestSupport
import Testing

@Suite struct FIXFramerTests {
    let framer = FIXFramer()
    let heartbeat = FIXText.message("35=0|49=A|56=B|34=2|52=20261124-10:00:00.000|")

    @Test func framesAWholeMessage() {
        #expect(framer.frame(heartbeat) == .message(length: heartbeat.count))
    }

    @Test func everyPrefixIsIncomplete() {
        for length in 0..<heartbeat.count {
            #expect(framer.frame(Array(heartbeat[0..<length])) == .incomplete, "prefix of \(length) bytes")
        }
    }

    @Test func framesTheFirstOfSeveral() {
        let second = FIXText.message("35=1|49=A|56=B|34=3|52=20261124-10:00:00.000|112=T|")
        #expect(framer.frame(heartbeat + second) == .message(length: heartbeat.count))
    }

    @Test func badCheckSumIsGarbled() {
        var bytes = heartbeat
        let index = bytes.count - 2
        bytes[index] = bytes[index] == UInt8(ascii: "9") ? UInt8(ascii: "0") : bytes[index] + 1
        guard case let .garbled(reason, discard) = framer.frame(bytes) else {
            Issue.record("expected garbled")
            return
        }
        guard case .checkSumMismatch = reason else { Issue.record("reason \(reason)"); return }
        #expect(discard == bytes.count)
        // QuickFIX's ValidateLengthAndChecksum=N lets the checksum value through.
        #expect(FIXFramer(validateChecksum: false).frame(bytes) == .message(length: bytes.count))
    }

    @Test func wrongBodyLengthIsGarbled() {
        let text = FIXText.show(heartbeat).replacingOccurrences9()
        let bytes = FIXText.raw(text)
        guard case .garbled(.bodyLengthMismatch, _) = framer.frame(bytes + heartbeat) else {
            Issue.record("expected a body length mismatch, got \(framer.frame(bytes))")
            return
        }
    }

    @Test func firstThreeFieldsOutOfOrderAreGarbled() {
        #expect(garbledReason(FIXText.raw("9=5|8=FIX.4.4|35=0|10=000|")) == .beginStringNotFirst)
        #expect(garbledReason(FIXText.raw("8=FIX.4.4|35=0|9=5|10=000|")) == .bodyLengthNotSecond)
        #expect(garbledReason(FIXText.raw("8=FIX.4.4|9=5|49=A|35=0|10=000|")) == .msgTypeNotThird)
        #expect(garbledReason(FIXText.raw("8=FIX.4.4|9=x5|35=0|10=000|")) == .badBodyLength)
        #expect(garbledReason(FIXText.raw("8=FIX.4.4|9=|35=0|10=000|")) == .badBodyLength)
        #expect(garbledReason(FIXText.raw("8=FIX.4.4|9=99999999|35=0|")) == .tooLong(99_999_999))
    }

    @Test func garbageIsSkippedToTheNextMessage() {
        let stream = FIXText.raw("garbage|more|") + heartbeat
        guard case let .garbled(_, discard) = framer.frame(stream) else { Issue.record("expected garbled"); return }
        #expect(Array(stream[discard...]) == heartbeat)
    }

    @Test func dataFieldContainingSOHAnd10Equals() {
        // RawData (96) holding SOH and "10=" must not end the frame early.
        let message = FIXText.message("35=B|49=A|56=B|34=2|52=20261124-10:00:00|148=x|95=8|96=a|10=1|b|33=0|")
        #expect(framer.frame(message) == .message(length: message.count))
    }

    private func garbledReason(_ bytes: [UInt8]) -> FIXGarbledReason? {
        if case let .garbled(reason, _) = framer.frame(bytes) { return reason }
        return nil
    }
}

private extension String {
    /// Bumps BodyLength by one so it points one byte past where CheckSum starts.
    func replacingOccurrences9() -> String {
        guard let range = range(of: "|9=") else { return self }
        let start = range.upperBound
        let end = self[start...].firstIndex(of: "|")!
        let length = Int(self[start..<end])! + 1
        return String(self[..<start]) + String(length) + String(self[end...])
    }
}
