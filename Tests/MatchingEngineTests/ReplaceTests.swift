import MatchingEngine
import Testing

/// Cancel/replace: what keeps time priority, what loses it, and replaces that trade.
@Suite struct ReplaceTests {
    @Test func reducingQuantityAtTheSamePriceKeepsPriority() throws {
        var book = book(asks: [(1, 100, 10), (2, 100, 10)])
        let events = book.replace(id: 1, quantity: 6)
        #expect(events == [.replaced(Replacement(id: 1, owner: 99, side: .sell, price: 100, stopPrice: nil,
                                                 quantity: 6, leaves: 6, keptPriority: true))])
        #expect(book.queuePosition(of: 1)?.ordersAhead == 0)
        #expect(book.bestAsk == PriceLevel(price: 100, quantity: 16, orderCount: 2))
        let fills = book.submit(.limit(id: 10, side: .buy, price: 100, quantity: 8)).trades
        #expect(fills == [Trade(1, 100, 6), Trade(2, 100, 2)])
        try book.checkIntegrity()
    }

    @Test func increasingQuantityLosesPriority() throws {
        var book = book(asks: [(1, 100, 10), (2, 100, 10)])
        let events = book.replace(id: 1, quantity: 15)
        #expect(events.replacements.map(\.keptPriority) == [false])
        #expect(book.queuePosition(of: 1) == QueuePosition(ordersAhead: 1, quantityAhead: 10))
        let fills = book.submit(.limit(id: 10, side: .buy, price: 100, quantity: 12)).trades
        #expect(fills == [Trade(2, 100, 10), Trade(1, 100, 2)])
        try book.checkIntegrity()
    }

    @Test func changingPriceLosesPriorityEvenWhenChangedBack() throws {
        var book = book(asks: [(1, 100, 10), (2, 100, 10)])
        book.replace(id: 1, quantity: 10, price: 101)
        #expect(book.bestAsk == PriceLevel(price: 100, quantity: 10, orderCount: 1))
        book.replace(id: 1, quantity: 10, price: 100)
        #expect(book.queuePosition(of: 1)?.ordersAhead == 1)
        try book.checkIntegrity()
    }

    @Test func sameQuantityAndPriceIsANoOpThatKeepsPriority() throws {
        var book = book(asks: [(1, 100, 10), (2, 100, 10)])
        let events = book.replace(id: 1, quantity: 10, price: 100)
        #expect(events.replacements.map(\.keptPriority) == [true])
        #expect(book.queuePosition(of: 1)?.ordersAhead == 0)
    }

    @Test func replaceToACrossingPriceTradesAtOnce() throws {
        var book = book(asks: [(1, 100, 2), (2, 101, 2)])
        book.submit(.limit(id: 10, owner: 5, side: .buy, price: 99, quantity: 3))
        let events = book.replace(id: 10, quantity: 3, price: 100)
        #expect(events.first?.replacement?.price == 100)
        #expect(events.trades == [Trade(1, 100, 2)])
        #expect(events.fills.first?.aggressorID == 10)
        let order = try #require(book.order(10))
        #expect(order.filled == 2 && order.leaves == 1 && order.quantity == 3)
        #expect(book.bestBid == PriceLevel(price: 100, quantity: 1, orderCount: 1))
        try book.checkIntegrity()
    }

    @Test func replaceKeepsTheFilledQuantity() throws {
        var book = book(asks: [(1, 100, 10)])
        book.submit(.limit(id: 10, side: .buy, price: 100, quantity: 4))
        let events = book.replace(id: 1, quantity: 8)
        #expect(events.replacements == [Replacement(id: 1, owner: 99, side: .sell, price: 100, stopPrice: nil,
                                                    quantity: 8, leaves: 4, keptPriority: true)])
        let order = try #require(book.order(1))
        #expect(order.filled == 4 && order.leaves == 4)
        #expect(book.bestAsk?.quantity == 4)
    }

    @Test func replaceAtOrBelowTheFilledQuantityCancelsTheRemainder() throws {
        var book = book(asks: [(1, 100, 10), (2, 100, 10)])
        book.submit(.limit(id: 10, side: .buy, price: 100, quantity: 4))
        var events = book.replace(id: 1, quantity: 4)
        #expect(events == [.cancelled(Cancellation(id: 1, owner: 99, side: .sell, cancelledQuantity: 6,
                                                   filledQuantity: 4, reason: .replacedAtOrBelowFilled))])
        #expect(book.order(1) == nil)
        book.submit(.limit(id: 11, side: .buy, price: 100, quantity: 1))
        events = book.replace(id: 2, quantity: 0)
        #expect(events.rejections.map(\.reason) == [.invalidQuantity])
        events = book.replace(id: 2, quantity: 1)
        #expect(events.cancellations.map(\.reason) == [.replacedAtOrBelowFilled])
        #expect(book.bestAsk == nil)
        try book.checkIntegrity()
    }

    @Test func replaceAWaitingStop() throws {
        var book = book(asks: [(1, 101, 5)], lastTradePrice: 100)
        book.submit(.stopLimit(id: 10, side: .buy, stopPrice: 103, limitPrice: 104, quantity: 2))
        book.submit(.stop(id: 11, side: .buy, stopPrice: 103, quantity: 2))

        // A limit price on a stop (market) order, a stop price on a resting order: refused.
        #expect(book.replace(id: 11, quantity: 2, price: 105).rejections.map(\.reason) == [.priceNotApplicable])
        book.submit(.limit(id: 12, side: .buy, price: 90, quantity: 1))
        #expect(book.replace(id: 12, quantity: 1, stopPrice: 95).rejections.map(\.reason) == [.priceNotApplicable])

        // Lowering the quantity keeps its place among stops at 103.
        var events = book.replace(id: 10, quantity: 1)
        #expect(events.replacements == [Replacement(id: 10, owner: 0, side: .buy, price: 104, stopPrice: 103,
                                                    quantity: 1, leaves: 1, keptPriority: true)])
        // A new stop price not yet reached: it waits at the new price.
        events = book.replace(id: 11, quantity: 2, stopPrice: 102)
        #expect(events.replacements.first?.stopPrice == 102)
        #expect(events.stopTriggers.isEmpty)
        #expect(book.order(11)?.type == .stop(stopPrice: 102))
        // A stop price the last trade has already reached triggers at once.
        events = book.replace(id: 10, quantity: 1, stopPrice: 100)
        #expect(events.stopTriggers.map(\.id) == [10])
        #expect(events.trades == [Trade(1, 101, 1)])
        try book.checkIntegrity()
    }
}
