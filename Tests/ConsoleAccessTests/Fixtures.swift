@testable import ConsoleAccess

/// Times and users the ConsoleAccess tests share.
enum Fixtures {
    static let minute: Int64 = 60 * 1_000_000_000
    /// 2027-01-15, in nanoseconds since the epoch.
    static let start: Int64 = 1_800_000_000 * 1_000_000_000
    /// A well-formed bcrypt hash that no password matches (the tests here never hash).
    static let hash = PasswordHash(verbatim: "$2b$04$" + String(repeating: "a", count: 53))

    static func user(_ name: String, _ role: ConsoleRole, accounts: Set<String> = []) -> ConsoleUser {
        ConsoleUser(name: name, role: role, accounts: accounts, password: hash)
    }
}
