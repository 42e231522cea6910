import MatchingEngine
import Testing

/// Self-trade prevention: the incoming order's mode decides what happens when it meets a
/// resting order of the same owner.
@Suite struct SelfTradePreventionTests {
    /// Resting sells: #1 owner 2 (3 lots), #2 owner 1 (5 lots), #3 owner 2 (5 lots), all at 100.
    func mixedBook() -> OrderBook {
        var book = OrderBook()
        book.submit(.limit(id: 1, owner: 2, side: .sell, price: 100, quantity: 3))
        book.submit(.limit(id: 2, owner: 1, side: .sell, price: 100, quantity: 5))
        book.submit(.limit(id: 3, owner: 2, side: .sell, price: 100, quantity: 5))
        return book
    }

    @Test func noneTradesWithItself() throws {
        var book = mixedBook()
        let events = book.submit(.limit(id: 10, owner: 1, side: .buy, price: 100, quantity: 10))
        #expect(events.trades == [Trade(1, 100, 3), Trade(2, 100, 5), Trade(3, 100, 2)])
        #expect(events.fills[1].aggressorOwner == events.fills[1].restingOwner)
    }

    @Test func cancelRestingRemovesTheOwnOrderAndKeepsMatching() throws {
        var book = mixedBook()
        let events = book.submit(.limit(id: 10, owner: 1, side: .buy, price: 100, quantity: 10,
                                        selfTradePrevention: .cancelResting))
        #expect(events.trades == [Trade(1, 100, 3), Trade(3, 100, 5)])
        #expect(events.cancellations == [Cancellation(id: 2, owner: 1, side: .sell, cancelledQuantity: 5,
                                                      filledQuantity: 0, reason: .selfTrade)])
        #expect(book.bestBid == PriceLevel(price: 100, quantity: 2, orderCount: 1))
        #expect(book.bestAsk == nil)
        try book.checkIntegrity()
    }

    @Test func cancelIncomingStopsAtTheOwnOrder() throws {
        var book = mixedBook()
        let events = book.submit(.limit(id: 10, owner: 1, side: .buy, price: 100, quantity: 10,
                                        selfTradePrevention: .cancelIncoming))
        #expect(events.trades == [Trade(1, 100, 3)])
        #expect(events.cancellations == [Cancellation(id: 10, owner: 1, side: .buy, cancelledQuantity: 7,
                                                      filledQuantity: 3, reason: .selfTrade)])
        #expect(book.workingOrders().map(\.id) == [2, 3])
        try book.checkIntegrity()
    }

    @Test func cancelBothCancelsEach() throws {
        var book = mixedBook()
        let events = book.submit(.limit(id: 10, owner: 1, side: .buy, price: 100, quantity: 10,
                                        selfTradePrevention: .cancelBoth))
        #expect(events.trades == [Trade(1, 100, 3)])
        #expect(events.cancellations.map(\.id) == [2, 10])
        #expect(events.cancellations.allSatisfy { $0.reason == .selfTrade })
        #expect(book.workingOrders().map(\.id) == [3])
        try book.checkIntegrity()
    }

    @Test func cancelRestingCanEmptyALevel() throws {
        var book = OrderBook()
        book.submit(.limit(id: 1, owner: 1, side: .sell, price: 100, quantity: 5))
        book.submit(.limit(id: 2, owner: 2, side: .sell, price: 101, quantity: 5))
        let events = book.submit(.market(id: 10, owner: 1, side: .buy, quantity: 2, selfTradePrevention: .cancelResting))
        #expect(events.cancellations.map(\.id) == [1])
        #expect(events.trades == [Trade(2, 101, 2)])
        #expect(book.levelCount(.sell) == 1)
        try book.checkIntegrity()
    }

    @Test func differentOwnersAreUnaffected() throws {
        var book = mixedBook()
        let events = book.submit(.limit(id: 10, owner: 7, side: .buy, price: 100, quantity: 13,
                                        selfTradePrevention: .cancelBoth))
        #expect(events.fills.count == 3)
        #expect(events.cancellations.isEmpty)
    }

    @Test func fillOrKillCountsOnlyWhatPreventionLetsItTrade() throws {
        var book = mixedBook()
        // cancel-incoming stops at #2: only 3 lots are reachable, so nothing happens.
        var events = book.submit(.limit(id: 10, owner: 1, side: .buy, price: 100, quantity: 4,
                                        timeInForce: .fillOrKill, selfTradePrevention: .cancelIncoming))
        #expect(events.fills.isEmpty)
        #expect(events.cancellations.map(\.id) == [10])
        #expect(events.cancellations.map(\.reason) == [.fillOrKillUnfilled])
        // cancel-resting skips #2: 8 lots reachable, but 9 wanted — nothing happens, #2 stays.
        events = book.submit(.limit(id: 11, owner: 1, side: .buy, price: 100, quantity: 9,
                                    timeInForce: .fillOrKill, selfTradePrevention: .cancelResting))
        #expect(events.fills.isEmpty)
        #expect(book.workingOrderCount == 3)
        // 8 wanted: #2 is cancelled and the rest fills.
        events = book.submit(.limit(id: 12, owner: 1, side: .buy, price: 100, quantity: 8,
                                    timeInForce: .fillOrKill, selfTradePrevention: .cancelResting))
        #expect(events.trades == [Trade(1, 100, 3), Trade(3, 100, 5)])
        #expect(events.cancellations.map(\.id) == [2])
        #expect(book.workingOrderCount == 0)
        try book.checkIntegrity()
    }
}
