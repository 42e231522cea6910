import FIXCodec

/// Buy or sell, as FIX Side (54) spells it: "1" buy, "2" sell.
public enum Side: UInt8, Sendable, Hashable, CaseIterable, Codable {
    case buy = 1
    case sell = 2

    public var opposite: Side { self == .buy ? .sell : .buy }
    /// +1 for a buy, −1 for a sell: the sign a fill gives a position.
    public var sign: Int64 { self == .buy ? 1 : -1 }
}

/// A futures product: what one contract is and how its price moves.
public struct ContractSpec: Sendable, Hashable {
    /// The product code, `CL`, `BZ`, `RB`, `HO`.
    public var root: String
    public var name: String
    /// The exchange's MIC-style name as FIX SecurityExchange (207) carries it, `NYMEX`.
    public var exchange: String
    /// Units of the underlying per contract: 1,000 bbl, or 42,000 gal.
    public var contractSize: FIXDecimal
    /// `$/bbl` or `$/gal`.
    public var priceUnit: String
    public var currency: String
    /// The smallest price step: 0.01 $/bbl, 0.0001 $/gal.
    public var tickSize: FIXDecimal
    /// Dollars per tick per contract ($10.00, $4.20): `tickSize × contractSize`.
    public var tickValue: FIXDecimal
    /// Dollars per one unit of price per contract (1,000 for CL, 42,000 for RB): what price ×
    /// quantity is multiplied by to give a notional in dollars.
    public var multiplier: FIXDecimal { contractSize }

    public init(root: String, name: String, exchange: String, contractSize: FIXDecimal, priceUnit: String,
                currency: String = "USD", tickSize: FIXDecimal, tickValue: FIXDecimal) {
        self.root = root
        self.name = name
        self.exchange = exchange
        self.contractSize = contractSize
        self.priceUnit = priceUnit
        self.currency = currency
        self.tickSize = tickSize
        self.tickValue = tickValue
    }
}

/// One leg of a spread or crack: which contract, how many per spread, and which way.
public struct InstrumentLeg: Sendable, Hashable {
    /// The outright's symbol, `CLF7`.
    public var symbol: String
    public var root: String
    public var month: ContractMonth
    /// Signed contracts of this leg per spread bought: +1 buys one, −3 sells three.
    public var ratio: Int64
    /// What this leg's price is multiplied by to be in the spread's price unit (42 for a
    /// $/gal product in a $/bbl crack; 1 otherwise).
    public var priceFactor: FIXDecimal

    public init(symbol: String, root: String, month: ContractMonth, ratio: Int64, priceFactor: FIXDecimal = 1) {
        self.symbol = symbol
        self.root = root
        self.month = month
        self.ratio = ratio
        self.priceFactor = priceFactor
    }

    /// Contracts of this leg per spread, unsigned.
    public var quantity: Int64 { Int64(clamping: ratio.magnitude) }

    /// The side this leg trades when the spread trades on `spreadSide`.
    public func side(forSpread spreadSide: Side) -> Side {
        ratio >= 0 ? spreadSide : spreadSide.opposite
    }
}

