import FIXCodec

/// Limit edits while running: checked against the limits in force, made by swapping in the
/// edited limits (recompiled whole, as a reload does), and kept to be made again over a reload.
extension RiskEngine {
    /// `edit` checked against the limits in force and the products this engine knows; nothing
    /// changes.
    public func check(_ edit: LimitEdit) throws(LimitEditError) -> (limits: RiskLimits, result: LimitEditResult) {
        switch edit.scope {
        case .root(let name):
            guard roots.contains(where: { $0.name == name }) else { throw .unknownInstrument(scope: edit.scope) }
        case .symbol(let name):
            // A contract month is its root and a month code: CLZ6, HOF27.
            guard roots.contains(where: { name.hasPrefix($0.name) && name.count > $0.name.count }) else {
                throw .unknownInstrument(scope: edit.scope)
            }
        case .firm, .account, .session:
            break
        }
        return try limits.applying(edit)
    }

    /// Makes `edit`: every later check sees the edited limits. Kept (one per control and
    /// scope) to be made again over the next reload of the file.
    /// Refused (`needsApproval`) when it raises the limit and `raising` is false.
    public mutating func apply(_ edit: LimitEdit, raising: Bool = true) throws(LimitEditError) -> LimitEditResult {
        let (edited, result) = try check(edit)
        if result.raises && !raising { throw .needsApproval(summary: result.summary) }
        replaceLimits(edited)
        limitEdits.removeAll { $0.control == edit.control && $0.scope == edit.scope }
        limitEdits.append(edit)
        return result
    }

    /// Swaps in `newLimits` (a reloaded file) with the edits made while running made again on
    /// top: the number made, and those that no longer can be (dropped), with why.
    mutating func replaceLimits(_ newLimits: RiskLimits, keepingEdits: Void) -> (made: Int, dropped: [(LimitEdit, LimitEditError)]) {
        var limits = newLimits
        var kept: [LimitEdit] = []
        var dropped: [(LimitEdit, LimitEditError)] = []
        for edit in limitEdits {
            do {
                limits = try limits.applying(edit).limits
                kept.append(edit)
            } catch {
                dropped.append((edit, error))
            }
        }
        replaceLimits(limits)
        limitEdits = kept
        return (kept.count, dropped)
    }
}

extension RiskSidecar {
    /// `edit` checked against the limits in force: what it would change, and whether it raises
    /// the limit (which needs a second person). Nothing changes.
    public func check(_ edit: LimitEdit) throws(LimitEditError) -> LimitEditResult {
        try engine.withLock { engine throws(LimitEditError) in try engine.check(edit).result }
    }

    /// Makes `edit` at once, through the sidecar's lock: the next check sees it. Whoever calls
    /// it journals it in the same turn (`risk.limit`), or restores it from the journal. One that
    /// raises the limit is refused (`needsApproval`) unless `raising`: a second person approved it.
    @discardableResult
    public func apply(_ edit: LimitEdit, raising: Bool = true) throws(LimitEditError) -> LimitEditResult {
        let result = try engine.withLock { engine throws(LimitEditError) in try engine.apply(edit, raising: raising) }
        logger.notice("risk limit edited", metadata: [
            "control": "\(edit.control.rawValue)", "scope": "\(edit.scope.key)", "old": "\(result.old ?? "none")",
            "new": "\(result.new ?? "none")", "raises": "\(result.raises)",
        ])
        return result
    }

    /// The edits made while running, oldest first, one per control and scope.
    public var limitEdits: [LimitEdit] { engine.withLock { $0.limitEdits } }
}
