/// FIX SessionRejectReason (373): why a message was rejected at the session level.
public enum FIXSessionRejectReason: Int, Sendable, Hashable, CaseIterable {
    case invalidTagNumber = 0
    case requiredTagMissing = 1
    case tagNotDefinedForMessageType = 2
    case undefinedTag = 3
    case tagSpecifiedWithoutValue = 4
    case valueIsIncorrect = 5
    case incorrectDataFormat = 6
    case decryptionProblem = 7
    case signatureProblem = 8
    case compIDProblem = 9
    case sendingTimeAccuracyProblem = 10
    case invalidMsgType = 11
    case xmlValidationError = 12
    case tagAppearsMoreThanOnce = 13
    case tagSpecifiedOutOfRequiredOrder = 14
    case repeatingGroupFieldsOutOfOrder = 15
    case incorrectNumInGroupCount = 16
    case nonDataValueIncludesFieldDelimiter = 17
    case other = 99

    /// The wording FIX gives the reason, used to begin a Reject's Text (58).
    public var text: String {
        switch self {
        case .invalidTagNumber: "Invalid tag number"
        case .requiredTagMissing: "Required tag missing"
        case .tagNotDefinedForMessageType: "Tag not defined for this message type"
        case .undefinedTag: "Undefined tag"
        case .tagSpecifiedWithoutValue: "Tag specified without a value"
        case .valueIsIncorrect: "Value is incorrect (out of range) for this tag"
        case .incorrectDataFormat: "Incorrect data format for value"
        case .decryptionProblem: "Decryption problem"
        case .signatureProblem: "Signature problem"
        case .compIDProblem: "CompID problem"
        case .sendingTimeAccuracyProblem: "SendingTime accuracy problem"
        case .invalidMsgType: "Invalid MsgType"
        case .xmlValidationError: "XML validation error"
        case .tagAppearsMoreThanOnce: "Tag appears more than once"
        case .tagSpecifiedOutOfRequiredOrder: "Tag specified out of required order"
        case .repeatingGroupFieldsOutOfOrder: "Repeating group fields out of order"
        case .incorrectNumInGroupCount: "Incorrect NumInGroup count for repeating group"
        case .nonDataValueIncludesFieldDelimiter: "Non-data value includes field delimiter"
        case .other: "Other"
        }
    }
}

/// A validation failure with everything a Reject (35=3) needs: SessionRejectReason (373),
/// RefTagID (371), RefMsgType (372) and a Text (58) that says what was wrong.
public struct FIXRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: FIXSessionRejectReason
    public let refTagID: Int?
    public let refMsgType: String?
    public let text: String

    public init(_ reason: FIXSessionRejectReason, refTagID: Int?, refMsgType: String?, detail: String? = nil) {
        self.reason = reason
        self.refTagID = refTagID
        self.refMsgType = refMsgType
        var text = reason.text
        if let refTagID { text += ", field=\(refTagID)" }
        if let detail { text += ": \(detail)" }
        self.text = text
    }

    public var description: String { "Reject 373=\(reason.rawValue) 371=\(refTagID.map(String.init) ?? "-") \(text)" }
}
