import FIXCodec
@testable import FIXDictionary
import TestSupport
import Testing

/// The compiled validator (``ValidationPlan`` tables, pointers, packed enumerations) must
/// decide exactly as the straightforward walk over the dictionary's own layouts does: same
/// acceptance, same SessionRejectReason, RefTagID, RefMsgType and text, for every message
/// and every combination of options.
@Suite struct ValidatorEquivalenceTests {
    static let header = "49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|"
    static let bases = [
        "35=D|" + header + "11=ord-1|1=DESK1|453=2|448=DESK1|447=D|452=1|802=1|523=OIL|803=4|448=T7|447=D|452=11|"
            + "21=1|55=CLZ6|207=NYMEX|54=1|60=20261124-10:00:00.000|38=5|40=2|44=71.25|59=0|18=1 2|",
        "35=8|" + header + "37=O-1|17=E-1|150=F|39=2|453=2|448=DESK1|447=D|452=1|802=1|523=OIL|803=4|448=T7|447=D|452=11|"
            + "55=CLZ6|200=202612|54=1|38=5|32=5|31=71.25|151=0|14=5|6=71.25|75=20261124|60=20261124-10:00:00.123456|",
        "35=A|" + header + "98=0|108=30|95=5|96=ab|cd|",
        "35=V|" + header + "262=req-1|263=1|264=5|267=2|269=0|269=1|146=1|55=CLZ6|",
        "35=3|" + header + "45=7|371=44|372=D|373=5|58=text|",
    ]
    /// Fields to splice in: unknown, user-defined, wrong-message, header and trailer tags,
    /// group members out of place, and malformed tags.
    static let strangers = [
        "4999=1", "5999=1", "9999=", "112=TEST", "50=TRADER", "10=000", "93=3", "89=abc", "34=3", "8=FIX.4.4",
        "35=D", "448=X", "447=Z", "452=99", "802=2", "523=A", "0=HI", "-1=HI", "4x9=1", "453=1", "453=0", "58=",
        "18=1 ~", "18=", "40=22", "54=Z", "44=-37.63", "38=+200.00", "60=20261124 10:00", "200=2026w1", "75=20260230",
        "263=X", "1128=9", "43=Y", "43=M", "97=N",
    ]
    static let noise = ["", "=", "x", "-1", "0", "999999999999999999999", "1.5", "+2", "20261124-25:00:00", "Y", "~", "2 1"]

    @Test func compiledAndReferenceWalksAgreeOnMutatedMessages() throws {
        let dictionary = TestDictionaries.fix44
        let parser = FIXParser(dataFields: dictionary.dataFields)
        var random = SeededRandom(seed: 2026_11_25)
        var optionSets: [FIXValidationOptions] = []
        for bits in 0..<16 {
            var options = FIXValidationOptions()
            options.validateFieldsOutOfOrder = bits & 1 == 0
            options.validateFieldsHaveValues = bits & 2 == 0
            options.validateUserDefinedFields = bits & 4 == 0
            options.allowUnknownMessageFields = bits & 8 != 0
            options.checkLatency = false
            optionSets.append(options)
        }
        let validators = optionSets.map { FIXValidator(dictionary: dictionary, options: $0) }
        var compared = 0, accepted = 0
        for round in 0..<6_000 {
            var fields = Self.bases[round % Self.bases.count].split(separator: "|", omittingEmptySubsequences: false)
                .dropLast().map(String.init)
            for _ in 0..<random.next(upTo: 4) {
                let index = 1 + random.next(upTo: fields.count - 1)
                switch random.next(upTo: 5) {
                case 0: fields.remove(at: index)
                case 1: fields.swapAt(index, 1 + random.next(upTo: fields.count - 1))
                case 2:
                    let tag = fields[index].split(separator: "=", maxSplits: 1).first.map(String.init) ?? "1"
                    fields[index] = tag + "=" + Self.noise[random.next(upTo: Self.noise.count)]
                case 3: fields.insert(Self.strangers[random.next(upTo: Self.strangers.count)], at: index)
                default: fields.insert(fields[random.next(upTo: fields.count)], at: index)
                }
                if fields.count < 2 { break }
            }
            let body = fields.joined(separator: "|") + "|"
            guard let message = try? parser.parse(FIXText.message(body)) else { continue }
            for validator in validators {
                let expected = ReferenceWalk.rejection(message, validator)
                let actual: FIXRejection?
                do {
                    try validator.validate(message)
                    actual = nil
                } catch {
                    actual = error
                }
                #expect(actual == expected, "\(FIXText.show(message.bytes)) options \(validator.options)")
                compared += 1
                if actual == nil { accepted += 1 }
            }
        }
        #expect(compared > 50_000 && accepted > 1_000)
    }

