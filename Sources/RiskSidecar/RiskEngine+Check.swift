import FIXCodec
import FIXVocabulary
import Instruments

/// A new order or a replace, reduced to what the controls measure.
struct Intent {
    var context: Context
    var side: Side
    var type: OrderType
    /// The OrderQty the size and value checks see.
    var quantity: Int64
    var price: FIXDecimal?
    var stopPrice: FIXDecimal?
    /// Contracts it would have working.
    var leaves: Int64
    /// For a replace: what the order already counts for; only the increase is checked.
    var countedQuantity: Int64 = 0
    var countedNotional: Int128 = 0
    var replacing: RiskOrderKey?
    /// Set by the checks: the price working at the venue, and what the order's leaves are worth.
    var workingPrice: FIXDecimal?
    var exposurePrice: Int128 = 0
    var notional: Int128 = 0
}

/// The limits at the five scopes an order falls under (0 firm, 1 account, 2 session, 3 root,
/// 4 symbol), as ids into the engine's `limitTable`, fetched once per check.
struct ScopeSet {
    let firm: LimitsID
    let account: LimitsID
    let session: LimitsID
    let root: LimitsID
    let symbol: LimitsID

    /// The id at a slot as an index into `limitTable`, −1 when the scope has no limits.
    @inline(__always)
    subscript(slot: Int) -> Int {
        switch slot {
        case 0: Int(firm)
        case 1: Int(account)
        case 2: Int(session)
        case 3: Int(root)
        default: Int(symbol)
        }
    }
}

/// A duplicate-window entry written during a check, undone if a later control rejects the order.
struct SignatureWrite {
    let signature: OrderSignature
    let previous: Int64?
}

extension RiskEngine {
    @inline(__always)
    func scopeSet(_ context: Context) -> ScopeSet {
        ScopeSet(firm: owners[0].limits,
                 account: context.account >= 0 ? owners[context.account].limits : -1,
                 session: context.session >= 0 ? owners[context.session].limits : -1,
                 root: context.root >= 0 ? roots[context.root].limits : -1,
                 symbol: context.symbol >= 0 ? symbols[context.symbol].limits : -1)
    }

    /// Whether a session that lists its accounts lists this one (an account never seen is not listed).
    @inline(__always)
    func isPermitted(_ account: String, session: Int) -> Bool {
        guard owners[session].permittedAccounts != nil else { return true }
        guard let id = accountIndex[account] else { return false }
        return owners[session].permittedAccounts!.contains(id)
    }

    // MARK: New orders

    /// Runs every control on a new order. Accepted, the order counts as working under `order.key`
    /// at once (with its capped price if it was a market or stop order).
    ///
    /// An order resolved by this engine (`resolve(_:)`) is checked on its ids and hashes; any
    /// other is resolved here, name by name, as it is reached.
    public mutating func check(_ order: RiskOrder, now: Int64) -> RiskDecision {
        RiskDecision(order, verdict(order, now: now), time: now)
    }

    /// The same check, returning only what was decided (``RiskVerdict``): the order is not
    /// copied into the result, which the order path reads as it is. `RiskDecision(order,
    /// verdict, time: now)` is what ``check(_:now:)-(RiskOrder,_)`` returns.
    public mutating func verdict(_ order: borrowing RiskOrder, now: Int64) -> RiskVerdict {
        var notes = DecisionNotes()
        let rejection = checkNew(order, now: now, notes: &notes)
        return RiskVerdict(rejection: rejection, notes: notes)
    }

    /// The controls of `check(_:now:)`: `nil` when the order is accepted (and now working).
    mutating func checkNew(_ order: borrowing RiskOrder, now: Int64, notes: inout DecisionNotes) -> RiskRejection? {
        let ids = order.resolved.engine == tag ? order.resolved : .none
        let session = ids.session >= 0 ? Int(ids.session) : sessionOwner(order.session)
        let permitted = ids.account >= 0
            ? isPermitted(account: Int(ids.account), session: session) : isPermitted(order.account, session: session)
        if !permitted {
            // Not interned: an account the session may not use gets no record of its own.
            let context = Context(account: -1, session: session, symbol: -1, root: -1)
            let throttled = throttle(context, isOrder: true, now: now, notes: &notes)
            return throttled ?? unknownAccountRejection(order.account, session: session)
        }
        let account = ids.account >= 0 ? Int(ids.account) : accountOwner(order.account)
        var context = Context(account: account, session: session, symbol: -1, root: -1)
        if let rejection = throttle(context, isOrder: true, now: now, notes: &notes) {
            return rejection
        }
        let root: Int
        if ids.root >= 0 {
            root = Int(ids.root)
        } else if let known = rootIndex[order.root] {
            root = known
        } else {
            return unknownInstrumentRejection(order.symbol, root: order.root)
        }
        context.root = root
        context.symbol = ids.symbol >= 0 ? Int(ids.symbol) : internSymbol(order.symbol, root: root)
        if let rejection = validate(quantity: order.quantity, type: order.type, price: order.price, stopPrice: order.stopPrice) {
            return rejection
        }
        let clOrdIDHash = ids.engine != 0 ? ids.clOrdIDHash : ClOrdIDHash.of(order.clOrdID)
        if !clOrdIDs.insert(session: session, order.clOrdID, hash: clOrdIDHash) {
            return duplicateClOrdID(order.clOrdID, session: session)
        }
        let scopes = scopeSet(context)
        var intent = Intent(context: context, side: order.side, type: order.type, quantity: order.quantity,
                            price: order.price, stopPrice: order.stopPrice, leaves: order.quantity)
        let signature = duplicateHorizon == nil ? nil : OrderSignature(
            account: account, symbol: context.symbol, side: order.side, type: order.type, quantity: order.quantity,
            price: order.price.map(Fixed.raw) ?? 0, stopPrice: order.stopPrice.map(Fixed.raw) ?? 0)
        var written: SignatureWrite?
        if let rejection = evaluate(&intent, scopes, &notes, signature: signature, written: &written, now: now) {
            undo(written)
            return rejection
        }
        var working = WorkingOrder(
            key: order.key, clOrdID: order.clOrdID, account: account, session: session, symbol: context.symbol,
            root: root, side: order.side, type: order.type, price: intent.workingPrice,
            exposurePrice: intent.exposurePrice, stopPrice: order.stopPrice, timeInForce: order.timeInForce,
            orderQuantity: order.quantity)
        recount(&working)
        let rests = working.rests
        // One hash on the way in; a key already working (a gateway bug) is left as it was and refused.
        let keyHash = ids.engine != 0 ? ids.keyHash : NameHash.of(order.key.value)
        if var refused = orders.insertNew(consume working, forKey: order.key, hash: keyHash) {
            removeCounted(&refused)
            undo(written)
            return keyAlreadyWorking(order.key)
        }
        if rests {
            owners[account].resting[context.symbol].add(order.side, price: intent.exposurePrice)
        }
        if !levels.isEmpty || anyPositionOrNotionalAboveNormal(context, scopes) {
            evaluateWarnings(context, scopes, positions: true, notional: true, loss: false, rates: false, now: now,
                             into: &notes.warnings)
        }
        return nil
    }

