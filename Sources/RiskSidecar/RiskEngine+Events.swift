import FIXCodec
import Instruments

/// What the gateway reports back: acknowledgements, replaces, fills, cancels, P&L and prices.
/// The sidecar keeps positions and working orders from these alone.
extension RiskEngine {
    // MARK: Order life cycle

    /// The venue acknowledged an order the sidecar accepted (it already counts as working).
    @discardableResult
    public mutating func orderAccepted(key: RiskOrderKey) -> Bool {
        orders.modify(key) { $0.acknowledged = true }
    }

    /// Adds a working order the sidecar did not check (after a restart, or entered elsewhere).
    /// `order.price` is the limit working at the venue; a market order without one counts at the mark.
    @discardableResult
    public mutating func restoreWorkingOrder(_ order: RiskOrder, filledQuantity: Int64 = 0, acknowledged: Bool = true) -> Bool {
        guard orders[order.key] == nil, let root = rootIndex[order.root] else { return false }
        let symbol = internSymbol(order.symbol, root: root)
        let account = accountOwner(order.account)
        let session = sessionOwner(order.session)
        let price = order.price ?? (order.type == .stop ? order.stopPrice : nil)
        var working = WorkingOrder(
            key: order.key, clOrdID: order.clOrdID, account: account, session: session, symbol: symbol, root: root,
            side: order.side, type: order.type, price: order.price,
            exposurePrice: price.map(Fixed.raw) ?? symbols[symbol].mark ?? 0, stopPrice: order.stopPrice,
            timeInForce: order.timeInForce, orderQuantity: order.quantity, filledQuantity: filledQuantity,
            acknowledged: acknowledged)
        _ = clOrdIDs.insert(session: session, order.clOrdID)
        recount(&working)
        if working.rests {
            owners[account].resting[symbol].add(order.side, price: working.exposurePrice)
        }
        orders[order.key] = working
        return true
    }

    /// The venue confirmed the replace the sidecar accepted: the new quantity and price now count.
    @discardableResult
    public mutating func orderReplaced(key: RiskOrderKey, now: Int64) -> [RiskWarning] {
        guard var order = orders[key], let pending = order.pending else { return [] }
        let restedBefore = order.rests
        let restedAt = order.exposurePrice
        order.clOrdID = pending.clOrdID
        order.type = pending.type
        order.price = pending.price
        order.exposurePrice = pending.exposurePrice
        order.stopPrice = pending.stopPrice
        order.timeInForce = pending.timeInForce
        order.orderQuantity = pending.orderQuantity
        order.pending = nil
        recount(&order)
        if restedBefore { owners[order.account].resting[order.symbol].remove(order.side, price: restedAt) }
        if order.leaves == 0 {
            removeCounted(&order)
            orders[key] = nil
        } else {
            if order.rests {
                owners[order.account].resting[order.symbol].add(order.side, price: order.exposurePrice)
            }
            orders[key] = order
        }
        var warnings: [RiskWarning] = []
        evaluateWarnings(context(of: order), scopeSet(context(of: order)), positions: true, notional: true, loss: false, rates: false, now: now,
                         into: &warnings)
        return warnings
    }

    /// The venue refused the replace: the order counts for its old quantity and price again.
    @discardableResult
    public mutating func replaceRejected(key: RiskOrderKey, now: Int64) -> [RiskWarning] {
        guard var order = orders[key], order.pending != nil else { return [] }
        order.pending = nil
        recount(&order)
        orders[key] = order
        var warnings: [RiskWarning] = []
        evaluateWarnings(context(of: order), scopeSet(context(of: order)), positions: true, notional: true, loss: false, rates: false, now: now,
                         into: &warnings)
        return warnings
    }

    /// A fill (LastQty, LastPx): the position moves and the order's leaves shrink; a fully filled
    /// order stops working.
    @discardableResult
    public mutating func orderFilled(key: RiskOrderKey, quantity: Int64, price: FIXDecimal, now: Int64) -> [RiskWarning] {
        guard var order = orders[key], quantity > 0 else { return [] }
        order.filledQuantity += quantity
        recount(&order)
        let delta = order.side.sign * quantity
        symbols[order.symbol].lastFill = Fixed.raw(price)
        changePosition(0, order.symbol, delta)
        changePosition(order.account, order.symbol, delta)
        changePosition(order.session, order.symbol, delta)
        updateMark(order.symbol)
        let pendingLeaves = order.pending.map { max(0, $0.orderQuantity - order.filledQuantity) } ?? 0
        if order.leaves == 0 && pendingLeaves == 0 {
            removeCounted(&order)
            if order.rests { owners[order.account].resting[order.symbol].remove(order.side, price: order.exposurePrice) }
            orders[key] = nil
        } else {
            orders[key] = order
        }
        var warnings: [RiskWarning] = []
        evaluateWarnings(context(of: order), scopeSet(context(of: order)), positions: true, notional: true, loss: false, rates: false, now: now,
                         into: &warnings)
        return warnings
    }

