import FIXCodec
import Instruments
import SimulatedVenue
import Testing
import OrderEntry

@Suite struct OrderTests {
    @Test func marketBuyFillsAgainstMarketMakerOffersOnTheGrid() throws {
        var venue = try makeVenue()
        let instrument = try #require(venue.instrument(symbol: "CLF7"))
        let events = venue.submit(market(1, .buy, 30), now: t0)
        #expect(events.first == .accepted(id: 1))
        let fills = events.fills
        #expect(fills.map(\.price) == [try dec("70.01"), try dec("70.02")])
        #expect(fills.map(\.quantity) == [20, 10])
        #expect(fills.map(\.leavesQuantity) == [10, 0])
        #expect(fills.allSatisfy { $0.aggressor && $0.side == .buy && $0.owner == 1 && $0.symbol == "CLF7" })
        #expect(fills.allSatisfy { instrument.ticks(for: $0.price) != nil })
        #expect(Set(fills.map(\.tradeID)).count == 2)
        #expect(events.cancelReasons.isEmpty)
        #expect(venue.workingOrderCount == 0)
        #expect(venue.lastTradePrice(symbol: "CLF7") == (try dec("70.02")))

        // A market order larger than the ladder takes all five levels and the rest is cancelled.
        let sweep = venue.submit(market(2, .sell, 500), now: t0)
        #expect(sweep.fills.map(\.price) == ["69.99", "69.98", "69.97", "69.96", "69.95"].compactMap(FIXDecimal.init))
        #expect(sweep.filledQuantity == 100)
        #expect(sweep.last == .canceled(id: 2, canceledQuantity: 400, reason: .marketNoLiquidity))
    }

    @Test func marketMakersReplenishAfterBeingHit() throws {
        var venue = try makeVenue(settings: try calmSettings())
        _ = venue.submit(market(1, .buy, 100), now: t0)
        #expect(venue.topOfBook(symbol: "CLF7")?.askPrice == nil)
        venue.advance(to: t0 + step)
        let top = try #require(venue.topOfBook(symbol: "CLF7"))
        #expect(top.askPrice == (try dec("70.01")))
        #expect(top.askSize == 20)
    }

    @Test func restingLimitFillsWhenTheMarketMovesThroughIt() throws {
        // No randomness, CL down 0.05 a step: the offers reach 69.50 after about ten steps.
        var venue = try makeVenue(settings: try calmSettings(clDrift: "-0.05"))
        let placed = venue.submit(try limit(1, .buy, "69.50", 10), now: t0)
        #expect(placed == [.accepted(id: 1)])
        #expect(venue.advance(to: t0 + 9 * step).isEmpty)   // fair 69.55: best offer 69.56
        var fills: [VenueFill] = []
        for n in 10...14 { fills += venue.advance(to: t0 + Int64(n) * step).fills }
        #expect(fills.reduce(0) { $0 + $1.quantity } == 10)
        let limitPrice = try dec("69.50")
        #expect(fills.allSatisfy { $0.price == limitPrice && !$0.aggressor && $0.id == 1 })
        #expect(fills.last?.leavesQuantity == 0)
        #expect(venue.order(id: 1) == nil)
        #expect(venue.workingOrderCount == 0)
    }

    @Test func immediateOrCancelFillsWhatItCanAndCancelsTheRest() throws {
        var venue = try makeVenue()
        let order = try limit(1, .buy, "70.02", 50, tif: .immediateOrCancel)
        let events = venue.submit(order, now: t0)
        #expect(events.filledQuantity == 40)
        #expect(events.fills.map(\.price) == [try dec("70.01"), try dec("70.02")])
        #expect(events.last == .canceled(id: 1, canceledQuantity: 10, reason: .immediateOrCancelRemainder))
        #expect(venue.order(id: 1) == nil)
    }

    @Test func fillOrKillIsAllOrNothing() throws {
        var venue = try makeVenue()
        let tooBig = venue.submit(try limit(1, .buy, "70.02", 41, tif: .fillOrKill), now: t0)
        #expect(tooBig == [.accepted(id: 1), .canceled(id: 1, canceledQuantity: 41, reason: .fillOrKillUnfilled)])
        #expect(venue.topOfBook(symbol: "CLF7")?.askSize == 20)   // nothing traded
        let fits = venue.submit(try limit(2, .buy, "70.02", 40, tif: .fillOrKill), now: t0)
        #expect(fits.filledQuantity == 40)
        #expect(fits.cancelReasons.isEmpty)
        #expect(fits.fills.last?.leavesQuantity == 0)
    }

