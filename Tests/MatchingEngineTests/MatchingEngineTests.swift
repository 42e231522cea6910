import MatchingEngine
import Testing

/// The set of books: routing by symbol and by book id, unknown symbols, operations on all.
@Suite struct MatchingEngineTests {
    @Test func routesEachOrderToItsInstrumentsBook() throws {
        var engine = MatchingEngine()
        let cl = engine.addInstrument("CLZ6")
        engine.addInstrument("BZF7", lastTradePrice: 7_400)
        #expect(engine.addInstrument("CLZ6") == cl)
        #expect(engine.symbols == ["CLZ6", "BZF7"])
        #expect(engine.bookID(for: "BZF7") != cl)

        var events: [MatchEvent] = []
        engine.submit(.limit(id: 1, side: .sell, price: 7_125, quantity: 5), symbol: "CLZ6", into: &events)
        // The same id in another book is another order.
        engine.submit(.limit(id: 1, side: .buy, price: 7_125, quantity: 5), symbol: "BZF7", into: &events)
        #expect(events.fills.isEmpty && events.rejections.isEmpty)
        #expect(engine["CLZ6"]?.bestAsk?.price == 7_125)
        #expect(engine["BZF7"]?.bestBid?.price == 7_125)
        #expect(engine["BZF7"]?.lastTradePrice == 7_400)

        events.removeAll()
        engine.submit(.limit(id: 2, side: .buy, price: 7_130, quantity: 2), book: cl, into: &events)
        #expect(events.trades == [Trade(1, 7_125, 2)])
        engine.replace(id: 1, symbol: "CLZ6", quantity: 4, into: &events)
        #expect(events.replacements.first?.leaves == 2)
        engine.cancel(id: 1, book: cl, into: &events)
        #expect(events.cancellations.map(\.id) == [1])
        #expect(engine["CLZ6"]?.workingOrderCount == 0)
        #expect(engine["BZF7"]?.workingOrderCount == 1)

        let depth = engine.withBook("BZF7") { $0.depth(maxLevels: 1) }
        #expect(depth?.bids.first?.quantity == 5)
    }

    @Test func unknownSymbolsAreRejected() throws {
        var engine = MatchingEngine()
        var events: [MatchEvent] = []
        engine.submit(.market(id: 1, side: .buy, quantity: 1), symbol: "XXX", into: &events)
        engine.cancel(id: 1, symbol: "XXX", into: &events)
        engine.replace(id: 1, symbol: "XXX", quantity: 1, into: &events)
        #expect(events.rejections == [
            Rejection(id: 1, request: .submit, reason: .unknownInstrument),
            Rejection(id: 1, request: .cancel, reason: .unknownInstrument),
            Rejection(id: 1, request: .replace, reason: .unknownInstrument),
        ])
        #expect(engine["XXX"] == nil)
        #expect(engine.withBook("XXX") { $0.workingOrderCount } == nil)
    }

    @Test func expiryAndEndOfDayReportEventsPerSymbol() throws {
        var engine = MatchingEngine()
        engine.addInstrument("CLZ6")
        engine.addInstrument("HOZ6")
        engine.addInstrument("RBZ6")
        var events: [MatchEvent] = []
        engine.submit(.limit(id: 1, side: .buy, price: 1, quantity: 1, timeInForce: .goodTillDate(expireAt: 50)),
                      symbol: "HOZ6", into: &events)
        engine.submit(.limit(id: 2, side: .buy, price: 1, quantity: 1), symbol: "CLZ6", into: &events)
        engine.submit(.limit(id: 3, owner: 4, side: .buy, price: 1, quantity: 1, timeInForce: .goodTillCancel),
                      symbol: "RBZ6", into: &events)

        let expired = engine.expire(now: 100)
        #expect(expired.map(\.symbol) == ["HOZ6"])
        #expect(expired.first?.events.cancellations.map(\.reason) == [.expired])
        let closed = engine.endOfDay()
        #expect(closed.map(\.symbol) == ["CLZ6"])
        let killed = engine.cancelAll(owner: 4)
        #expect(killed.map(\.symbol) == ["RBZ6"])
        #expect(engine.books.allSatisfy { $0.workingOrderCount == 0 })
    }
}
