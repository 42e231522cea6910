/// What the framer found at the front of a byte stream.
public enum FIXFrame: Sendable, Hashable {
    /// A whole message of `length` bytes, BodyLength and CheckSum verified.
    case message(length: Int)
    /// Not enough bytes yet to decide; read more and try again.
    case incomplete
    /// The front of the stream is not a well-formed message. FIX says to ignore it without
    /// consuming a sequence number: drop `discard` bytes and frame again.
    case garbled(FIXGarbledReason, discard: Int)
}

/// Why bytes were judged garbled rather than a message.
public enum FIXGarbledReason: Sendable, Hashable, CustomStringConvertible {
    case beginStringNotFirst
    case bodyLengthNotSecond
    case msgTypeNotThird
    case badBodyLength
    case bodyLengthMismatch
    case badCheckSumField
    case checkSumMismatch(expected: Int, received: Int)
    case tooLong(Int)

    public var description: String {
        switch self {
        case .beginStringNotFirst: "BeginString (8) is not the first field"
        case .bodyLengthNotSecond: "BodyLength (9) is not the second field"
        case .msgTypeNotThird: "MsgType (35) is not the third field"
        case .badBodyLength: "BodyLength (9) is not a number"
        case .bodyLengthMismatch: "BodyLength (9) does not end where CheckSum (10) starts"
        case .badCheckSumField: "CheckSum (10) is not three digits followed by SOH"
        case let .checkSumMismatch(expected, received): "CheckSum (10) is \(received), the bytes sum to \(expected)"
        case let .tooLong(length): "BodyLength (9) of \(length) exceeds the maximum message size"
        }
    }
}

/// Splits a byte stream into FIX messages on BodyLength, never by searching for `10=`:
/// a data field (RawData, XmlData) may contain SOH and any text.
public struct FIXFramer: Sendable {
    /// The largest BodyLength accepted; larger claims are garbled input, not a reason to buffer.
    public var maximumBodyLength: Int
    /// QuickFIX's ValidateLengthAndChecksum: when false a wrong CheckSum value is let through.
    public var validateChecksum: Bool

    public init(maximumBodyLength: Int = 1 << 20, validateChecksum: Bool = true) {
        self.maximumBodyLength = maximumBodyLength
        self.validateChecksum = validateChecksum
    }

    /// Looks at the front of `buffer` and says what is there.
    public func frame(_ buffer: UnsafeRawBufferPointer) -> FIXFrame {
        let count = buffer.count
        guard count >= 2 else {
            return count == 1 && buffer[0] != UInt8(ascii: "8") ? garbled(.beginStringNotFirst, buffer) : .incomplete
        }
        guard buffer[0] == UInt8(ascii: "8"), buffer[1] == UInt8(ascii: "=") else {
            return garbled(.beginStringNotFirst, buffer)
        }
        // BeginString value: "FIX.4.4" / "FIXT.1.1"; allow some slack before calling it garbage.
        guard let beginEnd = firstSOH(buffer, from: 2, limit: 2 + 16) else {
            return count < 2 + 16 ? .incomplete : garbled(.beginStringNotFirst, buffer)
        }
        let lengthTag = beginEnd + 1
        guard count >= lengthTag + 2 else { return .incomplete }
        guard buffer[lengthTag] == UInt8(ascii: "9"), buffer[lengthTag + 1] == UInt8(ascii: "=") else {
            return garbled(.bodyLengthNotSecond, buffer)
        }
        var bodyLength = 0
        var index = lengthTag + 2
        while true {
            guard index < count else { return index - lengthTag - 2 > 9 ? garbled(.badBodyLength, buffer) : .incomplete }
            let byte = buffer[index]
            if byte == fixSOH { break }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10, index - lengthTag - 2 < 9 else { return garbled(.badBodyLength, buffer) }
            bodyLength = bodyLength * 10 + Int(digit)
            index += 1
        }
        guard index > lengthTag + 2 else { return garbled(.badBodyLength, buffer) }
        guard bodyLength <= maximumBodyLength else { return garbled(.tooLong(bodyLength), buffer) }
        let bodyStart = index + 1
        // The third field must be MsgType.
        let msgTypePrefix: StaticString = "35="
        for offset in 0..<3 where bodyStart + offset < count {
            guard buffer[bodyStart + offset] == msgTypePrefix.utf8Start[offset] else {
                return garbled(.msgTypeNotThird, buffer)
            }
        }
        let checkSumStart = bodyStart + bodyLength
        let total = checkSumStart + 7
        guard count >= total else { return .incomplete }
        guard buffer[checkSumStart] == UInt8(ascii: "1"), buffer[checkSumStart + 1] == UInt8(ascii: "0"),
              buffer[checkSumStart + 2] == UInt8(ascii: "="), checkSumStart > 0, buffer[checkSumStart - 1] == fixSOH
        else { return wrongBodyLength(buffer, checkSumStart: checkSumStart) }
        guard buffer[total - 1] == fixSOH,
              let received = threeDigits(buffer, at: checkSumStart + 3)
        else { return garbled(.badCheckSumField, buffer) }
        if validateChecksum {
            let sum = FIXChecksum.compute(UnsafeRawBufferPointer(rebasing: buffer[0..<checkSumStart]))
            guard sum == received else { return garbled(.checkSumMismatch(expected: sum, received: received), buffer) }
        }
        return .message(length: total)
    }