    @Test func cancelAndReplacePassThrough() throws {
        var venue = try makeVenue(settings: try calmSettings())
        #expect(venue.submit(try limit(7, .buy, "69.00", 10), now: t0) == [.accepted(id: 7)])

        let smaller = venue.replace(id: 7, symbol: "CLF7", quantity: 6, now: t0)
        #expect(smaller.replacements.map(\.keptPriority) == [true])
        #expect(smaller.replacements.first?.leavesQuantity == 6)
        #expect(smaller.replacements.first?.price == (try dec("69.00")))

        let moved = venue.replace(id: 7, symbol: "CLF7", quantity: 6, price: try dec("69.10"), now: t0)
        #expect(moved.replacements.map(\.keptPriority) == [false])
        let state = try #require(venue.order(id: 7))
        #expect(state.type == .limit(try dec("69.10")))
        #expect(state.quantity == 6 && state.leavesQuantity == 6 && state.symbol == "CLF7" && state.side == .buy)

        // A replace to a crossing price trades at once, as the aggressor.
        let crossed = venue.replace(id: 7, symbol: "CLF7", quantity: 8, price: try dec("70.01"), now: t0)
        #expect(crossed.replacements.first?.keptPriority == false)
        #expect(crossed.fills.map(\.quantity) == [8])
        #expect(crossed.fills.first?.aggressor == true)
        #expect(venue.order(id: 7) == nil)

        #expect(venue.submit(try limit(8, .sell, "71.00", 3, tif: .goodTillCancel), now: t0) == [.accepted(id: 8)])
        #expect(venue.cancel(id: 8, symbol: "CLF7", now: t0) == [.canceled(id: 8, canceledQuantity: 3, reason: .requested)])
        let again = venue.cancel(id: 8, symbol: "CLF7", now: t0)
        #expect(again.count == 1)
        #expect(again.first?.rejectReason?.contains("no working order 8") == true)
        // An order is only found in its own symbol.
        #expect(venue.submit(try limit(9, .sell, "71.00", 3), now: t0) == [.accepted(id: 9)])
        #expect(venue.cancel(id: 9, symbol: "CLG7", now: t0).rejectReasons.count == 1)
        #expect(venue.cancel(id: 9, symbol: "XXF7", now: t0).first?.rejectReason?.contains("unknown symbol") == true)
        #expect(venue.replace(id: 9, symbol: "CLF7", quantity: 0, now: t0).rejectReasons.count == 1)
        #expect(venue.order(id: 9)?.quantity == 3)
    }

