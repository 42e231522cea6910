import HummingbirdBcrypt

/// What a console user is: the role decides what they may see and do.
public enum ConsoleRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// Sees and cancels only its accounts' orders, sees its positions and the market, and
    /// enters orders for its accounts.
    case trader
    /// All accounts: limits, kill switches, trading states.
    case riskManager = "risk_manager"
    /// Reads everything, searches and exports the audit trail, changes nothing.
    case compliance
    /// Users, sessions, venues.
    case admin
}

/// A password's bcrypt hash, as the users file keeps it.
public struct PasswordHash: Sendable, Hashable {
    public let text: String

    public init(hashing password: String, cost: UInt8 = 10) {
        text = Bcrypt.hash(password, cost: cost)
    }

    /// A hash already computed (``init(bcrypt:)`` checks it is one).
    init(verbatim text: String) { self.text = text }

    public func matches(_ password: String) -> Bool { Bcrypt.verify(password, hash: text) }
}