    @Test func messagesThatDoNotBeginWith8And9And35() throws {
        let validator = FIXValidator(dictionary: TestDictionaries.fix44)
        for text in ["9=5|8=FIX.4.4|35=0|10=000|", "8=FIX.4.4|35=0|9=5|10=000|", "8=FIX.4.4|9=5|", "8=FIX.4.4|9=5|35=|10=000|",
                     "8=FIX.4.4|9=5|35=ZZ|10=000|", "8=FIX.4.4|9=5|35=ABCDEFGHIJ|10=000|"] {
            let message = try FIXParser().parse(FIXText.raw(text))
            expectOutcome(ReferenceWalk.rejection(message, validator)) { () throws(FIXRejection) in try validator.validate(message) }
        }
    }

    @Test func fixtSessionWithAnApplicationDictionaryAgrees() throws {
        let spec = try QuickFIXSpecs.directory()
        let transport = try FIXDictionaryLoader.load(path: spec.appendingPathComponent("FIXT11.xml").path)
        let application = try FIXDictionaryLoader.load(path: spec.appendingPathComponent("FIX50SP2.xml").path)
        let validator = FIXValidator(dictionary: transport, application: application)
        let parser = FIXParser(dataFields: transport.dataFields)
        let bodies = [
            "35=D|49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|1128=9|11=ord-1|55=CLZ6|54=1|60=20261124-10:00:00.000|38=5|40=2|44=71.25|",
            "35=D|49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|11=ord-1|453=1|448=A|447=D|452=1|55=CLZ6|54=1|60=20261124-10:00:00.000|38=5|40=2|",
            "35=0|49=OMS1|56=WELLHEAD|34=3|52=20261124-10:00:00.000|",
            "35=0|49=OMS1|56=WELLHEAD|34=3|52=20261124-10:00:00.000|11=x|",
            "35=AE|49=OMS1|56=WELLHEAD|34=3|52=20261124-10:00:00.000|571=T1|",
            "35=D|49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|11=ord-1|54=9|",
        ]
        for body in bodies {
            let message = try parser.parse(FIXText.message(body, beginString: "FIXT.1.1"))
            let expected = ReferenceWalk.rejection(message, validator)
            expectOutcome(expected) { () throws(FIXRejection) in try validator.validate(message) }
        }
    }
}

/// Expects `body` to throw exactly `expected`, or nothing when it is `nil`.
private func expectOutcome(_ expected: FIXRejection?, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws(FIXRejection) -> Void) {
    var actual: FIXRejection?
    do { try body() } catch { actual = error }
    #expect(actual == expected, sourceLocation: sourceLocation)
}

/// The validation walk written plainly over ``FIXLayout``, ``FIXFieldType`` and
/// ``FIXEnumeration``: the behaviour the compiled tables must reproduce.
private struct ReferenceWalk {
    let validator: FIXValidator
    let message: FIXMessage
    var refMsgType: String?

    static func rejection(_ message: FIXMessage, _ validator: FIXValidator) -> FIXRejection? {
        var walk = ReferenceWalk(validator: validator, message: message)
        do {
            try walk.run()
            return nil
        } catch {
            return error
        }
    }

    private var options: FIXValidationOptions { validator.options }
    private func reject(_ reason: FIXSessionRejectReason, _ tag: Int?, _ detail: String? = nil) -> FIXRejection {
        FIXRejection(reason, refTagID: tag, refMsgType: refMsgType, detail: detail)
    }
    private func tag(_ index: Int) -> Int { message.tag(at: index) }
    private func value(_ index: Int) -> ArraySlice<UInt8> { message.value(at: index).bytes }

