/// One order in the book's pool: a flat, trivially copyable record addressed by its index, so
/// the FIFO queues are intrusive doubly linked lists of `Int32` indices and adding, filling or
/// cancelling an order allocates nothing once the pool has grown to the book's working size.
struct OrderSlot: Sendable {
    enum Kind: UInt8, Sendable {
        case market, limit, stop, stopLimit
    }

    enum Duration: UInt8, Sendable {
        case day, goodTillCancel, immediateOrCancel, fillOrKill, goodTillDate
    }

    enum Status: UInt8, Sendable {
        /// On the free list.
        case free
        /// Being matched (just arrived, just triggered, or replaced to a new price): in no queue.
        case executing
        /// In a bid or ask level's queue.
        case resting
        /// In a stop level's queue, waiting for its trigger.
        case waiting
    }

    var id: UInt64 = 0
    var owner: UInt64 = 0
    /// The limit price (limit and stop-limit orders).
    var price: Int64 = 0
    /// The trigger price (stop and stop-limit orders until triggered).
    var stopPrice: Int64 = 0
    /// The total order quantity, filled quantity included.
    var quantity: Int64 = 0
    var leaves: Int64 = 0
    /// GTD orders only.
    var expireAt: Int64 = 0
    /// Time priority: later orders at a level have larger numbers.
    var sequence: UInt64 = 0
    var prev: Int32 = -1
    var next: Int32 = -1
    var level: Int32 = -1
    /// Position in the expiry heap, -1 when not in it.
    var heapIndex: Int32 = -1
    var side: Side = .buy
    var kind: Kind = .limit
    var duration: Duration = .day
    var selfTradePrevention: SelfTradePrevention = .none
    var status: Status = .free

    init() {}

    init(_ order: NewOrder) {
        id = order.id
        owner = order.owner
        side = order.side
        quantity = order.quantity
        leaves = order.quantity
        selfTradePrevention = order.selfTradePrevention
        status = .executing
        switch order.type {
        case .market: kind = .market
        case .limit(let limit):
            kind = .limit
            price = limit
        case .stop(let stop):
            kind = .stop
            stopPrice = stop
        case .stopLimit(let stop, let limit):
            kind = .stopLimit
            stopPrice = stop
            price = limit
        }
        switch order.timeInForce {
        case .day: duration = .day
        case .goodTillCancel: duration = .goodTillCancel
        case .immediateOrCancel: duration = .immediateOrCancel
        case .fillOrKill: duration = .fillOrKill
        case .goodTillDate(let time):
            duration = .goodTillDate
            expireAt = time
        }
    }

    var filled: Int64 { quantity - leaves }

    /// Cancelled at the end of the day: day orders, and stops waiting with IOC or FOK.
    var isDayOrder: Bool {
        duration == .day || (status == .waiting && (duration == .immediateOrCancel || duration == .fillOrKill))
    }

    var orderType: OrderType {
        switch kind {
        case .market: .market
        case .limit: .limit(price: price)
        case .stop: .stop(stopPrice: stopPrice)
        case .stopLimit: .stopLimit(stopPrice: stopPrice, limitPrice: price)
        }
    }

    var timeInForce: TimeInForce {
        switch duration {
        case .day: .day
        case .goodTillCancel: .goodTillCancel
        case .immediateOrCancel: .immediateOrCancel
        case .fillOrKill: .fillOrKill
        case .goodTillDate: .goodTillDate(expireAt: expireAt)
        }
    }
}

/// One price level: the FIFO queue of orders at a price and its totals.
struct Level: Sendable {
    var price: Int64 = 0
    /// The sum of the queued orders' leaves quantities.
    var quantity: Int64 = 0
    var count: Int32 = 0
    var head: Int32 = -1
    var tail: Int32 = -1
}

/// An entry of the GTD expiry heap: earliest expiry first, ties by order id.
struct ExpiryEntry: Sendable {
    var expireAt: Int64
    var id: UInt64
    var slot: Int32

    @inline(__always)
    func precedes(_ other: ExpiryEntry) -> Bool {
        expireAt != other.expireAt ? expireAt < other.expireAt : id < other.id
    }
}

extension ContiguousArray {
    /// Pools are indexed by `Int32` (half the size of `Int` in every link and index).
    @inline(__always)
    subscript(_ position: Int32) -> Element {
        get { self[Int(position)] }
        _modify { yield &self[Int(position)] }
    }
}
