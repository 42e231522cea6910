import FIXCodec
import Instruments
import MarketData
import MarketDataFeed

/// The gateway's path for one FIX venue update, without the sockets and the journal: the
/// venue's MarketDataIncrementalRefresh (35=X) parsed, read into the normalizer
/// (``FIXMarketDataReader``), and published to one subscriber as the gateway's own X
/// (``MarketDataPublisher``, diffing the book against what the subscriber was last sent).
///
/// The flow cycles through 1,000 prebuilt messages on one CL month with five levels a side:
/// the best bid's size changes, a level below it is deleted and re-added, the best offer's
/// size changes; each changes what a subscriber to five levels sees.
final class PublishPath: @unchecked Sendable {
    // @unchecked: one benchmark's iterations run one after another.
    var normalizer: MarketDataNormalizer
    var reader = FIXMarketDataReader()
    var publisher = MarketDataPublisher()
    var events: [MarketDataEvent] = []
    let messages: [[UInt8]]
    let book: BookID
    let symbol: String
    var cursor = 0
    /// Subscriber messages produced, so the work cannot be optimised away.
    var published = 0

    init() {
        let catalog = Scenario.catalog
        normalizer = MarketDataNormalizer(catalog: catalog)
        let symbol = catalog.frontMonth(root: "CL")!.symbol
        let book = normalizer.bookID(symbol: symbol)!
        self.symbol = symbol
        self.book = book
        var snapshot: [SnapshotLevel] = []
        var asks: [SnapshotLevel] = []
        for level in 0..<5 {
            snapshot.append(SnapshotLevel(price: 7_000 - Int64(level), size: 20, orderCount: 1))
            asks.append(SnapshotLevel(price: 7_001 + Int64(level), size: 20, orderCount: 1))
        }
        var events: [MarketDataEvent] = []
        try! normalizer.apply(BookSnapshot(book: book, sequence: 0, time: 0, bids: snapshot, asks: asks), into: &events)
        var messages: [[UInt8]] = []
        for index in 0..<1_000 {
            var body = FIXFieldList(reservingCapacity: 160)
            body.append(262, "WH-\(symbol)")
            var entries: [FIXFieldList] = []
            func entry(_ action: StaticString, _ type: StaticString, _ price: String, _ size: Int?) {
                var fields = FIXFieldList(reservingCapacity: 48)
                fields.append(279, action)
                fields.append(269, type)
                fields.append(55, symbol)
                fields.append(270, price)
                if let size { fields.append(271, size) }
                entries.append(fields)
            }
            switch index % 4 {
            case 0: entry("1", "0", "70.00", 10 + index % 50)
            case 1: entry("2", "0", "69.98", nil)
            case 2: entry("0", "0", "69.98", 20 + index % 30)
            default: entry("1", "1", "70.01", 10 + index % 40)
            }
            body.appendGroup(268, entries)
            var builder = FIXMessageBuilder(msgType: "X")
            builder.header.append(49, "VENUE")
            builder.header.append(56, "GATEWAY")
            builder.header.append(34, index + 2)
            builder.body = body
            messages.append(builder.encode())
        }
        self.messages = messages
        let request = MarketDataRequest(id: "MD1", kind: .subscribe, depth: 5, entryTypes: [.bid, .offer, .trade], symbols: [symbol])
        let normalizer = self.normalizer
        _ = publisher.handle(request, from: "OMS1", listed: { _ in true }, book: { Self.depth(normalizer, book: normalizer.bookID(symbol: $0)!, levels: $1) },
                             lastTrade: { _ in nil })
    }

    /// One venue message through parse, reader, normalizer and publisher.
    func step() throws {
        let message = try FIXMessage(parsing: messages[cursor])
        cursor = (cursor + 1) % messages.count
        events.removeAll(keepingCapacity: true)
        for update in try reader.incrementals(message, in: normalizer, time: 0) {
            normalizer.apply(update, into: &events)
        }
        let book = self.book
        let normalizer = self.normalizer
        published += publisher.publish(book: { _, levels in Self.depth(normalizer, book: book, levels: levels) },
                                       trades: [], lastTrade: { _ in nil }).count
    }

    /// The book as the publisher takes it (the gateway's VenueFeed does the same).
    static func depth(_ normalizer: MarketDataNormalizer, book: BookID, levels: Int) -> BookDepth {
        func side(_ side: BookSide) -> [BookDepth.Level] {
            normalizer.levels(book, side: side).prefix(levels).map { BookDepth.Level(price: $0.price, quantity: $0.size, orderCount: Int($0.orderCount)) }
        }
        return BookDepth(bids: side(.bid), asks: side(.ask))
    }
}
