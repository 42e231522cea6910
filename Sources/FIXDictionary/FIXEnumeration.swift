/// The values a field may take, looked up without allocating: one-byte values (most
/// `char` enums) in a 256-bit map, values of up to 8 bytes packed into a `UInt64`, longer
/// ones as byte arrays.
public struct FIXEnumeration: Sendable {
    /// Each value with its description, in dictionary order.
    public let values: [(value: String, description: String)]
    private let singleBytes: (UInt64, UInt64, UInt64, UInt64)
    private let packed: Set<UInt64>
    private let long: Set<[UInt8]>

    public init(_ values: [(value: String, description: String)]) {
        self.values = values
        var singles: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var packed = Set<UInt64>()
        var long = Set<[UInt8]>()
        for (value, _) in values {
            let bytes = Array(value.utf8)
            if bytes.count == 1 {
                let byte = Int(bytes[0])
                withUnsafeMutableBytes(of: &singles) { raw in
                    let word = raw.load(fromByteOffset: (byte >> 6) * 8, as: UInt64.self) | (1 << UInt64(byte & 63))
                    raw.storeBytes(of: word, toByteOffset: (byte >> 6) * 8, as: UInt64.self)
                }
            } else if let key = Self.pack(bytes[...]) {
                packed.insert(key)
            } else {
                long.insert(bytes)
            }
        }
        singleBytes = singles
        self.packed = packed
        self.long = long
    }

    public var count: Int { values.count }

    @inline(__always)
    public func contains(_ value: ArraySlice<UInt8>) -> Bool {
        if value.count == 1 {
            let byte = Int(value[value.startIndex])
            return withUnsafeBytes(of: singleBytes) { raw in
                raw.load(fromByteOffset: (byte >> 6) * 8, as: UInt64.self) & (1 << UInt64(byte & 63)) != 0
            }
        }
        if let key = Self.pack(value) { return packed.contains(key) }
        return long.contains(Array(value))
    }

    /// Packs 2–8 bytes into a word; the length goes in too so that "1" and "01" differ.
    @inline(__always)
    private static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var key = UInt64(bytes.count)
        for byte in bytes { key = key << 8 | UInt64(byte) }
        return key
    }

    /// The description the dictionary gives a value (`"2"` of Side is `"SELL"`).
    public func description(of value: String) -> String? {
        values.first { $0.value == value }?.description
    }
}
