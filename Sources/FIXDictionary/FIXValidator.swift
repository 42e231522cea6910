import FIXCodec

/// Checks a parsed message against its data dictionary, as a FIX engine must before the
/// application sees it, and says what a Reject (35=3) should carry when it fails.
///
/// One pass over the fields; every lookup is a dense array load; the bookkeeping of which
/// fields were seen lives in stack memory. A valid message costs no heap allocation.
public struct FIXValidator: Sendable {
    /// The session dictionary: header, trailer and the admin messages (FIX 4.x: everything).
    public let dictionary: FIXDataDictionary
    /// For FIXT 1.1 sessions, the FIX 5 application dictionary; `nil` for FIX 4.x.
    public let application: FIXDataDictionary?
    public var options: FIXValidationOptions

    public init(dictionary: FIXDataDictionary, application: FIXDataDictionary? = nil,
                options: FIXValidationOptions = FIXValidationOptions()) {
        self.dictionary = dictionary
        self.application = application
        self.options = options
    }

    /// Throws the rejection a session must send for `message`, or returns if it is valid.
    /// - Parameter now: the receiver's clock for the SendingTime accuracy check; `nil` skips it.
    public func validate(_ message: FIXMessage, now: FIXTimestamp? = nil) throws(FIXRejection) {
        let outcome: FIXRejection? = message.fields.withUnsafeBufferPointer { fields in
            var walk = Walk(validator: self, bytes: message.bytes, fields: fields)
            do throws(FIXRejection) {
                try walk.run()
                return nil
            } catch {
                return error
            }
        }
        if let outcome { throw outcome }
        if options.checkLatency, let now, let sent = message[FIXTag.sendingTime]?.timestamp {
            let skew = (now.nanosecondsSinceEpoch - sent.nanosecondsSinceEpoch).magnitude
            if skew > UInt64(options.maxLatencySeconds) * 1_000_000_000 {
                throw FIXRejection(.sendingTimeAccuracyProblem, refTagID: FIXTag.sendingTime,
                                   refMsgType: message.msgType,
                                   detail: "SendingTime differs from this engine's clock by more than \(options.maxLatencySeconds)s")
            }
        }
    }

    @inline(__always)
    func fieldDefinition(_ tag: Int) -> FIXFieldDefinition? {
        if let application, let field = application.field(tag: tag) { return field }
        return dictionary.field(tag: tag)
    }
}

/// Where the walk is in the message's top level.
private enum Section { case header, body, trailer }

/// One validation pass over one message.
private struct Walk {
    let validator: FIXValidator
    let bytes: [UInt8]
    let fields: UnsafeBufferPointer<FIXFieldSlot>
    var refMsgType: String?

    init(validator: FIXValidator, bytes: [UInt8], fields: UnsafeBufferPointer<FIXFieldSlot>) {
        self.validator = validator
        self.bytes = bytes
        self.fields = fields
    }

    private var options: FIXValidationOptions { validator.options }

    private func reject(_ reason: FIXSessionRejectReason, _ tag: Int?, _ detail: String? = nil) -> FIXRejection {
        FIXRejection(reason, refTagID: tag, refMsgType: refMsgType, detail: detail)
    }

    /// A view of the field's value in the message's own array (no copy).
    @inline(__always)
    private func value(_ index: Int) -> ArraySlice<UInt8> {
        bytes[fields[index].valueRange]
    }

