import AdminSocket
import FIXCodec
import FIXTransport
import FIXVocabulary
import Foundation
import RiskSidecar
import SimulatedVenue

extension GatewayApplication {
    /// Carries out an admin request against the running gateway: kill switches are engaged
    /// (cancels go out to the OMS sessions at once) or released, days rolled. A request that
    /// changes anything is journaled (`admin`, with who, why and the outcome), and answered
    /// only once that record, and every decision it caused before it, is durable: an
    /// acknowledged action survives a crash the moment after.
    public func handle(_ request: AdminRequest) async -> AdminResponse {
        let response: AdminResponse
        do {
            response = try await onLoop { _ in self.carryOut(request) }
            // The decisions it caused (a kill switch, the cancels) are in the loop's output
            // commit: queued on the journal before the admin record, so durable before the answer.
            try await OutputCommit.handedOver(on: loop)
        } catch {
            logger.error("admin request not carried out: the gateway's event loop is gone", metadata: [
                "command": "\(request.command.rawValue)", "error": "\(error)",
            ])
            return AdminResponse(ok: false, message: "the gateway is shutting down: \(error)")
        }
        return await response.recorded(for: request) { json in
            do {
                try await journal.write([.event(kind: "admin", time: clock(), json: json)])
            } catch {
                logger.error("admin request not journaled", metadata: ["command": "\(request.command.rawValue)", "error": "\(error)"])
                throw error
            }
        }
    }

    /// The request carried out, its decisions handed to the journal.
    func carryOut(_ request: AdminRequest) -> AdminResponse {
        let now = clock()
        switch request.command {
        case .status:
            return adminResponse(ok: true, "")
        case .dayStatus:
            return adminResponse(ok: true, "")
        case .dayRoll:
            guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty,
                  let reason = request.reason?.trimmingCharacters(in: .whitespaces), !reason.isEmpty else {
                return adminResponse(ok: false, "a forced day roll names the person acting (by) and why (reason)")
            }
            let (record, reports) = gateway.roll(by: person, reason: reason, now: now)
            dayEnded(record, reports: reports)
            return adminResponse(ok: true, "trading day \(record.tradingDate) ended by \(person); \(record.nextTradingDate) began: "
                                 + "\(record.expired.count) day order(s) expired, \(record.orders.count) working, "
                                 + "\(record.positions.count) position(s) carried at settlement")
        case .halt, .resume, .scenario:
            return adminResponse(ok: false, "\(request.command.rawValue) needs a venue profile (Application=venue)")
        case .shock:
            guard let root = request.root, let text = request.percent, let percent = FIXDecimal(text) else {
                return adminResponse(ok: false, "a shock names a root and a percent (e.g. CL and -30)")
            }
            do {
                let sent = try moveMarket { gateway, now throws(SimulatedVenueError) in try gateway.shock(root: root, percent: percent, now: now) }
                return adminResponse(ok: true, "\(root) moved \(percent)%; \(sent) report(s) sent")
            } catch {
                return adminResponse(ok: false, "\(error)")
            }
        case .cancelOrder:
            guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty, let orderID = request.orderID else {
                return adminResponse(ok: false, "an order cancel names the order (orderID) and the person acting (by)")
            }
            guard let outbound = gateway.cancel(orderID: orderID, by: person, now: now) else {
                return adminResponse(ok: false, "no working order \(orderID)")
            }
            _ = deliver(outbound, replyingTo: nil)
            return adminResponse(ok: true, "\(orderID) cancelled by \(person)")
        case .cancelAccount:
            guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty,
                  let scope = request.scope, case .account(let account)? = KillSwitchLevel(scope: scope) else {
                return adminResponse(ok: false, "cancelling an account's orders names it (account:<name>) and the person acting (by)")
            }
            let (outbound, cancelled) = gateway.cancelAll(account: account, by: person, now: now)
            _ = deliver(outbound, replyingTo: nil)
            return adminResponse(ok: true, "\(cancelled) working order(s) of \(account) cancelled by \(person)")
        case .tradingState:
            guard let text = request.scope, let scope = TradingStateScope(scope: text) else {
                return adminResponse(ok: false, "scope '\(request.scope ?? "")' is not firm or account:<name>")
            }
            guard let tradingState = request.state.flatMap({ TradingState(rawValue: $0.uppercased()) }) else {
                return adminResponse(ok: false, "trading state '\(request.state ?? "")' is not ACTIVE, REDUCING or HALTED")
            }
            guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty else {
                return adminResponse(ok: false, "a trading state is set by a person: name them (by)")
            }
            let record = gateway.setTradingState(tradingState, for: scope, by: person, reason: request.reason ?? "", now: now)
            journalAudit()
            return adminResponse(ok: true, "\(record.scope) is \(record.state.rawValue), set by \(person)")
        case .setLimit:
            return setLimit(request, now: now)
        case .engageKillSwitch, .releaseKillSwitch:
            guard let scope = request.scope, let level = KillSwitchLevel(scope: scope) else {
                return adminResponse(ok: false, "scope '\(request.scope ?? "")' is not firm, account:<name> or session:<name>")
            }
            guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty else {
                return adminResponse(ok: false, "a kill switch is engaged and released by a person: name them (by)")
            }
            if request.command == .engageKillSwitch {
                let outbound = gateway.engageKillSwitch(level, by: person, reason: request.reason ?? "", now: now)
                _ = deliver(outbound, replyingTo: nil)
                let cancels = outbound.filter { $0.type == .executionReport }.count
                return adminResponse(ok: true, "kill switch engaged at \(level) by \(person); \(cancels) working order(s) cancelled")
            }
            guard gateway.releaseKillSwitch(level, by: person, now: now) != nil else {
                return adminResponse(ok: false, "no kill switch is engaged at \(level)")
            }
            journalAudit()
            return adminResponse(ok: true, "kill switch at \(level) released by \(person)")
        }
    }

