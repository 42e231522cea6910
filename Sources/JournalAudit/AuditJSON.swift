/// The JSON of a journal event, read by hand so that no number passes through binary floating
/// point: a number keeps its decimal text (the gateway writes prices and money as strings, and
/// quantities and times as integers, but nothing here rounds either way).
enum AuditJSON: Sendable, Hashable {
    case string(String)
    /// A number as written (`300`, `-37.63`, `1e3`).
    case number(String)
    case bool(Bool)
    case null
    case array([AuditJSON])
    case object([String: AuditJSON])

    /// Reads one event's JSON; a row that does not read is an error naming it.
    static func parse(_ row: (id: Int64, kind: String, json: String)) throws(AuditError) -> AuditJSON {
        var reader = Reader(bytes: Array(row.json.utf8))
        do throws(Reader.Failure) {
            let value = try reader.value()
            reader.skipSpace()
            guard reader.atEnd else { throw Reader.Failure(offset: reader.offset, what: "text after the JSON value") }
            return value
        } catch {
            throw .undecodableEvent(id: row.id, kind: row.kind, reason: "\(error.what) at byte \(error.offset)")
        }
    }

    subscript(key: String) -> AuditJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value as text: strings as they are, numbers in their decimal digits.
    var text: String? {
        switch self {
        case .string(let value), .number(let value): value
        case .bool(let value): value ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    /// The text at `path` of nested objects (`["order", "terms", "account"]`).
    func text(_ path: String...) -> String? {
        var value: AuditJSON? = self
        for key in path { value = value?[key] }
        return value?.text
    }

    /// A recursive-descent reader of RFC 8259 JSON over UTF-8 bytes.
    private struct Reader {
        struct Failure: Error {
            let offset: Int
            let what: String
        }

        let bytes: [UInt8]
        var offset = 0

        var atEnd: Bool { offset == bytes.count }

        mutating func skipSpace() {
            while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        mutating func value() throws(Failure) -> AuditJSON {
            skipSpace()
            guard offset < bytes.count else { throw Failure(offset: offset, what: "end of text where a value belongs") }
            switch bytes[offset] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "n"): return try literal("null", .null)
            default: return try number()
            }
        }

        private mutating func object() throws(Failure) -> AuditJSON {
            offset += 1
            var members: [String: AuditJSON] = [:]
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw Failure(offset: offset, what: "a key expected") }
                let key = try string()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                members[key] = try value()
                skipSpace()
                if try separator(closing: UInt8(ascii: "}")) { return .object(members) }
            }
        }

        private mutating func array() throws(Failure) -> AuditJSON {
            offset += 1
            var elements: [AuditJSON] = []
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return .array(elements)
            }
            while true {
                elements.append(try value())
                skipSpace()
                if try separator(closing: UInt8(ascii: "]")) { return .array(elements) }
            }
        }

        /// After a member or element: `true` at the closing bracket, `false` at a comma.
        private mutating func separator(closing: UInt8) throws(Failure) -> Bool {
            guard offset < bytes.count else { throw Failure(offset: offset, what: "unterminated object or array") }
            let byte = bytes[offset]
            offset += 1
            if byte == closing { return true }
            if byte == UInt8(ascii: ",") { return false }
            throw Failure(offset: offset - 1, what: "',' or '\(Character(Unicode.Scalar(closing)))' expected")
        }

        private mutating func expect(_ byte: UInt8) throws(Failure) {
            guard offset < bytes.count, bytes[offset] == byte else {
                throw Failure(offset: offset, what: "'\(Character(Unicode.Scalar(byte)))' expected")
            }
            offset += 1
        }

        private mutating func literal(_ word: String, _ value: AuditJSON) throws(Failure) -> AuditJSON {
            let utf8 = Array(word.utf8)
            guard bytes.count - offset >= utf8.count, Array(bytes[offset..<offset + utf8.count]) == utf8 else {
                throw Failure(offset: offset, what: "not a JSON value")
            }
            offset += utf8.count
            return value
        }

        private mutating func number() throws(Failure) -> AuditJSON {
            let start = offset
            while offset < bytes.count, "+-0123456789.eE".utf8.contains(bytes[offset]) { offset += 1 }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            guard !text.isEmpty, text.contains(where: \.isNumber) else { throw Failure(offset: start, what: "not a JSON value") }
            return .number(text)
        }

        private mutating func string() throws(Failure) -> String {
            offset += 1
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll()
            }
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    guard offset < bytes.count else { break }
                    let escape = bytes[offset]
                    offset += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(Unicode.Scalar(escape))
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), bytes.count - offset >= 6,
                           bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") {
                            offset += 2
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw Failure(offset: offset, what: "bad \\u escape") }
                        scalars.append(scalar)
                    default:
                        throw Failure(offset: offset - 1, what: "bad escape")
                    }
                default:
                    run.append(byte)
                }
            }
            throw Failure(offset: offset, what: "unterminated string")
        }

        private mutating func hex4() throws(Failure) -> UInt32 {
            guard bytes.count - offset >= 4,
                  let code = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16) else {
                throw Failure(offset: offset, what: "bad \\u escape")
            }
            offset += 4
            return code
        }
    }
}
