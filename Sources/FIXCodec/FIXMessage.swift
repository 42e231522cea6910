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
        var slots: [FIXFieldSlot] = []
        // FIX fields average well over six bytes; one reservation covers the message.
        slots.reserveCapacity(bytes.count / 6 + 4)
        let result: FIXParseError? = bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            var index = 0
            while index < count {
                let fieldStart = index
                var tag = 0
                var validTag = true
                while index < count, buffer[index] != UInt8(ascii: "=") {
                    let byte = buffer[index]
                    if byte == fixSOH { return .missingEquals(offset: fieldStart) }
                    let digit = byte &- UInt8(ascii: "0")
                    if digit < 10, tag < 100_000_000 {
                        tag = tag &* 10 &+ Int(digit)
                    } else {
                        validTag = false
                    }
                    index += 1
                }
                guard index < count else { return .missingEquals(offset: fieldStart) }
                if index == fieldStart || tag == 0 || buffer[fieldStart] == UInt8(ascii: "0") { validTag = false }
                index += 1 // past '='
                let valueStart = index
                if validTag, dataFields.contains(tag), let length = slots.last.flatMap({ Self.decimalInt(buffer, $0) }) {
                    let end = valueStart + length
                    guard length >= 0, end < count, buffer[end] == fixSOH else {
                        return .dataLengthMismatch(tag: tag, offset: fieldStart)
                    }
                    index = end
                } else {
                    while index < count, buffer[index] != fixSOH { index += 1 }
                    guard index < count else { return .unterminatedField(offset: fieldStart) }
                }
                slots.append(FIXFieldSlot(
                    tag: validTag ? Int32(tag) : 0,
                    valueStart: Int32(valueStart),
                    valueLength: Int32(index - valueStart)
                ))
                index += 1 // past SOH
            }
            return nil
        }
        if let result { throw result }
        return FIXMessage(bytes: bytes, fields: slots)
    }

    private static func decimalInt(_ buffer: UnsafeBufferPointer<UInt8>, _ slot: FIXFieldSlot) -> Int? {
        guard slot.valueLength > 0, slot.valueLength < 10 else { return nil }
        var value = 0
        for index in slot.valueRange {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}
