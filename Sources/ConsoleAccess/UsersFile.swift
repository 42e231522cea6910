#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What is wrong with a users file, naming the file, the line when there is one, and the problem.
public struct UsersFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Problem: Error, Sendable, Equatable {
        /// No file at the path.
        case missing
        /// The file exists but cannot be read, or is not UTF-8.
        case unreadable(String)
        /// A line without the four fields `name:role:accounts:hash`.
        case fieldCount(Int)
        /// A user or account name with characters other than letters, digits, `._-`.
        case badName(String)
        case badAccount(String)
        case unknownRole(String)
        /// The hash field is not a bcrypt hash.
        case notBcrypt
        /// A name already in the file (`line` names the first time it appears, when read).
        case duplicate(name: String, firstLine: Int?)
        case traderWithoutAccounts(String)
        case noSuchUser(String)
        /// Writing the file failed: the step and the system's reason.
        case cannotWrite(String)
    }

    public var path: String
    public var line: Int?
    public var problem: Problem

    public init(path: String, line: Int? = nil, problem: Problem) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        return "\(place): \(problemText)"
    }

    private var problemText: String {
        switch problem {
        case .missing: "no such users file (create it with `wellhead user add`)"
        case .unreadable(let reason): "cannot read the users file: \(reason)"
        case .fieldCount(let count): "expected name:role:accounts:bcrypt-hash (4 fields separated by ':'), found \(count)"
        case .badName(let name): "user name '\(name)' may hold only letters, digits, '.', '_' and '-'"
        case .badAccount(let account): "account '\(account)' may hold only letters, digits, '.', '_' and '-'"
        case .unknownRole(let role):
            "unknown role '\(role)': the roles are \(ConsoleRole.allCases.map(\.rawValue).joined(separator: ", "))"
        case .notBcrypt: "the password field is not a bcrypt hash ($2b$<cost>$…, 60 characters): set it with `wellhead user passwd`"
        case .duplicate(let name, let first):
            "user '\(name)' is already in the file" + (first.map { " (line \($0))" } ?? "")
        case .traderWithoutAccounts(let name): "trader '\(name)' has no accounts: a trader sees only its accounts, so list at least one"
        case .noSuchUser(let name): "no user '\(name)'"
        case .cannotWrite(let reason): "cannot write the users file: \(reason)"
        }
    }
}

/// The console's users: the file the profile's `Users=` key names, one user a line in the
/// manner of htpasswd,
///
///     # name:role:accounts:bcrypt-hash
///     alice:risk_manager::$2b$12$…
///     tom:trader:DESK1,DESK2:$2b$12$…
///
/// with `#` comments and blank lines. Passwords are kept only as bcrypt hashes. ``save()``
/// rewrites the whole file (its comments become the one header comment) atomically, readable
/// by its owner only.
public struct UsersFile: Sendable {
    public let path: String
    private var byName: [String: ConsoleUser]

    private init(path: String, byName: [String: ConsoleUser]) {
        self.path = path
        self.byName = byName
    }

    /// A file with no users yet, written at `path` by the first ``save()``.
    public static func empty(path: String) -> UsersFile { UsersFile(path: path, byName: [:]) }

