import Foundation
import Instruments
import Testing
import TestSupport

@Suite struct LoaderTests {
    static let shippedPath = TestDictionaries.path("sessions/instruments.yaml")

    func shipped() throws -> String {
        try String(contentsOfFile: Self.shippedPath, encoding: .utf8)
    }

    /// The shipped file with the first occurrence of `old` replaced, loaded as `instruments.yaml`.
    func loadEdited(_ old: String, _ new: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> InstrumentReferenceError? {
        let text = try shipped()
        let range = try #require(text.range(of: old), "the shipped file has no \(old)", sourceLocation: sourceLocation)
        do {
            _ = try InstrumentReferenceLoader.load(yaml: text.replacingCharacters(in: range, with: new), file: "instruments.yaml")
            return nil
        } catch {
            return error
        }
    }

    func expectError(_ old: String, _ new: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try loadEdited(old, new, sourceLocation: sourceLocation)
        #expect(error?.description == message, sourceLocation: sourceLocation)
    }

    @Test func shippedFileEqualsTheBuiltInDefault() throws {
        let loaded = try InstrumentReference.load(path: Self.shippedPath)
        #expect(loaded.products == InstrumentReference.standard.products)
        #expect(loaded.calendars == InstrumentReference.standard.calendars)
        #expect(loaded.listing == InstrumentReference.standard.listing)
        #expect(loaded == InstrumentReference.standard)
        let date = try day("2026-11-25")
        #expect(loaded.catalog(on: date).instruments == InstrumentReference.standard.catalog(on: date).instruments)
    }

    @Test func specsMatchTheOilMarketFacts() throws {
        let reference = try InstrumentReference.load(path: Self.shippedPath)
        let expected: [(String, String, String, String, String)] = [
            ("CL", "1000", "$/bbl", "0.01", "10.00"),
            ("BZ", "1000", "$/bbl", "0.01", "10.00"),
            ("RB", "42000", "$/gal", "0.0001", "4.20"),
            ("HO", "42000", "$/gal", "0.0001", "4.20"),
        ]
        for (root, size, unit, tick, value) in expected {
            let spec = try #require(reference.product(root: root)).spec
            #expect(spec.exchange == "NYMEX")
            #expect(spec.currency == "USD")
            #expect(spec.contractSize == (try dec(size)))
            #expect(spec.priceUnit == unit)
            #expect(spec.tickSize == (try dec(tick)))
            #expect(spec.tickValue == (try dec(value)))
        }
    }

    @Test func badDecimalNamesTheKeyPath() throws {
        // contracts[2] is RB, the first with a 0.0001 tick.
        try expectError("tickSize: 0.0001", "tickSize: 0.0x", "instruments.yaml: contracts[2].tickSize: '0.0x' is not a decimal")
        let error = try #require(try loadEdited("tickSize: 0.0001", "tickSize: 0.0x"))
        #expect(error.file == "instruments.yaml")
        #expect(error.keyPath == "contracts[2].tickSize")
        #expect(error.line != nil)
        try expectError("contractSize: 1000", "contractSize: -1000", "instruments.yaml: contracts[0].contractSize: '-1000' must be greater than zero")
    }

    @Test func unknownKeysAreErrors() throws {
        try expectError("    negativePrices: true\n  - root: BZ", "    negativePrices: true\n    tickSiz: 1\n  - root: BZ",
                        "instruments.yaml: contracts[0].tickSiz: unknown key (expected one of: root, name, exchange, contractSize, unit, "
                            + "tickSize, tickValue, lastTrade, calendar, currency, negativePrices)")
        try expectError("listing:\n", "extra: 1\nlisting:\n",
                        "instruments.yaml: extra: unknown key (expected one of: calendars, contracts, listing)")
        try expectError("  crackMonths: 1", "  crackMonths: 1\n  spreads: 2",
                        "instruments.yaml: listing.spreads: unknown key (expected one of: months, calendarSpreads, interCommoditySpreads, cracks, crackMonths)")
        try expectError("rules: nymex", "rules: nymex\n    weekend: [6, 7]",
                        "instruments.yaml: calendars.nymex.weekend: unknown key (expected one of: rules, holidays, openDays)")
    }

    @Test func missingAndDuplicateKeys() throws {
        try expectError("    exchange: NYMEX\n", "", "instruments.yaml: contracts[0]: missing required key 'exchange'")
        try expectError("  months: 12\n", "", "instruments.yaml: listing: missing required key 'months'")
        let duplicate = try #require(try loadEdited("    exchange: NYMEX\n", "    exchange: NYMEX\n    exchange: CME\n"))
        let line = try #require(duplicate.line)
        #expect(duplicate.description == "instruments.yaml: duplicate key 'exchange' at line \(line)")
        #expect(try shipped().split(separator: "\n", omittingEmptySubsequences: false)[line - 1].contains("exchange"))
        try expectError("  - root: HO", "  - root: RB", "instruments.yaml: contracts[3].root: duplicate root 'RB' (also contracts[2])")
    }

    @Test func wrongValues() throws {
        try expectError("lastTrade: threeBusinessDaysBefore25th", "lastTrade: twentyFifth",
                        "instruments.yaml: contracts[0].lastTrade: 'twentyFifth' is not one of: threeBusinessDaysBefore25th, "
                            + "lastBusinessDayTwoMonthsBefore, lastBusinessDayMonthBefore")
        try expectError("    calendar: london\n", "    calendar: paris\n",
                        "instruments.yaml: contracts[1].calendar: 'paris' is not a calendar defined under 'calendars' (london, nymex)")
        try expectError("tickValue: 10.00", "tickValue: 11.00",
                        "instruments.yaml: contracts[0].tickValue: '11.00' is not tickSize × contractSize (0.01 × 1000 = 10)")
        try expectError("unit: bbl", "unit: barrels", "instruments.yaml: contracts[0].unit: 'barrels' is not one of: bbl, gal")
        try expectError("negativePrices: true", "negativePrices: yes", "instruments.yaml: contracts[0].negativePrices: 'yes' is not true or false")
        try expectError("root: CL", "root: cl", "instruments.yaml: contracts[0].root: 'cl' must be 1 to 4 upper-case letters")
        try expectError("rules: london", "rules: paris", "instruments.yaml: calendars.london.rules: 'paris' is not one of: none, nymex, london")
        try expectError("2022-06-03", "2022-02-30", "instruments.yaml: calendars.london.holidays[2]: '2022-02-30' is not a date (YYYY-MM-DD)")
        try expectError("holidays: [2020-05-08, 2022-06-02", "holidays: [2020-05-08, 2020-05-08",
                        "instruments.yaml: calendars.london.holidays[1]: date listed twice")
    }

    @Test func listingErrors() throws {
        try expectError("{ near: 1, far: 12 }", "{ near: 1, far: 13 }", "instruments.yaml: listing.calendarSpreads[2].far: 13 is out of range (1...12)")
        try expectError("{ near: 1, far: 6 }", "{ near: 6, far: 1 }", "instruments.yaml: listing.calendarSpreads[1].far: 1 must be after near (6)")
        try expectError("months: 12", "months: twelve", "instruments.yaml: listing.months: 'twelve' is not a whole number")
        try expectError("{ long: BZ, short: CL }", "{ long: BZ, short: WTI }",
                        "instruments.yaml: listing.interCommoditySpreads[0].short: 'WTI' is not a root defined under 'contracts'")
        try expectError("{ long: BZ, short: CL }", "{ long: BZ, short: RB }",
                        "instruments.yaml: listing.interCommoditySpreads[0]: BZ and RB must have the same unit, contract size and currency")
        try expectError("- { root: HO, ratio: 1 }", "- { root: HX, ratio: 1 }",
                        "instruments.yaml: listing.cracks[0].products[1].root: 'HX' is not a root defined under 'contracts'")
        try expectError("crude: { root: CL, ratio: 3 }", "crude: { root: RB, ratio: 3 }",
                        "instruments.yaml: listing.cracks[0].crude.root: 'RB' is not quoted per barrel (unit: bbl)")
        try expectError("crude: { root: CL, ratio: 3 }", "crude: { root: CL, ratio: 0 }",
                        "instruments.yaml: listing.cracks[0].crude.ratio: 0 is out of range (1...1000)")
        try expectError("symbolPrefix: CRK211", "symbolPrefix: CRK321",
                        "instruments.yaml: listing.cracks[1].symbolPrefix: 'CRK321' is already a root or another crack's prefix")
        try expectError("interCommoditySpreads:\n    - { long: BZ, short: CL }", "interCommoditySpreads: 3",
                        "instruments.yaml: listing.interCommoditySpreads: expected a list, found '3'")
        try expectError("crude: { root: CL, ratio: 3 }", "crude: [CL, 3]",
                        "instruments.yaml: listing.cracks[0].crude: expected a mapping of keys to values, found a list")
    }

    @Test func notYAMLAndUnreadableFiles() throws {
        let broken = try #require(try loadEdited("listing:\n  months: 12", "listing:\n  months: [12"))
        #expect(broken.description.hasPrefix("instruments.yaml: not valid YAML: line "))
        do {
            _ = try InstrumentReferenceLoader.load(yaml: "", file: "empty.yaml")
            Issue.record("an empty file loaded")
        } catch {
            #expect(error.description == "empty.yaml: the file is empty")
        }
        do {
            _ = try InstrumentReferenceLoader.load(yaml: "- 1\n- 2\n", file: "list.yaml")
            Issue.record("a list loaded")
        } catch {
            #expect(error.description == "list.yaml: expected a mapping of keys to values, found a list")
        }
        let directory = TemporaryDirectory("instruments")
        defer { directory.remove() }
        let missing = directory.path("nope.yaml")
        do {
            _ = try InstrumentReference.load(path: missing)
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.file == missing)
            #expect(error.description.hasPrefix("\(missing): cannot read the file"))
        }
    }

