import ArgumentParser
import Dispatch
import FIXCodec
import FIXSession
import FIXTransport
import FIXVocabulary
import Foundation
import Instruments
import MarketData
import MarketDataFeed
import Synchronization

/// `wellhead marketdata watch`: a trader's or QA's view of live market data. Logs on to a
/// gateway (or the venue simulator) as an OMS session, subscribes to each instrument with a
/// MarketDataRequest of its own (so that one refused symbol does not refuse the others), reads
/// the snapshots and incremental refreshes through the market-data normalizer, and prints each
/// book's top whenever it or the last trade moves, each derived instrument's value as it
/// changes, and each symbol the venue refuses.
struct MarketDataWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Subscribe to instruments over FIX and print each book's top as it moves.")

    @Option(help: "Gateway or venue host.") var host = "127.0.0.1"
    @Option(help: "Gateway or venue port.") var port = 9878
    @Option(help: "Our SenderCompID.") var sender = "OMS1"
    @Option(help: "The gateway's or venue's CompID.") var target = "WELLHEAD"
    @Option(name: .customLong("symbol"), help: "An instrument to watch (repeat for more): CLF7, CLF7-CLG7, CRK321F7.")
    var symbols: [String]
    @Option(help: "Price levels a side to subscribe to.") var depth = 5
    @Option(help: "Seconds to watch before logging out.") var seconds = 10.0
    @Option(help: "Log out once this many index values (signals, derived instruments) changed, if before --seconds.")
    var values: Int?
    @Option(help: "The instrument reference file (the standard listing if left out).") var instruments: String?

    func validate() throws {
        guard !symbols.isEmpty else { throw ValidationError("name at least one --symbol") }
        guard depth > 0 else { throw ValidationError("--depth is a number of levels, at least 1") }
    }

    func run() async throws {
        let reference = try InstrumentReferenceLoader.loadForCommand(instruments)
        let today = CalendarDate(daysSinceEpoch: Int(WallClock.now().nanosecondsSinceEpoch / 86_400_000_000_000))
        let requests = symbols.enumerated().map { index, symbol in
            (requestID: "WATCH-\(getpid())-\(index + 1)", symbol: symbol)
        }
        let (changed, changes) = AsyncStream.makeStream(of: Void.self)
        let client = WatchClient(view: MarketView(catalog: reference.catalog(on: today)),
                                 requests: requests.map { ($0.requestID, $0.symbol, request(id: $0.requestID, symbol: $0.symbol)) },
                                 valueChanged: changes)
        let session = try await ClientSession(name: "watch", sender: sender, target: target, host: host, port: port,
                                              application: client)
        client.attach(session.endpoint)
        await withTaskGroup(of: Void.self) { [seconds, values] group in
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }
            if let values {
                group.addTask {
                    var seen = 0
                    for await _ in changed {
                        seen += 1
                        if seen >= values { return }
                    }
                }
            }
            await group.next()
            group.cancelAll()
        }
        await session.close(reason: "watch over")
        for line in client.summary() { print(line) }
        if !client.loggedOn {
            var standardError = StandardError()
            print("error: not logged on to \(target) at \(host):\(port) as \(sender) within \(seconds)s", to: &standardError)
            throw ExitCode.failure
        }
    }

    /// Snapshot and updates, bids, offers, trades and derived values, for one symbol.
    private func request(id: String, symbol: String) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 128)
        body.append(FIXTag.mdReqID, id)
        body.append(FIXTag.subscriptionRequestType, char: SubscriptionRequestType.snapshotPlusUpdates.rawValue.fixByte)
        body.append(FIXTag.marketDepth, depth)
        body.append(FIXTag.mdUpdateType, char: MDUpdateType.incrementalRefresh.rawValue.fixByte)
        body.appendGroup(FIXTag.noMDEntryTypes, [MDEntryType.bid, .offer, .trade, .indexValue].map { type in
            var entry = FIXFieldList()
            entry.append(FIXTag.mdEntryType, char: type.rawValue.fixByte)
            return entry
        })
        var entry = FIXFieldList()
        entry.append(FIXTag.symbol, symbol)
        body.appendGroup(FIXTag.noRelatedSym, [entry])
        return body
    }
}

/// The books as the watch sees them: the subscription's W and X through the normalizer, and
/// derived instruments' values (MDEntryType 3) as they were last sent.
struct MarketView {
    private var normalizer: MarketDataNormalizer
    private var reader = FIXMarketDataReader()
    private var events: [MarketDataEvent] = []
    private(set) var values: [String: String] = [:]
    /// Index values changed so far.
    private(set) var valueChanges = 0
    private var seen: [BookID] = []
    private(set) var messages = 0

    init(catalog: InstrumentCatalog) {
        normalizer = MarketDataNormalizer(catalog: catalog)
    }

    /// Applies a W or X; returns a line for each book whose top or last trade moved and each
    /// value that changed.
    mutating func apply(_ message: FIXMessage, time: Int64) throws -> [String] {
        messages += 1
        var lines = valueLines(message)
        events.removeAll(keepingCapacity: true)
        // A derived instrument without a book of its own comes as a value alone.
        if message.type == .marketDataSnapshotFullRefresh, message[FIXTag.symbol].map({ normalizer.bookID(symbol: $0.string) == nil }) ?? true { return lines }
        _ = try reader.apply(message, to: &normalizer, time: time, into: &events)
        var moved: [BookID] = []
        for event in events {
            switch event {
            case .topOfBook(let top) where !moved.contains(top.book): moved.append(top.book)
            case .trade(let trade) where !moved.contains(trade.book): moved.append(trade.book)
            default: continue
            }
        }
        for book in moved {
            if !seen.contains(book) { seen.append(book) }
            lines.append(line(book))
        }
        return lines
    }

