/// A price-time priority limit order book for one instrument.
///
/// Bids and asks are kept by price level, FIFO within a level; an incoming order trades with
/// the best opposite level first and, within it, the oldest order first, always at the resting
/// order's price. Stop and stop-limit orders wait in their own levels until the last trade
/// price reaches their stop price.
///
/// Every operation appends ``MatchEvent``s to a buffer the caller owns and clears; with its
/// capacity reserved, an operation on a book at its working size allocates nothing. The book
/// is a value type: copying it snapshots it (copy-on-write), so keep one owner and mutate it in
/// place (a `var`, `inout`, ``MatchingEngine/withBook(_:_:)``): a copy still alive when the
/// book changes makes that change copy the whole book.
///
/// Identifiers are the caller's: an order id must be unique among the book's *working* orders
/// (resting or waiting for a trigger). Once an order is filled, cancelled or expired the book
/// forgets it, and its id may be used again; a venue that needs ids unique for the whole day
/// checks that before the book.
///
/// Stops trigger on trades: after each execution the book triggers every buy stop at or below
/// the highest price that execution traded at and every sell stop at or above the lowest,
/// nearest the market first, FIFO at one stop price, and processes the triggered orders one
/// after another, each of which may trigger more (a cascade). The sells an execution of a buy
/// crossed first are triggered before its buys (its prices went up), and the other way round
/// for a sell. A stop submitted (or replaced) when the last trade has already reached its stop
/// price triggers at once; with no trade yet in the book, stops wait.
public struct OrderBook: Sendable {
    var orders: ContiguousArray<OrderSlot> = []
    var freeOrders: ContiguousArray<Int32> = []
    var levels: ContiguousArray<Level> = []
    var freeLevels: ContiguousArray<Int32> = []
    var bids: PriceLadder
    var asks: PriceLadder
    /// Best (last) is the lowest stop price: the first a rising market reaches.
    var buyStops: PriceLadder
    /// Best (last) is the highest stop price: the first a falling market reaches.
    var sellStops: PriceLadder
    var index: OrderIndex
    /// A binary min-heap of GTD orders by expiry time.
    var expiries: ContiguousArray<ExpiryEntry> = []
    /// Stops triggered during the current operation, not yet executed (FIFO).
    var triggered: ContiguousArray<Int32> = []
    var nextSequence: UInt64 = 1
    /// The lowest and highest trade prices of the execution in progress, for stop triggers.
    var executionLow: Int64 = 0
    var executionHigh: Int64 = 0
    var executionTraded = false

    /// The id of the last trade (trades are numbered from 1); 0 before the first.
    public internal(set) var lastTradeID: UInt64 = 0
    /// The price of the last trade, nil before the first. Stops trigger on it.
    public internal(set) var lastTradePrice: Int64?

    /// An empty book with room for `expectedOrders` working orders before any array grows.
    public init(expectedOrders: Int = 1024) {
        let capacity = max(16, expectedOrders)
        orders.reserveCapacity(capacity)
        freeOrders.reserveCapacity(capacity)
        levels.reserveCapacity(256)
        freeLevels.reserveCapacity(256)
        bids = PriceLadder(highestIsBest: true, capacity: 256)
        asks = PriceLadder(highestIsBest: false, capacity: 256)
        buyStops = PriceLadder(highestIsBest: false, capacity: 64)
        sellStops = PriceLadder(highestIsBest: true, capacity: 64)
        index = OrderIndex(capacity: capacity)
        triggered.reserveCapacity(64)
        expiries.reserveCapacity(64)
    }

    /// An empty book whose last trade price is `lastTradePrice` (a settlement or opening
    /// price), so stops submitted before the first trade already have a reference.
    public init(expectedOrders: Int = 1024, lastTradePrice: Int64?) {
        self.init(expectedOrders: expectedOrders)
        self.lastTradePrice = lastTradePrice
    }

    // MARK: - Operations

