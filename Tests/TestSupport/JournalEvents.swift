import Foundation

/// The events of `kind` among `events` (each a journaled event's kind and JSON, as the gateway's
/// audit or the exchange's records hold them), decoded as `T`, in order.
public func decodeEvents<T: Decodable>(_ type: T.Type, kind: String, in events: [(kind: String, json: String)]) throws -> [T] {
    let decoder = JSONDecoder()
    return try events.filter { $0.kind == kind }.map { try decoder.decode(type, from: Data($0.json.utf8)) }
}
