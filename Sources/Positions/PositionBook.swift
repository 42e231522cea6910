import FIXCodec
import Instruments

/// Positions and P&L per account and symbol, built by applying fills, valued at marks.
///
/// **Average cost, kept exactly.** A position keeps its *cost basis*: the exact signed
/// dollars paid for its open contracts, `Σ qty × price × multiplier`. Adding to a position
/// adds the fill's notional; the average price is only ever derived from it
/// (`costBasis ÷ (quantity × multiplier)`), rounded half-even for display. Reducing a position
/// by `n` of its `N` contracts releases `costBasis × n ÷ N` of the cost — rounded half-even
/// to the cent, the one rounding in the book — and realises
/// `n × exit × multiplier − released` (sign by side). The cent left over by that rounding stays
/// in the cost basis, and closing the last contract releases the cost basis exactly, so over a
/// position's life realised P&L equals its cash flows to the cent: nothing drifts. Unrealised
/// P&L is `quantity × mark × multiplier − costBasis`, exact, which is
/// `(mark − average) × quantity × multiplier` with the unrounded average.
///
/// Flipping through zero closes the whole position (exactly) and opens the rest at the fill
/// price. Fills whose exec id was seen before are ignored, so the journal can be replayed
/// into the book. Negative prices are valid everywhere.
///
/// **Days.** `startDay(settlements:)` rolls the book: realised P&L resets, flat positions go,
/// and carried positions are re-based at the previous settlement (cost basis
/// `quantity × settlement × multiplier`), so day P&L is simply realised + unrealised.
///
/// **Scales.** Money is dollars as `FIXDecimal` with ``moneyScale`` (2) decimals, more only
/// when the inputs have sub-cent value steps (no listed oil contract has). Average prices
/// carry up to ``averagePriceScale`` (8) decimals.
///
/// A value type: the gateway owns one and serialises access to it (an actor or one event loop).
public struct PositionBook: Sendable {
    /// Decimals money amounts carry (cents).
    public static let moneyScale: UInt8 = 2
    /// Decimals a displayed average price is rounded (half-even) to, trailing zeros dropped.
    public static let averagePriceScale: UInt8 = 8
    /// The most decimals a price, mark or settlement may have.
    public static let maxPriceScale: UInt8 = 9
    /// The most decimals a contract multiplier may have.
    public static let maxMultiplierScale: UInt8 = 6

    /// account → symbol → position.
    private var held: [String: [String: PositionState]] = [:]
    /// What each symbol held in the book is: root and multiplier, fixed while it is held.
    private var terms: [String: SymbolTerms] = [:]
    private var marks: [String: PositionMark] = [:]
    private var seenExecIDs: Set<String> = []

    public init() {}

    // MARK: Fills

    /// Applies one fill, or ignores it if its exec id was applied before.
    ///
    /// - Throws: ``PositionsError`` for an empty field, a non-positive quantity, an invalid
    ///   multiplier, a price with too many decimals, a root or multiplier that differs from
    ///   the one held for the symbol, or amounts out of range. The book is unchanged then and
    ///   the exec id is not recorded.
    @discardableResult
    public mutating func apply(_ fill: Fill) throws(PositionsError) -> FillOutcome {
        if seenExecIDs.contains(fill.execID) { return .duplicate }
        try validate(fill)
        let symbolTerms = SymbolTerms(root: fill.root, multiplier: fill.multiplier)
        let state = held[fill.account]?[fill.symbol] ?? PositionState()
        guard let (next, realised) = state.applying(fill) else {
            throw .amountOutOfRange(symbol: fill.symbol, detail: "position after fill \(fill.execID)")
        }
        var mark = marks[fill.symbol] ?? PositionMark(price: fill.price, source: .lastFill)
        if mark.source != .venue { mark = PositionMark(price: fill.price, source: .lastFill) }
        guard Self.valuation(next, at: mark.price, terms: symbolTerms) != nil else {
            throw .amountOutOfRange(symbol: fill.symbol, detail: "valuation after fill \(fill.execID)")
        }
        if mark.price != marks[fill.symbol]?.price {
            // The fill moves the symbol's mark for every account holding it.
            try checkValuations(symbol: fill.symbol, at: mark.price, terms: symbolTerms, except: fill.account)
        }
        terms[fill.symbol] = symbolTerms
        marks[fill.symbol] = mark
        held[fill.account, default: [:]][fill.symbol] = next
        seenExecIDs.insert(fill.execID)
        let position = snapshot(account: fill.account, symbol: fill.symbol, state: next)
        return .applied(realised: Exact.money(realised), position: position)
    }

