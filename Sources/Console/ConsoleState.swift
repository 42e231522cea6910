import ConsoleAccess

/// What the console shows, as the gateway stands at one moment: every figure as text (prices
/// and money are decimals, never binary floating point), ready to be encoded for the page.
/// The backend builds it on the gateway's own loop; ``visible(to:)`` cuts it to what one user
/// may see.
public struct ConsoleState: Sendable, Codable, Equatable {
    /// When it was taken, nanoseconds since the epoch.
    public var time: Int64
    public var sessions: [SessionRow] = []
    /// Working orders and the day's most recent others (at most ``ConsoleState/recentOrders``).
    public var orders: [OrderRow] = []
    /// The day's most recent fills (at most ``ConsoleState/recentFills``).
    public var fills: [FillRow] = []
    public var positions: [PositionRow] = []
    /// P&L summed for the firm, each account and each account's roots.
    public var totals: [TotalRow] = []
    public var limits: [LimitRow] = []
    /// Every limit a risk manager may edit from the console, as configured now (the file's,
    /// with the edits made while running).
    public var limitSettings: [LimitSettingRow] = []
    public var killSwitches: [KillSwitchRow] = []
    /// Changes waiting for a second risk manager.
    public var approvals: [ApprovalRow] = []
    public var market: [MarketRow] = []
    /// Calendar spreads, cracks and Brent−WTI, as the normalizer has them.
    public var spreads: [SpreadRow] = []
    public var venues: [VenueRow] = []
    public var signals: [SignalRow] = []
    public var signalContributors: [SignalContributorRow] = []
    /// Each root's curve (its shape and roll yield) and the desk's spreads (their state and z-score).
    public var signalStates: [SignalStateRow] = []
    /// Each root's recent direction changes, newest first.
    public var signalHistory: [SignalHistoryRow] = []
    /// Where the signals' daily history came from (a simulated sample says so); empty for none.
    public var signalSource: String = ""
    /// The firm's trading state and every account's that is not ACTIVE.
    public var tradingStates: [TradingStateRow] = []
    /// The day's most recent limit warnings (75 % and 90 % crossings), newest first: each page
    /// raises the ones it has not seen.
    public var alerts: [AlertRow] = []
    /// The trading day in progress.
    public var tradingDate: String = ""

    /// The blotter shows the day's most recent; the audit page finds any order of the day.
    public static let recentOrders = 100
    public static let recentFills = 100
    public static let recentAlerts = 50
    /// Direction changes shown per root.
    public static let recentSignals = 20

    public init(time: Int64) {
        self.time = time
    }

    public struct SessionRow: Sendable, Codable, Equatable {
        /// The counterparty's CompID: how the console names the session.
        public var name: String
        public var id: String
        /// `oms` or `venue`.
        public var kind: String
        public var connected: Bool
        public var state: String
        public var nextIn: Int
        public var nextOut: Int
        /// Nanoseconds since the epoch; 0 before any.
        public var lastReceived: Int64
        public var heartbeat: Int
        /// How late the last Heartbeat arrived after its SendingTime, as text; empty before one.
        public var latency: String
        public init(name: String, id: String, kind: String, connected: Bool, state: String, nextIn: Int, nextOut: Int,
                    lastReceived: Int64, heartbeat: Int, latency: String = "") {
            self.latency = latency
            self.name = name
            self.id = id
            self.kind = kind
            self.connected = connected
            self.state = state
            self.nextIn = nextIn
            self.nextOut = nextOut
            self.lastReceived = lastReceived
            self.heartbeat = heartbeat
        }
    }

