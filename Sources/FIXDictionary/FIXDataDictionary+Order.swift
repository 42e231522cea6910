import FIXCodec

extension FIXDataDictionary {
    /// Re-encodes `message` with its header, body, trailer and every group entry in the
    /// order this dictionary defines, leaving values untouched. Fields the dictionary does not
    /// place keep their relative order after the placed ones. BodyLength and CheckSum are
    /// recomputed.
    ///
    /// For relaying a message built by hand or received from a lenient counterparty to a
    /// strict one (QuickFIX with ValidateFieldsOutOfOrder rejects members out of order).
    public func encodeInDictionaryOrder(_ message: FIXMessage) -> [UInt8] {
        let body = message.msgType.flatMap { self.message(type: $0) }?.layout
        var headerUnits: [OrderedUnit] = []
        var bodyUnits: [OrderedUnit] = []
        var trailerUnits: [OrderedUnit] = []
        var position = 3 // after 8, 9 and 35
        while position < message.count {
            let tag = message.tag(at: position)
            if tag == FIXTag.checkSum { break }
            let (layout, rank): (FIXLayout?, Int?) =
                if let rank = header.position(of: tag) { (header, rank) }
                else if let rank = trailer.position(of: tag) { (trailer, rank) }
                else { (body, body?.position(of: tag)) }
            let unit = OrderedUnit.read(message, at: &position, layout: layout, rank: rank)
            if layout === header { headerUnits.append(unit) } else if layout === trailer { trailerUnits.append(unit) } else { bodyUnits.append(unit) }
        }
        var builder = FIXMessageBuilder(beginString: message.beginString ?? beginString, msgType: message.msgType ?? "")
        OrderedUnit.write(headerUnits, message, into: &builder.header)
        OrderedUnit.write(bodyUnits, message, into: &builder.body)
        OrderedUnit.write(trailerUnits, message, into: &builder.trailer)
        return builder.encode()
    }
}

/// A field, or a group with its entries, and where the dictionary ranks it.
private struct OrderedUnit {
    let rank: Int
    let position: Int
    let entries: [[OrderedUnit]]

    static func read(_ message: FIXMessage, at position: inout Int, layout: FIXLayout?, rank: Int?) -> OrderedUnit {
        let start = position
        position += 1
        guard let layout, let rank, let group = layout.members[rank].group else {
            return OrderedUnit(rank: rank ?? Int.max, position: start, entries: [])
        }
        var entries: [[OrderedUnit]] = []
        while position < message.count {
            let tag = message.tag(at: position)
            guard let memberRank = group.entry.position(of: tag) else { break }
            if tag == group.delimiterTag || entries.isEmpty { entries.append([]) }
            entries[entries.count - 1].append(read(message, at: &position, layout: group.entry, rank: memberRank))
        }
        return OrderedUnit(rank: rank, position: start, entries: entries)
    }

    static func write(_ units: [OrderedUnit], _ message: FIXMessage, into list: inout FIXFieldList) {
        // Stable: equal ranks (unplaced fields) keep their wire order.
        for unit in units.enumerated().sorted(by: { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }).map(\.element) {
            list.append(message.tag(at: unit.position), message.value(at: unit.position))
            for entry in unit.entries { write(entry, message, into: &list) }
        }
    }
}
