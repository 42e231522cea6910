import FIXCodec
import FIXVocabulary
import Instruments

/// Where a limit is configured: the firm, one account, one OMS session, one product root or one
/// contract month.
public enum RiskScope: Sendable, Hashable, Codable, CustomStringConvertible {
    case firm
    case account(String)
    case session(String)
    case root(String)
    case symbol(String)

    /// `firm`, `account DESK1`, `session OMS1`, `root CL`, `symbol CLZ6`: how reject texts name it.
    public var description: String {
        switch self {
        case .firm: "firm"
        case .account(let name): "account \(name)"
        case .session(let name): "session \(name)"
        case .root(let name): "root \(name)"
        case .symbol(let name): "symbol \(name)"
        }
    }
}

/// Which control made a decision.
public enum RiskCheck: String, Sendable, Hashable, Codable, CaseIterable {
    case orderSize
    case orderValue
    case priceCollar
    case marketProtection
    case positionLimit
    case creditLimit
    case dailyLoss
    case orderRate
    case messageRate
    case duplicateClOrdID
    case duplicateOrder
    case restrictedInstrument
    case restrictedAccount
    /// The account is not one the order's session lists (its `Accounts=` setting).
    case unknownAccount
    case tradingHours
    case selfTrade
    case tradingState
    case killSwitch
    /// The request itself is unusable: no quantity, no price for a limit order, unknown root or order.
    case invalidOrder

    /// The words a reject text starts with.
    public var label: String {
        switch self {
        case .orderSize: "max order size"
        case .orderValue: "max order value"
        case .priceCollar: "price collar"
        case .marketProtection: "market-order protection"
        case .positionLimit: "position limit"
        case .creditLimit: "credit limit"
        case .dailyLoss: "daily loss limit"
        case .orderRate: "order rate"
        case .messageRate: "message rate"
        case .duplicateClOrdID: "duplicate ClOrdID"
        case .duplicateOrder: "duplicate order"
        case .restrictedInstrument: "restricted instrument"
        case .restrictedAccount: "restricted account"
        case .unknownAccount: "unknown account"
        case .tradingHours: "trading hours"
        case .selfTrade: "self-trade prevention"
        case .tradingState: "trading state"
        case .killSwitch: "kill switch"
        case .invalidOrder: "invalid order"
        }
    }
}

/// Why an order or replace was refused: the check, the limit that tripped, where it is configured,
/// the value seen, and what the gateway sends back.
public struct RiskRejection: Sendable, Hashable {
    public var check: RiskCheck
    /// The scope whose limit tripped (`nil` for a request that is invalid in itself).
    public var scope: RiskScope?
    /// The limit as configured (contracts, dollars, ticks, percent, messages), when there is one.
    public var limit: FIXDecimal?
    /// The value measured against it.
    public var value: FIXDecimal?
    /// OrdRejReason (103) for the ExecutionReport of a rejected new order.
    public var ordRejReason: OrdRejReason
    /// Text (58): names the check, the limit and the value.
    public var text: String

    /// CxlRejReason (102) for the OrderCancelReject a rejected replace is answered with.
    public var cxlRejReason: CxlRejReason

    public init(check: RiskCheck, scope: RiskScope?, limit: FIXDecimal?, value: FIXDecimal?,
                ordRejReason: OrdRejReason, cxlRejReason: CxlRejReason? = nil, text: String) {
        self.check = check
        self.scope = scope
        self.limit = limit
        self.value = value
        self.ordRejReason = ordRejReason
        self.text = text
        self.cxlRejReason = cxlRejReason ?? {
            switch (check, ordRejReason) {
            case (.duplicateClOrdID, _): .duplicateClOrdID
            case (_, .unknownOrder): .unknownOrder
            default: .brokerOption
            }
        }()
    }
}

/// The warning (75 %) and critical (90 %) levels of limit utilisation.
public enum UtilisationLevel: String, Sendable, Hashable, Codable, Comparable {
    case normal
    case warning
    case critical

    var rank: Int {
        switch self {
        case .normal: 0
        case .warning: 1
        case .critical: 2
        }
    }

