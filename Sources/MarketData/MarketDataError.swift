import FIXCodec

/// Why the normalizer refused an input. A refused input leaves every book as it was.
public enum MarketDataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A price is not a whole number of the instrument's ticks (or does not fit 64 bits of ticks).
    case offTick(symbol: String, price: FIXDecimal, tickSize: FIXDecimal)
    /// A snapshot lists the same price twice on one side.
    case duplicateSnapshotLevel(symbol: String, side: BookSide, price: Int64)
    /// A snapshot level's size is zero or negative.
    case invalidSnapshotSize(symbol: String, side: BookSide, price: Int64, size: Int64)

    public var description: String {
        switch self {
        case let .offTick(symbol, price, tickSize):
            "\(symbol): price \(price) is not a multiple of the tick size \(tickSize)"
        case let .duplicateSnapshotLevel(symbol, side, price):
            "\(symbol): snapshot has two \(side) levels at \(price) ticks"
        case let .invalidSnapshotSize(symbol, side, price, size):
            "\(symbol): snapshot \(side) level at \(price) ticks has size \(size); sizes must be positive"
        }
    }
}
