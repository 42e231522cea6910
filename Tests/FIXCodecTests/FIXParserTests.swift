import FIXCodec
import TestSupport
import Testing

@Suite struct FIXParserTests {
    @Test func splitsFieldsInWireOrderWithoutCopying() throws {
        let bytes = FIXText.message("35=D|49=OMS1|56=WELLHEAD|34=7|52=20261124-10:00:00.000|11=ord-1|55=CLZ6|54=1|38=5|40=2|44=-1.25|")
        let message = try FIXMessage(parsing: bytes)
        #expect(message.tag(at: 0) == 8)
        #expect(message.tag(at: 1) == 9)
        #expect(message.tag(at: 2) == 35)
        #expect(message.msgType == "D")
        #expect(message.msgSeqNum == 7)
        #expect(message[55]?.string == "CLZ6")
        #expect(message[44]?.decimal == FIXDecimal("-1.25"))
        #expect(message[54]?.char == UInt8(ascii: "1"))
        #expect(message[54]?.equals("1") == true)
        #expect(message[9999] == nil)
        #expect(message.tag(at: message.count - 1) == 10)
        // Values are views into the message's own buffer.
        let value = try #require(message[11])
        #expect(value.bytes.startIndex > 0)
        #expect(Array(message.bytes[value.bytes.indices]) == Array("ord-1".utf8))
    }

    @Test func dataFieldMayHoldSOH() throws {
        let bytes = FIXText.message("35=B|49=A|56=B|34=2|52=20261124-10:00:00|148=x|95=8|96=a|10=1|b|33=0|")
        let message = try FIXMessage(parsing: bytes)
        #expect(message[96]?.bytes.elementsEqual([UInt8(ascii: "a"), 1, UInt8(ascii: "1"), UInt8(ascii: "0"), UInt8(ascii: "="),
                                                  UInt8(ascii: "1"), 1, UInt8(ascii: "b")]) == true)
        #expect(message[33]?.int == 0)
        #expect(message.values(of: 10).count == 1)
    }

    @Test func dataLengthThatDoesNotFitIsAnError() {
        let bytes = FIXText.message("35=B|49=A|56=B|95=50|96=short|")
        #expect(throws: FIXParseError.self) { try FIXMessage(parsing: bytes) }
    }

    @Test func emptyValueIsKeptForTheValidatorToJudge() throws {
        let message = try FIXMessage(parsing: FIXText.message("35=0|49=|56=B|"))
        #expect(message[49]?.isEmpty == true)
    }

    @Test func nonNumericTagIsMarkedInvalid() throws {
        let message = try FIXMessage(parsing: FIXText.message("35=0|4x9=A|56=B|-5=1|0=1|"))
        #expect(message.tag(at: 3) == 0)
        #expect(message.tag(at: 4) == 56)
        #expect(message.tag(at: 5) == 0)
        #expect(message.tag(at: 6) == 0)
    }

    @Test func missingEqualsAndUnterminatedFieldsAreErrors() {
        #expect(throws: FIXParseError.missingEquals(offset: 0)) { try FIXMessage(parsing: FIXText.raw("8FIX.4.4|")) }
        #expect(throws: FIXParseError.unterminatedField(offset: 0)) { try FIXMessage(parsing: FIXText.raw("8=FIX.4.4")) }
        #expect(throws: FIXParseError.empty) { try FIXMessage(parsing: []) }
    }

    @Test func typedAccessors() throws {
        let message = try FIXMessage(parsing: FIXText.message(
            "35=8|43=Y|97=N|60=20261124-10:00:00.123456|75=20261124|200=202612|38=+200.00|14=-3|151=007|"))
        #expect(message[43]?.bool == true)
        #expect(message[97]?.bool == false)
        #expect(message[60]?.timestamp?.precision == .microseconds)
        #expect(message[75]?.date == FIXDate(year: 2026, month: 11, day: 24))
        #expect(message[200]?.monthYear == FIXMonthYear(year: 2026, month: 12))
        #expect(message[38]?.decimal == nil, "FIX floats carry no '+' sign")
        #expect(message[38]?.int == nil)
        #expect(message[14]?.int == -3)
        #expect(message[151]?.int == 7)
    }
}
