import Foundation

/// The JSON of a journal event, read without binary floating point: integers as `Int64`,
/// any other number as base-10 `Decimal` (the gateway writes prices and money as strings).
enum AuditJSON: Sendable, Hashable, Decodable {
    case string(String)
    case integer(Int64)
    case decimal(Decimal)
    case bool(Bool)
    case null
    case array([AuditJSON])
    case object([String: AuditJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Decimal.self) {
            self = .decimal(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AuditJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AuditJSON].self))
        }
    }

    /// Reads one event's JSON; a row that does not read is an error naming it.
    static func parse(_ row: (id: Int64, kind: String, json: String)) throws(AuditError) -> AuditJSON {
        do {
            return try JSONDecoder().decode(AuditJSON.self, from: Data(row.json.utf8))
        } catch {
            throw .undecodableEvent(id: row.id, kind: row.kind, reason: "\(error)")
        }
    }

    subscript(key: String) -> AuditJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The value as text: strings as they are, numbers in their decimal digits.
    var text: String? {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .decimal(let value): value.description
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
}
