import Instruments

/// An account's resting orders in one contract month, counted by side and price level, for
/// self-trade prevention: the best price on each side answers "would this order cross one of
/// ours?" in one comparison however many orders rest. Adding or removing an order is one cheap
/// hash of its price and allocates nothing once the tables have grown; the orders themselves
/// are the engine's working orders, listed only when one is crossed.
struct RestingOrders {
    private var bids = PriceLevels()
    private var asks = PriceLevels()
    /// The highest resting buy and the lowest resting sell, raw prices.
    private(set) var bestBid: Int128?
    private(set) var bestAsk: Int128?

    var isEmpty: Bool { bids.isEmpty && asks.isEmpty }

    mutating func add(_ side: Side, price: Int128) {
        if side == .buy {
            bids.increment(price)
            if bestBid.map({ price > $0 }) ?? true { bestBid = price }
        } else {
            asks.increment(price)
            if bestAsk.map({ price < $0 }) ?? true { bestAsk = price }
        }
    }

    /// Removes one order added on `side` at `price`.
    mutating func remove(_ side: Side, price: Int128) {
        if side == .buy {
            if bids.decrement(price), bestBid == price { bestBid = bids.maxPrice() }
        } else {
            if asks.decrement(price), bestAsk == price { bestAsk = asks.minPrice() }
        }
    }

    /// Whether an order on `side` at `price` would trade with one resting on the other side.
    @inline(__always)
    func crosses(_ side: Side, price: Int128) -> Bool {
        side == .buy ? bestAsk.map { $0 <= price } ?? false : bestBid.map { $0 >= price } ?? false
    }
}

/// Orders resting at each price: an open-addressed table (linear probing, backward-shift
/// deletion) with a multiply-xorshift hash of the price, no `Hasher`. Empty until first used.
struct PriceLevels {
    private var prices: ContiguousArray<Int128> = []
    /// 0: an empty slot.
    private var counts: ContiguousArray<Int> = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private static func home(_ price: Int128, _ mask: Int) -> Int {
        let mixed = NameHash.finish(UInt64(truncatingIfNeeded: price) ^ UInt64(truncatingIfNeeded: price >> 64) &* 0x9e37_79b9_7f4a_7c15)
        return Int(truncatingIfNeeded: mixed) & mask
    }

    /// The slot of `price`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ price: Int128) -> (slot: Int, found: Bool) {
        let mask = counts.count - 1
        var slot = Self.home(price, mask)
        while counts[slot] != 0 {
            if prices[slot] == price { return (slot, true) }
            slot = (slot + 1) & mask
        }
        return (slot, false)
    }

    mutating func increment(_ price: Int128) {
        if counts.isEmpty { resize(16) }
        let (slot, found) = find(price)
        if found {
            counts[slot] += 1
            return
        }
        prices[slot] = price
        counts[slot] = 1
        count += 1
        if 2 * count > counts.count { resize(2 * counts.count) }
    }

    /// Takes one order off `price`; whether the level emptied and was dropped.
    mutating func decrement(_ price: Int128) -> Bool {
        guard !counts.isEmpty else { return false }
        let (slot, found) = find(price)
        guard found else { return false }
        if counts[slot] > 1 {
            counts[slot] -= 1
            return false
        }
        count -= 1
        let mask = counts.count - 1
        var hole = slot
        var next = (hole + 1) & mask
        while counts[next] != 0 {
            let home = Self.home(prices[next], mask)
            // Moves back when its home is not cyclically in (hole, next].
            if (hole - home) & mask < (next - home) & mask {
                prices[hole] = prices[next]
                counts[hole] = counts[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        counts[hole] = 0
        return true
    }

    func maxPrice() -> Int128? {
        var best: Int128?
        for slot in counts.indices where counts[slot] != 0 && best.map({ prices[slot] > $0 }) ?? true { best = prices[slot] }
        return best
    }

    func minPrice() -> Int128? {
        var best: Int128?
        for slot in counts.indices where counts[slot] != 0 && best.map({ prices[slot] < $0 }) ?? true { best = prices[slot] }
        return best
    }

    private mutating func resize(_ size: Int) {
        let oldPrices = prices
        let oldCounts = counts
        prices = ContiguousArray(repeating: 0, count: size)
        counts = ContiguousArray(repeating: 0, count: size)
        let mask = size - 1
        for slot in oldCounts.indices where oldCounts[slot] != 0 {
            var target = Self.home(oldPrices[slot], mask)
            while counts[target] != 0 { target = (target + 1) & mask }
            prices[target] = oldPrices[slot]
            counts[target] = oldCounts[slot]
        }
    }
}
