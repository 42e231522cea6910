/// Validation switches, named and defaulted as QuickFIX's session settings are.
public struct FIXValidationOptions: Sendable, Hashable {
    /// ValidateFieldsOutOfOrder: header fields after the body, body fields in the trailer, and
    /// group members out of dictionary order are rejected (373=14 / 15).
    public var validateFieldsOutOfOrder = true
    /// ValidateFieldsHaveValues: an empty value is rejected (373=4).
    public var validateFieldsHaveValues = true
    /// ValidateUserDefinedFields: user-defined fields (tag ≥ 5000) are checked like any other.
    /// When false they may appear anywhere, defined or not.
    public var validateUserDefinedFields = true
    /// AllowUnknownMsgFields: a defined field that does not belong to the message type is let
    /// through (QuickFIX lets it through only in the body, as here).
    public var allowUnknownMessageFields = false
    /// CheckLatency / MaxLatency: SendingTime (52) more than `maxLatencySeconds` from the
    /// receiver's clock is rejected (373=10).
    public var checkLatency = true
    public var maxLatencySeconds = 120

    public init() {}
}
