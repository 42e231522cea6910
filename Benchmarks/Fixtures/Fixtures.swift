import FIXCodec
import FIXDictionary
import Foundation

/// What the benchmarks share: the dictionary, the message bytes and the framing stream, loaded
/// once before any benchmark runs, so no file or XML work is ever measured.
public enum Fixtures {
    /// This file's folder, `Benchmarks/Fixtures`.
    private static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    /// The FIX 4.4 dictionary: `$WELLHEAD_DICTIONARY` if set, else the repository's
    /// `dictionaries/FIX44.xml`, found relative to this source file or the current directory.
    public static let dictionaryPath = locate(
        environment: "WELLHEAD_DICTIONARY",
        candidates: [sourceDirectory.appendingPathComponent("../../dictionaries/FIX44.xml").standardized.path,
                     "dictionaries/FIX44.xml", "../dictionaries/FIX44.xml"],
        probe: "")

    /// `Benchmarks/messages`: `$WELLHEAD_BENCH_MESSAGES` if set, else found relative to this
    /// source file or the current directory.
    public static let messagesDirectory = locate(
        environment: "WELLHEAD_BENCH_MESSAGES",
        candidates: [sourceDirectory.appendingPathComponent("../messages").standardized.path, "messages", "Benchmarks/messages"],
        probe: "/new-order-single.fix")

    /// The environment variable's value if set, else the first candidate where `probe`
    /// (appended to it) exists, else the first candidate (whose absence is then reported).
    private static func locate(environment: String, candidates: [String], probe: String) -> String {
        if let path = ProcessInfo.processInfo.environment[environment], !path.isEmpty { return path }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + probe) } ?? candidates[0]
    }

    public static let dictionary: FIXDataDictionary = {
        do {
            return try FIXDictionaryLoader.load(path: dictionaryPath)
        } catch {
            fatalError("cannot load the FIX 4.4 dictionary (set WELLHEAD_DICTIONARY): \(error)")
        }
    }()

    public static let parser = FIXParser(dataFields: dictionary.dataFields)
    public static let validator = FIXValidator(dictionary: dictionary)

    /// One message file as wire bytes: the trailing newline dropped, every `|` made SOH
    /// (the files' format, see `Benchmarks/messages/generate.py`).
    public static func message(_ name: String) -> [UInt8] {
        let path = "\(messagesDirectory)/\(name).fix"
        guard let data = FileManager.default.contents(atPath: path) else {
            fatalError("cannot read \(path) (set WELLHEAD_BENCH_MESSAGES)")
        }
        var bytes = [UInt8](data)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        return bytes.map { $0 == UInt8(ascii: "|") ? fixSOH : $0 }
    }

    public static let newOrderSingle = message("new-order-single")
    public static let executionReportParties = message("execution-report-parties")

    /// The number of messages in the framing stream.
    public static let streamMessageCount = 10_000

    /// 10,000 messages back to back, cycling through `messages/stream-mix.txt`.
    public static let stream: [UInt8] = {
        let path = "\(messagesDirectory)/stream-mix.txt"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("cannot read \(path)") }
        let names = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let messages = names.map { message($0) }
        var stream: [UInt8] = []
        for index in 0..<streamMessageCount { stream += messages[index % messages.count] }
        return stream
    }()

    /// Checks, before anything is timed, that the benchmarks measure what they claim: every
    /// message parses and validates, the stream frames into 10,000 messages, and the encoder
    /// writes exactly the ExecutionReport file.
    public static func check() {
        for (name, bytes) in [("new-order-single", newOrderSingle), ("execution-report-parties", executionReportParties)] {
            do {
                let message = try parser.parse(bytes)
                try validator.validate(message)
            } catch {
                fatalError("\(name).fix does not parse and validate with \(dictionaryPath): \(error)")
            }
        }
        let framer = FIXFramer()
        var offset = 0
        var count = 0
        stream.withUnsafeBytes { buffer in
            while offset < buffer.count {
                guard case let .message(length) = framer.frame(UnsafeRawBufferPointer(rebasing: buffer[offset...])) else {
                    fatalError("the stream does not frame at byte \(offset)")
                }
                offset += length
                count += 1
            }
        }
        precondition(count == streamMessageCount, "the stream framed into \(count) messages")
        let encoded = ExecutionReportEncoder().encodeWithGroupAPI()
        guard encoded == executionReportParties else {
            fatalError("""
                the encoder does not reproduce execution-report-parties.fix:
                \(String(decoding: encoded.map { $0 == fixSOH ? UInt8(ascii: "|") : $0 }, as: UTF8.self))
                """)
        }
        precondition(ExecutionReportEncoder().encodeInline() == executionReportParties)
        var encoder = FIXMessageEncoder(msgType: "8")
        for _ in 0..<2 { precondition(ExecutionReportEncoder().encodeOneBuffer(&encoder) == executionReportParties) }
    }
}

