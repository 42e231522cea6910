import Foundation
import Instruments

/// What `wellhead serve` lists right now: the catalog of the trading day in progress on a venue
/// that trades around the clock (the default calendar; the day ends at 17:00 New York time, so
/// in the evening it is tomorrow's listing, as the appliance has it).
public enum TodaysListing {
    public static func catalog(at date: Date = Date()) -> InstrumentCatalog {
        let nanos = Int64(date.timeIntervalSince1970 * 1e9)
        return InstrumentReference.standard.catalog(on: TradingCalendar.aroundTheClock.tradingDate(at: nanos))
    }
}
