import FIXCodec

/// A field's data type as QuickFIX dictionaries spell it (`type="PRICE"`).
///
/// Types from every FIX version are known; a type this engine has never seen is kept as
/// ``unknown(_:)`` and validated as a string, so any QuickFIX dictionary loads unchanged.
public enum FIXFieldType: Sendable, Hashable, CustomStringConvertible {
    case int, length, numInGroup, seqNum, tagNum, dayOfMonth
    case float, qty, price, priceOffset, amt, percentage
    case char, boolean
    case string, multipleValueString, multipleStringValue, multipleCharValue
    case country, currency, exchange, language
    case monthYear, utcTimestamp, utcTimeOnly, utcDateOnly, localMktDate
    case tzTimeOnly, tzTimestamp
    case data, xmlData
    /// FIX 4.0/4.1 `TIME` (a UTCTimestamp) and `DATE` (a date, sometimes free text).
    case time, date
    case unknown(String)

    public init(quickFIXName name: String) {
        switch name.uppercased() {
        case "INT": self = .int
        case "LENGTH": self = .length
        case "NUMINGROUP": self = .numInGroup
        case "SEQNUM": self = .seqNum
        case "TAGNUM": self = .tagNum
        case "DAYOFMONTH": self = .dayOfMonth
        case "FLOAT": self = .float
        case "QTY", "QUANTITY": self = .qty
        case "PRICE": self = .price
        case "PRICEOFFSET": self = .priceOffset
        case "AMT": self = .amt
        case "PERCENTAGE": self = .percentage
        case "CHAR": self = .char
        case "BOOLEAN": self = .boolean
        case "STRING": self = .string
        case "MULTIPLEVALUESTRING": self = .multipleValueString
        case "MULTIPLESTRINGVALUE": self = .multipleStringValue
        case "MULTIPLECHARVALUE": self = .multipleCharValue
        case "COUNTRY": self = .country
        case "CURRENCY": self = .currency
        case "EXCHANGE": self = .exchange
        case "LANGUAGE": self = .language
        case "MONTHYEAR": self = .monthYear
        case "UTCTIMESTAMP": self = .utcTimestamp
        case "UTCTIMEONLY": self = .utcTimeOnly
        case "UTCDATEONLY", "UTCDATE": self = .utcDateOnly
        case "LOCALMKTDATE": self = .localMktDate
        case "TZTIMEONLY": self = .tzTimeOnly
        case "TZTIMESTAMP": self = .tzTimestamp
        case "DATA": self = .data
        case "XMLDATA": self = .xmlData
        case "TIME": self = .time
        case "DATE": self = .date
        default: self = .unknown(name)
        }
    }

    public var description: String {
        switch self {
        case .int: "INT"
        case .length: "LENGTH"
        case .numInGroup: "NUMINGROUP"
        case .seqNum: "SEQNUM"
        case .tagNum: "TAGNUM"
        case .dayOfMonth: "DAYOFMONTH"
        case .float: "FLOAT"
        case .qty: "QTY"
        case .price: "PRICE"
        case .priceOffset: "PRICEOFFSET"
        case .amt: "AMT"
        case .percentage: "PERCENTAGE"
        case .char: "CHAR"
        case .boolean: "BOOLEAN"
        case .string: "STRING"
        case .multipleValueString: "MULTIPLEVALUESTRING"
        case .multipleStringValue: "MULTIPLESTRINGVALUE"
        case .multipleCharValue: "MULTIPLECHARVALUE"
        case .country: "COUNTRY"
        case .currency: "CURRENCY"
        case .exchange: "EXCHANGE"
        case .language: "LANGUAGE"
        case .monthYear: "MONTHYEAR"
        case .utcTimestamp: "UTCTIMESTAMP"
        case .utcTimeOnly: "UTCTIMEONLY"
        case .utcDateOnly: "UTCDATEONLY"
        case .localMktDate: "LOCALMKTDATE"
        case .tzTimeOnly: "TZTIMEONLY"
        case .tzTimestamp: "TZTIMESTAMP"
        case .data: "DATA"
        case .xmlData: "XMLDATA"
        case .time: "TIME"
        case .date: "DATE"
        case let .unknown(name): name
        }
    }

    /// Whether the value is length-prefixed and may contain SOH.
    public var isData: Bool { self == .data || self == .xmlData }

    /// Whether the value is a list of space-separated enumeration tokens.
    var isMultipleValue: Bool {
        self == .multipleValueString || self == .multipleStringValue || self == .multipleCharValue
    }

    /// Whether `value` is well-formed for this type (FIX SessionRejectReason 6 when not).
    /// Runs on every field of every message: no allocation.
    func accepts(_ value: ArraySlice<UInt8>) -> Bool {
        switch self {
        case .int:
            return FIXValue(value).int != nil
        case .length, .numInGroup, .seqNum:
            return Self.isUnsigned(value)
        case .tagNum:
            return Self.isUnsigned(value) && value.first != UInt8(ascii: "0")
        case .dayOfMonth:
            guard Self.isUnsigned(value), let day = FIXValue(value).int else { return false }
            return (1...31).contains(day)
        case .float, .qty, .price, .priceOffset, .amt, .percentage:
            return FIXDecimal(fixBytes: value) != nil
        case .char:
            return value.count == 1 && value.first != UInt8(ascii: " ")
        case .boolean:
            return value.count == 1 && (value.first == UInt8(ascii: "Y") || value.first == UInt8(ascii: "N"))
        case .monthYear:
            return FIXMonthYear(fixBytes: value) != nil
        case .utcTimestamp, .time:
            // Well-formed in any year (year 9999 is FIX, if not a 64-bit nanosecond count).
            return value.withUnsafeBufferPointer { FIXTimestamp.isWellFormed($0) }
        case .utcTimeOnly:
            return FIXTimeOfDay(fixBytes: value) != nil
        case .utcDateOnly, .localMktDate:
            return FIXDate(fixBytes: value) != nil
        case .data, .xmlData:
            return true
        case .string, .multipleValueString, .multipleStringValue, .multipleCharValue, .country, .currency,
             .exchange, .language, .tzTimeOnly, .tzTimestamp, .date, .unknown:
            // Text types: any bytes but SOH (the framer already split on it).
            return true
        }
    }

    private static func isUnsigned(_ value: ArraySlice<UInt8>) -> Bool {
        guard !value.isEmpty, value.count <= 18 else { return false }
        for byte in value where byte &- UInt8(ascii: "0") >= 10 { return false }
        return true
    }
}
