import Foundation
import Instruments
import TestSupport

/// What `wellhead serve` lists today: the same reference data on the trading day, so that
/// the tests trade, and refuse, symbols that are what they need on any date.
enum Listing {
    /// The catalog of the trading day `date` falls in (``TodaysListing``: after 17:00 New York,
    /// tomorrow's, as the appliance lists it).
    static func catalog(on date: Date = Date()) -> InstrumentCatalog {
        TodaysListing.catalog(at: date)
    }

    /// A month of `root` that is not listed today, nor tomorrow (a test may run across
    /// midnight): a year after the last month listed. Its year digit is none of the listed
    /// months', so its symbol names no listed month either.
    static func unlisted(root: String = "CL") -> String {
        guard let last = catalog().futures(root: root).last else { return "\(root)F0" }
        return last.month.advanced(by: 12).symbol(root: root)
    }
}
