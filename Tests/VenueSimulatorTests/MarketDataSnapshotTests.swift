import FIXCodec
import Foundation
import MarketDataFeed
import Testing
import TestSupport
@testable import VenueSimulator

/// The venue simulator journals the market it publishes as snapshots (`marketdata.snapshot`)
/// at the interval, not each refresh it sends.
@Suite struct VenueMarketDataSnapshotTests {
    static let second: Int64 = 1_000_000_000

    static func snapshots(_ records: [ExchangeRecord]) throws -> [MarketDataSnapshots.Snapshot] {
        try decodeEvents(MarketDataSnapshots.Snapshot.self, kind: MarketDataSnapshots.kind, in: records.map { ($0.kind, $0.json) })
    }

    @Test func theMarketIsJournaledAtTheIntervalAsTheBooksStand() throws {
        var bench = try ExchangeBench()
        let start = bench.now
        _ = bench.exchange.drainRecords()
        var now = start
        while now < start + 59 * Self.second {
            now += Self.second / 4
            _ = bench.exchange.advance(now: now)
        }
        #expect(try Self.snapshots(bench.exchange.drainRecords()).isEmpty, "not due before the interval")
        _ = bench.exchange.advance(now: start + 60 * Self.second)
        let snapshot = try #require(try Self.snapshots(bench.exchange.drainRecords()).only, "one snapshot, at the interval")
        #expect(snapshot.time == start + 60 * Self.second)
        let listed = bench.exchange.catalog.instruments.map(\.symbol)
        #expect(Set(snapshot.instruments.map(\.symbol)).isSubset(of: Set(listed)) && !snapshot.instruments.isEmpty)
        let front = try #require(snapshot.instruments.first { $0.symbol == "CLF7" })
        let top = try #require(bench.exchange.venue.topOfBook(symbol: "CLF7"))
        #expect(front.venue == "SIM")
        #expect(front.bid == top.bidPrice?.description && front.ask == top.askPrice?.description, "\(front) \(top)")
        #expect(front.mark == bench.exchange.venue.mark(symbol: "CLF7")?.description)
        // Not due again until an interval on.
        _ = bench.exchange.advance(now: start + 90 * Self.second)
        #expect(try Self.snapshots(bench.exchange.drainRecords()).isEmpty)
    }
}

extension Array {
    /// The one element, when there is exactly one.
    var only: Element? { count == 1 ? first : nil }
}
