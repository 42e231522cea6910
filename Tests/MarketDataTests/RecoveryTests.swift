import FIXCodec
import Instruments
import MarketData
import Testing

/// Sequence gaps, updates that do not fit the book, recovery by snapshot and refused input.
@Suite struct RecoveryTests {
    @Test func aGapHoldsIncrementalsUntilTheSnapshotThenReplaysTheNewerOnes() throws {
        var feed = Feed()
        let book = try feed.id("CLF7")
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
        try feed.level("CLF7", .change, .bid, "75.00", 6, sequence: 2)
        #expect(feed.levelEvents == ["bid change #1 75.00x6"])

        try feed.level("CLF7", .new, .bid, "74.99", 1, sequence: 4)
        #expect(feed.states == [.recovering])
        #expect(feed.snapshotRequests == [book])
        #expect(feed.levelEvents.isEmpty)
        let view = feed.normalizer.snapshot(of: book)
        #expect(view.recoveryReason == .sequenceGap(expected: 3, received: 4))
        #expect(feed.normalizer.needsSnapshot(book))
        #expect(feed.normalizer.booksNeedingSnapshot == [book])

        try feed.level("CLF7", .change, .bid, "74.99", 2, sequence: 5)
        try feed.level("CLF7", .new, .ask, "75.04", 3, sequence: 6, clear: false)
        try feed.trade("CLF7", "75.04", 2, at: feed.time, sequence: 7)
        #expect(feed.events.isEmpty, "held, not applied or published")

        try feed.snapshot("CLF7", sequence: 5, bids: [("75.00", 6), ("74.99", 2)], asks: [("75.05", 5)])
        #expect(feed.events.first == .bookRefreshed(book))
        #expect(feed.states == [.ok])
        #expect(feed.levelEvents == ["ask new #1 75.04x3"])
        #expect(feed.events.contains { if case .trade(let trade) = $0 { trade.sequence == 7 && trade.size == 2 } else { false } })
        #expect(try feed.book("CLF7").bids == ["75.00x6", "74.99x2"])
        #expect(try feed.book("CLF7").asks == ["75.04x3", "75.05x5"])
        #expect(feed.normalizer.snapshot(of: book).sequence == 7)
        #expect(!feed.normalizer.needsSnapshot(book))

        // In sequence again; a replayed old update is ignored.
        try feed.level("CLF7", .delete, .ask, "75.04", sequence: 6)
        #expect(feed.events.isEmpty)
        #expect(feed.normalizer.statistics.duplicatesIgnored == 1)
        try feed.level("CLF7", .delete, .ask, "75.04", sequence: 8)
        #expect(feed.levelEvents == ["ask delete #1 75.04x0"])
    }

    @Test func aGapAmongTheHeldUpdatesAsksForAnotherSnapshot() throws {
        var feed = Feed()
        let book = try feed.id("CLF7")
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
        try feed.level("CLF7", .change, .bid, "75.00", 1, sequence: 3)
        try feed.level("CLF7", .change, .bid, "75.00", 2, sequence: 5)
        try feed.level("CLF7", .change, .bid, "75.00", 3, sequence: 7)
        try feed.snapshot("CLF7", sequence: 4, bids: [("75.00", 9)], asks: [("75.05", 5)])
        #expect(feed.levelEvents == ["bid change #1 75.00x2"])
        #expect(feed.states == [.ok, .recovering])
        #expect(feed.snapshotRequests == [book])
        #expect(feed.normalizer.snapshot(of: book).recoveryReason == .sequenceGap(expected: 6, received: 7))
        // The update after the gap is held again and replayed after the next snapshot.
        try feed.snapshot("CLF7", sequence: 6, bids: [("75.00", 4)], asks: [("75.05", 5)])
        #expect(feed.levelEvents == ["bid change #1 75.00x3"])
        #expect(feed.normalizer.state(book) == .ok)
    }

