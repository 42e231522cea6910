/// Encodes whole messages from typed values: every field is written once, into a working
/// buffer the encoder keeps, and ``encode()`` puts BeginString, BodyLength and CheckSum around
/// them in the one array it returns.
///
/// For messages built at once from values, as a gateway reports fills: no field list per part
/// and no copy of each part. Keep one encoder (a session's, say) and reuse it: after
/// ``encode()`` it starts the next message of the same type, or ``reset(msgType:)`` starts
/// another, so its buffer is allocated once. ``FIXMessageBuilder`` remains for messages
/// assembled from separately built parts.
///
/// ```swift
/// var encoder = FIXMessageEncoder(msgType: "8")
/// encoder.append(FIXTag.msgSeqNum, 2051)
/// encoder.append(44, FIXDecimal("75.25")!)
/// let wire = encoder.encode()
/// ```
///
/// Fields go out in the order appended, after MsgType (35). Not copyable: it owns its buffer.
public struct FIXMessageEncoder: FIXFieldWriter, ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    /// Bytes written, from `35=` on.
    @usableFromInline var count: Int
    @usableFromInline var capacity: Int
    /// The BeginString's bytes; and the length of `35=<MsgType><SOH>`.
    private let beginString: [UInt8]
    private var typeFieldCount: Int
    /// The date of the last timestamp written.
    @usableFromInline var dateText = FIXDateText()

    /// - Parameter capacity: bytes to reserve for the fields; more are allowed (the buffer grows).
    public init(beginString: String = "FIX.4.4", msgType: String, capacity: Int = 512) {
        self.beginString = Array(beginString.utf8)
        self.capacity = max(capacity, 64)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
        count = 0
        typeFieldCount = 0
        reset(msgType: msgType)
    }

    deinit { base.deallocate() }

    /// Drops the fields appended so far and starts a message of type `msgType`.
    public mutating func reset(msgType: String) {
        count = 0
        let length = msgType.utf8.count
        appendField(FIXTag.msgType, length: length) { FIXTextWriter.copyUTF8(msgType, to: $0) }
        typeFieldCount = count
    }

    /// Appends `tag=`, the `length` value bytes `write` puts at the pointer, and SOH.
    @inlinable @inline(__always)
    public mutating func appendField(_ tag: Int, length: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Void) {
        precondition(tag > 0, "FIX tag numbers are positive")
        let tagDigits = FIXTextWriter.digitCount(UInt64(tag))
        let total = tagDigits + length + 2
        if capacity - count < total { grow(toFit: total) }
        FIXTextWriter.writeField(tag, tagDigits: tagDigits, length: length, to: base + count, write)
        count += total
    }

    /// A UTCTimestamp; the date's text is reused when the last timestamp had the same day.
    @inlinable @inline(__always)
    public mutating func append(_ tag: Int, _ value: FIXTimestamp) {
        var dateText = dateText
        appendField(tag, length: value.fixLength) { value.write(to: $0, dateText: &dateText) }
        self.dateText = dateText
    }

    /// Fields already encoded elsewhere (a field list), copied as they are.
    public mutating func append(contentsOf fields: FIXFieldList) {
        let extra = fields.storage.count
        if capacity - count < extra { grow(toFit: extra) }
        fields.storage.withUnsafeBufferPointer { FIXTextWriter.copy($0, to: base + count) }
        count += extra
    }

    /// Moves the fields to a buffer twice as large (or as large as needed).
    @usableFromInline
    mutating func grow(toFit extra: Int) {
        let newCapacity = max(capacity * 2, count + extra)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        larger.update(from: base, count: count)
        base.deallocate()
        base = larger
        capacity = newCapacity
    }

    /// The complete message: `8=`, `9=` with the BodyLength of everything appended, the
    /// fields, `10=` with the CheckSum. One allocation. The encoder then holds MsgType alone,
    /// ready for the next message of the same type.
    public mutating func encode() -> [UInt8] {
        let bodyLength = count
        let lengthDigits = FIXTextWriter.digitCount(UInt64(bodyLength))
        let beginCount = beginString.count
        let prefix = 2 + beginCount + 4 + lengthDigits
        let total = prefix + bodyLength + 7
        var message: [UInt8] = []
        message.append(addingCapacity: total) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                guard let start = buffer.baseAddress else { return }
                start[0] = UInt8(ascii: "8")
                start[1] = UInt8(ascii: "=")
                beginString.withUnsafeBufferPointer { FIXTextWriter.copy($0, to: start + 2) }
                let length = start + 2 + beginCount
                length[0] = fixSOH
                length[1] = UInt8(ascii: "9")
                length[2] = UInt8(ascii: "=")
                FIXTextWriter.writeDigits(UInt64(bodyLength), count: lengthDigits, to: length + 3)
                length[3 + lengthDigits] = fixSOH
                let fields = FIXTextWriter.copySumming(from: base, to: start + prefix, count: bodyLength)
                let sum = Int(fields &+ UInt8(FIXTextWriter.checksum(UnsafeRawBufferPointer(start: start, count: prefix))))
                let trailer = start + prefix + bodyLength
                trailer[0] = UInt8(ascii: "1")
                trailer[1] = UInt8(ascii: "0")
                trailer[2] = UInt8(ascii: "=")
                FIXTextWriter.writeFixed(sum, width: 3, to: trailer + 3)
                trailer[6] = fixSOH
                initialized = total
            }
        }
        count = typeFieldCount
        return message
    }
}
