import FIXCodec

/// The entries of one repeating group in a parsed message, found with the dictionary's
/// group definition (count field, delimiter, members), nested groups included.
public struct FIXGroup: Sendable, RandomAccessCollection {
    public let message: FIXMessage
    public let layout: FIXGroupLayout
    /// Each entry's field positions in the message.
    public let entryRanges: [Range<Int>]
    /// The position just after the group's last field.
    public let endPosition: Int

    /// Reads the group whose NumInGroup field stands at `countPosition`.
    public init(message: FIXMessage, layout: FIXGroupLayout, countPosition: Int) {
        self.message = message
        self.layout = layout
        var ranges: [Range<Int>] = []
        var position = countPosition + 1
        var entryStart: Int?
        while position < message.count {
            let tag = message.tag(at: position)
            guard let member = layout.entry.position(of: tag) else { break }
            if tag == layout.delimiterTag {
                if let start = entryStart { ranges.append(start..<position) }
                entryStart = position
            }
            if let nested = layout.entry.members[member].group {
                position = FIXGroup(message: message, layout: nested, countPosition: position).endPosition
            } else {
                position += 1
            }
        }
        if let start = entryStart { ranges.append(start..<position) }
        entryRanges = ranges
        endPosition = position
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { entryRanges.count }

    public subscript(index: Int) -> FIXGroupEntry {
        FIXGroupEntry(message: message, layout: layout.entry, positions: entryRanges[index])
    }
}

/// One entry of a repeating group.
public struct FIXGroupEntry: Sendable {
    public let message: FIXMessage
    public let layout: FIXLayout
    public let positions: Range<Int>

    /// The value of `tag` in this entry (not in its nested groups).
    public subscript(tag: Int) -> FIXValue? {
        var position = positions.lowerBound
        while position < positions.upperBound {
            let found = message.tag(at: position)
            if found == tag { return message.value(at: position) }
            if let member = layout.position(of: found), let nested = layout.members[member].group {
                position = FIXGroup(message: message, layout: nested, countPosition: position).endPosition
            } else {
                position += 1
            }
        }
        return nil
    }

    /// A group nested in this entry, such as NoPartySubIDs (802) inside a party.
    public func group(_ countTag: Int) -> FIXGroup? {
        guard let member = layout.position(of: countTag), let nested = layout.members[member].group,
              let position = message.position(of: countTag, from: positions.lowerBound), position < positions.upperBound
        else { return nil }
        return FIXGroup(message: message, layout: nested, countPosition: position)
    }
}

extension FIXDataDictionary {
    /// The repeating group `countTag` at the top level of `message`'s header or body,
    /// or `nil` when the message type has no such group or the message does not carry it.
    public func group(_ countTag: Int, in message: FIXMessage) -> FIXGroup? {
        let layouts = [header] + (message.msgType.flatMap { self.message(type: $0) }.map { [$0.layout] } ?? [])
        for layout in layouts {
            guard let member = layout.position(of: countTag), let group = layout.members[member].group else { continue }
            guard let position = topLevelPosition(of: countTag, in: message) else { return nil }
            return FIXGroup(message: message, layout: group, countPosition: position)
        }
        return nil
    }

    /// The position of `tag` outside any repeating group.
    private func topLevelPosition(of tag: Int, in message: FIXMessage) -> Int? {
        let body = message.msgType.flatMap { self.message(type: $0) }?.layout
        var position = 0
        while position < message.count {
            let found = message.tag(at: position)
            if found == tag { return position }
            let layout = header.contains(found) ? header : body
            if let layout, let member = layout.position(of: found), let group = layout.members[member].group {
                position = FIXGroup(message: message, layout: group, countPosition: position).endPosition
            } else {
                position += 1
            }
        }
        return nil
    }
}