    /// Reads `path`; a missing file, or any line that is not a valid user, is an error.
    public static func load(path: String) throws(UsersFileError) -> UsersFile {
        let text = try readText(path)
        var users: [String: (user: ConsoleUser, line: Int)] = [:]
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            let line = raw.trimmingSpaces()
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let user: ConsoleUser
            do throws(UsersFileError.Problem) {
                user = try parse(line)
            } catch {
                throw UsersFileError(path: path, line: lineNumber, problem: error)
            }
            if let first = users[user.name] {
                throw UsersFileError(path: path, line: lineNumber, problem: .duplicate(name: user.name, firstLine: first.line))
            }
            users[user.name] = (user, lineNumber)
        }
        return UsersFile(path: path, byName: users.mapValues(\.user))
    }

    public func user(named name: String) -> ConsoleUser? { byName[name] }

    /// Every user, sorted by name.
    public var users: [ConsoleUser] { byName.values.sorted { $0.name < $1.name } }

    /// Adds `user`; a name already there, a bad name or account, or a trader without
    /// accounts is refused.
    public mutating func add(_ user: ConsoleUser) throws(UsersFileError) {
        do throws(UsersFileError.Problem) {
            try Self.validate(user)
        } catch {
            throw UsersFileError(path: path, problem: error)
        }
        guard byName[user.name] == nil else { throw UsersFileError(path: path, problem: .duplicate(name: user.name, firstLine: nil)) }
        byName[user.name] = user
    }

    public mutating func setPassword(of name: String, to password: PasswordHash) throws(UsersFileError) {
        guard byName[name] != nil else { throw UsersFileError(path: path, problem: .noSuchUser(name)) }
        byName[name]?.password = password
    }

    public mutating func remove(named name: String) throws(UsersFileError) {
        guard byName.removeValue(forKey: name) != nil else { throw UsersFileError(path: path, problem: .noSuchUser(name)) }
    }

    /// The file's text as ``save()`` writes it.
    public var text: String {
        var text = "# Wellhead console users (wellhead user add|passwd|remove): name:role:accounts:bcrypt-hash\n"
        for user in users {
            text += "\(user.name):\(user.role.rawValue):\(user.accounts.sorted().joined(separator: ",")):\(user.password.text)\n"
        }
        return text
    }

    /// Writes the file atomically: a temporary file in the same folder, mode 0600, synced to
    /// disk, then renamed over `path` (and the folder synced), so a reader sees the old file or
    /// the new one, never part of one.
    public func save() throws(UsersFileError) {
        let folder = Self.folder(of: path)
        var template = Array((folder + "/.users.XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw failure("cannot create a temporary file in \(folder)") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            if !renamed { unlink(temporary) }
        }
        try writeText(to: descriptor, named: temporary)
        guard rename(temporary, path) == 0 else { throw failure("cannot rename \(temporary) to \(path)") }
        renamed = true
        let folderDescriptor = open(folder, O_RDONLY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Writes ``text`` to the open temporary file, mode 0600, synced; closes it.
    private func writeText(to descriptor: Int32, named temporary: String) throws(UsersFileError) {
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else { throw failure("cannot set mode 0600 on \(temporary)") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("cannot write \(temporary)") }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw failure("cannot sync \(temporary)") }
    }

    // MARK: reading

    private static func readText(_ path: String) throws(UsersFileError) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            let code = errno
            throw UsersFileError(path: path, problem: code == ENOENT ? .missing : .unreadable(String(cString: strerror(code))))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw UsersFileError(path: path, problem: .unreadable(String(cString: strerror(errno)))) }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw UsersFileError(path: path, problem: .unreadable("not UTF-8 text"))
        }
        return text
    }

    private static func parse(_ line: Substring) throws(UsersFileError.Problem) -> ConsoleUser {
        let fields = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { throw .fieldCount(fields.count) }
        guard let role = ConsoleRole(rawValue: fields[1]) else { throw .unknownRole(fields[1]) }
        guard let password = PasswordHash(bcrypt: fields[3]) else { throw .notBcrypt }
        let accounts = Set(fields[2].split(separator: ",").map { String($0.trimmingSpaces()) })
        let user = ConsoleUser(name: fields[0], role: role, accounts: accounts, password: password)
        try validate(user)
        return user
    }

    private static func validate(_ user: ConsoleUser) throws(UsersFileError.Problem) {
        guard ConsoleUser.isValidName(user.name) else { throw .badName(user.name) }
        if let bad = user.accounts.sorted().first(where: { !ConsoleUser.isValidName($0) }) { throw .badAccount(bad) }
        guard user.role != .trader || !user.accounts.isEmpty else { throw .traderWithoutAccounts(user.name) }
    }

    private func failure(_ step: String) -> UsersFileError {
        UsersFileError(path: path, problem: .cannotWrite("\(step): \(String(cString: strerror(errno)))"))
    }

    private static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" || first == "\r" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
        return text
    }
}
