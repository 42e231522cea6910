import FIXCodec
import Instruments
import MarketData
import Testing

/// Snapshots and incrementals building L2 books, the published depth, crossed and stale books.
@Suite struct BookTests {
    @Test func aSnapshotAndIncrementalsBuildTheBook() throws {
        var feed = Feed()
        try feed.snapshot("CLF7", sequence: 10, bids: [("75.00", 5), ("75.02", 3), ("74.99", 7)],
                          asks: [("75.05", 4), ("75.03", 2)])
        #expect(try feed.book("CLF7").bids == ["75.02x3", "75.00x5", "74.99x7"])
        #expect(try feed.book("CLF7").asks == ["75.03x2", "75.05x4"])
        #expect(feed.events.contains(.bookRefreshed(try feed.id("CLF7"))))

        try feed.level("CLF7", .new, .bid, "75.01", 6)
        #expect(feed.levelEvents == ["bid new #2 75.01x6"])
        #expect(!feed.events.contains { if case .topOfBook = $0 { true } else { false } })

        try feed.level("CLF7", .change, .bid, "75.02", 9, orders: 4)
        #expect(feed.levelEvents == ["bid change #1 75.02x9"])
        let top = try #require(feed.events.compactMap { if case .topOfBook(let top) = $0 { top } else { nil } }.first)
        #expect(top.bid == PriceLevel(priceTicks: 7502, price: try dec("75.02"), size: 9, orderCount: 4))
        #expect(top.ask?.price == (try dec("75.03")))

        try feed.level("CLF7", .delete, .ask, "75.03")
        #expect(feed.levelEvents == ["ask delete #1 75.03x0"])
        #expect(feed.normalizer.topOfBook(try feed.id("CLF7")).ask?.price == (try dec("75.05")))

        try feed.level("CLF7", .new, .ask, "75.04", 1)
        #expect(feed.levelEvents == ["ask new #1 75.04x1"])

        #expect(try feed.book("CLF7").bids == ["75.02x9", "75.01x6", "75.00x5", "74.99x7"])
        #expect(try feed.book("CLF7").asks == ["75.04x1", "75.05x4"])
        let view = feed.normalizer.snapshot(of: try feed.id("CLF7"))
        #expect(view.sequence == 14)
        #expect(view.state == .ok)
        #expect(view.symbol == "CLF7")
        #expect(feed.normalizer.statistics.levelUpdatesApplied == 4)
    }

    @Test func negativePricesAreOrdinaryLevels() throws {
        // 20 April 2020: May WTI settled at −37.63.
        var feed = Feed()
        try feed.snapshot("CLF7", bids: [("-40.32", 1), ("-37.64", 2)], asks: [("-37.63", 3), ("-37.00", 1)])
        #expect(try feed.book("CLF7").bids == ["-37.64x2", "-40.32x1"])
        #expect(try feed.book("CLF7").asks == ["-37.63x3", "-37.00x1"])
        #expect(feed.normalizer.state(try feed.id("CLF7")) == .ok)
        #expect(feed.normalizer.legPrice(try feed.id("CLF7")) == (try dec("-37.635")))
    }