    /// Whether a session that lists its accounts lists this one (by its owner id).
    @inline(__always)
    func isPermitted(account: Int, session: Int) -> Bool {
        guard owners[session].permittedAccounts != nil else { return true }
        return owners[session].permittedAccounts!.contains(account)
    }

    @inline(never)
    func unknownInstrumentRejection(_ symbol: String, root: String) -> RiskRejection {
        RiskRejection(
            check: .invalidOrder, scope: nil, limit: nil, value: nil, ordRejReason: .unknownSymbol,
            text: "invalid order: unknown instrument \(symbol) (no contract for root \(root))")
    }

    @inline(never)
    func keyAlreadyWorking(_ key: RiskOrderKey) -> RiskRejection {
        RiskRejection(
            check: .invalidOrder, scope: nil, limit: nil, value: nil, ordRejReason: .other,
            text: "invalid order: order key \(key) is already working")
    }

    // MARK: Replaces

    /// Runs the controls on a cancel/replace: per-order limits on the new values, exposure limits
    /// on the increase over what the order already counts for. Accepted, the order counts for the
    /// larger of its old and new exposure until `orderReplaced` or `replaceRejected`.
    public mutating func check(_ replace: RiskReplace, now: Int64) -> RiskDecision {
        let original = orders[replace.key]
        // No `original.map(workingInfo)`: a method reference would copy the whole engine.
        var info: RiskWorkingOrder?
        if let original { info = workingInfo(original) }
        let input: RiskDecision.Input = .replace(replace, original: info)
        var notes = DecisionNotes()
        let session = sessionOwner(replace.session)
        var context = Context(account: original?.account ?? -1, session: session, symbol: -1, root: -1)
        if let rejection = throttle(context, isOrder: true, now: now, notes: &notes) {
            return RiskDecision(input: input, time: now, rejection: rejection, notes: notes)
        }
        guard let original else {
            return RiskDecision(input: input, time: now, notes: notes, rejection: RiskRejection(
                check: .invalidOrder, scope: nil, limit: nil, value: nil, ordRejReason: .unknownOrder,
                cxlRejReason: .unknownOrder, text: "invalid order: no working order \(replace.key) to replace"))
        }
        context.symbol = original.symbol
        context.root = original.root
        if original.pending != nil {
            return RiskDecision(input: input, time: now, notes: notes, rejection: RiskRejection(
                check: .invalidOrder, scope: nil, limit: nil, value: nil, ordRejReason: .other,
                cxlRejReason: .alreadyPending,
                text: "invalid order: order \(replace.key) already has a replace pending"))
        }
        if let rejection = validate(quantity: replace.quantity, type: replace.type, price: replace.price,
                                    stopPrice: replace.stopPrice) {
            return RiskDecision(input: input, time: now, rejection: rejection, notes: notes)
        }
        if !clOrdIDs.insert(session: session, replace.clOrdID) {
            return RiskDecision(input: input, time: now, rejection: duplicateClOrdID(replace.clOrdID, session: session), notes: notes)
        }
        let scopes = scopeSet(context)
        var intent = Intent(context: context, side: original.side, type: replace.type, quantity: replace.quantity,
                            price: replace.price, stopPrice: replace.stopPrice,
                            leaves: max(0, replace.quantity - original.filledQuantity),
                            countedQuantity: original.countedQuantity, countedNotional: original.countedNotional,
                            replacing: replace.key)
        var written: SignatureWrite?
        if let rejection = evaluate(&intent, scopes, &notes, signature: nil, written: &written, now: now) {
            return RiskDecision(input: input, time: now, rejection: rejection, notes: notes)
        }
        var working = original
        working.pending = PendingReplace(
            clOrdID: replace.clOrdID, type: replace.type, price: intent.workingPrice,
            exposurePrice: intent.exposurePrice, stopPrice: replace.stopPrice,
            timeInForce: replace.timeInForce ?? original.timeInForce, orderQuantity: replace.quantity)
        recount(&working)
        orders[replace.key] = working
        evaluateWarnings(context, scopes, positions: true, notional: true, loss: false, rates: false, now: now,
                         into: &notes.warnings)
        return RiskDecision(input: input, time: now, rejection: nil, notes: notes)
    }

