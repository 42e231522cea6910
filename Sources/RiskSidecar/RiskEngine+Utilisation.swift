import FIXCodec
import Logging

/// Limit utilisation: the snapshot, and the 75 % / 90 % warnings logged once per crossing.
extension RiskEngine {
    /// Every stateful limit's current use: positions, gross notional and loss for each measured
    /// account, session or the firm with exposure, and each configured throttle.
    public func utilisation(now: Int64) -> [LimitUtilisation] {
        var result: [LimitUtilisation] = []
        let accounts = owners.indices.filter { owners[$0].kind == .account }
        func add(_ kind: LimitKind, _ limits: Int, _ slot: Int, _ context: Context) {
            if let entry = measure(kind, limits, slot, context, now: now) { result.append(entry) }
        }
        for index in owners.indices {
            let limits = Int(owners[index].limits)
            guard limits >= 0 else { continue }
            let owner = owners[index]
            let slot = owner.kind == .firm ? 0 : owner.kind == .account ? 1 : 2
            var context = Context(account: owner.kind == .account ? index : -1,
                                  session: owner.kind == .session ? index : -1, symbol: -1, root: -1)
            for symbol in owner.months.indices where !owner.months[symbol].isEmpty {
                context.symbol = symbol
                context.root = symbols[symbol].root
                add(.positionPerMonth, limits, slot, context)
            }
            context.symbol = -1
            for root in owner.roots.indices where !owner.roots[root].isEmpty {
                context.root = root
                add(.positionPerRoot, limits, slot, context)
            }
            context.root = -1
            for kind in [LimitKind.grossNotional, .dailyLoss, .orderRate, .messageRate] {
                add(kind, limits, slot, context)
            }
        }
        for root in roots.indices {
            let limits = Int(roots[root].limits)
            guard limits >= 0 else { continue }
            for account in accounts {
                for symbol in symbols.indices where symbols[symbol].root == root && !owners[account].months[symbol].isEmpty {
                    add(.positionPerMonth, limits, 3, Context(account: account, session: -1, symbol: symbol, root: root))
                }
                guard !owners[account].roots[root].isEmpty else { continue }
                let context = Context(account: account, session: -1, symbol: -1, root: root)
                for kind in [LimitKind.positionPerRoot, .grossNotional, .dailyLoss] { add(kind, limits, 3, context) }
            }
        }
        for symbol in symbols.indices {
            let limits = Int(symbols[symbol].limits)
            guard limits >= 0 else { continue }
            for account in accounts where !owners[account].months[symbol].isEmpty {
                let context = Context(account: account, session: -1, symbol: symbol, root: symbols[symbol].root)
                for kind in [LimitKind.positionPerMonth, .grossNotional, .dailyLoss] { add(kind, limits, 4, context) }
            }
        }
        return result
    }

    /// One limit at one scope measured for one bucket; `nil` when the limit is not configured
    /// there or the context does not reach the bucket.
    func measure(_ kind: LimitKind, _ id: Int, _ slot: Int, _ context: Context, now: Int64) -> LimitUtilisation? {
        let owner = measuredOwner(slot, context)
        guard owner >= 0 else { return nil }
        let limits = limitTable[id]
        let who = owners[owner].scope.description
        let used: Int128
        let limit: Int128
        let unit: LimitUnit
        let subject: String
        switch kind {
        case .positionPerMonth:
            guard let configured = limits.maxPositionPerMonth, context.symbol >= 0 else { return nil }
            used = Int128(owners[owner].months[context.symbol].worstCase)
            limit = Int128(configured)
            unit = .contracts
            subject = "\(who) \(symbols[context.symbol].name)"
        case .positionPerRoot:
            guard slot != 4, let configured = limits.maxPositionPerRoot, context.root >= 0 else { return nil }
            used = Int128(owners[owner].roots[context.root].worstCase)
            limit = Int128(configured)
            unit = .contracts
            subject = "\(who) \(roots[context.root].name)"
        case .grossNotional, .dailyLoss:
            guard let configured = kind == .grossNotional ? limits.maxGrossNotional : limits.dailyLoss,
                  let (cell, instrument) = lossOrNotionalCell(slot, owner, context) else { return nil }
            used = kind == .grossNotional ? cell.grossNotional : Swift.max(0, 0 &- cell.pnl)
            limit = configured
            unit = .usd
            subject = instrument.map { "\(who) \($0)" } ?? who
        case .orderRate, .messageRate:
            guard slot < 3, let rate = kind == .orderRate ? limits.orderRate : limits.messageRate,
                  let ring = kind == .orderRate ? owners[owner].orderRate : owners[owner].messageRate else { return nil }
            used = Int128(ring.count(after: now &- rate.windowNanos))
            limit = Int128(rate.limit)
            unit = kind == .orderRate ? .orders(windowNanos: rate.windowNanos) : .messages(windowNanos: rate.windowNanos)
            subject = "\(who) per \(Self.duration(rate.windowNanos))"
        }
        func show(_ value: Int128) -> FIXDecimal { unit == .usd ? Fixed.decimal(value) : FIXDecimal(mantissa: Int64(clamping: value)) }
        let levels = Thresholds(limit: limit, warningPercent: self.limits.warningPercent,
                                criticalPercent: self.limits.criticalPercent)
        return LimitUtilisation(kind: kind, scope: limits.scope, subject: subject, used: show(used), limit: show(limit), unit: unit,
                                percent: limit > 0 ? Fixed.ratio(Fixed.multiply(used, 100), limit) : (used > 0 ? FIXDecimal(100) : .zero),
                                level: levels.level(used))
    }

