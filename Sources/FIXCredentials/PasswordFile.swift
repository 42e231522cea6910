import Crypto
import _CryptoExtras
import FIXCodec
import FIXSession
import Foundation
import Synchronization

/// One user's password as a file keeps it: PBKDF2-HMAC-SHA256 of the password with a
/// random salt, never the password itself.
public struct PasswordHash: Sendable, Hashable {
    public var rounds: Int
    public var salt: [UInt8]
    public var hash: [UInt8]

    /// The fewest rounds accepted (OWASP's figure for PBKDF2-HMAC-SHA256).
    public static let minimumRounds = 210_000

    /// Hashes `password` with a fresh random salt.
    public static func make(password: String, rounds: Int = 600_000) throws(CredentialsError) -> PasswordHash {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = UInt8.random(in: 0...255, using: &generator) }
        return PasswordHash(rounds: rounds, salt: salt, hash: try derive(password, salt: salt, rounds: rounds))
    }

    static func derive(_ password: String, salt: [UInt8], rounds: Int) throws(CredentialsError) -> [UInt8] {
        do {
            let key = try KDF.Insecure.PBKDF2.deriveKey(from: Array(password.utf8), salt: salt, using: .sha256,
                                                        outputByteCount: 32, rounds: rounds)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            throw CredentialsError(file: "", line: 0, "PBKDF2 failed: \(error)")
        }
    }

    /// Whether `password` is the one hashed, compared in constant time.
    public func matches(_ password: String) -> Bool {
        guard let derived = try? Self.derive(password, salt: salt, rounds: rounds), derived.count == hash.count else { return false }
        var difference: UInt8 = 0
        for index in hash.indices { difference |= derived[index] ^ hash[index] }
        return difference == 0
    }

    /// `pbkdf2-sha256:<rounds>:<salt base64>:<hash base64>`, the form a password file holds.
    public var encoded: String {
        "pbkdf2-sha256:\(rounds):\(Data(salt).base64EncodedString()):\(Data(hash).base64EncodedString())"
    }
}

/// A mistake in a password file, or a password that cannot be read: names the file and line.
public struct CredentialsError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// The users an acceptor lets log on, read from a file kept outside the settings file:
/// `username:pbkdf2-sha256:rounds:salt:hash` a line, `#` comments (`wellhead credentials
/// hash` writes the lines).
public struct PasswordFile: Sendable {
    public let path: String
    public private(set) var users: [String: PasswordHash] = [:]

    public init(path: String) throws(CredentialsError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CredentialsError(file: path, line: 0, "cannot be read: \(error.localizedDescription)")
        }
        try self.init(path: path, text: text)
    }

    public init(path: String, text: String) throws(CredentialsError) {
        self.path = path
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 5, !parts[0].isEmpty else {
                throw CredentialsError(file: path, line: index + 1, "expected username:pbkdf2-sha256:rounds:salt:hash")
            }
            guard parts[1] == "pbkdf2-sha256" else {
                throw CredentialsError(file: path, line: index + 1, "unknown scheme \(parts[1]) (pbkdf2-sha256 only)")
            }
            guard let rounds = Int(parts[2]), rounds >= PasswordHash.minimumRounds else {
                throw CredentialsError(file: path, line: index + 1, "rounds must be a number of at least \(PasswordHash.minimumRounds)")
            }
            guard let salt = Data(base64Encoded: parts[3]), salt.count >= 8,
                  let hash = Data(base64Encoded: parts[4]), hash.count == 32 else {
                throw CredentialsError(file: path, line: index + 1, "salt or hash is not base64 of the right length")
            }
            guard users[parts[0]] == nil else {
                throw CredentialsError(file: path, line: index + 1, "user \(parts[0]) is listed twice")
            }
            users[parts[0]] = PasswordHash(rounds: rounds, salt: Array(salt), hash: Array(hash))
        }
    }
}

/// How many refused Logons in a row lock a session out, and for how long.
public struct LockoutPolicy: Sendable, Hashable {
    public var attempts: Int
    public var seconds: Int

    public init(attempts: Int = 5, seconds: Int = 300) {
        self.attempts = attempts
        self.seconds = seconds
    }
}

/// Checks an acceptor session's Logons against one user of a password file, and locks the
/// session out for a while after too many refusals in a row (even the right password is then
/// refused, so guessing gains nothing). One per session, shared by its connections.
public final class PasswordFileAuthenticator: LogonAuthenticator {
    public let username: String
    private let hash: PasswordHash?
    public let policy: LockoutPolicy
    private struct Attempts {
        var failures = 0
        var lockedUntil: Int64 = 0
    }
    private let attempts = Mutex(Attempts())

    /// - Parameter username: the user this session must log on as.
    public init(file: PasswordFile, username: String, policy: LockoutPolicy = LockoutPolicy()) {
        self.username = username
        self.hash = file.users[username]
        self.policy = policy
    }

    public func verify(username: String?, password: String?, now: FIXTimestamp) -> LogonVerdict {
        let nanos = now.nanosecondsSinceEpoch
        if let remaining = attempts.withLock({ $0.lockedUntil > nanos ? ($0.lockedUntil - nanos) : nil }) {
            return .refused("Logon refused: locked out after \(policy.attempts) failed logons, \((remaining + 999_999_999) / 1_000_000_000)s to go")
        }
        let problem: String?
        if username == nil || password == nil {
            problem = "Logon refused: Username (553) and Password (554) are required"
        } else if username != self.username || !(hash?.matches(password ?? "") ?? false) {
            problem = "Logon refused: invalid Username or Password"
        } else {
            problem = nil
        }
        guard let problem else {
            attempts.withLock { $0.failures = 0 }
            return .accepted
        }
        let locked = attempts.withLock { state -> Bool in
            state.failures += 1
            guard state.failures >= policy.attempts else { return false }
            state.failures = 0
            state.lockedUntil = nanos + Int64(policy.seconds) * 1_000_000_000
            return true
        }
        return .refused(locked ? problem + "; locked out for \(policy.seconds)s after \(policy.attempts) failed logons" : problem)
    }
}

/// Reads the password an initiator sends: from a file (its first line) or an environment
/// variable, so it is never written in clear in a settings file.
public enum InitiatorPassword {
    public static func fromFile(_ path: String) throws(CredentialsError) -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CredentialsError(file: path, line: 0, "cannot be read: \(error.localizedDescription)")
        }
        guard let first = text.split(separator: "\n").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }),
              !first.isEmpty else {
            throw CredentialsError(file: path, line: 1, "holds no password")
        }
        return first
    }

    public static func fromEnvironment(_ name: String, _ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(CredentialsError) -> String {
        guard let value = environment[name], !value.isEmpty else {
            throw CredentialsError(file: "environment", line: 0, "\(name) is not set")
        }
        return value
    }
}
