/// Where one field sits in a message's bytes. Twelve bytes, no references: a message's
/// fields are one array of these over one byte buffer, never a string per field.
public struct FIXFieldSlot: Sendable, Hashable {
    /// The tag number, or 0 when the tag text was not a positive number
    /// (FIX SessionRejectReason 0, "Invalid tag number").
    public var tag: Int32
    public var valueStart: Int32
    public var valueLength: Int32

    @inlinable
    public var valueRange: Range<Int> { Int(valueStart)..<Int(valueStart + valueLength) }
}

/// A parsed FIX message: the bytes as received and, for each field in wire order, where its
/// value lies. Values are read as views into `bytes`; nothing is copied until asked for.
public struct FIXMessage: Sendable {
    /// The whole message, from `8=` through the CheckSum's SOH.
    public let bytes: [UInt8]
    /// Every field in wire order, header, body and trailer alike.
    public let fields: [FIXFieldSlot]

    public init(bytes: [UInt8], fields: [FIXFieldSlot]) {
        self.bytes = bytes
        self.fields = fields
    }

    /// Parses a message's bytes (as framed by ``FIXFramer``) with the standard data fields.
    public init(parsing bytes: [UInt8]) throws(FIXParseError) {
        self = try FIXParser().parse(bytes)
    }

    public var count: Int { fields.count }

    /// The tag at a position in wire order.
    @inlinable
    public func tag(at position: Int) -> Int { Int(fields[position].tag) }

    /// The value at a position in wire order.
    @inlinable
    public func value(at position: Int) -> FIXValue { FIXValue(bytes[fields[position].valueRange]) }

    /// The position of the first field with `tag` at or after `start`.
    @inlinable
    public func position(of tag: Int, from start: Int = 0) -> Int? {
        var index = start
        let tag32 = Int32(truncatingIfNeeded: tag)
        while index < fields.count {
            if fields[index].tag == tag32 { return index }
            index += 1
        }
        return nil
    }

    /// The first value for `tag` anywhere in the message.
    @inlinable
    public subscript(tag: Int) -> FIXValue? {
        position(of: tag).map { value(at: $0) }
    }

    /// Every value for `tag`, in wire order (a tag inside a repeating group occurs once per entry).
    public func values(of tag: Int) -> [FIXValue] {
        fields.indices.filter { fields[$0].tag == Int32(truncatingIfNeeded: tag) }.map { value(at: $0) }
    }

    public var beginString: String? { self[FIXTag.beginString]?.string }
    public var msgType: String? { self[FIXTag.msgType]?.string }
    public var msgSeqNum: Int? { self[FIXTag.msgSeqNum]?.int }

    /// The message as text with SOH shown as `|`, for logs and test failures.
    public var debugText: String {
        String(decoding: bytes.map { $0 == fixSOH ? UInt8(ascii: "|") : $0 }, as: UTF8.self)
    }
}

/// A structural fault that stops a framed message from being split into fields.
public enum FIXParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A field without `=` (byte offset of the field's start).
    case missingEquals(offset: Int)
    /// The last field is not terminated by SOH.
    case unterminatedField(offset: Int)
    /// A data field whose declared length runs past the message or is not followed by SOH.
    case dataLengthMismatch(tag: Int, offset: Int)
    /// No bytes at all.
    case empty

    public var description: String {
        switch self {
        case let .missingEquals(offset): "field at byte \(offset) has no '='"
        case let .unterminatedField(offset): "field at byte \(offset) is not terminated by SOH"
        case let .dataLengthMismatch(tag, offset): "data field \(tag) at byte \(offset) does not match its length field"
        case .empty: "empty message"
        }
    }
}

/// Splits a message's bytes into field slots in one pass, one allocation for the slots.
public struct FIXParser: Sendable {
    /// Tags whose value is length-prefixed by the field just before them.
    public var dataFields: FIXDataFields

    public init(dataFields: FIXDataFields = .standard) {
        self.dataFields = dataFields
    }

