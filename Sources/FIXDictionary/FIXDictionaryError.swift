/// Why a dictionary could not be loaded: the file, the XML line and element, and what is wrong.
public struct FIXDictionaryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case unreadableFile
        case malformedXML
        case notADictionary
        case missingAttribute
        case invalidAttribute
        case unexpectedElement
        case duplicateFieldNumber
        case duplicateFieldName
        case duplicateMessageType
        case duplicateComponent
        case duplicateEnumValue
        case unknownField
        case unknownComponent
        case groupWithoutCountField
        case emptyGroup
        case recursiveComponent
    }

    public let code: Code
    public let file: String
    /// The XML line, when the fault has one.
    public let line: Int?
    /// The element at fault, such as `<field name="Side">` or `<message name="NewOrderSingle">`.
    public let element: String
    public let message: String

    public init(_ code: Code, file: String, line: Int?, element: String, message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.element = element
        self.message = message
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return element.isEmpty ? "\(location): \(message)" : "\(location): \(element): \(message)"
    }
}
