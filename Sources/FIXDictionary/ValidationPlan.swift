import FIXCodec

/// A dictionary compiled for validation: every table the walk reads is a flat array of plain
/// values indexed by tag or by position, so checking a field costs a few loads and no
/// reference counting, hashing or string work.
///
/// Built once per dictionary (``FIXDataDictionary/validationPlan``), or per validator when a
/// FIXT session dictionary is paired with a FIX 5 application dictionary.
final class ValidationPlan: @unchecked Sendable {
    // @unchecked: the tables are written only in `init` and freed in `deinit`; between the two
    // they are read-only, so sharing them across threads is safe.

    /// The tables themselves, held in memory of their own so that the walk carries one pointer.
    let tables: UnsafePointer<PlanTables>
    /// Each group's layout, by group index, for the names rejection texts carry.
    let groups: [FIXGroupLayout]
    /// Message types longer than seven bytes (none in the standard dictionaries) → layout index.
    private let longMessageTypes: [String: Int32]

    /// The session dictionary's header and trailer, and its fields and messages, with the
    /// application dictionary's fields and messages taking precedence where it has them.
    init(session: DictionaryParts, application: DictionaryParts?) {
        var builder = PlanBuilder()
        builder.addFields(session.fields)
        if let application { builder.addFields(application.fields) }
        let header = builder.layoutIndex(session.header)
        let trailer = builder.layoutIndex(session.trailer)
        builder.markPlace(session.header, place: FieldRule.inHeader)
        builder.markPlace(session.trailer, place: FieldRule.inTrailer)
        var long: [String: Int32] = [:]
        for parts in [session] + (application.map { [$0] } ?? []) {
            for message in parts.messages {
                let layout = builder.layoutIndex(message.layout)
                if !builder.addMessageType(message.msgType, layout: layout) { long[message.msgType] = layout }
            }
        }
        let tables = UnsafeMutablePointer<PlanTables>.allocate(capacity: 1)
        tables.initialize(to: builder.finish(header: header, trailer: trailer))
        self.tables = UnsafePointer(tables)
        groups = builder.groupLayouts
        longMessageTypes = long
    }

    deinit {
        tables.pointee.deallocate()
        tables.deallocate()
    }

    /// The body layout for a MsgType value, or `nil` when the dictionaries do not define it.
    @inline(__always)
    func messageLayout(_ msgType: UnsafeBufferPointer<UInt8>) -> Int32? {
        if let layout = tables.messageLayout(msgType) { return layout }
        guard msgType.count > 7 else { return nil }
        return longMessageTypes[String(decoding: msgType, as: UTF8.self)]
    }
}

/// What a plan is compiled from: a dictionary's fields, messages, header and trailer.
struct DictionaryParts {
    let fields: [FIXFieldDefinition]
    let messages: [FIXMessageDefinition]
    let header: FIXLayout
    let trailer: FIXLayout
}

/// How a field's value is checked, one byte per field: each case is one of
/// ``FIXFieldType/accepts(_:)``'s rules.
enum ValueCheck {
    case text, int, unsigned, tagNum, dayOfMonth, decimal, char, boolean
    case monthYear, timestamp, timeOfDay, date

    init(_ type: FIXFieldType) {
        switch type {
        case .int: self = .int
        case .length, .numInGroup, .seqNum: self = .unsigned
        case .tagNum: self = .tagNum
        case .dayOfMonth: self = .dayOfMonth
        case .float, .qty, .price, .priceOffset, .amt, .percentage: self = .decimal
        case .char: self = .char
        case .boolean: self = .boolean
        case .monthYear: self = .monthYear
        case .utcTimestamp, .time: self = .timestamp
        case .utcTimeOnly: self = .timeOfDay
        case .utcDateOnly, .localMktDate: self = .date
        case .data, .xmlData, .string, .multipleValueString, .multipleStringValue, .multipleCharValue, .country,
             .currency, .exchange, .language, .tzTimeOnly, .tzTimestamp, .date, .unknown:
            self = .text
        }
    }
}

/// What the walk knows of one tag: whether the dictionary defines it, how its value is
/// checked, its enumeration, and where it stands in the header or trailer. Eight bytes.
struct FieldRule {
    static let defined: UInt8 = 1
    static let multipleValue: UInt8 = 2
    static let inHeader: UInt8 = 4
    static let inTrailer: UInt8 = 8