    @Test func levelsBeyondTheDepthAreKeptButNotPublished() throws {
        var feed = Feed(MarketDataConfiguration(depth: 3, maxLevels: 4))
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 1), ("74.99", 2), ("74.98", 3), ("74.97", 4), ("74.96", 5)],
                          asks: [("75.10", 1)])
        let book = try feed.id("CLF7")
        #expect(try feed.book("CLF7").bids == ["75.00x1", "74.99x2", "74.98x3"])
        #expect(feed.normalizer.levels(book, side: .bid).map(\.size) == [1, 2, 3, 4])

        // A better level pushes the third one out of the published depth first.
        try feed.level("CLF7", .new, .bid, "75.01", 9)
        #expect(feed.levelEvents == ["bid delete #3 74.98x0", "bid new #1 75.01x9"])
        #expect(feed.normalizer.levels(book, side: .bid).map(\.size) == [9, 1, 2, 3])

        // Deleting the best lets the fourth level move up into the depth.
        try feed.level("CLF7", .delete, .bid, "75.01")
        #expect(feed.levelEvents == ["bid delete #1 75.01x0", "bid new #3 74.98x3"])
        #expect(try feed.book("CLF7").bids == ["75.00x1", "74.99x2", "74.98x3"])

        // Changes beyond the worst level kept, on a side that dropped levels: ignored, not a gap.
        try feed.level("CLF7", .delete, .bid, "74.96")
        try feed.level("CLF7", .change, .bid, "74.97", 8, clear: false)
        #expect(feed.events.isEmpty)
        #expect(feed.normalizer.statistics.beyondDepthIgnored == 2)
        #expect(feed.normalizer.state(book) == .ok)

        // A level below the depth is kept silently.
        try feed.level("CLF7", .new, .bid, "74.90", 1)
        #expect(feed.events.isEmpty)
        #expect(feed.normalizer.levels(book, side: .bid).count == 4)

        // A delete of a price inside the levels kept that has no level: the book diverged.
        try feed.level("CLF7", .delete, .bid, "74.95")
        #expect(feed.states == [.recovering])
        #expect(feed.snapshotRequests == [book])
    }

    @Test func aNewLevelWorseThanAFullSideIsNotKept() throws {
        var feed = Feed(MarketDataConfiguration(depth: 2, maxLevels: 2))
        try feed.snapshot("CLF7", bids: [("75.00", 1), ("74.99", 2)], asks: [])
        try feed.level("CLF7", .new, .bid, "74.50", 5)
        #expect(feed.events.isEmpty)
        // Its later delete is beyond the worst level kept, so it is ignored too.
        try feed.level("CLF7", .delete, .bid, "74.50")
        #expect(feed.events.isEmpty)
        #expect(try feed.book("CLF7").bids == ["75.00x1", "74.99x2"])
        #expect(feed.normalizer.state(try feed.id("CLF7")) == .ok)
    }

    @Test func aLockedOrCrossedBookIsFlaggedAndClears() throws {
        var feed = Feed()
        try feed.quote("CLF7", "75.00", "75.05")
        try feed.level("CLF7", .new, .bid, "75.05", 1)
        #expect(feed.states == [.crossed])
        #expect(feed.normalizer.state(try feed.id("CLF7")) == .crossed)
        // Still published as the venue sent it.
        #expect(try feed.book("CLF7").bids.first == "75.05x1")

        // A better ask under a crossed bid leaves it crossed; removing the bid uncrosses it.
        try feed.level("CLF7", .new, .ask, "75.04", 1)
        #expect(feed.states.isEmpty)
        try feed.level("CLF7", .delete, .bid, "75.05")
        #expect(feed.states == [.ok])

        try feed.level("CLF7", .new, .ask, "74.99", 1)
        #expect(feed.states == [.crossed])
        try feed.level("CLF7", .delete, .ask, "74.99")
        #expect(feed.states == [.ok])
        let change = try #require(feed.events.compactMap { if case .bookState(let change) = $0 { change } else { nil } }.first)
        #expect(change.previous == .crossed)
    }

    @Test func aBookWithNoUpdateForTheStaleTimeIsFlaggedOnATick() throws {
        var feed = Feed(MarketDataConfiguration(staleAfterNanoseconds: 2_000_000_000))
        let start = try utc("20261125-14:30:00")
        feed.time = start
        try feed.quote("CLF7", "75.00", "75.05")
        feed.tick(start + 1_999_999_999)
        #expect(feed.events.isEmpty)
        feed.tick(start + 2_000_000_000)
        #expect(feed.states == [.stale])
        #expect(feed.normalizer.state(try feed.id("CLF7")) == .stale)
        // Books that never had data are not stale.
        #expect(feed.normalizer.state(try feed.id("CLG7")) == .ok)
        feed.tick(start + 5_000_000_000)
        #expect(feed.events.isEmpty, "flagged once")

        feed.time = start + 6_000_000_000
        try feed.level("CLF7", .change, .bid, "75.00", 3)
        #expect(feed.states == [.ok])

        // A trade counts as an update too.
        feed.tick(start + 8_000_000_000)
        #expect(feed.states == [.stale])
        try feed.trade("CLF7", "75.02", 1, at: start + 8_500_000_000)
        #expect(feed.states == [.ok])
    }
}
