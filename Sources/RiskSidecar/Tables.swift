/// The integer-indexed tables the check path reads: names interned to small integers once, the
/// day's ClOrdIDs and the working orders in open-addressed tables with a cheap hash of their own
/// (no `Hasher`, no class records, no reference counting on a lookup).

/// FNV-1a over a string's UTF-8, finished with a multiply-xorshift so that the low bits a table
/// masks with are well mixed. Not for adversarial input: the names and IDs hashed here come from
/// authenticated sessions, and a collision only costs a longer probe.
enum NameHash {
    @inline(__always)
    static func of(_ string: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return finish(hash)
    }

    @inline(__always)
    static func finish(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}

/// Names (accounts, sessions, roots, contract months) to the small integers the engine's tables
/// are indexed by. A name keeps its id for the engine's life: across limit reloads and new days.
/// Up to eight names a scan of small-string comparisons answers; beyond, an open-addressed table.
struct NameTable {
    private(set) var names: ContiguousArray<String> = []
    private var values: ContiguousArray<Int> = []
    private var hashes: ContiguousArray<UInt64> = []
    /// Linear probing: position in `names` + 1, 0 for an empty slot. A power of two in size,
    /// never more than half full.
    private var slots = ContiguousArray<Int32>(repeating: 0, count: 16)

    var count: Int { names.count }

    @inline(__always)
    subscript(name: String) -> Int? {
        if names.count <= 8 {
            for position in names.indices where names[position] == name { return values[position] }
            return nil
        }
        let hash = NameHash.of(name)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if hashes[entry - 1] == hash && names[entry - 1] == name { return values[entry - 1] }
            slot = (slot + 1) & mask
        }
    }

    /// Interns `name` as `value`; a name already present keeps the value it has.
    mutating func insert(_ name: String, value: Int) {
        guard self[name] == nil else { return }
        names.append(name)
        values.append(value)
        hashes.append(NameHash.of(name))
        if 2 * names.count > slots.count {
            slots = ContiguousArray(repeating: 0, count: 2 * slots.count)
            for position in names.indices { place(position) }
        } else {
            place(names.count - 1)
        }
    }

    private mutating func place(_ position: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hashes[position]) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(position + 1)
    }
}

/// A ClOrdID's text hashed, before the session is mixed in: computed once when an order is
/// resolved, so that the check does not walk the text. `finish(session:)` gives exactly the
/// bucket and full hashes `ClOrdIDSet` places the pair by.
struct ClOrdIDHash: Sendable {
    /// FNV-1a of the text before the trailing number.
    let prefix: UInt64
    /// The trailing number's length and the number / 8, mixed.
    let rest: UInt64
    /// FNV-1a of the whole text.
    let full: UInt64

