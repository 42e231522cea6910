import FIXCodec
@testable import FIXDictionary
import Foundation
import TestSupport
import Testing

/// The compiled tables' less common paths: tags beyond the dense tables (looked up by binary
/// search), enumeration values longer than seven bytes, MsgTypes longer than seven bytes, and
/// groups keyed by high tags — each checked against the plain walk over the layouts.
@Suite struct ValidationPlanTests {
    static let xml = """
        <fix type="FIX" major="4" minor="4" servicepack="0">
         <header>
          <field name="BeginString" required="Y"/>
          <field name="BodyLength" required="Y"/>
          <field name="MsgType" required="Y"/>
          <field name="SendingTime" required="N"/>
          <field name="DeskCode" required="N"/>
         </header>
         <trailer><field name="CheckSum" required="Y"/></trailer>
         <messages>
          <message name="Custom" msgtype="UCUSTOMMSG" msgcat="app">
           <field name="ClOrdID" required="Y"/>
           <field name="Strategy" required="N"/>
           <group name="NoLegsHigh" required="N">
            <field name="LegCode" required="Y"/>
            <field name="LegRatio" required="N"/>
           </group>
           <field name="Flags" required="N"/>
          </message>
          <message name="Order" msgtype="D" msgcat="app">
           <field name="ClOrdID" required="Y"/>
           <field name="Strategy" required="Y"/>
          </message>
         </messages>
         <fields>
          <field number="8" name="BeginString" type="STRING"/>
          <field number="9" name="BodyLength" type="LENGTH"/>
          <field number="10" name="CheckSum" type="STRING"/>
          <field number="11" name="ClOrdID" type="STRING"/>
          <field number="35" name="MsgType" type="STRING"/>
          <field number="52" name="SendingTime" type="UTCTIMESTAMP"/>
          <field number="9100" name="DeskCode" type="STRING"/>
          <field number="20001" name="Strategy" type="STRING">
           <value enum="TWAP" description="TWAP"/>
           <value enum="VWAP-CLOSE" description="VWAP_TO_CLOSE"/>
           <value enum="IMPLEMENTATION_SHORTFALL" description="IS"/>
          </field>
          <field number="20002" name="NoLegsHigh" type="NUMINGROUP"/>
          <field number="20003" name="LegCode" type="STRING"/>
          <field number="20004" name="LegRatio" type="QTY"/>
          <field number="20005" name="Flags" type="MULTIPLEVALUESTRING">
           <value enum="A" description="A"/><value enum="LONGFLAG01" description="LONG"/>
          </field>
         </fields>
        </fix>
        """

    static let dictionary: FIXDataDictionary = {
        do { return try FIXDictionaryLoader.load(data: Data(xml.utf8)) } catch { fatalError("\(error)") }
    }()

    private func outcome(_ body: String, msgType: String = "UCUSTOMMSG", options: FIXValidationOptions = FIXValidationOptions(),
                         now: FIXTimestamp? = nil) throws -> FIXRejection? {
        let message = try FIXParser().parse(FIXText.message("35=\(msgType)|" + body))
        do {
            try FIXValidator(dictionary: Self.dictionary, options: options).validate(message, now: now)
            return nil
        } catch {
            return error
        }
    }

    @Test func highTagsLongValuesAndLongMsgTypes() throws {
        #expect(try outcome("9100=D1|11=a|20001=IMPLEMENTATION_SHORTFALL|20002=2|20003=X|20004=1.5|20003=Y|20005=A LONGFLAG01|") == nil)
        #expect(try outcome("11=a|20001=VWAP-CLOSE|", msgType: "D") == nil)
        #expect(try outcome("11=a|20001=VWAP-CLOSED|")?.reason == .valueIsIncorrect)
        #expect(try outcome("11=a|20001=IMPLEMENTATION_SHORTFALX|")?.refTagID == 20001)
        #expect(try outcome("11=a|20005=A LONGFLAG02|")?.reason == .valueIsIncorrect)
        #expect(try outcome("11=a|20002=1|20004=2|")?.reason == .repeatingGroupFieldsOutOfOrder)
        #expect(try outcome("11=a|20002=1|20003=X|20004=2|20003=Y|")?.reason == .incorrectNumInGroupCount)
        #expect(try outcome("11=a|9100=D1|")?.reason == .tagSpecifiedOutOfRequiredOrder)
        #expect(try outcome("11=a|20003=X|")?.reason == .tagNotDefinedForMessageType)
        #expect(try outcome("11=a|", msgType: "UCUSTOMMSX")?.reason == .invalidMsgType)
        #expect(try outcome("11=a|", msgType: "D")?.refTagID == 20001)
    }

    @Test func compiledAndPlainWalksAgreeOnMutations() throws {
        let parser = FIXParser()
        let fields = "9100=D1|11=a|20001=TWAP|20002=2|20003=X|20004=1.5|20003=Y|20005=A LONGFLAG01|"
            .split(separator: "|").map(String.init)
        var random = SeededRandom(seed: 20_001)
        let noise = ["", "x", "TWAP", "LONGFLAG01", "A  A", "1.5", "-2", "20002=0", "20003=Z", "9100=D2", "35=D", "20006=1"]
        for _ in 0..<3_000 {
            var mutated = fields
            for _ in 0...random.next(upTo: 3) {
                let index = random.next(upTo: mutated.count)
                switch random.next(upTo: 4) {
                case 0: mutated.remove(at: index)
                case 1: mutated.swapAt(index, random.next(upTo: mutated.count))
                case 2:
                    let text = noise[random.next(upTo: noise.count)]
                    mutated.insert(text.contains("=") ? text : "20001=" + text, at: index)
                default:
                    let tag = mutated[index].split(separator: "=").first.map(String.init) ?? "11"
                    mutated[index] = tag + "=" + noise[random.next(upTo: noise.count)]
                }
                if mutated.isEmpty { mutated = fields }
            }
            for msgType in ["UCUSTOMMSG", "D"] {
                let bytes = FIXText.message("35=\(msgType)|" + mutated.joined(separator: "|") + "|")
                guard let message = try? parser.parse(bytes) else { continue }
                let validator = FIXValidator(dictionary: Self.dictionary)
                var actual: FIXRejection?
                do { try validator.validate(message) } catch { actual = error }
                #expect(actual?.reason == PlainWalk.reason(message, validator), "\(FIXText.show(bytes))")
            }
        }
    }

