// Matching: an order that is executing (just arrived, triggered, or replaced to a new price)
// trades against the opposite side, then rests, parks or is cancelled; stops its trades reach
// are triggered and run in turn.

extension OrderBook {
    /// Runs an executing order against the book and decides what happens to its remainder.
    mutating func execute(_ slot: Int32, into events: inout [MatchEvent]) {
        executionTraded = false
        let side = orders[slot].side
        let kind = orders[slot].kind
        let duration = orders[slot].duration
        if duration == .fillOrKill && !canFillCompletely(slot) {
            finish(slot, reason: .fillOrKillUnfilled, into: &events)
            return
        }
        let cancelledBySelfTrade = match(slot, into: &events)
        if !cancelledBySelfTrade {
            if orders[slot].leaves == 0 {
                release(slot)
            } else if kind == .market {
                finish(slot, reason: .marketNoLiquidity, into: &events)
            } else if duration == .immediateOrCancel {
                finish(slot, reason: .immediateOrCancelRemainder, into: &events)
            } else if duration == .fillOrKill {
                // Not reached: the check above found enough quantity. Never rest a FOK order.
                finish(slot, reason: .fillOrKillUnfilled, into: &events)
            } else {
                rest(slot)
            }
        }
        if executionTraded { collectTriggeredStops(aggressorSide: side, into: &events) }
    }

    /// Trades an executing order against the opposite side's best levels while its price
    /// allows. Returns true when self-trade prevention cancelled the incoming order (it has
    /// then been released).
    mutating func match(_ slot: Int32, into events: inout [MatchEvent]) -> Bool {
        let side = orders[slot].side
        let owner = orders[slot].owner
        let id = orders[slot].id
        let selfTrade = orders[slot].selfTradePrevention
        let limited = orders[slot].kind != .market
        let limit = orders[slot].price
        var remaining = orders[slot].leaves
        var incomingCancelled = false

        while remaining > 0 {
            guard let level = side == .buy ? asks.best : bids.best else { break }
            let price = levels[level].price
            if limited && (side == .buy ? price > limit : price < limit) { break }
            var cursor = levels[level].head
            var tradedHere = false
            while cursor >= 0 && remaining > 0 {
                let next = orders[cursor].next
                let restingOwner = orders[cursor].owner
                if selfTrade != .none && restingOwner == owner {
                    if selfTrade == .cancelResting || selfTrade == .cancelBoth {
                        _ = unlink(cursor)
                        finish(cursor, reason: .selfTrade, into: &events)
                    }
                    if selfTrade == .cancelIncoming || selfTrade == .cancelBoth {
                        incomingCancelled = true
                        break
                    }
                    cursor = next
                    continue
                }
                let restingLeaves = orders[cursor].leaves
                let quantity = min(remaining, restingLeaves)
                remaining -= quantity
                orders[cursor].leaves = restingLeaves - quantity
                levels[level].quantity -= quantity
                lastTradeID &+= 1
                tradedHere = true
                events.append(.fill(Fill(
                    tradeID: lastTradeID, price: price, quantity: quantity, aggressorSide: side,
                    aggressorID: id, aggressorOwner: owner, aggressorLeaves: remaining,
                    restingID: orders[cursor].id, restingOwner: restingOwner,
                    restingLeaves: restingLeaves - quantity)))
                if restingLeaves == quantity {
                    _ = unlink(cursor)
                    release(cursor)
                }
                cursor = next
            }
            if tradedHere { recordTrade(at: price) }
            if levels[level].count == 0 {
                if side == .buy { asks.removeBest() } else { bids.removeBest() }
                freeLevels.append(level)
            }
            if incomingCancelled { break }
        }
        orders[slot].leaves = remaining
        if incomingCancelled { finish(slot, reason: .selfTrade, into: &events) }
        return incomingCancelled
    }

    @inline(__always)
    private mutating func recordTrade(at price: Int64) {
        lastTradePrice = price
        if executionTraded {
            executionLow = min(executionLow, price)
            executionHigh = max(executionHigh, price)
        } else {
            executionTraded = true
            executionLow = price
            executionHigh = price
        }
    }

