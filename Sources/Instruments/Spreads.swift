import FIXCodec

/// A price as a weighted sum of leg prices over a whole divisor: `(Σ coefficientᵢ × priceᵢ) / divisor`.
///
/// One shape covers every spread the desk lists: a calendar spread is `near − far` (`[1, −1]`,
/// divisor 1); Brent−WTI is `BZ − CL`; the 3-2-1 crack is `(−3 × CL + 2 × 42 × RB + 1 × 42 × HO) / 3`.
public struct SpreadFormula: Sendable, Hashable {
    /// Each leg's signed weight in the spread's price unit (ratio × price factor).
    public var coefficients: [FIXDecimal]
    /// What the weighted sum is divided by (the crude ratio of a crack; 1 otherwise).
    public var divisor: Int64

    public init(coefficients: [FIXDecimal], divisor: Int64 = 1) {
        self.coefficients = coefficients
        self.divisor = max(divisor, 1)
    }

    /// The spread's value from leg prices given in leg order, rounded half away from zero to
    /// `scale` decimal places; `nil` when the number of prices is not the number of legs.
    /// The oil cracks are exact at four places (42 is divisible by 2 and 3), so rounding
    /// only matters for prices off their legs' tick grids.
    public func value(_ prices: [FIXDecimal], scale: UInt8 = 4) -> FIXDecimal? {
        guard prices.count == coefficients.count, scale <= FIXDecimal.maxScale else { return nil }
        var sum = FIXDecimal.zero
        for (coefficient, price) in zip(coefficients, prices) { sum += coefficient * price }
        return Self.divide(sum, by: divisor, scale: scale)
    }

    /// `value / divisor` rounded half away from zero to `scale` places, computed in 128 bits.
    static func divide(_ value: FIXDecimal, by divisor: Int64, scale: UInt8) -> FIXDecimal {
        if divisor == 1, value.scale <= scale { return value.rescaled(to: scale) ?? value }
        // value = m × 10^-s; result × 10^scale = m × 10^scale / (10^s × divisor).
        let numerator = Int128(value.mantissa) * Int128(Self.powerOfTen(scale))
        let denominator = Int128(Self.powerOfTen(value.scale)) * Int128(divisor)
        var quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder.magnitude * 2 >= denominator.magnitude { quotient += (numerator < 0) == (denominator < 0) ? 1 : -1 }
        return FIXDecimal(mantissa: Int64(clamping: quotient), scale: scale)
    }
}


/// A calendar spread to list on every root: position `near` minus position `far` on the curve
/// (M1−M2 is `near: 1, far: 2`). Positive means backwardation.
public struct CalendarSpreadRule: Sendable, Hashable {
    /// 1-based position of the bought leg among the root's listed months.
    public var near: Int
    /// 1-based position of the sold leg; after `near`.
    public var far: Int

    public init(near: Int, far: Int) {
        self.near = near
        self.far = far
    }
}

/// A spread between two roots' front months: `long` minus `short` (Brent−WTI is BZ minus CL).
public struct InterCommoditySpreadRule: Sendable, Hashable {
    public var long: String
    public var short: String

    public init(long: String, short: String) {
        self.long = long
        self.short = short
    }
}

/// One root in a crack and how many contracts of it one crack holds.
public struct CrackComponent: Sendable, Hashable {
    public var root: String
    /// Contracts per crack (3 CL, 2 RB, 1 HO in the 3-2-1), always positive.
    public var ratio: Int64
    /// What this root's price is multiplied by to be in $/bbl: 1 for crude, 42 for products in $/gal.
    public var priceFactor: FIXDecimal

    public init(root: String, ratio: Int64, priceFactor: FIXDecimal) {
        self.root = root
        self.ratio = ratio
        self.priceFactor = priceFactor
    }
}

/// A refining margin: products sold against crude bought, in $/bbl of crude.
///
/// Value = (Σ productRatio × factor × productPrice − crudeRatio × crudePrice) / crudeRatio.
/// Buying the crack buys the products and sells the crude (a refiner's hedge sells it).
/// Its symbol is `symbolPrefix` plus the month code and year digit of the month all its legs
/// share: `CRK321F7` is 3 CLF7 : 2 RBF7 : 1 HOF7.
public struct CrackDefinition: Sendable, Hashable {
    /// `3-2-1`.
    public var name: String
    /// `CRK321`.
    public var symbolPrefix: String
    public var crude: CrackComponent
    public var products: [CrackComponent]
    /// The price step of crack orders, in $/bbl.
    public var tickSize: FIXDecimal

