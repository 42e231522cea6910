/// Encoded as its decimal text ("75.25", "-37.63"): exact, and readable in a JSON audit
/// record, where a binary floating-point number would be neither.
extension FIXDecimal: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = FIXDecimal(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a decimal")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
