import FIXCodec
import Instruments
import MarketData
import Testing
import TestSupport

/// Seeded random level updates against a naive reference book: the normalizer's book, its
/// published depth and a subscriber that applies only the published level events all agree
/// with the reference, with and without lost updates.
@Suite struct PropertyTests {
    /// The venue's book: every level, by price.
    struct ReferenceBook {
        var bids: [Int64: (size: Int64, orders: Int32)] = [:]
        var asks: [Int64: (size: Int64, orders: Int32)] = [:]

        subscript(side: BookSide) -> [Int64: (size: Int64, orders: Int32)] {
            get { side == .bid ? bids : asks }
            set { if side == .bid { bids = newValue } else { asks = newValue } }
        }

        /// `(price, size, orders)` best first.
        func sorted(_ side: BookSide) -> [[Int64]] {
            let levels = self[side].map { [$0.key, $0.value.size, Int64($0.value.orders)] }
            return levels.sorted { side == .bid ? $0[0] > $1[0] : $0[0] < $1[0] }
        }
    }

    /// A random valid update, applied to the reference.
    /// Bids are drawn from `band` ticks above 74.50, asks from `band` ticks half a band higher,
    /// so the sides overlap (and the book crosses) now and then; a narrow band keeps a side
    /// near the published depth, where levels move in and out of it.
    private func randomUpdate(_ reference: inout ReferenceBook, _ random: inout SeededRandom, book: BookID,
                              sequence: UInt64, band: Int) -> LevelUpdate {
        let side: BookSide = random.next(upTo: 2) == 0 ? .bid : .ask
        let base: Int64 = side == .bid ? 7_450 : 7_450 + Int64(band / 2)
        let price = base + Int64(random.next(upTo: band))
        let size = Int64(1 + random.next(upTo: 50))
        let orders = Int32(1 + random.next(upTo: 9))
        let roll = random.next(upTo: 10)
        var action: LevelAction
        if reference[side][price] == nil {
            action = .new
        } else {
            action = roll < 6 ? .change : .delete
        }
        if action == .delete {
            reference[side][price] = nil
        } else {
            reference[side][price] = (size, orders)
        }
        return LevelUpdate(book: book, sequence: sequence, time: Int64(sequence), action: action, side: side, price: price,
                           size: size, orderCount: orders)
    }

    private func levels(_ view: [PriceLevel]) -> [[Int64]] {
        view.map { [$0.priceTicks, $0.size, Int64($0.orderCount)] }
    }

    @Test(arguments: [(1, 100), (2, 12), (3, 7), (4, 5)] as [(UInt64, Int)])
    func publishedDepthAndSubscriberViewMatchTheReference(seed: UInt64, band: Int) throws {
        let depth = 5
        var normalizer = MarketDataNormalizer(catalog: catalog, configuration: MarketDataConfiguration(depth: depth, maxLevels: 256))
        let book = try #require(normalizer.bookID(symbol: "CLF7"))
        var random = SeededRandom(seed: seed)
        var reference = ReferenceBook()
        // What a subscriber knows: the published levels, by price.
        var subscriber = ReferenceBook()
        var events: [MarketDataEvent] = []
        events.reserveCapacity(64)
        var sequence: UInt64 = 0
        var lost = 0
        var depthBoundaries = 0

        for step in 0..<20_000 {
            sequence += 1
            let update = randomUpdate(&reference, &random, book: book, sequence: sequence, band: band)
            // One update in fifty is lost on the way.
            if random.next(upTo: 50) == 0 {
                lost += 1
                continue
            }
            events.removeAll(keepingCapacity: true)
            normalizer.apply(update, into: &events)
            if normalizer.needsSnapshot(book) {
                // The caller asks the venue for a snapshot, which arrives at once.
                #expect(events.contains(.snapshotNeeded(book)))
                let snapshot = BookSnapshot(
                    book: book, sequence: sequence, time: Int64(sequence),
                    bids: reference.bids.map { SnapshotLevel(price: $0.key, size: $0.value.size, orderCount: $0.value.orders) },
                    asks: reference.asks.map { SnapshotLevel(price: $0.key, size: $0.value.size, orderCount: $0.value.orders) })
                try normalizer.apply(snapshot, into: &events)
            }
            for event in events {
                switch event {
                case .level(let level):
                    if level.action == .delete {
                        #expect(subscriber[level.side][level.priceTicks] != nil, "delete of a level not published")
                        subscriber[level.side][level.priceTicks] = nil
                    } else {
                        #expect((subscriber[level.side][level.priceTicks] == nil) == (level.action == .new))
                        subscriber[level.side][level.priceTicks] = (level.size, level.orderCount)
                    }
                    #expect(subscriber[level.side].count <= depth + 1)
                case .bookRefreshed:
                    let view = normalizer.snapshot(of: book)
                    subscriber = ReferenceBook()
                    for level in view.bids { subscriber.bids[level.priceTicks] = (level.size, level.orderCount) }
                    for level in view.asks { subscriber.asks[level.priceTicks] = (level.size, level.orderCount) }
                default: break
                }
            }

            let view = normalizer.snapshot(of: book)
            for side in BookSide.allCases {
                let expected = reference.sorted(side)
                #expect(levels(normalizer.levels(book, side: side)) == expected, "step \(step) \(side)")
                #expect(levels(side == .bid ? view.bids : view.asks) == Array(expected.prefix(depth)))
                #expect(subscriber.sorted(side) == Array(expected.prefix(depth)), "step \(step) subscriber \(side)")
            }
            if reference.bids.count == depth || reference.asks.count == depth { depthBoundaries += 1 }
            let crossed = (reference.bids.keys.max() ?? .min) >= (reference.asks.keys.min() ?? .max)
            #expect(view.state == (crossed ? .crossed : .ok), "step \(step)")
            if normalizer.needsSnapshot(book) { break }
        }
        #expect(lost > 100)
        if band <= 12 { #expect(depthBoundaries > 500, "a side often holds exactly the published depth") }
        // Each run of lost updates is one gap (none after the last update applied).
        #expect(normalizer.statistics.recoveries > 0)
        #expect(normalizer.statistics.recoveries <= lost)
    }
}