    public init(name: String, symbolPrefix: String, crude: CrackComponent, products: [CrackComponent], tickSize: FIXDecimal) {
        self.name = name
        self.symbolPrefix = symbolPrefix
        self.crude = crude
        self.products = products
        self.tickSize = tickSize
    }

    /// The 3-2-1 crack: 3 CL against 2 RB and 1 HO, `(2 × RB × 42 + HO × 42 − 3 × CL) / 3`.
    public static let threeTwoOne = CrackDefinition(
        name: "3-2-1", symbolPrefix: "CRK321",
        crude: CrackComponent(root: "CL", ratio: 3, priceFactor: 1),
        products: [CrackComponent(root: "RB", ratio: 2, priceFactor: 42), CrackComponent(root: "HO", ratio: 1, priceFactor: 42)],
        tickSize: FIXDecimal(mantissa: 1, scale: 2))

    /// The 2-1-1 crack: 2 CL against 1 RB and 1 HO, `(RB × 42 + HO × 42 − 2 × CL) / 2`.
    public static let twoOneOne = CrackDefinition(
        name: "2-1-1", symbolPrefix: "CRK211",
        crude: CrackComponent(root: "CL", ratio: 2, priceFactor: 1),
        products: [CrackComponent(root: "RB", ratio: 1, priceFactor: 42), CrackComponent(root: "HO", ratio: 1, priceFactor: 42)],
        tickSize: FIXDecimal(mantissa: 1, scale: 2))

    /// The formula over legs in the order crude, then products as listed.
    public var formula: SpreadFormula {
        SpreadFormula(coefficients: [-(FIXDecimal(mantissa: crude.ratio) * crude.priceFactor)]
                          + products.map { FIXDecimal(mantissa: $0.ratio) * $0.priceFactor },
                      divisor: crude.ratio)
    }

    /// The crack in $/bbl from the crude price ($/bbl) and the product prices in `products`
    /// order (in their own units, $/gal), rounded to `scale` places; `nil` when the number of
    /// product prices is wrong.
    public func value(crude crudePrice: FIXDecimal, products productPrices: [FIXDecimal], scale: UInt8 = 4) -> FIXDecimal? {
        formula.value([crudePrice] + productPrices, scale: scale)
    }
}

/// What the catalog lists besides the outright months.
public struct ListingRules: Sendable, Hashable {
    /// How many contract months of each root are listed (12: the next twelve not yet expired).
    public var months: Int
    public var calendarSpreads: [CalendarSpreadRule]
    public var interCommoditySpreads: [InterCommoditySpreadRule]
    public var cracks: [CrackDefinition]
    /// How many months of each crack are listed, from the first month all its legs trade.
    public var crackMonths: Int

    public init(months: Int = 12, calendarSpreads: [CalendarSpreadRule] = [], interCommoditySpreads: [InterCommoditySpreadRule] = [],
                cracks: [CrackDefinition] = [], crackMonths: Int = 1) {
        self.months = months
        self.calendarSpreads = calendarSpreads
        self.interCommoditySpreads = interCommoditySpreads
        self.cracks = cracks
        self.crackMonths = crackMonths
    }

    /// Twelve months; M1−M2, M1−M6 and M1−M12; Brent−WTI; the 3-2-1 and 2-1-1 cracks for one month.
    public static let standard = ListingRules(
        months: 12,
        calendarSpreads: [CalendarSpreadRule(near: 1, far: 2), CalendarSpreadRule(near: 1, far: 6), CalendarSpreadRule(near: 1, far: 12)],
        interCommoditySpreads: [InterCommoditySpreadRule(long: "BZ", short: "CL")],
        cracks: [.threeTwoOne, .twoOneOne],
        crackMonths: 1)
}

extension SpreadFormula {
    fileprivate static func powerOfTen(_ exponent: UInt8) -> Int64 {
        var result: Int64 = 1
        for _ in 0..<exponent { result &*= 10 }
        return result
    }
}
