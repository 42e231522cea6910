@testable import FIXCodec
import TestSupport
import Testing

/// The parser and the value readers work eight or sixteen bytes at a time; these check them
/// against plain byte-by-byte readings of the same rules on inputs made to hit the edges
/// (word boundaries, the last bytes of a message, data fields full of SOH).
@Suite struct CodecEquivalenceTests {
    @Test func parserAgreesWithAByteByByteSplitOnRandomMessages() {
        var random = SeededRandom(seed: 0x5EED_F1E1D5)
        let tags = ["8", "9", "35", "10", "1", "11", "55", "448", "9999", "1234567", "12345678", "123456789", "0", "007",
                    "-1", "4x9", "", "95", "96", "89", "93", "213", "1000000000"]
        let values = ["", "1", "75.25", "ORD-20260115-000042", "=", "a=b", "20260115-14:30:00.123", "x", "12345678"]
        let dataFields = FIXDataFields.standard
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + random.next(upTo: 12)) {
                let tag = tags[random.next(upTo: tags.count)]
                if random.next(upTo: 8) == 0, let length = Int(tag), (0..<100).contains(length) {
                    // A length field and its data field, the data holding SOH and '='.
                    let data = (0..<length).map { _ in [UInt8(1), UInt8(ascii: "="), UInt8(ascii: "A")][random.next(upTo: 3)] }
                    bytes += Array("95=\(data.count)\u{01}96=".utf8) + data + [1]
                    continue
                }
                bytes += Array(tag.utf8) + [UInt8(ascii: "=")] + Array(values[random.next(upTo: values.count)].utf8) + [1]
            }
            // Sometimes cut the message short, inside a field.
            if random.next(upTo: 5) == 0, bytes.count > 1 { bytes.removeLast(1 + random.next(upTo: min(bytes.count - 1, 9))) }
            guard !bytes.isEmpty else { continue }
            let expected = ReferenceSplit.parse(bytes, dataFields: dataFields)
            let actual: Result<[FIXFieldSlot], FIXParseError>
            do {
                actual = .success(try FIXParser(dataFields: dataFields).parse(bytes).fields)
            } catch {
                actual = .failure(error)
            }
            #expect(actual == expected, "\(FIXText.show(bytes))")
        }
    }

    @Test func aDataFieldFullOfSOHParses() throws {
        // 5,000 SOH bytes in one data field: the SOH count bounds the slots however many there are.
        let data = [UInt8](repeating: 1, count: 5_000)
        let bytes = Array("8=FIX.4.4\u{01}9=5\u{01}35=B\u{01}95=5000\u{01}96=".utf8) + data + Array("\u{01}10=000\u{01}".utf8)
        let message = try FIXParser().parse(bytes)
        #expect(message.count == 6)
        #expect(message[96]?.bytes.count == 5_000)
        #expect(message.tag(at: 5) == 10)
    }

    @Test func decimalsReadAsTheDigitRulesSay() {
        var random = SeededRandom(seed: 37_63)
        let alphabet = Array("0123456789.-+e ".utf8)
        for length in 0..<24 {
            for _ in 0..<2_000 {
                let text = (0..<length).map { _ in
                    random.next(upTo: 4) == 0 ? alphabet[random.next(upTo: alphabet.count)] : UInt8(ascii: "0") + UInt8(random.next(upTo: 10))
                }
                let actual = FIXDecimal(fixBytes: text)
                #expect(actual == ReferenceValues.decimal(text), "\(String(decoding: text, as: UTF8.self))")
                #expect(text.withUnsafeBufferPointer { FIXDecimal.isWellFormed($0) } == (actual != nil))
                if let actual {
                    #expect(actual.scale == ReferenceValues.decimal(text)?.scale)
                    #expect(actual.mantissa == ReferenceValues.decimal(text)?.mantissa)
                }
            }
        }
    }

    @Test func timesReadAsTheDigitRulesSay() {
        var random = SeededRandom(seed: 2020_04_20)
        let templates = ["20260115-14:30:00", "20260115-14:30:00.123", "20260115-14:30:00.123456", "20260115-14:30:00.123456789",
                         "20240229-23:59:60", "20250229-00:00:00", "19700101-00:00:00.000", "20261231-24:00:00", "202612", "20261231",
                         "202612w5", "14:30:00.1", "14:30:00.12345", "14:30:00", "99991231-23:59:59.999", "16770101-00:00:00"]
        let noise = Array("0123456789:-.w/ ".utf8)
        for template in templates {
            for _ in 0..<3_000 {
                var text = Array(template.utf8)
                for _ in 0..<random.next(upTo: 3) where !text.isEmpty {
                    let index = random.next(upTo: text.count)
                    switch random.next(upTo: 4) {
                    case 0: text[index] = noise[random.next(upTo: noise.count)]
                    case 1: text[index] = UInt8(ascii: "0") + UInt8(random.next(upTo: 10))
                    case 2: text.remove(at: index)
                    default: text.insert(UInt8(ascii: "0") + UInt8(random.next(upTo: 10)), at: index)
                    }
                }
                let shown = String(decoding: text, as: UTF8.self)
                #expect(FIXTimestamp(fixBytes: text) == ReferenceValues.timestamp(text), "\(shown)")
                #expect(FIXTimestamp(fixBytes: text)?.precision == ReferenceValues.timestamp(text)?.precision, "\(shown)")
                #expect(text.withUnsafeBufferPointer { FIXTimestamp.isWellFormed($0) } == (ReferenceValues.timestampParts(text) != nil))
                #expect(FIXDate(fixBytes: text) == ReferenceValues.date(text), "\(shown)")
                #expect(FIXTimeOfDay(fixBytes: text) == ReferenceValues.timeOfDay(text), "\(shown)")
                #expect(FIXMonthYear(fixBytes: text) == ReferenceValues.monthYear(text), "\(shown)")
            }
        }
    }

    @Test func valuesWriteAsTheyRead() {
        var random = SeededRandom(seed: 42)
        var list = FIXFieldList()
        var expected = ""
        for index in 0..<3_000 {
            let tag = 1 + random.next(upTo: 20_000)
            switch index % 4 {
            case 0:
                let decimal = random.decimal()
                list.append(tag, decimal)
                expected += "\(tag)=\(ReferenceValues.text(decimal))|"
            case 1:
                let nanoseconds = Int64(random.next(upTo: 4_000_000_000)) * 1_000_000_007 - 1_000_000_000_000_000_000
                let precision = FIXTimePrecision.allCases[random.next(upTo: 4)]
                let timestamp = FIXTimestamp(nanosecondsSinceEpoch: nanoseconds, precision: precision)
                list.append(tag, timestamp)
                expected += "\(tag)=\(ReferenceValues.text(timestamp))|"
            case 2:
                let value = Int(Int64(bitPattern: random.next())) >> random.next(upTo: 64)
                list.append(tag, value)
                expected += "\(tag)=\(value)|"
            default:
                let text = random.text()
                list.append(tag, text)
                expected += "\(tag)=\(text)|"
            }
        }
        #expect(FIXText.show(list.bytes) == expected)
        #expect(FIXDecimal(mantissa: .min, scale: 18).description == "-9.223372036854775808")
        #expect(FIXDecimal(mantissa: 5, scale: 18).description == "0.000000000000000005")
    }

    @Test func calendarDatesFromDayNumbersAgreeAcrossTheRange() {
        // Every 97th day from 0000-01-01 to 9999-12-31, and every day around where the fast
        // calendar arithmetic takes over (0000-03-01).
        var days = Array(stride(from: Int64(-719_528), through: 2_932_896, by: 97))
        days += Array(-719_470 ... -719_460)
        for day in days {
            let date = FIXDate(daysSinceEpoch: day)
            #expect(date.daysSinceEpoch == day)
            let civil = FIXDate.civil(daysSinceEpoch: day)
            #expect(FIXDate(year: civil.year, month: civil.month, day: civil.day) == date, "day \(day)")
            // Timestamps reach 1677–2262 (nanoseconds in 64 bits).
            guard abs(day) < 106_000 else { continue }
            let stamp = FIXTimestamp(nanosecondsSinceEpoch: day * 86_400_000_000_000 + 45_296_789_000_000, precision: .milliseconds)
            #expect(stamp.description == "\(date)-12:34:56.789", "day \(day)")
        }
    }

    @Test func checkSumsOfEveryLength() {
        var random = SeededRandom(seed: 7)
        for length in 0..<300 {
            var builder = FIXMessageBuilder(msgType: "0")
            builder.body.append(58, String(repeating: "\u{7F}", count: length))
            builder.body.append(1, random.text())
            let bytes = builder.encode()
            #expect(FIXFramer().frame(bytes) == .message(length: bytes.count))
        }
    }
}

