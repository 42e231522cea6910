import MatchingEngine
import TestSupport
import Testing

/// Thousands of random operations from a seeded generator, with the book's invariants and a
/// model built only from the events checked after every step.
@Suite struct PropertyTests {
    /// What the events say about one order.
    struct ModelOrder {
        var owner: UInt64
        var side: Side
        var quantity: Int64
        var filled: Int64 = 0
        /// The limit price (limit and stop-limit orders), nil for market and stop orders.
        var limit: Int64?
        /// Still waiting for its trigger.
        var isStop: Bool
        var timeInForce: TimeInForce
        var live = true
        var leaves: Int64 { quantity - filled }
    }

    struct Model {
        var orders: [UInt64: ModelOrder] = [:]
        var liveIDs: [UInt64] = []
        var lastTradeID: UInt64 = 0
        var trades = 0

        mutating func retire(_ id: UInt64) {
            orders[id]?.live = false
            if let position = liveIDs.firstIndex(of: id) { liveIDs.remove(at: position) }
        }
    }

    enum Request {
        case submit(NewOrder, expected: RejectReason?)
        case cancel(UInt64, expected: RejectReason?)
        case replace(UInt64, expected: RejectReason?)
        case other
    }

    @Test(arguments: [0x5EED as UInt64, 0xC0FFEE, 20_200_420])
    func randomOperationsKeepEveryInvariant(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var book = OrderBook(expectedOrders: 64)
        var model = Model()
        var events: [MatchEvent] = []
        var nextID: UInt64 = 1
        var now: Int64 = 0
        var mid: Int64 = 0

        for step in 0..<4_000 {
            events.removeAll(keepingCapacity: true)
            now += Int64(1 + random.next(upTo: 3))
            mid = max(-40, min(40, mid + Int64(random.next(upTo: 3)) - 1))
            let request: Request
            let roll = random.next(upTo: 100)
            if roll < 68 {
                let order = randomOrder(id: nextID, now: now, mid: mid, roll: roll, random: &random)
                nextID += 1
                request = .submit(order, expected: order.quantity > 0 ? nil : .invalidQuantity)
                book.submit(order, into: &events)
            } else if roll < 80 {
                let known = !model.liveIDs.isEmpty && random.next(upTo: 10) > 0
                let id = known ? model.liveIDs[random.next(upTo: model.liveIDs.count)] : 1_000_000 + UInt64(step)
                request = .cancel(id, expected: known ? nil : .unknownOrder)
                book.cancel(id: id, into: &events)
            } else if roll < 93 {
                guard !model.liveIDs.isEmpty else { continue }
                let id = model.liveIDs[random.next(upTo: model.liveIDs.count)]
                let order = try #require(model.orders[id])
                let quantity = Int64(random.next(upTo: Int(order.quantity) + 6)) - 1
                var price: Int64?
                var stopPrice: Int64?
                var expected: RejectReason? = quantity <= 0 ? .invalidQuantity : nil
                if random.next(upTo: 2) == 0 {
                    price = mid + Int64(random.next(upTo: 11)) - 5
                    // A stop order becomes a market order: it has no limit price to change.
                    if expected == nil && order.limit == nil { expected = .priceNotApplicable }
                }
                if random.next(upTo: 3) == 0 {
                    stopPrice = mid + Int64(random.next(upTo: 11)) - 5
                    if expected == nil && !order.isStop { expected = .priceNotApplicable }
                }
                request = .replace(id, expected: expected)
                book.replace(id: id, quantity: quantity, price: price, stopPrice: stopPrice, into: &events)
            } else if roll < 96 {
                guard let id = model.liveIDs.first else { continue }
                let duplicate = NewOrder.limit(id: id, side: .buy, price: mid, quantity: 1)
                request = .submit(duplicate, expected: .duplicateOrderID)
                book.submit(duplicate, into: &events)
            } else if roll < 99 {
                request = .other
                book.expire(now: now, into: &events)
            } else {
                request = .other
                if random.next(upTo: 4) == 0 { book.endOfDay(into: &events) }
            }

            try apply(events, for: request, to: &model, step: step)
            try check(book, against: model, now: now, step: step)
        }
        #expect(model.trades > 500, "the random mix should trade")
        #expect(model.orders.values.contains { $0.isStop && !$0.live })
    }

