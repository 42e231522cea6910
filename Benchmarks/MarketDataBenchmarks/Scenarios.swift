import Instruments
import MarketData

// The feed the benchmarks replay, generated once before any sample so the measured loops do
// nothing but call the normalizer. Eight books that are legs of derived instruments (CL
// F7 G7 H7 M7 Z7, BZF7, RBF7, HOF7), each kept at 10 to 30 levels a side by a reference
// venue book; the flow is what a venue sends for it: mostly size changes near the touch,
// levels added and removed (often at the touch, moving the mid and so repricing calendar
// spreads, Brent−WTI and cracks), and one trade in twenty.

/// Knuth's MMIX linear congruential generator, high bits only: enough to shuffle a flow, and
/// every run replays the same one.
struct FlowRandom {
    var state: UInt64

    mutating func below(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// The normalizer and the replay position, kept across samples.
final class FeedHarness: @unchecked Sendable {
    // One sample at a time touches these: no need for run-time exclusivity checks.
    @exclusivity(unchecked) var normalizer: MarketDataNormalizer
    @exclusivity(unchecked) var events: [MarketDataEvent] = []
    var cursor = 0
    let scenario: Scenario

    init(scenario: Scenario) {
        self.scenario = scenario
        normalizer = scenario.freshNormalizer()
        events.reserveCapacity(1_024)
    }

    /// Back to the start of the flow on a normalizer built as the first one was, when fewer
    /// than `count` updates remain.
    func rewindIfNeeded(for count: Int) {
        guard cursor + count > scenario.flow.count else { return }
        normalizer = scenario.freshNormalizer()
        cursor = 0
    }
}

struct Scenario: Sendable {
    static let symbols = ["CLF7", "CLG7", "CLH7", "CLM7", "CLZ7", "BZF7", "RBF7", "HOF7"]
    static let catalog = InstrumentReference.standard.catalog(on: CalendarDate(year: 2026, month: 11, day: 25)!)

    let snapshots: [BookSnapshot]
    let flow: [IncrementalUpdate]

    /// A normalizer with every scenario book loaded from its snapshot.
    func freshNormalizer() -> MarketDataNormalizer {
        var normalizer = MarketDataNormalizer(catalog: Self.catalog)
        var events: [MarketDataEvent] = []
        for snapshot in snapshots { try! normalizer.apply(snapshot, into: &events) }
        return normalizer
    }

    /// `count` updates over the eight books.
    static func mixedFlow(count: Int = 400_000) -> Scenario {
        var random = FlowRandom(state: 7)
        var normalizer = MarketDataNormalizer(catalog: catalog)
        var venues: [VenueBook] = []
        var snapshots: [BookSnapshot] = []
        for symbol in symbols {
            let book = normalizer.bookID(symbol: symbol)!
            // A mid of 75.00 $/bbl, or 2.5000 $/gal, in ticks; levels one tick apart.
            let mid: Int64 = symbol.hasPrefix("RB") || symbol.hasPrefix("HO") ? 25_000 : 7_500
            var venue = VenueBook(book: book)
            for offset in 1...20 as ClosedRange<Int64> {
                venue.bids[mid - offset] = Int64(1 + random.below(50))
                venue.asks[mid + offset] = Int64(1 + random.below(50))
            }
            snapshots.append(venue.snapshot())
            venues.append(venue)
        }
        var events: [MarketDataEvent] = []
        for snapshot in snapshots { try! normalizer.apply(snapshot, into: &events) }

        var flow: [IncrementalUpdate] = []
        flow.reserveCapacity(count)
        while flow.count < count {
            let which = random.below(venues.count)
            flow.append(venues[which].randomUpdate(&random))
        }
        // Check the flow applies cleanly: no gaps, no mismatches.
        for update in flow { normalizer.apply(update, into: &events) }
        precondition(normalizer.statistics.recoveries == 0, "the generated flow should apply without recovery")
        return Scenario(snapshots: snapshots, flow: flow)
    }
}

/// A venue's book for one instrument, which makes the updates it publishes.
struct VenueBook {
    let book: BookID
    var bids: [Int64: Int64] = [:]
    var asks: [Int64: Int64] = [:]
    var sequence: UInt64 = 0
    var time: Int64 = 1_795_000_000_000_000_000

    init(book: BookID) { self.book = book }

    func snapshot() -> BookSnapshot {
        BookSnapshot(book: book, sequence: sequence, time: time,
                     bids: bids.map { SnapshotLevel(price: $0.key, size: $0.value, orderCount: 1) },
                     asks: asks.map { SnapshotLevel(price: $0.key, size: $0.value, orderCount: 1) })
    }

    /// 5% trades; otherwise a level update on a random side, 70% size changes, the rest adds
    /// and removals, near the touch.
    mutating func randomUpdate(_ random: inout FlowRandom) -> IncrementalUpdate {
        sequence += 1
        time += Int64(1 + random.below(2_000_000))
        let bidPrices = bids.keys.sorted(by: >)
        let askPrices = asks.keys.sorted()
        if random.below(20) == 0 {
            let buy = random.below(2) == 0
            return .trade(TradeUpdate(book: book, sequence: sequence, time: time, price: buy ? askPrices[0] : bidPrices[0],
                                      size: Int64(1 + random.below(5)), aggressor: buy ? .buy : .sell))
        }
        let isBid = random.below(2) == 0
        let prices = isBid ? bidPrices : askPrices
        // Ranks near the touch far more often than deep in the book.
        let rank = min(random.below(4) * random.below(6), prices.count - 1)
        let size = Int64(1 + random.below(50))
        let orders = Int32(1 + random.below(8))
        var action = LevelAction.change
        var price = prices[rank]
        let roll = random.below(10)
        if (roll < 3 && prices.count < 30) || prices.count < 10 {
            // A new level: in a gap near the touch, or a better price without crossing.
            action = .new
            let best = prices[0]
            let opposite = isBid ? askPrices[0] : bidPrices[0]
            var candidate = isBid ? best + 1 - Int64(random.below(8)) : best - 1 + Int64(random.below(8))
            while (isBid ? bids : asks)[candidate] != nil { candidate += isBid ? -1 : 1 }
            if isBid ? candidate >= opposite : candidate <= opposite { candidate = isBid ? prices.last! - 1 : prices.last! + 1 }
            price = candidate
        } else if roll < 6 {
            action = .delete
        }
        switch (action, isBid) {
        case (.delete, true): bids[price] = nil
        case (.delete, false): asks[price] = nil
        case (_, true): bids[price] = size
        case (_, false): asks[price] = size
        }
        return .level(LevelUpdate(book: book, sequence: sequence, time: time, action: action, side: isBid ? .bid : .ask,
                                  price: price, size: size, orderCount: orders))
    }
}
