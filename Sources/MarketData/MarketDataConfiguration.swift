/// How the normalizer keeps books, checks sequence numbers and prices derived instruments.
public struct MarketDataConfiguration: Sendable, Hashable {
    /// What a sequence number counts.
    public enum SequenceScope: Sendable, Hashable {
        /// Each instrument numbers its own updates (FIX RptSeq, 83): a gap puts only that book
        /// into recovery.
        case perInstrument
        /// One number runs across every instrument of the feed (a channel sequence): a gap
        /// could have lost an update of any book, so every book goes into recovery.
        case perFeed
    }

    /// Which price of a leg's book a derived instrument and the futures curve are computed from.
    public enum LegPrice: Sendable, Hashable, CaseIterable {
        /// The mid of the best bid and offer, exact (half a tick when they are an odd number of
        /// ticks apart); no price while either side is empty or the book is crossed.
        case mid
        /// The last trade price; no price before the first trade.
        case last
        /// The mid when the book is two-sided and not crossed, else the last trade.
        case midThenLast
    }

    /// Price levels per side that updates and snapshots publish (events, ``MarketDataNormalizer/snapshot(of:)``).
    public var depth: Int
    /// Price levels kept per side, at least `depth`. Keeping more than are published means a
    /// level that moves up into the published depth when a better one is deleted is already
    /// known. A side that would hold more drops its worst levels; updates to prices beyond the
    /// worst level kept on a side that dropped levels are then ignored, not treated as a gap.
    public var maxLevels: Int
    public var sequenceScope: SequenceScope
    /// A book with no update (level or trade) for this long is flagged stale by `tick(now:into:)`.
    public var staleAfterNanoseconds: Int64
    /// Incrementals held per book while it waits for a snapshot, to be replayed after it.
    /// Past this the held updates are dropped, and only a snapshot newer than the last dropped
    /// update ends the recovery.
    public var maxHeldUpdates: Int
    public var legPrice: LegPrice
    /// The bar lengths trades are aggregated into.
    public var barIntervals: [BarInterval]

    public init(depth: Int = 10, maxLevels: Int = 64, sequenceScope: SequenceScope = .perInstrument,
                staleAfterNanoseconds: Int64 = 5_000_000_000, maxHeldUpdates: Int = 10_000,
                legPrice: LegPrice = .mid, barIntervals: [BarInterval] = BarInterval.allCases) {
        self.depth = max(depth, 1)
        self.maxLevels = max(maxLevels, self.depth)
        self.sequenceScope = sequenceScope
        self.staleAfterNanoseconds = max(staleAfterNanoseconds, 1)
        self.maxHeldUpdates = max(maxHeldUpdates, 0)
        self.legPrice = legPrice
        self.barIntervals = barIntervals
    }
}
