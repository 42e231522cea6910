// Interim shapes of the access types the console is written against, removed when the
// access branch (which builds them properly) is merged.

public struct ConsoleUser: Sendable, Hashable {
    public var name: String
    public var role: ConsoleRole
    public var accounts: Set<String>
    public var password: PasswordHash
    public init(name: String, role: ConsoleRole, accounts: Set<String>, password: PasswordHash) {
        self.name = name
        self.role = role
        self.accounts = accounts
        self.password = password
    }
    public func sees(account: String) -> Bool { role != .trader || accounts.contains(account) }
    public func mayTrade(account: String) -> Bool { role == .trader && accounts.contains(account) }
}

public enum ConsolePermission: String, CaseIterable, Sendable {
    case viewSessions, controlSessions, viewOrders, cancelOrders, enterOrders, viewPositions, viewRisk, changeRisk, approveRisk,
         viewMarket, viewSignals, searchAudit, exportAudit, manageUsers, controlVenues
}

extension ConsoleRole {
    public var permissions: Set<ConsolePermission> {
        switch self {
        case .trader: [.viewOrders, .cancelOrders, .enterOrders, .viewPositions, .viewMarket, .viewSignals]
        case .riskManager: [.viewSessions, .viewOrders, .cancelOrders, .viewPositions, .viewRisk, .changeRisk, .approveRisk, .viewMarket,
                            .viewSignals, .searchAudit]
        case .compliance: [.viewSessions, .viewOrders, .viewPositions, .viewRisk, .viewMarket, .viewSignals, .searchAudit, .exportAudit]
        case .admin: [.viewSessions, .controlSessions, .viewOrders, .viewPositions, .viewRisk, .viewMarket, .viewSignals, .manageUsers,
                      .controlVenues]
        }
    }
    public func may(_ permission: ConsolePermission) -> Bool { permissions.contains(permission) }
}

public struct UsersFileError: Error, CustomStringConvertible { public var description: String }

public struct UsersFile: Sendable {
    public let path: String
    private var byName: [String: ConsoleUser] = [:]
    public static func empty(path: String) -> UsersFile { UsersFile(path: path) }
    public static func load(path: String) throws(UsersFileError) -> UsersFile { UsersFile(path: path) }
    public func user(named name: String) -> ConsoleUser? { byName[name] }
    public var users: [ConsoleUser] { byName.values.sorted { $0.name < $1.name } }
    public mutating func add(_ user: ConsoleUser) throws(UsersFileError) { byName[user.name] = user }
    public func save() throws(UsersFileError) {}
}

public enum LoginAdmission: Sendable, Hashable { case allowed, locked(until: Int64) }
public struct LockoutEvent: Sendable, Hashable { public var user: String; public var failures: Int; public var until: Int64 }

public struct LoginGuard: Sendable {
    public init(maxFailures: Int = 5, lockout: Int64 = 15 * 60 * 1_000_000_000) {}
    public mutating func admit(user: String, now: Int64) -> LoginAdmission { .allowed }
    public mutating func failed(user: String, now: Int64) -> LockoutEvent? { nil }
    public mutating func succeeded(user: String) {}
}

public struct ConsoleSession: Sendable, Hashable {
    public var token: String
    public var csrfToken: String
    public var user: ConsoleUser
    public var opened: Int64
    public var lastSeen: Int64
}

public struct ConsoleSessions: Sendable {
    private var open: [String: ConsoleSession] = [:]
    public init(idleTimeout: Int64 = 30 * 60 * 1_000_000_000) {}
    public mutating func open(_ user: ConsoleUser, now: Int64) -> ConsoleSession {
        let session = ConsoleSession(token: "t\(open.count)", csrfToken: "c\(open.count)", user: user, opened: now, lastSeen: now)
        open[session.token] = session
        return session
    }
    public mutating func session(token: String, now: Int64) -> ConsoleSession? { open[token] }
    public mutating func close(token: String) { open[token] = nil }
    public mutating func closeAll(user name: String) {}
    public func checksCSRF(_ session: ConsoleSession, token: String) -> Bool { session.csrfToken == token }
    public var signedIn: [ConsoleSession] { Array(open.values) }
}

public struct DualControl: Sendable {
    public enum ApprovalAction: Codable, Sendable, Hashable {
        case releaseKillSwitch(scope: String, reason: String)
        case changeLimit(control: String, scope: String, value: String)
    }
    public struct ApprovalRequest: Sendable, Hashable {
        public var id: Int
        public var action: ApprovalAction
        public var requestedBy: String
        public var requestedAt: Int64
    }
    private var requests: [Int: ApprovalRequest] = [:]
    public init() {}
    public mutating func request(_ action: ApprovalAction, by user: ConsoleUser, now: Int64) throws(DualControlError) -> ApprovalRequest {
        let request = ApprovalRequest(id: requests.count + 1, action: action, requestedBy: user.name, requestedAt: now)
        requests[request.id] = request
        return request
    }
    public mutating func approve(id: Int, by user: ConsoleUser, now: Int64) throws(DualControlError) -> ApprovalRequest {
        guard let request = requests.removeValue(forKey: id) else { throw DualControlError(description: "unknown") }
        return request
    }
    public var pending: [ApprovalRequest] { requests.values.sorted { $0.id < $1.id } }
    public static func needsSecondPerson(_ action: ApprovalAction, raises: Bool) -> Bool {
        switch action {
        case .releaseKillSwitch(let scope, _): scope == "firm"
        case .changeLimit: raises
        }
    }
}

public struct DualControlError: Error, CustomStringConvertible { public var description: String }