    /// Whether a fill with this exec id has been applied.
    public func contains(execID: String) -> Bool { seenExecIDs.contains(execID) }

    private func validate(_ fill: Fill) throws(PositionsError) {
        for (name, value) in [("execID", fill.execID), ("account", fill.account), ("symbol", fill.symbol),
                              ("root", fill.root)] where value.isEmpty {
            throw .emptyField(execID: fill.execID, field: name)
        }
        guard fill.quantity > 0 else { throw .nonPositiveQuantity(execID: fill.execID, quantity: fill.quantity) }
        guard fill.multiplier > .zero, fill.multiplier.normalized.scale <= Self.maxMultiplierScale else {
            throw .invalidMultiplier(symbol: fill.symbol, multiplier: fill.multiplier)
        }
        try Self.checkPrecision(fill.price, symbol: fill.symbol)
        if let known = terms[fill.symbol] {
            if known.root != fill.root {
                throw .instrumentMismatch(symbol: fill.symbol, field: "root", held: known.root, given: fill.root)
            }
            if known.multiplier != fill.multiplier {
                throw .instrumentMismatch(symbol: fill.symbol, field: "multiplier",
                                          held: known.multiplier.description, given: fill.multiplier.description)
            }
        }
    }

    private static func checkPrecision(_ price: FIXDecimal, symbol: String) throws(PositionsError) {
        guard price.normalized.scale <= maxPriceScale else { throw .priceTooPrecise(symbol: symbol, price: price) }
    }

    // MARK: Marks

    /// Sets the price the symbol's positions are valued at, from the venue. Until a symbol has
    /// a venue mark it is valued at its last fill price (or its settlement after a day roll);
    /// once it has one, fills no longer move it.
    ///
    /// - Throws: ``PositionsError/priceTooPrecise(symbol:price:)``, or
    ///   ``PositionsError/amountOutOfRange(symbol:detail:)`` if a position would be valued out of
    ///   range at this price; the mark is unchanged then.
    public mutating func mark(symbol: String, price: FIXDecimal) throws(PositionsError) {
        try Self.checkPrecision(price, symbol: symbol)
        if let symbolTerms = terms[symbol] {
            try checkValuations(symbol: symbol, at: price, terms: symbolTerms)
        }
        marks[symbol] = PositionMark(price: price, source: .venue)
    }

    /// Checks that every position held in `symbol` (but `except`'s) values in range at `price`.
    private func checkValuations(symbol: String, at price: FIXDecimal, terms: SymbolTerms,
                                 except: String? = nil) throws(PositionsError) {
        for (account, symbols) in held where account != except {
            guard let state = symbols[symbol] else { continue }
            guard Self.valuation(state, at: price, terms: terms) != nil else {
                throw .amountOutOfRange(symbol: symbol, detail: "valuation of \(account) at mark \(price)")
            }
        }
    }

    /// The mark a symbol is valued at, if it has one.
    public func currentMark(symbol: String) -> PositionMark? { marks[symbol] }

    // MARK: Day roll