    /// Cancelled, rejected by the venue, expired or otherwise done: the order stops counting.
    @discardableResult
    public mutating func orderDone(key: RiskOrderKey, now: Int64) -> Bool {
        guard var order = orders.removeValue(forKey: key) else { return false }
        removeCounted(&order)
        if order.rests { owners[order.account].resting[order.symbol].remove(order.side, price: order.exposurePrice) }
        var warnings: [RiskWarning] = []
        evaluateWarnings(context(of: order), scopeSet(context(of: order)), positions: true, notional: true, loss: false, rates: false, now: now,
                         into: &warnings)
        return true
    }

    /// Sets an account's position in a month (start of day, or fills the sidecar did not see).
    public mutating func setPosition(account: String, symbol: String, root: String, quantity: Int64) {
        guard let symbolIndex = resolveSymbol(symbol, root: root) else { return }
        let owner = accountOwner(account)
        let delta = quantity - owners[owner].months[symbolIndex].position
        changePosition(0, symbolIndex, delta)
        changePosition(owner, symbolIndex, delta)
    }

    // MARK: Market data and P&L

    /// The reference prices of a month (the full set: a `nil` field is unknown). Positions are
    /// revalued at last, else mid, else settlement.
    @discardableResult
    public mutating func updateReferencePrices(_ prices: ReferencePrices, symbol: String, root: String, now: Int64) -> [RiskWarning] {
        guard let index = resolveSymbol(symbol, root: root) else { return [] }
        symbols[index].prices = prices
        symbols[index].last = prices.last.map(Fixed.raw)
        symbols[index].bid = prices.bid.map(Fixed.raw)
        symbols[index].ask = prices.ask.map(Fixed.raw)
        symbols[index].settlement = prices.settlement.map(Fixed.raw)
        updateMark(index)
        var warnings: [RiskWarning] = []
        for holder in symbols[index].holders.sorted() where owners[holder].kind != .firm {
            let isAccount = owners[holder].kind == .account
            let context = Context(account: isAccount ? holder : -1, session: isAccount ? -1 : holder, symbol: index,
                                  root: symbols[index].root)
            evaluateWarnings(context, scopeSet(context), positions: false, notional: true, loss: false, rates: false, now: now, into: &warnings)
        }
        return warnings
    }

    /// Today's realised + unrealised P&L of an account, in one month (`symbol` and `root`) or for
    /// the whole account (`symbol` nil). Each push replaces the last one for the same account and month.
    @discardableResult
    public mutating func updatePnL(account: String, symbol: String? = nil, root: String? = nil,
                                   realised: FIXDecimal, unrealised: FIXDecimal, now: Int64) -> [RiskWarning] {
        let owner = accountOwner(account)
        let value = Fixed.add(Fixed.raw(realised), Fixed.raw(unrealised))
        var context = Context(account: owner, session: -1, symbol: -1, root: -1)
        if let symbol, let index = resolveSymbol(symbol, root: root) {
            let rootIndex = symbols[index].root
            let delta = value &- owners[owner].months[index].pnl
            for target in [0, owner] {
                owners[target].months[index].pnl &+= delta
                owners[target].roots[rootIndex].pnl &+= delta
                owners[target].total.pnl &+= delta
            }
            context.symbol = index
            context.root = rootIndex
        } else {
            let delta = value &- owners[owner].unattributedPnL
            owners[owner].unattributedPnL = value
            owners[owner].total.pnl &+= delta
            owners[0].total.pnl &+= delta
        }
        var warnings: [RiskWarning] = []
        evaluateWarnings(context, scopeSet(context), positions: false, notional: false, loss: true, rates: false, now: now, into: &warnings)
        return warnings
    }

