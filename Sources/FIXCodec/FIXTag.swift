/// Tag numbers the codec itself must know: the standard header and trailer, and the
/// length-prefixed data fields whose values may contain SOH.
public enum FIXTag {
    public static let beginString = 8
    public static let bodyLength = 9
    public static let checkSum = 10
    public static let msgSeqNum = 34
    public static let msgType = 35
    public static let possDupFlag = 43
    public static let senderCompID = 49
    public static let sendingTime = 52
    public static let targetCompID = 56
    public static let signature = 89
    public static let signatureLength = 93
    public static let possResend = 97
    public static let origSendingTime = 122
}

/// The set of tags whose value is length-prefixed (FIX type `data`): the parser takes
/// such a value's length from the field before it instead of scanning for SOH.
public struct FIXDataFields: Sendable, Hashable {
    private var low: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                      UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)
    private var high: Set<Int>
    /// Bit `n` is set when a tag in `16n ..< 16n + 16` (below 1024) is a data field: one test
    /// answers "no" for almost every tag before the exact bit is looked at.
    private(set) var summary: UInt64

    public init<Tags: Sequence<Int>>(_ tags: Tags) {
        low = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        high = []
        summary = 0
        for tag in tags { insert(tag) }
    }

    /// The data fields of the FIX 4.x and FIXT 1.1 standard header, trailer and body
    /// (Signature, SecureData, RawData, XmlData and the Encoded* text fields).
    public static let standard = FIXDataFields([89, 91, 96, 213, 349, 351, 353, 355, 357, 359, 361, 363, 365, 446, 619, 622])

    public mutating func insert(_ tag: Int) {
        guard tag >= 0 else { return }
        if tag < 1024 {
            summary |= 1 << UInt64(tag >> 4)
            withUnsafeMutableBytes(of: &low) { raw in
                raw.storeBytes(of: raw.load(fromByteOffset: (tag >> 6) * 8, as: UInt64.self) | (1 << UInt64(tag & 63)),
                               toByteOffset: (tag >> 6) * 8, as: UInt64.self)
            }
        } else {
            high.insert(tag)
        }
    }

    @inline(__always)
    public func contains(_ tag: Int) -> Bool {
        if tag < 1024 {
            guard tag >= 0, summary & (1 << UInt64(tag >> 4)) != 0 else { return false }
            // A switch rather than a pointer into the tuple, which would copy all 128 bytes.
            let word: UInt64
            switch tag >> 6 {
            case 0: word = low.0
            case 1: word = low.1
            case 2: word = low.2
            case 3: word = low.3
            case 4: word = low.4
            case 5: word = low.5
            case 6: word = low.6
            case 7: word = low.7
            case 8: word = low.8
            case 9: word = low.9
            case 10: word = low.10
            case 11: word = low.11
            case 12: word = low.12
            case 13: word = low.13
            case 14: word = low.14
            default: word = low.15
            }
            return word & (1 << UInt64(tag & 63)) != 0
        }
        return !high.isEmpty && high.contains(tag)
    }

    /// Whether `tag` may be a data field, from the summary alone: false means certainly not.
    /// The parser asks this of every field, so it must not copy the 128-byte table.
    @inline(__always)
    static func mayContain(_ tag: Int, summary: UInt64, hasHighTags: Bool) -> Bool {
        tag < 1024 ? summary & (1 << UInt64(truncatingIfNeeded: tag >> 4)) != 0 : hasHighTags
    }

    var hasHighTags: Bool { !high.isEmpty }

    public static func == (lhs: FIXDataFields, rhs: FIXDataFields) -> Bool {
        withUnsafeBytes(of: lhs.low) { l in withUnsafeBytes(of: rhs.low) { r in l.elementsEqual(r) } } && lhs.high == rhs.high
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: low) { hasher.combine(bytes: $0) }
        hasher.combine(high)
    }
}

/// The field delimiter, SOH (0x01).
public let fixSOH: UInt8 = 0x01

/// The tags of the FIX 4.x and FIXT 1.1 standard header, owned here, beside the framing: the
/// session layer, the transport and the applications all ask this one set.
public enum FIXStandardHeader {
    private static let tags: Set<Int> = [8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145,
                                         43, 97, 52, 122, 212, 213, 347, 369, 627, 628, 629, 630, 1128, 1129, 1156]
    public static func contains(_ tag: Int) -> Bool { tags.contains(tag) }
}

/// The tags of the standard trailer: SignatureLength, Signature and CheckSum.
public enum FIXStandardTrailer {
    public static func contains(_ tag: Int) -> Bool {
        tag == FIXTag.signatureLength || tag == FIXTag.signature || tag == FIXTag.checkSum
    }
}
