/// One side of an L2 book: price levels in integer ticks, sorted so the best level is last.
///
/// Nearly every update lands at or near the touch, and at the end of an array an insert or a
/// removal moves only the few levels above it; the best level and the top N are read from the
/// end without searching. Prices are stored as keys that ascend towards the best level: bids
/// use the price, asks its bitwise complement, which reverses the order without overflowing
/// at `Int64.min`. Three parallel arrays keep the key search on densely packed integers.
struct LevelLadder: Sendable {
    let bestIsHighest: Bool
    /// Ascending keys, best last.
    private(set) var keys: ContiguousArray<Int64> = []
    private(set) var sizes: ContiguousArray<Int64> = []
    private(set) var orders: ContiguousArray<Int32> = []
    /// Whether levels were dropped past `maxLevels` since the last snapshot: the venue then
    /// has levels below the worst one kept that this side does not know.
    var trimmed = false

    init(bestIsHighest: Bool, capacity: Int) {
        self.bestIsHighest = bestIsHighest
        keys.reserveCapacity(capacity + 1)
        sizes.reserveCapacity(capacity + 1)
        orders.reserveCapacity(capacity + 1)
    }

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    func key(_ price: Int64) -> Int64 { bestIsHighest ? price : ~price }

    /// The price of the level at array index `index`.
    @inline(__always)
    func price(at index: Int) -> Int64 { bestIsHighest ? keys[index] : ~keys[index] }

    /// The array index of the level `rank` places from the best (0 is the best).
    @inline(__always)
    func index(ofRank rank: Int) -> Int { keys.count - 1 - rank }

    /// The best price, if the side has a level.
    var bestPrice: Int64? { keys.isEmpty ? nil : price(at: keys.count - 1) }

    /// Where the level at `price` is, or where it would be inserted, as an array index.
    @inline(__always)
    func find(_ price: Int64) -> (index: Int, found: Bool) {
        let target = key(price)
        let count = keys.count
        // Walk down from the touch for the first levels, where updates cluster; binary
        // search the rest.
        var upper = count
        let stop = max(count - 8, 0)
        while upper > stop {
            let candidate = keys[upper - 1]
            if candidate <= target { return (candidate == target ? upper - 1 : upper, candidate == target) }
            upper -= 1
        }
        var lower = 0
        while lower < upper {
            let middle = (lower + upper) &>> 1
            if keys[middle] < target { lower = middle + 1 } else { upper = middle }
        }
        return (lower, lower < count && keys[lower] == target)
    }

    /// Whether `price` is worse than every level kept (true for an empty side).
    @inline(__always)
    func isBeyondWorst(_ price: Int64) -> Bool { keys.isEmpty || key(price) < keys[0] }

    mutating func insert(price: Int64, size: Int64, orders count: Int32, at index: Int) {
        keys.insert(key(price), at: index)
        sizes.insert(size, at: index)
        orders.insert(count, at: index)
    }

    mutating func update(at index: Int, size: Int64, orders count: Int32) {
        sizes[index] = size
        orders[index] = count
    }

    mutating func remove(at index: Int) {
        keys.remove(at: index)
        sizes.remove(at: index)
        orders.remove(at: index)
    }

    /// Drops the worst level (to keep the side within its capacity).
    mutating func removeWorst() {
        remove(at: 0)
        trimmed = true
    }

    /// Replaces every level with `levels` (prices distinct), keeping at most `limit`, the best.
    mutating func reset(to levels: [SnapshotLevel], limit: Int) {
        keys.removeAll(keepingCapacity: true)
        sizes.removeAll(keepingCapacity: true)
        orders.removeAll(keepingCapacity: true)
        let sorted = levels.sorted { key($0.price) < key($1.price) }
        let kept = sorted.suffix(limit)
        trimmed = kept.count < sorted.count
        for level in kept {
            keys.append(key(level.price))
            sizes.append(level.size)
            orders.append(level.orderCount)
        }
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        sizes.removeAll(keepingCapacity: true)
        orders.removeAll(keepingCapacity: true)
        trimmed = false
    }
}
