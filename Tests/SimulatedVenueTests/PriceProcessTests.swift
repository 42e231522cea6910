import FIXCodec
import Instruments
import OrderEntry
import SimulatedVenue
import Testing

@Suite struct PriceProcessTests {
    /// A session of mixed client activity over 500 steps; returns every event and the marks
    /// sampled every 25 steps.
    func session(seed: UInt64) throws -> (events: [VenueEvent], marks: [[String: FIXDecimal]]) {
        var venue = try makeVenue(seed: seed)
        var events: [VenueEvent] = []
        var marks: [[String: FIXDecimal]] = []
        var id: UInt64 = 1
        for round in 0..<20 {
            let now = t0 + Int64(round) * 25 * step
            events += venue.advance(to: now)
            marks.append(venue.marks())
            for symbol in ["CLF7", "BZF7", "RBZ6", "CLF7-CLG7"] {
                guard let fair = venue.fairPrice(symbol: symbol), let instrument = venue.instrument(symbol: symbol) else { continue }
                let away = instrument.tickSize * FIXDecimal(3)
                events += venue.submit(VenueOrder(id: id, owner: 5, symbol: symbol, side: .buy, type: .limit(fair - away),
                                                  quantity: 3, timeInForce: .goodTillCancel), now: now)
                events += venue.submit(VenueOrder(id: id + 1, owner: 6, symbol: symbol, side: round % 2 == 0 ? .sell : .buy,
                                                  type: .market, quantity: 7), now: now)
                id += 2
            }
        }
        return (events, marks)
    }

    @Test func sameSeedSameEventsAndMarks() throws {
        let first = try session(seed: 42)
        let second = try session(seed: 42)
        #expect(first.events == second.events)
        #expect(first.marks == second.marks)
        #expect(first.events.fills.count > 20)
    }

    @Test func differentSeedDifferentPath() throws {
        let first = try session(seed: 42)
        let other = try session(seed: 43)
        #expect(first.marks.first == other.marks.first)   // both start on the configured curve
        #expect(first.marks.last?["CLF7"] != other.marks.last?["CLF7"])
        #expect(first.marks != other.marks)
    }