    public func parse(_ bytes: [UInt8]) throws(FIXParseError) -> FIXMessage {
        guard !bytes.isEmpty else { throw .empty }
        var failure: FIXParseError?
        var slots: [FIXFieldSlot] = []
        bytes.withUnsafeBufferPointer { buffer in
            // Every field ends with an SOH, so their count bounds the slots: one exact allocation.
            // (Appending to an empty array allocates through code specialized for the slot
            // type; `init(unsafeUninitializedCapacity:)` looks the array type up at run time.)
            slots.append(addingCapacity: Self.delimiterCount(buffer)) { span in
                span.withUnsafeMutableBufferPointer { slots, initialized in
                    switch split(buffer, into: slots) {
                    case let .success(count): initialized = count
                    case let .failure(error): failure = error
                    }
                }
            }
        }
        if let failure { throw failure }
        return FIXMessage(bytes: bytes, fields: slots)
    }

    /// The number of SOH bytes, sixteen at a time: each byte lane counts its SOHs, and the
    /// lanes are added up before any can pass 255.
    @inline(__always)
    private static func delimiterCount(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let count = buffer.count
        let soh = SIMD16<UInt8>(repeating: fixSOH)
        var total = 0
        var index = 0
        while index + 16 <= count {
            var lanes = SIMD16<UInt8>()
            let end = min(count - 15, index + 16 * 255)
            while index < end {
                let block = raw.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                lanes &+= SIMD16<UInt8>().replacing(with: 1, where: block .== soh)
                index += 16
            }
            let eight = SIMD8<UInt16>(truncatingIfNeeded: lanes.lowHalf) &+ SIMD8<UInt16>(truncatingIfNeeded: lanes.highHalf)
            let four = eight.lowHalf &+ eight.highHalf
            let two = four.lowHalf &+ four.highHalf
            total &+= Int(two[0] &+ two[1])
        }
        while index < count {
            if base[index] == fixSOH { total &+= 1 }
            index += 1
        }
        return total
    }

    /// Writes one slot per field into `slots` (room for every SOH) and returns how many.
    @inline(__always)
    private func split(_ buffer: UnsafeBufferPointer<UInt8>,
                       into slots: UnsafeMutableBufferPointer<FIXFieldSlot>) -> Result<Int, FIXParseError> {
        guard let base = buffer.baseAddress, let out = slots.baseAddress else { return .success(0) }
        let raw = UnsafeRawPointer(base)
        let count = buffer.count
        let capacity = slots.count
        let dataSummary = dataFields.summary
        let dataHighTags = dataFields.hasHighTags
        var written = 0
        var index = 0
        while index < count {
            let fieldStart = index
            // Fast path, most fields: eight bytes hold a tag of 1–7 digits without a leading
            // zero and its '=', and often the whole value and its SOH too.
            if index + 8 <= count {
                let word = SWAR.load(raw, index)
                // The leading digits, then an '=' right after them.
                let digits = SWAR.nonDigitLanes(word).trailingZeroBitCount >> 3
                if digits > 0, digits < 8, word & 0xFF != UInt64(UInt8(ascii: "0")),
                   (word >> UInt64(8 * digits)) & 0xFF == UInt64(UInt8(ascii: "=")) {
                    let tag = SWAR.number(word, digits: digits)
                    let valueStart = index + digits + 1
                    let isData = written > 0 && FIXDataFields.mayContain(tag, summary: dataSummary, hasHighTags: dataHighTags)
                        && dataFields.contains(tag)
                    if !isData {
                        // An SOH in the lanes after the '=' ends the value within this word.
                        let after = SWAR.zeroBytes(word ^ SWAR.soh) & SWAR.lanesAbove(digits)
                        let end = after != 0 ? index + after.trailingZeroBitCount >> 3
                            : SWAR.firstSOH(base, from: index + 8, count: count)
                        guard end < count else { return .failure(.unterminatedField(offset: fieldStart)) }
                        precondition(written < capacity, "more fields than SOH bytes")
                        (out + written).initialize(to: FIXFieldSlot(
                            tag: Int32(truncatingIfNeeded: tag),
                            valueStart: Int32(truncatingIfNeeded: valueStart),
                            valueLength: Int32(truncatingIfNeeded: end - valueStart)))
                        written += 1
                        index = end + 1
                        continue
                    }
                }
            }
            // Every other field byte by byte: long, empty, non-numeric or zero-led tags, data
            // fields, and the message's last few bytes.
            var tag = 0
            var validTag = true
            while true {
                guard index < count else { return .failure(.missingEquals(offset: fieldStart)) }
                let byte = base[index]
                if byte == UInt8(ascii: "=") { break }
                if byte == fixSOH { return .failure(.missingEquals(offset: fieldStart)) }
                let digit = byte &- UInt8(ascii: "0")
                if digit < 10, tag < 100_000_000 {
                    tag = tag &* 10 &+ Int(digit)
                } else {
                    validTag = false
                }
                index += 1
            }
            if index == fieldStart || tag == 0 || base[fieldStart] == UInt8(ascii: "0") { validTag = false }
            index += 1 // past '='
            let valueStart = index
            if validTag, written > 0, dataFields.contains(tag), let length = Self.decimalInt(base, out[written - 1]) {
                let end = valueStart + length
                guard end < count, base[end] == fixSOH else {
                    return .failure(.dataLengthMismatch(tag: tag, offset: fieldStart))
                }
                index = end
            } else {
                index = SWAR.firstSOH(base, from: index, count: count)
                guard index < count else { return .failure(.unterminatedField(offset: fieldStart)) }
            }
            // A slot per SOH found, so `written` stays below the capacity.
            precondition(written < capacity, "more fields than SOH bytes")
            (out + written).initialize(to: FIXFieldSlot(
                tag: validTag ? Int32(truncatingIfNeeded: tag) : 0,
                valueStart: Int32(truncatingIfNeeded: valueStart),
                valueLength: Int32(truncatingIfNeeded: index - valueStart)
            ))
            written += 1
            index += 1 // past SOH
        }
        return .success(written)
    }

