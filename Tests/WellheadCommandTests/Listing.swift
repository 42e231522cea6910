import Foundation
import Instruments

/// What `wellhead serve` lists today: the same reference data on the machine's date, so that
/// the tests trade, and refuse, symbols that are what they need on any date.
enum Listing {
    /// The catalog for the day `date` falls on (UTC).
    static func catalog(on date: Date = Date()) -> InstrumentCatalog {
        InstrumentReference.standard.catalog(on: CalendarDate(daysSinceEpoch: Int(date.timeIntervalSince1970 / 86_400)))
    }

    /// A month of `root` that is not listed today, nor tomorrow (a test may run across
    /// midnight): a year after the last month listed. Its year digit is none of the listed
    /// months', so its symbol names no listed month either.
    static func unlisted(root: String = "CL") -> String {
        guard let last = catalog().futures(root: root).last else { return "\(root)F0" }
        return last.month.advanced(by: 12).symbol(root: root)
    }
}