    public struct OrderRow: Sendable, Codable, Equatable {
        public var orderID: String
        public var clOrdID: String
        public var session: String
        public var account: String
        public var symbol: String
        public var side: String
        public var type: String
        public var timeInForce: String
        public var quantity: Int64
        public var price: String
        public var stopPrice: String
        public var cumQty: Int64
        public var leavesQty: Int64
        public var averagePrice: String
        public var status: String
        public var working: Bool
        /// The user who entered it from the console, if one did.
        public var enteredBy: String
        public init(orderID: String, clOrdID: String, session: String, account: String, symbol: String, side: String, type: String,
                    timeInForce: String, quantity: Int64, price: String, stopPrice: String, cumQty: Int64, leavesQty: Int64,
                    averagePrice: String, status: String, working: Bool, enteredBy: String = "") {
            self.orderID = orderID
            self.clOrdID = clOrdID
            self.session = session
            self.account = account
            self.symbol = symbol
            self.side = side
            self.type = type
            self.timeInForce = timeInForce
            self.quantity = quantity
            self.price = price
            self.stopPrice = stopPrice
            self.cumQty = cumQty
            self.leavesQty = leavesQty
            self.averagePrice = averagePrice
            self.status = status
            self.working = working
            self.enteredBy = enteredBy
        }
    }

    public struct FillRow: Sendable, Codable, Equatable {
        public var execID: String
        public var account: String
        public var symbol: String
        public var side: String
        public var quantity: Int64
        public var price: String
        /// Quantity × price × the contract's multiplier, US dollars.
        public var value: String
        public var time: Int64
        public init(execID: String, account: String, symbol: String, side: String, quantity: Int64, price: String, value: String, time: Int64) {
            self.execID = execID
            self.account = account
            self.symbol = symbol
            self.side = side
            self.quantity = quantity
            self.price = price
            self.value = value
            self.time = time
        }
    }

    public struct PositionRow: Sendable, Codable, Equatable {
        public var account: String
        public var root: String
        public var symbol: String
        public var net: Int64
        public var averagePrice: String
        public var mark: String
        public var realised: String
        public var unrealised: String
        public init(account: String, root: String, symbol: String, net: Int64, averagePrice: String, mark: String, realised: String,
                    unrealised: String) {
            self.account = account
            self.root = root
            self.symbol = symbol
            self.net = net
            self.averagePrice = averagePrice
            self.mark = mark
            self.realised = realised
            self.unrealised = unrealised
        }
    }

    public struct TotalRow: Sendable, Codable, Equatable {
        /// `firm`, `DESK1`, `DESK1 CL`.
        public var scope: String
        /// The account it sums, if one (the firm's row has none).
        public var account: String?
        public var realised: String
        public var unrealised: String
        public var dayPnL: String
        public var grossExposure: String
        public init(scope: String, account: String?, realised: String, unrealised: String, dayPnL: String, grossExposure: String) {
            self.scope = scope
            self.account = account
            self.realised = realised
            self.unrealised = unrealised
            self.dayPnL = dayPnL
            self.grossExposure = grossExposure
        }
    }

    public struct LimitRow: Sendable, Codable, Equatable {
        /// The control: `maxPosition`, `dailyLoss`, …
        public var control: String
        /// `firm`, `account DESK1`, `session OMS1`.
        public var scope: String
        public var subject: String
        public var used: String
        public var limit: String
        public var unit: String
        public var percent: String
        /// `normal`, `warning` (75%), `critical` (90%), `breached`.
        public var level: String
        /// The account the limit concerns, if one.
        public var account: String?
        public init(control: String, scope: String, subject: String, used: String, limit: String, unit: String, percent: String,
                    level: String, account: String?) {
            self.control = control
            self.scope = scope
            self.subject = subject
            self.used = used
            self.limit = limit
            self.unit = unit
            self.percent = percent
            self.level = level
            self.account = account
        }
    }

    /// One editable limit at one scope: `maxPositionPerMonth` at `account:DESK1` is `150` contracts.
    public struct LimitSettingRow: Sendable, Codable, Equatable {
        public var control: String
        /// `firm`, `account:DESK1`, `root:CL`: as an edit names it.
        public var scope: String
        public var value: String
        public var unit: String
        public init(control: String, scope: String, value: String, unit: String) {
            self.control = control
            self.scope = scope
            self.value = value
            self.unit = unit
        }
    }