    // MARK: Cancels

    /// Cancels always pass; they count toward the message throttle, and a session far above it is
    /// told to log out.
    public mutating func check(_ cancel: RiskCancel, now: Int64) -> RiskDecision {
        let original = orders[cancel.key]
        var info: RiskWorkingOrder?
        if let original { info = workingInfo(original) }
        let input: RiskDecision.Input = .cancel(cancel, original: info)
        var notes = DecisionNotes()
        let context = Context(account: original?.account ?? -1, session: sessionOwner(cancel.session), symbol: -1, root: -1)
        _ = throttle(context, isOrder: false, now: now, notes: &notes)
        return RiskDecision(input: input, time: now, rejection: nil, notes: notes)
    }

    // MARK: The controls

    func validate(quantity: Int64, type: OrderType, price: FIXDecimal?, stopPrice: FIXDecimal?) -> RiskRejection? {
        if quantity <= 0 {
            return RiskRejection(check: .invalidOrder, scope: nil, limit: nil, value: FIXDecimal(mantissa: quantity),
                                 ordRejReason: .incorrectQuantity,
                                 text: "invalid order: quantity must be a positive number of contracts, got \(quantity)")
        }
        if type.needsPrice, price == nil {
            return RiskRejection(check: .invalidOrder, scope: nil, limit: nil, value: nil,
                                 ordRejReason: .unsupportedOrderCharacteristic,
                                 text: "invalid order: a \(type.name) order needs a limit price")
        }
        if type.needsStopPrice, stopPrice == nil {
            return RiskRejection(check: .invalidOrder, scope: nil, limit: nil, value: nil,
                                 ordRejReason: .unsupportedOrderCharacteristic,
                                 text: "invalid order: a \(type.name) order needs a stop price")
        }
        return nil
    }

    @inline(never)
    func duplicateClOrdID(_ clOrdID: String, session: Int) -> RiskRejection {
        RiskRejection(check: .duplicateClOrdID, scope: owners[session].scope, limit: nil, value: nil,
                      ordRejReason: .duplicateOrder,
                      text: "duplicate ClOrdID: \(clOrdID) was already used on session \(owners[session].name) today")
    }

    /// Counts one message (and one order) against every throttle configured for the firm, the
    /// account and the session, then reports the first one exceeded. A message far above a limit
    /// sets `logoutSession`.
    mutating func throttle(_ context: Context, isOrder: Bool, now: Int64, notes: inout DecisionNotes) -> RiskRejection? {
        var rejection: RiskRejection?
        let quiet = levels.isEmpty
        for slot in 0..<3 {
            let index = slot == 0 ? 0 : (slot == 1 ? context.account : context.session)
            guard index >= 0 else { continue }
            let id = Int(owners[index].limits)
            guard id >= 0 else { continue }
            // The message throttle, then (for orders) the order throttle: each ring is a stored
            // field updated in place through one inout access (`count`), which answers whether
            // it is over its limit and the level to report, if any.
            if let rate = limitTable[id].messageRate, owners[index].messageRate != nil {
                let levels = limitTable[id].messageRateLevels
                let (over, level) = Self.count(&owners[index].messageRate!, rate, levels,
                                               lowest: limitTable[id].messageRateLowest, quiet: quiet, now: now,
                                               logout: &notes.logoutSession)
                if over, rejection == nil, isOrder {
                    rejection = rateRejection(index, rate, .messageRate, now)
                }
                if let level {
                    crossing(.messageRate, id, slot, context, owner: index, instrument: -1, level: level, now: now,
                             &notes.warnings)
                }
            }
            if isOrder, let rate = limitTable[id].orderRate, owners[index].orderRate != nil {
                let levels = limitTable[id].orderRateLevels
                let (over, level) = Self.count(&owners[index].orderRate!, rate, levels,
                                               lowest: limitTable[id].orderRateLowest, quiet: quiet, now: now,
                                               logout: &notes.logoutSession)
                if over, rejection == nil {
                    rejection = rateRejection(index, rate, .orderRate, now)
                }
                if let level {
                    crossing(.orderRate, id, slot, context, owner: index, instrument: -1, level: level, now: now,
                             &notes.warnings)
                }
            }
        }
        return rejection
    }

    /// Counts one message in a throttle's ring; then whether the ring is over its limit (far
    /// above it, `logout` is set), and the utilisation level to report (`nil`: none to report).
    ///
    /// Below its lowest threshold a throttle is neither over its limit nor at a level, and with
    /// no level raised anywhere (`quiet`) there is nothing to re-arm: one read of the ring
    /// instead of one per threshold (its times never decrease).
    @inline(__always)
    static func count(_ ring: inout RateWindow, _ rate: RateLimit, _ levels: Thresholds?, lowest: Int, quiet: Bool,
                      now: Int64, logout: inout Bool) -> (over: Bool, level: UtilisationLevel?) {
        ring.record(now)
        if quiet && !ring.atLeast(lowest, after: now &- rate.windowNanos) { return (false, nil) }
        let over = overLimit(ring, rate, now, &logout)
        guard let levels else { return (over, nil) }
        let level = rateLevel(ring, rate, levels, now: now)
        return (over, level != .normal || !quiet ? level : nil)
    }

    /// The smallest count in the window at which a throttle does anything: its logout
    /// threshold, its limit, or its warning level (a threshold below one never holds).
    @inline(__always)
    static func lowest(_ rate: RateLimit, _ levels: Thresholds?) -> Int {
        var lowest = Int.max
        func consider(_ threshold: Int) { if threshold >= 1 && threshold < lowest { lowest = threshold } }
        consider(rate.limit &+ 1)
        if let logoutAbove = rate.logoutAbove { consider(logoutAbove &+ 1) }
        if let levels { consider(Int(clamping: levels.warning)) }
        return lowest
    }

