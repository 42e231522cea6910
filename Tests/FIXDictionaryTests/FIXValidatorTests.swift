import FIXCodec
import FIXDictionary
import TestSupport
import Testing

@Suite struct FIXValidatorTests {
    static let now = FIXTimestamp("20261124-10:00:00.000")!
    static let header = "49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|"
    static let order = "11=ord-1|55=CLZ6|54=1|60=20261124-10:00:00.000|38=5|40=2|44=71.25|59=0|"

    /// What validating `35=<type>|` + header + `body` gives, with the default options unless given.
    private func rejection(_ body: String, msgType: String = "D", header: String = header,
                           options: FIXValidationOptions = FIXValidationOptions()) throws -> FIXRejection? {
        let message = try FIXParser(dataFields: TestDictionaries.fix44.dataFields)
            .parse(FIXText.message("35=\(msgType)|" + header + body))
        do {
            try FIXValidator(dictionary: TestDictionaries.fix44, options: options).validate(message, now: Self.now)
            return nil
        } catch {
            return error
        }
    }

    private func expectReject(_ body: String, _ reason: FIXSessionRejectReason, tag: Int?, msgType: String = "D",
                              header: String = header, options: FIXValidationOptions = FIXValidationOptions(),
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try rejection(body, msgType: msgType, header: header, options: options)
        #expect(result?.reason == reason, "\(result.map(String.init(describing:)) ?? "accepted")", sourceLocation: sourceLocation)
        #expect(result?.refTagID == tag, sourceLocation: sourceLocation)
        #expect(result?.refMsgType == msgType, sourceLocation: sourceLocation)
    }

    @Test func acceptsAValidNewOrderSingle() throws {
        #expect(try rejection(Self.order) == nil)
    }

    @Test func acceptsAnExecutionReportWithPartiesAndNestedSubIDs() throws {
        let report = "37=O-1|17=E-1|150=F|39=2|453=2|448=DESK1|447=D|452=1|802=1|523=OIL|803=4|448=T7|447=D|452=11|"
            + "55=CLZ6|54=1|38=5|32=5|31=71.25|151=0|14=5|6=71.25|"
        #expect(try rejection(report, msgType: "8") == nil)
    }

    @Test func acceptsALogonWithRawDataHoldingSOH() throws {
        #expect(try rejection("98=0|108=30|95=5|96=ab|cd|", msgType: "A") == nil)
    }

    @Test func invalidTagNumber() throws {
        try expectReject(Self.order + "4x9=1|", .invalidTagNumber, tag: nil)
        // QuickFIX names the tag as written when it is a number, even zero or negative.
        try expectReject(Self.order + "0=HI|", .invalidTagNumber, tag: 0)
        try expectReject(Self.order + "-1=HI|", .invalidTagNumber, tag: -1)
    }

    @Test func requiredTagMissing() throws {
        try expectReject(Self.order.replacingOccurrences(of: "11=ord-1|", with: ""), .requiredTagMissing, tag: 11)
        try expectReject(Self.order, .requiredTagMissing, tag: 34, header: "49=OMS1|56=WELLHEAD|52=20261124-10:00:00.000|")
        // OrdType is required in the body of an order.
        try expectReject(Self.order.replacingOccurrences(of: "40=2|", with: ""), .requiredTagMissing, tag: 40)
    }

    @Test func tagNotDefinedForMessageType() throws {
        try expectReject(Self.order + "112=TEST|", .tagNotDefinedForMessageType, tag: 112)
        var options = FIXValidationOptions()
        options.allowUnknownMessageFields = true
        #expect(try rejection(Self.order + "112=TEST|", options: options) == nil)
    }

    @Test func aTagNotInTheDictionaryIsAnInvalidTagNumber() throws {
        try expectReject(Self.order + "4999=1|", .invalidTagNumber, tag: 4999)
        try expectReject(Self.order + "5999=1|", .invalidTagNumber, tag: 5999)
        var options = FIXValidationOptions()
        options.validateUserDefinedFields = false
        #expect(try rejection(Self.order + "5999=1|", options: options) == nil)
        try expectReject(Self.order + "4999=1|", .invalidTagNumber, tag: 4999, options: options)
    }

    @Test func tagWithoutValue() throws {
        try expectReject(Self.order.replacingOccurrences(of: "11=ord-1|", with: "11=|"), .tagSpecifiedWithoutValue, tag: 11)
        var options = FIXValidationOptions()
        options.validateFieldsHaveValues = false
        #expect(try rejection(Self.order.replacingOccurrences(of: "44=71.25|", with: "44=|"), options: options) == nil)
    }

    @Test func valueOutOfRange() throws {
        try expectReject(Self.order.replacingOccurrences(of: "54=1|", with: "54=Z|"), .valueIsIncorrect, tag: 54)
        try expectReject(Self.order.replacingOccurrences(of: "40=2|", with: "40=Z|"), .valueIsIncorrect, tag: 40)
        // A char field with two characters is a format fault before it is a range fault.
        try expectReject(Self.order.replacingOccurrences(of: "40=2|", with: "40=22|"), .incorrectDataFormat, tag: 40)
        // ExecInst is a MultipleValueString: every token must be a valid value.
        #expect(try rejection(Self.order + "18=1 2|") == nil)
        try expectReject(Self.order + "18=1 ~|", .valueIsIncorrect, tag: 18)
    }