/// Something the desk can trade, named on the wire by its Symbol (55).
///
/// Outright futures (`CLZ6`) have no legs; spreads and cracks carry their legs with ratios and
/// a formula from leg prices to the spread price. Every instrument has a tick grid: prices on
/// the order path are converted to integer ticks with `ticks(for:)` and back with `price(ticks:)`.
public struct Instrument: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// An outright futures month: `CLZ6`.
        case future
        /// Near minus far on one root: `CLZ6-CLF7`.
        case calendarSpread
        /// One root's front month minus another's: `BZF7-CLF7` (Brent−WTI).
        case interCommoditySpread
        /// Products against crude in $/bbl: `CRK321F7`.
        case crack
    }

    /// Symbol (55).
    public var symbol: String
    public var kind: Kind
    /// A readable name: `WTI Light Sweet Crude Oil Jan 2027`.
    public var name: String
    /// The product: the contract root for futures and calendar spreads (`CL`), `BZ-CL` for an
    /// inter-commodity spread, the symbol prefix for a crack (`CRK321`).
    public var root: String
    /// The contract month (a spread's near or long leg's month, a crack's common month).
    public var month: ContractMonth
    /// The last day this trades: an outright's by its root's rule, a spread's the earliest of its legs'.
    public var lastTradeDate: CalendarDate
    /// SecurityExchange (207): `NYMEX`.
    public var exchange: String
    public var currency: String
    /// `$/bbl`, `$/gal`.
    public var priceUnit: String
    /// The price grid orders must lie on.
    public var tickSize: FIXDecimal
    /// Dollars per one unit of price per instrument: 1,000 for CL and CL spreads, 42,000 for RB,
    /// 3,000 for a 3-2-1 crack (three 1,000 bbl crude contracts' worth of margin).
    public var multiplier: FIXDecimal
    /// Empty for an outright.
    public var legs: [InstrumentLeg]
    /// Leg prices to this instrument's price (for an outright: its own price).
    public var formula: SpreadFormula
    public var allowsNegativePrices: Bool
    /// The contract spec of an outright; `nil` for spreads and cracks.
    public var spec: ContractSpec?

    public init(symbol: String, kind: Kind, name: String, root: String, month: ContractMonth, lastTradeDate: CalendarDate,
                exchange: String, currency: String, priceUnit: String, tickSize: FIXDecimal, multiplier: FIXDecimal,
                legs: [InstrumentLeg] = [], formula: SpreadFormula = SpreadFormula(coefficients: [1]),
                allowsNegativePrices: Bool = true, spec: ContractSpec? = nil) {
        self.symbol = symbol
        self.kind = kind
        self.name = name
        self.root = root
        self.month = month
        self.lastTradeDate = lastTradeDate
        self.exchange = exchange
        self.currency = currency
        self.priceUnit = priceUnit
        self.tickSize = tickSize
        self.multiplier = multiplier
        self.legs = legs
        self.formula = formula
        self.allowsNegativePrices = allowsNegativePrices
        self.spec = spec
    }

    public var description: String { symbol }

    public var isSpread: Bool { !legs.isEmpty }

    /// Dollars one tick is worth per instrument: `tickSize × multiplier` ($10.00 for CL, $4.20 for RB).
    public var tickValue: FIXDecimal { tickSize * multiplier }

    public var tickGrid: TickGrid { TickGrid(tickSize: tickSize) }

    /// The price as a whole number of ticks, or `nil` when it is not on the tick grid (or the
    /// count does not fit in 64 bits). Negative prices give negative ticks.
    public func ticks(for price: FIXDecimal) -> Int64? { tickGrid.ticks(for: price) }

    /// The price `ticks` ticks from zero, at the tick size's scale (`7525` → `75.25` for CL).
    public func price(ticks: Int64) -> FIXDecimal { tickGrid.price(ticks: ticks) }

    /// Checks an order price and returns it in ticks: it must be on the tick grid, and not
    /// negative unless this instrument allows negative prices.
    public func validate(price: FIXDecimal) throws(InstrumentPriceError) -> Int64 {
        if price.isNegative, !allowsNegativePrices {
            throw InstrumentPriceError(symbol: symbol, price: price, reason: .negative)
        }
        guard let ticks = ticks(for: price) else {
            throw InstrumentPriceError(symbol: symbol, price: price, reason: .offTick(tickSize: tickSize))
        }
        return ticks
    }

    /// The spread price from its legs' prices in `legs` order, rounded to `scale` places; an
    /// outright takes its own price. `nil` when the number of prices is wrong.
    public func spreadPrice(legPrices: [FIXDecimal], scale: UInt8 = 4) -> FIXDecimal? {
        formula.value(legPrices, scale: scale)
    }

    /// The spread price from leg prices keyed by leg symbol; `nil` when one is missing.
    public func spreadPrice(legPrices: [String: FIXDecimal], scale: UInt8 = 4) -> FIXDecimal? {
        var prices: [FIXDecimal] = []
        prices.reserveCapacity(legs.count)
        for leg in legs {
            guard let price = legPrices[leg.symbol] else { return nil }
            prices.append(price)
        }
        return formula.value(prices, scale: scale)
    }
}
