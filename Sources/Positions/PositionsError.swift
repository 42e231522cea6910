import FIXCodec

/// Why the book refused a fill, a mark or a day roll. A refused call leaves the book as it was.
public enum PositionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A required text field of a fill (`account`, `symbol`, `root`, `execID`) is empty.
    case emptyField(execID: String, field: String)
    /// A fill's quantity is zero or negative: the side says which way it goes.
    case nonPositiveQuantity(execID: String, quantity: Int64)
    /// A contract multiplier is zero, negative or finer than ``PositionBook/maxMultiplierScale``.
    case invalidMultiplier(symbol: String, multiplier: FIXDecimal)
    /// A price, mark or settlement has more decimals than ``PositionBook/maxPriceScale``.
    case priceTooPrecise(symbol: String, price: FIXDecimal)
    /// A fill names a root or multiplier for a symbol that differs from the one the book holds.
    case instrumentMismatch(symbol: String, field: String, held: String, given: String)
    /// A notional, cost or P&L would not fit a `FIXDecimal` (about 9.2 × 10^16 dollars at cents).
    case amountOutOfRange(symbol: String, detail: String)
    /// `startDay(settlements:)` lacks a settlement price for symbols with open positions.
    case missingSettlements(symbols: [String])

    public var description: String {
        switch self {
        case let .emptyField(execID, field):
            "fill \(execID.isEmpty ? "(no exec id)" : execID): \(field) is empty"
        case let .nonPositiveQuantity(execID, quantity):
            "fill \(execID): quantity \(quantity) is not a positive number of contracts"
        case let .invalidMultiplier(symbol, multiplier):
            "\(symbol): multiplier \(multiplier) must be positive with at most \(PositionBook.maxMultiplierScale) decimals"
        case let .priceTooPrecise(symbol, price):
            "\(symbol): price \(price) has more than \(PositionBook.maxPriceScale) decimals"
        case let .instrumentMismatch(symbol, field, held, given):
            "\(symbol): \(field) \(given) differs from \(held) already held for this symbol"
        case let .amountOutOfRange(symbol, detail):
            "\(symbol): \(detail) is out of range"
        case let .missingSettlements(symbols):
            "no settlement price for open positions in \(symbols.joined(separator: ", "))"
        }
    }
}
