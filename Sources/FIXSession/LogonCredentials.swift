import FIXCodec

/// Checks who is logging on: the Username (553) and Password (554) of a Logon an acceptor
/// receives. The session asks before it answers; a refusal is a Logout with the reason and
/// the connection closed. Implementations keep their own state (failed attempts, lockouts)
/// and are shared by every connection of the session.
public protocol LogonAuthenticator: Sendable {
    /// The verdict on one Logon; `now` is the session's clock, for lockouts.
    func verify(username: String?, password: String?, now: FIXTimestamp) -> LogonVerdict
}

/// What a ``LogonAuthenticator`` decided.
public enum LogonVerdict: Sendable, Hashable {
    case accepted
    /// Refused, with the text the Logout carries (never the password).
    case refused(String)
}

/// The Username and Password an initiator sends in its Logon, read from a file or the
/// environment by the settings reader, never from the settings file itself.
public struct LogonCredentials: Sendable, Hashable, CustomStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Never shows the password, so logging a configuration cannot leak it.
    public var description: String { "\(username):********" }
}