    mutating func run() throws(FIXRejection) {
        let count = fields.count
        func expect(_ tag: Int, at position: Int) throws(FIXRejection) {
            guard position < count, Int(fields[position].tag) == tag else {
                throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "the message must begin with 8, 9 and 35")
            }
        }
        try expect(FIXTag.beginString, at: 0)
        try expect(FIXTag.bodyLength, at: 1)
        try expect(FIXTag.msgType, at: 2)
        let msgType = value(2)
        refMsgType = String(decoding: msgType, as: UTF8.self)
        guard !msgType.isEmpty else { throw reject(.tagSpecifiedWithoutValue, FIXTag.msgType) }
        guard let definition = validator.application?.message(type: msgType) ?? validator.dictionary.message(type: msgType) else {
            throw reject(.invalidMsgType, FIXTag.msgType, "MsgType \(refMsgType ?? "") is not in the data dictionary")
        }
        let header = validator.dictionary.header
        let trailer = validator.dictionary.trailer
        let body = definition.layout
        try withSeenSets(header.members.count, body.members.count, trailer.members.count) { (seen: SeenSets) throws(FIXRejection) in
            // 8, 9 and 35 were checked above.
            for index in 0..<3 { if let position = header.position(of: Int(fields[index].tag)) { seen.header.insert(position) } }
            var section = Section.header
            var index = 3
            while index < count {
                let tag = Int(fields[index].tag)
                guard tag > 0 else {
                    throw reject(.invalidTagNumber, tagText(index), "a tag is not a positive number")
                }
                if let position = header.position(of: tag) {
                    if section != .header, options.validateFieldsOutOfOrder {
                        throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "header field after the body")
                    }
                    index = try checkMember(header.members[position], position: position, seen: seen.header, at: index)
                } else if let position = trailer.position(of: tag) {
                    section = .trailer
                    if tag == FIXTag.checkSum, index != count - 1 {
                        throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "CheckSum must be the last field")
                    }
                    index = try checkMember(trailer.members[position], position: position, seen: seen.trailer, at: index)
                } else {
                    if section == .trailer, options.validateFieldsOutOfOrder {
                        throw reject(.tagSpecifiedOutOfRequiredOrder, tag, "body field in the trailer")
                    }
                    section = .body
                    if let position = body.position(of: tag) {
                        index = try checkMember(body.members[position], position: position, seen: seen.body, at: index)
                    } else {
                        try checkStranger(tag, at: index)
                        index += 1
                    }
                }
            }
            try checkRequired(header, seen.header)
            try checkRequired(body, seen.body)
            try checkRequired(trailer, seen.trailer)
        }
    }

    /// The number a field's tag text spells (`0`, `-1`), for a tag the parser could not take
    /// as a positive number; `nil` when it is not a number at all.
    private func tagText(_ index: Int) -> Int? {
        let equals = Int(fields[index].valueStart) - 1
        var start = equals
        while start > 0, bytes[start - 1] != 0x01 { start -= 1 }
        return Int(String(decoding: bytes[start..<equals], as: UTF8.self))
    }

    /// A field that belongs at this level: checked once, its value checked, its group walked.
    private func checkMember(_ member: FIXLayout.Member, position: Int, seen: SeenSet, at index: Int) throws(FIXRejection) -> Int {
        guard seen.insert(position) else { throw reject(.tagAppearsMoreThanOnce, member.tag) }
        try checkValue(member.tag, at: index)
        if let group = member.group { return try walkGroup(group, countIndex: index) }
        return index + 1
    }

    /// A field this message type does not list: a user-defined field, an unknown tag, or a
    /// field of another message.
    private func checkStranger(_ tag: Int, at index: Int) throws(FIXRejection) {
        let userDefined = tag >= 5000
        if userDefined, !options.validateUserDefinedFields { return }
        guard validator.fieldDefinition(tag) != nil else {
            throw reject(.invalidTagNumber, tag, "tag \(tag) is not in the data dictionary")
        }
        try checkValue(tag, at: index)
        if !options.allowUnknownMessageFields {
            throw reject(.tagNotDefinedForMessageType, tag)
        }
    }

    /// Empty, malformed or out-of-range values (373 = 4, 6, 5).
    private func checkValue(_ tag: Int, at index: Int) throws(FIXRejection) {
        let slot = fields[index]
        if slot.valueLength == 0 {
            if options.validateFieldsHaveValues { throw reject(.tagSpecifiedWithoutValue, tag) }
            return
        }
        guard let definition = validator.fieldDefinition(tag) else {
            if tag >= 5000, !options.validateUserDefinedFields { return }
            throw reject(.invalidTagNumber, tag, "tag \(tag) is not in the data dictionary")
        }
        let value = value(index)
        guard definition.type.accepts(value) else {
            throw reject(.incorrectDataFormat, tag, "\(definition.name) is \(definition.type)")
        }
        guard let enumeration = definition.enumeration else { return }
        if definition.type.isMultipleValue {
            for token in value.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            where !enumeration.contains(token) {
                throw reject(.valueIsIncorrect, tag, "\(definition.name) has no value \(String(decoding: token, as: UTF8.self))")
            }
        } else if !enumeration.contains(value) {
            throw reject(.valueIsIncorrect, tag, "\(definition.name) has no value \(String(decoding: value, as: UTF8.self))")
        }
    }

    /// Walks the entries of a repeating group; returns the index of the first field after it.
    private func walkGroup(_ group: FIXGroupLayout, countIndex: Int) throws(FIXRejection) -> Int {
        guard let declared = FIXValue(value(countIndex)).int else {
            throw reject(.incorrectDataFormat, group.countTag)
        }
        let entry = group.entry
        return try withSeenSet(entry.members.count) { (seen: SeenSet) throws(FIXRejection) -> Int in
            var index = countIndex + 1
            var entries = 0
            var lastPosition = -1
            while index < fields.count {
                let tag = Int(fields[index].tag)
                guard let position = entry.position(of: tag) else { break }
                if tag == group.delimiterTag {
                    if entries > 0 { try checkRequired(entry, seen) }
                    seen.removeAll()
                    entries += 1
                } else {
                    guard entries > 0 else {
                        throw reject(.repeatingGroupFieldsOutOfOrder, tag,
                                     "group \(group.name) entry must begin with its delimiter \(group.delimiterTag)")
                    }
                    if position < lastPosition, options.validateFieldsOutOfOrder {
                        throw reject(.repeatingGroupFieldsOutOfOrder, tag, "out of order in group \(group.name)")
                    }
                }
                lastPosition = position
                index = try checkMember(entry.members[position], position: position, seen: seen, at: index)
            }
            if entries > 0 { try checkRequired(entry, seen) }
            guard entries == declared else {
                throw reject(.incorrectNumInGroupCount, group.countTag,
                             "\(group.name) declares \(declared) entries, the message has \(entries)")
            }
            return index
        }
    }

    private func checkRequired(_ layout: FIXLayout, _ seen: SeenSet) throws(FIXRejection) {
        for position in layout.requiredPositions where !seen.contains(position) {
            throw reject(.requiredTagMissing, layout.members[position].tag)
        }
    }
}

