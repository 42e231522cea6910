import FIXCodec
import TestSupport
import Testing

/// Generated-input properties: whatever the encoder writes the parser reads back, and the
/// framer neither crashes nor stalls on arbitrary bytes.
@Suite struct CodecPropertyTests {
    @Test func encodeThenParseRoundTrips() throws {
        var random = SeededRandom(seed: 0x5EED)
        for _ in 0..<2_000 {
            var builder = FIXMessageBuilder(msgType: random.msgType())
            builder.header.append(49, random.text())
            builder.header.append(34, random.next(upTo: 1_000_000))
            var expected: [(Int, [UInt8])] = []
            for _ in 0..<random.next(upTo: 30) {
                let tag = 100 + random.next(upTo: 4000)
                guard !FIXDataFields.standard.contains(tag) else { continue }
                switch random.next(upTo: 4) {
                case 0:
                    let value = random.decimal()
                    builder.body.append(tag, value)
                    expected.append((tag, Array(value.description.utf8)))
                case 1:
                    let value = random.next(upTo: Int(Int32.max)) - Int(Int32.max) / 2
                    builder.body.append(tag, value)
                    expected.append((tag, Array(String(value).utf8)))
                case 2:
                    let value = random.text()
                    builder.body.append(tag, value)
                    expected.append((tag, Array(value.utf8)))
                default:
                    let data = (0..<random.next(upTo: 40)).map { _ in UInt8(random.next(upTo: 256)) }
                    builder.body.append(96, data: data, lengthTag: 95)
                    expected.append((95, Array(String(data.count).utf8)))
                    expected.append((96, data))
                }
            }
            let bytes = builder.encode()
            #expect(FIXFramer().frame(bytes) == .message(length: bytes.count))
            let message = try FIXMessage(parsing: bytes)
            let body = (5..<(message.count - 1)).map { (message.tag(at: $0), Array(message.value(at: $0).bytes)) }
            #expect(body.map(\.0) == expected.map(\.0))
            #expect(body.map(\.1) == expected.map(\.1))
        }
    }

    @Test func framerNeverCrashesOrStallsOnArbitraryBytes() {
        var random = SeededRandom(seed: 42)
        let framer = FIXFramer(maximumBodyLength: 4096)
        let valid = FIXText.message("35=0|49=A|56=B|34=2|52=20261124-10:00:00.000|")
        for round in 0..<3_000 {
            // Random bytes, biased toward FIX-looking text, sometimes with real messages inside.
            var stream: [UInt8] = []
            for _ in 0..<random.next(upTo: 400) {
                switch random.next(upTo: 6) {
                case 0: stream.append(0x01)
                case 1: stream.append(contentsOf: Array("8=FIX.4.4".utf8))
                case 2: stream.append(contentsOf: Array("9=\(random.next(upTo: 60))".utf8))
                case 3: stream.append(contentsOf: Array("35=0\u{01}10=".utf8))
                case 4 where round % 5 == 0: stream.append(contentsOf: valid)
                default: stream.append(UInt8(random.next(upTo: 256)))
                }
            }
            var offset = 0
            var steps = 0
            while offset < stream.count {
                steps += 1
                guard steps <= stream.count + 1 else {
                    Issue.record("framer stalled at offset \(offset) of round \(round)")
                    return
                }
                let frame = Array(stream[offset...]).withUnsafeBytes { framer.frame($0) }
                switch frame {
                case let .message(length):
                    #expect(length > 0 && offset + length <= stream.count)
                    offset += length
                case let .garbled(_, discard):
                    #expect(discard > 0)
                    offset += discard
                case .incomplete:
                    offset = stream.count
                }
            }
        }
    }

    @Test func parserNeverCrashesOnArbitraryBytes() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<5_000 {
            let alphabet: [UInt8] = Array("0123456789=|ab-.".utf8).map { $0 == UInt8(ascii: "|") ? 1 : $0 }
            let bytes = (0..<random.next(upTo: 80)).map { _ in alphabet[random.next(upTo: alphabet.count)] }
            if let message = try? FIXMessage(parsing: bytes) {
                for position in 0..<message.count {
                    #expect(message.value(at: position).bytes.endIndex <= bytes.count)
                }
            }
        }
    }
}
