/// Which side of a book a level is on, coded as FIX MDEntryType (269) spells it: `0` bid, `1` offer.
public enum BookSide: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case bid = 0x30
    case ask = 0x31

    public var opposite: BookSide { self == .bid ? .ask : .bid }

    public var description: String { self == .bid ? "bid" : "ask" }
}

/// What happens to a price level, coded as FIX MDUpdateAction (279) spells it: `0` new,
/// `1` change, `2` delete.
public enum LevelAction: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A price that had no level now has one.
    case new = 0x30
    /// An existing level's size or order count changed.
    case change = 0x31
    /// A level is gone.
    case delete = 0x32

    public var description: String {
        switch self {
        case .new: "new"
        case .change: "change"
        case .delete: "delete"
        }
    }
}
