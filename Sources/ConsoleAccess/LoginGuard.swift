/// Whether a login may be tried now.
public enum LoginAdmission: Sendable, Hashable {
    case allowed
    /// Too many wrong passwords: no login, even with the right one, before `until`
    /// (nanoseconds since the epoch).
    case locked(until: Int64)
}

/// A lock-out that a failed login has just begun: journaled (kind `admin`) by whoever keeps
/// the guard.
public struct LockoutEvent: Sendable, Hashable, Codable {
    public var user: String
    public var failures: Int
    /// When logins are allowed again (nanoseconds since the epoch).
    public var until: Int64

    public init(user: String, failures: Int, until: Int64) {
        self.user = user
        self.failures = failures
        self.until = until
    }
}

/// Locks a user name out after `maxFailures` wrong passwords in a row, for `lockout`
/// nanoseconds. A name that is no user is counted the same (an attacker learns nothing about
/// which names exist). Failures are forgotten after a success, when a lock-out ends, or after
/// `lockout` passes with no further failure.
public struct LoginGuard: Sendable {
    public let maxFailures: Int
    public let lockout: Int64
    private var records: [String: Record] = [:]

    private struct Record: Sendable {
        var failures = 0
        var lastFailure: Int64 = 0
        var lockedUntil: Int64?
    }

    /// Past this many names remembered, the ones whose failures are forgotten are dropped.
    static let pruneAbove = 4096

    public init(maxFailures: Int = 5, lockout: Int64 = 15 * 60 * 1_000_000_000) {
        precondition(maxFailures > 0 && lockout > 0, "a lock-out needs at least one failure and a duration")
        self.maxFailures = maxFailures
        self.lockout = lockout
    }

    /// Whether `user` may try a password at `now`.
    public mutating func admit(user: String, now: Int64) -> LoginAdmission {
        guard let record = records[user] else { return .allowed }
        if let until = record.lockedUntil {
            if now < until { return .locked(until: until) }
            records[user] = nil
        }
        return .allowed
    }

    /// Counts a wrong password (or a name that is no user) at `now`; returns the lock-out to
    /// journal when this failure begins one.
    public mutating func failed(user: String, now: Int64) -> LockoutEvent? {
        if records.count > Self.pruneAbove { prune(now: now) }
        var record = records[user] ?? Record()
        if let until = record.lockedUntil {
            if now < until { return nil }
            record = Record()
        }
        if record.failures > 0 && now - record.lastFailure >= lockout { record.failures = 0 }
        record.failures += 1
        record.lastFailure = now
        var event: LockoutEvent?
        if record.failures >= maxFailures {
            let until = now + lockout
            record.lockedUntil = until
            event = LockoutEvent(user: user, failures: record.failures, until: until)
        }
        records[user] = record
        return event
    }

    /// A right password: the user's failures are forgotten.
    public mutating func succeeded(user: String) {
        records[user] = nil
    }

    /// How many failures in a row `user` has now (0 once forgotten).
    public func failures(of user: String) -> Int { records[user]?.failures ?? 0 }

    private mutating func prune(now: Int64) {
        records = records.filter { _, record in
            if let until = record.lockedUntil { return now < until }
            return now - record.lastFailure < lockout
        }
    }
}
