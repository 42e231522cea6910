import FIXCodec
import Instruments
import OrderEntry
import SimulatedVenue
import Testing

@Suite struct MarketMakerTests {
    @Test func marketMakersNeverAppearAsClientEvents() throws {
        var venue = try makeVenue(seed: 21)
        var events: [VenueEvent] = []
        var clientIDs: Set<UInt64> = []
        var id: UInt64 = 1
        for round in 0..<100 {
            let now = t0 + Int64(round) * 5 * step
            events += venue.advance(to: now)
            for symbol in ["CLF7", "CLG7", "HOZ6", "CLF7-CLG7", "BZF7-CLF7"] {
                guard let fair = venue.fairPrice(symbol: symbol), let instrument = venue.instrument(symbol: symbol) else { continue }
                let orders = [
                    VenueOrder(id: id, owner: 10, symbol: symbol, side: .buy, type: .limit(fair - instrument.tickSize * 2),
                               quantity: 2, timeInForce: .goodTillCancel),
                    VenueOrder(id: id + 1, owner: 11, symbol: symbol, side: .sell, type: .limit(fair + instrument.tickSize * 2),
                               quantity: 2, timeInForce: .immediateOrCancel),
                    VenueOrder(id: id + 2, owner: 12, symbol: symbol, side: round % 2 == 0 ? .buy : .sell, type: .market,
                               quantity: 3),
                ]
                for order in orders {
                    clientIDs.insert(order.id)
                    events += venue.submit(order, now: now)
                }
                id += 3
            }
            if round == 50 { events += venue.endOfDay() }
        }
        #expect(events.count > 1_000)
        #expect(events.fills.count > 300)
        #expect(events.allSatisfy { clientIDs.contains($0.orderID) })
        #expect(events.allSatisfy { $0.orderID < SimulatedVenue.firstMarketMakerOrderID })
        #expect(events.fills.allSatisfy { $0.owner != SimulatedVenue.marketMakerOwner })
        #expect(events.rejectReasons.isEmpty)
        #expect(venue.workingOrders().allSatisfy { $0.owner != SimulatedVenue.marketMakerOwner })
        #expect(venue.workingOrders(owner: SimulatedVenue.marketMakerOwner).isEmpty)
        // Every trade id is unique per client side.
        let sides = events.fills.map { "\($0.tradeID)-\($0.id)" }
        #expect(Set(sides).count == sides.count)
    }

    @Test func depthIsTheConfiguredLadder() throws {
        var settings = SimulationSettings.standard
        settings.roots["CL"]?.marketMaker = MarketMakerSettings(levels: 3, quantity: 7, halfSpreadTicks: 2, levelSpacingTicks: 5)
        let venue = try makeVenue(settings: settings)
        let depth = try #require(venue.depth(symbol: "CLF7", levels: 10))
        #expect(depth.bids.map(\.price) == ["69.98", "69.93", "69.88"].compactMap(FIXDecimal.init))
        #expect(depth.asks.map(\.price) == ["70.02", "70.07", "70.12"].compactMap(FIXDecimal.init))
        #expect((depth.bids + depth.asks).allSatisfy { $0.quantity == 7 && $0.orderCount == 1 })
        #expect(venue.depth(symbol: "CLF7", levels: 1)?.bids.count == 1)
        #expect(venue.depth(symbol: "nope", levels: 1) == nil)
        #expect(venue.symbols.count == 48 + 12 + 1 + 2)
        #expect(venue.symbols.prefix(2) == ["CLF7", "CLG7"])
    }

    @Test func markIsTheMidAndCanBeHalfATick() throws {
        var venue = try makeVenue(settings: try calmSettings())
        #expect(venue.mark(symbol: "CLF7") == (try dec("70.00")))
        _ = venue.submit(try limit(1, .buy, "70.00", 1), now: t0)
        #expect(venue.mark(symbol: "CLF7") == (try dec("70.005")))
        #expect(venue.topOfBook(symbol: "CLF7")?.bidPrice == (try dec("70.00")))
        try venue.shock(root: "CL", percent: try dec("-200"))
        _ = venue.advance(to: t0 + step)   // the client bid was filled by the shock; quotes replenish
        #expect(venue.mark(symbol: "CLF7") == (try dec("-70.00")))
        _ = venue.submit(try limit(2, .buy, "-70.00", 1), now: t0 + step)
        #expect(venue.mark(symbol: "CLF7") == (try dec("-69.995")))
        #expect(venue.marks()["CLF7"] == (try dec("-69.995")))
        #expect(venue.mark(symbol: "CLZ9") == nil)
    }

    @Test func marksFallBackToLastTradeThenFair() throws {
        var settings = try calmSettings()
        settings.roots["CL"]?.marketMaker.levels = 0
        var venue = try makeVenue(settings: settings)
        #expect(venue.topOfBook(symbol: "CLF7") == TopOfBook(bidPrice: nil, bidSize: 0, askPrice: nil, askSize: 0))
        #expect(venue.mark(symbol: "CLF7") == (try dec("70.00")))   // the fair price
        _ = venue.submit(try limit(1, .sell, "70.30", 1, owner: 1), now: t0)
        _ = venue.submit(try limit(2, .buy, "70.30", 1, owner: 2), now: t0)
        #expect(venue.mark(symbol: "CLF7") == (try dec("70.30")))   // the last trade
        #expect(venue.lastTradePrice(symbol: "CLF7") == (try dec("70.30")))
    }
}