    /// Over the limit (and, far above it, marks the session for logout).
    @inline(__always)
    private static func overLimit(_ ring: borrowing RateWindow, _ rate: RateLimit, _ now: Int64,
                                  _ logout: inout Bool) -> Bool {
        let cutoff = now &- rate.windowNanos
        if let logoutAbove = rate.logoutAbove, ring.atLeast(logoutAbove + 1, after: cutoff) {
            logout = true
        }
        return ring.atLeast(rate.limit + 1, after: cutoff)
    }

    @inline(never)
    private func rateRejection(_ owner: Int, _ rate: RateLimit, _ check: RiskCheck, _ now: Int64) -> RiskRejection {
        let ring = (check == .orderRate ? owners[owner].orderRate : owners[owner].messageRate) ?? RateWindow(capacity: 1)
        let cutoff = now &- rate.windowNanos
        let count = ring.count(after: cutoff)
        let noun = check == .orderRate ? "orders" : "messages"
        let scope = owners[owner].scope
        // The ring holds twice the largest threshold: when it is full, that many is a floor.
        let counted = count == ring.capacity ? "at least \(count)" : "\(count)"
        var text = "\(check.label): \(counted) \(noun) in \(Self.duration(rate.windowNanos)), limit \(rate.limit) (\(scope))"
        if let logoutAbove = rate.logoutAbove, ring.atLeast(logoutAbove + 1, after: cutoff) {
            text += "; above \(logoutAbove): log the session out"
        }
        return RiskRejection(check: check, scope: scope, limit: FIXDecimal(rate.limit), value: FIXDecimal(count),
                             ordRejReason: .other, text: text)
    }

    mutating func undo(_ written: SignatureWrite?) {
        guard let written else { return }
        if let previous = written.previous {
            recentSignatures[written.signature] = previous
        } else {
            recentSignatures.removeValue(forKey: written.signature)
        }
    }

