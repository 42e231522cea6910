/// What a subscriber should make of a book, most serious first when several apply.
public enum BookState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// In sequence, not crossed, recently updated.
    case ok
    /// Best bid at or above best offer: a locked or crossed market, published as the venue
    /// sent it. Derived prices do not use a crossed book's mid.
    case crossed
    /// No update for longer than the configured time: the prices may be old.
    case stale
    /// An update was missed or did not fit the book: it is wrong until a snapshot replaces it.
    /// Incrementals are held (not applied, not published) until then.
    case recovering

    public var description: String {
        switch self {
        case .ok: "ok"
        case .crossed: "crossed"
        case .stale: "stale"
        case .recovering: "recovering"
        }
    }
}

/// Why a book went into recovery: what it expected and what arrived instead.
public enum RecoveryReason: Sendable, Hashable, CustomStringConvertible {
    /// The book's own sequence skipped numbers (per-instrument sequencing).
    case sequenceGap(expected: UInt64, received: UInt64)
    /// The feed's sequence skipped numbers, so any book may have missed an update.
    case feedGap(expected: UInt64, received: UInt64)
    /// A change or delete named a price the book has no level at.
    case unknownLevel(side: BookSide, price: Int64, action: LevelAction)
    /// A new level named a price the book already has a level at.
    case levelExists(side: BookSide, price: Int64)
    /// A new or changed level's size was zero or negative.
    case invalidSize(side: BookSide, price: Int64, size: Int64)
    /// A trade's size was zero or negative.
    case invalidTradeSize(size: Int64)
    /// More incrementals arrived during recovery than are held; the snapshot must be newer
    /// than the last one dropped.
    case heldUpdatesDropped(through: UInt64)

    public var description: String {
        switch self {
        case let .sequenceGap(expected, received): "sequence gap: expected \(expected), received \(received)"
        case let .feedGap(expected, received): "feed sequence gap: expected \(expected), received \(received)"
        case let .unknownLevel(side, price, action): "\(action) of unknown \(side) level at \(price) ticks"
        case let .levelExists(side, price): "new \(side) level at \(price) ticks, which already exists"
        case let .invalidSize(side, price, size): "\(side) level at \(price) ticks with size \(size)"
        case let .invalidTradeSize(size): "trade with size \(size)"
        case let .heldUpdatesDropped(through): "held updates dropped through sequence \(through)"
        }
    }
}
