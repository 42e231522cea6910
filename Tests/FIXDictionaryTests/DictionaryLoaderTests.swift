import FIXCodec
import FIXDictionary
import TestSupport
import Testing

@Suite struct DictionaryLoaderTests {
    static let minimal = """
        <fix type="FIX" major="4" minor="4" servicepack="0">
         <header>
          <field name="BeginString" required="Y"/>
          <field name="BodyLength" required="Y"/>
          <field name="MsgType" required="Y"/>
         </header>
         <trailer><field name="CheckSum" required="Y"/></trailer>
         <messages>
          <message name="Heartbeat" msgtype="0" msgcat="admin"><field name="TestReqID" required="N"/></message>
          <message name="Order" msgtype="D" msgcat="app">
           <field name="ClOrdID" required="Y"/>
           <component name="Parties" required="N"/>
           <field name="Side" required="Y"/>
          </message>
         </messages>
         <components>
          <component name="Parties">
           <group name="NoPartyIDs" required="N">
            <field name="PartyID" required="N"/>
            <field name="PartyRole" required="Y"/>
            <group name="NoPartySubIDs" required="N"><field name="PartySubID" required="N"/></group>
           </group>
          </component>
         </components>
         <fields>
          <field number="8" name="BeginString" type="STRING"/>
          <field number="9" name="BodyLength" type="LENGTH"/>
          <field number="10" name="CheckSum" type="STRING"/>
          <field number="11" name="ClOrdID" type="STRING"/>
          <field number="35" name="MsgType" type="STRING"><value enum="0" description="HEARTBEAT"/><value enum="D" description="ORDER_SINGLE"/></field>
          <field number="54" name="Side" type="CHAR"><value enum="1" description="BUY"/><value enum="2" description="SELL"/></field>
          <field number="112" name="TestReqID" type="STRING"/>
          <field number="448" name="PartyID" type="STRING"/>
          <field number="452" name="PartyRole" type="INT"/>
          <field number="453" name="NoPartyIDs" type="NUMINGROUP"/>
          <field number="523" name="PartySubID" type="STRING"/>
          <field number="802" name="NoPartySubIDs" type="NUMINGROUP"/>
          <field number="5001" name="DeskCode" type="STRING"/>
         </fields>
        </fix>
        """

    @Test func loadsNestedComponentsAndGroups() throws {
        let dictionary = try TestDictionaries.load(xml: Self.minimal)
        #expect(dictionary.version == "FIX.4.4")
        #expect(dictionary.beginString == "FIX.4.4")
        let order = try #require(dictionary.message(type: "D"))
        #expect(order.name == "Order")
        #expect(order.layout.members.map(\.tag) == [11, 453, 54])
        #expect(order.layout.requiredPositions.map { order.layout.members[$0].tag } == [11, 54])
        let parties = try #require(order.layout.members[1].group)
        #expect(parties.delimiterTag == 448)
        #expect(parties.entry.members.map(\.tag) == [448, 452, 802])
        #expect(parties.entry.members[2].group?.delimiterTag == 523)
        #expect(dictionary.field(tag: 5001)?.name == "DeskCode")
        #expect(dictionary.field(named: "Side")?.enumeration?.description(of: "2") == "SELL")
        let summary = FIXDictionarySummary(dictionary)
        #expect(summary.fields == 13)
        #expect(summary.messages == 2)
        #expect(summary.adminMessages == 1)
        #expect(summary.components == 1)
        #expect(summary.groups == 2)
        #expect(summary.enumValues == 4)
        #expect(summary.userDefinedFields == 1)
    }

    @Test func requiredFieldOfAnOptionalComponentIsNotRequiredInTheMessage() throws {
        let dictionary = try TestDictionaries.load(xml: Self.minimal)
        let order = try #require(dictionary.message(type: "D"))
        #expect(!order.layout.members[1].required)
        // …but inside a group entry, PartyRole is required of every entry.
        #expect(order.layout.members[1].group?.entry.members[1].required == true)
    }

