import FIXCodec
import FIXVocabulary
import Instruments
import Logging
import Synchronization

/// Engines number themselves so that an order resolved by one is never read by another.
private let engineTags = Atomic<UInt32>(1)

/// Exposure for one owner in one contract month, one root, or in total.
struct Cell {
    /// Filled net position, contracts.
    var position: Int64 = 0
    /// Leaves of working buys and sells, contracts.
    var workingBuy: Int64 = 0
    var workingSell: Int64 = 0
    /// Σ |price| × leaves × multiplier of working orders, raw dollars.
    var workingNotional: Int128 = 0
    /// |position| × mark × multiplier, raw dollars.
    var positionNotional: Int128 = 0
    /// Realised + unrealised P&L pushed by the gateway, raw dollars.
    var pnl: Int128 = 0

    var grossNotional: Int128 { Fixed.add(workingNotional, positionNotional) }

    /// The larger of the worst-case long and worst-case short, as a magnitude.
    var worstCase: Int64 { Swift.max(position &+ workingBuy, workingSell &- position, 0) }

    @inline(__always)
    mutating func addWorking(_ side: Side, _ quantity: Int64, _ notional: Int128) {
        if side == .buy { workingBuy &+= quantity } else { workingSell &+= quantity }
        workingNotional &+= notional
    }

    var isEmpty: Bool {
        position == 0 && workingBuy == 0 && workingSell == 0 && workingNotional == 0 && positionNotional == 0 && pnl == 0
    }
}

enum OwnerKind: UInt8 {
    case firm, account, session
}

/// An index into the engine's table of compiled limits (`RiskEngine.limitTable`); −1 for none.
typealias LimitsID = Int32

/// The firm, one account or one session: the limits configured for it and what it holds.
///
/// A value in the engine's `owners` table, indexed by the owner id names are interned to: the
/// check path reads and updates fields of `owners[id]` in place (no record is copied out, and
/// nothing is reference counted). Its limits are an index into `limitTable`.
struct Owner {
    let kind: OwnerKind
    let name: String
    var limits: LimitsID = -1
    /// By symbol id.
    var months: ContiguousArray<Cell>
    /// By root id.
    var roots: ContiguousArray<Cell>
    var total = Cell()
    /// Accounts: resting orders by symbol id, for self-trade prevention.
    var resting: ContiguousArray<RestingOrders>
    var orderRate: RateWindow?
    var messageRate: RateWindow?
    var killSwitch: KillSwitchRecord? {
        didSet { killed = killSwitch != nil }
    }
    /// Mirrors `killSwitch != nil`: the check path tests a flag, not a copy of the record.
    private(set) var killed = false
    var tradingState: TradingState = .active
    /// Sessions: the owner ids of the accounts the session may trade; `nil` places no
    /// restriction (a library user that does not configure one).
    var permittedAccounts: [Int]?
    /// Accounts: P&L pushed without an instrument.
    var unattributedPnL: Int128 = 0

    init(kind: OwnerKind, name: String, symbols: Int, roots: Int) {
        self.kind = kind
        self.name = name
        months = ContiguousArray(repeating: Cell(), count: symbols)
        self.roots = ContiguousArray(repeating: Cell(), count: roots)
        resting = ContiguousArray(repeating: RestingOrders(), count: symbols)
    }

    var scope: RiskScope {
        switch kind {
        case .firm: .firm
        case .account: .account(name)
        case .session: .session(name)
        }
    }
}

/// One contract month, indexed by its symbol id.
struct SymbolState {
    let name: String
    let root: Int
    var limits: LimitsID = -1

    init(name: String, root: Int) {
        self.name = name
        self.root = root
    }

    var prices = ReferencePrices()
    var last: Int128?
    var bid: Int128?
    var ask: Int128?
    var settlement: Int128?
    var lastFill: Int128?
    /// What positions are valued at: last, else mid, else settlement, else the last fill.
    var mark: Int128?
    /// Owners with a position in this month, revalued when the mark moves.
    var holders: Set<Int> = []

    var mid: Int128? {
        guard let bid, let ask else { return nil }
        return (bid + ask) / 2
    }

    @inline(__always)
    func reference(_ kind: ReferencePriceKind) -> Int128? {
        switch kind {
        case .last: last
        case .mid: mid
        case .settlement: settlement
        }
    }
}

/// One product root, indexed by its root id.
struct RootState {
    let name: String
    let spec: ContractSpec
    /// Tick size and multiplier, raw.
    let tick: Int128
    let multiplier: Multiplier
    /// Decimals of the tick (2 for CL, 4 for RB): prices are shown with at least this many.
    let tickScale: UInt8
    var limits: LimitsID = -1

