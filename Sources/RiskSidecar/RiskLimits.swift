import FIXCodec

/// The limits configured at one scope. Every field is optional: a check applies every limit
/// configured at any scope (firm, account, session, root, symbol) that an order falls under.
///
/// How each scope measures its limits:
/// - firm: the firm's totals (all accounts, all sessions);
/// - account: that account's totals;
/// - session: what was entered through that OMS session;
/// - root and symbol: each account's exposure in that product or contract month (instrument
///   limits say how much of an instrument one account may hold).
public struct LimitSet: Sendable, Hashable {
    /// Largest quantity of one order, in contracts.
    public var maxOrderSize: Int64?
    /// Largest |price| × quantity × contract multiplier of one order, in dollars.
    public var maxOrderValue: FIXDecimal?
    public var priceCollar: PriceCollar?
    public var marketProtection: MarketProtection?
    /// Worst-case position in one contract month: filled position plus every working order on
    /// the order's side.
    public var maxPositionPerMonth: Int64?
    /// Worst-case position across all months of a root (net across months).
    public var maxPositionPerRoot: Int64?
    /// Gross open notional (|position| × mark × multiplier plus every working order's value), in dollars.
    public var maxGrossNotional: FIXDecimal?
    public var dailyLoss: DailyLossLimit?
    /// New orders and replaces in a sliding window.
    public var orderRate: RateLimit?
    /// New orders, replaces and cancels in a sliding window.
    public var messageRate: RateLimit?
    /// Same account, side, contract, quantity and price again within this many nanoseconds is a duplicate.
    public var duplicateWindowNanos: Int64?
    /// The account, session, root or symbol may not trade at all.
    public var restricted: Bool
    public var tradingHours: TradingHours?
    /// Firm and account: what to do with an order that would cross the account's own working order.
    public var selfTradePrevention: SelfTradeMode?
    /// Firm and account: the trading state at start (and when a reload changes it).
    public var tradingState: TradingState?
    /// Firm and session: cancel a session's working day orders when it drops without a logout.
    public var cancelOnDisconnect: Bool?

    public init(maxOrderSize: Int64? = nil, maxOrderValue: FIXDecimal? = nil, priceCollar: PriceCollar? = nil,
                marketProtection: MarketProtection? = nil, maxPositionPerMonth: Int64? = nil,
                maxPositionPerRoot: Int64? = nil, maxGrossNotional: FIXDecimal? = nil,
                dailyLoss: DailyLossLimit? = nil, orderRate: RateLimit? = nil, messageRate: RateLimit? = nil,
                duplicateWindowNanos: Int64? = nil, restricted: Bool = false, tradingHours: TradingHours? = nil,
                selfTradePrevention: SelfTradeMode? = nil, tradingState: TradingState? = nil,
                cancelOnDisconnect: Bool? = nil) {
        self.maxOrderSize = maxOrderSize
        self.maxOrderValue = maxOrderValue
        self.priceCollar = priceCollar
        self.marketProtection = marketProtection
        self.maxPositionPerMonth = maxPositionPerMonth
        self.maxPositionPerRoot = maxPositionPerRoot
        self.maxGrossNotional = maxGrossNotional
        self.dailyLoss = dailyLoss
        self.orderRate = orderRate
        self.messageRate = messageRate
        self.duplicateWindowNanos = duplicateWindowNanos
        self.restricted = restricted
        self.tradingHours = tradingHours
        self.selfTradePrevention = selfTradePrevention
        self.tradingState = tradingState
        self.cancelOnDisconnect = cancelOnDisconnect
    }
}

/// A band around a reference price outside which a limit price is a fat finger.
public struct PriceCollar: Sendable, Hashable {
    public enum Width: Sendable, Hashable {
        case ticks(Int64)
        /// Percent of |reference|. Near zero prices (April 2020) a percentage band collapses:
        /// pair it with a tick collar at another scope, or use ticks.
        case percent(FIXDecimal)
    }

    public var width: Width
    /// Tried in order; the first the gateway has supplied is used. With none, the order is rejected.
    public var references: [ReferencePriceKind]

    public init(_ width: Width, references: [ReferencePriceKind] = [.last, .mid, .settlement]) {
        self.width = width
        self.references = references
    }
}

/// How far from the best price a market or stop order may trade: it becomes a limit there.
public enum MarketProtection: Sendable, Hashable {
    /// Price points ($/bbl, $/gal).
    case points(FIXDecimal)
    case ticks(Int64)
}

/// At most `limit` messages in any `windowNanos`; above `logoutAbove`, the session should go.
public struct RateLimit: Sendable, Hashable {
    public var limit: Int
    public var windowNanos: Int64
    public var logoutAbove: Int?

    public init(limit: Int, windowNanos: Int64, logoutAbove: Int? = nil) {
        self.limit = limit
        self.windowNanos = windowNanos
        self.logoutAbove = logoutAbove
    }
}

/// Realised + unrealised P&L for the day below −`limit` stops new orders.
public struct DailyLossLimit: Sendable, Hashable {
    /// A positive amount of dollars.
    public var limit: FIXDecimal
    /// After a breach, still let through orders that only shrink a position.
    public var allowReducing: Bool

    public init(limit: FIXDecimal, allowReducing: Bool = false) {
        self.limit = limit
        self.allowReducing = allowReducing
    }
}

/// What self-trade prevention does with an order that would cross the same account's working order.
public enum SelfTradeMode: String, Sendable, Hashable, Codable, CaseIterable {
    case off
    /// Reject the incoming order.
    case reject
    /// Accept it and tell the gateway to cancel the resting order(s) first.
    case cancelResting
}

/// When a product trades, in its exchange's time zone: sessions open at `open` on each of `days`
/// and close at `close` (the next day when `close` is not after `open`, as Globex's 18:00–17:00).
public struct TradingHours: Sendable, Hashable {
    public enum Day: Int, Sendable, Hashable, CaseIterable, Comparable {
        case sunday = 0, monday, tuesday, wednesday, thursday, friday, saturday

        public static func < (lhs: Day, rhs: Day) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// An IANA time zone, `America/New_York`.
    public var timeZone: String
    /// Minutes after local midnight.
    public var open: Int
    public var close: Int
    /// The days a session opens on.
    public var days: Set<Day>

    public init(timeZone: String, open: Int, close: Int, days: Set<Day> = Set(Day.allCases)) {
        self.timeZone = timeZone
        self.open = open
        self.close = close
        self.days = days
    }
}

/// Every limit, by scope, as read from `risk-limits.yaml`.
public struct RiskLimits: Sendable, Hashable {
    public var firm: LimitSet
    public var accounts: [String: LimitSet]
    public var sessions: [String: LimitSet]
    public var roots: [String: LimitSet]
    public var symbols: [String: LimitSet]
    /// Utilisation (percent) logged as a warning, and as critical.
    public var warningPercent: Int
    public var criticalPercent: Int

    public init(firm: LimitSet = LimitSet(), accounts: [String: LimitSet] = [:], sessions: [String: LimitSet] = [:],
                roots: [String: LimitSet] = [:], symbols: [String: LimitSet] = [:],
                warningPercent: Int = 75, criticalPercent: Int = 90) {
        self.firm = firm
        self.accounts = accounts
        self.sessions = sessions
        self.roots = roots
        self.symbols = symbols
        self.warningPercent = warningPercent
        self.criticalPercent = criticalPercent
    }
}
