/// A field's value: a view into the message's bytes, converted to a type only on request.
public struct FIXValue: Sendable, Hashable, CustomStringConvertible {
    public let bytes: ArraySlice<UInt8>

    @inlinable
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    public init(_ text: String) {
        self.bytes = ArraySlice(text.utf8)
    }

    public var isEmpty: Bool { bytes.isEmpty }

    /// The value as text (allocates a `String`).
    public var string: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { string }

    /// FIX `int` (also Length, NumInGroup, SeqNum, TagNum, DayOfMonth): digits with an optional
    /// leading `-`; `+`, spaces and decimals are not allowed.
    public var int: Int? { FIXValue.parseInt(bytes) }

    /// FIX `float` and its kinds (Qty, Price, PriceOffset, Amt, Percentage) as an exact decimal.
    public var decimal: FIXDecimal? { FIXDecimal(fixBytes: bytes) }

    /// FIX `char`: exactly one byte.
    public var char: UInt8? { bytes.count == 1 ? bytes.first : nil }

    /// FIX `Boolean`: `Y` or `N`.
    public var bool: Bool? {
        guard bytes.count == 1 else { return nil }
        switch bytes.first {
        case UInt8(ascii: "Y"): return true
        case UInt8(ascii: "N"): return false
        default: return nil
        }
    }

    public var timestamp: FIXTimestamp? { FIXTimestamp(fixBytes: bytes) }
    public var date: FIXDate? { FIXDate(fixBytes: bytes) }
    public var timeOfDay: FIXTimeOfDay? { FIXTimeOfDay(fixBytes: bytes) }
    public var monthYear: FIXMonthYear? { FIXMonthYear(fixBytes: bytes) }

    /// Whether the value is exactly `text`, compared without allocating.
    @inlinable
    public func equals(_ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let pointer = text.utf8Start
        var offset = 0
        for byte in bytes {
            if byte != pointer[offset] { return false }
            offset += 1
        }
        return true
    }

    @inlinable
    static func parseInt(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        guard index < bytes.endIndex else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.endIndex, bytes.endIndex - index <= 18 else { return nil }
        var value = 0
        while index < bytes.endIndex {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
            index += 1
        }
        return negative ? -value : value
    }
}
