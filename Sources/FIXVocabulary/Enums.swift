import FIXCodec

/// OrdStatus (39): where an order stands, as the OMS sees it.
public enum OrderStatus: String, Sendable, Hashable, Codable {
    case new = "0"
    case partiallyFilled = "1"
    case filled = "2"
    case doneForDay = "3"
    case canceled = "4"
    case pendingCancel = "6"
    case rejected = "8"
    case pendingNew = "A"
    case expired = "C"
    case pendingReplace = "E"

    /// No further fills or changes can come: the order is off the book for good.
    public var isTerminal: Bool {
        switch self {
        case .filled, .doneForDay, .canceled, .rejected, .expired: true
        default: false
        }
    }
}

/// ExecType (150): what happened to produce an execution report.
public enum ExecType: String, Sendable, Hashable, Codable {
    case new = "0"
    case doneForDay = "3"
    case canceled = "4"
    case replaced = "5"
    case pendingCancel = "6"
    case rejected = "8"
    case pendingNew = "A"
    case expired = "C"
    case pendingReplace = "E"
    case trade = "F"
    case orderStatus = "I"
}

/// OrdType (40) values Wellhead routes.
public enum OrderType: String, Sendable, Hashable, Codable {
    case market = "1"
    case limit = "2"
    case stop = "3"
    case stopLimit = "4"

    /// The type as risk texts and audit records spell it: `market`, `limit`, `stop`, `stopLimit`.
    public var name: String {
        switch self {
        case .market: "market"
        case .limit: "limit"
        case .stop: "stop"
        case .stopLimit: "stopLimit"
        }
    }

    public var needsPrice: Bool { self == .limit || self == .stopLimit }
    public var needsStopPrice: Bool { self == .stop || self == .stopLimit }
}

/// TimeInForce (59) values Wellhead routes.
public enum TimeInForce: String, Sendable, Hashable, Codable {
    case day = "0"
    case goodTillCancel = "1"
    case immediateOrCancel = "3"
    case fillOrKill = "4"
    case goodTillDate = "6"

    /// The time in force as risk audit records spell it: `day`, `goodTillCancel`, `immediateOrCancel`,
    /// `fillOrKill`, `goodTillDate`.
    public var name: String {
        switch self {
        case .day: "day"
        case .goodTillCancel: "goodTillCancel"
        case .immediateOrCancel: "immediateOrCancel"
        case .fillOrKill: "fillOrKill"
        case .goodTillDate: "goodTillDate"
        }
    }

    /// Kept across a disconnect and the end of the trading day.
    public var outlivesTheDay: Bool { self == .goodTillCancel || self == .goodTillDate }
}

/// FIX 4.4 OrdRejReason (103): why a new order was rejected, for the ExecutionReport
/// (35=8, 150=8, 39=8) the gateway and the risk checks answer it with.
public enum OrdRejReason: Int, Sendable, Hashable, Codable, CaseIterable {
    case brokerOption = 0
    case unknownSymbol = 1
    case exchangeClosed = 2
    case orderExceedsLimit = 3
    case tooLateToEnter = 4
    case unknownOrder = 5
    case duplicateOrder = 6
    case unsupportedOrderCharacteristic = 11
    case incorrectQuantity = 13
    case unknownAccount = 15
    case other = 99
}

/// FIX 4.4 CxlRejReason (102): why a cancel or replace was rejected, for the OrderCancelReject (35=9).
public enum CxlRejReason: Int, Sendable, Hashable, Codable, CaseIterable {
    case tooLateToCancel = 0
    case unknownOrder = 1
    case brokerOption = 2
    case alreadyPending = 3
    case duplicateClOrdID = 6
    case other = 99
}

/// PartyRole (452) in the Parties group: the part a named party played in an order.
public enum PartyRole: Int, Sendable, Hashable, Codable, CaseIterable {
    /// The person who entered the order (a console user, for the console's own session).
    case orderOriginationTrader = 11
}

/// PartyIDSource (447): what kind of name PartyID (448) is.
public enum PartyIDSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// A name private to the firm (a console user's).
    case proprietary = "D"
}

/// FIX 4.4 Side (54) as the wire spells it. Buy and sell are the sides Wellhead trades, and the
/// domain's `Instruments.Side` (which positions and risk use) has the same raw values 1 and 2;
/// this enum names the other FIX values so a message carrying one can be recognised and refused.
public enum FIXSide: String, Sendable, Hashable, Codable, CaseIterable {
    case buy = "1"
    case sell = "2"
    case buyMinus = "3"
    case sellPlus = "4"
    case sellShort = "5"
    case sellShortExempt = "6"
    case undisclosed = "7"
    case cross = "8"
    case crossShort = "9"
}

/// SubscriptionRequestType (263): what a MarketDataRequest (35=V) asks for.
public enum SubscriptionRequestType: String, Sendable, Hashable, Codable, CaseIterable {
    /// One snapshot, no updates after it.
    case snapshot = "0"
    /// A snapshot, then updates as the book changes.
    case snapshotPlusUpdates = "1"
    /// Ends the subscription the request's MDReqID opened.
    case disablePreviousSnapshotPlusUpdateRequest = "2"
}

/// MDUpdateType (265): how a subscription's updates are published.
public enum MDUpdateType: String, Sendable, Hashable, Codable, CaseIterable {
    /// A full refresh (35=W) of the book on each change.
    case fullRefresh = "0"
    /// Incremental refreshes (35=X) of what changed.
    case incrementalRefresh = "1"
}

extension String {
    /// The single byte of a one-character FIX char value.
    public var fixByte: UInt8 { utf8.first ?? UInt8(ascii: "?") }
}

extension OrderStatus {
    /// The status in words, for a reject's Text ("too late: order … is filled").
    public var text: String {
        switch self {
        case .new: "new"
        case .partiallyFilled: "partially filled"
        case .filled: "filled"
        case .doneForDay: "done for the day"
        case .canceled: "canceled"
        case .pendingCancel: "pending cancel"
        case .rejected: "rejected"
        case .pendingNew: "pending new"
        case .expired: "expired"
        case .pendingReplace: "pending replace"
        }
    }
}

/// MDEntryType (269): what a market-data entry is.
public enum MDEntryType: String, Sendable, Hashable, Codable, CaseIterable {
    case bid = "0"
    case offer = "1"
    case trade = "2"
    /// A derived instrument's value (a spread or crack priced from its legs).
    case indexValue = "3"
    case settlementPrice = "6"
}

/// SecurityListRequestType (559): which securities a SecurityListRequest asks for.
public enum SecurityListRequestType: String, Sendable, Hashable, Codable, CaseIterable {
    /// The one the request's Symbol (55) names.
    case symbol = "0"
    case securityTypeAndOrCFICode = "1"
    case product = "2"
    case tradingSessionID = "3"
    case allSecurities = "4"
}