    /// The answer to an admin request: `message`, and the state of the risk controls after it.
    /// On the loop.
    func adminResponse(ok: Bool, _ message: String) -> AdminResponse {
        let risk = gateway.risk
        let now = clock()
        return AdminResponse(ok: ok, message: message, engagedKillSwitches: risk.killSwitchHistory.filter(\.isEngaged),
                             utilisation: risk.utilisation(now: now), day: gateway.dayStatus(now: now))
    }
}

extension GatewayApplication {
    /// A limit edit (`limit-set`), on the loop: checked against the limits in force and made at
    /// once, unless it raises the limit without a second person's approval (`approvedBy`,
    /// which only the console gives); journaled (`risk.limit`: the person, the approver, the
    /// value before and after) into this turn's output commit, so that nothing checked against
    /// it leaves the process before the record is durable.
    func setLimit(_ request: AdminRequest, now: Int64) -> AdminResponse {
        guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty else {
            return adminResponse(ok: false, "a limit is set by a person: name them (by)")
        }
        guard let control = request.control, let scope = request.scope else {
            return adminResponse(ok: false, "a limit edit names the limit (control), where it applies (scope) and its value")
        }
        let approver = request.approvedBy?.trimmingCharacters(in: .whitespaces) ?? ""
        let approved = !approver.isEmpty && approver != person
        let made: LimitEditResult
        do {
            let edit = try LimitEdit(control: control, scope: scope, value: request.value ?? "")
            made = try gateway.risk.apply(edit, raising: approved)
        } catch {
            return adminResponse(ok: false, "\(error)")
        }
        let record = LimitEditRecord(made, by: person, approvedBy: made.raises ? approver : nil, reason: request.reason)
        Self.journal([GatewayAuditEvent(kind: LimitEditRecord.kind, time: now, json: record.json)], to: journal, logger: logger)
        return adminResponse(ok: true, "\(made.summary) set by \(person)" + (made.raises ? ", approved by \(approver)" : ""))
    }
}