    func randomOrder(id: UInt64, now: Int64, mid: Int64, roll: Int, random: inout SeededRandom) -> NewOrder {
        let side: Side = random.next(upTo: 2) == 0 ? .buy : .sell
        let offset = Int64(random.next(upTo: 9)) - 4
        // Passive on average: buys a little below the middle, sells a little above.
        let price = side == .buy ? mid - 1 + offset : mid + 1 + offset
        let type: OrderType
        switch roll % 10 {
        case 0: type = .market
        case 1: type = .stop(stopPrice: side == .buy ? mid + 1 + abs(offset) : mid - 1 - abs(offset))
        case 2: type = .stopLimit(stopPrice: side == .buy ? mid + abs(offset) : mid - abs(offset), limitPrice: price)
        default: type = .limit(price: price)
        }
        let timeInForce: TimeInForce
        switch random.next(upTo: 20) {
        case 0..<7: timeInForce = .day
        case 7..<11: timeInForce = .goodTillCancel
        case 11..<14: timeInForce = .immediateOrCancel
        case 14..<16: timeInForce = .fillOrKill
        default: timeInForce = .goodTillDate(expireAt: now + Int64(random.next(upTo: 60)))
        }
        let prevention = random.next(upTo: 3) == 0
            ? SelfTradePrevention.allCases[random.next(upTo: 4)] : .none
        let quantity = random.next(upTo: 60) == 0 ? 0 : Int64(1 + random.next(upTo: 20))
        return NewOrder(id: id, owner: UInt64(1 + random.next(upTo: 4)), side: side, type: type,
                        quantity: quantity, timeInForce: timeInForce, selfTradePrevention: prevention)
    }

    /// Plays the events into the model, failing on any event the model cannot account for.
    func apply(_ events: [MatchEvent], for request: Request, to model: inout Model, step: Int) throws {
        let context = Comment(rawValue: "step \(step): \(events)")
        switch request {
        case .submit(let order, let expected):
            if let expected {
                #expect(events == [.rejected(Rejection(id: order.id, request: .submit, reason: expected))], context)
                return
            }
            #expect(events.first == .accepted(order), context)
        case .cancel(let id, let expected), .replace(let id, let expected):
            if let expected {
                let kind: RequestKind = if case .cancel = request { .cancel } else { .replace }
                #expect(events == [.rejected(Rejection(id: id, request: kind, reason: expected))], context)
                return
            }
        case .other:
            break
        }
        for event in events {
            switch event {
            case .accepted(let order):
                #expect(model.orders[order.id]?.live != true, context)
                model.orders[order.id] = ModelOrder(
                    owner: order.owner, side: order.side, quantity: order.quantity, limit: order.type.limitPrice,
                    isStop: order.type.stopPrice != nil, timeInForce: order.timeInForce)
                model.liveIDs.append(order.id)
            case .rejected(let rejection):
                Issue.record(Comment(rawValue: "unexpected reject \(rejection) at \(context.rawValue)"))
            case .fill(let fill):
                let aggressor = try #require(model.orders[fill.aggressorID], context)
                let resting = try #require(model.orders[fill.restingID], context)
                #expect(aggressor.live && resting.live && fill.aggressorID != fill.restingID, context)
                #expect(!aggressor.isStop && !resting.isStop, context)
                #expect(aggressor.side == fill.aggressorSide && resting.side == fill.aggressorSide.opposite, context)
                #expect(aggressor.owner == fill.aggressorOwner && resting.owner == fill.restingOwner, context)
                #expect(fill.quantity > 0, context)
                #expect(fill.tradeID == model.lastTradeID + 1, context)
                model.lastTradeID = fill.tradeID
                model.trades += 1
                // The trade is at the resting order's price, within the aggressor's limit.
                #expect(fill.price == resting.limit, context)
                if let limit = aggressor.limit {
                    #expect(fill.aggressorSide == .buy ? fill.price <= limit : fill.price >= limit, context)
                }
                model.orders[fill.aggressorID]?.filled += fill.quantity
                model.orders[fill.restingID]?.filled += fill.quantity
                #expect(model.orders[fill.aggressorID]?.leaves == fill.aggressorLeaves, context)
                #expect(model.orders[fill.restingID]?.leaves == fill.restingLeaves, context)
                #expect(fill.aggressorLeaves >= 0 && fill.restingLeaves >= 0, context)
                if fill.aggressorLeaves == 0 { model.retire(fill.aggressorID) }
                if fill.restingLeaves == 0 { model.retire(fill.restingID) }
            case .cancelled(let cancellation):
                let order = try #require(model.orders[cancellation.id], context)
                #expect(order.live, context)
                #expect(cancellation.cancelledQuantity == order.leaves && cancellation.cancelledQuantity > 0, context)
                #expect(cancellation.filledQuantity == order.filled, context)
                if cancellation.reason == .fillOrKillUnfilled { #expect(order.filled == 0, context) }
                model.retire(cancellation.id)
            case .replaced(let replacement):
                let order = try #require(model.orders[replacement.id], context)
                #expect(order.live, context)
                #expect(replacement.quantity > order.filled, context)
                #expect((replacement.price == nil) == (order.limit == nil), context)
                #expect((replacement.stopPrice == nil) == !order.isStop, context)
                model.orders[replacement.id]?.quantity = replacement.quantity
                model.orders[replacement.id]?.limit = replacement.price
                #expect(model.orders[replacement.id]?.leaves == replacement.leaves, context)
            case .stopTriggered(let trigger):
                let order = try #require(model.orders[trigger.id], context)
                #expect(order.live && order.isStop && order.side == trigger.side, context)
                #expect(order.side == .buy ? trigger.triggerPrice >= trigger.stopPrice
                                           : trigger.triggerPrice <= trigger.stopPrice, context)
                model.orders[trigger.id]?.isStop = false
            }
        }
    }

