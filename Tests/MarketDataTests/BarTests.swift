import FIXCodec
import Instruments
import MarketData
import Testing

/// Trades rolling 1m, 5m, 1h and 1d bars at their UTC boundaries, by trade and by clock tick.
@Suite struct BarTests {
    private func summary(_ bar: Bar) -> String {
        "\(bar.interval) \(bar.open)/\(bar.high)/\(bar.low)/\(bar.close) v\(bar.volume) n\(bar.tradeCount)"
    }

    @Test func tradesRollBarsAtTheirBoundaries() throws {
        var feed = Feed()
        let book = try feed.id("CLF7")
        try feed.snapshot("CLF7", bids: [], asks: [])

        try feed.trade("CLF7", "75.00", 2, at: utc("20261125-14:30:10"))
        #expect(feed.events.count == 1)
        guard case .trade(let trade) = feed.events.first else { Issue.record("no trade event"); return }
        #expect(trade.price == (try dec("75.00")))
        #expect(trade.aggressor == .buy)
        try feed.trade("CLF7", "75.10", 1, at: utc("20261125-14:30:40"))
        try feed.trade("CLF7", "74.95", 3, at: utc("20261125-14:30:59.999"))
        #expect(feed.closedBars.isEmpty)
        let open = try #require(feed.normalizer.openBar(book, interval: .oneMinute))
        #expect(summary(open) == "1m 75.00/75.10/74.95/74.95 v6 n3")

        // The first trade at or after 14:31:00 closes the 14:30 minute, and only it.
        try feed.trade("CLF7", "75.05", 1, at: utc("20261125-14:31:00"))
        #expect(feed.closedBars.map(summary) == ["1m 75.00/75.10/74.95/74.95 v6 n3"])
        #expect(feed.closedBars.first?.start == (try utc("20261125-14:30:00")))
        #expect(feed.closedBars.first?.end == (try utc("20261125-14:31:00")))
        #expect(feed.closedBars.first?.book == book)

        // Quiet minutes make no bars: 14:31 closes when the 14:34 trade comes.
        try feed.trade("CLF7", "75.20", 4, at: utc("20261125-14:34:59"))
        #expect(feed.closedBars.map(summary) == ["1m 75.05/75.05/75.05/75.05 v1 n1"])

        try feed.trade("CLF7", "75.00", 1, at: utc("20261125-14:35:00"))
        #expect(feed.closedBars.map(summary) == ["1m 75.20/75.20/75.20/75.20 v4 n1", "5m 75.00/75.20/74.95/75.20 v11 n5"])
        #expect(feed.closedBars.last?.start == (try utc("20261125-14:30:00")))

        // The clock closes bars too, exactly at their end.
        feed.tick(try utc("20261125-14:35:59.999"))
        #expect(feed.closedBars.isEmpty)
        feed.tick(try utc("20261125-14:36:00"))
        #expect(feed.closedBars.map(summary) == ["1m 75.00/75.00/75.00/75.00 v1 n1"])
        feed.tick(try utc("20261125-14:59:59"))
        #expect(feed.closedBars.map(summary) == ["5m 75.00/75.00/75.00/75.00 v1 n1"])
        feed.tick(try utc("20261125-15:00:00"))
        #expect(feed.closedBars.map(summary) == ["1h 75.00/75.20/74.95/75.00 v12 n6"])
        #expect(feed.closedBars.first?.start == (try utc("20261125-14:00:00")))

        // The daily bar runs from 00:00 UTC and closes with the first trade of the next day.
        try feed.trade("CLF7", "76.00", 5, at: utc("20261125-23:59:59.999"))
        #expect(feed.closedBars.isEmpty)
        try feed.trade("CLF7", "76.50", 1, at: utc("20261126-00:00:00"))
        #expect(feed.closedBars.map(summary) == [
            "1m 76.00/76.00/76.00/76.00 v5 n1",
            "5m 76.00/76.00/76.00/76.00 v5 n1",
            "1h 76.00/76.00/76.00/76.00 v5 n1",
            "1d 75.00/76.00/74.95/76.00 v17 n7",
        ])
        let daily = try #require(feed.closedBars.last)
        #expect(daily.start == (try utc("20261125-00:00:00")))
        #expect(daily.startTimestamp.description.hasPrefix("20261125-00:00:00"))
        #expect(feed.normalizer.openBar(book, interval: .oneDay)?.start == (try utc("20261126-00:00:00")))
    }

    @Test func aLateTradeIsPrintedButLeavesClosedBarsAlone() throws {
        var feed = Feed()
        let book = try feed.id("CLF7")
        try feed.trade("CLF7", "75.00", 1, at: utc("20261125-14:31:10"))
        try feed.trade("CLF7", "80.00", 9, at: utc("20261125-14:30:50"))
        #expect(feed.events.count == 1, "the trade is still published")
        #expect(feed.normalizer.statistics.lateTrades == 1)
        // It is in no 1m bar (its minute had closed), but in the 5m, 1h and 1d bars still open.
        #expect(feed.normalizer.openBar(book, interval: .oneMinute)?.volume == 1)
        #expect(feed.normalizer.openBar(book, interval: .fiveMinutes)?.volume == 10)
        #expect(feed.normalizer.openBar(book, interval: .oneDay)?.high == (try dec("80.00")))
    }

    @Test func barsCoverOnlyTheConfiguredIntervalsAndTimesBeforeTheEpoch() throws {
        var feed = Feed(MarketDataConfiguration(barIntervals: [.fiveMinutes]))
        let book = try feed.id("HOF7")
        try feed.trade("HOF7", "2.5000", 1, at: -1)
        #expect(feed.normalizer.openBar(book, interval: .oneMinute) == nil)
        #expect(feed.normalizer.openBar(book, interval: .fiveMinutes)?.start == -300_000_000_000)
        try feed.trade("HOF7", "2.5001", 1, at: 0)
        #expect(feed.closedBars.count == 1)
        #expect(BarInterval.oneDay.start(containing: try utc("20261125-23:59:59")) == (try utc("20261125-00:00:00")))
    }
}
