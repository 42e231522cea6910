import FIXCodec

/// The unit a contract's size counts and its price is quoted per.
public enum QuantityUnit: String, Sendable, Hashable, CaseIterable {
    /// Barrels: crude is quoted in $/bbl.
    case barrel = "bbl"
    /// US gallons: RBOB and ULSD are quoted in $/gal.
    case gallon = "gal"

    /// How many of this unit make one barrel (1 or 42): a price per unit times this is a price
    /// per barrel, which is how cracks put products and crude on one scale.
    public var perBarrel: FIXDecimal {
        switch self {
        case .barrel: 1
        case .gallon: 42
        }
    }
}

/// A futures product as the desk trades it: the exchange's contract spec plus what the catalog
/// needs to list months (the last-trade rule and the calendar it counts business days on).
public struct FuturesProduct: Sendable, Hashable {
    public var spec: ContractSpec
    /// What `spec.contractSize` counts and the price is quoted per.
    public var unit: QuantityUnit
    public var lastTradeRule: LastTradeRule
    /// The name of the `BusinessCalendar` in the reference data this product expires on.
    public var calendar: String
    /// Whether a negative price is a valid order price. True for the NYMEX oil contracts
    /// (CL settled at −37.63 on 20 April 2020); a per-product setting, never a codec rule.
    public var allowsNegativePrices: Bool

    public init(spec: ContractSpec, unit: QuantityUnit, lastTradeRule: LastTradeRule, calendar: String,
                allowsNegativePrices: Bool = true) {
        self.spec = spec
        self.unit = unit
        self.lastTradeRule = lastTradeRule
        self.calendar = calendar
        self.allowsNegativePrices = allowsNegativePrices
    }

    public var root: String { spec.root }

    /// The price unit a spec quotes in for a currency and unit: `$/bbl`, `$/gal`, `EUR/bbl`.
    public static func priceUnit(currency: String, unit: QuantityUnit) -> String {
        (currency == "USD" ? "$" : currency) + "/" + unit.rawValue
    }
}

extension FuturesProduct {
    /// NYMEX WTI Light Sweet Crude Oil: 1,000 bbl, $/bbl, tick 0.01 = $10.00.
    public static let crudeOil = FuturesProduct(
        spec: ContractSpec(root: "CL", name: "WTI Light Sweet Crude Oil", exchange: "NYMEX", contractSize: 1000,
                           priceUnit: "$/bbl", tickSize: FIXDecimal(mantissa: 1, scale: 2),
                           tickValue: FIXDecimal(mantissa: 1000, scale: 2)),
        unit: .barrel, lastTradeRule: .threeBusinessDaysBefore25th, calendar: "nymex")

    /// NYMEX Brent Last Day Financial: 1,000 bbl, $/bbl, tick 0.01 = $10.00, cash settled.
    public static let brent = FuturesProduct(
        spec: ContractSpec(root: "BZ", name: "Brent Last Day Financial", exchange: "NYMEX", contractSize: 1000,
                           priceUnit: "$/bbl", tickSize: FIXDecimal(mantissa: 1, scale: 2),
                           tickValue: FIXDecimal(mantissa: 1000, scale: 2)),
        unit: .barrel, lastTradeRule: .lastBusinessDayTwoMonthsBefore, calendar: "london")

    /// NYMEX RBOB Gasoline: 42,000 gal, $/gal, tick 0.0001 = $4.20.
    public static let gasoline = FuturesProduct(
        spec: ContractSpec(root: "RB", name: "RBOB Gasoline", exchange: "NYMEX", contractSize: 42000,
                           priceUnit: "$/gal", tickSize: FIXDecimal(mantissa: 1, scale: 4),
                           tickValue: FIXDecimal(mantissa: 420, scale: 2)),
        unit: .gallon, lastTradeRule: .lastBusinessDayMonthBefore, calendar: "nymex")

    /// NYMEX NY Harbor ULSD (heating oil): 42,000 gal, $/gal, tick 0.0001 = $4.20.
    public static let heatingOil = FuturesProduct(
        spec: ContractSpec(root: "HO", name: "NY Harbor ULSD", exchange: "NYMEX", contractSize: 42000,
                           priceUnit: "$/gal", tickSize: FIXDecimal(mantissa: 1, scale: 4),
                           tickValue: FIXDecimal(mantissa: 420, scale: 2)),
        unit: .gallon, lastTradeRule: .lastBusinessDayMonthBefore, calendar: "nymex")
}