    var flags: UInt8 = 0
    var check = ValueCheck.text
    /// The member position in the header or trailer, when `inHeader` or `inTrailer` is set.
    var position: UInt16 = 0
    /// Index into the enumeration table, or -1.
    var enumeration: Int32 = -1

    static let undefined = FieldRule()

    @inline(__always) func has(_ flag: UInt8) -> Bool { flags & flag != 0 }
}

/// One level of a message: its body, header, trailer or one group entry.
struct LayoutRule {
    /// Dense tag → position + 1 (0: not here) in `positions`, for tags below `denseCount`.
    var denseStart: Int32
    var denseCount: Int32
    /// Members whose tag is `denseCount` or more, sorted by tag, in `highMembers`.
    var highStart: Int32
    var highCount: Int32
    /// Members in dictionary order, in `members`.
    var memberStart: Int32
    var memberCount: Int32
    /// Required positions as a bit set of `words` words, in `required`.
    var requiredStart: Int32
    var words: Int32
}

/// A layout member: its tag and, for a NumInGroup field, its group's index (else -1).
struct MemberRule {
    var tag: Int32
    var group: Int32
}

/// A repeating group: its count and delimiter tags and the layout of one entry.
struct GroupRule {
    var countTag: Int32
    var delimiterTag: Int32
    var entry: Int32
}

/// An enumeration: one-byte values in a 256-bit map (four words of `enumerationBytes`), empty
/// and 2–7 byte values packed into sorted words (``PlanTables/pack(_:)``), longer ones as byte
/// ranges.
struct EnumRule {
    var packedStart: Int32
    var packedCount: Int32
    var longStart: Int32
    var longCount: Int32
}

/// A member with a high tag, for binary search.
struct HighMember {
    var tag: Int32
    var position: Int32
}

/// The compiled tables as raw pointers: plain values the walk copies and reads without
/// bounds checks, reference counting or exclusivity checks. Owned by ``ValidationPlan``.
struct PlanTables {
    var fields: UnsafeMutableBufferPointer<FieldRule>
    /// Fields with tags beyond `fields`, sorted by tag (with their rules in `highFieldRules`).
    var highFieldTags: UnsafeMutableBufferPointer<Int32>
    var highFieldRules: UnsafeMutableBufferPointer<FieldRule>
    var layouts: UnsafeMutableBufferPointer<LayoutRule>
    var positions: UnsafeMutableBufferPointer<UInt16>
    var highMembers: UnsafeMutableBufferPointer<HighMember>
    var members: UnsafeMutableBufferPointer<MemberRule>
    var required: UnsafeMutableBufferPointer<UInt64>
    var groups: UnsafeMutableBufferPointer<GroupRule>
    var enumerations: UnsafeMutableBufferPointer<EnumRule>
    /// Each enumeration's one-byte values as a 256-bit map: four words per enumeration.
    var enumerationBytes: UnsafeMutableBufferPointer<UInt64>
    var packedValues: UnsafeMutableBufferPointer<UInt64>
    /// Long enumeration values: (offset, length) pairs into `longBytes`.
    var longValues: UnsafeMutableBufferPointer<UInt32>
    var longBytes: UnsafeMutableBufferPointer<UInt8>
    /// One-byte MsgType → layout index (or -1).
    var singleMessageTypes: UnsafeMutableBufferPointer<Int32>
    /// Packed 2–7 byte MsgTypes, sorted, with their layout indexes.
    var packedMessageTypes: UnsafeMutableBufferPointer<UInt64>
    var packedMessageLayouts: UnsafeMutableBufferPointer<Int32>
    /// Seen-set words one validation needs at most (header, trailer, a body, nested entries).
    var scratchWords: Int

    /// The header's and the trailer's layouts.
    var headerLayout: Int
    var trailerLayout: Int

    func deallocate() {
        fields.deallocate(); highFieldTags.deallocate(); highFieldRules.deallocate()
        layouts.deallocate(); positions.deallocate(); highMembers.deallocate(); members.deallocate()
        required.deallocate(); groups.deallocate(); enumerations.deallocate(); enumerationBytes.deallocate()
        packedValues.deallocate()
        longValues.deallocate(); longBytes.deallocate(); singleMessageTypes.deallocate()
        packedMessageTypes.deallocate(); packedMessageLayouts.deallocate()
    }

