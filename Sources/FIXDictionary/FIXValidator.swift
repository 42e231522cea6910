import FIXCodec

/// Checks a parsed message against its data dictionary, as a FIX engine must before the
/// application sees it, and says what a Reject (35=3) should carry when it fails.
///
/// One pass over the fields against the dictionary's compiled tables (``ValidationPlan``):
/// every lookup is a load from a dense array indexed by tag or position, enumerations are
/// compared as bytes, and the bookkeeping of which fields were seen lives in stack memory.
/// A valid message costs no heap allocation.
public struct FIXValidator: Sendable {
    /// The session dictionary: header, trailer and the admin messages (FIX 4.x: everything).
    public let dictionary: FIXDataDictionary
    /// For FIXT 1.1 sessions, the FIX 5 application dictionary; `nil` for FIX 4.x.
    public let application: FIXDataDictionary?
    public var options: FIXValidationOptions
    /// The dictionary's own plan, or for FIXT one compiled from both dictionaries.
    private let plan: ValidationPlan

    public init(dictionary: FIXDataDictionary, application: FIXDataDictionary? = nil,
                options: FIXValidationOptions = FIXValidationOptions()) {
        self.dictionary = dictionary
        self.application = application
        self.options = options
        plan = application.map { ValidationPlan(session: dictionary.parts, application: $0.parts) }
            ?? dictionary.validationPlan
    }

    /// Throws the rejection a session must send for `message`, or returns if it is valid.
    /// - Parameter now: the receiver's clock for the SendingTime accuracy check; `nil` skips it.
    public func validate(_ message: FIXMessage, now: FIXTimestamp? = nil) throws(FIXRejection) {
        if let failure = walk(message) { throw rejection(failure, message) }
        if options.checkLatency, let now, let sendingTime = message[FIXTag.sendingTime], !sendingTime.isEmpty {
            // A well-formed SendingTime beyond 64-bit nanoseconds (after 2262) is out of any
            // latency too, rather than unchecked.
            let skew = sendingTime.timestamp.map { sent in
                let (difference, overflow) = now.nanosecondsSinceEpoch.subtractingReportingOverflow(sent.nanosecondsSinceEpoch)
                return overflow ? .max : difference.magnitude
            } ?? .max
            if skew > UInt64(options.maxLatencySeconds) * 1_000_000_000 {
                throw FIXRejection(.sendingTimeAccuracyProblem, refTagID: FIXTag.sendingTime,
                                   refMsgType: message.msgType,
                                   detail: "SendingTime differs from this engine's clock by more than \(options.maxLatencySeconds)s")
            }
        }
    }