    @Test func incorrectDataFormat() throws {
        try expectReject(Self.order.replacingOccurrences(of: "38=5|", with: "38=+200.00|"), .incorrectDataFormat, tag: 38)
        try expectReject(Self.order.replacingOccurrences(of: "44=71.25|", with: "44=71,25|"), .incorrectDataFormat, tag: 44)
        try expectReject(Self.order.replacingOccurrences(of: "60=20261124-10:00:00.000|", with: "60=20261124 10:00|"),
                         .incorrectDataFormat, tag: 60)
        try expectReject(Self.order, .incorrectDataFormat, tag: 34, header: "49=OMS1|56=WELLHEAD|34=two|52=20261124-10:00:00.000|")
        try expectReject(Self.order + "453=x|", .incorrectDataFormat, tag: 453)
        // A negative price is a valid price.
        #expect(try rejection(Self.order.replacingOccurrences(of: "44=71.25|", with: "44=-37.63|")) == nil)
    }

    @Test func sendingTimeAccuracy() throws {
        try expectReject(Self.order, .sendingTimeAccuracyProblem, tag: 52,
                         header: "49=OMS1|56=WELLHEAD|34=2|52=20261124-09:57:59.000|")
        #expect(try rejection(Self.order, header: "49=OMS1|56=WELLHEAD|34=2|52=20261124-09:58:01.000|") == nil)
        var options = FIXValidationOptions()
        options.checkLatency = false
        #expect(try rejection(Self.order, header: "49=OMS1|56=WELLHEAD|34=2|52=20261120-09:00:00.000|", options: options) == nil)
        options.checkLatency = true
        options.maxLatencySeconds = 1
        try expectReject(Self.order, .sendingTimeAccuracyProblem, tag: 52,
                         header: "49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:02.000|", options: options)
    }

    @Test func invalidMsgType() throws {
        try expectReject("58=hello|", .invalidMsgType, tag: 35, msgType: "ZZ")
    }

    @Test func tagRepeated() throws {
        try expectReject(Self.order + "11=ord-2|", .tagAppearsMoreThanOnce, tag: 11)
        try expectReject(Self.order, .tagAppearsMoreThanOnce, tag: 49,
                         header: "49=OMS1|49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|")
    }

    @Test func tagOutOfOrder() throws {
        try expectReject(Self.order + "50=TRADER|", .tagSpecifiedOutOfRequiredOrder, tag: 50)
        try expectReject(Self.order + "93=3|89=abc|58=late|", .tagSpecifiedOutOfRequiredOrder, tag: 58)
        var options = FIXValidationOptions()
        options.validateFieldsOutOfOrder = false
        #expect(try rejection(Self.order + "50=TRADER|", options: options) == nil)
    }

    @Test func repeatingGroupFieldsOutOfOrder() throws {
        // The first field of an entry must be the delimiter, PartyID (448).
        try expectReject(Self.order + "453=1|447=D|448=DESK1|452=1|", .repeatingGroupFieldsOutOfOrder, tag: 447)
        // Members follow the dictionary's order: 448, 447, 452.
        try expectReject(Self.order + "453=1|448=DESK1|452=1|447=D|", .repeatingGroupFieldsOutOfOrder, tag: 447)
    }

    @Test func numInGroupCountWrong() throws {
        try expectReject(Self.order + "453=2|448=DESK1|447=D|452=1|", .incorrectNumInGroupCount, tag: 453)
        try expectReject(Self.order + "453=1|448=DESK1|447=D|452=1|448=T7|447=D|452=11|", .incorrectNumInGroupCount, tag: 453)
        try expectReject(Self.order + "453=0|448=DESK1|", .incorrectNumInGroupCount, tag: 453)
        // A count of zero with no entries is valid.
        #expect(try rejection(Self.order + "453=0|") == nil)
        // Nested: two PartySubIDs declared, one present.
        try expectReject(Self.order + "453=1|448=DESK1|447=D|452=1|802=2|523=OIL|803=4|", .incorrectNumInGroupCount, tag: 802)
    }

    @Test func requiredFieldInAGroupEntry() throws {
        // NoLegs in a NewOrderMultileg: every field of an entry is checked, including required ones.
        try expectReject(Self.order + "453=1|448=DESK1|447=D|452=1|802=1|803=4|", .repeatingGroupFieldsOutOfOrder, tag: 803)
    }

    @Test func everyRejectReasonHasFIXText() {
        #expect(FIXSessionRejectReason.incorrectNumInGroupCount.text == "Incorrect NumInGroup count for repeating group")
        let rejection = FIXRejection(.requiredTagMissing, refTagID: 11, refMsgType: "D")
        #expect(rejection.text == "Required tag missing, field=11")
    }
}
