import FIXCodec
import MarketData
import Testing
import TestSupport

/// FIX 4.4 market data (W, X) read into the normalizer, as a FIX venue sends it.
@Suite struct FIXMarketDataReaderTests {
    static func message(_ msgType: String, _ fields: String) throws -> FIXMessage {
        try FIXMessage(parsing: FIXText.message("35=\(msgType)|49=SIMVENUE|56=GATEWAY|34=5|52=20261125-14:30:00.000|" + fields))
    }

    @Test func aSnapshotThenIncrementalsBuildTheBook() throws {
        var feed = Feed()
        var reader = FIXMarketDataReader()
        let book = try feed.id("CLF7")
        let snapshot = try reader.snapshot(Self.message("W", "262=MD1|55=CLF7|268=4|"
            + "269=0|270=70.00|271=5|346=2|290=1|269=0|270=69.99|271=7|346=1|290=2|"
            + "269=1|270=70.02|271=4|346=1|290=1|269=2|270=70.01|"), in: feed.normalizer, time: feed.time)
        #expect(snapshot.bids.map(\.size) == [5, 7] && snapshot.asks.count == 1, "the trade entry is not a level")
        try feed.normalizer.apply(snapshot, into: &feed.events)
        let updates = try reader.incrementals(Self.message("X", "262=MD1|268=4|"
            + "279=2|269=0|55=CLF7|270=70.00|"
            + "279=1|269=0|55=CLF7|270=69.99|271=9|346=2|"
            + "279=0|269=1|55=CLF7|270=70.01|271=3|346=1|"
            + "279=0|269=2|55=CLF7|270=70.00|271=5|"), in: feed.normalizer, time: feed.time)
        #expect(updates.map(\.sequence) == [2, 3, 4, 5], "numbered on from the snapshot")
        for update in updates { feed.normalizer.apply(update, into: &feed.events) }
        let view = feed.normalizer.snapshot(of: book)
        #expect(view.bids.map(\.price) == [try dec("69.99")] && view.bids.first?.size == 9)
        #expect(view.asks.map(\.price) == [try dec("70.01"), try dec("70.02")])
        #expect(view.lastTrade?.price == (try dec("70.00")) && view.lastTrade?.size == 5)
        #expect(!feed.normalizer.needsSnapshot(book))
    }

    /// An incremental refresh mixing a derived instrument's index value (MDEntryType 3, a symbol
    /// with no book) with book levels: the value is skipped, the levels read; a venue's own
    /// symbol for a book is read through the aliases it was given.
    @Test func indexValuesAreSkippedAndAliasedSymbolsRead() throws {
        let feed = Feed()
        var reader = FIXMarketDataReader(aliases: ["WTIF7": "CLF7"])
        let book = try feed.id("CLF7")
        let updates = try reader.incrementals(Self.message("X", "262=MD1|268=2|"
            + "279=1|269=3|55=BZF7-CLF7|270=4.02|"
            + "279=0|269=0|55=WTIF7|270=70.00|271=5|"), in: feed.normalizer, time: feed.time)
        #expect(updates.count == 1 && updates.first?.book == book)
        #expect(throws: FIXMarketDataError.unknownSymbol("XXF7")) {
            _ = try reader.incrementals(Self.message("X", "262=MD1|268=1|279=0|269=0|55=XXF7|270=1|271=1|"), in: feed.normalizer, time: feed.time)
        }
    }

    @Test func afterTheSessionRestartsEachBookRecoversFromAFreshSnapshot() throws {
        var feed = Feed()
        var reader = FIXMarketDataReader()
        let book = try feed.id("CLF7")
        let snapshotText = "262=MD1|55=CLF7|268=2|269=0|270=70.00|271=5|269=1|270=70.02|271=4|"
        try feed.normalizer.apply(reader.snapshot(Self.message("W", snapshotText), in: feed.normalizer, time: feed.time),
                                  into: &feed.events)
        reader.sessionRestarted()
        let missed = try reader.incrementals(Self.message("X", "262=MD1|268=1|279=1|269=0|55=CLF7|270=70.00|271=6|"),
                                             in: feed.normalizer, time: feed.time)
        feed.events.removeAll()
        for update in missed { feed.normalizer.apply(update, into: &feed.events) }
        #expect(feed.normalizer.needsSnapshot(book))
        #expect(feed.events.contains(.snapshotNeeded(book)))
        try feed.normalizer.apply(reader.snapshot(Self.message("W", snapshotText), in: feed.normalizer, time: feed.time),
                                  into: &feed.events)
        #expect(!feed.normalizer.needsSnapshot(book))
    }

    @Test func whatCannotBeReadIsSaidAndChangesNothing() throws {
        let feed = Feed()
        var reader = FIXMarketDataReader()
        #expect(throws: FIXMarketDataError.unknownSymbol("CLZ9")) {
            try reader.snapshot(Self.message("W", "262=M|55=CLZ9|268=0|"), in: feed.normalizer, time: 0)
        }
        #expect(throws: FIXMarketDataError.self) {
            try reader.incrementals(Self.message("X", "262=M|268=1|279=0|269=0|55=CLF7|270=70.005|271=1|"), in: feed.normalizer, time: 0)
        }
        #expect(throws: FIXMarketDataError.malformed("NoMDEntries (268) is 2 but 1 entries follow")) {
            try reader.incrementals(Self.message("X", "262=M|268=2|279=0|269=0|55=CLF7|270=70.00|271=1|"), in: feed.normalizer, time: 0)
        }
        #expect(throws: FIXMarketDataError.self) {
            try reader.incrementals(Self.message("X", "262=M|268=1|279=7|269=0|55=CLF7|270=70.00|271=1|"), in: feed.normalizer, time: 0)
        }
    }
}