    /// The one pass; what went wrong, if anything, as plain values.
    private func walk(_ message: FIXMessage) -> Failure? {
        let plan = plan
        let options = options
        return withExtendedLifetime(plan) {
            message.bytes.withUnsafeBufferPointer { bytes in
                message.fields.withUnsafeBufferPointer { fields in
                    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: plan.tables.pointee.scratchWords) { scratch in
                        // A plan always has seen-set words for a header, a trailer and a body.
                        guard let scratch = scratch.baseAddress else { preconditionFailure("no seen-set memory") }
                        let walk = Walk(plan: plan.tables, bytes: bytes, fields: fields, options: options)
                        do throws(Failure) {
                            try walk.run(plan, scratch)
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
            }
        }
    }

    /// The definition a value is checked against: the application dictionary's first.
    func fieldDefinition(_ tag: Int) -> FIXFieldDefinition? {
        if let application, let field = application.field(tag: tag) { return field }
        return dictionary.field(tag: tag)
    }

    /// The Reject's reason, RefTagID, RefMsgType and text for a failure (off the valid path).
    @inline(never)
    private func rejection(_ failure: Failure, _ message: FIXMessage) -> FIXRejection {
        let msgType = failure.note == .beginning ? nil : message.value(at: 2).string
        var tag = failure.tag
        let detail: String?
        func name(_ tag: Int?) -> String { tag.flatMap { fieldDefinition($0)?.name } ?? "tag \(tag ?? 0)" }
        let group = failure.first >= 0 && failure.first < plan.groups.count ? plan.groups[failure.first] : nil
        switch failure.note {
        case .none: detail = nil
        case .beginning: detail = "the message must begin with 8, 9 and 35"
        case .invalidMsgType: detail = "MsgType \(msgType ?? "") is not in the data dictionary"
        case .notPositive:
            tag = Self.tagText(message, failure.first)
            detail = "a tag is not a positive number"
        case .headerAfterBody: detail = "header field after the body"
        case .checkSumNotLast: detail = "CheckSum must be the last field"
        case .bodyInTrailer: detail = "body field in the trailer"
        case .notInDictionary: detail = "tag \(tag ?? 0) is not in the data dictionary"
        case .format:
            let type = tag.flatMap { fieldDefinition($0)?.type.description } ?? "?"
            detail = "\(name(tag)) is \(type)"
        case .noSuchValue:
            let value = message.bytes[failure.first..<(failure.first + failure.second)]
            detail = "\(name(tag)) has no value \(String(decoding: value, as: UTF8.self))"
        case .groupDelimiter:
            detail = "group \(group?.name ?? "?") entry must begin with its delimiter \(group?.delimiterTag ?? 0)"
        case .groupOrder: detail = "out of order in group \(group?.name ?? "?")"
        case .groupCount:
            let declared = message.value(at: failure.second).int ?? 0
            detail = "\(group?.name ?? "?") declares \(declared) entries, the message has \(failure.third)"
        }
        return FIXRejection(failure.reason, refTagID: tag, refMsgType: msgType, detail: detail)
    }

    /// The number a field's tag text spells (`0`, `-1`), for a tag the parser could not take
    /// as a positive number; `nil` when it is not a number at all.
    private static func tagText(_ message: FIXMessage, _ index: Int) -> Int? {
        let bytes = message.bytes
        let equals = Int(message.fields[index].valueStart) - 1
        var start = equals
        while start > 0, bytes[start - 1] != 0x01 { start -= 1 }
        return Int(String(decoding: bytes[start..<equals], as: UTF8.self))
    }
}

/// A validation failure as plain values, small enough to come back in registers;
/// ``FIXValidator`` turns it into a ``FIXRejection``.
private struct Failure: Error {
    var reason: FIXSessionRejectReason
    var note: Note
    private var tagValue: Int32
    private var hasTag: Bool
    /// What the note needs: a field index, a byte offset, a group index…
    private var values: (Int32, Int32, Int32)

    var tag: Int? { hasTag ? Int(tagValue) : nil }
    var first: Int { Int(values.0) }
    var second: Int { Int(values.1) }
    var third: Int { Int(values.2) }

    init(_ reason: FIXSessionRejectReason, _ tag: Int?, _ note: Note = .none, _ first: Int = -1, _ second: Int = 0,
         _ third: Int = 0) {
        self.reason = reason
        self.note = note
        tagValue = Int32(truncatingIfNeeded: tag ?? 0)
        hasTag = tag != nil
        values = (Int32(truncatingIfNeeded: first), Int32(truncatingIfNeeded: second), Int32(truncatingIfNeeded: third))
    }
}

/// What the rejection's text should say beyond its reason, and what ``Failure``'s values hold.
private enum Note {
    case none, beginning, invalidMsgType, headerAfterBody, checkSumNotLast, bodyInTrailer, notInDictionary, format
    /// first: the field's index.
    case notPositive
    /// first, second: the value (or the token of a multiple-value field) as a byte range.
    case noSuchValue
    /// first: the group's index.
    case groupDelimiter, groupOrder
    /// first: the group's index; second: its count field's index; third: the entries found.
    case groupCount
}

/// Where the walk is in the message's top level.
private enum Section { case header, body, trailer }

/// One validation pass over one message. Plain pointers and values only, so passing it
/// around costs nothing; the tables' buffers are read into locals where the loop needs them.
private struct Walk {
    let plan: UnsafePointer<PlanTables>
    let bytes: UnsafeBufferPointer<UInt8>
    let fields: UnsafeBufferPointer<FIXFieldSlot>
    let options: FIXValidationOptions
    // The tables the loop reads on every field, taken out of the plan once per message so
    // that no store to a seen set makes the compiler load them again.
    let rules: UnsafeMutableBufferPointer<FieldRule>
    let positions: UnsafeMutablePointer<UInt16>
    let members: UnsafeMutablePointer<MemberRule>
    let enumerationBytes: UnsafeMutablePointer<UInt64>

    init(plan: UnsafePointer<PlanTables>, bytes: UnsafeBufferPointer<UInt8>, fields: UnsafeBufferPointer<FIXFieldSlot>,
         options: FIXValidationOptions) {
        self.plan = plan
        self.bytes = bytes
        self.fields = fields
        self.options = options
        rules = plan.pointee.fields
        positions = plan.pointee.positions.baseAddress.unsafelyUnwrapped
        members = plan.pointee.members.baseAddress.unsafelyUnwrapped
        enumerationBytes = plan.pointee.enumerationBytes.baseAddress.unsafelyUnwrapped
    }

    /// The rule for a tag: one load for tags in the dense table.
    @inline(__always)
    private func rule(_ tag: Int) -> FieldRule {
        tag < rules.count ? rules[tag] : plan.field(tag)
    }

    /// Where `tag` stands in a layout, or -1: one load below the layout's dense limit.
    @inline(__always)
    private func position(of tag: Int, in layout: LayoutRule) -> Int {
        tag < Int(layout.denseCount) ? Int(positions[Int(layout.denseStart) + tag]) - 1 : plan.position(of: tag, in: layout)
    }

    /// `scratch` holds the seen sets: header, trailer, body, then one per group entry walked.
    func run(_ compiled: ValidationPlan, _ scratch: UnsafeMutablePointer<UInt64>) throws(Failure) {
        let count = fields.count
        func expect(_ tag: Int, at position: Int) throws(Failure) {
            guard position < count, Int(fields[position].tag) == tag else {
                throw Failure(.tagSpecifiedOutOfRequiredOrder, tag, .beginning)
            }
        }
        try expect(FIXTag.beginString, at: 0)
        try expect(FIXTag.bodyLength, at: 1)
        try expect(FIXTag.msgType, at: 2)
        let msgType = value(2)
        guard !msgType.isEmpty else { throw Failure(.tagSpecifiedWithoutValue, FIXTag.msgType) }
        guard let bodyIndex = compiled.messageLayout(msgType) else {
            throw Failure(.invalidMsgType, FIXTag.msgType, .invalidMsgType)
        }
        let layouts = plan.pointee.layouts
        let header = layouts[plan.pointee.headerLayout]
        let trailer = layouts[plan.pointee.trailerLayout]
        let body = layouts[Int(bodyIndex)]
        let headerSeen = scratch
        let trailerSeen = headerSeen + Int(header.words)
        let bodySeen = trailerSeen + Int(trailer.words)
        let groupScratch = bodySeen + Int(body.words)
        headerSeen.update(repeating: 0, count: Int(header.words + trailer.words + body.words))
        // 8, 9 and 35 were checked above.
        for index in 0..<3 {
            let rule = self.rule(Int(fields[index].tag))
            if rule.has(FieldRule.inHeader) { _ = Self.insert(headerSeen, Int(rule.position)) }
        }
        var section = Section.header
        var index = 3
        while index < count {
            let tag = Int(fields[index].tag)
            guard tag > 0 else { throw Failure(.invalidTagNumber, nil, .notPositive, index) }
            let rule = self.rule(tag)
            let layout: LayoutRule, seen: UnsafeMutablePointer<UInt64>, position: Int
            if rule.has(FieldRule.inHeader) {
                if section != .header, options.validateFieldsOutOfOrder {
                    throw Failure(.tagSpecifiedOutOfRequiredOrder, tag, .headerAfterBody)
                }
                (layout, seen, position) = (header, headerSeen, Int(rule.position))
            } else if rule.has(FieldRule.inTrailer) {
                section = .trailer
                if tag == FIXTag.checkSum, index != count - 1 {
                    throw Failure(.tagSpecifiedOutOfRequiredOrder, tag, .checkSumNotLast)
                }
                (layout, seen, position) = (trailer, trailerSeen, Int(rule.position))
            } else {
                if section == .trailer, options.validateFieldsOutOfOrder {
                    throw Failure(.tagSpecifiedOutOfRequiredOrder, tag, .bodyInTrailer)
                }
                section = .body
                let found = self.position(of: tag, in: body)
                guard found >= 0 else {
                    try checkStranger(tag, at: index, rule)
                    index += 1
                    continue
                }
                (layout, seen, position) = (body, bodySeen, found)
            }
            let group = try checkMember(tag, layout, position, seen, at: index, rule)
            index = group < 0 ? index + 1 : try walkGroup(group, countIndex: index, groupScratch)
        }
        try checkRequired(header, headerSeen)
        try checkRequired(body, bodySeen)
        try checkRequired(trailer, trailerSeen)
    }

    /// A view of a field's value in the message's bytes (no copy).
    @inline(__always)
    private func value(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let slot = fields[index]
        let start = Int(slot.valueStart), length = Int(slot.valueLength)
        // Slots come from the parser; a hand-made message with slots outside its bytes traps
        // here as an array subscript would, rather than reading past the buffer.
        precondition(start | length >= 0 && start + length <= bytes.count, "field slot outside the message")
        return UnsafeBufferPointer(start: bytes.baseAddress.unsafelyUnwrapped + start, count: length)
    }

    /// A field that belongs at this level: checked once and its value checked. Returns the
    /// index of its group when it is a NumInGroup field, else -1.
    @inline(__always)
    private func checkMember(_ tag: Int, _ layout: LayoutRule, _ position: Int, _ seen: UnsafeMutablePointer<UInt64>,
                             at index: Int, _ rule: FieldRule) throws(Failure) -> Int {
        guard Self.insert(seen, position) else { throw Failure(.tagAppearsMoreThanOnce, tag) }
        try checkValue(tag, at: index, rule)
        return Int(members[Int(layout.memberStart) + position].group)
    }

    /// A field this message type does not list: a user-defined field, an unknown tag, or a
    /// field of another message.
    private func checkStranger(_ tag: Int, at index: Int, _ rule: FieldRule) throws(Failure) {
        if tag >= 5000, !options.validateUserDefinedFields { return }
        guard rule.has(FieldRule.defined) else { throw Failure(.invalidTagNumber, tag, .notInDictionary) }
        try checkValue(tag, at: index, rule)
        if !options.allowUnknownMessageFields { throw Failure(.tagNotDefinedForMessageType, tag) }
    }

    /// Empty, malformed or out-of-range values (373 = 4, 6, 5). The common cases (text, a
    /// one-byte enumeration value) are decided here; the rest in calls.
    @inline(__always)
    private func checkValue(_ tag: Int, at index: Int, _ rule: FieldRule) throws(Failure) {
        let value = value(index)
        if value.isEmpty {
            if options.validateFieldsHaveValues { throw Failure(.tagSpecifiedWithoutValue, tag) }
            return
        }
        guard rule.has(FieldRule.defined) else {
            if tag >= 5000, !options.validateUserDefinedFields { return }
            throw Failure(.invalidTagNumber, tag, .notInDictionary)
        }
        // The common types decided here or by one direct call; the rest through `accepts`.
        let wellFormed: Bool
        switch rule.check {
        case .text: wellFormed = true
        case .char: wellFormed = value.count == 1 && value[0] != UInt8(ascii: " ")
        case .unsigned: wellFormed = ValueSyntax.isUnsigned(value)
        case .decimal: wellFormed = FIXDecimal.isWellFormed(value)
        case .timestamp: wellFormed = FIXTimestamp.isWellFormed(value)
        default: wellFormed = ValueSyntax.accepts(rule.check, value)
        }
        if !wellFormed { throw Failure(.incorrectDataFormat, tag, .format) }
        guard rule.enumeration >= 0 else { return }
        if value.count == 1, !rule.has(FieldRule.multipleValue) {
            let byte = value[0]
            let word = enumerationBytes[Int(rule.enumeration) &* 4 &+ Int(byte >> 6)]
            if word & (1 << UInt64(byte & 63)) != 0 { return }
            throw Failure(.valueIsIncorrect, tag, .noSuchValue, offset(of: value), 1)
        }
        try checkEnumeration(tag, value, rule)
    }

    /// Values of more than one byte, and multiple-value fields, against the enumeration.
    @inline(never)
    private func checkEnumeration(_ tag: Int, _ value: UnsafeBufferPointer<UInt8>, _ rule: FieldRule) throws(Failure) {
        let enumeration = Int(rule.enumeration)
        if rule.has(FieldRule.multipleValue) {
            // Space-separated tokens, empty ones included ("1  2" holds an empty token).
            var start = 0
            for end in 0...value.count where end == value.count || value[end] == UInt8(ascii: " ") {
                let token = UnsafeBufferPointer(rebasing: value[start..<end])
                if !plan.contains(token, enumeration: enumeration) {
                    throw Failure(.valueIsIncorrect, tag, .noSuchValue, offset(of: value) + start, end - start)
                }
                start = end + 1
            }
        } else if !plan.contains(value, enumeration: enumeration) {
            throw Failure(.valueIsIncorrect, tag, .noSuchValue, offset(of: value), value.count)
        }
    }

    private func offset(of value: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.baseAddress.unsafelyUnwrapped.distance(to: value.baseAddress.unsafelyUnwrapped)
    }

    /// Walks the entries of a repeating group; returns the index of the first field after it.
    /// `seen` is free scratch for this group's entries and any nested below it.
    private func walkGroup(_ groupIndex: Int, countIndex: Int, _ seen: UnsafeMutablePointer<UInt64>) throws(Failure) -> Int {
        let group = plan.pointee.groups[groupIndex]
        let countTag = Int(group.countTag)
        guard let declared = ValueSyntax.int(value(countIndex)) else { throw Failure(.incorrectDataFormat, countTag) }
        let entry = plan.pointee.layouts[Int(group.entry)]
        let words = Int(entry.words)
        let nestedScratch = seen + words
        seen.update(repeating: 0, count: words)
        var index = countIndex + 1
        var entries = 0
        var lastPosition = -1
        while index < fields.count {
            let tag = Int(fields[index].tag)
            guard tag > 0 else { break }
            let position = self.position(of: tag, in: entry)
            guard position >= 0 else { break }
            if tag == Int(group.delimiterTag) {
                if entries > 0 { try checkRequired(entry, seen) }
                seen.update(repeating: 0, count: words)
                entries += 1
            } else {
                guard entries > 0 else {
                    throw Failure(.repeatingGroupFieldsOutOfOrder, tag, .groupDelimiter, groupIndex)
                }
                if position < lastPosition, options.validateFieldsOutOfOrder {
                    throw Failure(.repeatingGroupFieldsOutOfOrder, tag, .groupOrder, groupIndex)
                }
            }
            lastPosition = position
            let nested = try checkMember(tag, entry, position, seen, at: index, rule(tag))
            index = nested < 0 ? index + 1 : try walkGroup(nested, countIndex: index, nestedScratch)
        }
        if entries > 0 { try checkRequired(entry, seen) }
        guard entries == declared else {
            throw Failure(.incorrectNumInGroupCount, countTag, .groupCount, groupIndex, countIndex, entries)
        }
        return index
    }

    /// The first required member (in dictionary order) not seen.
    @inline(__always)
    private func checkRequired(_ layout: LayoutRule, _ seen: UnsafeMutablePointer<UInt64>) throws(Failure) {
        let required = plan.pointee.required
        for word in 0..<Int(layout.words) {
            let missing = required[Int(layout.requiredStart) + word] & ~seen[word]
            if missing != 0 {
                let position = word * 64 + missing.trailingZeroBitCount
                throw Failure(.requiredTagMissing, Int(members[Int(layout.memberStart) + position].tag))
            }
        }
    }

    /// Marks a position in a seen set; false if it was already marked.
    @inline(__always)
    private static func insert(_ words: UnsafeMutablePointer<UInt64>, _ position: Int) -> Bool {
        let mask: UInt64 = 1 << UInt64(position & 63)
        let word = words[position >> 6]
        words[position >> 6] = word | mask
        return word & mask == 0
    }
}

/// The syntax rules of ``FIXFieldType/accepts(_:)`` on a byte view, by ``ValueCheck``.
enum ValueSyntax {
    @inline(never)
    static func accepts(_ check: ValueCheck, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        switch check {
        case .text: return true
        case .int: return int(value) != nil
        case .unsigned: return isUnsigned(value)
        case .tagNum: return isUnsigned(value) && value[0] != UInt8(ascii: "0")
        case .dayOfMonth:
            guard isUnsigned(value), let day = int(value) else { return false }
            return (1...31).contains(day)
        case .decimal: return FIXDecimal.isWellFormed(value)
        case .char: return value.count == 1 && value[0] != UInt8(ascii: " ")
        case .boolean: return value.count == 1 && (value[0] == UInt8(ascii: "Y") || value[0] == UInt8(ascii: "N"))
        case .monthYear: return FIXMonthYear(fixBytes: value) != nil
        case .timestamp: return FIXTimestamp.isWellFormed(value)
        case .timeOfDay: return FIXTimeOfDay(fixBytes: value) != nil
        case .date: return FIXDate(fixBytes: value) != nil
        }
    }
    /// FIX `int`: an optional `-` and 1–18 digits (``FIXValue/int``).
    @inline(__always)
    static func int(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        guard index < value.count else { return nil }
        let negative = value[0] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < value.count, value.count - index <= 18 else { return nil }
        var result = 0
        while index < value.count {
            let digit = value[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            result = result &* 10 &+ Int(digit)
            index += 1
        }
        return negative ? -result : result
    }

    /// 1–18 digits, no sign.
    @inline(__always)
    static func isUnsigned(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !value.isEmpty, value.count <= 18 else { return false }
        for byte in value where byte &- UInt8(ascii: "0") >= 10 { return false }
        return true
    }
}
