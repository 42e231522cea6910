import FIXCodec

/// FIX 4.4 MsgType (35): the session messages and the application messages Wellhead sends or
/// answers. A message of any other type reads as `nil` through ``FIXCodec/FIXMessage/type``.
public enum MsgType: String, Sendable, Hashable, Codable, CaseIterable {
    // Session level.
    case heartbeat = "0"
    case testRequest = "1"
    case resendRequest = "2"
    case reject = "3"
    case sequenceReset = "4"
    case logout = "5"
    case logon = "A"
    // Orders.
    case newOrderSingle = "D"
    case orderCancelRequest = "F"
    case orderCancelReplaceRequest = "G"
    case orderStatusRequest = "H"
    case orderMassCancelRequest = "q"
    case orderMassCancelReport = "r"
    case orderMassStatusRequest = "AF"
    case executionReport = "8"
    case orderCancelReject = "9"
    case businessMessageReject = "j"
    // Market data.
    case marketDataRequest = "V"
    case marketDataSnapshotFullRefresh = "W"
    case marketDataIncrementalRefresh = "X"
    case marketDataRequestReject = "Y"
    // Reference data and trading status.
    case securityDefinitionRequest = "c"
    case securityDefinition = "d"
    case securityStatusRequest = "e"
    case securityStatus = "f"
    case tradingSessionStatusRequest = "g"
    case tradingSessionStatus = "h"
    case securityListRequest = "x"
    case securityList = "y"
    // Reflected by the conformance-testing echo.
    case email = "C"
}

extension FIXMessage {
    /// MsgType (35) as the ``MsgType`` it names, or `nil` for a type Wellhead does not know.
    public var type: MsgType? { msgType.flatMap(MsgType.init(rawValue:)) }


    /// The value of the field an enum names, when present and known: `message[ExecType.self]`.
    public subscript<Value: FIXFieldValue>(_ type: Value.Type) -> Value? {
        self[Value.tag].flatMap(Value.init(fixValue:))
    }
}

extension FIXMessageEncoder {
    /// An encoder for a message of the given type.
    public init(beginString: String = "FIX.4.4", type: MsgType, capacity: Int = 512) {
        self.init(beginString: beginString, msgType: type.rawValue, capacity: capacity)
    }
}

/// A FIX enumeration that knows its tag, so a message can be read for it by type.
public protocol FIXFieldValue {
    static var tag: Int { get }
    init?(fixValue: FIXValue)
}

extension FIXFieldValue where Self: RawRepresentable, RawValue == String {
    public init?(fixValue: FIXValue) { self.init(rawValue: fixValue.string) }
}

extension FIXFieldValue where Self: RawRepresentable, RawValue == Int {
    public init?(fixValue: FIXValue) {
        guard let raw = fixValue.int else { return nil }
        self.init(rawValue: raw)
    }
}

extension OrderStatus: FIXFieldValue { public static var tag: Int { FIXTag.ordStatus } }
extension ExecType: FIXFieldValue { public static var tag: Int { FIXTag.execType } }
extension OrderType: FIXFieldValue { public static var tag: Int { FIXTag.ordType } }
extension TimeInForce: FIXFieldValue { public static var tag: Int { FIXTag.timeInForce } }
extension OrdRejReason: FIXFieldValue { public static var tag: Int { FIXTag.ordRejReason } }
extension CxlRejReason: FIXFieldValue { public static var tag: Int { FIXTag.cxlRejReason } }
extension FIXSide: FIXFieldValue { public static var tag: Int { FIXTag.side } }
extension SubscriptionRequestType: FIXFieldValue { public static var tag: Int { FIXTag.subscriptionRequestType } }
extension MDUpdateType: FIXFieldValue { public static var tag: Int { FIXTag.mdUpdateType } }
extension MDEntryType: FIXFieldValue { public static var tag: Int { FIXTag.mdEntryType } }
extension SecurityListRequestType: FIXFieldValue { public static var tag: Int { FIXTag.securityListRequestType } }