    init(spec: ContractSpec) {
        name = spec.root
        self.spec = spec
        tick = Fixed.raw(spec.tickSize)
        multiplier = Multiplier(spec.multiplier)
        tickScale = spec.tickSize.scale
    }
}

/// A replace accepted and awaiting the venue. Boxed: most orders never have one, and a working
/// order is copied in and out of the book on every check.
final class PendingReplace: Sendable {
    let clOrdID: String
    let type: OrderType
    let price: FIXDecimal?
    let exposurePrice: Int128
    let stopPrice: FIXDecimal?
    let timeInForce: TimeInForce
    let orderQuantity: Int64

    init(clOrdID: String, type: OrderType, price: FIXDecimal?, exposurePrice: Int128, stopPrice: FIXDecimal?,
         timeInForce: TimeInForce, orderQuantity: Int64) {
        self.clOrdID = clOrdID
        self.type = type
        self.price = price
        self.exposurePrice = exposurePrice
        self.stopPrice = stopPrice
        self.timeInForce = timeInForce
        self.orderQuantity = orderQuantity
    }
}

struct WorkingOrder {
    let key: RiskOrderKey
    var clOrdID: String
    let account: Int
    let session: Int
    let symbol: Int
    let root: Int
    let side: Side
    var type: OrderType
    /// The limit working at the venue (capped for market and stop orders).
    var price: FIXDecimal?
    /// Raw price its value is counted at.
    var exposurePrice: Int128
    var stopPrice: FIXDecimal?
    var timeInForce: TimeInForce
    var orderQuantity: Int64
    var filledQuantity: Int64 = 0
    var acknowledged = false
    var pending: PendingReplace?
    /// What this order currently adds to its cells (so that removing it is exact).
    var countedQuantity: Int64 = 0
    var countedNotional: Int128 = 0

    var leaves: Int64 { Swift.max(0, orderQuantity - filledQuantity) }
    /// Rests on the book where a same-account order could hit it.
    var rests: Bool { !type.needsStopPrice && price != nil }
}

/// A resting order of an account in a month that an incoming order would cross.
struct RestingOrder {
    let key: RiskOrderKey
    let side: Side
    var price: Int128
}

/// Same account, month, side, quantity and price: a repeated order within the window is a duplicate.
struct OrderSignature: Hashable {
    let owner: UInt64
    let quantity: Int64
    let price: Int128
    let stopPrice: Int128

    init(account: Int, symbol: Int, side: Side, type: OrderType, quantity: Int64, price: Int128, stopPrice: Int128) {
        owner = UInt64(truncatingIfNeeded: account) << 36 | UInt64(truncatingIfNeeded: symbol) << 4
            | UInt64(side.rawValue) << 2 | UInt64(RiskEngine.typeCode(type) & 3)
        self.quantity = quantity
        self.price = price
        self.stopPrice = stopPrice
    }

    /// Four words, not the two 128-bit prices in full: equality still compares them exactly.
    func hash(into hasher: inout Hasher) {
        hasher.combine(owner)
        hasher.combine(quantity)
        hasher.combine(UInt64(truncatingIfNeeded: price))
        hasher.combine(UInt64(truncatingIfNeeded: stopPrice))
    }
}

/// One (limit, scope, measured bucket) whose warning level is remembered between crossings.
struct UtilisationKey: Hashable {
    let kind: LimitKind
    let slot: UInt8
    let scopeID: Int32
    let owner: Int32
    let instrument: Int32
}

/// The order, session, account and instrument a check or event concerns, as indices (−1: none).
struct Context {
    var account: Int
    var session: Int
    var symbol: Int
    var root: Int
}

/// The pre-trade risk engine: every control of the risk sidecar, on plain values, with no clock,
/// no I/O and no locking. Use it from one thread (or through `RiskSidecar`, which locks).
/// It is noncopyable: there is one book of positions and working orders, and it is never
/// duplicated by accident.
///
/// Time is always passed in (`now`, nanoseconds since the Unix epoch), so the same inputs give
/// the same decisions. An accepted order counts as working from the moment it is accepted, so a
/// burst of orders cannot all pass before the venue acknowledges the first.
public struct RiskEngine: ~Copyable {
    public internal(set) var limits: RiskLimits
    let logger: Logger
    /// This engine's number (never 0), stamped on the orders it resolves.
    let tag: UInt32