    public struct KillSwitchRow: Sendable, Codable, Equatable {
        /// `firm`, `account:DESK1`, `session:OMS1`.
        public var scope: String
        public var engagedBy: String
        public var reason: String
        public var engagedAt: Int64
        public init(scope: String, engagedBy: String, reason: String, engagedAt: Int64) {
            self.scope = scope
            self.engagedBy = engagedBy
            self.reason = reason
            self.engagedAt = engagedAt
        }
    }

    public struct ApprovalRow: Sendable, Codable, Equatable {
        public var id: Int
        public var action: String
        public var requestedBy: String
        public var requestedAt: Int64
        public init(id: Int, action: String, requestedBy: String, requestedAt: Int64) {
            self.id = id
            self.action = action
            self.requestedBy = requestedBy
            self.requestedAt = requestedAt
        }
    }

    public struct MarketRow: Sendable, Codable, Equatable {
        public var symbol: String
        public var root: String
        /// The contract month, `2027-02`.
        public var month: String
        public var bid: String
        public var bidSize: Int64
        public var ask: String
        public var askSize: Int64
        public var last: String
        public var settlement: String
        public init(symbol: String, root: String, month: String, bid: String, bidSize: Int64, ask: String, askSize: Int64, last: String,
                    settlement: String) {
            self.symbol = symbol
            self.root = root
            self.month = month
            self.bid = bid
            self.bidSize = bidSize
            self.ask = ask
            self.askSize = askSize
            self.last = last
            self.settlement = settlement
        }
    }

    public struct SpreadRow: Sendable, Codable, Equatable {
        public var name: String
        public var value: String
        public var unit: String
        public init(name: String, value: String, unit: String) {
            self.name = name
            self.value = value
            self.unit = unit
        }
    }

    public struct VenueRow: Sendable, Codable, Equatable {
        public var name: String
        public var connected: Bool
        public var halted: Bool
        public var status: String
        public init(name: String, connected: Bool, halted: Bool, status: String) {
            self.name = name
            self.connected = connected
            self.halted = halted
            self.status = status
        }
    }

    public struct TradingStateRow: Sendable, Codable, Equatable {
        /// `firm` or `account:DESK1`.
        public var scope: String
        /// ACTIVE, REDUCING or HALTED.
        public var state: String
        /// Who set it and why; empty when the limits file sets it.
        public var setBy: String
        public var reason: String
        /// Nanoseconds since the epoch; 0 when the limits file sets it.
        public var since: Int64
        public var account: String?
        public init(scope: String, state: String, setBy: String, reason: String, since: Int64, account: String?) {
            self.scope = scope
            self.state = state
            self.setBy = setBy
            self.reason = reason
            self.since = since
            self.account = account
        }
    }

    public struct AlertRow: Sendable, Codable, Equatable {
        /// Raised in this order since the appliance started: a page alerts on numbers it has not seen.
        public var number: Int
        /// Nanoseconds since the epoch.
        public var time: Int64
        /// `warning` (75 %) or `critical` (90 %) or `breached`.
        public var level: String
        public var message: String
        public var account: String?
        public init(number: Int, time: Int64, level: String, message: String, account: String?) {
            self.number = number
            self.time = time
            self.level = level
            self.message = message
            self.account = account
        }
    }

    public struct SignalRow: Sendable, Codable, Equatable {
        public var root: String
        public var direction: String
        public var score: String
        public var confidence: String
        /// How long after a change its outcome is measured: `5m`, `1d`.
        public var horizon: String = ""
        /// The end of the last bar read, nanoseconds since the epoch; 0 before one.
        public var updated: Int64 = 0
        public var bars: Int = 0
        /// The front month's close in the last bar read (`CLF7 71.42`); empty before one.
        public var lastClose: String = ""
        /// The record: LONG and SHORT changes measured, wins among them (percent) and their
        /// mean return (percent); empty before the first.
        public var signals: Int = 0
        public var winRate: String = ""
        public var averageReturn: String = ""
        public init(root: String, direction: String, score: String, confidence: String) {
            self.root = root
            self.direction = direction
            self.score = score
            self.confidence = confidence
        }
    }

