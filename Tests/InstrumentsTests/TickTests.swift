import FIXCodec
import Instruments
import Testing
import TestSupport

@Suite struct TickTests {
    let catalog = InstrumentReference.standard.catalog(on: CalendarDate(daysSinceEpoch: 20_417))   // 2025-11-25

    @Test func crudeTicks() throws {
        let cl = try #require(catalog.frontMonth(root: "CL"))
        #expect(cl.ticks(for: try dec("75.25")) == 7525)
        #expect(cl.ticks(for: try dec("75.250")) == 7525)
        #expect(cl.ticks(for: try dec("75")) == 7500)
        #expect(cl.ticks(for: try dec("0")) == 0)
        #expect(cl.ticks(for: try dec("75.255")) == nil)
        #expect(cl.ticks(for: try dec("0.001")) == nil)
        #expect(cl.price(ticks: 7525).description == "75.25")
        #expect(cl.price(ticks: 7500).description == "75.00")
        #expect(cl.tickValue == (try dec("10.00")))
        #expect(cl.multiplier == 1000)
    }

    @Test func negativePrices() throws {
        let cl = try #require(catalog.frontMonth(root: "CL"))
        #expect(cl.ticks(for: try dec("-37.63")) == -3763)
        #expect(cl.price(ticks: -3763).description == "-37.63")
        #expect(cl.price(ticks: -1).description == "-0.01")
        #expect(cl.ticks(for: try dec("-40.325")) == nil)
        #expect(try cl.validate(price: try dec("-37.63")) == -3763)
    }

    @Test func productTicks() throws {
        let rb = try #require(catalog.frontMonth(root: "RB"))
        #expect(rb.ticks(for: try dec("2.1034")) == 21034)
        #expect(rb.ticks(for: try dec("2.1")) == 21000)
        #expect(rb.ticks(for: try dec("2.10345")) == nil)
        #expect(rb.price(ticks: 21000).description == "2.1000")
        #expect(rb.price(ticks: -5).description == "-0.0005")
        #expect(rb.tickValue == (try dec("4.20")))
    }

    @Test func validationErrorsNameTheProblem() throws {
        let cl = try #require(catalog.frontMonth(root: "CL"))
        let offGrid = try dec("75.255")
        let expected = InstrumentPriceError(symbol: cl.symbol, price: offGrid, reason: .offTick(tickSize: try dec("0.01")))
        #expect(throws: expected) { try cl.validate(price: offGrid) }
        var positiveOnly = cl
        positiveOnly.allowsNegativePrices = false
        let minusOne = try dec("-1.00")
        let negative = #expect(throws: InstrumentPriceError.self) { try positiveOnly.validate(price: minusOne) }
        #expect(negative?.reason == .negative)
        #expect(negative?.description.contains("negative") == true)
        let one = try dec("1")
        let unknown = #expect(throws: InstrumentPriceError.self) { try catalog.validate(price: one, symbol: "NOPE") }
        #expect(unknown?.reason == .unknownSymbol)
        #expect(unknown?.description.hasPrefix("NOPE:") == true)
        let message = InstrumentPriceError(symbol: "CLF6", price: try dec("75.255"), reason: .offTick(tickSize: try dec("0.01"))).description
        #expect(message == "CLF6: price 75.255 is not a multiple of the tick size 0.01")
    }

    @Test func catalogTickHelpersBySymbol() throws {
        let symbol = try #require(catalog.frontMonth(root: "HO")).symbol
        #expect(catalog.ticks(for: try dec("2.5000"), symbol: symbol) == 25000)
        #expect(catalog.price(ticks: 25000, symbol: symbol)?.description == "2.5000")
        #expect(catalog.ticks(for: try dec("2.5"), symbol: "NOPE") == nil)
        #expect(try catalog.validate(price: try dec("2.5001"), symbol: symbol) == 25001)
    }

    @Test func ticksRoundTripOnTheGrid() throws {
        var random = SeededRandom(seed: 2026)
        for tick in ["0.01", "0.0001", "0.25", "0.005", "1"] {
            let grid = TickGrid(tickSize: try dec(tick))
            for _ in 0..<500 {
                let ticks = Int64(random.next(upTo: 20_000_000)) - 10_000_000
                let price = grid.price(ticks: ticks)
                #expect(grid.ticks(for: price) == ticks)
                #expect(grid.contains(price))
                // Half a tick off is never on the grid.
                let half = FIXDecimal(mantissa: grid.tickSize.mantissa * 5, scale: grid.tickSize.scale + 1)
                #expect(grid.ticks(for: price + half) == nil)
            }
        }
    }

    @Test func nearestTicks() throws {
        let grid = TickGrid(tickSize: try dec("0.01"))
        #expect(grid.nearestTicks(to: try dec("75.254")) == 7525)
        #expect(grid.nearestTicks(to: try dec("75.255")) == 7526)
        #expect(grid.nearestTicks(to: try dec("-37.635")) == -3764)
        #expect(grid.nearestTicks(to: try dec("-37.634")) == -3763)
        #expect(TickGrid(tickSize: try dec("0.0100")).tickSize.description == "0.01")
        #expect(grid.ticks(for: FIXDecimal(mantissa: .max, scale: 0)) == nil)
    }
}
