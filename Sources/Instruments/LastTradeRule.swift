/// How a product's last trading day follows from its contract month.
///
/// The raw values are the names the reference file uses (`lastTrade:`).
public enum LastTradeRule: String, Sendable, Hashable, CaseIterable {
    /// WTI crude (CL): three business days before the 25th calendar day of the month before
    /// delivery, or four business days before it when the 25th is not a business day.
    case threeBusinessDaysBefore25th
    /// Brent last-day financial (BZ): the last business day of the second month before the
    /// contract month (the March contract expires on the last business day of January). The
    /// exchange means London business days: give BZ the `london` calendar.
    case lastBusinessDayTwoMonthsBefore
    /// RBOB gasoline and NY Harbor ULSD (RB, HO): the last business day of the month before
    /// the contract month.
    case lastBusinessDayMonthBefore

    /// The last day the contract month trades, on `calendar`'s business days.
    public func lastTradeDate(for month: ContractMonth, calendar: BusinessCalendar) -> CalendarDate {
        switch self {
        case .threeBusinessDaysBefore25th:
            let prior = month.previous
            let twentyFifth = CalendarDate(unchecked: prior.year, prior.month, 25)
            return calendar.businessDay(calendar.isBusinessDay(twentyFifth) ? 3 : 4, before: twentyFifth)
        case .lastBusinessDayTwoMonthsBefore:
            return calendar.lastBusinessDay(of: month.advanced(by: -2))
        case .lastBusinessDayMonthBefore:
            return calendar.lastBusinessDay(of: month.previous)
        }
    }
}
