import FIXCodec
import Testing
import TestSupport
@testable import MarketDataFeed

/// Subscriptions and incremental refreshes, without a socket: what each subscriber is sent as
/// the book moves.
@Suite struct MarketDataPublisherTests {
    static func level(_ price: String, _ quantity: Int64, _ orders: Int = 1) -> BookDepth.Level {
        BookDepth.Level(price: FIXDecimal(price)!, quantity: quantity, orderCount: orders)
    }

    /// A book the test changes between publishes.
    final class Books: @unchecked Sendable {
        var depth: [String: BookDepth] = [:]
        func book(_ symbol: String, _ levels: Int) -> BookDepth? {
            depth[symbol].map { BookDepth(bids: Array($0.bids.prefix(levels)), asks: Array($0.asks.prefix(levels))) }
        }
    }

    static func request(_ id: String = "MD1", kind: MarketDataRequest.Kind = .subscribe, depth: Int = 2,
                        types: Set<MarketDataRequest.EntryType> = [.bid, .offer, .trade], symbols: [String] = ["CLF7"]) -> MarketDataRequest {
        MarketDataRequest(id: id, kind: kind, depth: depth, entryTypes: types, symbols: symbols)
    }

    /// The entries of a body's NoMDEntries group as tag → value maps (the group is the last
    /// thing in the body).
    static func message(_ body: FIXFieldList, msgType: String = "X") -> FIXMessage {
        var builder = FIXMessageBuilder(msgType: msgType)
        builder.header.append(49, "SIM")
        builder.header.append(56, "QA1")
        builder.body = body
        return try! FIXMessage(parsing: builder.encode())
    }

    static func entries(_ body: FIXFieldList, delimiter: Int) -> [[Int: String]] {
        let message = message(body)
        var result: [[Int: String]] = []
        guard let start = message.position(of: 268) else { return [] }
        for position in (start + 1)..<message.count {
            let tag = message.tag(at: position)
            if tag == 10 { break }
            if tag == delimiter { result.append([:]) }
            result[result.count - 1][tag] = message.value(at: position).string
        }
        return result
    }

    @Test func aSubscriptionStartsWithASnapshotToItsDepth() throws {
        let books = Books()
        books.depth["CLF7"] = BookDepth(bids: [Self.level("70.00", 5, 2), Self.level("69.99", 7), Self.level("69.98", 9)],
                                         asks: [Self.level("70.01", 4)])
        var publisher = MarketDataPublisher()
        let snapshots = try publisher.handle(Self.request(), from: "QA1", listed: { $0 == "CLF7" }, book: books.book,
                                             lastTrade: { _ in FIXDecimal("70.00") }).get()
        #expect(snapshots.count == 1)
        let entries = Self.entries(snapshots[0], delimiter: 269)
        #expect(entries.map { $0[269] } == ["0", "0", "1", "2"], "two bid levels (depth 2), the offer, the last trade")
        #expect(entries[0][270] == "70.00" && entries[0][271] == "5" && entries[0][346] == "2" && entries[0][290] == "1")
        #expect(entries[3][270] == "70.00")
        #expect(publisher.subscriptionCount == 1)
    }

