import FIXCodec

/// Everything tradable on one trading date, with lookups for the order path.
///
/// For each root, the next `listing.months` contract months whose last trade date has not
/// passed (a contract still trades on its last trade date); then per root the calendar spreads
/// (M1−M2, M1−M6, M1−M12 by default); the inter-commodity spreads front against front
/// (Brent−WTI: `BZF7-CLF7`); and the cracks for the first months in which all their legs are
/// listed (`CRK321F7`). Symbol lookup is one dictionary probe.
public struct InstrumentCatalog: Sendable {
    public let tradingDate: CalendarDate
    public let reference: InstrumentReference
    /// Every listed instrument: each root's months in curve order (roots in reference order),
    /// then calendar spreads, inter-commodity spreads and cracks.
    public let instruments: [Instrument]
    private let indexBySymbol: [String: Int]
    private let futuresByRoot: [String: [Instrument]]

    public init(reference: InstrumentReference, tradingDate: CalendarDate) {
        self.tradingDate = tradingDate
        self.reference = reference
        let listing = reference.listing

        var futuresByRoot: [String: [Instrument]] = [:]
        var futures: [Instrument] = []
        for product in reference.products where futuresByRoot[product.root] == nil {
            let calendar = reference.calendar(for: product)
            var month = ContractMonth(containing: tradingDate)
            while product.lastTradeRule.lastTradeDate(for: month, calendar: calendar) < tradingDate { month = month.next }
            var months: [Instrument] = []
            for _ in 0..<max(listing.months, 0) {
                months.append(Self.future(product, month, product.lastTradeRule.lastTradeDate(for: month, calendar: calendar)))
                month = month.next
            }
            futuresByRoot[product.root] = months
            futures += months
        }

        var spreads: [Instrument] = []
        for product in reference.products {
            guard let months = futuresByRoot[product.root] else { continue }
            for rule in listing.calendarSpreads where rule.near >= 1 && rule.near < rule.far && rule.far <= months.count {
                spreads.append(Self.calendarSpread(product, near: months[rule.near - 1], far: months[rule.far - 1]))
            }
        }
        for rule in listing.interCommoditySpreads {
            guard let long = futuresByRoot[rule.long]?.first, let short = futuresByRoot[rule.short]?.first else { continue }
            spreads.append(Self.interCommoditySpread(long: long, short: short))
        }

        var cracks: [Instrument] = []
        for crack in listing.cracks {
            cracks += Self.cracks(crack, futuresByRoot: futuresByRoot, reference: reference, count: listing.crackMonths)
        }

        let instruments = futures + spreads + cracks
        var indexBySymbol: [String: Int] = [:]
        indexBySymbol.reserveCapacity(instruments.count)
        for (index, instrument) in instruments.enumerated() where indexBySymbol[instrument.symbol] == nil {
            indexBySymbol[instrument.symbol] = index
        }
        self.instruments = instruments
        self.indexBySymbol = indexBySymbol
        self.futuresByRoot = futuresByRoot
    }

    // MARK: Lookups

    /// The instrument with this Symbol (55), or `nil` when nothing by that name is listed today.
    public func instrument(symbol: String) -> Instrument? {
        indexBySymbol[symbol].map { instruments[$0] }
    }

    public subscript(symbol: String) -> Instrument? { instrument(symbol: symbol) }

    /// The roots listed, in reference order.
    public var roots: [String] { reference.products.map(\.root).filter { futuresByRoot[$0] != nil } }

    /// A root's listed months in curve order (M1 first); empty for an unknown root.
    public func futures(root: String) -> [Instrument] { futuresByRoot[root] ?? [] }

    /// A root's first listed month: the contract nearest expiry that still trades today.
    public func frontMonth(root: String) -> Instrument? { futuresByRoot[root]?.first }

    /// The listed instruments of one kind, in listing order.
    public func instruments(kind: Instrument.Kind) -> [Instrument] { instruments.filter { $0.kind == kind } }

    /// Calendar spreads on one root, in listing order.
    public func calendarSpreads(root: String) -> [Instrument] {
        instruments.filter { $0.kind == .calendarSpread && $0.root == root }
    }

    // MARK: Prices and ticks by symbol

    /// The price in ticks of the named instrument; `nil` for an unknown symbol or an off-grid price.
    public func ticks(for price: FIXDecimal, symbol: String) -> Int64? {
        instrument(symbol: symbol)?.ticks(for: price)
    }

    /// The price of a tick count of the named instrument; `nil` for an unknown symbol.
    public func price(ticks: Int64, symbol: String) -> FIXDecimal? {
        instrument(symbol: symbol)?.price(ticks: ticks)
    }

    /// Checks an order price for a symbol and returns it in ticks (see `Instrument.validate(price:)`).
    public func validate(price: FIXDecimal, symbol: String) throws(InstrumentPriceError) -> Int64 {
        guard let instrument = instrument(symbol: symbol) else {
            throw InstrumentPriceError(symbol: symbol, price: price, reason: .unknownSymbol)
        }
        return try instrument.validate(price: price)
    }

