import FIXCodec
import Instruments
import Logging
import Synchronization

/// The risk sidecar as the gateway uses it: a `RiskEngine` behind a mutex, safe to call from any
/// thread.
///
/// How the gateway drives it:
///
/// ```swift
/// let risk = try RiskSidecar(limitsPath: "sessions/risk-limits.yaml", contracts: catalog.specs)
/// risk.updateReferencePrices(ReferencePrices(last: FIXDecimal(mantissa: 7528, scale: 2)),
///                            symbol: "CLK6", root: "CL", now: nanos)
///
/// let decision = risk.check(RiskOrder(key: RiskOrderKey(orderID), clOrdID: "A1", account: "DESK1",
///                                     session: "OMS1", symbol: "CLK6", root: "CL", side: .buy,
///                                     quantity: 10, type: .limit, price: FIXDecimal(mantissa: 7530, scale: 2)),
///                         now: nanos)
/// journal(decision.auditRecord)                       // JSON, accepted or not
/// if let rejection = decision.rejection {
///     // ExecutionReport 150=8 39=8, 103=rejection.ordRejReason.rawValue, 58=rejection.text
///     // (a replace: OrderCancelReject, 102=rejection.cxlRejReason.rawValue)
/// } else {
///     // send decision.adjustedLimitPrice for market/stop orders; cancel decision.cancelResting first
/// }
/// if decision.logoutSession { /* log the OMS session out */ }
///
/// // Then report what happens to the order:
/// risk.orderAccepted(key:)  risk.orderFilled(key:quantity:price:now:)  risk.orderDone(key:now:)
/// risk.orderReplaced(key:now:)  risk.replaceRejected(key:now:)  risk.updatePnL(account:...)
/// ```
///
/// Kill switches (`engageKillSwitch`) and cancel-on-disconnect (`sessionDisconnected`) return the
/// working orders for the gateway to cancel; `utilisation(now:)` is the limit snapshot. Each call takes the lock once (tens of nanoseconds uncontended), so a check stays
/// about the cost of a function call inline; a reload parses outside the lock and swaps the
/// limits in one step.
///
/// It knows nothing of sockets, sessions or FIX: the gateway hands it plain values (`RiskOrder`,
/// `RiskReplace`, `RiskCancel`), reports what happened to orders, and passes the time in.
public final class RiskSidecar: Sendable {
    let engine: Mutex<RiskEngine>
    let logger: Logger
    /// Decisions, kill switches and trading states as metrics, counted outside the engine's lock.
    private let metrics = RiskMetrics()

    public init(limits: RiskLimits, contracts: [ContractSpec], logger: Logger = Logger(label: "wellhead.risk")) {
        let engine = RiskEngine(limits: limits, contracts: contracts, logger: logger)
        let (engaged, state) = (engine.killSwitch(.firm) != nil, engine.tradingState(account: nil))
        self.engine = Mutex(engine)
        self.logger = logger
        metrics.killSwitch(.firm, engaged: engaged)
        metrics.tradingState(state, for: .firm)
    }

    /// Loads limits from a YAML file (see `sessions/risk-limits.yaml`).
    public convenience init(limitsPath: String, contracts: [ContractSpec],
                            logger: Logger = Logger(label: "wellhead.risk")) throws(RiskLimitsError) {
        self.init(limits: try RiskLimits.load(path: limitsPath), contracts: contracts, logger: logger)
    }

    // MARK: Checks

    /// Looks the order's names up and hashes its ClOrdID and key once, when the gateway builds
    /// it, so that `check` hashes no string (see `RiskEngine.resolve(_:)`). Optional: an order
    /// not resolved is checked the same way, only slower.
    public func resolve(_ order: inout RiskOrder) {
        engine.withLock { $0.resolve(&order) }
    }

    /// The order, resolved.
    public func resolved(_ order: RiskOrder) -> RiskOrder {
        var order = order
        resolve(&order)
        return order
    }

    public func check(_ order: RiskOrder, now: Int64) -> RiskDecision {
        RiskDecision(order, verdict(order, now: now), time: now)
    }

