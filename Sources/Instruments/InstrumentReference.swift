import FIXCodec

/// The desk's reference data: products, the calendars their expiries count on, and what to list.
///
/// `standard` is built in; `InstrumentReferenceLoader` reads the same shape from YAML
/// (`sessions/instruments.yaml` ships with the same content). `catalog(on:)` turns it into the
/// instruments tradable on a day.
public struct InstrumentReference: Sendable, Hashable {
    /// In file order; roots are unique.
    public var products: [FuturesProduct]
    /// By name (`nymex`, `london`); every product's `calendar` names one of these.
    public var calendars: [String: BusinessCalendar]
    public var listing: ListingRules

    /// Builds reference data as given. The YAML loader checks that roots are unique and that
    /// every calendar, spread and crack names something defined; a calendar missing here is
    /// treated as weekends only, and a spread or crack naming an unknown root is not listed.
    public init(products: [FuturesProduct], calendars: [String: BusinessCalendar], listing: ListingRules) {
        self.products = products
        self.calendars = calendars
        self.listing = listing
    }

    /// CL, BZ, RB and HO on NYMEX; the NYMEX and London calendars; `ListingRules.standard`.
    public static let standard = InstrumentReference(
        products: [.crudeOil, .brent, .gasoline, .heatingOil],
        calendars: ["nymex": .nymex, "london": .londonWithKnownMoves],
        listing: .standard)

    public func product(root: String) -> FuturesProduct? {
        products.first { $0.root == root }
    }

    /// The calendar a product expires on.
    public func calendar(for product: FuturesProduct) -> BusinessCalendar {
        calendars[product.calendar] ?? BusinessCalendar(name: product.calendar, rules: .none)
    }

    /// The last trade date of a root's month; `nil` for an unknown root.
    public func lastTradeDate(root: String, month: ContractMonth) -> CalendarDate? {
        guard let product = product(root: root) else { return nil }
        return product.lastTradeRule.lastTradeDate(for: month, calendar: calendar(for: product))
    }

    /// The instruments listed on `tradingDate`.
    public func catalog(on tradingDate: CalendarDate) -> InstrumentCatalog {
        InstrumentCatalog(reference: self, tradingDate: tradingDate)
    }
}

extension BusinessCalendar {
    /// London with the bank holidays moved or added by proclamation in recent years: early May
    /// 2020 moved to Friday 8 May; spring 2022 moved to 2 June with 3 June added (Platinum
    /// Jubilee); 19 September 2022 (state funeral); 8 May 2023 (coronation).
    public static let londonWithKnownMoves = BusinessCalendar(
        name: "london", rules: .london,
        holidays: [CalendarDate(unchecked: 2020, 5, 8), CalendarDate(unchecked: 2022, 6, 2), CalendarDate(unchecked: 2022, 6, 3),
                   CalendarDate(unchecked: 2022, 9, 19), CalendarDate(unchecked: 2023, 5, 8)],
        openDays: [CalendarDate(unchecked: 2020, 5, 4), CalendarDate(unchecked: 2022, 5, 30)])
}