    func check(_ book: OrderBook, against model: Model, now: Int64, step: Int) throws {
        do {
            try book.checkIntegrity()
        } catch {
            Issue.record("step \(step): \(error)")
            throw error
        }
        var buyFilled: Int64 = 0
        var sellFilled: Int64 = 0
        for order in model.orders.values {
            if order.side == .buy { buyFilled += order.filled } else { sellFilled += order.filled }
        }
        #expect(buyFilled == sellFilled, "step \(step): bought \(buyFilled), sold \(sellFilled)")
        #expect(book.lastTradeID == model.lastTradeID)
        #expect(book.workingOrderCount == model.liveIDs.count, "step \(step)")
        for id in model.liveIDs {
            let order = try #require(model.orders[id])
            let state = try #require(book.order(id), "step \(step): order \(id) live in the model")
            #expect(state.quantity == order.quantity && state.filled == order.filled && state.leaves == order.leaves,
                    "step \(step): order \(id)")
            #expect(state.filled + state.leaves == state.quantity)
            // Orders that must not rest don't, except as stops waiting for their trigger.
            if state.status == .resting {
                #expect(state.type != .market, "step \(step): market order \(id) resting")
                #expect(order.timeInForce != .immediateOrCancel && order.timeInForce != .fillOrKill,
                        "step \(step): IOC/FOK order \(id) resting")
                #expect(!order.isStop, "step \(step): untriggered stop \(id) resting")
            } else {
                #expect(order.isStop, "step \(step): triggered order \(id) still waiting")
            }
        }
        // The levels' totals are the model's leaves, side by side.
        let depth = book.depth(maxLevels: .max)
        for (side, levels) in [(Side.buy, depth.bids), (.sell, depth.asks)] {
            let resting = model.liveIDs.compactMap { model.orders[$0] }.filter { $0.side == side && !$0.isStop }
            #expect(levels.map(\.quantity).reduce(0, +) == resting.map(\.leaves).reduce(0, +), "step \(step)")
            #expect(levels.map(\.orderCount).reduce(0, +) == resting.count, "step \(step)")
        }
    }
}

/// Pools, the id index and the ladders growing far past the expected size, then shrinking.
@Suite struct GrowthTests {
    @Test func growsPastItsExpectedSizeAndShrinksBack() throws {
        var random = SeededRandom(seed: 42)
        var book = OrderBook(expectedOrders: 1)
        var events: [MatchEvent] = []
        var ids: [UInt64] = []
        for index in 0..<10_000 {
            let id = UInt64(index) &* 0x1_0000_0001 // spread ids, not only small ones
            let side: Side = index % 2 == 0 ? .buy : .sell
            let offset = Int64(random.next(upTo: 2_000))
            book.submit(.limit(id: id, side: side, price: side == .buy ? -1 - offset : 1 + offset, quantity: 1),
                        into: &events)
            ids.append(id)
        }
        #expect(events.fills.isEmpty && events.rejections.isEmpty)
        #expect(book.workingOrderCount == 10_000)
        #expect(book.levelCount(.buy) > 1_500 && book.levelCount(.sell) > 1_500)
        try book.checkIntegrity()

        ids.shuffle(using: &random)
        events.removeAll()
        for id in ids.prefix(9_000) { book.cancel(id: id, into: &events) }
        #expect(events.cancellations.count == 9_000)
        #expect(book.workingOrderCount == 1_000)
        for id in ids.prefix(9_000) { #expect(book.order(id) == nil) }
        for id in ids.suffix(1_000) { #expect(book.order(id)?.leaves == 1) }
        try book.checkIntegrity()
    }
}