    /// One pass over the text.
    @inline(__always)
    static func of(_ clOrdID: String) -> ClOrdIDHash {
        var prefix: UInt64 = 0xcbf2_9ce4_8422_2325
        var full: UInt64 = 0xcbf2_9ce4_8422_2325
        var number: UInt64 = 0
        var digits: UInt64 = 0
        for byte in clOrdID.utf8 {
            full = (full ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            if byte >= 0x30 && byte <= 0x39 && digits < 18 {
                number = number &* 10 &+ UInt64(byte &- 0x30)
                digits &+= 1
            } else {
                // Digits followed by more text belong to the prefix.
                if digits > 0 {
                    prefix = (prefix ^ number ^ digits << 60) &* 0x0000_0100_0000_01b3
                    number = 0
                    digits = 0
                }
                prefix = (prefix ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        return ClOrdIDHash(prefix: prefix, rest: digits << 56 ^ (number >> 3) &* 0xc2b2_ae3d_27d4_eb4f, full: full)
    }

    @inline(__always)
    func finish(session: Int) -> (group: UInt64, full: UInt64) {
        let tag = UInt64(truncatingIfNeeded: session) &* 0x9e37_79b9_7f4a_7c15
        return (NameHash.finish(prefix ^ tag ^ rest), NameHash.finish(full ^ tag))
    }
}

/// The day's ClOrdIDs of every session, as (session id, ClOrdID) pairs.
///
/// The table is probed in buckets of one cache line (eight 8-byte slots: a 32-bit fingerprint
/// of the pair and where the pair is stored). An OMS numbers its ClOrdIDs (`B1041`, `B1042`, …):
/// the bucket is chosen by the session, the text before the number, the number's length and
/// the number divided by eight, so eight consecutive IDs share one line and a day's worth of
/// IDs costs one cache miss per eight orders instead of one per order. IDs without a number
/// spread as any hash would. Equality is always on the full text, stored once, in arrival order.
/// The table doubles (off the common path) at half full.
struct ClOrdIDSet {
    private struct Stored {
        var session: Int32
        var fingerprint: UInt32
        var clOrdID: String
        var group: UInt64
    }

    private static let blank = Stored(session: -1, fingerprint: 0, clOrdID: "", group: 0)

    /// Fingerprint (high 32 bits) and position in `stored` + 1 (low 32 bits); 0 is empty.
    private var slots: ContiguousArray<UInt64>
    /// The pairs in arrival order, the first `count` in use. Written through in full when it is
    /// made (and when it doubles), so that storing a pair never takes a first-touch page fault.
    private var stored: ContiguousArray<Stored>
    private(set) var count = 0
    private let initialBuckets: Int
    private let initialCapacity: Int

    init(capacity: Int = 1 << 15) {
        var buckets = 2
        while buckets * 8 < 2 * capacity { buckets <<= 1 }
        initialBuckets = buckets
        initialCapacity = Swift.max(capacity, 16)
        slots = ContiguousArray(repeating: 0, count: buckets * 8)
        stored = ContiguousArray(repeating: Self.blank, count: initialCapacity)
    }

    /// The bucket hash (session, text before the trailing number, the number's length and
    /// number / 8) and the full hash of the pair.
    @inline(__always)
    private static func hashes(session: Int, _ clOrdID: String) -> (group: UInt64, full: UInt64) {
        ClOrdIDHash.of(clOrdID).finish(session: session)
    }

    /// Adds the pair; `false` when the session has used this ClOrdID today already.
    @inline(__always)
    mutating func insert(session: Int, _ clOrdID: String) -> Bool {
        insert(session: session, clOrdID, hash: ClOrdIDHash.of(clOrdID))
    }

    /// The same, with the ClOrdID's text hashed already (`ClOrdIDHash.of(clOrdID)`).
    @inline(__always)
    mutating func insert(session: Int, _ clOrdID: String, hash: ClOrdIDHash) -> Bool {
        let (group, full) = hash.finish(session: session)
        let fingerprint = full >> 32
        let tag = Int32(truncatingIfNeeded: session)
        var empty = -1
        let found: Bool = slots.withUnsafeBufferPointer { table in
            let bucketMask = table.count / 8 - 1
            var bucket = Int(truncatingIfNeeded: group) & bucketMask
            while true {
                let base = bucket * 8
                for slot in base..<base + 8 {
                    let entry = table[slot]
                    if entry == 0 {
                        empty = slot
                        return false
                    }
                    if entry >> 32 == fingerprint {
                        let position = Int(truncatingIfNeeded: entry & 0xffff_ffff) - 1
                        if stored[position].session == tag && stored[position].clOrdID == clOrdID { return true }
                    }
                }
                bucket = (bucket + 1) & bucketMask
            }
        }
        if found { return false }
        if count == stored.count { stored.append(contentsOf: repeatElement(Self.blank, count: stored.count)) }
        stored[count] = Stored(session: tag, fingerprint: UInt32(truncatingIfNeeded: fingerprint), clOrdID: clOrdID, group: group)
        count += 1
        slots[empty] = fingerprint << 32 | UInt64(count)
        if 2 * count > slots.count { rebuild(buckets: slots.count / 4) }
        return true
    }

    func contains(session: Int, _ clOrdID: String) -> Bool {
        let (group, full) = Self.hashes(session: session, clOrdID)
        let fingerprint = full >> 32
        let tag = Int32(truncatingIfNeeded: session)
        let bucketMask = slots.count / 8 - 1
        var bucket = Int(truncatingIfNeeded: group) & bucketMask
        while true {
            for slot in bucket * 8..<bucket * 8 + 8 {
                let entry = slots[slot]
                if entry == 0 { return false }
                let position = Int(truncatingIfNeeded: entry & 0xffff_ffff) - 1
                if entry >> 32 == fingerprint && stored[position].session == tag && stored[position].clOrdID == clOrdID {
                    return true
                }
            }
            bucket = (bucket + 1) & bucketMask
        }
    }

    /// A new day: every session may use every ClOrdID again.
    mutating func removeAll() {
        stored = ContiguousArray(repeating: Self.blank, count: initialCapacity)
        count = 0
        slots = ContiguousArray(repeating: 0, count: initialBuckets * 8)
    }

    private mutating func rebuild(buckets: Int) {
        slots = ContiguousArray(repeating: 0, count: buckets * 8)
        let bucketMask = buckets - 1
        for position in 0..<count {
            let fingerprint = UInt64(stored[position].fingerprint)
            var bucket = Int(truncatingIfNeeded: stored[position].group) & bucketMask
            placing: while true {
                for slot in bucket * 8..<bucket * 8 + 8 where slots[slot] == 0 {
                    slots[slot] = fingerprint << 32 | UInt64(position + 1)
                    break placing
                }
                bucket = (bucket + 1) & bucketMask
            }
        }
    }
}

/// The working orders by the gateway's key: the orders themselves in a slab (positions reused
/// when orders end), and an open-addressed index of key hashes into it. Looking an order up,
/// adding and removing one hash its key once, cheaply, and move no other order.
struct OrderTable {
    private var slab: ContiguousArray<WorkingOrder?> = []
    private var slabHashes: ContiguousArray<UInt64> = []
    private var free: ContiguousArray<Int32> = []
    /// Linear probing with backward-shift deletion: slab position + 1, 0 for an empty slot.
    private var slots = ContiguousArray<Int32>(repeating: 0, count: 1 << 12)
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// The index slot holding `key`, or the empty slot where it would go.
    @inline(__always)
    private func find(_ key: RiskOrderKey, _ hash: UInt64) -> (slot: Int, found: Bool) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return (slot, false) }
            if slabHashes[entry - 1] == hash, slab[entry - 1]?.key == key { return (slot, true) }
            slot = (slot + 1) & mask
        }
    }

    subscript(key: RiskOrderKey) -> WorkingOrder? {
        get {
            let (slot, found) = find(key, NameHash.of(key.value))
            return found ? slab[Int(slots[slot]) - 1] : nil
        }
        set {
            if let newValue {
                _ = updateValue(newValue, forKey: key)
            } else {
                _ = removeValue(forKey: key)
            }
        }
    }

    /// Changes one field or more of a working order in place; `false` when none has the key.
    @inline(__always)
    mutating func modify(_ key: RiskOrderKey, _ body: (inout WorkingOrder) -> Void) -> Bool {
        let (slot, found) = find(key, NameHash.of(key.value))
        guard found else { return false }
        let position = Int(slots[slot]) - 1
        body(&slab[position]!)
        return true
    }

    /// Stores `order` under `key` (its own key); returns the order it replaced, if any.
    @discardableResult
    mutating func updateValue(_ order: WorkingOrder, forKey key: RiskOrderKey) -> WorkingOrder? {
        let hash = NameHash.of(key.value)
        let (slot, found) = find(key, hash)
        if found {
            let position = Int(slots[slot]) - 1
            let previous = slab[position]
            slab[position] = order
            return previous
        }
        insert(order, slot: slot, hash: hash)
        return nil
    }

    /// Adds `order` under `key` (its own key, hashed already: `NameHash.of(key.value)`) unless
    /// an order already works under it: then the table is unchanged and `order` is handed back.
    @inline(__always)
    mutating func insertNew(_ order: consuming WorkingOrder, forKey key: RiskOrderKey, hash: UInt64) -> WorkingOrder? {
        let (slot, found) = find(key, hash)
        if found { return order }
        insert(order, slot: slot, hash: hash)
        return nil
    }

    private mutating func insert(_ order: consuming WorkingOrder, slot: Int, hash: UInt64) {
        let position: Int
        if let reused = free.popLast() {
            position = Int(reused)
            slab[position] = order
            slabHashes[position] = hash
        } else {
            position = slab.count
            slab.append(order)
            slabHashes.append(hash)
        }
        slots[slot] = Int32(position + 1)
        count += 1
        if 2 * count > slots.count { rebuildIndex(size: 2 * slots.count) }
    }

    @discardableResult
    mutating func removeValue(forKey key: RiskOrderKey) -> WorkingOrder? {
        let (slot, found) = find(key, NameHash.of(key.value))
        guard found else { return nil }
        let position = Int(slots[slot]) - 1
        let order = slab[position]
        slab[position] = nil
        free.append(Int32(position))
        count -= 1
        // Backward shift: pull later entries of the probe run into the hole so lookups never
        // stop short at it.
        let mask = slots.count - 1
        var hole = slot
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = Int(truncatingIfNeeded: slabHashes[Int(slots[next]) - 1]) & mask
            // Moves when its home is not cyclically in (hole, next].
            let distanceToNext = (next - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole < distanceToNext {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
        return order
    }

    private mutating func rebuildIndex(size: Int) {
        slots = ContiguousArray(repeating: 0, count: size)
        let mask = size - 1
        for position in slab.indices where slab[position] != nil {
            var slot = Int(truncatingIfNeeded: slabHashes[position]) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
    }

    /// Every working order, in no particular order.
    var values: some Sequence<WorkingOrder> { slab.lazy.compactMap { $0 } }
}

/// The small integers an order's names are interned to (−1: not seen).
struct RiskIDs: Equatable {
    var account: Int
    var session: Int
    var symbol: Int
    var root: Int
}

/// One generation of duplicate-window entries: the time each order signature was last accepted,
/// in an open-addressed table with a cheap hash of the signature's words. A removal (a check's
/// write undone) leaves its key in place, marked absent; the generation is emptied whole when
/// it is dropped, clearing only the slots it used and keeping its storage, so rotating the
/// generations allocates nothing once the tables have grown.
struct SignatureTable {
    private struct Entry {
        var signature: OrderSignature
        var time: Int64
        /// 0 empty, 1 present, 2 removed (the key stays for probing).
        var state: UInt8
    }

    private static let empty = Entry(
        signature: OrderSignature(account: 0, symbol: 0, side: .buy, type: .limit, quantity: 0, price: 0, stopPrice: 0),
        time: 0, state: 0)

    private var entries: ContiguousArray<Entry>
    /// The slots in use, to empty them without touching the rest.
    private var used: ContiguousArray<Int32> = []

    init(capacity: Int = 256) {
        var size = 16
        while size < capacity { size <<= 1 }
        entries = ContiguousArray(repeating: Self.empty, count: size)
        used.reserveCapacity(size / 2)
    }

    var isEmpty: Bool { used.isEmpty }

    @inline(__always)
    private static func hash(_ signature: OrderSignature) -> UInt64 {
        var hash = signature.owner &* 0x9e37_79b9_7f4a_7c15
        hash ^= UInt64(bitPattern: signature.quantity) &* 0xc2b2_ae3d_27d4_eb4f
        hash ^= UInt64(truncatingIfNeeded: signature.price) &* 0x1656_67b1_9e37_79f9
        hash ^= UInt64(truncatingIfNeeded: signature.stopPrice) &* 0x27d4_eb2f_1656_67c5
        return NameHash.finish(hash)
    }

    /// The slot holding `signature` (present or removed), or the empty slot where it would go.
    @inline(__always)
    private func find(_ signature: OrderSignature) -> (slot: Int, found: Bool) {
        let mask = entries.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(signature)) & mask
        while entries[slot].state != 0 {
            if entries[slot].signature == signature { return (slot, true) }
            slot = (slot + 1) & mask
        }
        return (slot, false)
    }

    subscript(signature: OrderSignature) -> Int64? {
        get {
            let (slot, found) = find(signature)
            return found && entries[slot].state == 1 ? entries[slot].time : nil
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: signature)
            } else {
                removeValue(forKey: signature)
            }
        }
    }

    /// Sets the time; returns the time it replaced, if the signature was present.
    @discardableResult
    mutating func updateValue(_ time: Int64, forKey signature: OrderSignature) -> Int64? {
        let (slot, found) = find(signature)
        if found {
            let previous = entries[slot].state == 1 ? entries[slot].time : nil
            entries[slot].time = time
            entries[slot].state = 1
            return previous
        }
        entries[slot] = Entry(signature: signature, time: time, state: 1)
        used.append(Int32(slot))
        if 2 * used.count > entries.count { grow() }
        return nil
    }

    mutating func removeValue(forKey signature: OrderSignature) {
        let (slot, found) = find(signature)
        if found { entries[slot].state = 2 }
    }

    /// Empties the generation, keeping its storage.
    mutating func removeAll() {
        for slot in used { entries[Int(slot)].state = 0 }
        used.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        let old = entries
        entries = ContiguousArray(repeating: Self.empty, count: 2 * old.count)
        used.removeAll(keepingCapacity: true)
        used.reserveCapacity(entries.count / 2)
        let mask = entries.count - 1
        for entry in old where entry.state == 1 {
            var slot = Int(truncatingIfNeeded: Self.hash(entry.signature)) & mask
            while entries[slot].state != 0 { slot = (slot + 1) & mask }
            entries[slot] = entry
            used.append(Int32(slot))
        }
    }
}
