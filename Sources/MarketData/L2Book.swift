import FIXCodec
import Instruments

/// One instrument's book as the normalizer keeps it: both sides in ticks, where it is in its
/// sequence, its flags, the updates held while it recovers, and its last trade.
struct L2Book: Sendable {
    let id: BookID
    let grid: TickGrid
    var bids: LevelLadder
    var asks: LevelLadder
    /// The sequence number of the last update applied (or of the snapshot the book was reset to).
    var lastApplied: UInt64 = 0
    /// Set from a gap or an update that does not fit until a snapshot arrives.
    var recovery: RecoveryReason?
    var crossed = false
    var stale = false
    /// The time of the last update or snapshot; `nil` before the first (a book that never
    /// had data is not stale).
    var lastUpdateTime: Int64?
    /// Incrementals that arrived during recovery, in arrival order.
    var held: [IncrementalUpdate] = []
    /// The newest held update dropped for want of room: a snapshot older than this cannot end the recovery.
    var droppedThrough: UInt64 = 0
    var lastTrade: TradeUpdate?

    init(id: BookID, grid: TickGrid, capacity: Int) {
        self.id = id
        self.grid = grid
        bids = LevelLadder(bestIsHighest: true, capacity: capacity)
        asks = LevelLadder(bestIsHighest: false, capacity: capacity)
    }

    var isRecovering: Bool { recovery != nil }

    /// The state a subscriber sees: recovery first, then crossed, then stale.
    var state: BookState {
        if recovery != nil { return .recovering }
        if crossed { return .crossed }
        return stale ? .stale : .ok
    }

    /// Whether the best bid is at or above the best offer.
    var isCrossed: Bool {
        guard let bid = bids.bestPrice, let ask = asks.bestPrice else { return false }
        return bid >= ask
    }

    func level(_ ladder: LevelLadder, at index: Int) -> PriceLevel {
        let ticks = ladder.price(at: index)
        return PriceLevel(priceTicks: ticks, price: grid.price(ticks: ticks), size: ladder.sizes[index],
                          orderCount: ladder.orders[index])
    }

    func best(_ side: BookSide) -> PriceLevel? {
        let ladder = side == .bid ? bids : asks
        return ladder.isEmpty ? nil : level(ladder, at: ladder.count - 1)
    }

    /// A trade as published, with its exact price.
    func event(for trade: TradeUpdate) -> TradeEvent {
        TradeEvent(book: id, sequence: trade.sequence, time: trade.time, priceTicks: trade.price,
                   price: grid.price(ticks: trade.price), size: trade.size, aggressor: trade.aggressor)
    }

    var topOfBook: TopOfBook { TopOfBook(book: id, bid: best(.bid), ask: best(.ask)) }

    /// Up to `depth` levels of a side, best first.
    func levels(_ side: BookSide, depth: Int) -> [PriceLevel] {
        let ladder = side == .bid ? bids : asks
        let count = min(depth, ladder.count)
        var result: [PriceLevel] = []
        result.reserveCapacity(count)
        for rank in 0..<count { result.append(level(ladder, at: ladder.index(ofRank: rank))) }
        return result
    }
}

/// What applying one level update did.
enum LevelOutcome {
    /// Applied; `touchedTop` when the best level of its side changed in any way,
    /// `bestPriceChanged` when the best price itself did (a new or deleted best level).
    case applied(touchedTop: Bool, bestPriceChanged: Bool)
    /// A change or delete beyond the worst level kept on a side that dropped levels: the book
    /// does not follow that far, so there is nothing to do.
    case ignored
    /// The update does not fit the book; `retry` when a newer snapshot could make it fit
    /// (it is held and replayed), false when it is malformed and is dropped.
    case mismatch(RecoveryReason, retry: Bool)
}

