import FIXCodec

/// Where a symbol's mark came from, so a console can show how fresh a valuation is.
public enum MarkSource: Sendable, Hashable {
    /// Set by `mark(symbol:price:)` from the venue's market data.
    case venue
    /// The previous settlement, set by `startDay(settlements:)`.
    case settlement
    /// The last fill price in the symbol: the fallback until the venue sends a mark.
    case lastFill
}

/// The price a symbol's open positions are valued at.
public struct PositionMark: Sendable, Hashable {
    public var price: FIXDecimal
    public var source: MarkSource

    public init(price: FIXDecimal, source: MarkSource) {
        self.price = price
        self.source = source
    }
}

/// One account's position in one symbol, valued at the symbol's mark: a value to show or send,
/// detached from the book.
///
/// Money fields are dollars carrying ``PositionBook/moneyScale`` (2) decimals, or more only when
/// the inputs themselves have sub-cent value steps (never for tick-aligned CL, BZ, RB, HO).
public struct PositionSnapshot: Sendable, Hashable {
    public var account: String
    public var symbol: String
    public var root: String
    public var multiplier: FIXDecimal
    /// Signed net contracts: positive long, negative short, zero flat.
    public var quantity: Int64
    /// The exact signed amount paid for the open contracts (`Σ qty × price × multiplier`, less the
    /// cost released by reductions): the book's source of truth for the average price.
    public var costBasis: FIXDecimal
    /// `costBasis ÷ (quantity × multiplier)`, rounded half-even to
    /// ``PositionBook/averagePriceScale`` decimals for display only; `nil` when flat.
    public var averagePrice: FIXDecimal?
    public var mark: PositionMark
    /// P&L closed since the start of the day.
    public var realised: FIXDecimal
    /// `(mark − average) × quantity × multiplier`, computed exactly as
    /// `quantity × mark × multiplier − costBasis`.
    public var unrealised: FIXDecimal
    /// Fills applied to this position since the start of the day.
    public var fillCount: Int
    public var lastFillTime: FIXTimestamp?

    public init(account: String, symbol: String, root: String, multiplier: FIXDecimal, quantity: Int64,
                costBasis: FIXDecimal, averagePrice: FIXDecimal?, mark: PositionMark, realised: FIXDecimal,
                unrealised: FIXDecimal, fillCount: Int, lastFillTime: FIXTimestamp?) {
        self.account = account
        self.symbol = symbol
        self.root = root
        self.multiplier = multiplier
        self.quantity = quantity
        self.costBasis = costBasis
        self.averagePrice = averagePrice
        self.mark = mark
        self.realised = realised
        self.unrealised = unrealised
        self.fillCount = fillCount
        self.lastFillTime = lastFillTime
    }

    /// Day P&L: realised today plus unrealised since the start of day. Carried positions are
    /// re-based at the previous settlement, so their unrealised is already the day's change.
    public var dayPnL: FIXDecimal { Exact.money(realised + unrealised) }

    /// Signed notional at the mark, `quantity × mark × multiplier` (negative for a long
    /// position when the price is negative).
    public var netExposure: FIXDecimal { Exact.money(unrealised + costBasis) }

    /// Notional at the mark regardless of direction, `|quantity × mark × multiplier|`. The
    /// absolute value of the product, not `|quantity| × mark`, so that a negative price does
    /// not make a position look like negative exposure.
    public var grossExposure: FIXDecimal {
        let net = netExposure
        return net.isNegative ? -net : net
    }
}

/// P&L and exposure summed over a set of positions: an account, a root, a symbol or the firm.
public struct PnLTotals: Sendable, Hashable {
    public var realised: FIXDecimal
    public var unrealised: FIXDecimal
    /// Realised plus unrealised for the day: what the daily loss limit compares with −limit.
    public var dayPnL: FIXDecimal
    /// `Σ |quantity × mark × multiplier|`.
    public var grossExposure: FIXDecimal
    /// `Σ quantity × mark × multiplier`.
    public var netExposure: FIXDecimal
    /// Positions summed, flat ones with realised P&L included.
    public var positionCount: Int

    public init(realised: FIXDecimal, unrealised: FIXDecimal, dayPnL: FIXDecimal, grossExposure: FIXDecimal,
                netExposure: FIXDecimal, positionCount: Int) {
        self.realised = realised
        self.unrealised = unrealised
        self.dayPnL = dayPnL
        self.grossExposure = grossExposure
        self.netExposure = netExposure
        self.positionCount = positionCount
    }

    public static let zero = PnLTotals(
        realised: Exact.money(.zero), unrealised: Exact.money(.zero), dayPnL: Exact.money(.zero),
        grossExposure: Exact.money(.zero), netExposure: Exact.money(.zero), positionCount: 0
    )

    /// These totals with one more position added in.
    public func adding(_ position: PositionSnapshot) -> PnLTotals {
        PnLTotals(
            realised: Exact.money(realised + position.realised),
            unrealised: Exact.money(unrealised + position.unrealised),
            dayPnL: Exact.money(dayPnL + position.dayPnL),
            grossExposure: Exact.money(grossExposure + position.grossExposure),
            netExposure: Exact.money(netExposure + position.netExposure),
            positionCount: positionCount + 1
        )
    }
}