    /// The cell gross notional and loss are measured on: the owner's total, or for root and symbol
    /// scopes the account's cell in that root or month.
    private func lossOrNotionalCell(_ slot: Int, _ owner: Int, _ context: Context) -> (Cell, String?)? {
        switch slot {
        case 3:
            guard context.root >= 0 else { return nil }
            return (owners[owner].roots[context.root], roots[context.root].name)
        case 4:
            guard context.symbol >= 0 else { return nil }
            return (owners[owner].months[context.symbol], symbols[context.symbol].name)
        default:
            return (owners[owner].total, nil)
        }
    }

    /// Re-measures the limits a change touched; a limit rising into 75 % or 90 % is logged once
    /// and returned; falling back re-arms it. Each measure is two comparisons against thresholds
    /// computed at load.
    mutating func evaluateWarnings(_ context: Context, _ scopes: ScopeSet, positions: Bool, notional: Bool, loss: Bool,
                                   rates: Bool, now: Int64, into warnings: inout [RiskWarning]) {
        // Nothing elevated anywhere: only a level above normal needs the bookkeeping below.
        let quiet = levels.isEmpty
        for slot in 0..<5 {
            let limits = scopes[slot]
            guard limits >= 0 else { continue }
            let ownerIndex = measuredOwner(slot, context)
            guard ownerIndex >= 0 else { continue }
            if positions {
                if let levels = limitTable[limits].positionPerMonthLevels, context.symbol >= 0 {
                    let level = levels.level(Int128(owners[ownerIndex].months[context.symbol].worstCase))
                    if level != .normal || !quiet {
                        crossing(.positionPerMonth, limits, slot, context, owner: ownerIndex, instrument: context.symbol,
                                 level: level, now: now, &warnings)
                    }
                }
                if slot != 4, let levels = limitTable[limits].positionPerRootLevels, context.root >= 0 {
                    let level = levels.level(Int128(owners[ownerIndex].roots[context.root].worstCase))
                    if level != .normal || !quiet {
                        crossing(.positionPerRoot, limits, slot, context, owner: ownerIndex, instrument: context.root,
                                 level: level, now: now, &warnings)
                    }
                }
            }
            if notional, let levels = limitTable[limits].grossNotionalLevels {
                let used = slot == 3 ? owners[ownerIndex].roots[context.root].grossNotional
                    : slot == 4 ? owners[ownerIndex].months[context.symbol].grossNotional : owners[ownerIndex].total.grossNotional
                let level = levels.level(used)
                if level != .normal || !quiet {
                    crossing(.grossNotional, limits, slot, context, owner: ownerIndex, instrument: instrumentID(slot, context),
                             level: level, now: now, &warnings)
                }
            }
            if loss, let levels = limitTable[limits].dailyLossLevels {
                let pnl = slot == 3 ? owners[ownerIndex].roots[context.root].pnl
                    : slot == 4 ? owners[ownerIndex].months[context.symbol].pnl : owners[ownerIndex].total.pnl
                let level = levels.level(Swift.max(0, 0 &- pnl))
                if level != .normal || !quiet {
                    crossing(.dailyLoss, limits, slot, context, owner: ownerIndex, instrument: instrumentID(slot, context),
                             level: level, now: now, &warnings)
                }
            }
            if rates, slot < 3 {
                if let rate = limitTable[limits].orderRate, let levels = limitTable[limits].orderRateLevels,
                   owners[ownerIndex].orderRate != nil {
                    let level = Self.rateLevel(owners[ownerIndex].orderRate!, rate, levels, now: now)
                    if level != .normal || !quiet {
                        crossing(.orderRate, limits, slot, context, owner: ownerIndex, instrument: -1, level: level,
                                 now: now, &warnings)
                    }
                }
                if let rate = limitTable[limits].messageRate, let levels = limitTable[limits].messageRateLevels,
                   owners[ownerIndex].messageRate != nil {
                    let level = Self.rateLevel(owners[ownerIndex].messageRate!, rate, levels, now: now)
                    if level != .normal || !quiet {
                        crossing(.messageRate, limits, slot, context, owner: ownerIndex, instrument: -1, level: level,
                                 now: now, &warnings)
                    }
                }
            }
        }
    }