    @Test func clCurveFollowsConfiguredBackwardation() throws {
        let venue = try makeVenue()
        let catalog = try catalog()
        let months = catalog.futures(root: "CL").map(\.symbol)
        let fairs = try months.map { try #require(venue.fairPrice(symbol: $0)) }
        #expect(fairs.first == (try dec("70.00")))
        for (near, far) in zip(fairs, fairs.dropFirst()) {
            #expect(near - far == (try dec("0.25")), "\(near) then \(far)")
        }
        // Marks start at the fair price: the market maker quotes one tick either side.
        #expect(try months.map { try #require(venue.mark(symbol: $0)) } == fairs)
        let top = try #require(venue.topOfBook(symbol: "CLF7"))
        #expect(top.bidPrice == (try dec("69.99")))
        #expect(top.askPrice == (try dec("70.01")))
        #expect(top.bidSize == 20 && top.askSize == 20)

        // The other roots start where the defaults say, and every curve slopes as configured.
        #expect(venue.fairPrice(symbol: "BZF7") == (try dec("74.00")))
        #expect(venue.fairPrice(symbol: "BZG7") == (try dec("73.80")))
        #expect(venue.fairPrice(symbol: "RBZ6") == (try dec("2.05")))
        #expect(venue.fairPrice(symbol: "RBF7") == (try dec("2.03")))
        #expect(venue.fairPrice(symbol: "HOZ6") == (try dec("2.35")))

        // Calendar spreads are near minus far of their legs' fair prices.
        #expect(venue.fairPrice(symbol: "CLF7-CLG7") == (try dec("0.25")))
        #expect(venue.fairPrice(symbol: "CLF7-CLZ7") == (try dec("2.75")))
        // Brent−WTI front against front, and the 3-2-1 crack from its legs.
        #expect(venue.fairPrice(symbol: "BZF7-CLF7") == (try dec("4.00")))
        // RBF7 2.03, HOF7 2.335: (2 × 2.03 × 42 + 2.335 × 42 − 3 × 70) / 3 = 19.53.
        #expect(venue.fairPrice(symbol: "CRK321F7") == (try dec("19.53")))
    }

    @Test func contangoIsConfigurable() throws {
        var settings = try calmSettings()
        settings.roots["CL"]?.curveStep = try dec("0.40")
        let venue = try makeVenue(settings: settings)
        #expect(venue.fairPrice(symbol: "CLG7") == (try dec("70.40")))
        #expect(venue.fairPrice(symbol: "CLF7-CLG7") == (try dec("-0.40")))
    }

    @Test func pricesStepOnTheScheduleAndStayOnTheGrid() throws {
        var venue = try makeVenue(seed: 9)
        venue.advance(to: t0 + step - 1)
        #expect(venue.stepCount == 0)
        venue.advance(to: t0 + 10 * step + 5)
        #expect(venue.stepCount == 10)
        #expect(venue.lastStepTime == t0 + 10 * step)
        venue.advance(to: t0)   // time going backwards changes nothing
        #expect(venue.stepCount == 10)
        for symbol in venue.symbols {
            let instrument = try #require(venue.instrument(symbol: symbol))
            let fair = try #require(venue.fairPrice(symbol: symbol))
            #expect(instrument.ticks(for: fair) != nil, "\(symbol) fair \(fair) off its grid")
            let depth = try #require(venue.depth(symbol: symbol, levels: 10))
            for level in depth.bids + depth.asks {
                #expect(instrument.ticks(for: level.price) != nil, "\(symbol) level \(level.price) off its grid")
            }
        }
    }

    @Test func driftMovesTheCurveByExactlyThatMuchPerStep() throws {
        var venue = try makeVenue(settings: try calmSettings(clDrift: "-0.05"))
        venue.advance(to: t0 + 4 * step)
        #expect(venue.fairPrice(symbol: "CLF7") == (try dec("69.80")))
        #expect(venue.fairPrice(symbol: "CLG7") == (try dec("69.55")))
        #expect(venue.fairPrice(symbol: "BZF7") == (try dec("74.00")))
    }

    @Test func longGapsAreBoundedAndDeterministic() throws {
        var settings = SimulationSettings.standard
        settings.maxQuotedStepsPerAdvance = 100
        var first = try makeVenue(seed: 3, settings: settings)
        var second = try makeVenue(seed: 3, settings: settings)
        let hour: Int64 = 3_600_000_000_000
        first.advance(to: t0 + hour)
        second.advance(to: t0 + hour)
        #expect(first.stepCount == 14_400)
        #expect(first.marks() == second.marks())
        #expect(first.fairPrice(symbol: "CLF7") != (try dec("70.00")))
        // A GTD order due in the skipped part still expires.
        var venue = try makeVenue(seed: 3, settings: settings)
        let order = try limit(1, .buy, "60.00", 1, tif: .goodTillDate(expireAt: t0 + 10 * step))
        #expect(venue.submit(order, now: t0).first?.isAccepted == true)
        #expect(venue.advance(to: t0 + hour).cancelReasons == [.expired])
    }

    @Test func annualisedVolatilityGivesRealisticMoves() throws {
        // 35 % a year on 70.00 is about 0.27 ticks a step: over an hour (14,400 steps) the
        // standard deviation is about 0.32 $/bbl, so the front month stays within a few dollars.
        var settings = SimulationSettings.standard
        settings.maxQuotedStepsPerAdvance = 100
        var venue = try makeVenue(seed: 11, settings: settings)
        venue.advance(to: t0 + 3_600_000_000_000)
        let fair = try #require(venue.fairPrice(symbol: "CLF7"))
        let low = try dec("67.00"), high = try dec("73.00")
        #expect(fair > low && fair < high, "CLF7 at \(fair) after an hour")
        #expect(fair != (try dec("70.00")))
    }

    @Test func shockMovesMarksAndFillsRestingOrders() throws {
        var venue = try makeVenue(settings: try calmSettings())
        let bid = try limit(1, .buy, "65.00", 4)
        #expect(venue.submit(bid, now: t0).first?.isAccepted == true)
        let events = try venue.shock(root: "CL", percent: try dec("-10"))
        #expect(venue.fairPrice(symbol: "CLF7") == (try dec("63.00")))
        #expect(venue.mark(symbol: "CLF7") == (try dec("63.00")))
        #expect(venue.fairPrice(symbol: "CLG7") == (try dec("62.78")))   // 69.75 × 0.9 = 62.775
        #expect(venue.mark(symbol: "BZF7") == (try dec("74.00")))
        // The market makers' new offers cross the resting bid: it fills at its own price.
        #expect(events.fills.map(\.price) == [try dec("65.00")])
        #expect(events.fills.first?.aggressor == false)
        #expect(events.fills.first?.leavesQuantity == 0)

        try venue.shock(root: "CL", by: try dec("5"))
        #expect(venue.mark(symbol: "CLF7") == (try dec("68.00")))
        try venue.shock(root: "CL", percent: try dec("10"), months: 1...1)
        #expect(venue.fairPrice(symbol: "CLF7") == (try dec("74.80")))
        #expect(venue.fairPrice(symbol: "CLG7") == (try dec("67.78")))
    }

    @Test func shockRejectsUnknownRootAndMonths() throws {
        var venue = try makeVenue()
        #expect(throws: SimulatedVenueError.self) { try venue.shock(root: "NG", percent: try dec("5")) }
        #expect(throws: SimulatedVenueError.self) { try venue.shock(root: "CL", percent: try dec("5"), months: 0...2) }
        #expect(throws: SimulatedVenueError.self) { try venue.shock(root: "CL", percent: try dec("5"), months: 12...13) }
    }

    @Test func negativePricePath() throws {
        // 20 April 2020 again: a −150 % shock takes the front month from 70.00 to −35.00.
        var venue = try makeVenue(settings: try calmSettings())
        try venue.shock(root: "CL", percent: try dec("-150"))
        #expect(venue.fairPrice(symbol: "CLF7") == (try dec("-35.00")))
        let mark = try #require(venue.mark(symbol: "CLF7"))
        #expect(mark.isNegative)
        #expect(mark == (try dec("-35.00")))
        #expect(try #require(venue.mark(symbol: "CLG7")).isNegative)
        let top = try #require(venue.topOfBook(symbol: "CLF7"))
        #expect(top.bidPrice == (try dec("-35.01")))
        #expect(top.askPrice == (try dec("-34.99")))

        // A client sells at market and buys at a negative limit.
        let sold = venue.submit(market(1, .sell, 30), now: t0)
        #expect(sold.fills.map(\.price) == [try dec("-35.01"), try dec("-35.02")])
        #expect(sold.filledQuantity == 30)
        let bought = venue.submit(try limit(2, .buy, "-34.99", 5), now: t0)
        #expect(bought.fills.map(\.price) == [try dec("-34.99")])
        #expect(venue.lastTradePrice(symbol: "CLF7") == (try dec("-34.99")))

        // A negative limit order may rest, and a random walk carries on below zero.
        #expect(venue.submit(try limit(3, .buy, "-40.00", 1), now: t0).first?.isAccepted == true)
        var walking = try makeVenue(seed: 5)
        try walking.shock(root: "CL", by: try dec("-100"))
        walking.advance(to: t0 + 1_000 * step)
        #expect(try #require(walking.mark(symbol: "CLF7")).isNegative)
    }

    @Test func settingsErrorsNameTheKey() throws {
        let catalog = try catalog()
        var missing = SimulationSettings.standard
        missing.roots["HO"] = nil
        let noHO = #expect(throws: SimulatedVenueError.self) {
            try SimulatedVenue(catalog: catalog, seed: 1, settings: missing)
        }
        #expect(noHO?.key == "roots")
        #expect(noHO?.description.contains("HO") == true)
        var crossed = SimulationSettings.standard
        crossed.roots["CL"]?.marketMaker.halfSpreadTicks = 0
        let zeroSpread = #expect(throws: SimulatedVenueError.self) {
            try SimulatedVenue(catalog: catalog, seed: 1, settings: crossed)
        }
        #expect(zeroSpread?.key == "roots.CL.marketMaker.halfSpreadTicks")
        var noStep = SimulationSettings.standard
        noStep.stepInterval = 0
        #expect(throws: SimulatedVenueError.self) { try SimulatedVenue(catalog: catalog, seed: 1, settings: noStep) }
    }
}
