import FIXCodec
import FIXDictionary
import Foundation
import TestSupport
import Testing

/// QuickFIX's own dictionaries, an independent set, must load unchanged — and they are the
/// oracle that Wellhead's hand-written FIX 4.4 dictionary agrees with on every fact.
@Suite struct QuickFIXDictionaryTests {
    static let expected: [(file: String, version: String, minimumMessages: Int)] = [
        ("FIX40.xml", "FIX.4.0", 25), ("FIX41.xml", "FIX.4.1", 25), ("FIX42.xml", "FIX.4.2", 45),
        ("FIX43.xml", "FIX.4.3", 65), ("FIX44.xml", "FIX.4.4", 93), ("FIXT11.xml", "FIXT.1.1", 7),
        ("FIX50.xml", "FIX.5.0", 90), ("FIX50SP1.xml", "FIX.5.0SP1", 100), ("FIX50SP2.xml", "FIX.5.0SP2", 110),
    ]

    @Test(arguments: expected.map(\.file))
    func loadsEveryQuickFIXDictionary(_ file: String) throws {
        let path = try QuickFIXSpecs.directory().appendingPathComponent(file).path
        let dictionary = try FIXDictionaryLoader.load(path: path)
        let expectation = try #require(Self.expected.first { $0.file == file })
        #expect(dictionary.version == expectation.version)
        #expect(dictionary.messages.count >= expectation.minimumMessages)
        #expect(!dictionary.fields.isEmpty)
    }

    @Test func fix50SP2HasNestedGroupsInsideGroups() throws {
        let path = try QuickFIXSpecs.directory().appendingPathComponent("FIX50SP2.xml").path
        let dictionary = try FIXDictionaryLoader.load(path: path)
        let report = try #require(dictionary.message(type: "8"))
        let parties = try #require(report.layout.position(of: 453).flatMap { report.layout.members[$0].group })
        #expect(parties.entry.position(of: 802).flatMap { parties.entry.members[$0].group }?.delimiterTag == 523)
    }

    @Test func fixt11SessionWithFIX50SP2ApplicationValidates() throws {
        let spec = try QuickFIXSpecs.directory()
        let transport = try FIXDictionaryLoader.load(path: spec.appendingPathComponent("FIXT11.xml").path)
        let application = try FIXDictionaryLoader.load(path: spec.appendingPathComponent("FIX50SP2.xml").path)
        let validator = FIXValidator(dictionary: transport, application: application)
        let order = try FIXParser(dataFields: transport.dataFields).parse(FIXText.message(
            "35=D|49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|1128=9|11=ord-1|55=CLZ6|54=1|60=20261124-10:00:00.000|38=5|40=2|44=71.25|",
            beginString: "FIXT.1.1"))
        try validator.validate(order)
        let heartbeat = try FIXParser().parse(FIXText.message("35=0|49=OMS1|56=WELLHEAD|34=3|52=20261124-10:00:00.000|",
                                                              beginString: "FIXT.1.1"))
        try validator.validate(heartbeat)
    }

    /// Every field, message and component of Wellhead's FIX44.xml matches QuickFIX's on tag
    /// number, name, type, enumeration and structure — the two were written independently.
    @Test func wellheadFIX44AgreesWithQuickFIX() throws {
        let theirs = try FIXDictionaryLoader.load(path: QuickFIXSpecs.directory().appendingPathComponent("FIX44.xml").path)
        let ours = try FIXDictionaryLoader.load(path: TestDictionaries.path("dictionaries/FIX44.xml"))
        #expect(ours.fields.count == theirs.fields.count)
        #expect(ours.messages.count == theirs.messages.count)
        var differences: [String] = []
        for field in theirs.fields {
            guard let mine = ours.field(tag: field.tag) else { differences.append("missing field \(field.tag) \(field.name)"); continue }
            if mine.name != field.name { differences.append("field \(field.tag): \(mine.name) vs \(field.name)") }
            if mine.type != field.type { differences.append("field \(field.name): \(mine.type) vs \(field.type)") }
            let myValues = Set(mine.enumeration?.values.map(\.value) ?? [])
            let theirValues = Set(field.enumeration?.values.map(\.value) ?? [])
            if myValues != theirValues {
                differences.append("field \(field.name) enums: missing \(theirValues.subtracting(myValues).sorted()), extra \(myValues.subtracting(theirValues).sorted())")
            }
        }
        for message in theirs.messages {
            guard let mine = ours.message(type: message.msgType) else { differences.append("missing message \(message.msgType)"); continue }
            if mine.name != message.name { differences.append("message \(message.msgType): \(mine.name) vs \(message.name)") }
            let myTags = Set(mine.layout.members.map(\.tag)), theirTags = Set(message.layout.members.map(\.tag))
            if myTags != theirTags {
                differences.append("message \(message.name): missing \(theirTags.subtracting(myTags).sorted()), extra \(myTags.subtracting(theirTags).sorted())")
            }
            let myRequired = Set(mine.layout.requiredPositions.map { mine.layout.members[$0].tag })
            let theirRequired = Set(message.layout.requiredPositions.map { message.layout.members[$0].tag })
            if myRequired != theirRequired {
                differences.append("message \(message.name) required: \(myRequired.sorted()) vs \(theirRequired.sorted())")
            }
        }
        for name in theirs.components.keys.sorted() where ours.components[name] == nil {
            differences.append("missing component \(name)")
        }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(60).joined(separator: "\n"))")
    }
}

/// Before FIX 4.2, "char" named a string (CompIDs are CHAR in FIX 4.0 and 4.1).
@Suite struct OldCharTypeTests {
    @Test func charIsAStringBeforeFIX42AndOneCharacterAfter() throws {
        let spec = try QuickFIXSpecs.directory()
        let fix41 = try FIXDictionaryLoader.load(path: spec.appendingPathComponent("FIX41.xml").path)
        let fix42 = try FIXDictionaryLoader.load(path: spec.appendingPathComponent("FIX42.xml").path)
        #expect(fix41.field(tag: 49)?.type == .string)
        #expect(fix42.field(tag: 54)?.type == .char)
        let logon = try FIXParser().parse(FIXText.message("35=A|34=1|49=TW44|52=20261206-10:00:00|56=ISLD|98=0|108=30|", beginString: "FIX.4.1"))
        #expect(throws: Never.self) { try FIXValidator(dictionary: fix41).validate(logon) }
    }
}
