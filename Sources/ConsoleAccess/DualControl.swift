/// What needs four eyes: MiFID II RTS 6 art. 15(6) and FIA practice. Both the request and the
/// approval are journaled by whoever keeps the ``DualControl``.
public enum ApprovalAction: Codable, Sendable, Hashable {
    /// Releasing a kill switch (`firm`, `account:<name>` or `session:<name>`).
    case releaseKillSwitch(scope: String, reason: String)
    /// Setting a limit: the control (e.g. `maxPositionPerMonth`), where it applies, its new value.
    case changeLimit(control: String, scope: String, value: String)
}

/// An action waiting for a second person.
public struct ApprovalRequest: Codable, Sendable, Hashable {
    public var id: Int
    public var action: ApprovalAction
    public var requestedBy: String
    /// Nanoseconds since the epoch.
    public var requestedAt: Int64

    public init(id: Int, action: ApprovalAction, requestedBy: String, requestedAt: Int64) {
        self.id = id
        self.action = action
        self.requestedBy = requestedBy
        self.requestedAt = requestedAt
    }
}

/// Why a request or an approval was refused, said to the person at the console.
public enum DualControlError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The user's role may not ask for or approve risk changes.
    case notAllowed(user: String, role: ConsoleRole)
    case unknown(id: Int)
    case expired(id: Int, requestedBy: String)
    /// The requester tried to approve their own request.
    case samePerson(requestedBy: String)
    /// Only the requester or another risk manager may withdraw a request.
    case notRequester(id: Int, user: String, requestedBy: String)

    public var description: String {
        switch self {
        case .notAllowed(let user, let role):
            "\(user) is \(role.rawValue): only a risk manager may ask for or approve a risk change"
        case .unknown(let id): "no pending approval \(id) (already approved, withdrawn or expired)"
        case .expired(let id, let requestedBy): "approval \(id) asked for by \(requestedBy) has expired: ask again"
        case .samePerson(let requestedBy): "a second risk manager must approve: \(requestedBy) asked for it"
        case .notRequester(let id, let user, let requestedBy):
            "\(user) may not withdraw approval \(id): \(requestedBy) asked for it"
        }
    }
}

/// Four eyes on the riskiest changes: a risk manager asks, a different risk manager approves
/// within `expiry` nanoseconds, and only then does the change take effect.
public struct DualControl: Sendable {
    public typealias ApprovalAction = ConsoleAccess.ApprovalAction
    public typealias ApprovalRequest = ConsoleAccess.ApprovalRequest

    public let expiry: Int64
    private var requests: [Int: ApprovalRequest] = [:]
    private var nextID = 1

    public init(expiry: Int64 = 60 * 60 * 1_000_000_000) {
        self.expiry = expiry
    }

    /// Whether `action` waits for a second person: releasing the firm-wide kill switch, and any
    /// limit change that raises a limit (`raises`). Everything else takes effect at once.
    public static func needsSecondPerson(_ action: ApprovalAction, raises: Bool) -> Bool {
        switch action {
        case .releaseKillSwitch(let scope, _): scope == "firm"
        case .changeLimit: raises
        }
    }

    /// Records `user`'s request for `action` at `now`; only a role that may approve risk
    /// changes may ask for one.
    public mutating func request(_ action: ApprovalAction, by user: ConsoleUser, now: Int64) throws(DualControlError) -> ApprovalRequest {
        guard user.role.may(.approveRisk) else { throw .notAllowed(user: user.name, role: user.role) }
        let request = ApprovalRequest(id: nextID, action: action, requestedBy: user.name, requestedAt: now)
        nextID += 1
        requests[request.id] = request
        return request
    }

    /// Approves request `id` by `user` at `now`: the request is no longer pending and its action
    /// is the caller's to carry out. Refused for an unknown or expired request, for the person
    /// who asked, and for a role that may not approve.
    public mutating func approve(id: Int, by user: ConsoleUser, now: Int64) throws(DualControlError) -> ApprovalRequest {
        guard let request = requests[id] else { throw .unknown(id: id) }
        guard now - request.requestedAt < expiry else {
            requests[id] = nil
            throw .expired(id: id, requestedBy: request.requestedBy)
        }
        guard user.role.may(.approveRisk) else { throw .notAllowed(user: user.name, role: user.role) }
        guard user.name != request.requestedBy else { throw .samePerson(requestedBy: request.requestedBy) }
        requests[id] = nil
        return request
    }

    /// Withdraws request `id`: the requester may, and so may another risk manager. The request
    /// withdrawn, or nil when nothing was (no such request pending, or ``mayWithdraw(id:by:)``
    /// refuses, which says why).
    @discardableResult
    public mutating func withdraw(id: Int, by user: ConsoleUser) -> ApprovalRequest? {
        do {
            try mayWithdraw(id: id, by: user)
        } catch {
            return nil
        }
        return requests.removeValue(forKey: id)
    }

    /// Whether `user` may withdraw request `id`; the reason when not.
    public func mayWithdraw(id: Int, by user: ConsoleUser) throws(DualControlError) {
        guard let request = requests[id] else { throw .unknown(id: id) }
        guard user.name == request.requestedBy || user.role.may(.approveRisk) else {
            throw .notRequester(id: id, user: user.name, requestedBy: request.requestedBy)
        }
    }

    /// Removes the requests expired at `now` and returns them (to journal and tell the console).
    public mutating func expire(now: Int64) -> [ApprovalRequest] {
        let expired = requests.values.filter { now - $0.requestedAt >= expiry }.sorted { $0.id < $1.id }
        for request in expired { requests[request.id] = nil }
        return expired
    }

    /// Requests waiting for approval, oldest first.
    public var pending: [ApprovalRequest] { requests.values.sorted { $0.id < $1.id } }
}
