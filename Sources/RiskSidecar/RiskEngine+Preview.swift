import FIXCodec
import Logging

/// One limit an order would touch: its use now and after the order.
public struct LimitPreview: Sendable, Hashable, Codable {
    /// The use before the order (`nil` when nothing was measured there yet).
    public var before: LimitUtilisation?
    /// The use with the order working: as the check leaves it when it accepts the order; as it
    /// would be were the order working when the check rejects it (so a trader sees by how much).
    public var after: LimitUtilisation
}

/// What the sidecar would decide about an order, and each limit's use after it, computed
/// without changing anything (``RiskEngine/preview(_:now:)``).
public struct RiskPreview: Sendable {
    /// The decision ``RiskEngine/check(_:now:)`` would make now.
    public var decision: RiskDecision
    /// Every limit configured at the order's scopes (firm, account, session, root, month),
    /// measured for the order's account, session and contract.
    public var limits: [LimitPreview]

    public var rejection: RiskRejection? { decision.rejection }
}

extension RiskEngine {
    /// A copy of `other` to try an order on: the same limits, positions, working orders,
    /// throttles and levels, sharing nothing that changes (every table is a value), with a
    /// logger that says nothing (a trial's warnings are not warnings).
    init(trialOf other: borrowing RiskEngine) {
        limits = other.limits
        logger = Logger(label: "wellhead.risk.preview", factory: { _ in SwiftLogNoOpLogHandler() })
        tag = other.tag
        owners = other.owners
        accountIndex = other.accountIndex
        sessionIndex = other.sessionIndex
        symbols = other.symbols
        symbolIndex = other.symbolIndex
        roots = other.roots
        rootIndex = other.rootIndex
        limitTable = other.limitTable
        orders = other.orders
        clOrdIDs = other.clOrdIDs
        recentSignatures = other.recentSignatures
        olderSignatures = other.olderSignatures
        generationStart = other.generationStart
        duplicateHorizon = other.duplicateHorizon
        levels = other.levels
        killSwitchHistory = other.killSwitchHistory
        limitEdits = other.limitEdits
    }

    /// What ``check(_:now:)`` would decide about `order` at `now`, and the use of each limit the
    /// order falls under after it, without changing this engine: the check runs on a copy
    /// (``init(trialOf:)``), so the two agree by construction. Nothing here is counted: no
    /// working order added, no throttle advanced, no ClOrdID or duplicate signature taken, no
    /// warning level raised.
    public func preview(_ order: RiskOrder, now: Int64) -> RiskPreview {
        var trial = RiskEngine(trialOf: self)
        let before = trial.touchedLimits(of: order, now: now)
        let decision = trial.check(order, now: now)
        let after: [LimitUtilisation]
        if decision.rejection == nil {
            after = trial.touchedLimits(of: order, now: now)
        } else {
            // Rejected: measure as though it were working, to show how far over it would go.
            var working = RiskEngine(trialOf: self)
            _ = working.restoreWorkingOrder(order, acknowledged: false)
            after = working.touchedLimits(of: order, now: now)
        }
        let measuredBefore = Dictionary(before.map { (Self.previewKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        return RiskPreview(decision: decision, limits: after.map { LimitPreview(before: measuredBefore[Self.previewKey($0)], after: $0) })
    }

    /// What ``check(_:now:)-(RiskReplace,_)`` would decide about `replace` at `now`, and the use
    /// of each limit the order falls under once the venue applied it, without changing this
    /// engine. A replace it would refuse leaves the limits as they are.
    public func preview(_ replace: RiskReplace, now: Int64) -> RiskPreview {
        var trial = RiskEngine(trialOf: self)
        guard let working = orders[replace.key] else {
            return RiskPreview(decision: trial.check(replace, now: now), limits: [])
        }
        let context = Context(account: working.account, session: working.session, symbol: working.symbol, root: working.root)
        let before = trial.touchedLimits(in: context, now: now)
        let decision = trial.check(replace, now: now)
        var after = before
        if decision.rejection == nil {
            _ = trial.orderReplaced(key: replace.key, now: now)
            after = trial.touchedLimits(in: context, now: now)
        }
        let measuredBefore = Dictionary(before.map { (Self.previewKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        return RiskPreview(decision: decision, limits: after.map { LimitPreview(before: measuredBefore[Self.previewKey($0)], after: $0) })
    }

    private static func previewKey(_ limit: LimitUtilisation) -> String {
        "\(limit.kind.rawValue)|\(limit.scope)|\(limit.subject)"
    }

    /// Every limit configured at the order's five scopes, measured for its context (its names
    /// interned in this engine, which is a trial's copy).
    private mutating func touchedLimits(of order: RiskOrder, now: Int64) -> [LimitUtilisation] {
        guard let root = rootIndex[order.root] else { return [] }
        let context = Context(account: accountOwner(order.account), session: sessionOwner(order.session),
                              symbol: internSymbol(order.symbol, root: root), root: root)
        return touchedLimits(in: context, now: now)
    }

    private func touchedLimits(in context: Context, now: Int64) -> [LimitUtilisation] {
        let scopes = scopeSet(context)
        var result: [LimitUtilisation] = []
        for slot in 0..<5 {
            let limits = scopes[slot]
            guard limits >= 0 else { continue }
            for kind in LimitKind.allCases {
                if let measured = measure(kind, limits, slot, context, now: now) { result.append(measured) }
            }
        }
        return result
    }
}
