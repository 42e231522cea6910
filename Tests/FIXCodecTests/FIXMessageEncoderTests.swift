import FIXCodec
import TestSupport
import Testing

@Suite struct FIXMessageEncoderTests {
    /// The same fields through the builder (header, body) and through the encoder.
    private func bothWays(msgType: String, _ fields: (inout FIXFieldList) -> Void,
                          _ encoded: (inout FIXMessageEncoder) -> Void) -> ([UInt8], [UInt8]) {
        var builder = FIXMessageBuilder(msgType: msgType)
        fields(&builder.body)
        var encoder = FIXMessageEncoder(msgType: msgType)
        encoded(&encoder)
        return (builder.encode(), encoder.encode())
    }

    @Test func encodesWhatTheBuilderEncodes() throws {
        let stamp = try #require(FIXTimestamp("20260115-14:30:00.125"))
        func fields(_ list: inout some FIXFieldWriter & ~Copyable) {
            list.append(34, 2051)
            list.append(49, "WELLHEAD")
            list.append(52, stamp)
            list.append(44, FIXDecimal(mantissa: -3763, scale: 2))
            list.append(54, char: UInt8(ascii: "1"))
            list.append(43, true)
            list.append(75, FIXDate(year: 2020, month: 4, day: 20))
            list.append(200, FIXMonthYear(year: 2026, month: 12, week: 3))
            list.append(273, FIXTimeOfDay(hour: 9, minute: 5, second: 7, nanosecond: 1_000, precision: .microseconds))
            list.append(58, "déjà vu")
            list.append(1, "" as StaticString)
        }
        let (built, encoded) = bothWays(msgType: "8", { fields(&$0) }, { fields(&$0) })
        #expect(encoded == built)
        #expect(FIXFramer().frame(encoded) == .message(length: encoded.count))
        let message = try FIXParser().parse(encoded)
        #expect(message[44]?.decimal == FIXDecimal(mantissa: -3763, scale: 2))
        #expect(message[58]?.string == "déjà vu")
    }

    @Test func bodyLengthsOfEveryDigitCount() throws {
        // BodyLength of one, two, three, four and five digits.
        for length in [0, 5, 60, 700, 9_000, 20_000] {
            var encoder = FIXMessageEncoder(msgType: "0", capacity: 16)
            if length > 0 { encoder.append(58, String(repeating: "x", count: length)) }
            let encoded = encoder.encode()
            var builder = FIXMessageBuilder(msgType: "0")
            if length > 0 { builder.body.append(58, String(repeating: "x", count: length)) }
            #expect(encoded == builder.encode())
            #expect(FIXFramer().frame(encoded) == .message(length: encoded.count))
        }
    }

    @Test func outgrowsItsCapacityAndIsReused() throws {
        var encoder = FIXMessageEncoder(beginString: "FIXT.1.1", msgType: "X", capacity: 8)
        for round in 0..<3 {
            for index in 0..<200 { encoder.append(270, FIXDecimal(mantissa: Int64(index * round), scale: 2)) }
            let message = try FIXParser().parse(encoder.encode())
            #expect(message.beginString == "FIXT.1.1")
            #expect(message.msgType == "X")
            #expect(message.values(of: 270).count == 200)
        }
        // After encode() the next message of the same type starts empty; reset changes the type.
        #expect(try FIXParser().parse(encoder.encode()).count == 4)
        encoder.reset(msgType: "AE")
        encoder.append(571, "T1")
        let message = try FIXParser().parse(encoder.encode())
        #expect(message.msgType == "AE")
        #expect(message[571]?.string == "T1")
    }

    @Test func copiesAFieldList() throws {
        var parties = FIXFieldList()
        parties.append(453, 1)
        parties.append(448, "DESK1")
        var encoder = FIXMessageEncoder(msgType: "D")
        encoder.append(11, "ord-1")
        encoder.append(contentsOf: parties)
        var builder = FIXMessageBuilder(msgType: "D")
        builder.body.append(11, "ord-1")
        builder.body.append(contentsOf: parties)
        #expect(encoder.encode() == builder.encode())
    }

    @Test func aFieldListReservedToItsSizeHoldsExactlyItsFields() {
        // Each append reserves the field's exact length, so nothing is lost or padded.
        var list = FIXFieldList(reservingCapacity: 9)
        list.append(44, FIXDecimal(mantissa: 7525, scale: 2))
        #expect(list.bytes == Array("44=75.25\u{01}".utf8))
        list.append(1, -5)
        #expect(FIXText.show(list.bytes) == "44=75.25|1=-5|")
    }
}
