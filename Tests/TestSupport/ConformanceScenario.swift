import FIXCodec
import Foundation

/// One of QuickFIX's session acceptance scenarios (`.def` files): what the test client
/// sends, what it must receive, and when connections open and close.
///
/// The format is QuickFIX's: one action per line, `#` comments; `iCONNECT` / `iDISCONNECT`,
/// `I<message>` to send, `E<message>` to expect, `eDISCONNECT` for the acceptor closing; an
/// optional connection number and comma after the letter (`I2,8=FIX.4.4…`). `<TIME>` and
/// `<TIME±N>` are now, N seconds away.
public struct ConformanceScenario: Sendable {
    public enum Step: Sendable, Equatable {
        case connect(connection: Int)
        case disconnect(connection: Int)
        /// A message to send, as written (`<TIME>` still in it); BodyLength and CheckSum are
        /// filled in when it lacks them.
        case send(connection: Int, template: String, line: Int)
        case expect(connection: Int, template: String, line: Int)
        case expectDisconnect(connection: Int, line: Int)
    }

    public let name: String
    public let steps: [Step]

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(name: String, text: String) throws {
        self.name = name
        var steps: [Step] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            let number = index + 1
            guard let first = line.first, first != "#", !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            var rest = line.dropFirst()
            var connection = 1
            // `I2,8=FIX.4.4…`: a connection number ends at a comma (the 8 of `I8=` is a tag).
            let digits = rest.prefix { $0.isNumber }
            if !digits.isEmpty, rest.dropFirst(digits.count).first == ",", let number = Int(digits) {
                connection = number
                rest = rest.dropFirst(digits.count + 1)
            }
            let body = String(rest).trimmingCharacters(in: .whitespaces)
            switch first {
            case "i" where body == "CONNECT": steps.append(.connect(connection: connection))
            case "i" where body == "DISCONNECT": steps.append(.disconnect(connection: connection))
            case "e" where body == "DISCONNECT": steps.append(.expectDisconnect(connection: connection, line: number))
            case "I": steps.append(.send(connection: connection, template: String(rest), line: number))
            case "E": steps.append(.expect(connection: connection, template: String(rest), line: number))
            default: throw ParseError(description: "\(name):\(number): cannot read '\(line)'")
            }
        }
        self.steps = steps
    }

    public init(contentsOf url: URL) throws {
        try self.init(name: url.lastPathComponent, text: String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    // MARK: - Other FIX versions

    /// Whether the scenario can be played in `beginString` at all: ResetSeqNumFlag (141) and
    /// SecurityType (167) came with FIX 4.1, NoSecurityAltID (454) with FIX 4.3, so scenarios
    /// built on them do not exist in the versions before.
    public func applies(to beginString: String) -> Bool {
        var absent: [String] = []
        if beginString < "FIX.4.1" { absent += ["\u{01}141=", "\u{01}167="] }
        if beginString < "FIX.4.3" { absent.append("\u{01}454=") }
        return !steps.contains { step in
            switch step {
            case .send(_, let template, _), .expect(_, let template, _): absent.contains { template.contains($0) }
            default: false
            }
        }
    }

    /// The same scenario in another FIX 4.x version, with the differences QuickFIX's own
    /// per-version scenarios have: BeginString; before FIX 4.2 a ResendRequest's "infinity"
    /// is EndSeqNo 999999 and a Reject has no RefTagID, RefMsgType or SessionRejectReason
    /// (fields those versions lack); in FIX 4.2 SessionRejectReason only up to 11; and before
    /// FIX 4.2 a NewOrderSingle has OrderQty (38) required and no TransactTime (60).
    public func translated(to beginString: String) -> ConformanceScenario {
        guard beginString != "FIX.4.4" else { return self }
        let old = beginString < "FIX.4.2"
        func translate(_ template: String, expected: Bool) -> String {
            var fields = template.split(separator: "\u{01}", omittingEmptySubsequences: false).map(String.init)
            let trailing = fields.last == ""
            if trailing { fields.removeLast() }
            if fields.first == "8=FIX.4.4" {
                fields[0] = "8=\(beginString)"
            } else if fields.first == "8=\(beginString)" {
                // A scenario's "wrong version" must stay wrong in the translated session.
                fields[0] = "8=FIX.4.4"
            }
            let msgType = fields.first { $0.hasPrefix("35=") }.map { String($0.dropFirst(3)) }
            if old {
                if msgType == "2" { fields = fields.map { $0 == "16=0" ? "16=999999" : $0 } }
                if msgType == "3" && expected { fields.removeAll { $0.hasPrefix("371=") || $0.hasPrefix("372=") || $0.hasPrefix("373=") } }
                if msgType == "D" {
                    fields.removeAll { $0.hasPrefix("60=") }
                    // OrderQty was an int before FIX 4.2.
                    fields = fields.map { field in
                        guard field.hasPrefix("38="), let point = field.firstIndex(of: ".") else { return field }
                        let whole = field[field.index(field.startIndex, offsetBy: 3)..<point]
                        // A malformed quantity stays malformed: only well-formed ones are rewritten.
                        guard !whole.isEmpty, whole.allSatisfy(\.isNumber), let value = Int(whole) else { return field }
                        return "38=\(value)"
                    }
                    if !fields.contains(where: { $0.hasPrefix("38=") }), let side = fields.firstIndex(where: { $0.hasPrefix("54=") }) {
                        fields.insert("38=100", at: side)
                    }
                }
            }
            if msgType == "8", !fields.contains(where: { $0.hasPrefix("20=") }), let orderID = fields.firstIndex(where: { $0.hasPrefix("17=") }) {
                // ExecTransType (20) is required in an ExecutionReport until FIX 4.3.
                if beginString < "FIX.4.3" { fields.insert("20=0", at: orderID + 1) }
                if beginString < "FIX.4.2" { fields.removeAll { $0.hasPrefix("151=") } }
                if beginString < "FIX.4.1" { fields.removeAll { $0.hasPrefix("150=") } }
            }
            if old, expected, msgType == "j" {
                // No BusinessMessageReject before FIX 4.2: a session Reject says it instead.
                fields = fields.map { $0 == "35=j" ? "35=3" : $0 }
                fields.removeAll { $0.hasPrefix("372=") || $0.hasPrefix("380=") || $0.hasPrefix("379=") }
            }
            if beginString == "FIX.4.2", msgType == "3", expected,
               let reason = fields.firstIndex(where: { $0.hasPrefix("373=") }), let value = Int(fields[reason].dropFirst(4)), value > 11 {
                fields.remove(at: reason)
            }
            return fields.joined(separator: "\u{01}") + (trailing ? "\u{01}" : "")
        }
        let translatedSteps = steps.map { step -> Step in
            switch step {
            case .send(let connection, let template, let line):
                .send(connection: connection, template: translate(template, expected: false), line: line)
            case .expect(let connection, let template, let line):
                .expect(connection: connection, template: translate(template, expected: true), line: line)
            default: step
            }
        }
        return ConformanceScenario(name: "\(name) [\(beginString)]", steps: translatedSteps)
    }

    init(name: String, steps: [Step]) {
        self.name = name
        self.steps = steps
    }

    // MARK: - Messages

    /// `<TIME>`, `<TIME+N>` and `<TIME-N>` replaced by `now` (± N seconds) as YYYYMMDD-HH:MM:SS.
    public static func substituteTimes(_ template: String, now: Date) -> String {
        var result = ""
        var rest = Substring(template)
        while let open = rest.range(of: "<TIME") {
            result += rest[rest.startIndex..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: ">") else { break }
            let offset = Int(rest[open.upperBound..<close].replacingOccurrences(of: "+", with: "")) ?? 0
            result += timestamp(now.addingTimeInterval(TimeInterval(offset)))
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return String(format: "%04d", c.year ?? 0) + two(c.month) + two(c.day) + "-" + two(c.hour) + ":" + two(c.minute) + ":" + two(c.second)
    }

    /// The bytes to send for a template: times substituted, BodyLength inserted after
    /// BeginString and CheckSum appended where the template lacks them (QuickFIX's rule).
    public static func wireBytes(_ template: String, now: Date) -> [UInt8] {
        let text = substituteTimes(template, now: now)
        var fields = text.split(separator: "\u{01}", omittingEmptySubsequences: false).map(String.init)
        if fields.last == "" { fields.removeLast() }
        let hasLength = fields.contains { $0.hasPrefix("9=") }
        let hasChecksum = fields.last?.hasPrefix("10=") ?? false
        if !hasLength {
            let bodyFields = fields.dropFirst().filter { !$0.hasPrefix("10=") }
            let length = bodyFields.reduce(0) { $0 + $1.utf8.count + 1 }
            fields.insert("9=\(length)", at: min(1, fields.count))
        }
        var bytes = Array(fields.filter { !(hasChecksum && $0.hasPrefix("10=")) }.map { $0 + "\u{01}" }.joined().utf8)
        if hasChecksum {
            bytes += Array((fields.last! + "\u{01}").utf8)
        } else {
            let sum = bytes.reduce(0) { ($0 + Int($1)) % 256 }
            bytes += Array("10=\(String(format: "%03d", sum))\u{01}".utf8)
        }
        return bytes
    }

    /// The fields of an expected or received message, in order.
    public static func fields(_ text: String) -> [(tag: Int, value: String)] {
        text.split(separator: "\u{01}").compactMap { field in
            guard let equals = field.firstIndex(of: "="), let tag = Int(field[field.startIndex..<equals]) else { return nil }
            return (tag, String(field[field.index(after: equals)...]))
        }
    }
}

/// How a received message is judged against an expected one: the session behaviour a
/// counterparty acts on, not byte equality (see `../shared/conformance/README.md`).
public enum ConformanceComparison {
    /// Fields a received message may carry beyond what the scenario expects: free text and
    /// the reject's pointers to the offending field, which no counterparty acts on.
    public static let tolerated: Set<Int> = [58, 371, 372]
    /// Fields never compared by value: the frame's own bookkeeping.
    static let framing: Set<Int> = [FIXTag.bodyLength, FIXTag.checkSum]
    /// Tags holding UTCTimestamp values in the session scenarios.
    static let timestampTags: Set<Int> = [FIXTag.sendingTime, FIXTag.origSendingTime, 60]

    /// Differences between `received` and the `expected` template, empty when they agree.
    public static func differences(expected template: String, received: [UInt8]) -> [String] {
        let expected = ConformanceScenario.fields(template)
        let actual = ConformanceScenario.fields(String(decoding: received, as: UTF8.self))
        var problems: [String] = []
        let expectedType = expected.first { $0.tag == FIXTag.msgType }?.value
        let actualType = actual.first { $0.tag == FIXTag.msgType }?.value
        if expectedType != actualType {
            return ["MsgType \(actualType ?? "none"), expected \(expectedType ?? "none")"]
        }
        var remaining = actual
        for (tag, value) in expected where !framing.contains(tag) {
            guard let index = remaining.firstIndex(where: { $0.tag == tag }) else {
                problems.append("\(tag)=\(value) missing")
                continue
            }
            let got = remaining.remove(at: index).value
            if isAnyTimestamp(value) || (timestampTags.contains(tag) && (isTimestamp(value) || value.hasPrefix("<TIME"))) {
                if !isTimestamp(got) { problems.append("\(tag)=\(got) is not a UTCTimestamp") }
            } else if tag == 58 {
                continue // free text may be worded differently
            } else if got != value {
                problems.append("\(tag)=\(got), expected \(value)")
            }
        }
        for (tag, value) in remaining where !framing.contains(tag) && !tolerated.contains(tag) {
            problems.append("unexpected \(tag)=\(value)")
        }
        if let sending = actual.first(where: { $0.tag == FIXTag.sendingTime }), !isTimestamp(sending.value) {
            problems.append("SendingTime \(sending.value) is not a UTCTimestamp")
        }
        return problems
    }

    /// `00000000-00:00:00`, with or without `.000`: any valid timestamp will do. So does any
    /// time at all in SendingTime, OrigSendingTime and TransactTime, which QuickFIX's runner
    /// does not compare (its scenarios carry the times of the day they were recorded).
    static func isAnyTimestamp(_ value: String) -> Bool {
        value == "00000000-00:00:00" || value == "00000000-00:00:00.000"
    }

    static func isTimestamp(_ value: String) -> Bool {
        FIXValue(value).timestamp != nil
    }
}

/// Plays scenarios against an acceptor on loopback, as QuickFIX's own test runner does.
public struct ConformanceRunner: Sendable {
    public let port: Int
    /// How long an expected message or disconnect may take (heartbeat scenarios wait a
    /// HeartBtInt and more).
    public var deadline: Double = 20

    public init(port: Int) { self.port = port }

    /// Plays `scenario`; the failures, empty when it passed. Each names the line of the file.
    public func play(_ scenario: ConformanceScenario) -> [String] {
        var clients: [Int: RawFIXClient] = [:]
        defer { clients.removeAll() }
        for step in scenario.steps {
            switch step {
            case .connect(let connection):
                do {
                    clients[connection] = try RawFIXClient(port: port)
                } catch {
                    return ["\(scenario.name): connect \(connection): \(error)"]
                }
            case .disconnect(let connection):
                clients[connection] = nil
            case .send(let connection, let template, let line):
                guard let client = clients[connection] else { return ["\(scenario.name):\(line): connection \(connection) is not open"] }
                do {
                    try client.send(ConformanceScenario.wireBytes(template, now: Date()))
                } catch {
                    return ["\(scenario.name):\(line): send failed: \(error)"]
                }
            case .expect(let connection, let template, let line):
                guard let client = clients[connection] else { return ["\(scenario.name):\(line): connection \(connection) is not open"] }
                let started = Date()
                guard let bytes = client.receiveBytes(timeout: deadline) else {
                    let what = Date().timeIntervalSince(started) < deadline - 0.5
                        ? "the connection closed" : "nothing received within \(Int(deadline))s"
                    return ["\(scenario.name):\(line): \(what), expected \(FIXText.show(Array(template.utf8)))"]
                }
                let problems = ConformanceComparison.differences(expected: template, received: bytes)
                if !problems.isEmpty {
                    return ["\(scenario.name):\(line): received \(FIXText.show(bytes))\n  expected \(FIXText.show(Array(template.utf8)))\n  "
                            + problems.joined(separator: "; ")]
                }
            case .expectDisconnect(let connection, let line):
                guard let client = clients[connection] else { return ["\(scenario.name):\(line): connection \(connection) is not open"] }
                switch client.awaitClose(timeout: deadline) {
                case .closed: break
                case .received(let bytes):
                    return ["\(scenario.name):\(line): expected a disconnect, received \(FIXText.show(bytes))"]
                case .timedOut:
                    return ["\(scenario.name):\(line): still connected after \(Int(deadline))s, expected a disconnect"]
                }
                clients[connection] = nil
            }
        }
        return []
    }
}