    /// Submits a new order: validates it, matches what can trade now and rests, parks (stops)
    /// or cancels the rest, then runs any stops the trades triggered.
    ///
    /// Rejected with ``RejectReason/invalidQuantity`` when `quantity` ≤ 0 and with
    /// ``RejectReason/duplicateOrderID`` when a working order has the same id.
    public mutating func submit(_ order: NewOrder, into events: inout [MatchEvent]) {
        guard order.quantity > 0 else {
            events.append(.rejected(Rejection(id: order.id, request: .submit, reason: .invalidQuantity)))
            return
        }
        guard index.find(order.id) == nil else {
            events.append(.rejected(Rejection(id: order.id, request: .submit, reason: .duplicateOrderID)))
            return
        }
        let slot = allocateOrder()
        orders[slot] = OrderSlot(order)
        index.insert(order.id, slot: slot)
        events.append(.accepted(order))
        let kind = orders[slot].kind
        if orders[slot].duration == .goodTillDate && kind != .market { heapInsert(slot) }
        activate(slot, waiting: kind == .stop || kind == .stopLimit, into: &events)
    }

    /// Cancels a working order (resting or waiting for its trigger).
    ///
    /// Rejected with ``RejectReason/unknownOrder`` when no working order has `id`.
    public mutating func cancel(id: UInt64, into events: inout [MatchEvent]) {
        guard let slot = index.find(id) else {
            events.append(.rejected(Rejection(id: id, request: .cancel, reason: .unknownOrder)))
            return
        }
        cancelWorking(slot, reason: .requested, into: &events)
    }

    /// Cancel/replace: sets a working order's total quantity (`quantity`, filled quantity
    /// included, as FIX OrderQty) and optionally its limit price and, for an order still
    /// waiting for its trigger, its stop price. Nil leaves a price as it is.
    ///
    /// - Reducing the quantity at the same prices keeps the order's place in its queue.
    /// - Changing a price or increasing the quantity sends it to the back of the queue at its
    ///   (new) price; a limit price that now crosses the book trades at once, as an incoming
    ///   order with the order's own self-trade prevention, and the rest rests.
    /// - A stop price the last trade has already reached triggers the order at once.
    /// - A quantity at or below the filled quantity leaves nothing to work: the order is
    ///   cancelled with ``CancelReason/replacedAtOrBelowFilled`` (no `replaced` event).
    ///
    /// Rejected with ``RejectReason/unknownOrder``, ``RejectReason/invalidQuantity``
    /// (`quantity` ≤ 0), or ``RejectReason/priceNotApplicable`` (a limit price for a stop
    /// order, a stop price for an order that is not waiting for a trigger).
    public mutating func replace(id: UInt64, quantity: Int64, price: Int64? = nil, stopPrice: Int64? = nil,
                                 into events: inout [MatchEvent]) {
        guard let slot = index.find(id) else {
            events.append(.rejected(Rejection(id: id, request: .replace, reason: .unknownOrder)))
            return
        }
        guard quantity > 0 else {
            events.append(.rejected(Rejection(id: id, request: .replace, reason: .invalidQuantity)))
            return
        }
        let old = orders[slot]
        let waiting = old.status == .waiting
        if (price != nil && old.kind == .stop) || (stopPrice != nil && !waiting) {
            events.append(.rejected(Rejection(id: id, request: .replace, reason: .priceNotApplicable)))
            return
        }
        let filled = old.filled
        if quantity <= filled {
            cancelWorking(slot, reason: .replacedAtOrBelowFilled, into: &events)
            return
        }
        let newPrice = price ?? old.price
        let newStop = stopPrice ?? old.stopPrice
        let newLeaves = quantity - filled
        let keepsPriority = newPrice == old.price && newStop == old.stopPrice && quantity <= old.quantity
        if keepsPriority {
            levels[old.level].quantity += newLeaves - old.leaves
            orders[slot].quantity = quantity
            orders[slot].leaves = newLeaves
            events.append(.replaced(replacement(slot, waiting: waiting, keptPriority: true)))
            return
        }
        removeFromBook(slot)
        orders[slot].price = newPrice
        orders[slot].stopPrice = newStop
        orders[slot].quantity = quantity
        orders[slot].leaves = newLeaves
        orders[slot].status = .executing
        events.append(.replaced(replacement(slot, waiting: waiting, keptPriority: false)))
        activate(slot, waiting: waiting, into: &events)
    }