/// Which member positions of one layout were seen, as a bit set in temporary (stack) memory.
private struct SeenSet {
    let words: UnsafeMutableBufferPointer<UInt64>

    /// Marks a position; false if it was already marked.
    @discardableResult @inline(__always)
    func insert(_ position: Int) -> Bool {
        let mask: UInt64 = 1 << UInt64(position & 63)
        let word = words[position >> 6]
        words[position >> 6] = word | mask
        return word & mask == 0
    }

    @inline(__always)
    func contains(_ position: Int) -> Bool { words[position >> 6] & (1 << UInt64(position & 63)) != 0 }

    func removeAll() { words.update(repeating: 0) }
}

private struct SeenSets {
    let header: SeenSet
    let body: SeenSet
    let trailer: SeenSet
}

private func wordCount(_ members: Int) -> Int { max(1, (members + 63) / 64) }

private func withSeenSet<R>(_ members: Int, _ body: (SeenSet) throws(FIXRejection) -> R) throws(FIXRejection) -> R {
    let result: Result<R, FIXRejection> = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: wordCount(members)) { words in
        words.initialize(repeating: 0)
        do throws(FIXRejection) {
            return .success(try body(SeenSet(words: words)))
        } catch {
            return .failure(error)
        }
    }
    return try result.get()
}

private func withSeenSets(_ header: Int, _ body: Int, _ trailer: Int,
                          _ work: (SeenSets) throws(FIXRejection) -> Void) throws(FIXRejection) {
    let (h, b, t) = (wordCount(header), wordCount(body), wordCount(trailer))
    let result: Result<Void, FIXRejection> = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: h + b + t) { words in
        words.initialize(repeating: 0)
        let sets = SeenSets(
            header: SeenSet(words: UnsafeMutableBufferPointer(rebasing: words[0..<h])),
            body: SeenSet(words: UnsafeMutableBufferPointer(rebasing: words[h..<(h + b)])),
            trailer: SeenSet(words: UnsafeMutableBufferPointer(rebasing: words[(h + b)...]))
        )
        do throws(FIXRejection) {
            try work(sets)
            return .success(())
        } catch {
            return .failure(error)
        }
    }
    try result.get()
}
