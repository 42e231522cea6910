import FIXCodec
import Instruments
import MarketData
import Testing

/// Calendar spreads, Brent−WTI and cracks priced live from the legs' books, with expected
/// values worked by hand from oil-markets.md's formulas.
@Suite struct DerivedTests {
    @Test func theCatalogsSpreadsAndCracksAndSameMonthBrentWTIAreDerived() throws {
        let feed = Feed()
        let symbols = feed.normalizer.derivedInstruments.map(\.symbol)
        for symbol in ["CLF7-CLG7", "CLF7-CLM7", "CLF7-CLZ7", "BZF7-BZG7", "RBZ6-RBF7", "HOZ6-HOX7",
                       "BZF7-CLF7", "BZG7-CLG7", "BZZ7-CLZ7", "CRK321F7", "CRK211F7"] {
            #expect(symbols.contains(symbol), "\(symbol)")
        }
        #expect(symbols.filter { $0 == "BZF7-CLF7" }.count == 1)
        // 4 roots × 3 calendar spreads, Brent−WTI for each of 12 months, two cracks.
        #expect(symbols.count == 12 + 12 + 2)
        let crack = feed.normalizer.derived(try #require(feed.normalizer.derivedID(symbol: "CRK321F7")))
        #expect(crack.legs.map(feed.normalizer.symbol) == ["CLF7", "RBF7", "HOF7"])
        #expect(crack.formula == CrackDefinition.threeTwoOne.formula)
        #expect(crack.priceUnit == "$/bbl")
    }

    @Test func calendarSpreadsAreNearMinusFarFromTheMids() throws {
        var feed = Feed()
        try feed.quote("CLF7", "75.00", "75.02")
        #expect(try feed.derived("CLF7-CLG7") == nil, "no price until both legs have one")
        try feed.quote("CLG7", "74.60", "74.62")
        // 75.01 − 74.61: backwardation.
        #expect(try feed.derived("CLF7-CLG7") == (try dec("0.40")))
        let id = try #require(feed.normalizer.derivedID(symbol: "CLF7-CLG7"))
        #expect(feed.events.contains(.derived(DerivedPrice(derived: id, price: try dec("0.40")))))

        // A one-tick-wide market has a half-tick mid, kept exact: 75.01 − 74.605.
        try feed.level("CLG7", .delete, .ask, "74.62")
        #expect(feed.events.contains(.derived(DerivedPrice(derived: id, price: nil))), "one-sided: no mid")
        try feed.level("CLG7", .new, .ask, "74.61", 3)
        #expect(try feed.derived("CLF7-CLG7") == (try dec("0.405")))
        #expect(feed.normalizer.derivedPrice(id)?.description == "0.405")

        // Only a change of the mid reprices: a size change at the touch emits nothing derived.
        try feed.level("CLG7", .change, .ask, "74.61", 7)
        #expect(!feed.events.contains { if case .derived = $0 { true } else { false } })

        // M1−M6 and M1−M12 in contango.
        try feed.quote("CLM7", "75.50", "75.52")
        try feed.quote("CLZ7", "76.20", "76.22")
        #expect(try feed.derived("CLF7-CLM7") == (try dec("-0.50")))
        #expect(try feed.derived("CLF7-CLZ7") == (try dec("-1.20")))
    }

    @Test func brentWTIIsBrentMinusWTIForTheSameMonth() throws {
        var feed = Feed()
        try feed.quote("CLF7", "75.00", "75.02")
        try feed.quote("BZF7", "79.10", "79.12")
        try feed.quote("CLG7", "74.60", "74.62")
        try feed.quote("BZG7", "78.50", "78.52")
        #expect(try feed.derived("BZF7-CLF7") == (try dec("4.10")))
        #expect(try feed.derived("BZG7-CLG7") == (try dec("3.90")))
        #expect(try feed.derived("BZH7-CLH7") == nil)
    }

    @Test func cracksAreInDollarsPerBarrelFromProductsInDollarsPerGallon() throws {
        var feed = Feed()
        try feed.quote("CLF7", "74.99", "75.01")   // 75.00
        try feed.quote("RBF7", "2.0999", "2.1001") // 2.1000 $/gal
        #expect(try feed.derived("CRK321F7") == nil)
        try feed.quote("HOF7", "2.4999", "2.5001") // 2.5000 $/gal
        // 3-2-1: (2 × 2.10 × 42 + 2.50 × 42 − 3 × 75.00) / 3 = (176.40 + 105.00 − 225.00) / 3 = 18.80
        #expect(try feed.derived("CRK321F7") == (try dec("18.80")))
        // 2-1-1: (2.10 × 42 + 2.50 × 42 − 2 × 75.00) / 2 = (88.20 + 105.00 − 150.00) / 2 = 21.60
        #expect(try feed.derived("CRK211F7") == (try dec("21.60")))

        // RB's mid up 0.0001 $/gal: the 3-2-1 gains 2 × 42 × 0.0001 / 3 = 0.0028 $/bbl, the 2-1-1 0.0021.
        try feed.level("RBF7", .delete, .ask, "2.1001")
        try feed.level("RBF7", .new, .ask, "2.1003", 1)
        #expect(try feed.derived("CRK321F7") == (try dec("18.8028")))
        #expect(try feed.derived("CRK211F7") == (try dec("21.6021")))
        // The same value the Instruments module's definition gives.
        #expect(CrackDefinition.threeTwoOne.value(crude: try dec("75.00"), products: [try dec("2.1001"), try dec("2.5000")])
                == (try dec("18.8028")))
    }

    @Test func aRecoveringOrCrossedLegHasNoMidPrice() throws {
        var feed = Feed()
        try feed.quote("CLF7", "75.00", "75.02")
        try feed.quote("CLG7", "74.60", "74.62")
        let id = try #require(feed.normalizer.derivedID(symbol: "CLF7-CLG7"))
        try feed.level("CLG7", .delete, .bid, "70.00")
        #expect(feed.events.contains(.derived(DerivedPrice(derived: id, price: nil))))
        try feed.quote("CLG7", "74.60", "74.62")
        #expect(feed.events.contains(.derived(DerivedPrice(derived: id, price: try dec("0.40")))))

        try feed.level("CLG7", .new, .bid, "74.70", 1)
        #expect(feed.states == [.crossed])
        #expect(try feed.derived("CLF7-CLG7") == nil)
    }

    @Test func legsCanBePricedFromTheLastTrade() throws {
        var feed = Feed(MarketDataConfiguration(legPrice: .last))
        try feed.quote("CLF7", "75.00", "75.02")
        try feed.quote("CLG7", "74.60", "74.62")
        #expect(try feed.derived("CLF7-CLG7") == nil, "no trades yet")
        try feed.trade("CLF7", "75.02", 1, at: feed.time)
        try feed.trade("CLG7", "74.60", 1, at: feed.time)
        #expect(try feed.derived("CLF7-CLG7") == (try dec("0.42")))

        var fallback = Feed(MarketDataConfiguration(legPrice: .midThenLast))
        try fallback.quote("CLF7", "75.00", "75.02")
        try fallback.trade("CLG7", "74.55", 1, at: fallback.time)
        #expect(try fallback.derived("CLF7-CLG7") == (try dec("0.46")))
        try fallback.quote("CLG7", "74.60", "74.62")
        #expect(try fallback.derived("CLF7-CLG7") == (try dec("0.40")))
    }
}
