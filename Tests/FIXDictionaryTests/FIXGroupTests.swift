import FIXCodec
import FIXDictionary
import TestSupport
import Testing

@Suite struct FIXGroupTests {
    let report = try! FIXMessage(parsing: FIXText.message(
        "35=8|49=VENUE|56=WELLHEAD|34=9|52=20261124-10:00:00.000|37=O-1|17=E-1|150=F|39=2|"
            + "453=2|448=DESK1|447=D|452=1|802=2|523=OIL|803=4|523=NYC|803=25|448=T7|447=D|452=11|"
            + "55=CLZ6|54=1|38=5|32=5|31=71.25|151=0|14=5|6=71.25|"))

    @Test func readsEntriesAndNestedGroups() throws {
        let parties = try #require(TestDictionaries.fix44.group(453, in: report))
        #expect(parties.count == 2)
        #expect(parties[0][448]?.string == "DESK1")
        #expect(parties[0][452]?.int == 1)
        #expect(parties[1][448]?.string == "T7")
        #expect(parties[1][452]?.int == 11)
        let subIDs = try #require(parties[0].group(802))
        #expect(subIDs.map { $0[523]?.string } == ["OIL", "NYC"])
        #expect(subIDs.map { $0[803]?.int } == [4, 25])
        #expect(parties[1].group(802) == nil)
        // The group ends where the body resumes.
        #expect(report.tag(at: parties.endPosition) == 55)
    }

    @Test func absentOrUnknownGroups() {
        #expect(TestDictionaries.fix44.group(78, in: report) == nil) // NoAllocs: in an ExecutionReport, not present here
        #expect(TestDictionaries.fix44.group(55, in: report) == nil) // not a group
    }

    @Test func zeroCountGroupHasNoEntries() throws {
        let message = try FIXMessage(parsing: FIXText.message(
            "35=D|49=OMS1|56=WELLHEAD|34=2|52=20261124-10:00:00.000|11=ord-1|453=0|55=CLZ6|54=1|60=20261124-10:00:00.000|38=5|40=1|"))
        let parties = try #require(TestDictionaries.fix44.group(453, in: message))
        #expect(parties.isEmpty)
    }
}

@Suite struct DictionaryOrderTests {
    @Test func reordersBodyAndGroupMembersToTheDictionary() throws {
        let scrambled = try FIXMessage(parsing: FIXText.message(
            "35=D|52=20261124-10:00:00.000|49=OMS1|56=WELLHEAD|34=2|11=ord-1|"
                + "453=2|448=DESK1|452=1|447=D|448=T7|447=D|452=11|"
                + "40=2|55=CLZ6|54=1|60=20261124-10:00:00.000|38=5|44=71.25|"))
        let strict = FIXValidator(dictionary: TestDictionaries.fix44)
        #expect(throws: FIXRejection.self) { try strict.validate(scrambled) }
        let ordered = try FIXMessage(parsing: TestDictionaries.fix44.encodeInDictionaryOrder(scrambled))
        try strict.validate(ordered)
        #expect(FIXFramer().frame(ordered.bytes) == .message(length: ordered.bytes.count))
        #expect(ordered.values(of: 448).map(\.string) == ["DESK1", "T7"])
        #expect(ordered.values(of: 452).map(\.string) == ["1", "11"])
        // Header fields stay in the header, and the same fields come out.
        #expect(Set((0..<ordered.count).map { ordered.tag(at: $0) }) == Set((0..<scrambled.count).map { scrambled.tag(at: $0) }))
    }
}
