/// A broken internal invariant of an ``OrderBook``, found by ``OrderBook/checkIntegrity()``.
public struct OrderBookIntegrityError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { "order book integrity: \(message)" }
}

extension OrderBook {
    /// Checks every structural invariant, in time linear in the book's size: for tests,
    /// debugging and after restoring a book, never on the order path.
    ///
    /// The book is not crossed (best bid < best ask); ladders are strictly sorted; each
    /// level's queue links are consistent, FIFO by time priority, hold orders of the right
    /// side and status at the level's price, and its count and quantity are the sums of its
    /// orders; every queued order has positive leaves no greater than its quantity and is in
    /// the id index, which holds nothing else; the expiry heap holds exactly the GTD orders in
    /// heap order; every buy stop is above and every sell stop below the last trade price.
    public func checkIntegrity() throws(OrderBookIntegrityError) {
        if let bid = bestBid, let ask = bestAsk, bid.price >= ask.price {
            throw OrderBookIntegrityError("book crossed at rest: best bid \(bid.price) ≥ best ask \(ask.price)")
        }
        var queued = 0
        var gtd = 0
        let ladders: [(LadderID, String, Side, OrderSlot.Status)] = [
            (.bids, "bids", .buy, .resting), (.asks, "asks", .sell, .resting),
            (.buyStops, "buy stops", .buy, .waiting), (.sellStops, "sell stops", .sell, .waiting),
        ]
        for (id, name, side, status) in ladders {
            let ladder = self[ladder: id]
            guard ladder.keys.count == ladder.levels.count else {
                throw OrderBookIntegrityError("\(name): \(ladder.keys.count) keys for \(ladder.levels.count) levels")
            }
            for position in ladder.levels.indices {
                if position > 0 && ladder.keys[position - 1] >= ladder.keys[position] {
                    throw OrderBookIntegrityError("\(name): levels not strictly sorted at position \(position)")
                }
                let levelIndex = ladder.levels[position]
                let level = levels[levelIndex]
                let price = ladder.price(ofKey: ladder.keys[position])
                if level.price != price {
                    throw OrderBookIntegrityError("\(name): level at \(price) says price \(level.price)")
                }
                if level.count <= 0 {
                    throw OrderBookIntegrityError("\(name): empty level at \(price) left in the ladder")
                }
                if let last = lastTradePrice, status == .waiting,
                   side == .buy ? price <= last : price >= last {
                    throw OrderBookIntegrityError("\(name): stop at \(price) waiting although the last trade was \(last)")
                }
                var count: Int32 = 0
                var quantity: Int64 = 0
                var previous: Int32 = -1
                var previousSequence: UInt64 = 0
                var cursor = level.head
                while cursor >= 0 {
                    let order = orders[cursor]
                    let where_ = "\(name) at \(price), order \(order.id)"
                    if order.prev != previous { throw OrderBookIntegrityError("\(where_): broken back link") }
                    if order.level != levelIndex { throw OrderBookIntegrityError("\(where_): wrong level index") }
                    if order.side != side || order.status != status {
                        throw OrderBookIntegrityError("\(where_): side \(order.side), status \(order.status)")
                    }
                    if (status == .waiting ? order.stopPrice : order.price) != price {
                        throw OrderBookIntegrityError("\(where_): queued at the wrong price")
                    }
                    if order.leaves <= 0 || order.leaves > order.quantity {
                        throw OrderBookIntegrityError("\(where_): leaves \(order.leaves) of quantity \(order.quantity)")
                    }
                    if count > 0 && order.sequence <= previousSequence {
                        throw OrderBookIntegrityError("\(where_): queue not in time priority")
                    }
                    if index.find(order.id) != cursor {
                        throw OrderBookIntegrityError("\(where_): id index does not point at it")
                    }
                    if (order.duration == .goodTillDate) != (order.heapIndex >= 0) {
                        throw OrderBookIntegrityError("\(where_): expiry heap membership wrong")
                    }
                    if order.duration == .goodTillDate { gtd += 1 }
                    count += 1
                    quantity += order.leaves
                    previous = cursor
                    previousSequence = order.sequence
                    cursor = order.next
                }
                if previous != level.tail { throw OrderBookIntegrityError("\(name) at \(price): wrong tail") }
                if count != level.count || quantity != level.quantity {
                    throw OrderBookIntegrityError(
                        "\(name) at \(price): level says \(level.count) orders, \(level.quantity) lots; queue has \(count), \(quantity)")
                }
                queued += Int(count)
            }
        }
        if queued != index.count {
            throw OrderBookIntegrityError("\(queued) orders queued but \(index.count) in the id index")
        }
        if gtd != expiries.count {
            throw OrderBookIntegrityError("\(gtd) GTD orders queued but \(expiries.count) in the expiry heap")
        }
        for position in expiries.indices {
            if orders[expiries[position].slot].heapIndex != Int32(position) {
                throw OrderBookIntegrityError("expiry heap entry \(position) not where its order says")
            }
            if position > 0 && expiries[position].precedes(expiries[(position - 1) / 2]) {
                throw OrderBookIntegrityError("expiry heap out of order at \(position)")
            }
        }
        if orders.count - freeOrders.count != index.count {
            throw OrderBookIntegrityError("\(orders.count - freeOrders.count) pool slots in use for \(index.count) orders")
        }
        if !triggered.isEmpty { throw OrderBookIntegrityError("triggered stops left unexecuted") }
    }
}