    @Test func changesGoOutAsDeletesThenChangesThenNewLevels() throws {
        let books = Books()
        books.depth["CLF7"] = BookDepth(bids: [Self.level("70.00", 5), Self.level("69.99", 7)], asks: [Self.level("70.01", 4)])
        var publisher = MarketDataPublisher()
        _ = try publisher.handle(Self.request(), from: "QA1", listed: { _ in true }, book: books.book, lastTrade: { _ in nil }).get()
        // The best bid is hit away, the next bid grows, a new level appears behind it.
        books.depth["CLF7"] = BookDepth(bids: [Self.level("69.99", 8), Self.level("69.98", 3)], asks: [Self.level("70.01", 4)])
        let trade = TradePrint(symbol: "CLF7", price: FIXDecimal("70.00")!, quantity: 5)
        let out = publisher.publish(book: books.book, trades: [trade], lastTrade: { _ in nil })
        #expect(out.count == 1 && out[0].msgType == "X" && out[0].session == "QA1")
        let entries = Self.entries(out[0].body, delimiter: 279)
        #expect(entries.map { [$0[279], $0[269], $0[270]] } == [
            ["2", "0", "70.00"], ["1", "0", "69.99"], ["0", "0", "69.98"], ["0", "2", "70.00"],
        ])
        #expect(entries[1][271] == "8" && entries[3][271] == "5")
        #expect(entries.allSatisfy { $0[55] == "CLF7" })
        // Nothing moved: nothing is sent.
        #expect(publisher.publish(book: books.book, trades: [], lastTrade: { _ in nil }).isEmpty)
    }

    @Test func aSubscriberOnlyHearsOfTheSidesItAskedFor() throws {
        let books = Books()
        books.depth["CLF7"] = BookDepth(bids: [Self.level("70.00", 5)], asks: [Self.level("70.01", 4)])
        var publisher = MarketDataPublisher()
        _ = try publisher.handle(Self.request(types: [.offer]), from: "QA1", listed: { _ in true }, book: books.book,
                                 lastTrade: { _ in nil }).get()
        books.depth["CLF7"] = BookDepth(bids: [Self.level("70.00", 9)], asks: [Self.level("70.01", 4)])
        #expect(publisher.publish(book: books.book, trades: [], lastTrade: { _ in nil }).isEmpty, "only the bid moved")
        books.depth["CLF7"] = BookDepth(bids: [Self.level("70.00", 9)], asks: [Self.level("70.02", 1)])
        let entries = Self.entries(publisher.publish(book: books.book, trades: [], lastTrade: { _ in nil })[0].body, delimiter: 279)
        #expect(entries.map { [$0[279], $0[270]] } == [["2", "70.01"], ["0", "70.02"]])
    }

    @Test func refusalsNameTheReason() throws {
        let books = Books()
        var publisher = MarketDataPublisher()
        let unknown = publisher.handle(Self.request(symbols: ["CLZ9"]), from: "QA1", listed: { _ in false }, book: books.book,
                                       lastTrade: { _ in nil })
        #expect(throws: MarketDataRequestRejection(requestID: "MD1", reason: .unknownSymbol, text: "CLZ9 is not listed on this venue")) {
            try unknown.get()
        }
        _ = try publisher.handle(Self.request(), from: "QA1", listed: { _ in true }, book: books.book, lastTrade: { _ in nil }).get()
        let twice = publisher.handle(Self.request(), from: "QA1", listed: { _ in true }, book: books.book, lastTrade: { _ in nil })
        #expect(throws: MarketDataRequestRejection.self) { try twice.get() }
        // The same MDReqID on another session is another subscription.
        #expect(throws: Never.self) {
            try publisher.handle(Self.request(), from: "QA2", listed: { _ in true }, book: books.book, lastTrade: { _ in nil }).get()
        }
        publisher.sessionEnded("QA1")
        #expect(publisher.subscriptionCount == 1)
        let end = publisher.handle(Self.request(kind: .unsubscribe), from: "QA2", listed: { _ in true }, book: books.book,
                                   lastTrade: { _ in nil })
        #expect(throws: Never.self) { try end.get() }
        #expect(publisher.subscriptionCount == 0)
    }

    @Test func requestsAreReadFromFIXWithTheirRejectReasons() throws {
        func parse(_ fields: String) -> Result<MarketDataRequest, MarketDataRequestRejection> {
            MarketDataRequest.parse(try! FIXMessage(parsing: FIXText.message(
                "35=V|49=QA1|56=SIM|34=2|52=20261125-10:00:00.000|" + fields)))
        }
        let good = try parse("262=M1|263=1|264=5|265=1|267=2|269=0|269=1|146=2|55=CLF7|55=BZG7|").get()
        #expect(good == MarketDataRequest(id: "M1", kind: .subscribe, depth: 5, entryTypes: [.bid, .offer], symbols: ["CLF7", "BZG7"]))
        #expect(throws: MarketDataRequestRejection(requestID: "M2", reason: .unsupportedSubscriptionRequestType,
                                                   text: "SubscriptionRequestType (263) '7' is not 0, 1 or 2")) {
            try parse("262=M2|263=7|264=0|267=1|269=0|146=1|55=CLF7|").get()
        }
        #expect(throws: MarketDataRequestRejection.self) { try parse("262=M3|263=1|264=0|267=1|269=B|146=1|55=CLF7|").get() }
        let rejection = MarketDataRequestRejection(requestID: "M3", reason: .unsupportedMDEntryType, text: "x")
        #expect(Self.message(rejection.body, msgType: "Y")[281]?.string == "8")
    }

    /// A publish limited to the symbols a venue message moved leaves the others for a later
    /// publish: nothing is lost, and nothing else is looked at.
    @Test func aPublishOfSomeSymbolsLeavesTheOthersForLater() throws {
        let books = Books()
        books.depth["CLF7"] = BookDepth(bids: [Self.level("70.00", 5)], asks: [Self.level("70.01", 4)])
        books.depth["CLG7"] = BookDepth(bids: [Self.level("69.80", 5)], asks: [Self.level("69.81", 4)])
        var publisher = MarketDataPublisher()
        _ = try publisher.handle(Self.request(symbols: ["CLF7", "CLG7"]), from: "QA1", listed: { _ in true }, book: books.book,
                                 lastTrade: { _ in nil }).get()
        books.depth["CLF7"]?.bids[0].quantity = 6
        books.depth["CLG7"]?.bids[0].quantity = 8
        var looked: [String] = []
        let first = publisher.publish(book: { looked.append($0); return books.book($0, $1) }, trades: [], lastTrade: { _ in nil },
                                      only: ["CLG7"])
        #expect(looked == ["CLG7"])
        #expect(first.flatMap { Self.entries($0.body, delimiter: 279) }.map { $0[55] } == ["CLG7"])
        let rest = publisher.publish(book: books.book, trades: [], lastTrade: { _ in nil })
        #expect(rest.flatMap { Self.entries($0.body, delimiter: 279) }.map { "\($0[55] ?? "") \($0[271] ?? "")" } == ["CLF7 6"])
    }
}
