/// An ordered run of encoded `tag=value<SOH>` fields: a header, a body, a trailer or one
/// entry of a repeating group. Fields are written straight into one byte buffer.
/// The typed appends are ``FIXFieldWriter``'s.
public struct FIXFieldList: FIXFieldWriter, Sendable, Hashable {
    @usableFromInline var storage: [UInt8]

    /// The encoded fields.
    public var bytes: [UInt8] { storage }

    public init(reservingCapacity capacity: Int = 0) {
        storage = []
        // Reserving nothing would still replace the shared empty buffer with one of our own.
        if capacity > 0 { storage.reserveCapacity(capacity) }
    }

    public var isEmpty: Bool { storage.isEmpty }

    /// Writes `tag=`, the `length` bytes of value `write` puts at the pointer it is given,
    /// and SOH, with one capacity check for all. `length` is exact, so that a list reserved
    /// to its size is never grown.
    @inlinable @inline(__always)
    public mutating func appendField(_ tag: Int, length: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Void) {
        precondition(tag > 0, "FIX tag numbers are positive")
        let tagDigits = FIXTextWriter.digitCount(UInt64(tag))
        let total = tagDigits + length + 2
        storage.append(addingCapacity: total) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                guard let pointer = buffer.baseAddress else { return }
                FIXTextWriter.writeField(tag, tagDigits: tagDigits, length: length, to: pointer, write)
                initialized = total
            }
        }
    }

    /// A length-prefixed data field: writes `lengthTag=<count>` and then `tag=<bytes>`,
    /// whose bytes may contain SOH.
    public mutating func append(_ tag: Int, data: some Collection<UInt8>, lengthTag: Int) {
        append(lengthTag, data.count)
        let copied: Void? = data.withContiguousStorageIfAvailable { bytes in
            appendField(tag, length: bytes.count) { FIXTextWriter.copy(bytes, to: $0) }
        }
        guard copied == nil else { return }
        Array(data).withUnsafeBufferPointer { bytes in
            appendField(tag, length: bytes.count) { FIXTextWriter.copy(bytes, to: $0) }
        }
    }

    /// A repeating group: the NumInGroup count and then each entry's fields, in order.
    /// Each entry must begin with the group's delimiter field.
    public mutating func appendGroup(_ countTag: Int, _ entries: [FIXFieldList]) {
        append(countTag, entries.count)
        for entry in entries { storage.append(contentsOf: entry.storage) }
    }

    /// Appends fields already encoded elsewhere.
    public mutating func append(contentsOf other: FIXFieldList) {
        storage.append(contentsOf: other.storage)
    }
}

/// Composes a message: BeginString, BodyLength and MsgType first, then the header fields,
/// the body, the trailer, and a CheckSum computed over it all.
public struct FIXMessageBuilder: Sendable {
    public var beginString: String
    public var msgType: String
    /// Header fields after MsgType (SenderCompID, TargetCompID, MsgSeqNum, SendingTime …).
    public var header: FIXFieldList
    public var body: FIXFieldList
    /// Trailer fields before CheckSum (SignatureLength, Signature), rarely used.
    public var trailer: FIXFieldList

    public init(beginString: String = "FIX.4.4", msgType: String, bodyCapacity: Int = 256) {
        self.beginString = beginString
        self.msgType = msgType
        header = FIXFieldList(reservingCapacity: 96)
        body = FIXFieldList(reservingCapacity: bodyCapacity)
        trailer = FIXFieldList()
    }

    /// The complete message with a correct BodyLength and CheckSum.
    public func encode() -> [UInt8] {
        var output: [UInt8] = []
        encode(into: &output)
        return output
    }

    /// Appends the complete message to `output`: its exact length reserved once, every part
    /// copied in, then the CheckSum summed over what was written.
    public func encode(into output: inout [UInt8]) {
        let beginCount = beginString.utf8.count
        let typeCount = msgType.utf8.count
        let bodyLength = 3 + typeCount + 1 + header.storage.count + body.storage.count + trailer.storage.count
        let lengthDigits = FIXTextWriter.digitCount(UInt64(bodyLength))
        let prefix = 2 + beginCount + 1 + 2 + lengthDigits + 1
        let total = prefix + bodyLength + 7
        FIXTextWriter.append(to: &output, capacity: total) { start in
            var pointer = start
            func put(_ byte: UInt8) {
                pointer[0] = byte
                pointer += 1
            }
            put(UInt8(ascii: "8"))
            put(UInt8(ascii: "="))
            pointer += FIXTextWriter.copyUTF8(beginString, to: pointer)
            put(fixSOH)
            put(UInt8(ascii: "9"))
            put(UInt8(ascii: "="))
            FIXTextWriter.writeDigits(UInt64(bodyLength), count: lengthDigits, to: pointer)
            pointer += lengthDigits
            put(fixSOH)
            put(UInt8(ascii: "3"))
            put(UInt8(ascii: "5"))
            put(UInt8(ascii: "="))
            pointer += FIXTextWriter.copyUTF8(msgType, to: pointer)
            put(fixSOH)
            header.storage.withUnsafeBufferPointer { FIXTextWriter.copy($0, to: pointer) }
            pointer += header.storage.count
            body.storage.withUnsafeBufferPointer { FIXTextWriter.copy($0, to: pointer) }
            pointer += body.storage.count
            trailer.storage.withUnsafeBufferPointer { FIXTextWriter.copy($0, to: pointer) }
            pointer += trailer.storage.count
            let sum = FIXTextWriter.checksum(UnsafeRawBufferPointer(start: start, count: prefix + bodyLength))
            put(UInt8(ascii: "1"))
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "="))
            FIXTextWriter.writeFixed(sum, width: 3, to: pointer)
            pointer += 3
            put(fixSOH)
            return start.distance(to: pointer)
        }
    }
}