    mutating func run() throws(FIXRejection) {
        let count = message.count
        for (position, tag) in [(0, 8), (1, 9), (2, 35)] where position >= count || self.tag(position) != tag {
            throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "the message must begin with 8, 9 and 35")
        }
        let msgType = value(2)
        refMsgType = String(decoding: msgType, as: UTF8.self)
        guard !msgType.isEmpty else { throw reject(.tagSpecifiedWithoutValue, 35) }
        guard let definition = validator.application?.message(type: msgType) ?? validator.dictionary.message(type: msgType) else {
            throw reject(.invalidMsgType, 35, "MsgType \(refMsgType ?? "") is not in the data dictionary")
        }
        let header = validator.dictionary.header, trailer = validator.dictionary.trailer, body = definition.layout
        var headerSeen = Set<Int>(), bodySeen = Set<Int>(), trailerSeen = Set<Int>()
        for index in 0..<3 { if let position = header.position(of: tag(index)) { headerSeen.insert(position) } }
        var section = 0 // header, body, trailer
        var index = 3
        while index < count {
            let tag = tag(index)
            guard tag > 0 else { throw reject(.invalidTagNumber, tagText(index), "a tag is not a positive number") }
            if let position = header.position(of: tag) {
                if section != 0, options.validateFieldsOutOfOrder { throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "header field after the body") }
                index = try member(header, position, &headerSeen, index)
            } else if let position = trailer.position(of: tag) {
                section = 2
                if tag == 10, index != count - 1 { throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "CheckSum must be the last field") }
                index = try member(trailer, position, &trailerSeen, index)
            } else {
                if section == 2, options.validateFieldsOutOfOrder { throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "body field in the trailer") }
                section = 1
                if let position = body.position(of: tag) {
                    index = try member(body, position, &bodySeen, index)
                } else {
                    if !(tag >= 5000 && !options.validateUserDefinedFields) {
                        guard validator.fieldDefinition(tag) != nil else {
                            throw reject(.invalidTagNumber, tag, "tag \(tag) is not in the data dictionary")
                        }
                        try checkValue(tag, index)
                        if !options.allowUnknownMessageFields { throw reject(.tagNotDefinedForMessageType, tag) }
                    }
                    index += 1
                }
            }
        }
        try required(header, headerSeen)
        try required(body, bodySeen)
        try required(trailer, trailerSeen)
    }

    private func tagText(_ index: Int) -> Int? {
        let equals = Int(message.fields[index].valueStart) - 1
        var start = equals
        while start > 0, message.bytes[start - 1] != 0x01 { start -= 1 }
        return Int(String(decoding: message.bytes[start..<equals], as: UTF8.self))
    }

    private func member(_ layout: FIXLayout, _ position: Int, _ seen: inout Set<Int>, _ index: Int) throws(FIXRejection) -> Int {
        let member = layout.members[position]
        guard seen.insert(position).inserted else { throw reject(.tagAppearsMoreThanOnce, member.tag) }
        try checkValue(member.tag, index)
        guard let group = member.group else { return index + 1 }
        guard let declared = FIXValue(value(index)).int else { throw reject(.incorrectDataFormat, group.countTag) }
        var entrySeen = Set<Int>()
        var next = index + 1, entries = 0, last = -1
        while next < message.count, let position = group.entry.position(of: tag(next)) {
            let tag = tag(next)
            if tag == group.delimiterTag {
                if entries > 0 { try required(group.entry, entrySeen) }
                entrySeen = []
                entries += 1
            } else {
                guard entries > 0 else {
                    throw reject(.repeatingGroupFieldsOutOfOrder, tag, "group \(group.name) entry must begin with its delimiter \(group.delimiterTag)")
                }
                if position < last, options.validateFieldsOutOfOrder {
                    throw reject(.repeatingGroupFieldsOutOfOrder, tag, "out of order in group \(group.name)")
                }
            }
            last = position
            next = try self.member(group.entry, position, &entrySeen, next)
        }
        if entries > 0 { try required(group.entry, entrySeen) }
        guard entries == declared else {
            throw reject(.incorrectNumInGroupCount, group.countTag, "\(group.name) declares \(declared) entries, the message has \(entries)")
        }
        return next
    }

    private func checkValue(_ tag: Int, _ index: Int) throws(FIXRejection) {
        let value = value(index)
        if value.isEmpty {
            if options.validateFieldsHaveValues { throw reject(.tagSpecifiedWithoutValue, tag) }
            return
        }
        guard let definition = validator.fieldDefinition(tag) else {
            if tag >= 5000, !options.validateUserDefinedFields { return }
            throw reject(.invalidTagNumber, tag, "tag \(tag) is not in the data dictionary")
        }
        guard definition.type.accepts(value) else { throw reject(.incorrectDataFormat, tag, "\(definition.name) is \(definition.type)") }
        guard let enumeration = definition.enumeration else { return }
        let tokens = definition.type.isMultipleValue
            ? value.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) : [value]
        for token in tokens where !enumeration.contains(token) {
            throw reject(.valueIsIncorrect, tag, "\(definition.name) has no value \(String(decoding: token, as: UTF8.self))")
        }
    }

    private func required(_ layout: FIXLayout, _ seen: Set<Int>) throws(FIXRejection) {
        for position in layout.requiredPositions where !seen.contains(position) {
            throw reject(.requiredTagMissing, layout.members[position].tag)
        }
    }
}
