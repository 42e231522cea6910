import FIXCodec

/// One `<field>` of a dictionary. A class, so the validator's per-field lookup hands out a
/// reference rather than copying names and enumeration tables.
public final class FIXFieldDefinition: Sendable {
    public let tag: Int
    public let name: String
    public let type: FIXFieldType
    /// The allowed values, or `nil` when any well-formed value of the type is allowed.
    public let enumeration: FIXEnumeration?

    init(tag: Int, name: String, type: FIXFieldType, enumeration: FIXEnumeration?) {
        self.tag = tag
        self.name = name
        self.type = type
        self.enumeration = enumeration
    }
}

/// One entry of a message, component or group definition as the XML states it.
public indirect enum FIXDefinitionItem: Sendable {
    case field(name: String, required: Bool)
    case component(name: String, required: Bool)
    case group(name: String, required: Bool, items: [FIXDefinitionItem])
}

/// One `<message>` of a dictionary.
public struct FIXMessageDefinition: Sendable {
    public let name: String
    public let msgType: String
    /// `admin` or `app`.
    public let category: String
    public let items: [FIXDefinitionItem]
    /// The body with every component expanded in place, as the validator walks it.
    public let layout: FIXLayout

    public var isAdmin: Bool { category == "admin" }
}

/// A field list with its components expanded: what fields may appear at one level of a
/// message (its body, its header, or one entry of a group), in order, and which are required.
public final class FIXLayout: Sendable {
    public struct Member: Sendable {
        public let tag: Int
        public let required: Bool
        /// Set when this member is a group's NumInGroup field.
        public let group: FIXGroupLayout?
    }

    public let members: [Member]
    /// Member positions whose field is required at this level.
    public let requiredPositions: [Int]
    /// Dense tag → position + 1 for tags below `denseLimit`, so a lookup is one load.
    private let positionByTag: [UInt16]
    private let positionByHighTag: [Int: Int]

    static let denseLimit = 4096

    init(members: [Member]) {
        self.members = members
        requiredPositions = members.indices.filter { members[$0].required }
        let maxDense = members.map(\.tag).filter { $0 < Self.denseLimit }.max() ?? 0
        var dense = [UInt16](repeating: 0, count: maxDense + 1)
        var high: [Int: Int] = [:]
        for (position, member) in members.enumerated() {
            if member.tag < Self.denseLimit {
                if dense[member.tag] == 0 { dense[member.tag] = UInt16(position + 1) }
            } else if high[member.tag] == nil {
                high[member.tag] = position
            }
        }
        positionByTag = dense
        positionByHighTag = high
    }

    /// Where `tag` stands in this layout, or `nil` if it does not belong here.
    @inline(__always)
    public func position(of tag: Int) -> Int? {
        if tag < positionByTag.count {
            let position = Int(positionByTag[tag])
            return position == 0 ? nil : position - 1
        }
        if tag < Self.denseLimit || positionByHighTag.isEmpty { return nil }
        return positionByHighTag[tag]
    }

    public func contains(_ tag: Int) -> Bool { position(of: tag) != nil }
}

/// A repeating group: its NumInGroup field, the delimiter that opens every entry, and what
/// one entry may hold.
public final class FIXGroupLayout: Sendable {
    public let name: String
    public let countTag: Int
    public let delimiterTag: Int
    public let entry: FIXLayout

    init(name: String, countTag: Int, delimiterTag: Int, entry: FIXLayout) {
        self.name = name
        self.countTag = countTag
        self.delimiterTag = delimiterTag
        self.entry = entry
    }
}

/// A QuickFIX-format data dictionary: fields, messages, components, header and trailer.
///
/// Built once at start-up by ``FIXDictionaryLoader`` and shared read-only by every session.
public final class FIXDataDictionary: Sendable {
    /// `FIX` or `FIXT`.
    public let type: String
    public let major: Int
    public let minor: Int
    public let servicePack: Int
    public let fields: [FIXFieldDefinition]
    public let messages: [FIXMessageDefinition]
    public let components: [String: [FIXDefinitionItem]]
    public let headerItems: [FIXDefinitionItem]
    public let trailerItems: [FIXDefinitionItem]
    public let header: FIXLayout
    public let trailer: FIXLayout
    /// The tags of type DATA / XMLDATA, for the parser.
    public let dataFields: FIXDataFields