    public static func < (lhs: UtilisationLevel, rhs: UtilisationLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The stateful limits whose utilisation the sidecar reports.
public enum LimitKind: String, Sendable, Hashable, Codable, CaseIterable {
    case positionPerMonth
    case positionPerRoot
    case grossNotional
    case dailyLoss
    case orderRate
    case messageRate

    public var label: String {
        switch self {
        case .positionPerMonth: "position per month"
        case .positionPerRoot: "position per root"
        case .grossNotional: "gross notional"
        case .dailyLoss: "daily loss"
        case .orderRate: "order rate"
        case .messageRate: "message rate"
        }
    }
}

/// One limit's use at one moment: what is measured (`subject`), against which configured limit.
public struct LimitUtilisation: Sendable, Hashable, Codable {
    public var kind: LimitKind
    /// Where the limit is configured.
    public var scope: RiskScope
    /// What is measured: `firm CLZ6`, `account DESK1 CL`, `session OMS1`.
    public var subject: String
    /// Contracts (worst case), dollars, or messages in the window: see `unit`.
    public var used: FIXDecimal
    public var limit: FIXDecimal
    /// What `used` and `limit` count.
    public var unit: LimitUnit
    /// used / limit × 100, two decimals.
    public var percent: FIXDecimal
    public var level: UtilisationLevel
}

/// What a limit's use and size count: contracts for positions, US dollars for gross notional
/// and daily loss (as the limits file states them), orders or messages in a throttle's window.
public enum LimitUnit: Sendable, Hashable, Codable, CustomStringConvertible {
    case contracts
    case usd
    /// New orders and replaces in a sliding window of `windowNanos`.
    case orders(windowNanos: Int64)
    /// New orders, replaces and cancels in a sliding window of `windowNanos`.
    case messages(windowNanos: Int64)

    /// `contracts`, `USD`, `orders/s`, `messages per 500ms`.
    public var description: String {
        switch self {
        case .contracts: "contracts"
        case .usd: "USD"
        case .orders(let window): "orders" + Self.per(window)
        case .messages(let window): "messages" + Self.per(window)
        }
    }

    private static func per(_ window: Int64) -> String {
        window == 1_000_000_000 ? "/s" : " per \(RiskEngine.duration(window))"
    }
}

/// A limit crossing 75 % or 90 %, logged once per crossing and returned with the decision or
/// event that caused it.
public struct RiskWarning: Sendable, Hashable, Codable {
    public var utilisation: LimitUtilisation
    public var message: String
}

/// What the sidecar decided about one request.
public struct RiskDecision: Sendable {
    /// The request as received, with the order it acts on for replaces and cancels. (Replaces
    /// and cancels are boxed so that a decision stays the size of a new order.)
    public enum Input: Sendable, Hashable {
        case newOrder(RiskOrder)
        indirect case replace(RiskReplace, original: RiskWorkingOrder?)
        indirect case cancel(RiskCancel, original: RiskWorkingOrder?)
    }

    public var input: Input
    /// The time passed in, nanoseconds since the Unix epoch.
    public var time: Int64
    /// `nil` when accepted.
    public var rejection: RiskRejection?
    /// What the checks noted, kept as they left it: the decision is made without copying it
    /// field by field (the properties below read and write it).
    var notes: DecisionNotes

    /// For market and stop orders: the capped limit price the gateway must send instead
    /// (a market order becomes a limit, a stop becomes a stop-limit).
    public var adjustedLimitPrice: FIXDecimal? {
        get { notes.adjustedLimitPrice }
        set { notes.adjustedLimitPrice = newValue }
    }
    /// The reference price the price collar measured from, if one was used.
    public var referencePrice: FIXDecimal? {
        get { notes.referencePrice }
        set { notes.referencePrice = newValue }
    }
    /// Which of the instrument's reference prices that was (last, mid or settlement).
    public var referencePriceKind: ReferencePriceKind? {
        get { notes.referencePriceKind }
        set { notes.referencePriceKind = newValue }
    }
    /// For market and stop orders: the price market-order protection capped from (the best
    /// price on the other side, else the last or the settlement; a stop's own stop price),
    /// and which it was (`ask`, `bid`, `last`, `settlement`, `stop`).
    public var protectionBasePrice: FIXDecimal? {
        get { notes.protectionBasePrice }
        set { notes.protectionBasePrice = newValue }
    }
    public var protectionBaseKind: String? {
        get { notes.protectionBaseKind }
        set { notes.protectionBaseKind = newValue }
    }
    /// Limits this order took across 75 % or 90 % (already logged).
    public var warnings: [RiskWarning] {
        get { notes.warnings }
        set { notes.warnings = newValue }
    }
    /// Self-trade prevention in cancel-resting mode: working orders of the same account the
    /// gateway must cancel before sending this one.
    public var cancelResting: [RiskOrderKey] {
        get { notes.cancelResting }
        set { notes.cancelResting = newValue }
    }
    /// The session's message rate is far above its limit: the gateway should log it out.
    public var logoutSession: Bool {
        get { notes.logoutSession }
        set { notes.logoutSession = newValue }
    }

    public var isAccepted: Bool {
        if case .none = rejection { return true }
        return false
    }

    /// Built once, when the check is done (a decision is large: it carries the order).
    init(input: consuming Input, time: Int64, rejection: consuming RiskRejection?, notes: consuming DecisionNotes) {
        self.input = input
        self.time = time
        self.rejection = rejection
        self.notes = notes
    }

    init(input: consuming Input, time: Int64, notes: consuming DecisionNotes, rejection: consuming RiskRejection) {
        self.init(input: input, time: time, rejection: rejection, notes: notes)
    }
}

/// What the sidecar decided about a new order, without the order itself: the small value the
/// order path gets back from `RiskSidecar.verdict(_:now:)`. The check copies nothing out of
/// the order; the caller already holds it, and makes the full decision (for the journal's audit
/// record) with `RiskDecision(_:_:time:)` when it needs one, outside the sidecar's lock.
public struct RiskVerdict: Sendable {
    /// `nil` when accepted.
    public let rejection: RiskRejection?
    let notes: DecisionNotes

    init(rejection: consuming RiskRejection?, notes: consuming DecisionNotes) {
        self.rejection = rejection
        self.notes = notes
    }

    public var isAccepted: Bool {
        if case .none = rejection { return true }
        return false
    }
    /// As ``RiskDecision/adjustedLimitPrice``.
    public var adjustedLimitPrice: FIXDecimal? { notes.adjustedLimitPrice }
    /// As ``RiskDecision/warnings``: limits the order took across 75 % or 90 % (already logged).
    public var warnings: [RiskWarning] { notes.warnings }
    /// As ``RiskDecision/cancelResting``.
    public var cancelResting: [RiskOrderKey] { notes.cancelResting }
    /// As ``RiskDecision/logoutSession``.
    public var logoutSession: Bool { notes.logoutSession }
}

extension RiskDecision {
    /// The decision on `order` with the order as its input: the same value `check` returns.
    public init(_ order: RiskOrder, _ verdict: consuming RiskVerdict, time: Int64) {
        self.init(input: .newOrder(order), time: time, rejection: verdict.rejection, notes: verdict.notes)
    }
}

/// What the checks add to a decision while it is being made.
struct DecisionNotes: Sendable {
    var adjustedLimitPrice: FIXDecimal?
    var referencePrice: FIXDecimal?
    var referencePriceKind: ReferencePriceKind?
    var protectionBasePrice: FIXDecimal?
    var protectionBaseKind: String?
    var warnings: [RiskWarning] = []
    var cancelResting: [RiskOrderKey] = []
    var logoutSession = false
}

/// Account states: REDUCING lets only position-shrinking orders through, HALTED only cancels.
public enum TradingState: String, Sendable, Hashable, Codable, CaseIterable {
    case active = "ACTIVE"
    case reducing = "REDUCING"
    case halted = "HALTED"
}

/// Where a kill switch or trading state applies.
public enum KillSwitchLevel: Sendable, Hashable, Codable, CustomStringConvertible {
    case firm
    case account(String)
    case session(String)

    public var description: String { scope.description }

    var scope: RiskScope {
        switch self {
        case .firm: .firm
        case .account(let name): .account(name)
        case .session(let name): .session(name)
        }
    }
}

/// Who engaged a kill switch and, once released, who released it.
public struct KillSwitchRecord: Sendable, Hashable, Codable {
    public var level: KillSwitchLevel
    public var engagedBy: String
    public var reason: String
    public var engagedAt: Int64
    public var releasedBy: String?
    public var releasedAt: Int64?

    public var isEngaged: Bool { releasedBy == nil }
}

/// A working order as the sidecar tracks it (returned for kill switches and cancel-on-disconnect).
public struct RiskWorkingOrder: Sendable, Hashable {
    public var key: RiskOrderKey
    public var clOrdID: String
    public var account: String
    public var session: String
    public var symbol: String
    public var root: String
    public var side: Side
    public var type: OrderType
    /// The limit price working at the venue (the capped price for market and stop orders).
    public var price: FIXDecimal?
    public var stopPrice: FIXDecimal?
    public var timeInForce: TimeInForce
    public var orderQuantity: Int64
    public var filledQuantity: Int64
    public var leavesQuantity: Int64 { max(0, orderQuantity - filledQuantity) }
    /// The venue has acknowledged it (the sidecar counts orders from the moment it accepts them).
    public var acknowledged: Bool
    /// A replace was accepted and is awaiting the venue; the larger of old and new exposure counts.
    public var replacePending: Bool
}
