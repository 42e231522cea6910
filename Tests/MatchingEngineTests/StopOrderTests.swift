import MatchingEngine
import Testing

/// Stop and stop-limit orders: triggers on the last trade price, order, cascades.
@Suite struct StopOrderTests {
    @Test func buyStopWaitsThenBecomesAMarketOrder() throws {
        var book = book(asks: [(1, 101, 3), (2, 102, 5), (3, 103, 5)], lastTradePrice: 100)
        var events = book.submit(.stop(id: 10, owner: 1, side: .buy, stopPrice: 102, quantity: 5))
        #expect(events.count == 1)
        #expect(book.order(10)?.status == .waitingForTrigger)
        #expect(book.order(10)?.type == .stop(stopPrice: 102))

        events = book.submit(.limit(id: 20, side: .buy, price: 101, quantity: 3))
        #expect(events.stopTriggers.isEmpty)
        #expect(book.lastTradePrice == 101)

        events = book.submit(.limit(id: 21, side: .buy, price: 102, quantity: 1))
        #expect(events.stopTriggers == [StopTrigger(id: 10, owner: 1, side: .buy, stopPrice: 102, triggerPrice: 102)])
        // The trigger's trade, then the stop as a market order.
        #expect(events.trades == [Trade(2, 102, 1), Trade(2, 102, 4), Trade(3, 103, 1)])
        #expect(events.fills.map(\.aggressorID) == [21, 10, 10])
        #expect(book.order(10) == nil)
        #expect(book.lastTradePrice == 103)
        try book.checkIntegrity()
    }

    @Test func sellStopTriggersWhenLastTradeIsAtOrBelowIt() throws {
        var book = book(bids: [(1, 99, 1), (2, 98, 1), (3, 95, 10)], lastTradePrice: 100)
        book.submit(.stop(id: 10, side: .sell, stopPrice: 98, quantity: 4))
        var events = book.submit(.limit(id: 20, side: .sell, price: 99, quantity: 1))
        #expect(events.stopTriggers.isEmpty)
        events = book.submit(.limit(id: 21, side: .sell, price: 98, quantity: 1))
        #expect(events.stopTriggers.map(\.id) == [10])
        #expect(events.trades == [Trade(2, 98, 1), Trade(3, 95, 4)])
        try book.checkIntegrity()
    }

    @Test func stopLimitBecomesALimitOrderThatRests() throws {
        var book = book(asks: [(1, 100, 1), (2, 104, 5)], lastTradePrice: 99)
        book.submit(.stopLimit(id: 10, side: .buy, stopPrice: 100, limitPrice: 101, quantity: 3, timeInForce: .goodTillCancel))
        let events = book.submit(.limit(id: 20, side: .buy, price: 100, quantity: 1))
        #expect(events.stopTriggers.map(\.id) == [10])
        #expect(events.fills.count == 1)
        let order = try #require(book.order(10))
        #expect(order.status == .resting)
        #expect(order.type == .limit(price: 101))
        #expect(order.timeInForce == .goodTillCancel)
        #expect(book.bestBid == PriceLevel(price: 101, quantity: 3, orderCount: 1))
        try book.checkIntegrity()
    }

