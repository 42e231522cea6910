/// Order id → pool slot, as an open-addressing hash table with linear probing.
///
/// Why not `Dictionary`: a lookup here is one multiply, one shift and usually one cache line,
/// with no hashing protocol calls, and deletion shifts entries back instead of leaving
/// tombstones, so a book that adds and cancels all day never degrades or rehashes.
struct OrderIndex: Sendable {
    struct Entry: Sendable {
        var key: UInt64
        /// -1 marks an empty entry.
        var slot: Int32
    }

    private(set) var entries: ContiguousArray<Entry>
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        entries = ContiguousArray(repeating: Entry(key: 0, slot: -1), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always)
    private func home(_ key: UInt64) -> Int {
        // Fibonacci hashing: sequential ids spread over the whole table.
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    @inline(__always)
    func find(_ key: UInt64) -> Int32? {
        var i = home(key)
        while true {
            let entry = entries[i]
            if entry.slot < 0 { return nil }
            if entry.key == key { return entry.slot }
            i = (i &+ 1) & mask
        }
    }

    /// Adds `key`, which must not be present.
    mutating func insert(_ key: UInt64, slot: Int32) {
        if (count + 1) * 2 > entries.count { grow() }
        var i = home(key)
        while entries[i].slot >= 0 { i = (i &+ 1) & mask }
        entries[i] = Entry(key: key, slot: slot)
        count += 1
    }

    /// Removes `key` if present.
    mutating func remove(_ key: UInt64) {
        var i = home(key)
        while true {
            let entry = entries[i]
            if entry.slot < 0 { return }
            if entry.key == key { break }
            i = (i &+ 1) & mask
        }
        // Backward-shift deletion: move later entries of the cluster into the hole when their
        // home position allows it, so probes never need tombstones.
        var hole = i
        var j = i
        while true {
            j = (j &+ 1) & mask
            let entry = entries[j]
            if entry.slot < 0 { break }
            let h = home(entry.key)
            if (j &- h) & mask >= (j &- hole) & mask {
                entries[hole] = entry
                hole = j
            }
        }
        entries[hole].slot = -1
        count -= 1
    }

    private mutating func grow() {
        let old = entries
        let size = old.count * 2
        entries = ContiguousArray(repeating: Entry(key: 0, slot: -1), count: size)
        mask = size - 1
        shift = UInt64(64 - size.trailingZeroBitCount)
        count = 0
        for entry in old where entry.slot >= 0 { insert(entry.key, slot: entry.slot) }
    }
}
