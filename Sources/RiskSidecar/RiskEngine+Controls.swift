import FIXCodec
import Logging

/// Where a trading state is set: the firm or one account.
public enum TradingStateScope: Sendable, Hashable, Codable, CustomStringConvertible {
    case firm
    case account(String)

    /// `firm` or `account:<name>`, as admin requests and the console write it.
    public init?(scope text: String) {
        if text == "firm" {
            self = .firm
            return
        }
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, parts[0] == "account", !parts[1].isEmpty else { return nil }
        self = .account(String(parts[1]))
    }

    public var description: String {
        switch self {
        case .firm: "firm"
        case .account(let name): "account:\(name)"
        }
    }
}

/// A trading state set by a person, as the journal keeps it (`risk.tradingState`).
public struct TradingStateRecord: Sendable, Hashable, Codable {
    /// `firm` or `account:<name>`.
    public var scope: String
    public var state: TradingState
    public var by: String
    public var reason: String
    /// Nanoseconds since the epoch.
    public var time: Int64

    public init(scope: TradingStateScope, state: TradingState, by: String, reason: String, time: Int64) {
        self.scope = scope.description
        self.state = state
        self.by = by
        self.reason = reason
        self.time = time
    }
}

/// Kill switches, trading states and cancel-on-disconnect: the controls a person or a dropped
/// session engages.
extension RiskEngine {
    mutating func owner(of level: KillSwitchLevel) -> Int {
        switch level {
        case .firm: 0
        case .account(let name): accountOwner(name)
        case .session(let name): sessionOwner(name)
        }
    }

    /// Engages a kill switch: returns every working order under it for the gateway to cancel, and
    /// rejects new orders and replaces there until a person releases it. Engaging an engaged switch
    /// keeps the first record and returns the orders still working.
    public mutating func engageKillSwitch(_ level: KillSwitchLevel, by person: String, reason: String = "",
                                          now: Int64) -> [RiskWorkingOrder] {
        let index = owner(of: level)
        if owners[index].killSwitch == nil {
            let record = KillSwitchRecord(level: level, engagedBy: person, reason: reason, engagedAt: now)
            owners[index].killSwitch = record
            killSwitchHistory.append(record)
            logger.critical("kill switch engaged", metadata: ["scope": "\(level)", "by": "\(person)", "reason": "\(reason)"])
        }
        return workingOrders(under: index)
    }

    /// Releases a kill switch, recording who did it. Returns the completed record, or `nil` when
    /// the switch was not engaged or no person is named.
    @discardableResult
    public mutating func releaseKillSwitch(_ level: KillSwitchLevel, by person: String, now: Int64) -> KillSwitchRecord? {
        let index = owner(of: level)
        guard var record = owners[index].killSwitch else { return nil }
        guard !person.trimmingCharacters(in: .whitespaces).isEmpty else {
            logger.error("kill switch not released: the release must name a person", metadata: ["scope": "\(level)"])
            return nil
        }
        record.releasedBy = person
        record.releasedAt = now
        owners[index].killSwitch = nil
        if let position = killSwitchHistory.lastIndex(where: { $0.level == level && $0.releasedBy == nil }) {
            killSwitchHistory[position] = record
        }
        logger.warning("kill switch released", metadata: ["scope": "\(level)", "by": "\(person)"])
        return record
    }

    /// The engaged kill switch at a level, if any.
    public func killSwitch(_ level: KillSwitchLevel) -> KillSwitchRecord? {
        switch level {
        case .firm: owners[0].killSwitch
        case .account(let name): accountIndex[name].flatMap { owners[$0].killSwitch }
        case .session(let name): sessionIndex[name].flatMap { owners[$0].killSwitch }
        }
    }

    private func workingOrders(under owner: Int) -> [RiskWorkingOrder] {
        workingOrders { owner == 0 || $0.account == owner || $0.session == owner }
    }

    /// ACTIVE, REDUCING (only orders that shrink a position) or HALTED (only cancels), for the
    /// firm or one account.
    public mutating func setTradingState(_ state: TradingState, for scope: TradingStateScope, by person: String, now: Int64) {
        let index: Int
        switch scope {
        case .firm: index = 0
        case .account(let name): index = accountOwner(name)
        }
        let previous = owners[index].tradingState
        owners[index].tradingState = state
        if previous != state {
            logger.warning("trading state changed", metadata: [
                "scope": "\(owners[index].scope)", "from": "\(previous.rawValue)", "to": "\(state.rawValue)", "by": "\(person)",
            ])
        }
    }

    /// The firm's trading state, then each account's that is not ACTIVE (set by a person or
    /// by the limits file), by account name.
    public func tradingStates() -> [(scope: TradingStateScope, state: TradingState)] {
        var accounts: [String: TradingState] = [:]
        for (name, limits) in limits.accounts { if let state = limits.tradingState { accounts[name] = state } }
        for owner in owners where owner.kind == .account { accounts[owner.name] = owner.tradingState }
        return [(.firm, owners[0].tradingState)]
            + accounts.filter { $0.value != .active }.sorted { $0.key < $1.key }.map { (.account($0.key), $0.value) }
    }

    /// An OMS session went away. Without a logout, its working day orders (everything but GTC and
    /// GTD) are returned for the gateway to cancel, unless `cancelOnDisconnect: false` is set for
    /// the session (or the firm). After a logout nothing is cancelled.
    public mutating func sessionDisconnected(_ session: String, loggedOut: Bool, now: Int64) -> [RiskWorkingOrder] {
        guard !loggedOut, let index = sessionIndex[session] else { return [] }
        let sessionSetting = scopeLimits(owners[index].limits)?.set.cancelOnDisconnect
        let enabled = sessionSetting ?? scopeLimits(owners[0].limits)?.set.cancelOnDisconnect ?? true
        guard enabled else { return [] }
        let cancels = workingOrders { $0.session == index && !$0.timeInForce.outlivesTheDay }
        if !cancels.isEmpty {
            logger.warning("cancel on disconnect: a session dropped without a logout",
                           metadata: ["session": "\(session)", "dayOrders": "\(cancels.count)"])
        }
        return cancels
    }
}
