/// An integer handle for something the normalizer keeps, tagged with what it names so a book
/// id cannot be passed where a derived id is expected.
///
/// Symbols (`CLZ6`) are resolved to ids once, with ``MarketDataNormalizer/bookID(symbol:)`` and
/// ``MarketDataNormalizer/derivedID(symbol:)``; every update after that finds its book by array
/// index, with no string hashing on the apply path. An id is only meaningful to the normalizer
/// that issued it.
public struct MarketDataID<Tag>: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    init(_ index: Int) { rawValue = Int32(index) }

    var index: Int { Int(rawValue) }

    public static func < (lhs: MarketDataID, rhs: MarketDataID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "#\(rawValue)" }
}

/// Tags a ``MarketDataID`` as naming a book.
public enum BookTag {}
/// Tags a ``MarketDataID`` as naming a derived instrument.
public enum DerivedTag {}

/// A book the normalizer keeps: one per instrument of the catalog it was built from (outright
/// months, and the spreads and cracks a venue quotes as instruments of their own).
public typealias BookID = MarketDataID<BookTag>

/// A spread or crack priced live from its legs' books rather than quoted by a venue (see
/// ``DerivedInstrument``).
public typealias DerivedID = MarketDataID<DerivedTag>