    /// Up to seven bytes as one word, the length in the top byte so that `1` and `01` differ.
    @inline(__always)
    static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var key = UInt64(bytes.count) << 56
        for (offset, byte) in bytes.enumerated() { key |= UInt64(byte) << UInt64(8 * offset) }
        return key
    }

    /// Binary search in a sorted buffer.
    @inline(__always)
    static func search<T: Comparable>(_ sorted: UnsafeBufferPointer<T>, _ key: T) -> Int? {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) >> 1
            let found = sorted[middle]
            if found == key { return middle }
            if found < key { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    @inline(__always)
    static func search<T: Comparable>(_ sorted: UnsafeMutableBufferPointer<T>, _ key: T) -> Int? {
        search(UnsafeBufferPointer(sorted), key)
    }
}

/// The lookups the walk makes, on a pointer to the tables so that nothing is copied.
extension UnsafePointer<PlanTables> {
    /// The rule for a tag; `undefined` for a tag the dictionaries do not define.
    @inline(__always)
    func field(_ tag: Int) -> FieldRule {
        let fields = pointee.fields
        if tag < fields.count { return fields[tag] }
        guard let index = PlanTables.search(pointee.highFieldTags, Int32(truncatingIfNeeded: tag)) else { return .undefined }
        return pointee.highFieldRules[index]
    }

    /// Where `tag` stands in a layout, or -1 when it does not belong there.
    @inline(__always)
    func position(of tag: Int, in layout: LayoutRule) -> Int {
        if tag < Int(layout.denseCount) { return Int(pointee.positions[Int(layout.denseStart) + tag]) - 1 }
        guard layout.highCount > 0 else { return -1 }
        let highMembers = pointee.highMembers
        let start = Int(layout.highStart)
        var low = start, high = start + Int(layout.highCount)
        let key = Int32(truncatingIfNeeded: tag)
        while low < high {
            let middle = (low + high) >> 1
            let found = highMembers[middle].tag
            if found == key { return Int(highMembers[middle].position) }
            if found < key { low = middle + 1 } else { high = middle }
        }
        return -1
    }

    /// Whether an enumeration holds a one-byte value: one bit in its map.
    @inline(__always)
    func containsByte(_ byte: UInt8, enumeration index: Int) -> Bool {
        let word = pointee.enumerationBytes[index * 4 + Int(byte >> 6)]
        return word & (1 << UInt64(byte & 63)) != 0
    }

    /// Whether an enumeration holds `value`, compared as bytes.
    func contains(_ value: UnsafeBufferPointer<UInt8>, enumeration index: Int) -> Bool {
        if value.count == 1 { return containsByte(value[0], enumeration: index) }
        let rule = pointee.enumerations[index]
        if let key = PlanTables.pack(value) {
            let range = Int(rule.packedStart)..<Int(rule.packedStart + rule.packedCount)
            let values = UnsafeBufferPointer(rebasing: pointee.packedValues[range])
            return PlanTables.search(values, key) != nil
        }
        for entry in Int(rule.longStart)..<Int(rule.longStart + rule.longCount) {
            let offset = Int(pointee.longValues[2 * entry]), length = Int(pointee.longValues[2 * entry + 1])
            guard length == value.count else { continue }
            var index = 0
            while index < length, pointee.longBytes[offset + index] == value[index] { index += 1 }
            if index == length { return true }
        }
        return false
    }

    /// The layout for a MsgType of up to seven bytes, or `nil`.
    @inline(__always)
    func messageLayout(_ msgType: UnsafeBufferPointer<UInt8>) -> Int32? {
        if msgType.count == 1 {
            let layout = pointee.singleMessageTypes[Int(msgType[0])]
            return layout < 0 ? nil : layout
        }
        guard let key = PlanTables.pack(msgType),
              let index = PlanTables.search(pointee.packedMessageTypes, key) else { return nil }
        return pointee.packedMessageLayouts[index]
    }

}

/// Collects the tables in Swift arrays, then copies them into the plan's own memory.
private struct PlanBuilder {
    /// Tags below this are looked up in dense tables; the rest by binary search.
    static let denseLimit = 8192

    var fieldRules: [Int: FieldRule] = [:]
    var layouts: [LayoutRule] = []
    var layoutByObject: [ObjectIdentifier: Int32] = [:]
    var layoutByKey: [[Int64]: Int32] = [:]
    var positions: [UInt16] = []
    var highMembers: [HighMember] = []
    var members: [MemberRule] = []
    var required: [UInt64] = []
    var groups: [GroupRule] = []
    var groupLayouts: [FIXGroupLayout] = []
    var groupByObject: [ObjectIdentifier: Int32] = [:]
    var groupByKey: [[Int64]: Int32] = [:]
    var enumerations: [EnumRule] = []
    var enumerationBytes: [UInt64] = []
    var packedValues: [UInt64] = []
    var longValues: [UInt32] = []
    var longBytes: [UInt8] = []
    var singleMessageTypes = [Int32](repeating: -1, count: 256)
    var packedMessageTypes: [(UInt64, Int32)] = []

