import FIXCodec
import Instruments
import Testing

@Suite struct CatalogTests {
    func catalog(_ date: String) throws -> InstrumentCatalog {
        InstrumentReference.standard.catalog(on: try day(date))
    }

    @Test func listingOn25November2026() throws {
        let catalog = try catalog("2026-11-25")
        // CLZ6 last traded on Friday 20 November 2026, so January is the front month.
        #expect(catalog.frontMonth(root: "CL")?.symbol == "CLF7")
        #expect(catalog.frontMonth(root: "CL")?.lastTradeDate == (try day("2026-12-21")))
        #expect(catalog.futures(root: "CL").map(\.symbol) ==
            ["CLF7", "CLG7", "CLH7", "CLJ7", "CLK7", "CLM7", "CLN7", "CLQ7", "CLU7", "CLV7", "CLX7", "CLZ7"])
        // Brent's January contract trades until the last business day of November.
        #expect(catalog.frontMonth(root: "BZ")?.symbol == "BZF7")
        // RB and HO December trade until 30 November.
        #expect(catalog.frontMonth(root: "RB")?.symbol == "RBZ6")
        #expect(catalog.frontMonth(root: "HO")?.symbol == "HOZ6")
        #expect(catalog.futures(root: "HO").last?.symbol == "HOX7")
        #expect(catalog.roots == ["CL", "BZ", "RB", "HO"])
        #expect(catalog.instrument(symbol: "CLZ6") == nil)
        #expect(catalog.instruments.count == 48 + 12 + 1 + 2)
        #expect(Set(catalog.instruments.map(\.symbol)).count == catalog.instruments.count)
    }

    @Test func frontMonthRollsAfterLastTrade() throws {
        #expect(try catalog("2026-11-20").frontMonth(root: "CL")?.symbol == "CLZ6")   // its last trading day
        #expect(try catalog("2026-11-21").frontMonth(root: "CL")?.symbol == "CLF7")
        #expect(try catalog("2020-04-20").frontMonth(root: "CL")?.symbol == "CLK0")
        #expect(try catalog("2026-12-01").frontMonth(root: "RB")?.symbol == "RBF7")
        #expect(try catalog("2026-12-01").frontMonth(root: "BZ")?.symbol == "BZG7")
    }

    @Test func monthsAreInCurveOrderAndUnexpired() throws {
        let date = try day("2026-11-25")
        let catalog = try catalog("2026-11-25")
        for root in catalog.roots {
            let months = catalog.futures(root: root)
            #expect(months.count == 12)
            #expect(months.map(\.month) == months.map(\.month).sorted())
            for (earlier, later) in zip(months, months.dropFirst()) { #expect(earlier.month.next == later.month) }
            #expect(months.allSatisfy { $0.lastTradeDate >= date && $0.kind == .future && $0.legs.isEmpty })
        }
    }

    @Test func outrightDetails() throws {
        let catalog = try catalog("2026-11-25")
        let clf7 = try #require(catalog["CLF7"])
        #expect(clf7.kind == .future)
        #expect(clf7.root == "CL")
        #expect(clf7.month == (try month(2027, 1)))
        #expect(clf7.exchange == "NYMEX")
        #expect(clf7.currency == "USD")
        #expect(clf7.priceUnit == "$/bbl")
        #expect(clf7.tickSize == (try dec("0.01")))
        #expect(clf7.multiplier == 1000)
        #expect(clf7.spec?.tickValue == (try dec("10.00")))
        #expect(clf7.name == "WTI Light Sweet Crude Oil Jan 2027")
        let rbz6 = try #require(catalog["RBZ6"])
        #expect(rbz6.priceUnit == "$/gal")
        #expect(rbz6.multiplier == 42000)
        #expect(rbz6.tickSize == (try dec("0.0001")))
        #expect(rbz6.tickValue == (try dec("4.20")))
    }

    @Test func calendarSpreads() throws {
        let catalog = try catalog("2026-11-25")
        #expect(catalog.calendarSpreads(root: "CL").map(\.symbol) == ["CLF7-CLG7", "CLF7-CLM7", "CLF7-CLZ7"])
        #expect(catalog.calendarSpreads(root: "RB").map(\.symbol) == ["RBZ6-RBF7", "RBZ6-RBK7", "RBZ6-RBX7"])
        let spread = try #require(catalog["CLF7-CLG7"])
        #expect(spread.kind == .calendarSpread)
        #expect(spread.legs.map(\.symbol) == ["CLF7", "CLG7"])
        #expect(spread.legs.map(\.ratio) == [1, -1])
        #expect(spread.legs.map { $0.side(forSpread: .buy) } == [.buy, .sell])
        #expect(spread.legs.map { $0.side(forSpread: .sell) } == [.sell, .buy])
        #expect(spread.lastTradeDate == (try day("2026-12-21")))
        #expect(spread.tickSize == (try dec("0.01")))
        #expect(spread.multiplier == 1000)
        // Near minus far: backwardation is positive, contango negative.
        #expect(spread.spreadPrice(legPrices: [try dec("75.40"), try dec("75.10")]) == (try dec("0.30")))
        #expect(spread.spreadPrice(legPrices: ["CLG7": try dec("75.10"), "CLF7": try dec("74.90")]) == (try dec("-0.20")))
        #expect(spread.spreadPrice(legPrices: [try dec("75.40")]) == nil)
        #expect(spread.spreadPrice(legPrices: ["CLF7": try dec("75.40")]) == nil)
        #expect(spread.ticks(for: try dec("-0.20")) == -20)
    }

    @Test func brentWTI() throws {
        let catalog = try catalog("2026-11-25")
        let spread = try #require(catalog["BZF7-CLF7"])
        #expect(spread.kind == .interCommoditySpread)
        #expect(spread.root == "BZ-CL")
        #expect(spread.legs.map(\.symbol) == ["BZF7", "CLF7"])
        #expect(spread.legs.map(\.ratio) == [1, -1])
        #expect(spread.lastTradeDate == (try day("2026-11-30")))
        #expect(spread.spreadPrice(legPrices: [try dec("79.15"), try dec("75.02")]) == (try dec("4.13")))
        // Front against front, so the months can differ.
        let december = try self.catalog("2026-12-01")
        #expect(december.instruments(kind: .interCommoditySpread).map(\.symbol) == ["BZG7-CLF7"])
    }

    @Test func cracksForTheFrontMonth() throws {
        let catalog = try catalog("2026-11-25")
        #expect(catalog.instruments(kind: .crack).map(\.symbol) == ["CRK321F7", "CRK211F7"])
        let crack = try #require(catalog["CRK321F7"])
        #expect(crack.legs.map(\.symbol) == ["CLF7", "RBF7", "HOF7"])
        #expect(crack.legs.map(\.ratio) == [-3, 2, 1])
        #expect(crack.legs.map(\.quantity) == [3, 2, 1])
        #expect(crack.legs.map { $0.side(forSpread: .buy) } == [.sell, .buy, .buy])
        #expect(crack.legs.map(\.priceFactor) == [1, 42, 42])
        #expect(crack.priceUnit == "$/bbl")
        #expect(crack.multiplier == 3000)
        #expect(crack.tickSize == (try dec("0.01")))
        #expect(crack.lastTradeDate == (try day("2026-12-21")))   // CL expires first
        #expect(crack.month == (try month(2027, 1)))
        let twoOneOne = try #require(catalog["CRK211F7"])
        #expect(twoOneOne.legs.map(\.ratio) == [-2, 1, 1])
        #expect(twoOneOne.multiplier == 2000)
    }

    @Test func crackMultiplierMatchesLegPnL() throws {
        // Buying one crack and moving prices changes its legs' P&L by Δcrack × multiplier.
        let catalog = try catalog("2026-11-25")
        for symbol in ["CRK321F7", "CRK211F7"] {
            let crack = try #require(catalog[symbol])
            let prices = [try dec("75.00"), try dec("2.1034"), try dec("2.4567")]
            let value = try #require(crack.spreadPrice(legPrices: prices))
            var legDollars = FIXDecimal.zero
            for (leg, price) in zip(crack.legs, prices) {
                let outright = try #require(catalog[leg.symbol])
                legDollars += FIXDecimal(mantissa: leg.ratio) * outright.multiplier * price
            }
            #expect(value * crack.multiplier == legDollars, "\(symbol)")
        }
    }

    @Test func moreCrackMonthsAndShorterListings() throws {
        var reference = InstrumentReference.standard
        reference.listing.crackMonths = 3
        reference.listing.months = 6
        let catalog = reference.catalog(on: try day("2026-11-25"))
        #expect(catalog.instruments(kind: .crack).map(\.symbol) ==
            ["CRK321F7", "CRK321G7", "CRK321H7", "CRK211F7", "CRK211G7", "CRK211H7"])
        // M1−M12 needs twelve months: not listed.
        #expect(catalog.calendarSpreads(root: "CL").map(\.symbol) == ["CLF7-CLG7", "CLF7-CLM7"])
        #expect(catalog.futures(root: "CL").count == 6)
    }
}