    /// Whether any position or gross-notional limit `evaluateWarnings` measures for the order's
    /// scopes is above normal. With no level raised anywhere and none above normal, those
    /// measurements would report and re-arm nothing: the check skips them. (A filter: when it
    /// answers `true` the full measurement decides.)
    ///
    /// `mutating` though it changes nothing, for the reason `collar` is: the check calls it on
    /// every order, and would otherwise copy the engine to pass it.
    mutating func anyPositionOrNotionalAboveNormal(_ context: Context, _ scopes: ScopeSet) -> Bool {
        for slot in 0..<5 {
            let limits = scopes[slot]
            guard limits >= 0 else { continue }
            let owner = measuredOwner(slot, context)
            guard owner >= 0 else { continue }
            if context.symbol >= 0,
               Int128(owners[owner].months[context.symbol].worstCase) >= limitTable[limits].positionPerMonthWatch {
                return true
            }
            if slot != 4, context.root >= 0,
               Int128(owners[owner].roots[context.root].worstCase) >= limitTable[limits].positionPerRootWatch {
                return true
            }
            if limitTable[limits].grossNotionalWatch != Int128.max {
                let used = slot == 3 ? owners[owner].roots[context.root].grossNotional
                    : slot == 4 ? owners[owner].months[context.symbol].grossNotional : owners[owner].total.grossNotional
                if used >= limitTable[limits].grossNotionalWatch { return true }
            }
        }
        return false
    }

    /// Messages in the window at or above a threshold: is the threshold-th most recent inside it.
    @inline(__always)
    static func rateLevel(_ ring: borrowing RateWindow, _ rate: RateLimit, _ levels: Thresholds, now: Int64) -> UtilisationLevel {
        let cutoff = now &- rate.windowNanos
        guard ring.atLeast(Int(levels.warning), after: cutoff) else { return .normal }
        return ring.atLeast(Int(levels.critical), after: cutoff) ? .critical : .warning
    }

    @inline(__always)
    private func instrumentID(_ slot: Int, _ context: Context) -> Int {
        slot == 3 ? context.root : slot == 4 ? context.symbol : -1
    }

    /// Out of line: the check path calls it only when a level is or was raised.
    @inline(never)
    mutating func crossing(_ kind: LimitKind, _ limits: Int, _ slot: Int, _ context: Context, owner: Int,
                                   instrument: Int, level: UtilisationLevel, now: Int64, _ warnings: inout [RiskWarning]) {
        if level == .normal && levels.isEmpty { return }
        let key = UtilisationKey(kind: kind, slot: UInt8(slot), scopeID: Int32(truncatingIfNeeded: scopeID(slot, context)),
                                 owner: Int32(truncatingIfNeeded: owner), instrument: Int32(truncatingIfNeeded: instrument))
        let previous = levels[key] ?? .normal
        guard level != previous else { return }
        levels[key] = level == .normal ? nil : level
        guard level > previous, let measured = measure(kind, limits, slot, context, now: now) else { return }
        let message = "risk limit \(level == .critical ? "critical" : "warning"): \(kind.label) at \(measured.percent)% (\(measured.used) of \(measured.limit)) for \(measured.subject) (\(measured.scope))"
        logger.warning("risk limit utilisation crossed a level", metadata: [
            "text": "\(message)", "limit": "\(kind.rawValue)", "scope": "\(measured.scope)", "subject": "\(measured.subject)",
            "percent": "\(measured.percent)", "level": "\(level.rawValue)",
        ])
        warnings.append(RiskWarning(utilisation: measured, message: message))
    }
}
