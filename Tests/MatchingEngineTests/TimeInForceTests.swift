import MatchingEngine
import Testing

/// IOC, FOK, GTD expiry and end of day.
@Suite struct TimeInForceTests {
    @Test func immediateOrCancelFillsWhatItCanAndCancelsTheRest() throws {
        var book = book(asks: [(1, 100, 5), (2, 102, 5)])
        let events = book.submit(.limit(id: 10, owner: 1, side: .buy, price: 101, quantity: 8, timeInForce: .immediateOrCancel))
        #expect(events.trades == [Trade(1, 100, 5)])
        #expect(events.cancellations == [Cancellation(id: 10, owner: 1, side: .buy, cancelledQuantity: 3,
                                                      filledQuantity: 5, reason: .immediateOrCancelRemainder)])
        #expect(book.bestBid == nil)
        #expect(book.order(10) == nil)
        try book.checkIntegrity()
    }

    @Test func immediateOrCancelWithNothingToTradeIsCancelledWhole() throws {
        var book = book(asks: [(1, 100, 5)])
        let events = book.submit(.limit(id: 10, side: .buy, price: 99, quantity: 8, timeInForce: .immediateOrCancel))
        #expect(events.fills.isEmpty)
        #expect(events.cancellations.map(\.cancelledQuantity) == [8])
        #expect(book.bestBid == nil)
    }

    @Test func fillOrKillFillsCompletelyAcrossLevels() throws {
        var book = book(asks: [(1, 100, 5), (2, 101, 5), (3, 102, 5)])
        let events = book.submit(.limit(id: 10, side: .buy, price: 101, quantity: 10, timeInForce: .fillOrKill))
        #expect(events.trades == [Trade(1, 100, 5), Trade(2, 101, 5)])
        #expect(events.cancellations.isEmpty)
        #expect(book.bestAsk?.price == 102)
        try book.checkIntegrity()
    }

    @Test func fillOrKillThatWouldOnlyPartiallyFillTradesNothing() throws {
        var book = book(asks: [(1, 100, 5), (2, 101, 5), (3, 102, 5)])
        let before = book.depth(maxLevels: 10)
        // Enough quantity exists in the book, but not at or below the limit.
        var events = book.submit(.limit(id: 10, side: .buy, price: 101, quantity: 11, timeInForce: .fillOrKill))
        #expect(events.fills.isEmpty)
        #expect(events.cancellations.map(\.reason) == [.fillOrKillUnfilled])
        #expect(events.cancellations.map(\.cancelledQuantity) == [11])
        // More than the whole book.
        events = book.submit(.market(id: 11, side: .buy, quantity: 16, timeInForce: .fillOrKill))
        #expect(events.fills.isEmpty)
        #expect(events.cancellations.map(\.reason) == [.fillOrKillUnfilled])
        #expect(book.depth(maxLevels: 10) == before)
        #expect(book.lastTradePrice == nil)
        // Exactly the whole book, as a market order.
        events = book.submit(.market(id: 12, side: .buy, quantity: 15, timeInForce: .fillOrKill))
        #expect(events.fills.map(\.quantity).reduce(0, +) == 15)
        #expect(book.bestAsk == nil)
        try book.checkIntegrity()
    }

    @Test func goodTillDateOrdersExpireInExpiryOrder() throws {
        var book = OrderBook()
        book.submit(.limit(id: 1, side: .buy, price: 99, quantity: 1, timeInForce: .goodTillDate(expireAt: 2_000)))
        book.submit(.limit(id: 2, side: .buy, price: 98, quantity: 1, timeInForce: .goodTillDate(expireAt: 1_000)))
        book.submit(.limit(id: 3, side: .sell, price: 101, quantity: 1, timeInForce: .goodTillDate(expireAt: 1_000)))
        book.submit(.limit(id: 4, side: .sell, price: 102, quantity: 1, timeInForce: .goodTillCancel))
        book.submit(.limit(id: 5, side: .sell, price: 103, quantity: 1, timeInForce: .goodTillDate(expireAt: 5_000)))
        book.submit(.stop(id: 6, side: .sell, stopPrice: 90, quantity: 1, timeInForce: .goodTillDate(expireAt: 1_500)))
        book.cancel(id: 5)

        #expect(book.expire(now: 999).isEmpty)
        var events = book.expire(now: 1_000)
        #expect(events.cancellations.map(\.id) == [2, 3])
        #expect(events.cancellations.allSatisfy { $0.reason == .expired })
        events = book.expire(now: 10_000)
        #expect(events.cancellations.map(\.id) == [6, 1])
        #expect(book.workingOrders().map(\.id) == [4])
        try book.checkIntegrity()
    }

    @Test func goodTillDateOrderFilledBeforeExpiryIsForgotten() throws {
        var book = OrderBook()
        book.submit(.limit(id: 1, side: .sell, price: 100, quantity: 2, timeInForce: .goodTillDate(expireAt: 1_000)))
        book.submit(.limit(id: 2, side: .sell, price: 100, quantity: 2, timeInForce: .goodTillDate(expireAt: 1_000)))
        book.submit(.limit(id: 3, side: .buy, price: 100, quantity: 3))
        try book.checkIntegrity()
        let events = book.expire(now: 1_000)
        #expect(events.cancellations.map(\.id) == [2])
        #expect(events.cancellations.first?.filledQuantity == 1)
    }

    @Test func endOfDayCancelsDayOrdersOnly() throws {
        var book = OrderBook()
        book.submit(.limit(id: 1, side: .buy, price: 99, quantity: 1))
        book.submit(.limit(id: 2, side: .buy, price: 99, quantity: 1, timeInForce: .goodTillCancel))
        book.submit(.limit(id: 3, side: .sell, price: 101, quantity: 1, timeInForce: .goodTillDate(expireAt: 10)))
        book.submit(.limit(id: 4, side: .sell, price: 102, quantity: 1, timeInForce: .day))
        book.submit(.stop(id: 5, side: .buy, stopPrice: 110, quantity: 1))
        book.submit(.stopLimit(id: 6, side: .sell, stopPrice: 90, limitPrice: 89, quantity: 1, timeInForce: .goodTillCancel))
        book.submit(.stop(id: 7, side: .sell, stopPrice: 88, quantity: 1, timeInForce: .immediateOrCancel))
        let events = book.endOfDay()
        #expect(events.cancellations.map(\.id) == [1, 4, 5, 7])
        #expect(events.cancellations.allSatisfy { $0.reason == .endOfDay })
        #expect(book.workingOrders().map(\.id) == [2, 3, 6])
        try book.checkIntegrity()
    }
}
