import FIXCodec
import Instruments
import MarketData
import Testing
import TestSupport
@testable import MarketDataFeed

/// The venue's published market data read back through the normalizer, as a gateway in front
/// of the venue would: whatever the book does, the subscriber's book is the venue's top levels.
@Suite struct PublishedFeedTests {
    static let catalog = InstrumentReference.standard.catalog(on: CalendarDate(year: 2026, month: 11, day: 25)!)

    /// Random books on CLF7's tick grid: up to eight levels a side, bids below 70.00, asks above.
    static func randomDepth(_ random: inout SeededRandom) -> BookDepth {
        func side(_ base: Int64, _ direction: Int64) -> [BookDepth.Level] {
            var prices = Set<Int64>()
            for _ in 0..<random.next(upTo: 9) { prices.insert(base + direction * Int64(random.next(upTo: 12))) }
            return prices.sorted { direction < 0 ? $0 > $1 : $0 < $1 }.map {
                BookDepth.Level(price: FIXDecimal(mantissa: $0, scale: 2), quantity: Int64(1 + random.next(upTo: 30)),
                           orderCount: 1 + random.next(upTo: 3))
            }
        }
        return BookDepth(bids: side(7_000, -1), asks: side(7_001, 1))
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theSubscribersBookIsTheVenuesTopLevels(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let books = MarketDataPublisherTests.Books()
        books.depth["CLF7"] = Self.randomDepth(&random)
        var publisher = MarketDataPublisher()
        var normalizer = MarketDataNormalizer(catalog: Self.catalog)
        var reader = FIXMarketDataReader()
        var events: [MarketDataEvent] = []
        let request = MarketDataRequest(id: "MD1", kind: .subscribe, depth: 5, entryTypes: [.bid, .offer, .trade], symbols: ["CLF7"])
        let snapshots = try publisher.handle(request, from: "GATEWAY", listed: { _ in true }, book: books.book,
                                             lastTrade: { _ in nil }).get()
        try normalizer.apply(reader.snapshot(MarketDataPublisherTests.message(snapshots[0], msgType: "W"), in: normalizer, time: 0),
                             into: &events)
        let book = try #require(normalizer.bookID(symbol: "CLF7"))
        for step in 0..<300 {
            books.depth["CLF7"] = Self.randomDepth(&random)
            for message in publisher.publish(book: books.book, trades: [], lastTrade: { _ in nil }) {
                for update in try reader.incrementals(MarketDataPublisherTests.message(message.body), in: normalizer, time: Int64(step)) {
                    normalizer.apply(update, into: &events)
                }
            }
            let expected = try #require(books.book("CLF7", 5))
            let view = normalizer.snapshot(of: book)
            #expect(!normalizer.needsSnapshot(book), "step \(step)")
            #expect(view.bids.map(\.price) == expected.bids.map(\.price), "step \(step)")
            #expect(view.bids.map(\.size) == expected.bids.map(\.quantity), "step \(step)")
            #expect(view.asks.map(\.price) == expected.asks.map(\.price), "step \(step)")
            #expect(view.asks.map(\.size) == expected.asks.map(\.quantity), "step \(step)")
        }
    }
}