    /// A length field's value: 1 to 9 digits, else `nil`.
    @inline(__always)
    private static func decimalInt(_ base: UnsafePointer<UInt8>, _ slot: FIXFieldSlot) -> Int? {
        guard slot.valueLength > 0, slot.valueLength < 10 else { return nil }
        var value = 0
        for index in slot.valueRange {
            let digit = base[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }
}

/// Eight bytes at a time in a 64-bit word ("SIMD within a register").
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let soh: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080
    static let lowBits: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// Eight bytes from `offset`, the first in the lowest lane on any platform.
    @inline(__always)
    static func load(_ raw: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Every lane above lane `lane` (0...7): for the bytes after a field's '='.
    @inline(__always)
    static func lanesAbove(_ lane: Int) -> UInt64 {
        lane >= 7 ? 0 : ~0 << UInt64(8 * (lane + 1))
    }

    /// The high bit of every lane that is not an ASCII digit. No carry or borrow crosses a
    /// lane: the low seven bits are compared with `0x30` and `0x39` separately.
    @inline(__always)
    static func nonDigitLanes(_ word: UInt64) -> UInt64 {
        let atLeastZero = (word | highBits) &- 0x3030_3030_3030_3030    // high bit: low 7 bits >= '0'
        let aboveNine = (word & lowBits) &+ 0x4646_4646_4646_4646       // high bit: low 7 bits > '9'
        return ~(atLeastZero & ~aboveNine & ~word) & highBits
    }

    /// The number written by the first `digits` lanes (1...7, all ASCII digits): the digits
    /// moved to the top lanes behind leading zeros, then combined in pairs, fours and eights.
    @inline(__always)
    static func number(_ word: UInt64, digits: Int) -> Int {
        var value = (word & 0x0F0F_0F0F_0F0F_0F0F) << UInt64(8 * (8 - digits))
        value = (value &* 10 &+ (value >> 8)) & 0x00FF_00FF_00FF_00FF
        value = (value &* 100 &+ (value >> 16)) & 0x0000_FFFF_0000_FFFF
        value = (value &* 10_000 &+ (value >> 32)) & 0xFFFF_FFFF
        return Int(truncatingIfNeeded: value)
    }

    /// The high bit of every byte lane that is zero, and of no other lane.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        ~(((word & lowBits) &+ lowBits) | word | lowBits)
    }

    /// The index of the first SOH at or after `index`, or `count` if there is none.
    @inline(__always)
    static func firstSOH(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
        var index = start
        let raw = UnsafeRawPointer(base)
        while index + 8 <= count {
            let word = load(raw, index) ^ soh
            // Lanes above the first zero may be flagged too; the lowest flag is exact.
            let flags = (word &- ones) & ~word & highBits
            if flags != 0 { return index + flags.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < count, base[index] != fixSOH { index += 1 }
        return index
    }
}