    /// One weighted signal in a root's composite.
    public struct SignalContributorRow: Sendable, Codable, Equatable {
        public var root: String
        public var name: String
        public var weight: String
        /// Its value now in [−1, 1]; empty while it warms up.
        public var value: String
        /// Its own view (LONG, SHORT or NEUTRAL: its value against the composite's entry
        /// threshold) and how strongly (its value's magnitude).
        public var direction: String = ""
        public var confidence: String = ""
        public init(root: String, name: String, weight: String, value: String) {
            self.root = root
            self.name = name
            self.weight = weight
            self.value = value
        }
    }

    /// A state the signals keep: a root's curve (contango, backwardation or flat, with its
    /// annualised roll yield) or one of the desk's spreads (its mean-reversion state, with its
    /// z-score).
    public struct SignalStateRow: Sendable, Codable, Equatable {
        /// `CL curve`, `3-2-1 crack` …: the row's key.
        public var name: String
        /// `CONTANGO`, `SHORT_SPREAD` …; empty before a value.
        public var state: String
        public var value: String
        /// What the value is: `roll yield %/yr`, `z-score (enter 2, exit 0.5)`.
        public var measure: String
        public init(name: String, state: String, value: String, measure: String) {
            self.name = name
            self.state = state
            self.value = value
            self.measure = measure
        }
    }

    /// A direction change and what followed it.
    public struct SignalHistoryRow: Sendable, Codable, Equatable {
        /// `root|time`: the row's key as text (a page's numbers cannot hold nanoseconds exactly).
        public var id: String
        public var root: String
        /// Nanoseconds since the epoch.
        public var time: Int64
        public var previous: String
        public var direction: String
        public var score: String
        public var entryPrice: String
        /// Empty while the horizon has not passed.
        public var exitPrice: String
        /// The front month's return in the signal's direction, percent; empty while pending.
        public var signalReturn: String
        /// `win`, `loss`, `flat` (a change to NEUTRAL), or `pending`.
        public var outcome: String
        public init(root: String, time: Int64, previous: String, direction: String, score: String, entryPrice: String, exitPrice: String,
                    signalReturn: String, outcome: String) {
            id = "\(root)|\(time)"
            self.root = root
            self.time = time
            self.previous = previous
            self.direction = direction
            self.score = score
            self.entryPrice = entryPrice
            self.exitPrice = exitPrice
            self.signalReturn = signalReturn
            self.outcome = outcome
        }
    }
}

extension ConsoleState {
    /// What `user` may see: a trader only its accounts' orders, fills and positions, and no
    /// sessions or limits but its accounts'; each table only to a role that may view it.
    public func visible(to user: ConsoleUser) -> ConsoleState {
        var state = self
        let role = user.role
        if !role.may(.viewSessions) { state.sessions = [] }
        if role.may(.viewOrders) {
            state.orders = orders.filter { user.sees(account: $0.account) }
            state.fills = fills.filter { user.sees(account: $0.account) }
        } else {
            state.orders = []
            state.fills = []
        }
        state.positions = role.may(.viewPositions) ? positions.filter { user.sees(account: $0.account) } : []
        // The firm's total is for those who see every account.
        state.totals = role.may(.viewPositions) ? totals.filter { $0.account.map(user.sees(account:)) ?? (role != .trader) } : []
        if !role.may(.viewRisk) {
            state.limits = []
            state.limitSettings = []
            state.killSwitches = []
            state.approvals = []
            state.tradingStates = []
            state.alerts = []
        }
        if !role.may(.viewMarket) {
            state.market = []
            state.spreads = []
            state.venues = []
        }
        if !role.may(.viewSignals) {
            state.signals = []
            state.signalContributors = []
            state.signalStates = []
            state.signalHistory = []
        }
        return state
    }
}
