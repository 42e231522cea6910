import FIXCodec
import TestSupport
import Testing

@Suite struct FIXMessageBuilderTests {
    @Test func computesBodyLengthAndCheckSum() throws {
        var builder = FIXMessageBuilder(msgType: "0")
        builder.header.append(49, "A")
        builder.header.append(56, "B")
        builder.header.append(34, 2)
        builder.header.append(52, "20261124-10:00:00.000")
        let encoded = builder.encode()
        #expect(encoded == FIXText.message("35=0|49=A|56=B|34=2|52=20261124-10:00:00.000|"))
        #expect(FIXFramer().frame(encoded) == .message(length: encoded.count))
    }

    @Test func headerBodyTrailerOrderAndTypedValues() throws {
        var builder = FIXMessageBuilder(msgType: "8")
        builder.body.append(37, "O-1")
        builder.body.append(31, FIXDecimal("-37.63")!)
        builder.body.append(32, FIXDecimal(2))
        builder.body.append(43, true)
        builder.body.append(54, char: UInt8(ascii: "2"))
        builder.body.append(60, FIXTimestamp("20200420-18:30:00.000")!)
        builder.body.append(75, FIXDate(year: 2020, month: 4, day: 20))
        builder.body.append(200, FIXMonthYear(year: 2020, month: 5))
        builder.header.append(49, "VENUE")
        builder.trailer.append(93, 3)
        builder.trailer.append(89, "sig")
        let message = try FIXMessage(parsing: builder.encode())
        let tags = (0..<message.count).map { message.tag(at: $0) }
        #expect(tags == [8, 9, 35, 49, 37, 31, 32, 43, 54, 60, 75, 200, 93, 89, 10])
        #expect(message[31]?.string == "-37.63")
        #expect(message[60]?.string == "20200420-18:30:00.000")
        #expect(message[75]?.string == "20200420")
        #expect(message[200]?.string == "202005")
    }

    @Test func groupsAndDataFields() throws {
        var first = FIXFieldList()
        first.append(448, "DESK1")
        first.append(447, char: UInt8(ascii: "D"))
        first.append(452, 1)
        var second = FIXFieldList()
        second.append(448, "TRADER7")
        second.append(447, char: UInt8(ascii: "D"))
        second.append(452, 11)
        var builder = FIXMessageBuilder(msgType: "D")
        builder.body.append(11, "ord-1")
        builder.body.appendGroup(453, [first, second])
        builder.body.append(96, data: [0x41, 0x01, 0x42], lengthTag: 95)
        let message = try FIXMessage(parsing: builder.encode())
        #expect(message[453]?.int == 2)
        #expect(message.values(of: 448).map(\.string) == ["DESK1", "TRADER7"])
        #expect(message[96]?.bytes.elementsEqual([0x41, 0x01, 0x42]) == true)
    }

    @Test func negativeAndZeroIntegers() throws {
        var builder = FIXMessageBuilder(msgType: "0")
        builder.body.append(1000, 0)
        builder.body.append(1001, -42)
        builder.body.append(1002, Int.max)
        let message = try FIXMessage(parsing: builder.encode())
        #expect(message[1000]?.int == 0)
        #expect(message[1001]?.int == -42)
        #expect(message[1002]?.string == String(Int.max))
    }
}
