/// Writes FIX text straight into memory the caller has reserved: integers, fixed-width
/// digits, byte copies and the CheckSum sum. The encoder reserves once per field (or once per
/// message) and these write without further checks, so no byte is appended one at a time.
@usableFromInline
enum FIXTextWriter {
    /// Decimal digits in `value` (1 for 0). Values of up to four digits, most tags and
    /// quantities, take comparisons only.
    @inlinable @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        if value < 100 { return value < 10 ? 1 : 2 }
        if value < 10_000 { return value < 1_000 ? 3 : 4 }
        var count = 5
        var rest = value / 100_000
        while rest > 0 {
            rest /= 10
            count += 1
        }
        return count
    }

    /// Writes the `count` decimal digits of `value` at `pointer`, two at a time from the right.
    @inlinable @inline(__always)
    static func writeDigits(_ value: UInt64, count: Int, to pointer: UnsafeMutablePointer<UInt8>) {
        var rest = value
        var index = count
        while index >= 2 {
            let pair = Int(truncatingIfNeeded: rest % 100)
            rest /= 100
            index -= 2
            writeTwoDigits(pair, to: pointer + index)
        }
        if index == 1 { pointer[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10) }
    }

    /// Writes 0...99 as two digits.
    @inlinable @inline(__always)
    static func writeTwoDigits(_ value: Int, to pointer: UnsafeMutablePointer<UInt8>) {
        let tens = value / 10
        pointer[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: tens)
        pointer[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value &- tens &* 10)
    }

    /// Writes one whole field, `tag=value<SOH>`, at `pointer`: the tag's `tagDigits` digits,
    /// `=`, the `length` bytes `write` puts down, and SOH.
    @inlinable @inline(__always)
    static func writeField(_ tag: Int, tagDigits: Int, length: Int, to pointer: UnsafeMutablePointer<UInt8>,
                           _ write: (UnsafeMutablePointer<UInt8>) -> Void) {
        writeDigits(UInt64(tag), count: tagDigits, to: pointer)
        pointer[tagDigits] = UInt8(ascii: "=")
        write(pointer + tagDigits + 1)
        pointer[tagDigits + 1 + length] = fixSOH
    }

    /// Writes the last `width` digits of a non-negative value, zero-padded: years, months,
    /// hours, fractions of a second.
    @inlinable @inline(__always)
    static func writeFixed(_ value: Int, width: Int, to pointer: UnsafeMutablePointer<UInt8>) {
        var rest = value
        var index = width
        while index > 0 {
            index -= 1
            // Traps on a negative value, as a digit below '0' has no FIX text.
            pointer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// Copies bytes. Short runs (most FIX values) move in two overlapping words rather than
    /// through a call to `memcpy`.
    @inlinable @inline(__always)
    static func copy(_ bytes: UnsafeBufferPointer<UInt8>, to pointer: UnsafeMutablePointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let count = bytes.count
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(pointer)
        if count > 32 {
            pointer.update(from: source, count: count)
        } else if count >= 16 {
            to.storeBytes(of: from.loadUnaligned(as: SIMD16<UInt8>.self), as: SIMD16<UInt8>.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: count - 16, as: SIMD16<UInt8>.self), toByteOffset: count - 16,
                          as: SIMD16<UInt8>.self)
        } else if count >= 8 {
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8,
                          as: UInt64.self)
        } else if count >= 4 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4,
                          as: UInt32.self)
        } else {
            for index in 0..<count { pointer[index] = source[index] }
        }
    }

    /// Reserves `capacity` bytes at the end of `buffer`, lets `write` fill some of them from
    /// the pointer it is given, and keeps as many as it says it wrote: one capacity check.
    @inlinable @inline(__always)
    static func append(to buffer: inout [UInt8], capacity: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        buffer.append(addingCapacity: capacity) { span in
            span.withUnsafeMutableBufferPointer { memory, initialized in
                guard let pointer = memory.baseAddress else { return }
                initialized = write(pointer)
            }
        }
    }

    /// Copies a string's UTF-8 bytes; returns how many.
    @inlinable
    @discardableResult
    static func copyUTF8(_ text: String, to pointer: UnsafeMutablePointer<UInt8>) -> Int {
        if let count = text.utf8.withContiguousStorageIfAvailable({ utf8 -> Int in
            copy(utf8, to: pointer)
            return utf8.count
        }) {
            return count
        }
        var count = 0
        for byte in text.utf8 {
            pointer[count] = byte
            count += 1
        }
        return count
    }

    /// Copies `count` bytes and returns their sum modulo 256, in one pass.
    static func copySumming(from source: UnsafePointer<UInt8>, to destination: UnsafeMutablePointer<UInt8>, count: Int) -> UInt8 {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(destination)
        var lanes = SIMD16<UInt8>()
        var index = 0
        while index + 16 <= count {
            let block = from.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            to.storeBytes(of: block, toByteOffset: index, as: SIMD16<UInt8>.self)
            lanes &+= block
            index += 16
        }
        let eight = lanes.lowHalf &+ lanes.highHalf
        let four = eight.lowHalf &+ eight.highHalf
        let two = four.lowHalf &+ four.highHalf
        var total = two[0] &+ two[1]
        while index < count {
            let byte = source[index]
            destination[index] = byte
            total &+= byte
            index += 1
        }
        return total
    }

    /// The sum of the bytes, modulo 256: the FIX CheckSum. Sixteen bytes at a time into
    /// sixteen byte lanes whose wrap-around is exactly the modulo the CheckSum wants.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let count = bytes.count
        var lanes = SIMD16<UInt8>()
        var index = 0
        while index + 16 <= count {
            lanes &+= base.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
            index += 16
        }
        let eight = lanes.lowHalf &+ lanes.highHalf
        let four = eight.lowHalf &+ eight.highHalf
        let two = four.lowHalf &+ four.highHalf
        var total = two[0] &+ two[1]
        while index < count {
            total &+= base.load(fromByteOffset: index, as: UInt8.self)
            index += 1
        }
        return Int(total)
    }
}