    @Test func aFeedJoinedMidStreamAsksForASnapshotAtOnce() throws {
        var feed = Feed()
        let book = try feed.id("CLF7")
        try feed.level("CLF7", .new, .bid, "75.00", 1, sequence: 5000)
        #expect(feed.snapshotRequests == [book])
        try feed.snapshot("CLF7", sequence: 4999, bids: [], asks: [("75.05", 5)])
        #expect(try feed.book("CLF7").bids == ["75.00x1"])
        #expect(feed.normalizer.state(book) == .ok)
    }

    @Test func changesAndDeletesOfUnknownLevelsAndDuplicateNewLevelsRecover() throws {
        for (action, price) in [(LevelAction.change, "74.90"), (.delete, "74.90"), (.new, "75.00")] {
            var feed = Feed()
            let book = try feed.id("CLF7")
            try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
            try feed.level("CLF7", action, .bid, price, 3, sequence: 2)
            #expect(feed.states == [.recovering], "\(action) \(price)")
            #expect(feed.snapshotRequests == [book])
            let expected: RecoveryReason = action == .new
                ? .levelExists(side: .bid, price: 7500)
                : .unknownLevel(side: .bid, price: 7490, action: action)
            #expect(feed.normalizer.snapshot(of: book).recoveryReason == expected)
            #expect(try feed.book("CLF7").bids == ["75.00x5"], "the book is unchanged")
        }
    }