    mutating func addFields(_ definitions: [FIXFieldDefinition]) {
        for definition in definitions {
            var rule = FieldRule()
            rule.flags = FieldRule.defined | (definition.type.isMultipleValue ? FieldRule.multipleValue : 0)
            rule.check = ValueCheck(definition.type)
            if let enumeration = definition.enumeration { rule.enumeration = addEnumeration(enumeration) }
            fieldRules[definition.tag] = rule
        }
    }

    private mutating func addEnumeration(_ enumeration: FIXEnumeration) -> Int32 {
        var singles: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var packed: [UInt64] = []
        var long: [[UInt8]] = []
        for (value, _) in enumeration.values {
            let bytes = Array(value.utf8)
            if bytes.count == 1 {
                let byte = Int(bytes[0])
                withUnsafeMutableBytes(of: &singles) { raw in
                    let word = raw.load(fromByteOffset: (byte >> 6) * 8, as: UInt64.self) | (1 << UInt64(byte & 63))
                    raw.storeBytes(of: word, toByteOffset: (byte >> 6) * 8, as: UInt64.self)
                }
            } else if let key = bytes.withUnsafeBufferPointer({ PlanTables.pack($0) }) {
                packed.append(key)
            } else {
                long.append(bytes)
            }
        }
        let sorted = Array(Set(packed)).sorted()
        enumerationBytes += [singles.0, singles.1, singles.2, singles.3]
        let rule = EnumRule(
            packedStart: Int32(packedValues.count), packedCount: Int32(sorted.count),
            longStart: Int32(longValues.count / 2), longCount: Int32(long.count)
        )
        packedValues += sorted
        for bytes in long {
            longValues += [UInt32(longBytes.count), UInt32(bytes.count)]
            longBytes += bytes
        }
        enumerations.append(rule)
        return Int32(enumerations.count - 1)
    }

    /// Marks the direct members of the header or trailer in the field rules.
    /// A tag in both keeps the header's place: the header is looked at first.
    mutating func markPlace(_ layout: FIXLayout, place: UInt8) {
        for (position, member) in layout.members.enumerated().reversed() {
            // Reversed, so that a tag listed twice keeps its first position, as FIXLayout does.
            var rule = fieldRules[member.tag] ?? FieldRule()
            if rule.has(FieldRule.inHeader), place != FieldRule.inHeader { continue }
            rule.flags |= place
            rule.position = UInt16(position)
            fieldRules[member.tag] = rule
        }
    }

    /// The index of a layout's compiled form, compiling it (and its groups) the first time.
    /// Components expand into a layout object per use, so the same group entry recurs in many
    /// messages: identical layouts (same members, requiredness and groups) share one compiled
    /// form, which keeps a FIX 5 plan to a few megabytes rather than tens.
    mutating func layoutIndex(_ layout: FIXLayout) -> Int32 {
        if let index = layoutByObject[ObjectIdentifier(layout)] { return index }
        // Groups first, so that the key can name them by their compiled index.
        let memberRules = layout.members.map { MemberRule(tag: Int32($0.tag), group: $0.group.map { groupIndex($0) } ?? -1) }
        let key = layout.members.indices.map { position in
            Int64(memberRules[position].tag) << 32 | Int64(memberRules[position].group + 1) << 1
                | (layout.members[position].required ? 1 : 0)
        }
        if let index = layoutByKey[key] {
            layoutByObject[ObjectIdentifier(layout)] = index
            return index
        }
        let index = Int32(layouts.count)
        var rule = LayoutRule(denseStart: Int32(positions.count), denseCount: 0, highStart: Int32(highMembers.count),
                              highCount: 0, memberStart: Int32(members.count), memberCount: Int32(layout.members.count),
                              requiredStart: Int32(required.count), words: Int32(Self.wordCount(layout.members.count)))
        let denseCount = (layout.members.map(\.tag).filter { $0 < Self.denseLimit }.max() ?? -1) + 1
        var dense = [UInt16](repeating: 0, count: denseCount)
        var high: [Int: Int] = [:]
        var requiredWords = [UInt64](repeating: 0, count: Int(rule.words))
        for (position, member) in layout.members.enumerated() {
            if member.tag < Self.denseLimit {
                if dense[member.tag] == 0 { dense[member.tag] = UInt16(position + 1) }
            } else if high[member.tag] == nil {
                high[member.tag] = position
            }
            if member.required { requiredWords[position >> 6] |= 1 << UInt64(position & 63) }
        }
        rule.denseCount = Int32(denseCount)
        rule.highCount = Int32(high.count)
        positions += dense
        highMembers += high.sorted { $0.key < $1.key }.map { HighMember(tag: Int32($0.key), position: Int32($0.value)) }
        required += requiredWords
        members += memberRules
        layouts.append(rule)
        layoutByObject[ObjectIdentifier(layout)] = index
        layoutByKey[key] = index
        return index
    }