    /// Every control after the request itself is known to be well formed, in a fixed order:
    /// kill switches, trading states, restrictions and hours, duplicates, prices, size and value,
    /// collars, exposure (states, positions, credit, loss), self-trade.
    ///
    /// Records are read in place (`owners[id]`, `limitTable[id]`, `symbols[id]`): nothing is
    /// copied out of the tables, so nothing is reference counted.
    mutating func evaluate(_ intent: inout Intent, _ scopes: ScopeSet, _ notes: inout DecisionNotes,
                           signature: OrderSignature?, written: inout SignatureWrite?, now: Int64) -> RiskRejection? {
        let context = intent.context
        let account = context.account
        let session = context.session
        let symbol = context.symbol
        let root = context.root
        if owners[0].killed || owners[account].killed || owners[session].killed {
            let owner = owners[0].killed ? 0 : owners[account].killed ? account : session
            return killSwitchRejection(owner)
        }
        if owners[0].tradingState == .halted || owners[account].tradingState == .halted {
            let owner = owners[0].tradingState == .halted ? 0 : account
            return RiskRejection(check: .tradingState, scope: owners[owner].scope, limit: nil, value: nil,
                                 ordRejReason: .brokerOption,
                                 text: "trading state: \(owners[owner].scope) is HALTED; only cancels are accepted")
        }
        for slot in 0..<5 {
            let id = scopes[slot]
            guard id >= 0 else { continue }
            if limitTable[id].restricted {
                let scope = limitTable[id].scope
                let isAccount = slot == 1 || slot == 2
                let what = isAccount ? "\(scope) may not trade" : "\(symbols[symbol].name) may not be traded"
                let check: RiskCheck = isAccount ? .restrictedAccount : .restrictedInstrument
                return RiskRejection(check: check, scope: scope, limit: nil, value: nil,
                                     ordRejReason: .brokerOption,
                                     text: "\(check.label): \(what) (\(scope) is restricted)")
            }
            if limitTable[id].hasHours, !limitTable[id].isOpen(now) {
                let hours = limitTable[id].hours!
                return RiskRejection(check: .tradingHours, scope: limitTable[id].scope, limit: nil, value: nil,
                                     ordRejReason: .exchangeClosed,
                                     text: "trading hours: \(symbols[symbol].name) is closed at \(hours.describe(now)), hours \(hours.window) (\(limitTable[id].scope))")
            }
        }
        if let signature {
            rotateSignatures(now: now)
            // Written now (one hash); undone if this or a later control rejects the order.
            let recent = recentSignatures.updateValue(now, forKey: signature)
            written = SignatureWrite(signature: signature, previous: recent)
            if let previous = recent ?? olderSignatures[signature] {
                let age = now - previous
                for slot in 0..<5 {
                    let id = scopes[slot]
                    guard id >= 0, let window = limitTable[id].duplicateWindow, age <= window else { continue }
                    let price = intent.price.map { " at \($0)" } ?? (intent.type == .market ? " at market" : "")
                    let scope = limitTable[id].scope
                    return RiskRejection(
                        check: .duplicateOrder, scope: scope, limit: nil, value: nil, ordRejReason: .duplicateOrder,
                        text: "duplicate order: \(Self.sideName(intent.side)) \(intent.quantity) \(symbols[symbol].name)\(price) for \(owners[account].name) repeats one \(Self.duration(age)) ago, window \(Self.duration(window)) (\(scope))")
                }
            }
        }

        // The price the order can trade at: its own limit, or a cap from market-order protection.
        switch intent.type {
        case .limit, .stopLimit:
            guard let price = intent.price else { return nil }
            intent.workingPrice = price
            intent.exposurePrice = Fixed.raw(price)
        case .market, .stop:
            if let rejection = protect(&intent, scopes, &notes) { return rejection }
        }
        let multiplier = roots[root].multiplier
        intent.notional = Fixed.notional(priceRaw: intent.exposurePrice, quantity: intent.leaves, multiplier: multiplier)

        var orderValue: Int128?
        // What the collars measure: the limit for limit and stop-limit orders, the trigger for a
        // stop; a market order was capped from the best price already.
        let collared: Int128?
        switch intent.type {
        case .limit, .stopLimit: collared = intent.exposurePrice
        case .stop: collared = intent.stopPrice.map(Fixed.raw)
        case .market: collared = nil
        }
        // The price a collar's reject names (read only then; scalars are passed, not the intent,
        // which would be copied at each call).
        let checkedPrice = (intent.type == .stop ? intent.stopPrice : intent.price) ?? .zero
        for slot in 0..<5 {
            let id = scopes[slot]
            guard id >= 0 else { continue }
            if let maxSize = limitTable[id].maxOrderSize, intent.quantity > maxSize {
                let scope = limitTable[id].scope
                return RiskRejection(check: .orderSize, scope: scope, limit: FIXDecimal(mantissa: maxSize),
                                     value: FIXDecimal(mantissa: intent.quantity), ordRejReason: .orderExceedsLimit,
                                     text: "max order size: \(intent.quantity) contracts, limit \(maxSize) (\(scope))")
            }
            if let maxValue = limitTable[id].maxOrderValue {
                // A new order's leaves are its quantity: its value is the notional already worked out.
                let value = orderValue ?? (intent.quantity == intent.leaves ? intent.notional
                    : Fixed.notional(priceRaw: intent.exposurePrice, quantity: intent.quantity, multiplier: multiplier))
                orderValue = value
                if value > maxValue {
                    let scope = limitTable[id].scope
                    let price = intent.workingPrice?.description ?? Fixed.decimal(intent.exposurePrice).description
                    return RiskRejection(
                        check: .orderValue, scope: scope, limit: Fixed.decimal(maxValue), value: Fixed.decimal(value),
                        ordRejReason: .orderExceedsLimit,
                        text: "max order value: \(intent.quantity) × \(price) × \(roots[root].spec.multiplier) = \(Fixed.decimal(value)), limit \(Fixed.decimal(maxValue)) (\(scope))")
                }
            }
            if limitTable[id].hasCollar,
               let rejection = collar(symbol: symbol, root: root, checked: checkedPrice, collared, id, &notes) {
                return rejection
            }
        }

        // Exposure: only what the order adds counts (a replace that shrinks passes).
        let addedQuantity = intent.leaves - intent.countedQuantity
        let addedNotional = intent.notional - intent.countedNotional
        if addedQuantity > 0, owners[0].tradingState == .reducing || owners[account].tradingState == .reducing {
            let owner = owners[0].tradingState == .reducing ? 0 : account
            let position = owners[account].months[symbol].position
            if !isReducing(context, intent.side, addedQuantity) {
                let worst = worstAfter(account, month: symbol, intent.side, addedQuantity)
                return RiskRejection(
                    check: .tradingState, scope: owners[owner].scope, limit: nil, value: FIXDecimal(mantissa: worst),
                    ordRejReason: .brokerOption,
                    text: "trading state: \(owners[owner].scope) is REDUCING; \(Self.sideName(intent.side)) \(addedQuantity) \(symbols[symbol].name) would take \(owners[account].name)'s worst-case position from \(position) to \(worst) (only orders that shrink a position are accepted)")
            }
        }
        for slot in 0..<5 {
            let id = scopes[slot]
            guard id >= 0, limitTable[id].hasExposureLimits else { continue }
            let owner = measuredOwner(slot, context)
            if addedQuantity > 0 {
                if let limit = limitTable[id].maxPositionPerMonth,
                   Self.breaches(worstAfter(owner, month: symbol, intent.side, addedQuantity), intent.side, limit) {
                    return positionRejection(owners[owner].months[symbol], intent, addedQuantity, limit,
                                             instrument: symbols[symbol].name, per: "month", limitTable[id].scope)
                }
                if slot != 4, let limit = limitTable[id].maxPositionPerRoot,
                   Self.breaches(worstAfter(owner, root: root, intent.side, addedQuantity), intent.side, limit) {
                    return positionRejection(owners[owner].roots[root], intent, addedQuantity, limit,
                                             instrument: roots[root].name, per: "root", limitTable[id].scope)
                }
            }
            if addedNotional > 0, let limit = limitTable[id].maxGrossNotional {
                let used = Fixed.add(grossNotional(slot, owner, context), addedNotional)
                if used > limit {
                    let cell = slot == 3 ? owners[owner].roots[root]
                        : slot == 4 ? owners[owner].months[symbol] : owners[owner].total
                    return RiskRejection(
                        check: .creditLimit, scope: limitTable[id].scope, limit: Fixed.decimal(limit), value: Fixed.decimal(used),
                        ordRejReason: .orderExceedsLimit,
                        text: "credit limit: gross notional \(Fixed.decimal(used)) with this order (positions \(Fixed.decimal(cell.positionNotional)), working orders \(Fixed.decimal(cell.workingNotional)), this order \(Fixed.decimal(addedNotional))), limit \(Fixed.decimal(limit)) (\(limitTable[id].scope))")
                }
            }
            if let limit = limitTable[id].dailyLoss, addedQuantity > 0 || addedNotional > 0 {
                let pnl = self.pnl(slot, owner, context)
                if pnl < -limit {
                    let allowReducing = limitTable[id].allowReducingOnLoss
                    let reducing = addedQuantity <= 0 || isReducing(context, intent.side, addedQuantity)
                    if allowReducing && reducing { continue }
                    let rule = allowReducing ? "only orders that reduce a position are accepted" : "new orders are blocked"
                    return RiskRejection(
                        check: .dailyLoss, scope: limitTable[id].scope, limit: Fixed.decimal(-limit), value: Fixed.decimal(pnl),
                        ordRejReason: .brokerOption,
                        text: "daily loss limit: P&L \(Fixed.decimal(pnl)) is below -\(Fixed.decimal(limit)); \(rule) (\(limitTable[id].scope))")
                }
            }
        }
        // The scan (and the copy of the intent it takes) only when the price levels say the
        // order crosses a resting one of its account.
        if !intent.type.needsStopPrice, selfTradeMayCross(context, intent.side, intent.exposurePrice, scopes),
           let rejection = selfTrade(intent, scopes, &notes) {
            return rejection
        }
        return nil
    }

