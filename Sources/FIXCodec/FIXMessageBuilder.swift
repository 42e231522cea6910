/// An ordered run of encoded `tag=value<SOH>` fields: a header, a body, a trailer or one
/// entry of a repeating group. Fields are written straight into one byte buffer.
public struct FIXFieldList: Sendable, Hashable {
    public private(set) var bytes: [UInt8]

    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var isEmpty: Bool { bytes.isEmpty }

    @inline(__always)
    private mutating func writeTag(_ tag: Int) {
        precondition(tag > 0, "FIX tag numbers are positive")
        FIXFieldList.appendDigits(tag, to: &bytes)
        bytes.append(UInt8(ascii: "="))
    }

    static func appendDigits(_ value: Int, to buffer: inout [UInt8]) {
        var magnitude = value.magnitude
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            buffer.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    public mutating func append(_ tag: Int, _ value: String) {
        writeTag(tag)
        bytes.append(contentsOf: value.utf8)
        bytes.append(fixSOH)
    }

    public mutating func append(_ tag: Int, _ value: StaticString) {
        writeTag(tag)
        bytes.append(contentsOf: UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
        bytes.append(fixSOH)
    }

    /// Copies a value from another message without decoding it.
    public mutating func append(_ tag: Int, _ value: FIXValue) {
        writeTag(tag)
        bytes.append(contentsOf: value.bytes)
        bytes.append(fixSOH)
    }

    public mutating func append(_ tag: Int, _ value: Int) {
        writeTag(tag)
        FIXFieldList.appendDigits(value, to: &bytes)
        bytes.append(fixSOH)
    }

    public mutating func append(_ tag: Int, _ value: FIXDecimal) { appendText(tag, value) }

    private mutating func appendText(_ tag: Int, _ value: some FIXTextWritable) {
        writeTag(tag)
        value.write(into: &bytes)
        bytes.append(fixSOH)
    }

    /// FIX `Boolean`: `Y` or `N`.
    public mutating func append(_ tag: Int, _ value: Bool) {
        writeTag(tag)
        bytes.append(value ? UInt8(ascii: "Y") : UInt8(ascii: "N"))
        bytes.append(fixSOH)
    }

    /// FIX `char`.
    public mutating func append(_ tag: Int, char value: UInt8) {
        writeTag(tag)
        bytes.append(value)
        bytes.append(fixSOH)
    }

    public mutating func append(_ tag: Int, _ value: FIXTimestamp) { appendText(tag, value) }

    public mutating func append(_ tag: Int, _ value: FIXDate) { appendText(tag, value) }

    public mutating func append(_ tag: Int, _ value: FIXTimeOfDay) { appendText(tag, value) }

    public mutating func append(_ tag: Int, _ value: FIXMonthYear) { appendText(tag, value) }

    /// A length-prefixed data field: writes `lengthTag=<count>` and then `tag=<bytes>`,
    /// whose bytes may contain SOH.
    public mutating func append(_ tag: Int, data: some Collection<UInt8>, lengthTag: Int) {
        append(lengthTag, data.count)
        writeTag(tag)
        bytes.append(contentsOf: data)
        bytes.append(fixSOH)
    }

    /// A repeating group: the NumInGroup count and then each entry's fields, in order.
    /// Each entry must begin with the group's delimiter field.
    public mutating func appendGroup(_ countTag: Int, _ entries: [FIXFieldList]) {
        append(countTag, entries.count)
        for entry in entries { bytes.append(contentsOf: entry.bytes) }
    }

    /// Appends fields already encoded elsewhere.
    public mutating func append(contentsOf other: FIXFieldList) {
        bytes.append(contentsOf: other.bytes)
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

    /// Appends the complete message to `output`: one reservation, one pass.
    public func encode(into output: inout [UInt8]) {
        let typeField = 3 + msgType.utf8.count + 1
        let bodyLength = typeField + header.bytes.count + body.bytes.count + trailer.bytes.count
        let start = output.count
        output.reserveCapacity(start + bodyLength + beginString.utf8.count + 24)
        output.append(UInt8(ascii: "8"))
        output.append(UInt8(ascii: "="))
        output.append(contentsOf: beginString.utf8)
        output.append(fixSOH)
        output.append(UInt8(ascii: "9"))
        output.append(UInt8(ascii: "="))
        FIXFieldList.appendDigits(bodyLength, to: &output)
        output.append(fixSOH)
        output.append(UInt8(ascii: "3"))
        output.append(UInt8(ascii: "5"))
        output.append(UInt8(ascii: "="))
        output.append(contentsOf: msgType.utf8)
        output.append(fixSOH)
        output.append(contentsOf: header.bytes)
        output.append(contentsOf: body.bytes)
        output.append(contentsOf: trailer.bytes)
        let sum = output.withUnsafeBytes { FIXChecksum.compute(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        output.append(UInt8(ascii: "1"))
        output.append(UInt8(ascii: "0"))
        output.append(UInt8(ascii: "="))
        output.append(UInt8(ascii: "0") + UInt8(sum / 100))
        output.append(UInt8(ascii: "0") + UInt8(sum / 10 % 10))
        output.append(UInt8(ascii: "0") + UInt8(sum % 10))
        output.append(fixSOH)
    }
}

/// A value type that writes its own FIX text (decimals and the time types).
protocol FIXTextWritable {
    func write(into buffer: inout [UInt8])
}

extension FIXDecimal: FIXTextWritable {}
extension FIXTimestamp: FIXTextWritable {}
extension FIXDate: FIXTextWritable {}
extension FIXTimeOfDay: FIXTextWritable {}
extension FIXMonthYear: FIXTextWritable {}
