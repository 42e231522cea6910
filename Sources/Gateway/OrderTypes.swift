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

/// OrdType (40) values the gateway routes.
public enum OrderType: String, Sendable, Hashable, Codable {
    case market = "1"
    case limit = "2"
    case stop = "3"
    case stopLimit = "4"

    public var needsPrice: Bool { self == .limit || self == .stopLimit }
    public var needsStopPrice: Bool { self == .stop || self == .stopLimit }
}

/// TimeInForce (59) values the gateway routes.
public enum TimeInForce: String, Sendable, Hashable, Codable {
    case day = "0"
    case goodTillCancel = "1"
    case immediateOrCancel = "3"
    case fillOrKill = "4"
    case goodTillDate = "6"

    /// Kept across a disconnect and the end of the trading day.
    public var outlivesTheDay: Bool { self == .goodTillCancel || self == .goodTillDate }
}

/// OrdRejReason (103) values the gateway sends.
public enum OrderRejectReason: Int, Sendable, Hashable, Codable {
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

/// CxlRejReason (102) values for an OrderCancelReject.
public enum CancelRejectReason: Int, Sendable, Hashable, Codable {
    case tooLateToCancel = 0
    case unknownOrder = 1
    case brokerOption = 2
    case alreadyPending = 3
    case duplicateClOrdID = 6
    case other = 99
}

extension String {
    /// The single byte of a one-character FIX char value.
    var fixByte: UInt8 { utf8.first ?? UInt8(ascii: "?") }
}
