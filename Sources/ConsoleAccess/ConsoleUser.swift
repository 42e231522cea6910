/// A person who may sign in to the console: one line of the users file.
public struct ConsoleUser: Sendable, Hashable {
    public var name: String
    public var role: ConsoleRole
    /// A trader's accounts (every other role sees every account, whatever is listed).
    public var accounts: Set<String>
    public var password: PasswordHash

    public init(name: String, role: ConsoleRole, accounts: Set<String> = [], password: PasswordHash) {
        self.name = name
        self.role = role
        self.accounts = accounts
        self.password = password
    }

    /// Whether the user may see `account`'s orders and positions: a trader only its own
    /// accounts, every other role all of them.
    public func sees(account: String) -> Bool {
        role == .trader ? accounts.contains(account) : true
    }

    /// Whether the user may enter orders for `account`: a trader, for its own accounts only.
    public func mayTrade(account: String) -> Bool {
        role == .trader && accounts.contains(account)
    }

    /// Whether `text` is a user or account name: letters, digits, `.`, `_` and `-` (so never
    /// a `:` or `,`, which the users file separates with).
    public static func isValidName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
        }
    }
}

extension PasswordHash {
    /// A hash as the users file holds it: bcrypt's `$2a$`, `$2b$` or `$2y$`, a two-digit cost
    /// and 53 characters of salt and hash; nil for anything else.
    public init?(bcrypt text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
              [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]), bytes[3] == UInt8(ascii: "$"),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[4]), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[5]),
              bytes[6] == UInt8(ascii: "$"),
              bytes[7...].allSatisfy({ Self.bcryptAlphabet.contains($0) })
        else { return nil }
        let cost = Int(bytes[4] - UInt8(ascii: "0")) * 10 + Int(bytes[5] - UInt8(ascii: "0"))
        guard (4...31).contains(cost) else { return nil }
        self = PasswordHash(verbatim: text)
    }

    private static let bcryptAlphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
}