    @Test func stopsCascade() throws {
        var book = book(asks: [(1, 100, 1), (2, 101, 2), (3, 103, 2), (4, 105, 5)], lastTradePrice: 99)
        book.submit(.stop(id: 10, side: .buy, stopPrice: 101, quantity: 2))
        book.submit(.stop(id: 11, side: .buy, stopPrice: 103, quantity: 2))
        var events = book.submit(.limit(id: 20, side: .buy, price: 100, quantity: 1))
        #expect(events.stopTriggers.isEmpty)
        events = book.submit(.limit(id: 21, side: .buy, price: 101, quantity: 1))
        // 21 trades at 101, triggering 10, whose trade at 103 triggers 11.
        let shape: [String] = events.map {
            switch $0 {
            case .accepted(let order): "accepted \(order.id)"
            case .fill(let fill): "fill \(fill.aggressorID) \(fill.quantity)@\(fill.price)"
            case .stopTriggered(let trigger): "triggered \(trigger.id)"
            default: "\($0)"
            }
        }
        #expect(shape == ["accepted 21", "fill 21 1@101", "triggered 10", "fill 10 1@101", "fill 10 1@103",
                          "triggered 11", "fill 11 1@103", "fill 11 1@105"])
        #expect(book.workingOrderCount == 1)
        #expect(book.bestAsk == PriceLevel(price: 105, quantity: 4, orderCount: 1))
        try book.checkIntegrity()
    }

    @Test func stopsReachedTogetherRunNearestFirstThenFIFO() throws {
        var book = book(asks: [(1, 103, 1), (2, 110, 100)], lastTradePrice: 100)
        book.submit(.stop(id: 10, side: .buy, stopPrice: 102, quantity: 1))
        book.submit(.stop(id: 11, side: .buy, stopPrice: 102, quantity: 1))
        book.submit(.stop(id: 12, side: .buy, stopPrice: 101, quantity: 1))
        book.submit(.stop(id: 13, side: .buy, stopPrice: 104, quantity: 1))
        let events = book.submit(.limit(id: 20, side: .buy, price: 103, quantity: 1))
        // 103 reaches 101 and 102; their trades at 110 then reach 104.
        #expect(events.stopTriggers.map(\.id) == [12, 10, 11, 13])
        #expect(events.fills.map(\.aggressorID) == [20, 12, 10, 11, 13])
        try book.checkIntegrity()
    }

    @Test func aBuyWalkingUpThroughLowPricesTriggersSellStopsItPassed() throws {
        // Last 100; a sell stop at 98 waits. A buy lifts asks at 97 then 99: the trade at 97
        // reached the stop even though the last trade ends at 99.
        var book = book(asks: [(1, 97, 1), (2, 99, 1)], bids: [(3, 90, 5)], lastTradePrice: 100)
        book.submit(.stop(id: 10, side: .sell, stopPrice: 98, quantity: 2))
        let events = book.submit(.limit(id: 20, side: .buy, price: 99, quantity: 2))
        #expect(events.stopTriggers.map(\.id) == [10])
        #expect(events.stopTriggers.map(\.triggerPrice) == [97])
        #expect(events.trades == [Trade(1, 97, 1), Trade(2, 99, 1), Trade(3, 90, 2)])
        #expect(book.lastTradePrice == 90)
        try book.checkIntegrity()
    }

    @Test func aStopAlreadyReachedTriggersOnArrival() throws {
        var book = book(asks: [(1, 101, 5)], lastTradePrice: 100)
        let events = book.submit(.stop(id: 10, side: .buy, stopPrice: 99, quantity: 2))
        #expect(events.stopTriggers == [StopTrigger(id: 10, owner: 0, side: .buy, stopPrice: 99, triggerPrice: 100)])
        #expect(events.trades == [Trade(1, 101, 2)])
    }

    @Test func stopsWaitWhenTheBookHasNotTraded() throws {
        var book = OrderBook()
        book.submit(.stop(id: 1, side: .buy, stopPrice: 100, quantity: 1))
        book.submit(.stop(id: 2, side: .sell, stopPrice: 100, quantity: 1))
        #expect(book.workingOrders().map(\.status) == [.waitingForTrigger, .waitingForTrigger])
        try book.checkIntegrity()
    }

    @Test func triggeredStopWithNoLiquidityIsCancelled() throws {
        var book = book(asks: [(1, 100, 1)], lastTradePrice: 99)
        book.submit(.stop(id: 10, side: .buy, stopPrice: 100, quantity: 3))
        let events = book.submit(.limit(id: 20, side: .buy, price: 100, quantity: 1))
        #expect(events.stopTriggers.map(\.id) == [10])
        #expect(events.cancellations.map(\.reason) == [.marketNoLiquidity])
        #expect(book.workingOrderCount == 0)
    }

    @Test func stopsWorkAtNegativePrices() throws {
        var book = book(bids: [(1, -3700, 1), (2, -4032, 10)], lastTradePrice: -3600)
        book.submit(.stop(id: 10, side: .sell, stopPrice: -3700, quantity: 3))
        let events = book.submit(.market(id: 20, side: .sell, quantity: 1))
        #expect(events.stopTriggers.map(\.id) == [10])
        #expect(events.trades == [Trade(1, -3700, 1), Trade(2, -4032, 3)])
        #expect(book.lastTradePrice == -4032)
    }
}
