// The book's storage: the order and level pools, the ladders, queue links and the expiry heap.
// Nothing here emits events or matches; OrderBook+Matching.swift builds on these.

enum LadderID {
    case bids, asks, buyStops, sellStops
}

extension OrderBook {
    /// A ladder by name, read or mutated in place (no copy of its arrays).
    subscript(ladder id: LadderID) -> PriceLadder {
        _read {
            switch id {
            case .bids: yield bids
            case .asks: yield asks
            case .buyStops: yield buyStops
            case .sellStops: yield sellStops
            }
        }
        _modify {
            switch id {
            case .bids: yield &bids
            case .asks: yield &asks
            case .buyStops: yield &buyStops
            case .sellStops: yield &sellStops
            }
        }
    }

    /// The ladder an order in a queue is in, and the price it is queued at.
    @inline(__always)
    func placement(_ slot: Int32) -> (ladder: LadderID, price: Int64) {
        let order = orders[slot]
        if order.status == .waiting {
            return (order.side == .buy ? .buyStops : .sellStops, order.stopPrice)
        }
        return (order.side == .buy ? .bids : .asks, order.price)
    }

    // MARK: Pools

    @inline(__always)
    mutating func allocateOrder() -> Int32 {
        if let slot = freeOrders.popLast() { return slot }
        orders.append(OrderSlot())
        return Int32(orders.count - 1)
    }

    /// Forgets a finished order: out of the id index and the expiry heap, back to the pool.
    /// The order must already be out of every queue.
    @inline(__always)
    mutating func release(_ slot: Int32) {
        index.remove(orders[slot].id)
        if orders[slot].heapIndex >= 0 { heapRemove(slot) }
        orders[slot].status = .free
        freeOrders.append(slot)
    }

    @inline(__always)
    mutating func allocateLevel(price: Int64) -> Int32 {
        let level = Level(price: price)
        if let index = freeLevels.popLast() {
            levels[index] = level
            return index
        }
        levels.append(level)
        return Int32(levels.count - 1)
    }

    // MARK: Queues

    /// Where `price` is or would go in a ladder. (A switch over the stored ladders rather than
    /// the subscript: reading through the accessor costs a retain and release per call.)
    @inline(__always)
    func position(in id: LadderID, of price: Int64) -> (index: Int, found: Bool) {
        switch id {
        case .bids: bids.position(of: price)
        case .asks: asks.position(of: price)
        case .buyStops: buyStops.position(of: price)
        case .sellStops: sellStops.position(of: price)
        }
    }

    @inline(__always)
    func level(in id: LadderID, at position: Int) -> Int32 {
        switch id {
        case .bids: bids.levels[position]
        case .asks: asks.levels[position]
        case .buyStops: buyStops.levels[position]
        case .sellStops: sellStops.levels[position]
        }
    }

    /// Appends an order to the back of the queue at `price` in `ladder`, creating the level.
    mutating func enqueue(_ slot: Int32, ladder id: LadderID, price: Int64) {
        let position = position(in: id, of: price)
        let level: Int32
        if position.found {
            level = self.level(in: id, at: position.index)
        } else {
            level = allocateLevel(price: price)
            switch id {
            case .bids: bids.insert(price: price, level: level, at: position.index)
            case .asks: asks.insert(price: price, level: level, at: position.index)
            case .buyStops: buyStops.insert(price: price, level: level, at: position.index)
            case .sellStops: sellStops.insert(price: price, level: level, at: position.index)
            }
        }
        let tail = levels[level].tail
        orders[slot].prev = tail
        orders[slot].next = -1
        orders[slot].level = level
        if tail >= 0 { orders[tail].next = slot } else { levels[level].head = slot }
        levels[level].tail = slot
        levels[level].count += 1
        levels[level].quantity += orders[slot].leaves
    }

    /// Takes an order out of its level's queue (leaving the level in its ladder). Returns true
    /// when the level is now empty, for the caller to remove.
    @inline(__always)
    mutating func unlink(_ slot: Int32) -> Bool {
        let order = orders[slot]
        let level = order.level
        if order.prev >= 0 { orders[order.prev].next = order.next } else { levels[level].head = order.next }
        if order.next >= 0 { orders[order.next].prev = order.prev } else { levels[level].tail = order.prev }
        levels[level].count -= 1
        levels[level].quantity -= order.leaves
        orders[slot].prev = -1
        orders[slot].next = -1
        orders[slot].level = -1
        return levels[level].count == 0
    }

    /// Takes a resting or waiting order out of the book, removing its level if it empties.
    mutating func removeFromBook(_ slot: Int32) {
        let (ladder, price) = placement(slot)
        let level = orders[slot].level
        if unlink(slot) {
            let position = position(in: ladder, of: price).index
            switch ladder {
            case .bids: bids.remove(at: position)
            case .asks: asks.remove(at: position)
            case .buyStops: buyStops.remove(at: position)
            case .sellStops: sellStops.remove(at: position)
            }
            freeLevels.append(level)
        }
    }

    /// Puts an order at the back of its limit price's queue.
    mutating func rest(_ slot: Int32) {
        orders[slot].status = .resting
        orders[slot].sequence = nextSequence
        nextSequence &+= 1
        enqueue(slot, ladder: orders[slot].side == .buy ? .bids : .asks, price: orders[slot].price)
    }

    /// Puts a stop order at the back of its stop price's queue, to wait for its trigger.
    mutating func park(_ slot: Int32) {
        orders[slot].status = .waiting
        orders[slot].sequence = nextSequence
        nextSequence &+= 1
        enqueue(slot, ladder: orders[slot].side == .buy ? .buyStops : .sellStops, price: orders[slot].stopPrice)
    }

    /// Slot indices of working orders that satisfy `include`, in book order (bids best first,
    /// asks best first, buy stops, sell stops; FIFO within a level).
    func workingSlots(where include: (OrderSlot) -> Bool) -> [Int32] {
        var result: [Int32] = []
        for id in [LadderID.bids, .asks, .buyStops, .sellStops] {
            let ladder = self[ladder: id]
            for level in ladder.levels.reversed() {
                var cursor = levels[level].head
                while cursor >= 0 {
                    if include(orders[cursor]) { result.append(cursor) }
                    cursor = orders[cursor].next
                }
            }
        }
        return result
    }

    // MARK: Expiry heap

    mutating func heapInsert(_ slot: Int32) {
        let order = orders[slot]
        expiries.append(ExpiryEntry(expireAt: order.expireAt, id: order.id, slot: slot))
        orders[slot].heapIndex = Int32(expiries.count - 1)
        siftUp(expiries.count - 1)
    }

    mutating func heapRemove(_ slot: Int32) {
        let position = Int(orders[slot].heapIndex)
        orders[slot].heapIndex = -1
        let last = expiries.removeLast()
        guard position < expiries.count else { return }
        expiries[position] = last
        orders[last.slot].heapIndex = Int32(position)
        siftDown(position)
        siftUp(Int(orders[last.slot].heapIndex))
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard expiries[child].precedes(expiries[parent]) else { return }
            swapHeapEntries(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = expiries.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var smallest = left
            if left + 1 < count && expiries[left + 1].precedes(expiries[left]) { smallest = left + 1 }
            guard expiries[smallest].precedes(expiries[parent]) else { return }
            swapHeapEntries(parent, smallest)
            parent = smallest
        }
    }

    private mutating func swapHeapEntries(_ a: Int, _ b: Int) {
        expiries.swapAt(a, b)
        orders[expiries[a].slot].heapIndex = Int32(a)
        orders[expiries[b].slot].heapIndex = Int32(b)
    }
}
