import FIXCodec
import Instruments

// The apply path: snapshots, level updates, trades and the clock.

extension MarketDataNormalizer {
    /// Applies one level update in sequence, appending what changed.
    public mutating func apply(_ update: LevelUpdate, into events: inout [MarketDataEvent]) {
        apply(.level(update), into: &events)
    }

    /// Applies one trade in sequence: the trade, the bars it closes, and derived prices when
    /// they follow the last trade.
    public mutating func apply(_ trade: TradeUpdate, into events: inout [MarketDataEvent]) {
        apply(.trade(trade), into: &events)
    }

    /// Applies either kind of incremental in sequence: applied when it is the next one, ignored
    /// when it is old, held when its book is recovering (or goes into recovery because of it).
    public mutating func apply(_ update: IncrementalUpdate, into events: inout [MarketDataEvent]) {
        let index = update.book.index
        switch admit(sequence: update.sequence, book: index, into: &events) {
        case .apply: applyAdmitted(update, book: index, into: &events)
        case .ignore: statistics.duplicatesIgnored += 1
        case .hold: hold(update, book: index)
        }
    }

    /// Replaces a book with a venue snapshot, ends its recovery, and replays the held
    /// incrementals newer than it. Emits ``MarketDataEvent/bookRefreshed(_:)`` (publish a full
    /// refresh), the top of book and any state change.
    ///
    /// A snapshot older than the book (not recovering, sequence below the last applied) is
    /// ignored; one older than an update dropped during recovery leaves the book recovering and
    /// asks for another. Snapshots do not move the feed sequence: they come on their own channel.
    public mutating func apply(_ snapshot: BookSnapshot, into events: inout [MarketDataEvent]) throws(MarketDataError) {
        let index = snapshot.book.index
        try validate(snapshot.bids, side: .bid, book: snapshot.book)
        try validate(snapshot.asks, side: .ask, book: snapshot.book)
        if !books[index].isRecovering, snapshot.sequence < books[index].lastApplied {
            statistics.staleSnapshotsIgnored += 1
            return
        }
        if books[index].isRecovering, snapshot.sequence < books[index].droppedThrough {
            statistics.staleSnapshotsIgnored += 1
            events.append(.snapshotNeeded(snapshot.book))
            return
        }
        let previous = books[index].state
        let limit = configuration.maxLevels
        books[index].bids.reset(to: snapshot.bids, limit: limit)
        books[index].asks.reset(to: snapshot.asks, limit: limit)
        books[index].lastApplied = snapshot.sequence
        books[index].recovery = nil
        books[index].stale = false
        books[index].crossed = books[index].isCrossed
        books[index].lastUpdateTime = snapshot.time
        statistics.snapshotsApplied += 1
        events.append(.bookRefreshed(snapshot.book))
        events.append(.topOfBook(books[index].topOfBook))
        emitStateChange(book: index, from: previous, into: &events)
        updateDerived(ofBook: index, into: &events)
        replayHeld(book: index, into: &events)
    }

    /// Closes the bars whose end `now` has reached and flags books with no update for the
    /// configured time as stale. Call it on a timer; `now` is on the same clock as update times.
    public mutating func tick(now: Int64, into events: inout [MarketDataEvent]) {
        let staleAfter = configuration.staleAfterNanoseconds
        for index in books.indices {
            for slot in intervals.indices where bars[index * intervals.count + slot].isOpen {
                if now >= bars[index * intervals.count + slot].end { closeBar(book: index, slot: slot, into: &events) }
            }
            guard !books[index].stale, !books[index].isRecovering, let last = books[index].lastUpdateTime,
                  now - last >= staleAfter
            else { continue }
            let previous = books[index].state
            books[index].stale = true
            emitStateChange(book: index, from: previous, into: &events)
        }
    }

    // MARK: Applying admitted updates

    mutating func applyAdmitted(_ update: IncrementalUpdate, book index: Int, into events: inout [MarketDataEvent]) {
        switch update {
        case .level(let level): applyLevel(level, book: index, into: &events)
        case .trade(let trade): applyTrade(trade, book: index, into: &events)
        }
    }

