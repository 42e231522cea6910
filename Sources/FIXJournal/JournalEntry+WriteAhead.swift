/// Journal entries as the write-ahead file holds them (``WriteAheadFile``): a tag byte per
/// entry, integers little-endian, strings and byte strings preceded by their length.
extension JournalEntry {
    private enum Tag: UInt8 {
        case message = 0, sequenceNumbers = 1, reset = 2, status = 3, event = 4
    }

    static func encode(_ entries: [JournalEntry], into out: inout [UInt8]) {
        for entry in entries {
            switch entry {
            case .message(let record):
                out.append(Tag.message.rawValue)
                out.appendSession(record.session)
                out.append(UInt8(record.direction.rawValue))
                out.appendLittleEndian(Int64(record.sequenceNumber))
                out.appendString(record.msgType)
                out.append(UInt8(record.kind.rawValue))
                out.appendLittleEndian(record.time)
                out.appendBytes(record.bytes)
            case .sequenceNumbers(let session, let nextSender, let nextTarget):
                out.append(Tag.sequenceNumbers.rawValue)
                out.appendSession(session)
                out.appendLittleEndian(Int64(nextSender))
                out.appendLittleEndian(Int64(nextTarget))
            case .reset(let session, let periodStart):
                out.append(Tag.reset.rawValue)
                out.appendSession(session)
                out.appendLittleEndian(periodStart)
            case .status(let session, let status):
                out.append(Tag.status.rawValue)
                out.appendSession(session)
                out.append(UInt8(status.rawValue))
            case .event(let kind, let time, let json):
                out.append(Tag.event.rawValue)
                out.appendString(kind)
                out.appendLittleEndian(time)
                out.appendString(json)
            }
        }
    }

    /// The entries of one record; a record that does not decode is an error naming the file
    /// and the record.
    static func decode(_ payload: ArraySlice<UInt8>, lsn: UInt64, path: String) throws(JournalError) -> [JournalEntry] {
        var reader = PayloadReader(bytes: payload)
        var entries: [JournalEntry] = []
        func damaged(_ what: String) -> JournalError {
            JournalError(.sqlite, path: path, "write-ahead record \(lsn) cannot be read: \(what)")
        }
        while !reader.atEnd {
            guard let byte = reader.byte(), let tag = Tag(rawValue: byte) else { throw damaged("unknown entry") }
            switch tag {
            case .message:
                guard let session = reader.session(), let direction = reader.byte().flatMap({ JournalDirection(rawValue: Int($0)) }),
                      let seq = reader.int64(), let msgType = reader.string(),
                      let kind = reader.byte().flatMap({ JournalKind(rawValue: Int($0)) }), let time = reader.int64(),
                      let bytes = reader.byteString() else { throw damaged("a message cut short") }
                entries.append(.message(JournalRecord(session: session, direction: direction, sequenceNumber: Int(seq),
                                                      msgType: msgType, kind: kind, time: time, bytes: bytes)))
            case .sequenceNumbers:
                guard let session = reader.session(), let sender = reader.int64(), let target = reader.int64() else {
                    throw damaged("sequence numbers cut short")
                }
                entries.append(.sequenceNumbers(session, nextSender: Int(sender), nextTarget: Int(target)))
            case .reset:
                guard let session = reader.session(), let start = reader.int64() else { throw damaged("a reset cut short") }
                entries.append(.reset(session, periodStart: start))
            case .status:
                guard let session = reader.session(), let status = reader.byte().flatMap({ JournalSessionStatus(rawValue: Int($0)) }) else {
                    throw damaged("a session status cut short")
                }
                entries.append(.status(session, status))
            case .event:
                guard let kind = reader.string(), let time = reader.int64(), let json = reader.string() else {
                    throw damaged("an event cut short")
                }
                entries.append(.event(kind: kind, time: time, json: json))
            }
        }
        return entries
    }
}

private struct PayloadReader {
    let bytes: ArraySlice<UInt8>
    var offset: Int

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        offset = bytes.startIndex
    }

    var atEnd: Bool { offset >= bytes.endIndex }

    mutating func byte() -> UInt8? {
        guard offset < bytes.endIndex else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func int64() -> Int64? {
        guard bytes.endIndex - offset >= 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * index) }
        offset += 8
        return Int64(bitPattern: value)
    }

    mutating func length() -> Int? {
        guard bytes.endIndex - offset >= 4 else { return nil }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * index) }
        offset += 4
        return bytes.endIndex - offset >= Int(value) ? Int(value) : nil
    }

    mutating func byteString() -> [UInt8]? {
        guard let count = length() else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func string() -> String? {
        guard let count = length() else { return nil }
        defer { offset += count }
        return String(decoding: bytes[offset..<(offset + count)], as: UTF8.self)
    }

    mutating func session() -> JournalSession? {
        guard let id = int64(), let name = string() else { return nil }
        return JournalSession(id: id, name: name)
    }
}

extension [UInt8] {
    mutating func appendString(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            appendLittleEndian(UInt32(utf8.count))
            append(contentsOf: utf8)
        }
    }

    mutating func appendBytes(_ bytes: [UInt8]) {
        appendLittleEndian(UInt32(bytes.count))
        append(contentsOf: bytes)
    }

    mutating func appendSession(_ session: JournalSession) {
        appendLittleEndian(session.id)
        appendString(session.name)
    }
}