    /// The check of ``check(_:now:)-(RiskOrder,_)`` returning only what was decided: the order
    /// path's call. Only the small verdict leaves the lock; `RiskDecision(order, verdict,
    /// time: now)` (its `auditRecord` for the journal) is built by the caller, outside it.
    public func verdict(_ order: RiskOrder, now: Int64) -> RiskVerdict {
        let verdict = engine.withLock { $0.verdict(order, now: now) }
        metrics.count(verdict.rejection?.check)
        return verdict
    }

    /// What ``check(_:now:)-(RiskOrder,_)`` would decide and each limit's use after the order,
    /// changing nothing (``RiskEngine/preview(_:now:)``); not counted in the metrics.
    public func preview(_ order: RiskOrder, now: Int64) -> RiskPreview {
        engine.withLock { $0.preview(order, now: now) }
    }

    /// What a replace's check would decide and each limit's use once applied, changing nothing.
    public func preview(_ replace: RiskReplace, now: Int64) -> RiskPreview {
        engine.withLock { $0.preview(replace, now: now) }
    }

    public func check(_ replace: RiskReplace, now: Int64) -> RiskDecision {
        let decision = engine.withLock { $0.check(replace, now: now) }
        metrics.count(decision)
        return decision
    }

    public func check(_ cancel: RiskCancel, now: Int64) -> RiskDecision {
        let decision = engine.withLock { $0.check(cancel, now: now) }
        metrics.count(decision)
        return decision
    }

    // MARK: Limits

    public var limits: RiskLimits { engine.withLock { $0.limits } }

    /// Reads `path` and swaps its limits in atomically. A file that does not load leaves the
    /// current limits in force; the error (logged too) says why.
    /// The limit edits made while running (``apply(_:)``) are made again on top of the file:
    /// they stay in force until edited again (README, "Limit edits").
    public func reload(path: String) throws(RiskLimitsError) {
        let newLimits: RiskLimits
        do {
            newLimits = try RiskLimits.load(path: path)
        } catch {
            logger.error("risk limits not reloaded, keeping the current ones", metadata: ["error": "\(error)"])
            throw error
        }
        let (edits, dropped) = engine.withLock { $0.replaceLimits(newLimits, keepingEdits: ()) }
        for (edit, error) in dropped {
            logger.error("console limit edit not made again over the reloaded file", metadata: [
                "control": "\(edit.control.rawValue)", "scope": "\(edit.scope.key)", "error": "\(error)",
            ])
        }
        logger.notice("risk limits reloaded", metadata: ["path": "\(path)", "consoleEdits": "\(edits)"])
    }

    public func replaceLimits(_ limits: RiskLimits) {
        engine.withLock { $0.replaceLimits(limits) }
    }

    // MARK: Events

    @discardableResult
    public func orderAccepted(key: RiskOrderKey) -> Bool {
        engine.withLock { $0.orderAccepted(key: key) }
    }

    @discardableResult
    public func restoreWorkingOrder(_ order: RiskOrder, filledQuantity: Int64 = 0, acknowledged: Bool = true) -> Bool {
        engine.withLock { $0.restoreWorkingOrder(order, filledQuantity: filledQuantity, acknowledged: acknowledged) }
    }

    @discardableResult
    public func orderReplaced(key: RiskOrderKey, now: Int64) -> [RiskWarning] {
        engine.withLock { $0.orderReplaced(key: key, now: now) }
    }

    @discardableResult
    public func replaceRejected(key: RiskOrderKey, now: Int64) -> [RiskWarning] {
        engine.withLock { $0.replaceRejected(key: key, now: now) }
    }

    @discardableResult
    public func orderFilled(key: RiskOrderKey, quantity: Int64, price: FIXDecimal, now: Int64) -> [RiskWarning] {
        engine.withLock { $0.orderFilled(key: key, quantity: quantity, price: price, now: now) }
    }

    @discardableResult
    public func orderDone(key: RiskOrderKey, now: Int64) -> Bool {
        engine.withLock { $0.orderDone(key: key, now: now) }
    }