/// The splitting rules written plainly, one byte at a time.
private enum ReferenceSplit {
    static func parse(_ bytes: [UInt8], dataFields: FIXDataFields) -> Result<[FIXFieldSlot], FIXParseError> {
        var slots: [FIXFieldSlot] = []
        var index = 0
        while index < bytes.count {
            let fieldStart = index
            var tag = 0
            var validTag = true
            while index < bytes.count, bytes[index] != UInt8(ascii: "=") {
                if bytes[index] == 1 { return .failure(.missingEquals(offset: fieldStart)) }
                let digit = bytes[index] &- UInt8(ascii: "0")
                if digit < 10, tag < 100_000_000 { tag = tag * 10 + Int(digit) } else { validTag = false }
                index += 1
            }
            guard index < bytes.count else { return .failure(.missingEquals(offset: fieldStart)) }
            if index == fieldStart || tag == 0 || bytes[fieldStart] == UInt8(ascii: "0") { validTag = false }
            index += 1
            let valueStart = index
            if validTag, dataFields.contains(tag), let last = slots.last, last.valueLength > 0, last.valueLength < 10,
               let length = Int(String(decoding: bytes[last.valueRange], as: UTF8.self)),
               bytes[last.valueRange].allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
                let end = valueStart + length
                guard end < bytes.count, bytes[end] == 1 else { return .failure(.dataLengthMismatch(tag: tag, offset: fieldStart)) }
                index = end
            } else {
                while index < bytes.count, bytes[index] != 1 { index += 1 }
                guard index < bytes.count else { return .failure(.unterminatedField(offset: fieldStart)) }
            }
            slots.append(FIXFieldSlot(tag: validTag ? Int32(tag) : 0, valueStart: Int32(valueStart),
                                      valueLength: Int32(index - valueStart)))
            index += 1
        }
        return .success(slots)
    }
}

