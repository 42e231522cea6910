/// Where typed FIX fields are written: a ``FIXFieldList`` (a header, body or group entry the
/// builder composes) or a ``FIXMessageEncoder`` (a whole message in one buffer).
///
/// Each typed `append` knows its value's exact length before it writes, so a field costs one
/// capacity check; they are inlinable, so that a constant tag's digits fold into the caller.
public protocol FIXFieldWriter: ~Copyable {
    /// Appends `tag=`, exactly `length` value bytes that `write` puts at the pointer it is
    /// given, and SOH. The typed appends below are built on this.
    mutating func appendField(_ tag: Int, length: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Void)
}

extension FIXFieldWriter where Self: ~Copyable {
    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: String) {
        // Native strings, small or not, are contiguous UTF-8 already.
        let copied: Void? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            appendField(tag, length: utf8.count) { FIXTextWriter.copy(utf8, to: $0) }
        }
        if copied == nil { appendCopying(tag, value) }
    }

    /// A string whose UTF-8 is not contiguous, made so first.
    @usableFromInline
    internal mutating func appendCopying(_ tag: Int, _ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            appendField(tag, length: utf8.count) { FIXTextWriter.copy(utf8, to: $0) }
        }
    }

    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: StaticString) {
        let utf8 = UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount)
        appendField(tag, length: utf8.count) { FIXTextWriter.copy(utf8, to: $0) }
    }

    /// Copies a value from another message without decoding it.
    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: FIXValue) {
        value.bytes.withUnsafeBufferPointer { bytes in
            appendField(tag, length: bytes.count) { FIXTextWriter.copy(bytes, to: $0) }
        }
    }

    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: Int) {
        let magnitude = UInt64(value.magnitude)
        let digits = FIXTextWriter.digitCount(magnitude)
        let sign = value < 0 ? 1 : 0
        appendField(tag, length: sign + digits) { pointer in
            if sign == 1 { pointer[0] = UInt8(ascii: "-") }
            FIXTextWriter.writeDigits(magnitude, count: digits, to: pointer + sign)
        }
    }

    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: FIXDecimal) {
        let layout = value.fixLayout
        appendField(tag, length: layout.length) { value.write(to: $0, digits: layout.digits) }
    }

    /// FIX `Boolean`: `Y` or `N`.
    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: Bool) {
        append(tag, char: value ? UInt8(ascii: "Y") : UInt8(ascii: "N"))
    }

    /// FIX `char`.
    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, char value: UInt8) {
        appendField(tag, length: 1) { $0[0] = value }
    }

    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: FIXTimestamp) {
        appendField(tag, length: value.fixLength) { value.write(to: $0) }
    }

    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: FIXDate) {
        appendField(tag, length: 8) { value.write(to: $0) }
    }

    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: FIXTimeOfDay) {
        appendField(tag, length: value.fixLength) { value.write(to: $0) }
    }

    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: FIXMonthYear) {
        appendField(tag, length: value.fixLength) { value.write(to: $0) }
    }
}