    /// An order for an account its session does not list.
    @inline(never)
    private func unknownAccountRejection(_ account: String, session: Int) -> RiskRejection {
        let permitted = (owners[session].permittedAccounts ?? []).map { owners[$0].name }.sorted()
        let list = permitted.isEmpty ? "no account" : permitted.joined(separator: ", ")
        let named = account.isEmpty ? "an order without an Account" : "account \(account)"
        return RiskRejection(check: .unknownAccount, scope: owners[session].scope, limit: nil, value: nil, ordRejReason: .unknownAccount,
                             text: "unknown account: \(named) is not one \(owners[session].scope) may trade (\(list))")
    }

    @inline(never)
    private func killSwitchRejection(_ owner: Int) -> RiskRejection? {
        guard let record = owners[owner].killSwitch else { return nil }
        let reason = record.reason.isEmpty ? "" : " (\(record.reason))"
        return RiskRejection(
            check: .killSwitch, scope: owners[owner].scope, limit: nil, value: nil, ordRejReason: .brokerOption,
            text: "kill switch: \(owners[owner].scope) engaged by \(record.engagedBy) at \(Self.timestamp(record.engagedAt))\(reason); new orders are blocked until it is released")
    }

    /// Market orders cap at the best price on the other side ± protection; stops at the stop
    /// price ± protection. With protection at several scopes the tightest cap wins.
    /// `mutating` though it changes nothing in the engine, for the reason `collar` is.
    private mutating func protect(_ intent: inout Intent, _ scopes: ScopeSet, _ notes: inout DecisionNotes) -> RiskRejection? {
        let buy = intent.side == .buy
        let symbol = intent.context.symbol
        let root = intent.context.root
        let base: Int128? = intent.type == .market
            ? Self.first(buy ? symbols[symbol].ask : symbols[symbol].bid, symbols[symbol].last, symbols[symbol].settlement)
            : intent.stopPrice.map(Fixed.raw)
        var cap: Int128?
        for slot in 0..<5 {
            let id = scopes[slot]
            guard id >= 0, limitTable[id].hasProtection else { continue }
            guard let base else {
                let scope = limitTable[id].scope
                return RiskRejection(
                    check: .marketProtection, scope: scope, limit: nil, value: nil, ordRejReason: .other,
                    text: "market-order protection: no best, last or settlement price for \(symbols[symbol].name) to cap a market \(Self.sideName(intent.side)) (\(scope))")
            }
            let width = limitTable[id].protectionPoints
                ?? Fixed.multiply(Int128(limitTable[id].protectionTicks ?? 0), roots[root].tick)
            let price = Self.roundToTick(buy ? Fixed.add(base, width) : Fixed.add(base, -width), tick: roots[root].tick, down: buy)
            cap = cap.map { buy ? Swift.min($0, price) : Swift.max($0, price) } ?? price
        }
        guard let cap else {
            return RiskRejection(
                check: .marketProtection, scope: nil, limit: nil, value: nil, ordRejReason: .unsupportedOrderCharacteristic,
                text: "market-order protection: none configured for \(symbols[symbol].name); \(intent.type.name) orders are not accepted without a cap")
        }
        let price = Fixed.decimal(cap, minimumScale: roots[root].tickScale)
        intent.workingPrice = price
        intent.exposurePrice = cap
        notes.adjustedLimitPrice = price
        // The price capped from, for the journal: the decision says what market it saw.
        if let base {
            notes.protectionBasePrice = Fixed.decimal(base, minimumScale: roots[root].tickScale)
            if intent.type != .market {
                notes.protectionBaseKind = "stop"
            } else if (buy ? symbols[symbol].ask : symbols[symbol].bid) != nil {
                notes.protectionBaseKind = buy ? "ask" : "bid"
            } else {
                notes.protectionBaseKind = symbols[symbol].last != nil ? "last" : "settlement"
            }
        }
        return nil
    }