    /// Whether a FOK order would fill completely now: the opposite side's quantity at
    /// acceptable prices, less the orders self-trade prevention would cancel rather than trade
    /// with, and none beyond the first such order when prevention would cancel the incoming one.
    func canFillCompletely(_ slot: Int32) -> Bool {
        let order = orders[slot]
        var needed = order.leaves
        let ladder = order.side == .buy ? asks : bids
        var position = ladder.count - 1
        while position >= 0 {
            let level = levels[ladder.levels[position]]
            if order.kind != .market && (order.side == .buy ? level.price > order.price : level.price < order.price) {
                return false
            }
            if order.selfTradePrevention == .none {
                needed -= level.quantity
            } else {
                var cursor = level.head
                while cursor >= 0 {
                    let resting = orders[cursor]
                    if resting.owner == order.owner {
                        if order.selfTradePrevention != .cancelResting { return false }
                    } else {
                        needed -= resting.leaves
                        if needed <= 0 { return true }
                    }
                    cursor = resting.next
                }
            }
            if needed <= 0 { return true }
            position -= 1
        }
        return false
    }

    /// Cancels an order that is in no queue (executing, or just unlinked): the event, then the
    /// slot back to the pool.
    mutating func finish(_ slot: Int32, reason: CancelReason, into events: inout [MatchEvent]) {
        let order = orders[slot]
        events.append(.cancelled(Cancellation(
            id: order.id, owner: order.owner, side: order.side,
            cancelledQuantity: order.leaves, filledQuantity: order.filled, reason: reason)))
        release(slot)
    }

    /// Cancels a working order: out of its queue, the event, then the slot back to the pool.
    mutating func cancelWorking(_ slot: Int32, reason: CancelReason, into events: inout [MatchEvent]) {
        if orders[slot].status == .resting || orders[slot].status == .waiting { removeFromBook(slot) }
        finish(slot, reason: reason, into: &events)
    }

    func replacement(_ slot: Int32, waiting: Bool, keptPriority: Bool) -> Replacement {
        let order = orders[slot]
        return Replacement(
            id: order.id, owner: order.owner, side: order.side,
            price: order.kind == .stop ? nil : order.price,
            stopPrice: waiting ? order.stopPrice : nil,
            quantity: order.quantity, leaves: order.leaves, keptPriority: keptPriority)
    }

    // MARK: Stops

    /// Whether the last trade price has reached a stop order's stop price.
    func stopReached(_ slot: Int32) -> Bool {
        guard let last = lastTradePrice else { return false }
        let order = orders[slot]
        return order.side == .buy ? last >= order.stopPrice : last <= order.stopPrice
    }

    /// Turns a stop order (in no queue) into the market or limit order it becomes.
    mutating func trigger(_ slot: Int32, at price: Int64, into events: inout [MatchEvent]) {
        let order = orders[slot]
        events.append(.stopTriggered(StopTrigger(
            id: order.id, owner: order.owner, side: order.side, stopPrice: order.stopPrice, triggerPrice: price)))
        orders[slot].kind = order.kind == .stop ? .market : .limit
        orders[slot].status = .executing
    }

    /// Triggers the stops the execution just finished reached and queues them to execute.
    private mutating func collectTriggeredStops(aggressorSide: Side, into events: inout [MatchEvent]) {
        if buyStops.isEmpty && sellStops.isEmpty { return }
        let low = executionLow
        let high = executionHigh
        if aggressorSide == .buy {
            collectStops(.sellStops, reachedBy: low, into: &events)
            collectStops(.buyStops, reachedBy: high, into: &events)
        } else {
            collectStops(.buyStops, reachedBy: high, into: &events)
            collectStops(.sellStops, reachedBy: low, into: &events)
        }
    }

    /// Triggers, nearest first, the stops of `ladder` a trade at `price` reaches.
    private mutating func collectStops(_ ladder: LadderID, reachedBy price: Int64, into events: inout [MatchEvent]) {
        let buys = ladder == .buyStops
        while let level = self[ladder: ladder].best,
              buys ? levels[level].price <= price : levels[level].price >= price {
            var cursor = levels[level].head
            while cursor >= 0 {
                let next = orders[cursor].next
                _ = unlink(cursor)
                trigger(cursor, at: price, into: &events)
                triggered.append(cursor)
                cursor = next
            }
            self[ladder: ladder].removeBest()
            freeLevels.append(level)
        }
    }

    /// Executes triggered stops in the order they triggered, including those their own trades
    /// trigger, until none is left.
    mutating func drainTriggeredStops(into events: inout [MatchEvent]) {
        if triggered.isEmpty { return }
        var next = 0
        while next < triggered.count {
            let slot = triggered[next]
            next += 1
            execute(slot, into: &events)
        }
        triggered.removeAll(keepingCapacity: true)
    }
}