/// The value rules written plainly over `String`s and integers.
private enum ReferenceValues {
    static func digits(_ text: ArraySlice<UInt8>) -> Int? {
        guard !text.isEmpty, text.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else { return nil }
        return text.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    static func decimal(_ text: [UInt8]) -> FIXDecimal? {
        var body = text[...]
        let negative = body.first == UInt8(ascii: "-")
        if negative { body = body.dropFirst() }
        let parts = body.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0 &- UInt8(ascii: "0") < 10 } }),
              parts.contains(where: { !$0.isEmpty }) else { return nil }
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : []
        let all = Array(whole) + Array(fraction)
        let significant = all.drop { $0 == UInt8(ascii: "0") }
        guard significant.count <= 18, fraction.count <= 18 else { return nil }
        let mantissa = Int64(significant.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
        return FIXDecimal(mantissa: negative ? -mantissa : mantissa, scale: UInt8(fraction.count))
    }

    static func date(_ text: [UInt8]) -> FIXDate? {
        guard text.count == 8, let year = digits(text[0..<4]), let month = digits(text[4..<6]), let day = digits(text[6..<8]),
              (1...12).contains(month), day >= 1, day <= daysIn(month, year) else { return nil }
        return FIXDate(year: year, month: month, day: day)
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func timeOfDay(_ text: [UInt8]) -> FIXTimeOfDay? {
        guard text.count >= 8, text[2] == UInt8(ascii: ":"), text[5] == UInt8(ascii: ":"),
              let hour = digits(text[0..<2]), hour < 24, let minute = digits(text[3..<5]), minute < 60,
              let second = digits(text[6..<8]), second <= 60 else { return nil }
        guard text.count > 8 else { return FIXTimeOfDay(hour: hour, minute: minute, second: second) }
        let fraction = text[9...]
        guard text[8] == UInt8(ascii: "."), [3, 6, 9].contains(fraction.count), let value = digits(fraction),
              let precision = FIXTimePrecision(rawValue: fraction.count) else { return nil }
        var scale = 1
        for _ in fraction.count..<9 { scale *= 10 }
        return FIXTimeOfDay(hour: hour, minute: minute, second: second, nanosecond: value * scale, precision: precision)
    }

    static func timestampParts(_ text: [UInt8]) -> (FIXDate, FIXTimeOfDay)? {
        guard text.count >= 17, text[8] == UInt8(ascii: "-"), let date = date(Array(text[0..<8])),
              let time = timeOfDay(Array(text[9...])) else { return nil }
        return (date, time)
    }

    /// Only instants 64-bit nanoseconds since 1970 can hold (1677 to 2262).
    static func timestamp(_ text: [UInt8]) -> FIXTimestamp? {
        guard let (date, time) = timestampParts(text) else { return nil }
        let nanoseconds = Int128(date.daysSinceEpoch) * 86_400_000_000_000 + Int128(time.nanosecondsOfDay)
        guard let exact = Int64(exactly: nanoseconds) else { return nil }
        return FIXTimestamp(nanosecondsSinceEpoch: exact, precision: time.precision)
    }

    static func monthYear(_ text: [UInt8]) -> FIXMonthYear? {
        guard text.count == 6 || text.count == 8, let year = digits(text[0..<4]), let month = digits(text[4..<6]),
              (1...12).contains(month) else { return nil }
        guard text.count == 8 else { return FIXMonthYear(year: year, month: month) }
        if text[6] == UInt8(ascii: "w") {
            guard let week = digits(text[7..<8]), (1...5).contains(week) else { return nil }
            return FIXMonthYear(year: year, month: month, week: week)
        }
        guard let day = digits(text[6..<8]), day >= 1, day <= daysIn(month, year) else { return nil }
        return FIXMonthYear(year: year, month: month, day: day)
    }

    static func text(_ decimal: FIXDecimal) -> String {
        let magnitude = String(decimal.mantissa.magnitude)
        let scale = Int(decimal.scale)
        let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
        let body = scale == 0 ? padded : padded.dropLast(scale) + "." + padded.suffix(scale)
        return (decimal.mantissa < 0 ? "-" : "") + body
    }

    static func text(_ timestamp: FIXTimestamp) -> String {
        let date = timestamp.date, time = timestamp.timeOfDay
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = pad(date.year % 10_000, 4) + pad(date.month, 2) + pad(date.day, 2) + "-"
            + pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
        let digits = timestamp.precision.rawValue
        if digits > 0 {
            var divisor = 1
            for _ in digits..<9 { divisor *= 10 }
            text += "." + pad(time.nanosecond / divisor, digits)
        }
        return text
    }
}