    @Test func aSendingTimeBeyond2262IsWellFormedButOutOfAnyLatency() throws {
        let now = try #require(FIXTimestamp("20261124-10:00:00.000"))
        // Well-formed: the walk accepts it; the latency check, given a clock, does not.
        #expect(try outcome("52=99991231-23:59:59.999|11=a|") == nil)
        let late = try outcome("52=99991231-23:59:59.999|11=a|", now: now)
        #expect(late?.reason == .sendingTimeAccuracyProblem)
        #expect(late?.refTagID == 52)
        var options = FIXValidationOptions()
        options.checkLatency = false
        #expect(try outcome("52=99991231-23:59:59.999|11=a|", options: options, now: now) == nil)
        #expect(try outcome("52=20261124-10:00:01.000|11=a|", now: now) == nil)
    }
}

/// The reason the plain walk over ``FIXLayout``s gives, for the mutation test: the same
/// decisions ``FIXValidator`` made before it was compiled to tables.
private enum PlainWalk {
    static func reason(_ message: FIXMessage, _ validator: FIXValidator) -> FIXSessionRejectReason? {
        let dictionary = validator.dictionary
        guard let definition = dictionary.message(type: message.value(at: 2).bytes) else { return .invalidMsgType }
        var seen: [ObjectIdentifier: Set<Int>] = [:]
        for index in 0..<3 {
            if let position = dictionary.header.position(of: message.tag(at: index)) {
                seen[ObjectIdentifier(dictionary.header), default: []].insert(position)
            }
        }
        var index = 3
        var section = 0
        func check(_ tag: Int, _ value: ArraySlice<UInt8>) -> FIXSessionRejectReason? {
            if value.isEmpty { return .tagSpecifiedWithoutValue }
            guard let field = dictionary.field(tag: tag) else { return .invalidTagNumber }
            guard field.type.accepts(value) else { return .incorrectDataFormat }
            guard let enumeration = field.enumeration else { return nil }
            let tokens = field.type.isMultipleValue ? value.split(separator: 32, omittingEmptySubsequences: false) : [value]
            return tokens.allSatisfy { enumeration.contains($0) } ? nil : .valueIsIncorrect
        }
        func member(_ layout: FIXLayout, _ position: Int) -> FIXSessionRejectReason? {
            let tag = message.tag(at: index)
            guard seen[ObjectIdentifier(layout), default: []].insert(position).inserted else { return .tagAppearsMoreThanOnce }
            if let problem = check(tag, message.value(at: index).bytes) { return problem }
            guard let group = layout.members[position].group else { index += 1; return nil }
            guard let declared = message.value(at: index).int else { return .incorrectDataFormat }
            index += 1
            var entries = 0, last = -1
            var entrySeen = Set<Int>()
            while index < message.count, let inner = group.entry.position(of: message.tag(at: index)) {
                let innerTag = message.tag(at: index)
                if innerTag == group.delimiterTag {
                    if entries > 0, group.entry.requiredPositions.contains(where: { !entrySeen.contains($0) }) { return .requiredTagMissing }
                    entrySeen = []
                    entries += 1
                } else if entries == 0 || inner < last {
                    return .repeatingGroupFieldsOutOfOrder
                }
                last = inner
                guard entrySeen.insert(inner).inserted else { return .tagAppearsMoreThanOnce }
                if let problem = check(innerTag, message.value(at: index).bytes) { return problem }
                index += 1
            }
            if entries > 0, group.entry.requiredPositions.contains(where: { !entrySeen.contains($0) }) { return .requiredTagMissing }
            return entries == declared ? nil : .incorrectNumInGroupCount
        }
        while index < message.count {
            let tag = message.tag(at: index)
            if tag <= 0 { return .invalidTagNumber }
            let problem: FIXSessionRejectReason?
            if let position = dictionary.header.position(of: tag) {
                if section != 0 { return .tagSpecifiedOutOfRequiredOrder }
                problem = member(dictionary.header, position)
            } else if let position = dictionary.trailer.position(of: tag) {
                section = 2
                if tag == 10, index != message.count - 1 { return .tagSpecifiedOutOfRequiredOrder }
                problem = member(dictionary.trailer, position)
            } else {
                if section == 2 { return .tagSpecifiedOutOfRequiredOrder }
                section = 1
                if let position = definition.layout.position(of: tag) {
                    problem = member(definition.layout, position)
                } else {
                    guard dictionary.field(tag: tag) != nil else { return .invalidTagNumber }
                    if let problem = check(tag, message.value(at: index).bytes) { return problem }
                    return .tagNotDefinedForMessageType
                }
            }
            if let problem { return problem }
        }
        for layout in [dictionary.header, definition.layout, dictionary.trailer]
        where layout.requiredPositions.contains(where: { !seen[ObjectIdentifier(layout), default: []].contains($0) }) {
            return .requiredTagMissing
        }
        return nil
    }
}