    /// Starts a new trading day: returns the closing day's positions valued at `settlements`
    /// (the day's final P&L), then resets realised P&L, drops flat positions, re-bases every
    /// carried position at its settlement and makes the settlements the marks.
    ///
    /// Exec ids seen before the roll are kept, so replaying yesterday's fills stays harmless.
    ///
    /// - Parameter settlements: settlement price by symbol; every symbol with an open position
    ///   needs one, others are kept as marks for positions opened later.
    /// - Throws: ``PositionsError/missingSettlements(symbols:)`` naming the open symbols with no
    ///   settlement, ``PositionsError/priceTooPrecise(symbol:price:)``, or
    ///   ``PositionsError/amountOutOfRange(symbol:detail:)``; the book is unchanged then.
    @discardableResult
    public mutating func startDay(settlements: [String: FIXDecimal]) throws(PositionsError) -> [PositionSnapshot] {
        for (symbol, price) in settlements.sorted(by: { $0.key < $1.key }) {
            try Self.checkPrecision(price, symbol: symbol)
        }
        var missing = Set<String>()
        for symbols in held.values {
            for (symbol, state) in symbols where state.quantity != 0 && settlements[symbol] == nil {
                missing.insert(symbol)
            }
        }
        guard missing.isEmpty else { throw .missingSettlements(symbols: missing.sorted()) }

        var carried: [String: [String: PositionState]] = [:]
        var closing: [PositionSnapshot] = []
        for (account, symbols) in held {
            for (symbol, state) in symbols {
                guard let symbolTerms = terms[symbol] else { continue }
                let settlement = settlements[symbol]
                let mark = settlement.map { PositionMark(price: $0, source: .settlement) }
                    ?? effectiveMark(symbol: symbol, state: state)
                guard Self.valuation(state, at: mark.price, terms: symbolTerms) != nil else {
                    throw .amountOutOfRange(symbol: symbol, detail: "valuation of \(account) at settlement \(mark.price)")
                }
                closing.append(snapshot(account: account, symbol: symbol, state: state, mark: mark))
                guard state.quantity != 0, let settlement else { continue }
                guard let rebased = Exact.notional(state.quantity, settlement, symbolTerms.multiplier) else {
                    throw .amountOutOfRange(symbol: symbol, detail: "cost of \(account) at settlement \(settlement)")
                }
                carried[account, default: [:]][symbol] = PositionState(
                    quantity: state.quantity, costBasis: rebased, realised: .zero, lastPrice: settlement,
                    fillCount: 0, lastFillTime: state.lastFillTime
                )
            }
        }
        let heldSymbols = Set(carried.values.flatMap(\.keys))
        held = carried
        terms = terms.filter { heldSymbols.contains($0.key) }
        marks = settlements.mapValues { PositionMark(price: $0, source: .settlement) }
        return closing.sorted(by: Self.displayOrder)
    }

    // MARK: Reading

    /// Every account with a position (open, or flat with P&L today), sorted.
    public var accounts: [String] { held.keys.sorted() }

    /// One account's position in one symbol, or `nil` if it has none today.
    public func position(account: String, symbol: String) -> PositionSnapshot? {
        held[account]?[symbol].map { snapshot(account: account, symbol: symbol, state: $0) }
    }

    /// Positions matching every filter given (`nil` matches all), sorted by account then symbol.
    /// Flat positions that traded today are included: they carry the day's realised P&L.
    public func positions(account: String? = nil, root: String? = nil, symbol: String? = nil) -> [PositionSnapshot] {
        var result: [PositionSnapshot] = []
        let accounts = account.map { [$0] } ?? Array(held.keys)
        for name in accounts {
            guard let symbols = held[name] else { continue }
            for (heldSymbol, state) in symbols {
                if let symbol, heldSymbol != symbol { continue }
                if let root, terms[heldSymbol]?.root != root { continue }
                result.append(snapshot(account: name, symbol: heldSymbol, state: state))
            }
        }
        return result.sorted(by: Self.displayOrder)
    }

    /// P&L and exposure summed over the positions matching every filter given: per account,
    /// per root, per symbol, any combination, or the firm with no filter.
    public func totals(account: String? = nil, root: String? = nil, symbol: String? = nil) -> PnLTotals {
        positions(account: account, root: root, symbol: symbol).reduce(.zero) { $0.adding($1) }
    }

    /// The account's day P&L (realised + unrealised): what the daily loss limit reads.
    public func dayPnL(account: String) -> FIXDecimal { totals(account: account).dayPnL }

    // MARK: Valuation

    private func effectiveMark(symbol: String, state: PositionState) -> PositionMark {
        marks[symbol] ?? PositionMark(price: state.lastPrice, source: .lastFill)
    }