    private func expectError(_ xml: String, _ code: FIXDictionaryError.Code, mentioning words: [String],
                             sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try TestDictionaries.load(xml: xml, name: "broken.xml")
            Issue.record("loaded a broken dictionary", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("broken.xml:"), "\(error)", sourceLocation: sourceLocation)
            for word in words {
                #expect(error.description.contains(word), "\(error) should mention \(word)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func unknownFieldInAMessageNamesTheMessageLine() {
        let xml = Self.minimal.replacingOccurrences(of: #"<field name="ClOrdID" required="Y"/>"#,
                                                    with: #"<field name="ClOrderID" required="Y"/>"#)
        expectError(xml, .unknownField, mentioning: ["ClOrderID", "broken.xml:11"])
    }

    @Test func groupWithoutCountField() {
        let xml = Self.minimal.replacingOccurrences(of: #"<group name="NoPartySubIDs""#, with: #"<group name="NoSubs""#)
        expectError(xml, .groupWithoutCountField, mentioning: ["NoSubs", "count field"])
    }

    @Test func emptyGroupHasNoDelimiter() {
        let xml = Self.minimal.replacingOccurrences(of: #"<group name="NoPartySubIDs" required="N"><field name="PartySubID" required="N"/></group>"#,
                                                    with: #"<group name="NoPartySubIDs" required="N"></group>"#)
        expectError(xml, .emptyGroup, mentioning: ["NoPartySubIDs", "delimiter"])
    }

    @Test func duplicateTagNumber() {
        let xml = Self.minimal.replacingOccurrences(of: #"number="5001""#, with: #"number="523""#)
        expectError(xml, .duplicateFieldNumber, mentioning: ["523", "PartySubID", "DeskCode"])
    }

    @Test func duplicateFieldName() {
        let xml = Self.minimal.replacingOccurrences(of: #"name="DeskCode""#, with: #"name="PartySubID""#)
        expectError(xml, .duplicateFieldName, mentioning: ["PartySubID"])
    }

    @Test func duplicateEnumValue() {
        let xml = Self.minimal.replacingOccurrences(of: #"<value enum="2" description="SELL"/>"#,
                                                    with: #"<value enum="1" description="SELL"/>"#)
        expectError(xml, .duplicateEnumValue, mentioning: ["Side", "\"1\""])
    }

    @Test func unknownComponent() {
        let xml = Self.minimal.replacingOccurrences(of: #"<component name="Parties" required="N"/>"#,
                                                    with: #"<component name="Partys" required="N"/>"#)
        expectError(xml, .unknownComponent, mentioning: ["Partys"])
    }

    @Test func recursiveComponent() {
        let xml = Self.minimal.replacingOccurrences(of: #"<field name="PartySubID" required="N"/></group>"#,
                                                    with: #"<component name="Parties" required="N"/></group>"#)
        expectError(xml, .recursiveComponent, mentioning: ["Parties"])
    }

    @Test func badXMLReportsItsLine() {
        let xml = Self.minimal.replacingOccurrences(of: "</messages>", with: "</messagez>")
        expectError(xml, .malformedXML, mentioning: ["malformed XML", "broken.xml:"])
    }

    @Test func missingAttributeAndBadRequiredFlag() {
        expectError(Self.minimal.replacingOccurrences(of: #"number="112" "#, with: ""), .missingAttribute,
                    mentioning: ["TestReqID", "number"])
        expectError(Self.minimal.replacingOccurrences(of: #"<field name="Side" required="Y"/>"#,
                                                      with: #"<field name="Side" required="yes"/>"#),
                    .invalidAttribute, mentioning: ["required"])
    }

    @Test func notADictionaryAndUnreadableFile() throws {
        expectError("<html><body/></html>", .notADictionary, mentioning: ["<fix>"])
        #expect(throws: FIXDictionaryError.self) { try FIXDictionaryLoader.load(path: "/nonexistent/FIX44.xml") }
        do {
            _ = try FIXDictionaryLoader.load(path: "/nonexistent/FIX44.xml")
        } catch {
            #expect(error.code == .unreadableFile)
            #expect(error.description.contains("/nonexistent/FIX44.xml"))
        }
    }
}