    /// A new trading day: ClOrdIDs may be used again, duplicate history and P&L start from zero,
    /// and what each OMS session entered counts from zero (a session's limits are per day).
    /// The firm's and accounts' positions and working GTC/GTD orders carry over.
    public mutating func startNewDay() {
        recentSignatures.removeAll()
        olderSignatures.removeAll()
        for index in owners.indices where owners[index].kind == .session {
            for symbol in symbols.indices where owners[index].months[symbol].position != 0 {
                changePosition(index, symbol, -owners[index].months[symbol].position)
            }
        }
        clOrdIDs.removeAll()
        for index in owners.indices {
            owners[index].unattributedPnL = 0
            owners[index].total.pnl = 0
            for month in owners[index].months.indices { owners[index].months[month].pnl = 0 }
            for root in owners[index].roots.indices { owners[index].roots[root].pnl = 0 }
        }
        levels = levels.filter { $0.key.kind != .dailyLoss }
    }

    // MARK: Bookkeeping

    func context(of order: WorkingOrder) -> Context {
        Context(account: order.account, session: order.session, symbol: order.symbol, root: order.root)
    }

    /// What an order counts for: its leaves at its price, or during a pending replace the larger
    /// of old and new.
    @inline(__always)
    func counted(_ order: borrowing WorkingOrder) -> (quantity: Int64, notional: Int128) {
        let multiplier = roots[order.root].multiplier
        var quantity = order.leaves
        var notional = Fixed.notional(priceRaw: order.exposurePrice, quantity: quantity, multiplier: multiplier)
        if let pending = order.pending {
            let pendingQuantity = max(0, pending.orderQuantity - order.filledQuantity)
            quantity = max(quantity, pendingQuantity)
            notional = max(notional, Fixed.notional(priceRaw: pending.exposurePrice, quantity: pendingQuantity,
                                                    multiplier: multiplier))
        }
        return (quantity, notional)
    }

    /// Brings the cells in line with what the order counts for now.
    mutating func recount(_ order: inout WorkingOrder) {
        let (quantity, notional) = counted(order)
        addWorking(order.side, order.account, order.session, order.symbol, order.root,
                   quantity - order.countedQuantity, notional &- order.countedNotional)
        order.countedQuantity = quantity
        order.countedNotional = notional
    }

    mutating func removeCounted(_ order: inout WorkingOrder) {
        addWorking(order.side, order.account, order.session, order.symbol, order.root,
                   -order.countedQuantity, 0 &- order.countedNotional)
        order.countedQuantity = 0
        order.countedNotional = 0
    }

    private mutating func addWorking(_ side: Side, _ account: Int, _ session: Int, _ symbol: Int, _ root: Int,
                                     _ quantity: Int64, _ notional: Int128) {
        guard quantity != 0 || notional != 0 else { return }
        addWorking(0, side, symbol, root, quantity, notional)
        addWorking(account, side, symbol, root, quantity, notional)
        addWorking(session, side, symbol, root, quantity, notional)
    }

    /// Updates the owner's cells in place, through the tables' modify accessors.
    @inline(__always)
    private mutating func addWorking(_ owner: Int, _ side: Side, _ symbol: Int, _ root: Int, _ quantity: Int64,
                                     _ notional: Int128) {
        owners[owner].months[symbol].addWorking(side, quantity, notional)
        owners[owner].roots[root].addWorking(side, quantity, notional)
        owners[owner].total.workingNotional &+= notional
    }

    mutating func changePosition(_ owner: Int, _ symbol: Int, _ delta: Int64) {
        guard delta != 0 else { return }
        let root = symbols[symbol].root
        owners[owner].months[symbol].position &+= delta
        owners[owner].roots[root].position &+= delta
        if owners[owner].months[symbol].position == 0 {
            symbols[symbol].holders.remove(owner)
        } else {
            symbols[symbol].holders.insert(owner)
        }
        revalue(owner, symbol)
    }

    /// Position notional of one owner in one month at the current mark, carried into root and total.
    mutating func revalue(_ owner: Int, _ symbol: Int) {
        let root = symbols[symbol].root
        let position = owners[owner].months[symbol].position
        let value = symbols[symbol].mark.map {
            Fixed.notional(priceRaw: $0, quantity: Int64(clamping: position.magnitude), multiplier: roots[root].multiplier)
        } ?? 0
        let delta = value &- owners[owner].months[symbol].positionNotional
        guard delta != 0 else { return }
        owners[owner].months[symbol].positionNotional = value
        owners[owner].roots[root].positionNotional &+= delta
        owners[owner].total.positionNotional &+= delta
    }

    mutating func updateMark(_ symbol: Int) {
        let mark = symbols[symbol].last ?? symbols[symbol].mid ?? symbols[symbol].settlement ?? symbols[symbol].lastFill
        guard mark != symbols[symbol].mark else { return }
        symbols[symbol].mark = mark
        for holder in symbols[symbol].holders { revalue(holder, symbol) }
    }
}