    @Test func editedFileLoadsFromDisk() throws {
        let directory = TemporaryDirectory("instruments")
        defer { directory.remove() }
        let path = directory.path("desk.yaml")
        let text = try shipped()
            .replacingOccurrences(of: "  months: 12", with: "  months: 6")
            .replacingOccurrences(of: "    - { near: 1, far: 12 }\n", with: "")
            .replacingOccurrences(of: "    holidays: []\n    openDays: []", with: "    holidays: [2026-11-24]")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let reference = try InstrumentReference.load(path: path)
        #expect(reference.listing.months == 6)
        #expect(reference.listing.calendarSpreads == [CalendarSpreadRule(near: 1, far: 2), CalendarSpreadRule(near: 1, far: 6)])
        #expect(reference.calendars["nymex"]?.holidays == [try day("2026-11-24")])
        // The extra closure on 24 November falls inside CLZ6's count back from the 25th.
        let clz6 = reference.lastTradeDate(root: "CL", month: try month(2026, 12))
        #expect(clz6 == (try day("2026-11-19")))   // 24 Nov closed: 23, 20, 19
        // An error in this file names its path.
        try shipped().replacingOccurrences(of: "tickSize: 0.0001", with: "tickSize: 0.0x").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try InstrumentReference.load(path: path)
            Issue.record("a bad file loaded")
        } catch {
            #expect(error.description == "\(path): contracts[2].tickSize: '0.0x' is not a decimal")
        }
    }
}
