import MatchingEngine
import Testing

/// Price-time priority, partial fills, walking the book, market orders, negative prices and
/// rejects.
@Suite struct PriorityTests {
    @Test func bestPriceFirstThenOldestFirstAtRestingPrices() throws {
        var book = book(asks: [(1, 100, 10), (2, 100, 5), (3, 99, 7), (4, 101, 3), (5, 102, 4)])
        let events = book.submit(.limit(id: 10, owner: 1, side: .buy, price: 101, quantity: 25))
        #expect(events.first?.accepted?.id == 10)
        #expect(events.trades == [Trade(3, 99, 7), Trade(1, 100, 10), Trade(2, 100, 5), Trade(4, 101, 3)])
        #expect(events.fills.map(\.aggressorLeaves) == [18, 8, 3, 0])
        #expect(events.fills.map(\.restingLeaves) == [0, 0, 0, 0])
        #expect(events.fills.allSatisfy { $0.aggressorSide == .buy && $0.aggressorID == 10 && $0.aggressorOwner == 1 })
        #expect(events.fills.map(\.tradeID) == [1, 2, 3, 4])
        #expect(events.cancellations.isEmpty)
        #expect(book.lastTradePrice == 101)
        #expect(book.lastTradeID == 4)
        #expect(book.bestAsk == PriceLevel(price: 102, quantity: 4, orderCount: 1))
        #expect(book.bestBid == nil)
        #expect(book.order(10) == nil)
        try book.checkIntegrity()
    }

    @Test func sellsHitTheHighestBidFirst() throws {
        var book = book(bids: [(1, 98, 5), (2, 99, 5), (3, 99, 5), (4, 97, 5)])
        let events = book.submit(.limit(id: 10, side: .sell, price: 98, quantity: 12))
        #expect(events.trades == [Trade(2, 99, 5), Trade(3, 99, 5), Trade(1, 98, 2)])
        #expect(book.bestBid == PriceLevel(price: 98, quantity: 3, orderCount: 1))
        #expect(book.order(1)?.filled == 2)
        try book.checkIntegrity()
    }

    @Test func partialFillsLeaveTheRestingOrderAtTheFront() throws {
        var book = book(asks: [(1, 100, 10), (2, 100, 10)])
        var events = book.submit(.limit(id: 10, side: .buy, price: 100, quantity: 4))
        #expect(events.trades == [Trade(1, 100, 4)])
        #expect(events.fills.first?.restingLeaves == 6)
        let first = try #require(book.order(1))
        #expect(first.filled == 4 && first.leaves == 6 && first.quantity == 10)
        #expect(book.queuePosition(of: 1) == QueuePosition(ordersAhead: 0, quantityAhead: 0))
        #expect(book.queuePosition(of: 2) == QueuePosition(ordersAhead: 1, quantityAhead: 6))

        // The rest of the first order, then the second; what is left of the buyer rests.
        events = book.submit(.limit(id: 11, side: .buy, price: 100, quantity: 20))
        #expect(events.trades == [Trade(1, 100, 6), Trade(2, 100, 10)])
        #expect(book.bestBid == PriceLevel(price: 100, quantity: 4, orderCount: 1))
        #expect(book.bestAsk == nil)
        let rest = try #require(book.order(11))
        #expect(rest.status == .resting && rest.filled == 16 && rest.leaves == 4)
        try book.checkIntegrity()
    }

