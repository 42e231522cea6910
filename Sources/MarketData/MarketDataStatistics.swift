/// Counts of what the normalizer did with its input, for monitoring a feed's health.
public struct MarketDataStatistics: Sendable, Hashable {
    public var levelUpdatesApplied = 0
    public var tradesApplied = 0
    public var snapshotsApplied = 0
    /// Incrementals at or below a book's (or the feed's) last sequence number: replays and duplicates.
    public var duplicatesIgnored = 0
    /// Changes and deletes beyond the worst level kept on a side that dropped levels.
    public var beyondDepthIgnored = 0
    /// Gaps and mismatches that put a book into recovery.
    public var recoveries = 0
    public var updatesHeld = 0
    /// Held updates dropped because the book's held buffer was full.
    public var updatesDropped = 0
    /// Snapshots older than the book already was, not applied.
    public var staleSnapshotsIgnored = 0
    /// Trades timed before the bar that was open for their interval: printed, not put in that bar.
    public var lateTrades = 0

    public init() {}
}
