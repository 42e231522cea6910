import FIXCodec

/// Builds FIX bytes from readable text for tests: `|` stands for SOH, and BeginString,
/// BodyLength and CheckSum are filled in so each test states only what it is about.
public enum FIXText {
    /// A complete message: `8=<begin>|9=<computed>|` + `body` + `10=<computed>|`.
    /// `body` starts with `35=` and ends with `|`.
    public static func message(_ body: String, beginString: String = "FIX.4.4") -> [UInt8] {
        let bodyBytes = Array(body.replacingSOH().utf8)
        var bytes = Array("8=\(beginString)\u{01}9=\(bodyBytes.count)\u{01}".utf8) + bodyBytes
        let sum = bytes.reduce(0) { ($0 + Int($1)) % 256 }
        bytes += Array("10=\(String(format3: sum))\u{01}".utf8)
        return bytes
    }

    /// Raw bytes exactly as written, `|` turned into SOH and nothing computed.
    public static func raw(_ text: String) -> [UInt8] {
        Array(text.replacingSOH().utf8)
    }

    /// Bytes shown with SOH as `|`.
    public static func show(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: bytes.map { $0 == 0x01 ? UInt8(ascii: "|") : $0 }, as: UTF8.self)
    }
}

extension String {
    func replacingSOH() -> String {
        String(map { $0 == "|" ? "\u{01}" : $0 })
    }

    init(format3 value: Int) {
        let digits = String(value)
        self = String(repeating: "0", count: Swift.max(0, 3 - digits.count)) + digits
    }
}
