/// What a dictionary holds, as `wellhead dictionary` prints it.
public struct FIXDictionarySummary: Sendable, Hashable, CustomStringConvertible {
    public let version: String
    public let fields: Int
    public let messages: Int
    public let adminMessages: Int
    public let applicationMessages: Int
    public let components: Int
    /// Every `<group>` element in the header, trailer, messages and components.
    public let groups: Int
    public let enumValues: Int
    public let userDefinedFields: Int

    public init(_ dictionary: FIXDataDictionary) {
        version = dictionary.version
        fields = dictionary.fields.count
        messages = dictionary.messages.count
        adminMessages = dictionary.messages.filter(\.isAdmin).count
        applicationMessages = messages - adminMessages
        components = dictionary.components.count
        var groups = Self.groups(in: dictionary.headerItems) + Self.groups(in: dictionary.trailerItems)
        for message in dictionary.messages { groups += Self.groups(in: message.items) }
        for items in dictionary.components.values { groups += Self.groups(in: items) }
        self.groups = groups
        enumValues = dictionary.fields.reduce(0) { $0 + ($1.enumeration?.count ?? 0) }
        userDefinedFields = dictionary.fields.filter { $0.tag >= 5000 }.count
    }

    private static func groups(in items: [FIXDefinitionItem]) -> Int {
        items.reduce(0) { total, item in
            if case let .group(_, _, members) = item { return total + 1 + groups(in: members) }
            return total
        }
    }

    public var description: String {
        """
        version:        \(version)
        fields:         \(fields) (\(userDefinedFields) with tag ≥ 5000)
        messages:       \(messages) (\(adminMessages) admin, \(applicationMessages) application)
        components:     \(components)
        groups:         \(groups)
        enum values:    \(enumValues)
        """
    }
}