    /// Index values (MDEntryType 3), each with its symbol (an entry's, or the snapshot's) and
    /// the entry's Text (58) when it has one (a signal's `direction=… confidence=…`).
    private mutating func valueLines(_ message: FIXMessage) -> [String] {
        var lines: [String] = []
        var symbol = message[FIXTag.symbol]?.string
        var entry: (type: MDEntryType?, price: String?, text: String?) = (nil, nil, nil)
        func flush() {
            defer { entry = (nil, nil, nil) }
            guard entry.type == .indexValue, let symbol, let price = entry.price else { return }
            let value = entry.text.map { "\(price) \($0)" } ?? price
            if values[symbol] != value {
                values[symbol] = value
                valueChanges += 1
                lines.append("\(symbol) value \(value)")
            }
        }
        for position in 0..<message.count {
            switch message.tag(at: position) {
            // An entry starts at MDUpdateAction (279) in an X, at MDEntryType (269) in a W.
            case FIXTag.mdUpdateAction: flush()
            case FIXTag.mdEntryType:
                if entry.type != nil { flush() }
                entry.type = MDEntryType(rawValue: message.value(at: position).string)
            case FIXTag.symbol: symbol = message.value(at: position).string
            case FIXTag.mdEntryPx: entry.price = message.value(at: position).string
            case FIXTag.text: entry.text = message.value(at: position).string
            default: continue
            }
        }
        flush()
        return lines
    }

    private func line(_ book: BookID) -> String {
        let top = normalizer.topOfBook(book)
        let bid = top.bid.map { "\($0.price) x \($0.size)" } ?? "-"
        let ask = top.ask.map { "\($0.price) x \($0.size)" } ?? "-"
        let last = normalizer.lastTrade(book).map { " last \($0.price) x \($0.size)" } ?? ""
        return "\(normalizer.symbol(book)) bid \(bid) ask \(ask)\(last) \(normalizer.state(book))"
    }

    /// Each book and value at the end.
    func summary() -> [String] {
        seen.map { "final " + line($0) } + values.keys.sorted().map { "final \($0) value \(values[$0]!)" }
            + ["watched \(messages) market data messages"]
    }
}

/// The command's FIX application: subscribes once logged on and prints what moves.
private final class WatchClient: FIXApplication {
    private let sending: SendOnLogon
    private let view: Mutex<MarketView>
    /// One MarketDataRequest a symbol, with its MDReqID.
    private let requests: [(requestID: String, symbol: String, body: FIXFieldList)]
    private let state = Mutex(false)

    /// Told each time an index value changes.
    private let valueChanged: AsyncStream<Void>.Continuation

    init(view: MarketView, requests: [(requestID: String, symbol: String, body: FIXFieldList)],
         valueChanged: AsyncStream<Void>.Continuation) {
        self.view = Mutex(view)
        self.requests = requests
        self.valueChanged = valueChanged
        sending = SendOnLogon(requests.map { (MsgType.marketDataRequest, $0.body) })
    }

    /// The session's endpoint, which the requests go out through once logged on.
    func attach(_ endpoint: SessionEndpoint) {
        sending.attach(endpoint)
    }

    var loggedOn: Bool { state.withLock { $0 } }

    func onLogon(_ session: SessionID) {
        state.withLock { $0 = true }
        print("logged on as \(session.senderCompID) to \(session.targetCompID)")
        sending.loggedOn()
    }

    func received(_ message: FIXMessage, from session: SessionID, replies: inout FIXReplies) {
        switch message.type {
        case .marketDataSnapshotFullRefresh, .marketDataIncrementalRefresh:
            do {
                let (lines, changed) = try view.withLock { view in
                    let before = view.valueChanges
                    let lines = try view.apply(message, time: WallClock.now().nanosecondsSinceEpoch)
                    return (lines, view.valueChanges - before)
                }
                for line in lines { print(line) }
                for _ in 0..<changed { valueChanged.yield() }
            } catch {
                print("unreadable market data: \(error)")
            }
        case .marketDataRequestReject:
            // The symbol it refuses, by the refused request's MDReqID.
            let requestID = message[FIXTag.mdReqID]?.string
            let symbol = requests.first { $0.requestID == requestID }?.symbol ?? requestID ?? "?"
            let reason = message[FIXTag.mdReqRejReason]?.string ?? ""
            let meaning = MarketDataRequestRejection.Reason(rawValue: reason) == .unknownSymbol ? " (unknown symbol)" : ""
            print("\(symbol) not subscribed: MarketDataRequestReject MDReqRejReason=\(reason)\(meaning) Text=\"\(message[FIXTag.text]?.string ?? "")\"")
        default:
            print("\(message.msgType ?? "?") \(message[FIXTag.text]?.string ?? "")")
        }
    }

    func summary() -> [String] { view.withLock { $0.summary() } }
}