    private mutating func groupIndex(_ group: FIXGroupLayout) -> Int32 {
        if let index = groupByObject[ObjectIdentifier(group)] { return index }
        let entry = layoutIndex(group.entry)
        let key = [Int64(group.countTag), Int64(group.delimiterTag), Int64(entry)]
        if let index = groupByKey[key] {
            groupByObject[ObjectIdentifier(group)] = index
            return index
        }
        let index = Int32(groups.count)
        groups.append(GroupRule(countTag: Int32(group.countTag), delimiterTag: Int32(group.delimiterTag), entry: entry))
        groupLayouts.append(group)
        groupByObject[ObjectIdentifier(group)] = index
        groupByKey[key] = index
        return index
    }

    /// Adds a MsgType of up to seven bytes; false for a longer one.
    mutating func addMessageType(_ msgType: String, layout: Int32) -> Bool {
        let bytes = Array(msgType.utf8)
        if bytes.count == 1 {
            singleMessageTypes[Int(bytes[0])] = layout
            return true
        }
        guard let key = bytes.withUnsafeBufferPointer({ PlanTables.pack($0) }) else { return false }
        packedMessageTypes.removeAll { $0.0 == key }
        packedMessageTypes.append((key, layout))
        return true
    }

    static func wordCount(_ members: Int) -> Int { max(1, (members + 63) / 64) }

    /// Seen-set words a layout needs, its deepest nested entries included.
    private func need(_ layout: Int, _ memo: inout [Int: Int]) -> Int {
        if let known = memo[layout] { return known }
        let rule = layouts[layout]
        var deepest = 0
        for member in members[Int(rule.memberStart)..<Int(rule.memberStart + rule.memberCount)] where member.group >= 0 {
            deepest = max(deepest, need(Int(groups[Int(member.group)].entry), &memo))
        }
        let total = Int(rule.words) + deepest
        memo[layout] = total
        return total
    }

    func finish(header: Int32, trailer: Int32) -> PlanTables {
        let denseFields = (fieldRules.keys.filter { $0 < Self.denseLimit }.max() ?? -1) + 1
        var dense = [FieldRule](repeating: .undefined, count: denseFields)
        var highTags: [Int32] = []
        var highRules: [FieldRule] = []
        for (tag, rule) in fieldRules.sorted(by: { $0.key < $1.key }) {
            if tag < Self.denseLimit {
                dense[tag] = rule
            } else {
                highTags.append(Int32(tag))
                highRules.append(rule)
            }
        }
        let sortedTypes = packedMessageTypes.sorted { $0.0 < $1.0 }
        var memo: [Int: Int] = [:]
        // The header, the trailer and any one body, each with its deepest nested entries.
        var scratch = need(Int(header), &memo) + need(Int(trailer), &memo)
        scratch += (0..<layouts.count).map { need($0, &memo) }.max() ?? 0
        return PlanTables(
            fields: Self.copy(dense), highFieldTags: Self.copy(highTags), highFieldRules: Self.copy(highRules),
            layouts: Self.copy(layouts), positions: Self.copy(positions), highMembers: Self.copy(highMembers),
            members: Self.copy(members), required: Self.copy(required), groups: Self.copy(groups),
            enumerations: Self.copy(enumerations), enumerationBytes: Self.copy(enumerationBytes),
            packedValues: Self.copy(packedValues),
            longValues: Self.copy(longValues), longBytes: Self.copy(longBytes),
            singleMessageTypes: Self.copy(singleMessageTypes),
            packedMessageTypes: Self.copy(sortedTypes.map(\.0)), packedMessageLayouts: Self.copy(sortedTypes.map(\.1)),
            scratchWords: scratch, headerLayout: Int(header), trailerLayout: Int(trailer)
        )
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
        // At least one element, so every buffer has a base address.
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<array.count])
    }
}
