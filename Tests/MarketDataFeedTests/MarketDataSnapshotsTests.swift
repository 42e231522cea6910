import FIXCodec
import MarketDataFeed
import Testing

/// ``MarketDataSnapshots``: due at the interval, taken only when a price changed, every
/// instrument in it with when its prices were first seen; an interval of 0 takes none.
@Suite struct MarketDataSnapshotsTests {
    static let second: Int64 = 1_000_000_000

    @Test func dueAtTheIntervalAndOnlyWhenSomethingChanged() throws {
        var snapshots = MarketDataSnapshots(seconds: 10, start: 0)
        snapshots.update("CLF7", venue: "SIM", bid: FIXDecimal("70.00"), ask: FIXDecimal("70.02"), last: nil, now: 1 * Self.second)
        let beforeDue = snapshots.take(now: 9 * Self.second)
        #expect(beforeDue == nil, "not due")
        let due = snapshots.take(now: 10 * Self.second)
        let first = try #require(due)
        #expect(first.time == 10 * Self.second)
        #expect(first.instruments.map { [$0.symbol, $0.venue, $0.bid, $0.ask, $0.last, $0.mark, "\($0.time)"] }
                    == [["CLF7", "SIM", "70.00", "70.02", nil, nil, "\(1 * Self.second)"]])
        // The same prices again: the time they were first seen stays, and nothing is due.
        snapshots.update("CLF7", venue: "SIM", bid: FIXDecimal("70.00"), ask: FIXDecimal("70.02"), last: nil, now: 15 * Self.second)
        let unchanged = snapshots.take(now: 20 * Self.second)
        #expect(unchanged == nil, "nothing changed")
        snapshots.update("CLF7", venue: "SIM", bid: FIXDecimal("70.00"), ask: FIXDecimal("70.02"), last: FIXDecimal("70.01"),
                         now: 21 * Self.second)
        snapshots.update("BZG7", venue: "SIM", bid: FIXDecimal("73.00"), ask: nil, last: nil, now: 22 * Self.second)
        let tooSoon = snapshots.take(now: 29 * Self.second)
        #expect(tooSoon == nil, "due an interval after the last check")
        let moved = snapshots.take(now: 30 * Self.second)
        let second = try #require(moved)
        #expect(second.instruments.map(\.symbol) == ["BZG7", "CLF7"])
        #expect(second.instruments.last?.last == "70.01" && second.instruments.last?.time == 21 * Self.second)
        // A delisted instrument leaves the snapshots: that is a change too.
        snapshots.remove("BZG7")
        let delisted = snapshots.take(now: 40 * Self.second)
        #expect(delisted?.instruments.map(\.symbol) == ["CLF7"])
    }

    @Test func anIntervalOfZeroTakesNone() {
        var snapshots = MarketDataSnapshots(seconds: 0, start: 0)
        #expect(!snapshots.isOn)
        snapshots.update("CLF7", venue: "SIM", bid: FIXDecimal("70.00"), ask: nil, last: nil, now: 0)
        let off = snapshots.take(now: 3_600 * Self.second)
        #expect(off == nil)
    }
}