    @Test func offTickAndUnknownSymbolAreRejected() throws {
        var venue = try makeVenue()
        let offTick = venue.submit(try limit(1, .buy, "70.005", 1), now: t0)
        #expect(offTick.count == 1)
        #expect(offTick.first?.orderID == 1)
        #expect(offTick.first?.rejectReason?.contains("tick size 0.01") == true)
        #expect(venue.submit(try limit(2, .buy, "2.05005", 1, symbol: "RBZ6"), now: t0).rejectReasons.count == 1)
        #expect(venue.submit(try limit(3, .buy, "2.0401", 1, symbol: "RBZ6"), now: t0).first?.isAccepted == true)
        let stop = VenueOrder(id: 4, owner: 1, symbol: "CLF7", side: .sell, type: .stop(try dec("69.123")), quantity: 1)
        #expect(venue.submit(stop, now: t0).first?.rejectReason?.contains("stop price") == true)

        let unknown = venue.submit(try limit(5, .buy, "70.00", 1, symbol: "CLX9"), now: t0)
        #expect(unknown == [.rejected(id: 5, reason: "unknown symbol CLX9: not listed on the simulated venue")])

        #expect(venue.submit(try limit(6, .buy, "69.00", 1), now: t0) == [.accepted(id: 6)])
        let badReplace = venue.replace(id: 6, symbol: "CLF7", quantity: 1, price: try dec("69.001"), now: t0)
        #expect(badReplace.first?.rejectReason?.contains("tick") == true)
        #expect(venue.order(id: 6)?.type == .limit(try dec("69.00")))

        // Other refusals: quantity, duplicates, the market makers' owner and ids, a past GTD.
        #expect(venue.submit(try limit(7, .buy, "69.00", 0), now: t0).rejectReasons.count == 1)
        #expect(venue.submit(try limit(6, .buy, "69.00", 1, symbol: "CLG7"), now: t0).first?.rejectReason?
            .contains("duplicate") == true)
        #expect(venue.submit(try limit(8, .buy, "69.00", 1, owner: SimulatedVenue.marketMakerOwner), now: t0)
            .rejectReasons.count == 1)
        #expect(venue.submit(try limit(SimulatedVenue.firstMarketMakerOrderID, .buy, "69.00", 1), now: t0)
            .rejectReasons.count == 1)
        #expect(venue.submit(try limit(9, .buy, "69.00", 1, tif: .goodTillDate(expireAt: t0)), now: t0)
            .first?.rejectReason?.contains("GTD") == true)
        #expect(venue.workingOrderCount == 2)
    }

    @Test func goodTillDateExpiresOnAdvance() throws {
        var venue = try makeVenue(settings: try calmSettings())
        let expiry = t0 + 1_000_000_000
        #expect(venue.submit(try limit(1, .buy, "69.00", 2, tif: .goodTillDate(expireAt: expiry)), now: t0) == [.accepted(id: 1)])
        #expect(venue.advance(to: expiry - 1).isEmpty)
        #expect(venue.order(id: 1) != nil)
        #expect(venue.advance(to: expiry) == [.canceled(id: 1, canceledQuantity: 2, reason: .expired)])
        #expect(venue.order(id: 1) == nil)
    }

    @Test func endOfDayCancelsDayOrdersAndKeepsGoodTillCancel() throws {
        var venue = try makeVenue()
        _ = venue.submit(try limit(1, .buy, "69.00", 1), now: t0)
        _ = venue.submit(try limit(2, .buy, "69.00", 1, tif: .goodTillCancel), now: t0)
        _ = venue.submit(try limit(3, .sell, "71.00", 1, tif: .goodTillDate(expireAt: t0 + 86_400_000_000_000)), now: t0)
        let stop = VenueOrder(id: 4, owner: 1, symbol: "CLF7", side: .sell, type: .stop(try dec("60.00")), quantity: 1)
        _ = venue.submit(stop, now: t0)
        let events = venue.endOfDay()
        #expect(Set(events) == [.canceled(id: 1, canceledQuantity: 1, reason: .endOfDay),
                                .canceled(id: 4, canceledQuantity: 1, reason: .endOfDay)])
        #expect(venue.order(id: 2)?.timeInForce == .goodTillCancel)
        #expect(venue.order(id: 3) != nil)
        #expect(venue.workingOrders().map(\.id) == [2, 3])
        // The market makers stay.
        #expect(venue.topOfBook(symbol: "CLF7")?.bidSize == 20)
    }

    @Test func stopTriggersAsTheMarketFalls() throws {
        var venue = try makeVenue(settings: try calmSettings(clDrift: "-0.05"))
        let stop = VenueOrder(id: 1, owner: 1, symbol: "CLF7", side: .sell, type: .stop(try dec("69.80")), quantity: 5)
        #expect(venue.submit(stop, now: t0) == [.accepted(id: 1)])
        #expect(venue.order(id: 1)?.waitingForTrigger == true)
        var events: [VenueEvent] = []
        for n in 1...6 { events += venue.advance(to: t0 + Int64(n) * step) }
        let trigger = try #require(events.firstIndex { $0.isStopTrigger })
        let firstFill = try #require(events.firstIndex { $0.fill != nil })
        #expect(trigger < firstFill)
        #expect(events.filledQuantity == 5)
        let stopPrice = try dec("69.80")
        #expect(events.fills.allSatisfy { $0.aggressor && $0.side == .sell && $0.price <= stopPrice })
    }

    @Test func selfTradePreventionBetweenClientOrders() throws {
        var venue = try makeVenue()
        #expect(venue.submit(try limit(1, .sell, "70.00", 5, owner: 3), now: t0) == [.accepted(id: 1)])
        let own = venue.submit(try limit(2, .buy, "70.00", 5, owner: 3, stp: .cancelIncoming), now: t0)
        #expect(own == [.accepted(id: 2), .canceled(id: 2, canceledQuantity: 5, reason: .selfTrade)])
        // Another account trades with it: both sides are client fills with one trade id.
        let other = venue.submit(try limit(3, .buy, "70.00", 5, owner: 4), now: t0)
        #expect(other.fills.count == 2)
        #expect(Set(other.fills.map(\.id)) == [1, 3])
        #expect(Set(other.fills.map(\.tradeID)).count == 1)
        #expect(other.fills.first { $0.id == 1 }?.aggressor == false)
    }

    @Test func spreadsTrade() throws {
        var venue = try makeVenue()
        let events = venue.submit(market(1, .buy, 2, symbol: "CLF7-CLG7"), now: t0)
        #expect(events.fills.map(\.price) == [try dec("0.26")])
        let crack = venue.submit(market(2, .sell, 1, symbol: "CRK321F7"), now: t0)
        #expect(crack.fills.map(\.price) == [try dec("19.52")])
    }

    @Test func cancelAllCancelsOneAccount() throws {
        var venue = try makeVenue()
        _ = venue.submit(try limit(1, .buy, "69.00", 1, owner: 1), now: t0)
        _ = venue.submit(try limit(2, .buy, "73.00", 1, symbol: "BZF7", owner: 1, tif: .goodTillCancel), now: t0)
        _ = venue.submit(try limit(3, .buy, "69.00", 1, owner: 2), now: t0)
        #expect(venue.cancelAll(owner: 1, dayOrdersOnly: true, now: t0) ==
            [.canceled(id: 1, canceledQuantity: 1, reason: .requested)])
        #expect(venue.cancelAll(owner: 1, now: t0) == [.canceled(id: 2, canceledQuantity: 1, reason: .requested)])
        #expect(venue.cancelAll(owner: SimulatedVenue.marketMakerOwner, now: t0).isEmpty)
        #expect(venue.topOfBook(symbol: "CLF7")?.bidSize == 20)
        #expect(venue.workingOrders().map(\.id) == [3])
    }
}