extension L2Book {
    /// Applies a level update, appending the level events it makes within the published
    /// `depth`. The book is unchanged when the outcome is `mismatch`.
    mutating func apply(_ update: LevelUpdate, depth: Int, maxLevels: Int,
                        into events: inout [MarketDataEvent]) -> LevelOutcome {
        let emitter = LevelEmitter(book: id, side: update.side, grid: grid, depth: depth)
        if update.side == .bid {
            return emitter.apply(update, to: &bids, maxLevels: maxLevels, into: &events)
        }
        return emitter.apply(update, to: &asks, maxLevels: maxLevels, into: &events)
    }
}

/// Applies updates to one side and says, as level events, what changed within the published
/// depth: a subscriber applying the events holds exactly the top `depth` levels.
private struct LevelEmitter {
    let book: BookID
    let side: BookSide
    let grid: TickGrid
    let depth: Int

    func apply(_ update: LevelUpdate, to ladder: inout LevelLadder, maxLevels: Int,
               into events: inout [MarketDataEvent]) -> LevelOutcome {
        let price = update.price
        let (index, found) = ladder.find(price)
        switch update.action {
        case .new:
            guard update.size > 0 else {
                return .mismatch(.invalidSize(side: side, price: price, size: update.size), retry: false)
            }
            guard !found else { return .mismatch(.levelExists(side: side, price: price), retry: true) }
            if index == 0, ladder.count >= maxLevels {
                // Worse than every level of a full side: not kept, as if it had been trimmed.
                ladder.trimmed = true
                return .ignored
            }
            let rank = ladder.count - index
            if rank < depth, ladder.count >= depth {
                // The level at the last published position is pushed out of the depth.
                emit(.delete, position: depth, ladder: ladder, at: ladder.index(ofRank: depth - 1), into: &events)
            }
            ladder.insert(price: price, size: update.size, orders: update.orderCount, at: index)
            if ladder.count > maxLevels { ladder.removeWorst() }
            if rank < depth {
                emit(.new, position: rank + 1, ladder: ladder, at: ladder.index(ofRank: rank), into: &events)
            }
            return .applied(touchedTop: rank == 0, bestPriceChanged: rank == 0)
        case .change:
            guard update.size > 0 else {
                return .mismatch(.invalidSize(side: side, price: price, size: update.size), retry: false)
            }
            guard found else { return unknown(update, ladder) }
            let rank = ladder.count - 1 - index
            ladder.update(at: index, size: update.size, orders: update.orderCount)
            if rank < depth { emit(.change, position: rank + 1, ladder: ladder, at: index, into: &events) }
            return .applied(touchedTop: rank == 0, bestPriceChanged: false)
        case .delete:
            guard found else { return unknown(update, ladder) }
            let rank = ladder.count - 1 - index
            if rank < depth {
                events.append(.level(LevelEvent(book: book, side: side, action: .delete, position: Int32(rank + 1),
                                                priceTicks: price, price: grid.price(ticks: price), size: 0, orderCount: 0)))
            }
            ladder.remove(at: index)
            if rank < depth, ladder.count >= depth {
                // A deeper level moves up into the last published position.
                emit(.new, position: depth, ladder: ladder, at: ladder.index(ofRank: depth - 1), into: &events)
            }
            return .applied(touchedTop: rank == 0, bestPriceChanged: rank == 0)
        }
    }

    /// A change or delete of a price with no level: past the levels kept it is ignored,
    /// otherwise the book has diverged from the venue's.
    private func unknown(_ update: LevelUpdate, _ ladder: LevelLadder) -> LevelOutcome {
        if ladder.trimmed, ladder.isBeyondWorst(update.price) { return .ignored }
        return .mismatch(.unknownLevel(side: side, price: update.price, action: update.action), retry: true)
    }

    @inline(__always)
    private func emit(_ action: LevelAction, position: Int, ladder: LevelLadder, at index: Int,
                      into events: inout [MarketDataEvent]) {
        let ticks = ladder.price(at: index)
        events.append(.level(LevelEvent(book: book, side: side, action: action, position: Int32(position), priceTicks: ticks,
                                        price: grid.price(ticks: ticks), size: action == .delete ? 0 : ladder.sizes[index],
                                        orderCount: action == .delete ? 0 : ladder.orders[index])))
    }
}