    @Test func restingOrdersBuildLevelsAndDepth() throws {
        var book = OrderBook()
        for (id, price) in [(1, 100), (2, 99), (3, 100), (4, 97)] as [(UInt64, Int64)] {
            book.submit(.limit(id: id, side: .buy, price: price, quantity: 2))
        }
        for (id, price) in [(5, 103), (6, 101), (7, 101)] as [(UInt64, Int64)] {
            book.submit(.limit(id: id, side: .sell, price: price, quantity: 3))
        }
        #expect(book.depth(maxLevels: 2) == BookDepth(
            bids: [PriceLevel(price: 100, quantity: 4, orderCount: 2), PriceLevel(price: 99, quantity: 2, orderCount: 1)],
            asks: [PriceLevel(price: 101, quantity: 6, orderCount: 2), PriceLevel(price: 103, quantity: 3, orderCount: 1)]))
        #expect(book.depth(.buy, maxLevels: 10).map(\.price) == [100, 99, 97])
        #expect(book.levelCount(.sell) == 2)
        #expect(book.workingOrderCount == 7)
        #expect(book.workingOrders().map(\.id) == [1, 3, 2, 4, 6, 7, 5])
        try book.checkIntegrity()
    }

    @Test func marketOrderWalksTheBookAndNeverRests() throws {
        var book = book(asks: [(1, 100, 2), (2, 101, 3)])
        let events = book.submit(.market(id: 10, owner: 1, side: .buy, quantity: 8, timeInForce: .goodTillCancel))
        #expect(events.trades == [Trade(1, 100, 2), Trade(2, 101, 3)])
        #expect(events.cancellations == [Cancellation(id: 10, owner: 1, side: .buy, cancelledQuantity: 3,
                                                      filledQuantity: 5, reason: .marketNoLiquidity)])
        #expect(book.bestBid == nil && book.bestAsk == nil)
        #expect(book.workingOrderCount == 0)
        try book.checkIntegrity()
    }

    @Test func marketOrderIntoAnEmptyBookIsCancelled() throws {
        var book = OrderBook()
        let events = book.submit(.market(id: 1, side: .sell, quantity: 5))
        #expect(events.count == 2)
        #expect(events.first?.accepted?.id == 1)
        #expect(events.cancellations.first?.reason == .marketNoLiquidity)
        #expect(events.cancellations.first?.cancelledQuantity == 5)
        #expect(book.order(1) == nil)
        #expect(book.lastTradePrice == nil)
    }

    @Test func negativePricesMatchLikeAnyOther() throws {
        // Ticks of $0.01: −40.32 is −4032. May 2020 WTI on 20 April 2020.
        var book = book(asks: [(1, -3763, 5), (2, -3900, 5)], bids: [(3, -4032, 10), (4, -4050, 10), (5, -4100, 1)])
        #expect(book.bestBid?.price == -4032)
        #expect(book.bestAsk?.price == -3900)
        #expect(book.depth(.buy, maxLevels: 3).map(\.price) == [-4032, -4050, -4100])
        #expect(book.depth(.sell, maxLevels: 3).map(\.price) == [-3900, -3763])

        var events = book.submit(.limit(id: 10, side: .sell, price: -4040, quantity: 12))
        #expect(events.trades == [Trade(3, -4032, 10)])
        #expect(book.bestAsk == PriceLevel(price: -4040, quantity: 2, orderCount: 1))

        events = book.submit(.market(id: 11, side: .sell, quantity: 4))
        #expect(events.trades == [Trade(4, -4050, 4)])
        #expect(book.lastTradePrice == -4050)

        events = book.submit(.limit(id: 12, side: .buy, price: -3800, quantity: 8))
        #expect(events.trades == [Trade(10, -4040, 2), Trade(2, -3900, 5)])
        #expect(book.bestBid == PriceLevel(price: -3800, quantity: 1, orderCount: 1))
        try book.checkIntegrity()
    }

    @Test func extremePricesDoNotOverflow() throws {
        var book = OrderBook()
        book.submit(.limit(id: 1, side: .sell, price: .min, quantity: 1))
        book.submit(.limit(id: 2, side: .sell, price: .max, quantity: 1))
        book.submit(.limit(id: 3, side: .sell, price: 0, quantity: 1))
        #expect(book.depth(.sell, maxLevels: 3).map(\.price) == [.min, 0, .max])
        let events = book.submit(.limit(id: 4, side: .buy, price: .max, quantity: 3))
        #expect(events.trades == [Trade(1, .min, 1), Trade(3, 0, 1), Trade(2, .max, 1)])
        try book.checkIntegrity()
    }

    @Test func rejectsDuplicateIDsZeroQuantitiesAndUnknownOrders() throws {
        var book = book(asks: [(1, 100, 5)])
        var events = book.submit(.limit(id: 1, side: .buy, price: 90, quantity: 5))
        #expect(events == [.rejected(Rejection(id: 1, request: .submit, reason: .duplicateOrderID))])
        events = book.submit(.limit(id: 2, side: .buy, price: 90, quantity: 0))
        #expect(events == [.rejected(Rejection(id: 2, request: .submit, reason: .invalidQuantity))])
        events = book.submit(.market(id: 3, side: .buy, quantity: -1))
        #expect(events.rejections.map(\.reason) == [.invalidQuantity])
        events = book.cancel(id: 42)
        #expect(events == [.rejected(Rejection(id: 42, request: .cancel, reason: .unknownOrder))])
        events = book.replace(id: 42, quantity: 5)
        #expect(events == [.rejected(Rejection(id: 42, request: .replace, reason: .unknownOrder))])
        events = book.replace(id: 1, quantity: 0)
        #expect(events == [.rejected(Rejection(id: 1, request: .replace, reason: .invalidQuantity))])
        #expect(book.workingOrderCount == 1)
        #expect(book.bestAsk == PriceLevel(price: 100, quantity: 5, orderCount: 1))
        #expect(RejectReason.duplicateOrderID.description == "duplicate order id")
        try book.checkIntegrity()
    }

    @Test func cancelRemovesTheOrderAndItsEmptyLevel() throws {
        var book = book(asks: [(1, 100, 5), (2, 101, 5), (3, 101, 5)])
        var events = book.cancel(id: 2)
        #expect(events == [.cancelled(Cancellation(id: 2, owner: 99, side: .sell, cancelledQuantity: 5,
                                                   filledQuantity: 0, reason: .requested))])
        events = book.cancel(id: 1)
        #expect(events.cancellations.map(\.id) == [1])
        #expect(book.bestAsk == PriceLevel(price: 101, quantity: 5, orderCount: 1))
        // Cancelling again is an unknown order; the id may then be used again.
        #expect(book.cancel(id: 1).rejections.map(\.reason) == [.unknownOrder])
        #expect(book.submit(.limit(id: 1, side: .sell, price: 102, quantity: 1)).rejections.isEmpty)
        try book.checkIntegrity()
    }

    @Test func cancelAfterPartialFillReportsBothQuantities() throws {
        var book = book(asks: [(1, 100, 10)])
        book.submit(.limit(id: 2, side: .buy, price: 100, quantity: 3))
        let events = book.cancel(id: 1)
        #expect(events.cancellations.first?.cancelledQuantity == 7)
        #expect(events.cancellations.first?.filledQuantity == 3)
    }

    @Test func cancelAllForAnOwner() throws {
        var book = OrderBook()
        book.submit(.limit(id: 1, owner: 7, side: .buy, price: 99, quantity: 1))
        book.submit(.limit(id: 2, owner: 8, side: .buy, price: 99, quantity: 1))
        book.submit(.limit(id: 3, owner: 7, side: .sell, price: 101, quantity: 1, timeInForce: .goodTillCancel))
        book.submit(.stop(id: 4, owner: 7, side: .sell, stopPrice: 90, quantity: 1))
        var events: [MatchEvent] = []
        book.cancelAll(owner: 7, dayOrdersOnly: true, into: &events)
        #expect(events.cancellations.map(\.id) == [1, 4])
        events.removeAll()
        book.cancelAll(owner: 7, into: &events)
        #expect(events.cancellations.map(\.id) == [3])
        #expect(book.workingOrders().map(\.id) == [2])
        try book.checkIntegrity()
    }

    @Test func eventsAppendToTheCallersBuffer() throws {
        var book = OrderBook()
        var events: [MatchEvent] = []
        events.reserveCapacity(16)
        book.submit(.limit(id: 1, side: .sell, price: 100, quantity: 1), into: &events)
        book.submit(.limit(id: 2, side: .buy, price: 100, quantity: 1), into: &events)
        #expect(events.count == 3)
        #expect(events[2].fill?.restingID == 1)
        events.removeAll(keepingCapacity: true)
        book.cancel(id: 1, into: &events)
        #expect(events.rejections.count == 1)
    }
}
