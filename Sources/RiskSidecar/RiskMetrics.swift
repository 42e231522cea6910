import CoreMetrics
import Synchronization

/// The sidecar's decisions and controls as swift-metrics instruments:
///
/// - `wellhead_risk_decisions_total{control,outcome}`: `outcome="accepted"` with `control="all"`
///   (the request passed every control), or `outcome="rejected"` with the control that refused it
///   (``RiskCheck``'s raw value: `orderSize`, `priceCollar`, `positionLimit`, `killSwitch` …)
/// - `wellhead_kill_switch_engaged{scope}`: 1 while the switch of `firm`, `account:NAME` or
///   `session:NAME` is engaged, else 0
/// - `wellhead_trading_state{scope,state}`: 1 for the state (`ACTIVE`, `REDUCING`, `HALTED`) the
///   firm or `account:NAME` is in, 0 for the others
///
/// The decision counters are made once, with the sidecar: counting a check is an atomic add.
final class RiskMetrics: Sendable {
    private let accepted: Counter
    private let rejected: [RiskCheck: Counter]
    /// Gauges of the switches and states changed so far, made at their first change (an admin's act).
    private let killSwitches = Mutex<[String: Gauge]>([:])
    private let tradingStates = Mutex<[String: [TradingState: Gauge]]>([:])
    /// The factory in force when the sidecar was made, for the gauges made later.
    private let factory: any MetricsFactory

    init() {
        factory = MetricsSystem.factory
        let label = "wellhead_risk_decisions_total"
        accepted = Counter(label: label, dimensions: [("control", "all"), ("outcome", "accepted")])
        var rejected: [RiskCheck: Counter] = [:]
        for check in RiskCheck.allCases {
            rejected[check] = Counter(label: label, dimensions: [("control", check.rawValue), ("outcome", "rejected")])
        }
        self.rejected = rejected
    }

    func count(_ decision: RiskDecision) {
        count(decision.rejection?.check)
    }

    /// One decision: rejected by `check`, or accepted (`nil`).
    func count(_ check: RiskCheck?) {
        if let check {
            rejected[check]?.increment()
        } else {
            accepted.increment()
        }
    }

    func killSwitch(_ level: KillSwitchLevel, engaged: Bool) {
        let scope = Self.label(of: level)
        let gauge = killSwitches.withLock { gauges in
            if let known = gauges[scope] { return known }
            let made = Gauge(label: "wellhead_kill_switch_engaged", dimensions: [("scope", scope)], factory: factory)
            gauges[scope] = made
            return made
        }
        gauge.record(engaged ? 1 : 0)
    }

    func tradingState(_ state: TradingState, for scope: TradingStateScope) {
        let name = switch scope {
        case .firm: "firm"
        case .account(let account): "account:\(account)"
        }
        let gauges = tradingStates.withLock { known in
            if let gauges = known[name] { return gauges }
            var made: [TradingState: Gauge] = [:]
            for each in TradingState.allCases {
                made[each] = Gauge(label: "wellhead_trading_state", dimensions: [("scope", name), ("state", each.rawValue)], factory: factory)
            }
            known[name] = made
            return made
        }
        for (each, gauge) in gauges { gauge.record(each == state ? 1 : 0) }
    }

    private static func label(of level: KillSwitchLevel) -> String {
        switch level {
        case .firm: "firm"
        case .account(let name): "account:\(name)"
        case .session(let name): "session:\(name)"
        }
    }
}