    /// The limit (stop for a stop order) against the first reference price the gateway supplied.
    ///
    /// `mutating` though it changes nothing: called from a mutating method, a non-mutating one
    /// is passed the engine by value, a 648-byte copy on the stack at each call (four per check
    /// with a collar at four scopes); a mutating one is passed its address.
    private mutating func collar(symbol: Int, root: Int, checked: FIXDecimal, _ collared: Int128?, _ id: Int,
                        _ notes: inout DecisionNotes) -> RiskRejection? {
        guard let price = collared else { return nil }
        var reference: Int128?
        var referenceKind = ReferencePriceKind.last
        for position in 0..<limitTable[id].collarReferenceCount {
            let kind = limitTable[id].collarReference(position)
            if let price = symbols[symbol].reference(kind) {
                reference = price
                referenceKind = kind
                break
            }
        }
        guard let reference else {
            let kinds = limitTable[id].collarReferences.map(\.rawValue).joined(separator: ", ")
            let scope = limitTable[id].scope
            return RiskRejection(check: .priceCollar, scope: scope, limit: nil, value: nil, ordRejReason: .other,
                                 text: "price collar: no reference price (\(kinds)) for \(symbols[symbol].name) (\(scope))")
        }
        if notes.referencePrice == nil {
            notes.referencePrice = referenceKind == .mid
                ? Fixed.decimal(reference, minimumScale: roots[root].tickScale) : symbols[symbol].prices.price(referenceKind)
            notes.referencePriceKind = referenceKind
        }
        let distance = Fixed.add(price, -reference).magnitude
        if let ticks = limitTable[id].collarTicks {
            let band = Fixed.multiply(Int128(ticks), roots[root].tick)
            if distance > UInt128(band) {
                let seen = Fixed.ratio(Int128(distance), roots[root].tick)
                let scope = limitTable[id].scope
                return RiskRejection(
                    check: .priceCollar, scope: scope, limit: FIXDecimal(mantissa: ticks), value: seen,
                    ordRejReason: .orderExceedsLimit,
                    text: "price collar: \(checked) is \(seen) ticks from reference \(Fixed.decimal(reference, minimumScale: roots[root].tickScale)), limit \(ticks) ticks (\(scope))")
            }
        }
        if let percent = limitTable[id].collarPercent {
            // distance × 100 > percent × |reference|, all at scale 8.
            let magnitude = reference < 0 ? -reference : reference
            let left = Fixed.multiply(Int128(distance), 100 * Fixed.one)
            let right = Fixed.multiply(percent, magnitude)
            if left > right {
                let limitText = Fixed.decimal(percent)
                let seen = magnitude == 0 ? nil : Fixed.ratio(Fixed.multiply(Int128(distance), 100), magnitude)
                let seenText = seen.map { "\($0)% from reference \(Fixed.decimal(reference, minimumScale: roots[root].tickScale))" }
                    ?? "off a zero reference"
                let scope = limitTable[id].scope
                return RiskRejection(
                    check: .priceCollar, scope: scope, limit: limitText, value: seen, ordRejReason: .orderExceedsLimit,
                    text: "price collar: \(checked) is \(seenText), limit \(limitText)% (\(scope))")
            }
        }
        return nil
    }

    /// The worst-case signed position of an owner in a month (or root) after adding `added` on `side`.
    @inline(__always)
    func worstAfter(_ owner: Int, month: Int, _ side: Side, _ added: Int64) -> Int64 {
        side == .buy
            ? owners[owner].months[month].position &+ owners[owner].months[month].workingBuy &+ added
            : owners[owner].months[month].position &- owners[owner].months[month].workingSell &- added
    }

    @inline(__always)
    func worstAfter(_ owner: Int, root: Int, _ side: Side, _ added: Int64) -> Int64 {
        side == .buy
            ? owners[owner].roots[root].position &+ owners[owner].roots[root].workingBuy &+ added
            : owners[owner].roots[root].position &- owners[owner].roots[root].workingSell &- added
    }

    /// A buy can only breach on the long side, a sell on the short side.
    @inline(__always)
    static func breaches(_ worst: Int64, _ side: Side, _ limit: Int64) -> Bool {
        side == .buy ? worst > limit : worst < -limit
    }

    /// Only shrinks the account's position in the month: even with every working order on its
    /// side filled, it cannot carry the position through flat.
    @inline(__always)
    func isReducing(_ context: Context, _ side: Side, _ added: Int64) -> Bool {
        let position = owners[context.account].months[context.symbol].position
        let worst = worstAfter(context.account, month: context.symbol, side, added)
        return side == .buy ? position < 0 && worst <= 0 : position > 0 && worst >= 0
    }

    /// Gross notional and P&L are measured on the owner's total, or for root and symbol scopes
    /// on the account's cell in that root or month.
    @inline(__always)
    func grossNotional(_ slot: Int, _ owner: Int, _ context: Context) -> Int128 {
        switch slot {
        case 3: owners[owner].roots[context.root].grossNotional
        case 4: owners[owner].months[context.symbol].grossNotional
        default: owners[owner].total.grossNotional
        }
    }

    @inline(__always)
    func pnl(_ slot: Int, _ owner: Int, _ context: Context) -> Int128 {
        switch slot {
        case 3: owners[owner].roots[context.root].pnl
        case 4: owners[owner].months[context.symbol].pnl
        default: owners[owner].total.pnl
        }
    }

    @inline(never)
    private func positionRejection(_ cell: Cell, _ intent: Intent, _ added: Int64, _ limit: Int64, instrument: String,
                                   per: String, _ scope: RiskScope) -> RiskRejection {
        let worst = Self.worstAfter(cell, intent.side, added)
        let working = intent.side == .buy
            ? "working buys \(cell.workingBuy)" : "working sells \(cell.workingSell)"
        let order = intent.replacing == nil ? "this order \(added)" : "this replace +\(added)"
        return RiskRejection(
            check: .positionLimit, scope: scope, limit: FIXDecimal(mantissa: limit), value: FIXDecimal(mantissa: worst),
            ordRejReason: .orderExceedsLimit,
            text: "position limit: worst-case position \(worst) \(instrument) (position \(cell.position), \(working), \(order)), limit \(limit) per \(per) (\(scope))")
    }

