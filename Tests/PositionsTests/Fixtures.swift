import FIXCodec
import Instruments
import Positions
import Testing

/// Writes fills with numbered exec ids and increasing times, so tests read as trade blotters.
struct Blotter {
    var book = PositionBook()
    private var sequence = 0

    /// One contract's terms: root and dollars per unit of price per contract.
    struct Product {
        var root: String
        var multiplier: FIXDecimal
        static let cl = Product(root: "CL", multiplier: 1_000)
        static let rb = Product(root: "RB", multiplier: 42_000)
        static let ho = Product(root: "HO", multiplier: 42_000)
        /// A made-up product at $1 per unit of price, so average costs split into half cents.
        static let unit = Product(root: "XY", multiplier: 1)
    }

    func fill(_ account: String, _ side: Side, _ quantity: Int64, _ symbol: String, at price: String,
              product: Product, execID: String) -> Fill {
        Fill(account: account, symbol: symbol, root: product.root, multiplier: product.multiplier, side: side,
             quantity: quantity, price: dec(price), execID: execID,
             time: FIXTimestamp(nanosecondsSinceEpoch: 1_767_000_000_000_000_000 + Int64(sequence) * 1_000_000))
    }

    /// Applies a fill with the next exec id and returns the P&L it realised.
    @discardableResult
    mutating func trade(_ account: String, _ side: Side, _ quantity: Int64, _ symbol: String, at price: String,
                        _ product: Product = .cl) throws -> FIXDecimal {
        sequence += 1
        let outcome = try book.apply(fill(account, side, quantity, symbol, at: price, product: product,
                                          execID: "X\(sequence)"))
        return try #require(outcome.realised)
    }

    func position(_ account: String, _ symbol: String) throws -> PositionSnapshot {
        try #require(book.position(account: account, symbol: symbol))
    }
}

/// A decimal from test text, which is always valid.
func dec(_ text: String) -> FIXDecimal {
    guard let value = FIXDecimal(text) else { preconditionFailure("bad decimal literal \(text) in a test") }
    return value
}