    /// Owner id → owner: 0 is the firm, then accounts and sessions as first seen.
    var owners: ContiguousArray<Owner>
    var accountIndex = NameTable()
    var sessionIndex = NameTable()
    /// Symbol id → contract month, as first seen.
    var symbols: ContiguousArray<SymbolState> = []
    var symbolIndex = NameTable()
    /// Root id → product root, in the order of the contracts given.
    var roots: ContiguousArray<RootState> = []
    var rootIndex = NameTable()
    /// Every scope's limits compiled, rebuilt whole at each reload; owners, roots and symbols
    /// hold indices into it.
    var limitTable: ContiguousArray<ScopeLimits> = []
    var orders = OrderTable()
    /// The day's ClOrdIDs, by (session id, ClOrdID).
    var clOrdIDs = ClOrdIDSet()
    /// Accepted orders' signatures and when they were last seen, in two generations each one
    /// duplicate horizon long: the older is dropped whole (no per-entry expiry on the order path).
    var recentSignatures = SignatureTable()
    var olderSignatures = SignatureTable()
    var generationStart = Int64.min
    /// The widest duplicate window configured anywhere; `nil` when none is.
    var duplicateHorizon: Int64?
    var levels: [UtilisationKey: UtilisationLevel] = [:]
    public internal(set) var killSwitchHistory: [KillSwitchRecord] = []
    /// The limit edits made while running (the console's, `limit-set`), oldest first, one per
    /// control and scope: a reload of the file makes them again on top of it.
    public internal(set) var limitEdits: [LimitEdit] = []

    /// - Parameters:
    ///   - contracts: one spec per root the desks trade; orders for other roots are rejected.
    ///   - logger: limit warnings (75 % / 90 %), kill switches, state changes and reloads.
    public init(limits: RiskLimits, contracts: [ContractSpec], logger: Logger = Logger(label: "wellhead.risk")) {
        self.limits = limits
        self.logger = logger
        var next = engineTags.wrappingAdd(1, ordering: .relaxed).oldValue
        if next == 0 { next = engineTags.wrappingAdd(1, ordering: .relaxed).oldValue }
        tag = next
        var rootStates: ContiguousArray<RootState> = []
        var index = NameTable()
        for spec in contracts where index[spec.root] == nil {
            index.insert(spec.root, value: rootStates.count)
            rootStates.append(RootState(spec: spec))
        }
        roots = rootStates
        rootIndex = index
        owners = [Owner(kind: .firm, name: "firm", symbols: 0, roots: rootStates.count)]
        apply(limits, previous: nil)
    }

    // MARK: Limits

    /// Swaps in new limits at once: every later check sees only the new ones. Positions, working
    /// orders, throttle history and kill switches carry over; a trading state the new file changes
    /// is applied.
    public mutating func replaceLimits(_ newLimits: RiskLimits) {
        let previous = limits
        limits = newLimits
        apply(newLimits, previous: previous)
    }

    private mutating func apply(_ limits: RiskLimits, previous: RiskLimits?) {
        // The table is rebuilt whole: ids of the previous limits are not used again.
        limitTable = []
        owners[0].limits = compile(.firm, limits.firm)
        configureRates(0)
        if let state = limits.firm.tradingState, state != previous?.firm.tradingState {
            owners[0].tradingState = state
        }
        for index in owners.indices where owners[index].kind != .firm {
            let name = owners[index].name
            let set = owners[index].kind == .account ? limits.accounts[name] : limits.sessions[name]
            owners[index].limits = set.map { compile(owners[index].scope, $0) } ?? -1
            configureRates(index)
            if owners[index].kind == .account, let state = set?.tradingState,
               state != previous?.accounts[name]?.tradingState {
                owners[index].tradingState = state
            }
        }
        for index in roots.indices {
            roots[index].limits = limits.roots[roots[index].name].map { compile(.root(roots[index].name), $0) } ?? -1
        }
        for index in symbols.indices {
            symbols[index].limits = limits.symbols[symbols[index].name].map { compile(.symbol(symbols[index].name), $0) } ?? -1
        }
        let windows = [limits.firm.duplicateWindowNanos]
            + limits.accounts.values.map(\.duplicateWindowNanos) + limits.sessions.values.map(\.duplicateWindowNanos)
            + limits.roots.values.map(\.duplicateWindowNanos) + limits.symbols.values.map(\.duplicateWindowNanos)
        duplicateHorizon = windows.compactMap { $0 }.max()
        if duplicateHorizon == nil {
            recentSignatures.removeAll()
            olderSignatures.removeAll()
        }
    }

