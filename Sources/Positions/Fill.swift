import FIXCodec
import Instruments

/// One execution as the book needs it: who, what, which way, how many, at what price.
///
/// The caller supplies the instrument's `root` and `multiplier` (from the instrument
/// reference data) rather than the book parsing the symbol: `CLF7` is root `CL` with a
/// multiplier of 1,000 dollars per dollar of price per contract.
public struct Fill: Sendable, Hashable {
    public var account: String
    /// The contract, as the venue names it: `CLF7`.
    public var symbol: String
    /// The product the symbol belongs to: `CL`, `BZ`, `RB`, `HO`.
    public var root: String
    /// Dollars per one unit of price per contract: 1,000 for CL ($/bbl), 42,000 for RB ($/gal).
    public var multiplier: FIXDecimal
    public var side: Side
    /// Contracts, always positive; `side` gives the direction.
    public var quantity: Int64
    /// Price in the contract's quoted unit; may be negative.
    public var price: FIXDecimal
    /// ExecID (17): the key that makes replaying fills from the journal idempotent. It must be
    /// unique across the venues feeding one book (prefix it with the venue if need be).
    public var execID: String
    /// TransactTime (60) of the execution.
    public var time: FIXTimestamp

    public init(account: String, symbol: String, root: String, multiplier: FIXDecimal, side: Side,
                quantity: Int64, price: FIXDecimal, execID: String, time: FIXTimestamp) {
        self.account = account
        self.symbol = symbol
        self.root = root
        self.multiplier = multiplier
        self.side = side
        self.quantity = quantity
        self.price = price
        self.execID = execID
        self.time = time
    }

    /// A fill whose root and multiplier come from the product's contract spec.
    public init(account: String, symbol: String, contract: ContractSpec, side: Side,
                quantity: Int64, price: FIXDecimal, execID: String, time: FIXTimestamp) {
        self.init(account: account, symbol: symbol, root: contract.root, multiplier: contract.multiplier,
                  side: side, quantity: quantity, price: price, execID: execID, time: time)
    }
}

/// What applying a fill did.
public enum FillOutcome: Sendable, Hashable {
    /// The fill changed the position; `realised` is the P&L this fill closed (zero when it
    /// only opened or added), `position` the position afterwards.
    case applied(realised: FIXDecimal, position: PositionSnapshot)
    /// The exec id had been applied before; the book is unchanged.
    case duplicate

    /// The P&L the fill realised, or `nil` for a duplicate.
    public var realised: FIXDecimal? {
        if case let .applied(realised, _) = self { realised } else { nil }
    }

    public var isDuplicate: Bool { self == .duplicate }
}