    /// What `selfTrade` tests first: a mode other than off, and a resting price of the account
    /// in the month that the order's price reaches.
    @inline(__always)
    private func selfTradeMayCross(_ context: Context, _ side: Side, _ price: Int128, _ scopes: ScopeSet) -> Bool {
        let accountMode = scopes.account >= 0 ? limitTable[Int(scopes.account)].selfTradePrevention : nil
        let firmMode = scopes.firm >= 0 ? limitTable[Int(scopes.firm)].selfTradePrevention : nil
        let mode = accountMode ?? firmMode ?? .off
        guard mode != .off else { return false }
        return owners[context.account].resting[context.symbol].crosses(side, price: price)
    }

    /// Self-trade prevention: a buy at or above a resting sell of the same account in the same
    /// month (or a sell at or below a resting buy) would trade with itself.
    private func selfTrade(_ intent: Intent, _ scopes: ScopeSet, _ notes: inout DecisionNotes) -> RiskRejection? {
        let context = intent.context
        let accountMode = scopes.account >= 0 ? limitTable[Int(scopes.account)].selfTradePrevention : nil
        let firmMode = scopes.firm >= 0 ? limitTable[Int(scopes.firm)].selfTradePrevention : nil
        let mode = accountMode ?? firmMode ?? .off
        guard mode != .off else { return nil }
        guard owners[context.account].resting[context.symbol].crosses(intent.side, price: intent.exposurePrice) else {
            return nil
        }
        let crossing = restingOrders(crossedBy: intent)
        guard let first = crossing.first else { return nil }
        if mode == .cancelResting {
            notes.cancelResting = crossing.map(\.key)
            return nil
        }
        let scope = accountMode != nil ? owners[context.account].scope : RiskScope.firm
        let price = intent.workingPrice.map(\.description) ?? "market"
        return RiskRejection(
            check: .selfTrade, scope: scope, limit: nil, value: Fixed.decimal(first.price), ordRejReason: .brokerOption,
            text: "self-trade prevention: \(Self.sideName(intent.side)) \(intent.quantity) \(symbols[context.symbol].name) at \(price) would cross working \(Self.sideName(first.side)) \(first.key) at \(Fixed.decimal(first.price)) of account \(owners[context.account].name)")
    }

    /// The account's resting orders in the month that `intent` would trade with, best price
    /// first (then by key, so the listing is stable). A scan of the working orders: it runs
    /// only when the price levels say something crosses. An order never crosses itself (a
    /// replace's own order rests on its own side).
    private func restingOrders(crossedBy intent: Intent) -> [RestingOrder] {
        let buy = intent.side == .buy
        let crossed = orders.values.filter { order in
            order.account == intent.context.account && order.symbol == intent.context.symbol && order.rests
                && order.side != intent.side && order.key != intent.replacing
                && (buy ? order.exposurePrice <= intent.exposurePrice : order.exposurePrice >= intent.exposurePrice)
        }
        return crossed.sorted { a, b in
            a.exposurePrice != b.exposurePrice ? buy == (a.exposurePrice < b.exposurePrice) : a.key.value < b.key.value
        }.map { RestingOrder(key: $0.key, side: $0.side, price: $0.exposurePrice) }
    }

    /// Starts a new generation of duplicate signatures every horizon: what is in the older one
    /// when it is dropped is at least one horizon old, beyond every window.
    mutating func rotateSignatures(now: Int64) {
        guard let horizon = duplicateHorizon else { return }
        let first = generationStart == Int64.min
        guard first || now &- generationStart >= horizon else { return }
        // The two tables trade places and keep their storage: a rotation allocates nothing.
        swap(&olderSignatures, &recentSignatures)
        if first || now &- generationStart >= 2 &* horizon {
            olderSignatures.removeAll()
        }
        recentSignatures.removeAll()
        generationStart = now
    }

    // MARK: Helpers

    /// Worst-case signed position after adding `added` on `side`.
    static func worstAfter(_ cell: Cell, _ side: Side, _ added: Int64) -> Int64 {
        side == .buy ? cell.position &+ cell.workingBuy &+ added : cell.position &- cell.workingSell &- added
    }

    static func roundToTick(_ price: Int128, tick: Int128, down: Bool) -> Int128 {
        guard tick > 0 else { return price }
        var quotient = price / tick
        let remainder = price % tick
        if remainder != 0 {
            if down && remainder < 0 { quotient -= 1 }
            if !down && remainder > 0 { quotient += 1 }
        }
        return Fixed.multiply(quotient, tick)
    }

    @inline(__always)
    static func first(_ a: Int128?, _ b: Int128?, _ c: Int128?) -> Int128? {
        if let a { return a }
        if let b { return b }
        return c
    }

    static func typeCode(_ type: OrderType) -> UInt8 {
        switch type {
        case .market: 1
        case .limit: 2
        case .stop: 3
        case .stopLimit: 4
        }
    }

    static func sideName(_ side: Side) -> String { side == .buy ? "buy" : "sell" }

    /// `500ms`, `1s`, `2.5s`, `3m`.
    static func duration(_ nanos: Int64) -> String {
        if nanos < 1_000_000 { return "\(FIXDecimal(mantissa: nanos, scale: 3).normalized)µs" }
        if nanos < 1_000_000_000 { return "\(FIXDecimal(mantissa: nanos / 1_000, scale: 3).normalized)ms" }
        if nanos < 60_000_000_000 || nanos % 60_000_000_000 != 0 {
            return "\(FIXDecimal(mantissa: nanos / 1_000_000, scale: 3).normalized)s"
        }
        return "\(nanos / 60_000_000_000)m"
    }

    /// `2026-03-02T14:05:00Z` from nanoseconds since the epoch (no calendar, no clock).
    static func timestamp(_ nanos: Int64) -> String {
        let seconds = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3_600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60))Z"
    }
}