    // MARK: Building

    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func monthName(_ month: ContractMonth) -> String { "\(monthNames[month.month - 1]) \(month.year)" }

    private static func future(_ product: FuturesProduct, _ month: ContractMonth, _ lastTrade: CalendarDate) -> Instrument {
        let spec = product.spec
        return Instrument(
            symbol: month.symbol(root: spec.root), kind: .future, name: "\(spec.name) \(monthName(month))",
            root: spec.root, month: month, lastTradeDate: lastTrade, exchange: spec.exchange, currency: spec.currency,
            priceUnit: spec.priceUnit, tickSize: spec.tickSize, multiplier: spec.multiplier,
            allowsNegativePrices: product.allowsNegativePrices, spec: spec)
    }

    private static func leg(_ outright: Instrument, ratio: Int64, priceFactor: FIXDecimal = 1) -> InstrumentLeg {
        InstrumentLeg(symbol: outright.symbol, root: outright.root, month: outright.month, ratio: ratio, priceFactor: priceFactor)
    }

    private static func calendarSpread(_ product: FuturesProduct, near: Instrument, far: Instrument) -> Instrument {
        Instrument(
            symbol: "\(near.symbol)-\(far.symbol)", kind: .calendarSpread,
            name: "\(product.spec.name) \(monthName(near.month))–\(monthName(far.month)) spread",
            root: product.root, month: near.month, lastTradeDate: min(near.lastTradeDate, far.lastTradeDate),
            exchange: near.exchange, currency: near.currency, priceUnit: near.priceUnit, tickSize: near.tickSize,
            multiplier: near.multiplier, legs: [leg(near, ratio: 1), leg(far, ratio: -1)],
            formula: SpreadFormula(coefficients: [1, -1]), allowsNegativePrices: true)
    }

    private static func interCommoditySpread(long: Instrument, short: Instrument) -> Instrument {
        Instrument(
            symbol: "\(long.symbol)-\(short.symbol)", kind: .interCommoditySpread,
            name: "\(long.root) \(monthName(long.month)) − \(short.root) \(monthName(short.month)) spread",
            root: "\(long.root)-\(short.root)", month: long.month, lastTradeDate: min(long.lastTradeDate, short.lastTradeDate),
            exchange: long.exchange, currency: long.currency, priceUnit: long.priceUnit, tickSize: max(long.tickSize, short.tickSize),
            multiplier: long.multiplier, legs: [leg(long, ratio: 1), leg(short, ratio: -1)],
            formula: SpreadFormula(coefficients: [1, -1]), allowsNegativePrices: true)
    }

    private static func cracks(_ crack: CrackDefinition, futuresByRoot: [String: [Instrument]], reference: InstrumentReference,
                               count: Int) -> [Instrument] {
        guard let crudeMonths = futuresByRoot[crack.crude.root], let crudeProduct = reference.product(root: crack.crude.root),
              let barrels = barrelsPerContract(crudeProduct),
              crack.products.allSatisfy({ futuresByRoot[$0.root] != nil })
        else { return [] }
        var result: [Instrument] = []
        for crude in crudeMonths where result.count < count {
            var legs = [leg(crude, ratio: -crack.crude.ratio, priceFactor: crack.crude.priceFactor)]
            for component in crack.products {
                guard let product = futuresByRoot[component.root]?.first(where: { $0.month == crude.month }) else { break }
                legs.append(leg(product, ratio: component.ratio, priceFactor: component.priceFactor))
            }
            guard legs.count == crack.products.count + 1 else { continue }
            let lastTrade = legs.compactMap { leg in futuresByRoot[leg.root]?.first { $0.symbol == leg.symbol }?.lastTradeDate }.min()
            result.append(Instrument(
                symbol: crack.symbolPrefix + crude.month.shortCode, kind: .crack,
                name: "\(crack.name) crack \(monthName(crude.month))", root: crack.symbolPrefix, month: crude.month,
                lastTradeDate: lastTrade ?? crude.lastTradeDate, exchange: crude.exchange, currency: crude.currency,
                priceUnit: FuturesProduct.priceUnit(currency: crude.currency, unit: .barrel), tickSize: crack.tickSize,
                multiplier: barrels * FIXDecimal(mantissa: crack.crude.ratio), legs: legs, formula: crack.formula,
                allowsNegativePrices: true))
        }
        return result
    }

    /// Barrels per contract (1,000 for CL; 42,000 gal / 42 for RB), `nil` when not whole.
    static func barrelsPerContract(_ product: FuturesProduct) -> FIXDecimal? {
        let size = product.spec.contractSize.normalized
        let perBarrel = product.unit.perBarrel.normalized
        guard perBarrel.scale == 0, perBarrel.mantissa > 0, size.mantissa % perBarrel.mantissa == 0 else { return nil }
        return FIXDecimal(mantissa: size.mantissa / perBarrel.mantissa, scale: size.scale)
    }
}