    private let fieldIndexByTag: [Int32]
    private let fieldIndexByHighTag: [Int: Int]
    private let fieldIndexByName: [String: Int]
    private let messageIndexByType: [String: Int]
    private let messageIndexByPackedType: [UInt64: Int]
    /// The tables ``FIXValidator`` walks, compiled once when the dictionary is built.
    let validationPlan: ValidationPlan

    init(
        type: String, major: Int, minor: Int, servicePack: Int,
        fields: [FIXFieldDefinition], messages: [FIXMessageDefinition],
        components: [String: [FIXDefinitionItem]],
        headerItems: [FIXDefinitionItem], trailerItems: [FIXDefinitionItem],
        header: FIXLayout, trailer: FIXLayout
    ) {
        self.type = type
        self.major = major
        self.minor = minor
        self.servicePack = servicePack
        self.fields = fields
        self.messages = messages
        self.components = components
        self.headerItems = headerItems
        self.trailerItems = trailerItems
        self.header = header
        self.trailer = trailer
        let maxDense = fields.map(\.tag).filter { $0 < FIXLayout.denseLimit }.max() ?? 0
        var dense = [Int32](repeating: -1, count: maxDense + 1)
        var high: [Int: Int] = [:]
        var byName: [String: Int] = [:]
        var data = FIXDataFields([])
        for (index, field) in fields.enumerated() {
            if field.tag < FIXLayout.denseLimit { dense[field.tag] = Int32(index) } else { high[field.tag] = index }
            byName[field.name] = index
            if field.type.isData { data.insert(field.tag) }
        }
        fieldIndexByTag = dense
        fieldIndexByHighTag = high
        fieldIndexByName = byName
        dataFields = data
        var byType: [String: Int] = [:]
        var byPacked: [UInt64: Int] = [:]
        for (index, message) in messages.enumerated() {
            byType[message.msgType] = index
            if let key = Self.packMsgType(ArraySlice(message.msgType.utf8)) { byPacked[key] = index }
        }
        messageIndexByType = byType
        messageIndexByPackedType = byPacked
        validationPlan = ValidationPlan(
            session: DictionaryParts(fields: fields, messages: messages, header: header, trailer: trailer),
            application: nil)
    }

    /// What a validation plan is compiled from.
    var parts: DictionaryParts {
        DictionaryParts(fields: fields, messages: messages, header: header, trailer: trailer)
    }

    /// `FIX.4.4`, `FIXT.1.1`, or for FIX 5 application dictionaries `FIX.5.0SP2`.
    public var version: String {
        let base = "\(type).\(major).\(minor)"
        return servicePack > 0 ? "\(base)SP\(servicePack)" : base
    }

    /// The BeginString (8) messages of this dictionary carry; FIX 5 travels under `FIXT.1.1`.
    public var beginString: String { major >= 5 ? "FIXT.1.1" : "\(type).\(major).\(minor)" }

    @inline(__always)
    public func field(tag: Int) -> FIXFieldDefinition? {
        if tag >= 0, tag < fieldIndexByTag.count {
            let index = fieldIndexByTag[tag]
            return index < 0 ? nil : fields[Int(index)]
        }
        return fieldIndexByHighTag[tag].map { fields[$0] }
    }

    public func field(named name: String) -> FIXFieldDefinition? {
        fieldIndexByName[name].map { fields[$0] }
    }

    public func message(type msgType: String) -> FIXMessageDefinition? {
        messageIndexByType[msgType].map { messages[$0] }
    }

    /// The message definition for a MsgType value straight from the wire.
    @inline(__always)
    public func message(type msgType: ArraySlice<UInt8>) -> FIXMessageDefinition? {
        if let key = Self.packMsgType(msgType) {
            return messageIndexByPackedType[key].map { messages[$0] }
        }
        return message(type: String(decoding: msgType, as: UTF8.self))
    }

    public func message(named name: String) -> FIXMessageDefinition? {
        messages.first { $0.name == name }
    }

    @inline(__always)
    private static func packMsgType(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 7 else { return nil }
        var key = UInt64(bytes.count)
        for byte in bytes { key = key << 8 | UInt64(byte) }
        return key
    }
}
