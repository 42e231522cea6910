/// One signed-in console user: the cookie's token, the CSRF token every change must carry,
/// and when it was opened and last used (nanoseconds since the epoch).
public struct ConsoleSession: Sendable, Hashable {
    public var token: String
    public var csrfToken: String
    public var user: ConsoleUser
    public var opened: Int64
    public var lastSeen: Int64

    public init(token: String, csrfToken: String, user: ConsoleUser, opened: Int64, lastSeen: Int64) {
        self.token = token
        self.csrfToken = csrfToken
        self.user = user
        self.opened = opened
        self.lastSeen = lastSeen
    }
}

/// The console's login sessions by cookie token. A session not used for `idleTimeout`
/// nanoseconds is gone. Tokens are 256 random bits from the system's generator, base64url.
public struct ConsoleSessions: Sendable {
    public let idleTimeout: Int64
    private var byToken: [String: ConsoleSession] = [:]

    public init(idleTimeout: Int64 = 30 * 60 * 1_000_000_000) {
        self.idleTimeout = idleTimeout
    }

    /// Signs `user` in at `now`.
    public mutating func open(_ user: ConsoleUser, now: Int64) -> ConsoleSession {
        expire(now: now)
        var token = Self.randomToken()
        while byToken[token] != nil { token = Self.randomToken() }
        let session = ConsoleSession(token: token, csrfToken: Self.randomToken(), user: user, opened: now, lastSeen: now)
        byToken[token] = session
        return session
    }

    /// The session of `token`, its `lastSeen` moved to `now`; nil for an unknown token or a
    /// session idle for `idleTimeout` or more (which is then removed).
    public mutating func session(token: String, now: Int64) -> ConsoleSession? {
        guard var session = byToken[token] else { return nil }
        guard now - session.lastSeen < idleTimeout else {
            byToken[token] = nil
            return nil
        }
        session.lastSeen = max(session.lastSeen, now)
        byToken[token] = session
        return session
    }

    /// Signs the session out.
    public mutating func close(token: String) {
        byToken[token] = nil
    }

    /// Signs every session of the user named out (a removed user, a changed password).
    public mutating func closeAll(user name: String) {
        byToken = byToken.filter { $0.value.user.name != name }
    }

    /// Removes every session idle for `idleTimeout` or more at `now`.
    public mutating func expire(now: Int64) {
        byToken = byToken.filter { now - $0.value.lastSeen < idleTimeout }
    }

    /// Whether `token` is the session's CSRF token, compared in constant time.
    public func checksCSRF(_ session: ConsoleSession, token: String) -> Bool {
        Self.constantTimeEqual(Array(session.csrfToken.utf8), Array(token.utf8))
    }

    /// Every open session, oldest first (idle ones included until a call with `now` removes them).
    public var signedIn: [ConsoleSession] { byToken.values.sorted { ($0.opened, $0.token) < ($1.opened, $1.token) } }

    /// How many distinct users are signed in.
    public var signedInUsers: Int { Set(byToken.values.map(\.user.name)).count }

    /// 32 bytes from the system's generator, base64url without padding (43 characters).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return base64URL(bytes)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << UInt32(16 - 8 * offset) }
            for position in 0..<(chunk.count + 1) { out.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 63)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Equal bytes, in time that depends only on the lengths.
    static func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
