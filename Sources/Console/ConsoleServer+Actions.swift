import ConsoleAccess
import Foundation

extension ConsoleServer {
    /// Carries out `action` for the signed-in user when their role and accounts allow it; a
    /// change the rules reserve for two people waits for a second risk manager's approval.
    func act(_ action: ConsoleAction, session: ConsoleSession) async -> ConsoleOutcome {
        let user = session.user
        guard user.role.may(action.permission) else {
            logger.notice("console action refused", metadata: ["user": "\(user.name)", "action": "\(action.name)"])
            return .refusal("refused: a \(user.role.rawValue) may not \(action.name)")
        }
        if let refusal = await scopeRefusal(action, user: user) { return refusal }
        if let problem = entryProblem(action) { return problem }
        switch action {
        case .approve(let id):
            return await approve(id, by: user)
        case .releaseKillSwitch(let scope, let reason):
            let wanted = DualControl.ApprovalAction.releaseKillSwitch(scope: scope, reason: reason)
            guard DualControl.needsSecondPerson(wanted, raises: false) else { break }
            switch await askSecondPerson(wanted, by: user) {
            case .success(let request):
                return ConsoleOutcome(ok: true, message: "releasing the \(scope) kill switch waits for a second risk manager's approval (request \(request.id))")
            case .failure(let refused):
                return refused.outcome
            }
        case .setLimit(let control, let scope, let value):
            return await setLimit(control: control, scope: scope, value: value, by: user)
        default:
            break
        }
        let outcome = await backend.perform(action, by: user)
        backend.changes.notify()
        return outcome
    }

    /// A limit edit: checked against the limits in force (what is wrong is said at once); one
    /// that lowers or first sets a limit is made at once, one that raises it (a higher maximum,
    /// or none) waits for a second risk manager's approval, the request journaled
    /// (`console.approval.requested`).
    private func setLimit(control: String, scope: String, value: String, by user: ConsoleUser) async -> ConsoleOutcome {
        let checked = await backend.checkLimitEdit(control: control, scope: scope, value: value)
        guard checked.ok else { return ConsoleOutcome(ok: false, message: checked.message) }
        let wanted = DualControl.ApprovalAction.changeLimit(control: control, scope: scope, value: value)
        guard DualControl.needsSecondPerson(wanted, raises: checked.raises) else {
            let outcome = await backend.perform(.setLimit(control: control, scope: scope, value: value), by: user)
            backend.changes.notify()
            return outcome
        }
        switch await askSecondPerson(wanted, by: user) {
        case .success(let request):
            return ConsoleOutcome(ok: true, message: "\(checked.message) raises the limit: it waits for a second risk manager's approval (request \(request.id))")
        case .failure(let refused):
            return refused.outcome
        }
    }

    /// Why a change was not put to a second person.
    struct NotAsked: Error {
        let outcome: ConsoleOutcome
    }

    /// Puts `wanted` to a second risk manager: the request kept, then journaled
    /// (`console.approval.requested`); one the journal cannot record is withdrawn, never left
    /// waiting unrecorded.
    private func askSecondPerson(_ wanted: DualControl.ApprovalAction, by user: ConsoleUser) async -> Result<DualControl.ApprovalRequest, NotAsked> {
        let request: DualControl.ApprovalRequest
        do {
            request = try access.withLock { access throws(DualControlError) in try access.approvals.request(wanted, by: user, now: clock()) }
        } catch {
            return .failure(NotAsked(outcome: .refusal("\(error)")))
        }
        do {
            try await backend.record("approval.requested", json: ConsoleMessage.encode(ApprovalRecord(request, approvedBy: nil)))
        } catch {
            access.withLock { _ = $0.approvals.withdraw(id: request.id, by: user) }
            return .failure(NotAsked(outcome: ConsoleOutcome(ok: false, message: "not asked: the journal could not record the request: \(error)")))
        }
        backend.changes.notify()
        return .success(request)
    }

    /// A trader acts on its own accounts only.
    private func scopeRefusal(_ action: ConsoleAction, user: ConsoleUser) async -> ConsoleOutcome? {
        switch action {
        case .cancelOrder(let orderID):
            guard user.role == .trader else { return nil }
            let account: String
            switch await self.account(of: orderID) {
            case .success(let found): account = found
            case .failure(let failure): return failure.outcome
            }
            return user.sees(account: account) ? nil : .refusal("refused: \(orderID) is not an order of your accounts")
        case .cancelAll(let account):
            return user.sees(account: account) ? nil : .refusal("refused: \(account) is not one of your accounts")
        case .newOrder(let ticket):
            return user.mayTrade(account: ticket.account) ? nil : .refusal("refused: \(ticket.account) is not one of your accounts")
        case .replaceOrder(let orderID, _, _):
            let account: String
            switch await self.account(of: orderID) {
            case .success(let found): account = found
            case .failure(let failure): return failure.outcome
            }
            return user.mayTrade(account: account) ? nil : .refusal("refused: \(orderID) is not an order of your accounts")
        default:
            return nil
        }
    }

    private func approve(_ id: Int, by user: ConsoleUser) async -> ConsoleOutcome {
        let request: DualControl.ApprovalRequest
        do {
            request = try access.withLock { access throws(DualControlError) in try access.approvals.approve(id: id, by: user, now: clock()) }
        } catch {
            return .refusal("\(error)")
        }
        do {
            try await backend.record("approval.approved", json: ConsoleMessage.encode(ApprovalRecord(request, approvedBy: user.name)))
        } catch {
            return ConsoleOutcome(ok: false, message: "not approved: the journal could not record the approval: \(error)")
        }
        let outcome: ConsoleOutcome
        switch request.action {
        case .releaseKillSwitch(let scope, let reason):
            outcome = await backend.perform(.releaseKillSwitch(scope: scope, reason: "\(reason) (asked by \(request.requestedBy), approved by \(user.name))"),
                                            by: user)
        case .changeLimit(let control, let scope, let value):
            outcome = await backend.performApprovedLimitEdit(control: control, scope: scope, value: value,
                                                             requestedBy: request.requestedBy, approvedBy: user)
        }
        backend.changes.notify()
        return outcome
    }
}

/// A four-eyes request or approval as the journal keeps it (`console.approval.*`).
struct ApprovalRecord: Encodable {
    let id: Int
    let action: DualControl.ApprovalAction
    let requestedBy: String
    let requestedAt: Int64
    let approvedBy: String?

    init(_ request: DualControl.ApprovalRequest, approvedBy: String?) {
        id = request.id
        action = request.action
        requestedBy = request.requestedBy
        requestedAt = request.requestedAt
        self.approvedBy = approvedBy
    }
}
