// Sequence numbers, gaps and recovery: what to do with an incremental before it touches a
// book, and how a book leaves recovery when its snapshot arrives.

/// What to do with an incremental, by its sequence number.
enum Admission {
    case apply
    /// At or below what the book already has: a duplicate or replay.
    case ignore
    /// The book is recovering (perhaps because of this update): keep it for after the snapshot.
    case hold
}

extension MarketDataNormalizer {
    /// Checks an arriving incremental's sequence number: the feed's first (per-feed
    /// sequencing), then its book's.
    mutating func admit(sequence: UInt64, book index: Int, into events: inout [MarketDataEvent]) -> Admission {
        if configuration.sequenceScope == .perFeed {
            if sequence < feedNext { return .ignore }
            if sequence > feedNext {
                let reason = RecoveryReason.feedGap(expected: feedNext, received: sequence)
                for other in books.indices { recover(other, reason: reason, into: &events) }
            }
            feedNext = sequence &+ 1
        }
        return admitToBook(sequence: sequence, book: index, into: &events)
    }

    /// Checks a sequence number against its book alone: live after the feed check, and when
    /// held updates are replayed after a snapshot.
    mutating func admitToBook(sequence: UInt64, book index: Int, into events: inout [MarketDataEvent]) -> Admission {
        if books[index].isRecovering { return .hold }
        let last = books[index].lastApplied
        if sequence <= last { return .ignore }
        if configuration.sequenceScope == .perInstrument, sequence != last &+ 1 {
            recover(index, reason: .sequenceGap(expected: last &+ 1, received: sequence), into: &events)
            return .hold
        }
        return .apply
    }

    /// Puts a book into recovery (if it is not already): its held updates start afresh, the
    /// caller is told to request a snapshot, and derived prices stop using it.
    mutating func recover(_ index: Int, reason: RecoveryReason, into events: inout [MarketDataEvent]) {
        guard !books[index].isRecovering else { return }
        let previous = books[index].state
        books[index].recovery = reason
        books[index].held.removeAll(keepingCapacity: true)
        books[index].droppedThrough = 0
        statistics.recoveries += 1
        let id = books[index].id
        events.append(.bookState(BookStateChange(book: id, previous: previous, state: .recovering, reason: reason)))
        events.append(.snapshotNeeded(id))
        updateDerived(ofBook: index, into: &events)
    }

    /// Keeps an incremental for replay after the snapshot. When the buffer is full it is
    /// emptied and the newest sequence dropped is remembered: only a snapshot at least that
    /// new can end the recovery.
    mutating func hold(_ update: IncrementalUpdate, book index: Int) {
        let limit = configuration.maxHeldUpdates
        if books[index].held.count >= limit {
            let dropped = books[index].held.count
            let through = books[index].held.last?.sequence ?? 0
            books[index].droppedThrough = max(books[index].droppedThrough, through)
            books[index].held.removeAll(keepingCapacity: true)
            statistics.updatesDropped += dropped
            if limit == 0 {
                books[index].droppedThrough = max(books[index].droppedThrough, update.sequence)
                statistics.updatesDropped += 1
                return
            }
        }
        books[index].held.append(update)
        statistics.updatesHeld += 1
    }

    /// Applies, in order, the updates held during recovery that are newer than the snapshot
    /// just applied. One that gaps puts the book back into recovery; the rest are held again.
    mutating func replayHeld(book index: Int, into events: inout [MarketDataEvent]) {
        guard !books[index].held.isEmpty else { return }
        let held = books[index].held
        books[index].held = []
        for update in held {
            switch admitToBook(sequence: update.sequence, book: index, into: &events) {
            case .ignore: continue
            case .hold: hold(update, book: index)
            case .apply: applyAdmitted(update, book: index, into: &events)
            }
        }
    }
}
