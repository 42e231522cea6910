import ConsoleAccess
import Synchronization

/// What the console shows and does comes from here: the gateway provides it (the console
/// knows nothing of FIX, sessions or risk beyond these values).
public protocol ConsoleBackend: Sendable {
    /// The state as it stands, taken where its owner keeps it (the gateway's loop).
    func state() async throws -> ConsoleState
    /// Carries out `action` for `user`, who the console has checked may: the backend journals
    /// it with the user's name before answering.
    func perform(_ action: ConsoleAction, by user: ConsoleUser) async -> ConsoleOutcome
    /// Journals a console event that is not an action on the gateway (a login lock-out, a
    /// request for a second risk manager's approval), kind `console.<kind>`.
    func record(_ kind: String, json: String) async throws
    /// Checks a limit edit against the limits in force, changing nothing: whether it raises
    /// the limit (and so waits for a second risk manager), or what is wrong with it.
    func checkLimitEdit(control: String, scope: String, value: String) async -> LimitEditCheck
    /// Makes a limit edit `requestedBy` asked for and `approver`, a second risk manager,
    /// approved (four eyes): journaled with both before it takes effect.
    func performApprovedLimitEdit(control: String, scope: String, value: String, requestedBy: String,
                                  approvedBy approver: ConsoleUser) async -> ConsoleOutcome
    /// What the risk sidecar would decide about `ticket`, entered by `user` (whom the console
    /// has checked may trade its account), and each limit's use after it: nothing is sent,
    /// nothing changes.
    func preview(_ ticket: ConsoleTicket, by user: ConsoleUser) async -> ConsolePreview
    /// Signalled whenever something the console shows may have changed.
    var changes: ChangeSignal { get }
}

/// A change to the gateway a console user asks for.
public enum ConsoleAction: Sendable, Hashable, Codable {
    case cancelOrder(orderID: String)
    /// Every working order of an account (the user's scope decides which may be named).
    case cancelAll(account: String)
    case engageKillSwitch(scope: String, reason: String)
    case releaseKillSwitch(scope: String, reason: String)
    case logout(session: String)
    case disconnect(session: String)
    case resetSequenceNumbers(session: String)
    /// ACTIVE, REDUCING or HALTED for `firm` or `account:<name>`.
    case setTradingState(scope: String, state: String, reason: String)
    /// Sets one limit (`maxPositionPerMonth`) at a scope (`account:DESK1`) to a value (`40`;
    /// empty removes it). A raise waits for a second risk manager's approval.
    case setLimit(control: String, scope: String, value: String)
    /// A new order a trader enters for one of its accounts, through the console's own session.
    case newOrder(ticket: ConsoleTicket)
    /// A console order's quantity and/or price changed (a cancel/replace of the console's session).
    case replaceOrder(orderID: String, quantity: String?, price: String?)
    /// A second risk manager approves a change another asked for (four eyes): the console's
    /// own, never handed to the backend as such.
    case approve(request: Int)

    /// Whether it changes nothing but the console's own approvals.
    var isApproval: Bool {
        if case .approve = self { return true }
        return false
    }

    /// The permission a user needs to ask for it.
    public var permission: ConsolePermission {
        switch self {
        case .cancelOrder, .cancelAll: .cancelOrders
        case .engageKillSwitch, .releaseKillSwitch, .setTradingState, .setLimit: .changeRisk
        case .logout, .disconnect, .resetSequenceNumbers: .controlSessions
        case .approve: .approveRisk
        case .newOrder, .replaceOrder: .enterOrders
        }
    }

    /// Its name in the journal and on the page.
    public var name: String {
        switch self {
        case .cancelOrder: "cancel"
        case .cancelAll: "cancel-all"
        case .engageKillSwitch: "kill-switch-engage"
        case .releaseKillSwitch: "kill-switch-release"
        case .logout: "session-logout"
        case .disconnect: "session-disconnect"
        case .resetSequenceNumbers: "session-reset"
        case .setTradingState: "trading-state"
        case .setLimit: "limit-set"
        case .approve: "approve"
        case .newOrder: "new-order"
        case .replaceOrder: "replace"
        }
    }
}

/// A limit edit checked against the limits in force: whether it can be made, whether it
/// raises the limit, and what the user is told (the change, or what is wrong).
public struct LimitEditCheck: Sendable, Codable, Equatable {
    public var ok: Bool
    public var raises: Bool
    public var message: String

    public init(ok: Bool, raises: Bool, message: String) {
        self.ok = ok
        self.raises = raises
        self.message = message
    }
}

/// How an action went, as the user is told.
public struct ConsoleOutcome: Sendable, Codable, Equatable {
    public var ok: Bool
    public var message: String
    /// Refused because the user may not ask for it (their role or their accounts), as opposed
    /// to tried and failed.
    public var refused: Bool

    public init(ok: Bool, message: String, refused: Bool = false) {
        self.ok = ok
        self.message = message
        self.refused = refused
    }

    static func refusal(_ message: String) -> ConsoleOutcome { ConsoleOutcome(ok: false, message: message, refused: true) }
}

/// Wakes the console's publisher when something changed. `notify()` is made for the order
/// path: one atomic exchange, and a wake-up only when the publisher is not already due to run.
public final class ChangeSignal: Sendable {
    private let pending = Atomic<Bool>(false)
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    public func notify() {
        if !pending.exchange(true, ordering: .acquiringAndReleasing) { continuation.yield() }
    }

    /// Runs `body` after each change, one at a time, until ``finish()``: changes that come
    /// while it runs are folded into one more run.
    func forEachChange(_ body: () async -> Void) async {
        for await _ in stream {
            pending.store(false, ordering: .releasing)
            await body()
        }
    }

    public func finish() { continuation.finish() }
}