    public func setPosition(account: String, symbol: String, root: String, quantity: Int64) {
        engine.withLock { $0.setPosition(account: account, symbol: symbol, root: root, quantity: quantity) }
    }

    @discardableResult
    public func updateReferencePrices(_ prices: ReferencePrices, symbol: String, root: String, now: Int64) -> [RiskWarning] {
        engine.withLock { $0.updateReferencePrices(prices, symbol: symbol, root: root, now: now) }
    }

    @discardableResult
    public func updatePnL(account: String, symbol: String? = nil, root: String? = nil, realised: FIXDecimal,
                          unrealised: FIXDecimal, now: Int64) -> [RiskWarning] {
        engine.withLock {
            $0.updatePnL(account: account, symbol: symbol, root: root, realised: realised, unrealised: unrealised, now: now)
        }
    }

    public func startNewDay() {
        engine.withLock { $0.startNewDay() }
    }

    // MARK: Controls

    public func engageKillSwitch(_ level: KillSwitchLevel, by person: String, reason: String = "",
                                 now: Int64) -> [RiskWorkingOrder] {
        let orders = engine.withLock { $0.engageKillSwitch(level, by: person, reason: reason, now: now) }
        metrics.killSwitch(level, engaged: true)
        return orders
    }

    @discardableResult
    public func releaseKillSwitch(_ level: KillSwitchLevel, by person: String, now: Int64) -> KillSwitchRecord? {
        let (record, engaged) = engine.withLock { engine in
            (engine.releaseKillSwitch(level, by: person, now: now), engine.killSwitch(level) != nil)
        }
        metrics.killSwitch(level, engaged: engaged)
        return record
    }

    public func killSwitch(_ level: KillSwitchLevel) -> KillSwitchRecord? {
        engine.withLock { $0.killSwitch(level) }
    }

    public var killSwitchHistory: [KillSwitchRecord] { engine.withLock { $0.killSwitchHistory } }

    public func setTradingState(_ state: TradingState, for scope: TradingStateScope, by person: String, now: Int64) {
        engine.withLock { $0.setTradingState(state, for: scope, by: person, now: now) }
        metrics.tradingState(state, for: scope)
    }

    public func tradingState(account: String?) -> TradingState {
        engine.withLock { $0.tradingState(account: account) }
    }

    /// The firm's trading state, then every account's that is not ACTIVE.
    public var tradingStates: [(scope: TradingStateScope, state: TradingState)] { engine.withLock { $0.tradingStates() } }

    public func sessionDisconnected(_ session: String, loggedOut: Bool, now: Int64) -> [RiskWorkingOrder] {
        engine.withLock { $0.sessionDisconnected(session, loggedOut: loggedOut, now: now) }
    }

    // MARK: Restore

    /// See ``RiskEngine/restoreKillSwitch(_:)``: sets the switch as journaled, cancels nothing.
    public func restoreKillSwitch(_ record: KillSwitchRecord) {
        engine.withLock { $0.restoreKillSwitch(record) }
        metrics.killSwitch(record.level, engaged: record.isEngaged)
    }

    /// See ``RiskEngine/restoreFill(_:)``.
    public func restoreFill(_ fill: RiskFill) {
        engine.withLock { $0.restoreFill(fill) }
    }

    /// See ``RiskEngine/permitAccounts(_:session:)``.
    public func permitAccounts(_ accounts: [String], session: String) {
        engine.withLock { $0.permitAccounts(accounts, session: session) }
    }

    // MARK: Queries

    public func utilisation(now: Int64) -> [LimitUtilisation] {
        engine.withLock { $0.utilisation(now: now) }
    }

    public func workingOrders(account: String? = nil, session: String? = nil) -> [RiskWorkingOrder] {
        engine.withLock { $0.workingOrders(account: account, session: session) }
    }

    public func position(account: String?, symbol: String) -> Int64 {
        engine.withLock { $0.position(account: account, symbol: symbol) }
    }

    public func grossNotional(account: String?) -> FIXDecimal {
        engine.withLock { $0.grossNotional(account: account) }
    }
}
