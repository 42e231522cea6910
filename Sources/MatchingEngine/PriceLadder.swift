/// The price levels of one side of a book (or of its waiting stops), sorted so the best level
/// is last: the levels that change most are at the end of the arrays, where inserting or
/// removing moves the fewest elements, and the best level is `levels.last`.
///
/// Prices are mapped to keys that ascend towards the best level: a ladder whose best is the
/// highest price (bids, sell stops) uses the price itself, one whose best is the lowest (asks,
/// buy stops) uses `~price`, which reverses the order without overflowing at `Int64.min`.
struct PriceLadder: Sendable {
    let highestIsBest: Bool
    /// Ascending keys; parallel to `levels`.
    private(set) var keys: ContiguousArray<Int64> = []
    /// Level pool indices, worst first.
    private(set) var levels: ContiguousArray<Int32> = []

    init(highestIsBest: Bool, capacity: Int) {
        self.highestIsBest = highestIsBest
        keys.reserveCapacity(capacity)
        levels.reserveCapacity(capacity)
    }

    @inline(__always)
    func key(_ price: Int64) -> Int64 { highestIsBest ? price : ~price }

    @inline(__always)
    func price(ofKey key: Int64) -> Int64 { highestIsBest ? key : ~key }

    var isEmpty: Bool { levels.isEmpty }
    var count: Int { levels.count }

    /// The best level's pool index.
    @inline(__always)
    var best: Int32? { levels.last }

    /// Where `price` is or would go: the first position whose key is not below its key.
    @inline(__always)
    func position(of price: Int64) -> (index: Int, found: Bool) {
        let k = key(price)
        var high = keys.count
        // Most activity is at the top of the book: look at the last few levels first.
        var probe = high
        while probe > 0 && high - probe < 4 {
            let candidate = keys[probe - 1]
            if candidate == k { return (probe - 1, true) }
            if candidate < k { return (probe, false) }
            probe -= 1
        }
        high = probe
        var low = 0
        while low < high {
            let mid = (low + high) >> 1
            if keys[mid] < k { low = mid + 1 } else { high = mid }
        }
        return (low, low < keys.count && keys[low] == k)
    }

    mutating func insert(price: Int64, level: Int32, at index: Int) {
        keys.insert(key(price), at: index)
        levels.insert(level, at: index)
    }

    mutating func remove(at index: Int) {
        keys.remove(at: index)
        levels.remove(at: index)
    }

    @inline(__always)
    mutating func removeBest() {
        keys.removeLast()
        levels.removeLast()
    }
}