    /// Compiles one scope's limits into the table; returns its id there.
    mutating func compile(_ scope: RiskScope, _ set: LimitSet) -> LimitsID {
        limitTable.append(ScopeLimits(scope: scope, set: set, warningPercent: limits.warningPercent,
                                      criticalPercent: limits.criticalPercent))
        return LimitsID(limitTable.count - 1)
    }

    /// The compiled limits of an id (`nil` for −1): for the paths off the check, which may copy.
    func scopeLimits(_ id: LimitsID) -> ScopeLimits? {
        id >= 0 ? limitTable[Int(id)] : nil
    }

    /// Sizes an owner's throttle rings to its limits, keeping their recent history.
    private mutating func configureRates(_ index: Int) {
        // Room for twice the largest threshold: breaches report exact counts (a flood beyond
        // that reads "at least").
        func capacity(_ rate: RateLimit?) -> Int? {
            rate.map { 2 * Swift.max($0.limit, $0.logoutAbove ?? 0) + 1 }
        }
        let limits = scopeLimits(owners[index].limits)
        if let size = capacity(limits?.orderRate) {
            owners[index].orderRate = owners[index].orderRate?.resized(to: size) ?? RateWindow(capacity: size)
        } else {
            owners[index].orderRate = nil
        }
        if let size = capacity(limits?.messageRate) {
            owners[index].messageRate = owners[index].messageRate?.resized(to: size) ?? RateWindow(capacity: size)
        } else {
            owners[index].messageRate = nil
        }
    }

    // MARK: Interning

    /// The owner id of an account, created on first sight.
    @inline(__always)
    mutating func accountOwner(_ name: String) -> Int {
        if let index = accountIndex[name] { return index }
        return addAccount(name)
    }

    @inline(__always)
    mutating func sessionOwner(_ name: String) -> Int {
        if let index = sessionIndex[name] { return index }
        return addSession(name)
    }

    @inline(never)
    private mutating func addAccount(_ name: String) -> Int {
        let index = addOwner(.account, name, limits.accounts[name])
        accountIndex.insert(name, value: index)
        return index
    }

    @inline(never)
    private mutating func addSession(_ name: String) -> Int {
        let index = addOwner(.session, name, limits.sessions[name])
        sessionIndex.insert(name, value: index)
        return index
    }

    private mutating func addOwner(_ kind: OwnerKind, _ name: String, _ set: LimitSet?) -> Int {
        var owner = Owner(kind: kind, name: name, symbols: symbols.count, roots: roots.count)
        owner.limits = set.map { compile(owner.scope, $0) } ?? -1
        if kind == .account, let state = set?.tradingState { owner.tradingState = state }
        owners.append(owner)
        configureRates(owners.count - 1)
        return owners.count - 1
    }

    /// The id of a contract month of a known root, created on first sight.
    @inline(__always)
    mutating func internSymbol(_ name: String, root: Int) -> Int {
        if let index = symbolIndex[name] { return index }
        return addSymbol(name, root: root)
    }

    @inline(never)
    private mutating func addSymbol(_ name: String, root: Int) -> Int {
        let index = symbols.count
        var state = SymbolState(name: name, root: root)
        state.limits = limits.symbols[name].map { compile(.symbol(name), $0) } ?? -1
        symbols.append(state)
        symbolIndex.insert(name, value: index)
        for owner in owners.indices {
            owners[owner].months.append(Cell())
            owners[owner].resting.append(RestingOrders())
        }
        return index
    }

    /// The month's id, interning it when its root is known (from `root`, or the month already seen).
    mutating func resolveSymbol(_ name: String, root: String?) -> Int? {
        if let index = symbolIndex[name] { return index }
        guard let root, let rootIndex = rootIndex[root] else { return nil }
        return internSymbol(name, root: rootIndex)
    }

    /// Looks the order's names up once, where it is built (the gateway, as it parses the
    /// message), and hashes its ClOrdID and key, so that `check` does neither. Names the engine
    /// has not seen yet stay unresolved: the check interns them when it reaches them, as it does
    /// for an order never resolved. Nothing in the engine changes.
    public func resolve(_ order: inout RiskOrder) {
        order.resolved = RiskResolution(
            engine: tag,
            account: Int32(truncatingIfNeeded: accountIndex[order.account] ?? -1),
            session: Int32(truncatingIfNeeded: sessionIndex[order.session] ?? -1),
            root: Int32(truncatingIfNeeded: rootIndex[order.root] ?? -1),
            symbol: Int32(truncatingIfNeeded: symbolIndex[order.symbol] ?? -1),
            clOrdIDHash: ClOrdIDHash.of(order.clOrdID),
            keyHash: NameHash.of(order.key.value))
    }