    private func snapshot(account: String, symbol: String, state: PositionState,
                          mark: PositionMark? = nil) -> PositionSnapshot {
        let mark = mark ?? effectiveMark(symbol: symbol, state: state)
        let symbolTerms = terms[symbol] ?? SymbolTerms(root: "", multiplier: 1)
        // Every held state was checked to value in range at its mark when it was stored or marked.
        let unrealised = Self.valuation(state, at: mark.price, terms: symbolTerms)?.unrealised ?? .zero
        var average: FIXDecimal?
        if state.quantity != 0, let size = Exact.product(FIXDecimal(mantissa: state.quantity), symbolTerms.multiplier) {
            average = Exact.quotient(state.costBasis, times: 1, dividedBy: size, scale: Self.averagePriceScale)?.normalized
        }
        return PositionSnapshot(
            account: account, symbol: symbol, root: symbolTerms.root, multiplier: symbolTerms.multiplier,
            quantity: state.quantity, costBasis: Exact.money(state.costBasis), averagePrice: average, mark: mark,
            realised: Exact.money(state.realised), unrealised: Exact.money(unrealised),
            fillCount: state.fillCount, lastFillTime: state.lastFillTime
        )
    }

    /// A position's notional and unrealised P&L at `price`, or `nil` if either is out of range.
    /// Checked on every write so that reading the book never traps.
    private static func valuation(_ state: PositionState, at price: FIXDecimal,
                                  terms: SymbolTerms) -> (notional: FIXDecimal, unrealised: FIXDecimal)? {
        guard let notional = Exact.notional(state.quantity, price, terms.multiplier),
              let unrealised = Exact.difference(notional, state.costBasis),
              Exact.sum(unrealised, state.realised) != nil
        else { return nil }
        return (notional, unrealised)
    }

    private static func displayOrder(_ lhs: PositionSnapshot, _ rhs: PositionSnapshot) -> Bool {
        (lhs.account, lhs.symbol) < (rhs.account, rhs.symbol)
    }
}

/// What a symbol is, as far as P&L is concerned.
struct SymbolTerms: Sendable, Hashable {
    var root: String
    var multiplier: FIXDecimal
}

/// One account's position in one symbol.
struct PositionState: Sendable, Hashable {
    /// Signed contracts.
    var quantity: Int64 = 0
    /// Exact signed dollars paid for the open contracts; zero when flat.
    var costBasis: FIXDecimal = .zero
    /// P&L closed today.
    var realised: FIXDecimal = .zero
    /// The last fill or settlement price: the valuation of last resort.
    var lastPrice: FIXDecimal = .zero
    var fillCount = 0
    var lastFillTime: FIXTimestamp?

    /// The position after `fill` and the P&L the fill realised, or `nil` if an amount would
    /// not fit. The fill's quantity, multiplier and price are already validated.
    func applying(_ fill: Fill) -> (PositionState, realised: FIXDecimal)? {
        let signed = fill.side.sign * fill.quantity
        let (newQuantity, overflow) = quantity.addingReportingOverflow(signed)
        guard !overflow, newQuantity != .min else { return nil }
        var next = self
        next.quantity = newQuantity
        next.lastPrice = fill.price
        next.fillCount += 1
        next.lastFillTime = fill.time

        if quantity == 0 || (quantity > 0) == (signed > 0) {
            // Opening or adding: the cost basis takes the fill's whole notional.
            guard let cost = Exact.notional(signed, fill.price, fill.multiplier),
                  let total = Exact.sum(costBasis, cost) else { return nil }
            next.costBasis = total
            return (next, .zero)
        }

        // Reducing, closing or flipping: close `closed` contracts against the average cost.
        let open = quantity.magnitude
        let closed = min(open, fill.quantity.magnitude)
        let released: FIXDecimal
        if closed == open {
            released = costBasis
        } else {
            guard let share = Exact.quotient(costBasis, times: Int64(closed), dividedBy: FIXDecimal(mantissa: Int64(open)),
                                             scale: PositionBook.moneyScale) else { return nil }
            released = share
        }
        let direction: Int64 = quantity > 0 ? 1 : -1
        guard let exitValue = Exact.notional(direction * Int64(closed), fill.price, fill.multiplier),
              let realised = Exact.difference(exitValue, released),
              let dayRealised = Exact.sum(self.realised, realised),
              let remainingCost = Exact.difference(costBasis, released) else { return nil }
        next.realised = dayRealised
        next.costBasis = closed == open ? .zero : remainingCost

        let opened = fill.quantity.magnitude - closed
        if opened > 0 {
            // Flipped through zero: the rest opens a new position at the fill price.
            guard let cost = Exact.notional(fill.side.sign * Int64(opened), fill.price, fill.multiplier) else { return nil }
            next.costBasis = cost
        }
        return (next, realised)
    }
}
