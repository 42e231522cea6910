import AdminSocket
import FIXCodec
import FIXTransport
import Foundation
import RiskSidecar
import SimulatedVenue

extension VenueApplication {
    /// Answers a request on the venue's admin socket: trading halted and resumed, scenarios
    /// run, prices shocked, kill switches engaged and released, the trading day rolled, the
    /// controls' state. A request that changes anything is journaled (`admin`) before it is
    /// answered.
    public func handle(_ request: AdminRequest) async -> AdminResponse {
        let answer: AdminResponse
        do {
            answer = try await onLoop { self.carryOut(request) }
            // What it decided is in the loop's output commit: queued on the journal before the
            // admin record, so durable before the answer.
            try await OutputCommit.handedOver(on: loop)
        } catch {
            logger.error("admin request not carried out: the venue's event loop is gone", metadata: [
                "command": "\(request.command.rawValue)", "error": "\(error)",
            ])
            return AdminResponse(ok: false, message: "the venue is shutting down: \(error)")
        }
        let journal = journal
        let time = clock()
        return await answer.recorded(for: request) { json in try await journal.write([.event(kind: "admin", time: time, json: json)]) }
    }

    /// The request carried out, on the loop; what it decided handed to the journal.
    func carryOut(_ request: AdminRequest) -> AdminResponse {
        let now = clock()
        let person = request.by?.trimmingCharacters(in: .whitespaces) ?? ""
        switch request.command {
        case .status, .dayStatus:
            return answer(true, "")
        case .halt, .resume:
            guard !person.isEmpty else { return answer(false, "a halt or resume names the person acting (by)") }
            if request.command == .resume {
                resume(by: person)
                return answer(true, "trading resumed on \(name) by \(person)")
            }
            halt(by: person, reason: request.reason ?? "")
            return answer(true, "trading halted on \(name) by \(person); only cancels are accepted")
        case .scenario:
            do {
                let scenario = try ScenarioLoader.parse(yaml: request.scenario ?? "", file: request.file ?? "scenario")
                run(scenario)
                return answer(true, "scenario \(scenario.name) started on \(name): \(scenario.steps.count) steps, seed \(scenario.seed)")
            } catch {
                return answer(false, "\(error)")
            }
        case .shock:
            guard let root = request.root, let percent = request.percent.flatMap({ FIXDecimal($0) }) else {
                return answer(false, "a shock names a root and a percent (e.g. CL and -30)")
            }
            do {
                let reports = try moveMarket { venue throws(SimulatedVenueError) in try venue.shock(root: root, percent: percent) }
                return answer(true, "\(root) moved \(percent)% on \(name); \(reports) report(s) sent")
            } catch {
                return answer(false, "\(error)")
            }
        case .engageKillSwitch, .releaseKillSwitch:
            guard let scope = request.scope, let level = KillSwitchLevel(scope: scope) else {
                return answer(false, "scope '\(request.scope ?? "")' is not firm, account:<name> or session:<name>")
            }
            guard !person.isEmpty else { return answer(false, "a kill switch is engaged and released by a person: name them (by)") }
            if request.command == .releaseKillSwitch {
                guard withExchange({ $0.releaseKillSwitch(level, by: person, now: now) }) != nil else {
                    return answer(false, "no kill switch is engaged at \(level) on \(name)")
                }
                return answer(true, "kill switch at \(level) released on \(name) by \(person)")
            }
            let sent = withExchange { $0.engageKillSwitch(level, by: person, reason: request.reason ?? "", now: now) }
            deliver(sent, replyingTo: nil)
            let cancelled = sent.filter { $0.type == .executionReport }.count
            return answer(true, "kill switch engaged at \(level) on \(name) by \(person); \(cancelled) working order(s) cancelled")
        case .dayRoll:
            let reason = request.reason?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !person.isEmpty, !reason.isEmpty else {
                return answer(false, "a forced day roll names the person acting (by) and why (reason)")
            }
            let (dayEnd, sent) = withExchange { $0.roll(by: person, reason: reason, now: now) }
            dayEnded(dayEnd, sent)
            return answer(true, "trading day \(dayEnd.tradingDate) ended on \(name) by \(person); \(dayEnd.nextTradingDate) began: "
                          + "\(dayEnd.expired.count) order(s) expired, \(dayEnd.orders.count) working")
        case .cancelOrder, .cancelAccount, .tradingState, .setLimit:
            return answer(false, "\(request.command.rawValue) is the gateway's (Application=gateway), not the venue's: a venue halts and resumes")
        }
    }

    /// An answer, with the state of the venue's controls after the request: its engaged kill
    /// switches, its limits' utilisation, the trading day.
    func answer(_ ok: Bool, _ message: String) -> AdminResponse {
        let now = clock()
        let (risk, day) = withExchange { ($0.risk, $0.dayStatus(now: now)) }
        return AdminResponse(ok: ok, message: message, engagedKillSwitches: risk.killSwitchHistory.filter(\.isEngaged),
                             utilisation: risk.utilisation(now: now), day: day)
    }
}
