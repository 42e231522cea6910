import FIXCodec
import Instruments

/// A spread or crack priced live from its legs' books, with the formula the Instruments
/// catalog defines for it (`SpreadFormula`; a crack's is `CrackDefinition.formula`), so the
/// arithmetic lives in one place.
///
/// The normalizer derives every spread and crack the catalog lists (calendar spreads M1−M2,
/// M1−M6, M1−M12 per root, Brent−WTI front against front, the 3-2-1 and 2-1-1 cracks), plus
/// each inter-commodity spread for every month both roots list (Brent−WTI same month:
/// `BZH7-CLH7`). Symbols are the catalog's; a venue may also quote the same symbol as a book
/// of its own, which stays separate (``BookID``): the derived price is what the legs imply.
public struct DerivedInstrument: Sendable, Hashable {
    public let id: DerivedID
    public let symbol: String
    public let kind: Instrument.Kind
    /// The legs' books, in the formula's order (a crack: crude first, then the products).
    public let legs: [BookID]
    public let formula: SpreadFormula
    /// `$/bbl`.
    public let priceUnit: String
    /// The smallest scale a price is published at (the instrument's tick scale).
    public let priceScale: UInt8

    public init(id: DerivedID, symbol: String, kind: Instrument.Kind, legs: [BookID], formula: SpreadFormula,
                priceUnit: String, priceScale: UInt8) {
        self.id = id
        self.symbol = symbol
        self.kind = kind
        self.legs = legs
        self.formula = formula
        self.priceUnit = priceUnit
        self.priceScale = priceScale
    }

    /// The price from leg prices in `legs` order: exact for calendar spreads, Brent−WTI and
    /// the oil cracks (42 is divisible by 2 and 3), computed two decimals finer than the finest
    /// leg price and rounded half away from zero only for a formula whose divisor does not
    /// divide evenly; then shown at no fewer than `priceScale` decimals. `nil` when the number
    /// of prices is wrong.
    public func price(legPrices: [FIXDecimal]) -> FIXDecimal? {
        var finest: UInt8 = 0
        for price in legPrices { finest = max(finest, price.scale) }
        guard let value = formula.value(legPrices, scale: min(finest + 2, FIXDecimal.maxScale)) else { return nil }
        let normal = value.normalized
        return normal.scale >= priceScale ? normal : normal.rescaled(to: priceScale) ?? normal
    }
}