    /// Puts a new or replaced order to work: a stop whose trigger is already reached fires
    /// now, one that is not waits parked; anything else matches at once. Stops its trades
    /// trigger fire after.
    private mutating func activate(_ slot: Int32, waiting: Bool, into events: inout [MatchEvent]) {
        if waiting {
            if stopReached(slot) {
                trigger(slot, at: lastTradePrice ?? orders[slot].stopPrice, into: &events)
                execute(slot, into: &events)
            } else {
                park(slot)
            }
        } else {
            execute(slot, into: &events)
        }
        drainTriggeredStops(into: &events)
    }

    /// Cancels every GTD order (resting or waiting) whose expiry time is at or before `now`,
    /// earliest expiry first (ties by order id), with ``CancelReason/expired``.
    public mutating func expire(now: Int64, into events: inout [MatchEvent]) {
        while let first = expiries.first, first.expireAt <= now {
            cancelWorking(first.slot, reason: .expired, into: &events)
        }
    }

    /// Cancels every day order (resting or waiting) with ``CancelReason/endOfDay``, in book
    /// order: bids best first, asks best first, buy stops, sell stops. Stops waiting with IOC
    /// or FOK count as day orders (they belong to the session). GTC and GTD orders stay.
    public mutating func endOfDay(into events: inout [MatchEvent]) {
        let victims = workingSlots { $0.isDayOrder }
        for slot in victims { cancelWorking(slot, reason: .endOfDay, into: &events) }
    }

    /// Cancels every working order of `owner` (a kill switch, a cancel on disconnect), in book
    /// order, with ``CancelReason/requested``. With `dayOrdersOnly`, GTC and GTD orders stay,
    /// as cancel-on-disconnect requires.
    public mutating func cancelAll(owner: UInt64, dayOrdersOnly: Bool = false, into events: inout [MatchEvent]) {
        let victims = workingSlots { $0.owner == owner && (!dayOrdersOnly || $0.isDayOrder) }
        for slot in victims { cancelWorking(slot, reason: .requested, into: &events) }
    }

    // MARK: - Conveniences that return the events

    /// ``submit(_:into:)`` returning its events in a new array (allocates; for tests and tools).
    @discardableResult
    public mutating func submit(_ order: NewOrder) -> [MatchEvent] {
        var events: [MatchEvent] = []
        submit(order, into: &events)
        return events
    }

    /// ``cancel(id:into:)`` returning its events in a new array.
    @discardableResult
    public mutating func cancel(id: UInt64) -> [MatchEvent] {
        var events: [MatchEvent] = []
        cancel(id: id, into: &events)
        return events
    }

    /// ``replace(id:quantity:price:stopPrice:into:)`` returning its events in a new array.
    @discardableResult
    public mutating func replace(id: UInt64, quantity: Int64, price: Int64? = nil, stopPrice: Int64? = nil) -> [MatchEvent] {
        var events: [MatchEvent] = []
        replace(id: id, quantity: quantity, price: price, stopPrice: stopPrice, into: &events)
        return events
    }

    /// ``expire(now:into:)`` returning its events in a new array.
    @discardableResult
    public mutating func expire(now: Int64) -> [MatchEvent] {
        var events: [MatchEvent] = []
        expire(now: now, into: &events)
        return events
    }

    /// ``endOfDay(into:)`` returning its events in a new array.
    @discardableResult
    public mutating func endOfDay() -> [MatchEvent] {
        var events: [MatchEvent] = []
        endOfDay(into: &events)
        return events
    }
}