/// Builds `execution-report-parties.fix` from typed values, as an order gateway does when it
/// reports a fill: the values are held by the application; the builder lays out and encodes.
public struct ExecutionReportEncoder {
    let seqNum = 2051
    let senderCompID = "WELLHEAD"
    let targetCompID = "OMS1"
    let sendingTime = FIXTimestamp(fixBytes: Array("20260115-14:30:00.125".utf8))!
    let transactTime = FIXTimestamp(fixBytes: Array("20260115-14:30:00.124".utf8))!
    let avgPx = FIXDecimal("75.25")!
    let price = FIXDecimal("75.25")!
    let lastPx = FIXDecimal("75.25")!
    let cumQty = FIXDecimal("10")!
    let lastQty = FIXDecimal("10")!
    let orderQty = FIXDecimal("25")!
    let leavesQty = FIXDecimal("15")!
    let clOrdID = "ORD-20260115-000042"
    let execID = "EXEC-20260115-000117"
    let orderID = "WH-000000042"
    let symbol = "CLH6"
    let exchange = "NYMEX"
    let parties = [("DESK-CRUDE-01", UInt8(ascii: "D"), 3), ("NYMEX-CLEARING", UInt8(ascii: "D"), 4)]

    public init() {}

    private func builder() -> FIXMessageBuilder {
        var report = FIXMessageBuilder(msgType: "8")
        report.header.append(34, seqNum)
        report.header.append(49, senderCompID)
        report.header.append(52, sendingTime)
        report.header.append(56, targetCompID)
        report.body.append(6, avgPx)
        report.body.append(11, clOrdID)
        report.body.append(14, cumQty)
        report.body.append(17, execID)
        report.body.append(31, lastPx)
        report.body.append(32, lastQty)
        report.body.append(37, orderID)
        report.body.append(38, orderQty)
        report.body.append(39, char: UInt8(ascii: "1"))
        report.body.append(40, char: UInt8(ascii: "2"))
        report.body.append(44, price)
        report.body.append(54, char: UInt8(ascii: "1"))
        report.body.append(55, symbol)
        report.body.append(60, transactTime)
        report.body.append(150, char: UInt8(ascii: "F"))
        report.body.append(151, leavesQty)
        report.body.append(207, exchange)
        return report
    }

    /// Parties through `appendGroup`, one `FIXFieldList` per entry: the API the README shows.
    public func encodeWithGroupAPI() -> [UInt8] {
        var report = builder()
        var entries: [FIXFieldList] = []
        entries.reserveCapacity(parties.count)
        for (id, source, role) in parties {
            var entry = FIXFieldList(reservingCapacity: 32)
            entry.append(448, id)
            entry.append(447, char: source)
            entry.append(452, role)
            entries.append(entry)
        }
        report.body.appendGroup(453, entries)
        return report.encode()
    }

    /// The same bytes with the group's count and entries appended straight into the body.
    public func encodeInline() -> [UInt8] {
        var report = builder()
        report.body.append(453, parties.count)
        for (id, source, role) in parties {
            report.body.append(448, id)
            report.body.append(447, char: source)
            report.body.append(452, role)
        }
        return report.encode()
    }
}

extension ExecutionReportEncoder {
    /// The same bytes through a ``FIXMessageEncoder`` kept from one message to the next, as a
    /// session keeps one: every field written once, into the buffer the message is finished from.
    public func encodeOneBuffer(_ report: inout FIXMessageEncoder) -> [UInt8] {
        report.append(34, seqNum)
        report.append(49, senderCompID)
        report.append(52, sendingTime)
        report.append(56, targetCompID)
        report.append(6, avgPx)
        report.append(11, clOrdID)
        report.append(14, cumQty)
        report.append(17, execID)
        report.append(31, lastPx)
        report.append(32, lastQty)
        report.append(37, orderID)
        report.append(38, orderQty)
        report.append(39, char: UInt8(ascii: "1"))
        report.append(40, char: UInt8(ascii: "2"))
        report.append(44, price)
        report.append(54, char: UInt8(ascii: "1"))
        report.append(55, symbol)
        report.append(60, transactTime)
        report.append(150, char: UInt8(ascii: "F"))
        report.append(151, leavesQty)
        report.append(207, exchange)
        report.append(453, parties.count)
        for (id, source, role) in parties {
            report.append(448, id)
            report.append(447, char: source)
            report.append(452, role)
        }
        return report.encode()
    }
}

/// Where the framing benchmarks are in the stream between samples. Benchmarks run one at a
/// time on one thread.
public final class StreamCursor: @unchecked Sendable {
    public var offset = 0
    public init() {}
}
