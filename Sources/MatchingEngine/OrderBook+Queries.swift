// Read-only views of a book: top of book, depth, one order's state, its place in the queue.

/// The aggregate of one price level.
public struct PriceLevel: Sendable, Hashable {
    public var price: Int64
    /// The total leaves quantity of the orders at this price.
    public var quantity: Int64
    public var orderCount: Int

    public init(price: Int64, quantity: Int64, orderCount: Int) {
        self.price = price
        self.quantity = quantity
        self.orderCount = orderCount
    }
}

/// Market by price: the best levels of each side, best first.
public struct BookDepth: Sendable, Hashable {
    public var bids: [PriceLevel]
    public var asks: [PriceLevel]

    public init(bids: [PriceLevel], asks: [PriceLevel]) {
        self.bids = bids
        self.asks = asks
    }
}

/// Where a working order is.
public enum OrderStatus: UInt8, Sendable, Hashable {
    /// In the bid or ask queue at its limit price.
    case resting
    /// A stop order waiting for the last trade to reach its stop price.
    case waitingForTrigger
}

/// A working order as the book holds it now.
public struct OrderState: Sendable, Hashable {
    public var id: UInt64
    public var owner: UInt64
    public var side: Side
    /// The order as it works now: a triggered stop-limit order is a `.limit` order.
    public var type: OrderType
    /// The total quantity, filled quantity included (after any replace).
    public var quantity: Int64
    public var filled: Int64
    public var leaves: Int64
    public var timeInForce: TimeInForce
    public var selfTradePrevention: SelfTradePrevention
    public var status: OrderStatus

    public init(id: UInt64, owner: UInt64, side: Side, type: OrderType, quantity: Int64, filled: Int64,
                leaves: Int64, timeInForce: TimeInForce, selfTradePrevention: SelfTradePrevention,
                status: OrderStatus) {
        self.id = id
        self.owner = owner
        self.side = side
        self.type = type
        self.quantity = quantity
        self.filled = filled
        self.leaves = leaves
        self.timeInForce = timeInForce
        self.selfTradePrevention = selfTradePrevention
        self.status = status
    }
}

/// An order's place in its queue.
public struct QueuePosition: Sendable, Hashable {
    /// Orders ahead of it at its price.
    public var ordersAhead: Int
    /// Their total leaves quantity.
    public var quantityAhead: Int64

    public init(ordersAhead: Int, quantityAhead: Int64) {
        self.ordersAhead = ordersAhead
        self.quantityAhead = quantityAhead
    }
}

extension OrderBook {
    /// The highest bid level.
    public var bestBid: PriceLevel? { bids.best.map(priceLevel) }

    /// The lowest ask level.
    public var bestAsk: PriceLevel? { asks.best.map(priceLevel) }

    /// Up to `maxLevels` levels of one side, best first.
    public func depth(_ side: Side, maxLevels: Int) -> [PriceLevel] {
        var result: [PriceLevel] = []
        depth(side, maxLevels: maxLevels, into: &result)
        return result
    }

    /// Appends up to `maxLevels` levels of one side, best first, to a reusable buffer.
    public func depth(_ side: Side, maxLevels: Int, into result: inout [PriceLevel]) {
        let ladder = side == .buy ? bids : asks
        var position = ladder.count - 1
        var taken = 0
        while position >= 0 && taken < maxLevels {
            result.append(priceLevel(ladder.levels[position]))
            position -= 1
            taken += 1
        }
    }

    /// Up to `maxLevels` levels of each side, best first.
    public func depth(maxLevels: Int) -> BookDepth {
        BookDepth(bids: depth(.buy, maxLevels: maxLevels), asks: depth(.sell, maxLevels: maxLevels))
    }

    /// The number of working orders (resting and waiting for a trigger).
    public var workingOrderCount: Int { index.count }

    /// The number of price levels on a side.
    public func levelCount(_ side: Side) -> Int { side == .buy ? bids.count : asks.count }

    /// A working order's state; nil when no working order has `id` (the book forgets orders
    /// once they are filled or cancelled: their events say how they ended).
    public func order(_ id: UInt64) -> OrderState? {
        guard let slot = index.find(id) else { return nil }
        return state(of: slot)
    }

    /// A working order's place in its queue (resting or waiting). Walks the queue from its
    /// head, so it costs one step per order ahead.
    public func queuePosition(of id: UInt64) -> QueuePosition? {
        guard let slot = index.find(id) else { return nil }
        var position = QueuePosition(ordersAhead: 0, quantityAhead: 0)
        var cursor = levels[orders[slot].level].head
        while cursor >= 0 && cursor != slot {
            position.ordersAhead += 1
            position.quantityAhead += orders[cursor].leaves
            cursor = orders[cursor].next
        }
        return position
    }

    /// Every working order, optionally only `owner`'s, in book order: bids best first, asks
    /// best first, buy stops nearest first, sell stops nearest first; FIFO within a price.
    public func workingOrders(owner: UInt64? = nil) -> [OrderState] {
        workingSlots { owner == nil || $0.owner == owner }.map(state)
    }

    private func priceLevel(_ level: Int32) -> PriceLevel {
        let level = levels[level]
        return PriceLevel(price: level.price, quantity: level.quantity, orderCount: Int(level.count))
    }

    private func state(of slot: Int32) -> OrderState {
        let order = orders[slot]
        return OrderState(
            id: order.id, owner: order.owner, side: order.side, type: order.orderType,
            quantity: order.quantity, filled: order.filled, leaves: order.leaves,
            timeInForce: order.timeInForce, selfTradePrevention: order.selfTradePrevention,
            status: order.status == .waiting ? .waitingForTrigger : .resting)
    }
}
