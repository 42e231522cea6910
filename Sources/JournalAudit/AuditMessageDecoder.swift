import FIXCodec
import FIXDictionary

/// A journaled message as text a person reads: `Name(tag)=value`, with an enumerated
/// value's description (`Side(54)=1 (BUY)`), fields in wire order.
struct AuditMessageDecoder: Sendable {
    let dictionary: FIXDataDictionary?
    static let separator = " | "

    func text(_ message: FIXMessage) -> String {
        var fields: [String] = []
        fields.reserveCapacity(message.count)
        for position in 0..<message.count {
            fields.append(field(tag: message.tag(at: position), value: message.value(at: position).string))
        }
        return fields.joined(separator: Self.separator)
    }

    func field(tag: Int, value: String) -> String {
        guard let definition = dictionary?.field(tag: tag) else { return "\(tag)=\(value)" }
        let described = definition.enumeration?.description(of: value).map { " (\($0))" } ?? ""
        return "\(definition.name)(\(tag))=\(value)\(described)"
    }

    /// Bytes that did not frame or parse, with SOH shown as `|`.
    static func raw(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.map { $0 == fixSOH ? UInt8(ascii: "|") : $0 }, as: UTF8.self)
    }
}