    /// Frames the front of a byte array.
    public func frame(_ bytes: [UInt8]) -> FIXFrame {
        bytes.withUnsafeBytes { frame($0) }
    }

    /// A BodyLength that does not end where a CheckSum starts. As QuickFIX frames it, the
    /// message runs to the first CheckSum field at or after where BodyLength says it ends:
    /// a length too short drops just this message, a length too long swallows the message
    /// after it too (both are ignored), and framing resumes after that CheckSum.
    private func wrongBodyLength(_ buffer: UnsafeRawBufferPointer, checkSumStart: Int) -> FIXFrame {
        let count = buffer.count
        var index = max(checkSumStart - 1, 0)
        while index + 3 < count {
            if buffer[index] == fixSOH, buffer[index + 1] == UInt8(ascii: "1"), buffer[index + 2] == UInt8(ascii: "0"),
               buffer[index + 3] == UInt8(ascii: "=") {
                var end = index + 4
                while end < count, buffer[end] != fixSOH { end += 1 }
                guard end < count else { break }
                return .garbled(.bodyLengthMismatch, discard: end + 1)
            }
            index += 1
        }
        // No CheckSum yet: wait for it, unless the claim has run past any message's size.
        return count - checkSumStart > maximumBodyLength ? garbled(.bodyLengthMismatch, buffer) : .incomplete
    }

    private func garbled(_ reason: FIXGarbledReason, _ buffer: UnsafeRawBufferPointer) -> FIXFrame {
        .garbled(reason, discard: Self.resynchronizationPoint(buffer))
    }

    /// Where the next message may start: the first `8=` after index 0 that follows an SOH.
    /// A trailing SOH `8` is kept, since the next read may complete it.
    static func resynchronizationPoint(_ buffer: UnsafeRawBufferPointer) -> Int {
        var index = 1
        let count = buffer.count
        while index < count {
            if buffer[index - 1] == fixSOH {
                if buffer[index] == UInt8(ascii: "8") {
                    if index + 1 == count || buffer[index + 1] == UInt8(ascii: "=") { return index }
                }
            }
            index += 1
        }
        return count
    }

    private func firstSOH(_ buffer: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Int? {
        var index = start
        let end = min(limit, buffer.count)
        while index < end {
            if buffer[index] == fixSOH { return index }
            index += 1
        }
        return nil
    }

    private func threeDigits(_ buffer: UnsafeRawBufferPointer, at start: Int) -> Int? {
        var value = 0
        for index in start..<(start + 3) {
            let digit = buffer[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }
}

/// The FIX CheckSum: the sum of every byte before `10=`, modulo 256.
public enum FIXChecksum {
    @inline(__always)
    public static func compute(_ bytes: UnsafeRawBufferPointer) -> Int {
        var sum: UInt = 0
        for byte in bytes { sum &+= UInt(byte) }
        return Int(sum & 0xFF)
    }
}