    mutating func applyLevel(_ update: LevelUpdate, book index: Int, into events: inout [MarketDataEvent]) {
        let outcome = books[index].apply(update, depth: configuration.depth, maxLevels: configuration.maxLevels, into: &events)
        switch outcome {
        case let .mismatch(reason, retry):
            recover(index, reason: reason, into: &events)
            if retry { hold(.level(update), book: index) }
            return
        case .ignored:
            statistics.beyondDepthIgnored += 1
            markApplied(update.sequence, time: update.time, book: index, into: &events)
        case let .applied(touchedTop, bestPriceChanged):
            statistics.levelUpdatesApplied += 1
            let previous = books[index].state
            books[index].lastApplied = update.sequence
            books[index].lastUpdateTime = update.time
            books[index].stale = false
            if touchedTop { events.append(.topOfBook(books[index].topOfBook)) }
            if bestPriceChanged { books[index].crossed = books[index].isCrossed }
            let stateChanged = emitStateChange(book: index, from: previous, into: &events)
            if (bestPriceChanged && configuration.legPrice != .last) || stateChanged {
                updateDerived(ofBook: index, into: &events)
            }
        }
    }

    mutating func applyTrade(_ trade: TradeUpdate, book index: Int, into events: inout [MarketDataEvent]) {
        guard trade.size > 0 else {
            recover(index, reason: .invalidTradeSize(size: trade.size), into: &events)
            return
        }
        statistics.tradesApplied += 1
        books[index].lastTrade = trade
        events.append(.trade(books[index].event(for: trade)))
        var late = false
        for slot in intervals.indices where !addToBar(trade, book: index, slot: slot, into: &events) { late = true }
        if late { statistics.lateTrades += 1 }
        let stateChanged = markApplied(trade.sequence, time: trade.time, book: index, into: &events)
        if configuration.legPrice != .mid, !stateChanged { updateDerived(ofBook: index, into: &events) }
    }

    /// Records an update as applied: the book's sequence and time move on and it is no longer stale.
    @discardableResult
    mutating func markApplied(_ sequence: UInt64, time: Int64, book index: Int, into events: inout [MarketDataEvent]) -> Bool {
        let previous = books[index].state
        books[index].lastApplied = sequence
        books[index].lastUpdateTime = time
        books[index].stale = false
        guard emitStateChange(book: index, from: previous, into: &events) else { return false }
        updateDerived(ofBook: index, into: &events)
        return true
    }

    /// Emits a state change when the book's state is not `previous` any more.
    @discardableResult
    mutating func emitStateChange(book index: Int, from previous: BookState, into events: inout [MarketDataEvent]) -> Bool {
        let state = books[index].state
        guard state != previous else { return false }
        events.append(.bookState(BookStateChange(book: books[index].id, previous: previous, state: state,
                                                 reason: books[index].recovery)))
        return true
    }

    private func validate(_ levels: [SnapshotLevel], side: BookSide, book: BookID) throws(MarketDataError) {
        var prices = Set<Int64>()
        prices.reserveCapacity(levels.count)
        for level in levels {
            guard level.size > 0 else {
                throw .invalidSnapshotSize(symbol: symbol(book), side: side, price: level.price, size: level.size)
            }
            guard prices.insert(level.price).inserted else {
                throw .duplicateSnapshotLevel(symbol: symbol(book), side: side, price: level.price)
            }
        }
    }

    // MARK: Bars

    /// Puts a trade in the open bar of one interval, closing it first when the trade is past
    /// its end; false for a trade timed before the open bar (its bar has closed).
    private mutating func addToBar(_ trade: TradeUpdate, book index: Int, slot: Int,
                                   into events: inout [MarketDataEvent]) -> Bool {
        let position = index * intervals.count + slot
        if bars[position].isOpen {
            if trade.time < bars[position].start { return false }
            if trade.time < bars[position].end {
                bars[position].add(price: trade.price, size: trade.size)
                return true
            }
            closeBar(book: index, slot: slot, into: &events)
        }
        let interval = intervals[slot]
        bars[position].begin(start: interval.start(containing: trade.time), length: interval.nanoseconds, price: trade.price,
                             size: trade.size)
        return true
    }

    private mutating func closeBar(book index: Int, slot: Int, into events: inout [MarketDataEvent]) {
        let position = index * intervals.count + slot
        events.append(.barClosed(bar(bars[position], book: index, slot: slot)))
        bars[position] = OpenBar()
    }

    func bar(_ open: OpenBar, book index: Int, slot: Int) -> Bar {
        let grid = books[index].grid
        return Bar(book: books[index].id, interval: intervals[slot], start: open.start, open: grid.price(ticks: open.open),
                   high: grid.price(ticks: open.high), low: grid.price(ticks: open.low), close: grid.price(ticks: open.close),
                   volume: open.volume, tradeCount: open.tradeCount)
    }
}