    /// The ids names are interned to (for tests and diagnostics): stable for the engine's life.
    func ids(account: String?, session: String?, symbol: String?, root: String?) -> RiskIDs {
        RiskIDs(account: account.flatMap { accountIndex[$0] } ?? -1, session: session.flatMap { sessionIndex[$0] } ?? -1,
                symbol: symbol.flatMap { symbolIndex[$0] } ?? -1, root: root.flatMap { rootIndex[$0] } ?? -1)
    }

    // MARK: Scopes

    /// Whose exposure a scope's limits measure: the firm, the account, the session; root and
    /// symbol limits measure the account. (−1 when the context has none.)
    @inline(__always)
    func measuredOwner(_ slot: Int, _ context: Context) -> Int {
        switch slot {
        case 0: 0
        case 2: context.session
        default: context.account
        }
    }

    /// The index of the entity a slot's limits belong to.
    @inline(__always)
    func scopeID(_ slot: Int, _ context: Context) -> Int {
        switch slot {
        case 0: 0
        case 1: context.account
        case 2: context.session
        case 3: context.root
        default: context.symbol
        }
    }

    func workingInfo(_ order: borrowing WorkingOrder) -> RiskWorkingOrder {
        RiskWorkingOrder(
            key: order.key, clOrdID: order.clOrdID, account: owners[order.account].name,
            session: owners[order.session].name, symbol: symbols[order.symbol].name, root: roots[order.root].name,
            side: order.side, type: order.type, price: order.price, stopPrice: order.stopPrice,
            timeInForce: order.timeInForce, orderQuantity: order.orderQuantity, filledQuantity: order.filledQuantity,
            acknowledged: order.acknowledged, replacePending: order.pending != nil)
    }

    // MARK: Queries

    /// Every working order, optionally of one account or one session, by key.
    public func workingOrders(account: String? = nil, session: String? = nil) -> [RiskWorkingOrder] {
        let accountFilter = account.map { accountIndex[$0] ?? -2 }
        let sessionFilter = session.map { sessionIndex[$0] ?? -2 }
        return workingOrders { order in
            (accountFilter == nil || order.account == accountFilter) && (sessionFilter == nil || order.session == sessionFilter)
        }
    }

    /// The working orders that match, sorted by key. (A loop, not `map(workingInfo)`: the engine
    /// is noncopyable and a method reference would capture it.)
    func workingOrders(where matches: (WorkingOrder) -> Bool) -> [RiskWorkingOrder] {
        var result: [RiskWorkingOrder] = []
        for order in orders.values where matches(order) {
            result.append(workingInfo(order))
        }
        return result.sorted { $0.key.value < $1.key.value }
    }

    public func workingOrder(_ key: RiskOrderKey) -> RiskWorkingOrder? {
        guard let order = orders[key] else { return nil }
        return workingInfo(order)
    }

    /// An account's filled position in a month (firm-wide when `account` is nil).
    public func position(account: String?, symbol: String) -> Int64 {
        guard let symbol = symbolIndex[symbol] else { return 0 }
        let owner = account.map { accountIndex[$0] ?? -1 } ?? 0
        return owner >= 0 ? owners[owner].months[symbol].position : 0
    }

    /// An account's worst-case long and short in a month: position + working buys, position − working sells.
    public func worstCase(account: String, symbol: String) -> (long: Int64, short: Int64) {
        guard let symbol = symbolIndex[symbol], let owner = accountIndex[account] else { return (0, 0) }
        let cell = owners[owner].months[symbol]
        return (cell.position + cell.workingBuy, cell.position - cell.workingSell)
    }

    /// Gross open notional (positions at mark plus working orders) of an account, or the firm.
    public func grossNotional(account: String?) -> FIXDecimal {
        let owner = account.map { accountIndex[$0] ?? -1 } ?? 0
        return owner >= 0 ? Fixed.decimal(owners[owner].total.grossNotional) : .zero
    }

    public func tradingState(account: String?) -> TradingState {
        guard let account else { return owners[0].tradingState }
        return accountIndex[account].map { owners[$0].tradingState } ?? limits.accounts[account]?.tradingState ?? .active
    }

    public func referencePrices(symbol: String) -> ReferencePrices? {
        symbolIndex[symbol].map { symbols[$0].prices }
    }
}