    @Test func anUpdateThatDidNotFitIsReplayedAfterTheSnapshot() throws {
        // The change arrived for a level whose new was lost; the snapshot has the level.
        var feed = Feed()
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
        try feed.level("CLF7", .change, .bid, "74.99", 4, sequence: 2)
        #expect(feed.states == [.recovering])
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5), ("74.99", 1)], asks: [("75.05", 5)])
        #expect(feed.levelEvents == ["bid change #2 74.99x4"])
        #expect(feed.normalizer.state(try feed.id("CLF7")) == .ok)
    }

    @Test func malformedSizesRecoverWithoutBeingHeld() throws {
        var feed = Feed()
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
        try feed.level("CLF7", .new, .bid, "74.99", 0, sequence: 2)
        #expect(feed.normalizer.snapshot(of: try feed.id("CLF7")).recoveryReason
                == .invalidSize(side: .bid, price: 7499, size: 0))
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
        #expect(feed.levelEvents.isEmpty, "the malformed update is not replayed")

        try feed.trade("CLF7", "75.00", -1, at: feed.time, sequence: 2)
        #expect(feed.states == [.recovering])
        #expect(feed.normalizer.snapshot(of: try feed.id("CLF7")).recoveryReason == .invalidTradeSize(size: -1))
    }

    @Test func whenTheHeldUpdatesOverflowOnlyANewerSnapshotEndsTheRecovery() throws {
        var feed = Feed(MarketDataConfiguration(maxHeldUpdates: 2))
        let book = try feed.id("CLF7")
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
        for (sequence, size) in [(3, 1), (4, 2), (5, 3)] as [(UInt64, Int64)] {
            try feed.level("CLF7", .change, .bid, "75.00", size, sequence: sequence)
        }
        #expect(feed.normalizer.statistics.updatesDropped == 2)

        try feed.snapshot("CLF7", sequence: 3, bids: [("75.00", 1)], asks: [("75.05", 5)])
        #expect(feed.snapshotRequests == [book])
        #expect(feed.normalizer.needsSnapshot(book))
        #expect(feed.normalizer.statistics.staleSnapshotsIgnored == 1)

        try feed.snapshot("CLF7", sequence: 4, bids: [("75.00", 2)], asks: [("75.05", 5)])
        #expect(feed.levelEvents == ["bid change #1 75.00x3"])
        #expect(feed.normalizer.state(book) == .ok)
    }

    @Test func aSnapshotOlderThanTheBookIsIgnored() throws {
        var feed = Feed()
        try feed.snapshot("CLF7", sequence: 10, bids: [("75.00", 5)], asks: [("75.05", 5)])
        try feed.snapshot("CLF7", sequence: 9, bids: [("70.00", 5)], asks: [])
        #expect(feed.events.isEmpty)
        #expect(try feed.book("CLF7").bids == ["75.00x5"])
    }

    @Test func aFeedGapPutsEveryBookIntoRecovery() throws {
        var feed = Feed(MarketDataConfiguration(sequenceScope: .perFeed))
        let front = try feed.id("CLF7")
        let second = try feed.id("CLG7")
        try feed.snapshot("CLF7", sequence: 0, bids: [("75.00", 5)], asks: [("75.05", 5)])
        try feed.snapshot("CLG7", sequence: 0, bids: [("74.80", 5)], asks: [("74.85", 5)])
        try feed.level("CLF7", .change, .bid, "75.00", 6, sequence: 1)
        try feed.level("CLG7", .change, .bid, "74.80", 6, sequence: 2)
        try feed.level("CLF7", .change, .bid, "75.00", 7, sequence: 3)
        #expect(feed.levelEvents == ["bid change #1 75.00x7"])

        try feed.level("CLG7", .change, .bid, "74.80", 8, sequence: 5)
        #expect(Set(feed.snapshotRequests) == Set(feed.normalizer.bookIDs))
        #expect(feed.normalizer.snapshot(of: front).recoveryReason == .feedGap(expected: 4, received: 5))
        #expect(feed.normalizer.booksNeedingSnapshot.count == catalog.instruments.count)

        try feed.level("CLF7", .change, .bid, "75.00", 9, sequence: 6)
        // Each book recovers from its own snapshot, taken at a feed sequence number.
        try feed.snapshot("CLG7", sequence: 5, bids: [("74.80", 8)], asks: [("74.85", 5)])
        #expect(feed.levelEvents.isEmpty)
        #expect(feed.normalizer.state(second) == .ok)
        #expect(feed.normalizer.state(front) == .recovering)
        try feed.snapshot("CLF7", sequence: 4, bids: [("75.00", 7)], asks: [("75.05", 5)])
        #expect(feed.levelEvents == ["bid change #1 75.00x9"])
        #expect(feed.normalizer.state(front) == .ok)

        // Live again: anything at or below the feed's sequence is a duplicate.
        try feed.level("CLG7", .change, .bid, "74.80", 1, sequence: 6)
        #expect(feed.events.isEmpty)
        try feed.level("CLG7", .change, .bid, "74.80", 1, sequence: 7)
        #expect(feed.levelEvents == ["bid change #1 74.80x1"])
    }

    @Test func refusedInputLeavesTheBookAsItWas() throws {
        var feed = Feed()
        let book = try feed.id("CLF7")
        try feed.snapshot("CLF7", sequence: 1, bids: [("75.00", 5)], asks: [("75.05", 5)])
        #expect(throws: MarketDataError.duplicateSnapshotLevel(symbol: "CLF7", side: .bid, price: 7490)) {
            try feed.snapshot("CLF7", sequence: 2, bids: [("74.90", 1), ("74.90", 2)], asks: [])
        }
        #expect(throws: MarketDataError.invalidSnapshotSize(symbol: "CLF7", side: .ask, price: 7510, size: 0)) {
            try feed.snapshot("CLF7", sequence: 2, bids: [], asks: [("75.10", 0)])
        }
        #expect(try feed.book("CLF7").bids == ["75.00x5"])
        #expect(feed.normalizer.snapshot(of: book).sequence == 1)

        let error = #expect(throws: MarketDataError.self) {
            try feed.normalizer.ticks(for: dec("75.005"), book: book)
        }
        #expect(error?.description == "CLF7: price 75.005 is not a multiple of the tick size 0.01")
        #expect(try feed.normalizer.ticks(for: dec("2.1234"), book: feed.id("RBF7")) == 21_234)
    }
}
