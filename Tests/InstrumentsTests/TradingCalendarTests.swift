import Foundation
import Instruments
import Testing
import TestSupport

/// Trading days as CME names them: a session that opens on Sunday evening is Monday's.
@Suite struct TradingCalendarTests {
    static let cme = try! TradingCalendar.load(path: TestDictionaries.path("sessions/calendar-cme-energy.yaml"))
    static let demo = try! TradingCalendar.load(path: TestDictionaries.path("sessions/calendar-around-the-clock.yaml"))

    /// Nanoseconds at a UTC wall time.
    static func utc(_ text: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        return Int64(formatter.date(from: text)!.timeIntervalSince1970) * 1_000_000_000
    }

    @Test func aSundayEveningSessionIsMondaysTradingDayAndEndsAtFiveInNewYork() throws {
        // Sunday 6 December 2026, 19:00 New York (EST, UTC−5).
        let sunday = Self.utc("2026-12-07T00:00:00Z")
        #expect(Self.cme.tradingDate(at: sunday) == (try day("2026-12-07")))
        #expect(Self.cme.isOpen(at: sunday))
        #expect(Self.cme.end(of: try day("2026-12-07")) == Self.utc("2026-12-07T22:00:00Z"))
        #expect(Self.cme.open(of: try day("2026-12-07")) == Self.utc("2026-12-06T23:00:00Z"))
        // The daily break: Monday 17:30 New York is closed, and Tuesday's day.
        let brk = Self.utc("2026-12-07T22:30:00Z")
        #expect(!Self.cme.isOpen(at: brk))
        #expect(Self.cme.tradingDate(at: brk) == (try day("2026-12-08")))
    }

    @Test func aWeekendAndAHolidayBelongToTheNextDayTheVenueTrades() throws {
        // Friday 11 December 17:30 New York to Sunday 18:00: closed, Monday's day.
        for instant in ["2026-12-11T22:30:00Z", "2026-12-12T15:00:00Z", "2026-12-13T22:59:00Z"] {
            #expect(!Self.cme.isOpen(at: Self.utc(instant)), "\(instant)")
            #expect(Self.cme.tradingDate(at: Self.utc(instant)) == (try day("2026-12-14")), "\(instant)")
        }
        #expect(Self.cme.next(after: try day("2026-12-11")) == (try day("2026-12-14")))
        // Christmas 2026 is a Friday: Thursday's day is followed by Monday's.
        #expect(!Self.cme.isTradingDate(try day("2026-12-25")))
        #expect(Self.cme.next(after: try day("2026-12-24")) == (try day("2026-12-28")))
        // Good Friday 2027 (26 March) by the NYMEX rules.
        #expect(!Self.cme.isTradingDate(try day("2027-03-26")))
    }

    @Test func theDayEndsAtFiveLocalTimeOnEitherSideOfADaylightSavingChange() throws {
        // 2027-03-14 is when New York moves to EDT (UTC−4).
        #expect(Self.cme.end(of: try day("2027-03-12")) == Self.utc("2027-03-12T22:00:00Z"))
        #expect(Self.cme.end(of: try day("2027-03-15")) == Self.utc("2027-03-15T21:00:00Z"))
    }

    @Test func theDemoVenueTradesAtEveryHourAndStillEndsItsDay() throws {
        var instant = Self.utc("2026-12-05T00:00:00Z")  // a Saturday
        for _ in 0..<(7 * 24) {
            #expect(Self.demo.isOpen(at: instant))
            instant += 3_600_000_000_000
        }
        #expect(Self.demo.tradingDate(at: Self.utc("2026-12-05T21:59:00Z")) == (try day("2026-12-05")))
        #expect(Self.demo.tradingDate(at: Self.utc("2026-12-05T22:00:00Z")) == (try day("2026-12-06")))
        #expect(Self.demo.next(after: try day("2026-12-05")) == (try day("2026-12-06")))
    }

    @Test func aCalendarThatCannotBeUsedNamesTheFileAndTheKey() {
        let cases: [(String, String)] = [
            ("hours: aroundTheClock\ndayEnd: \"17:00\"\n", "timeZone: missing"),
            ("timeZone: Mars/Olympus\nhours: aroundTheClock\ndayEnd: \"17:00\"\n", "timeZone: 'Mars/Olympus' is not a time zone"),
            ("timeZone: UTC\nhours: aroundTheClock\ndayEnd: \"25:00\"\n", "dayEnd: '25:00' is not a time of day"),
            ("timeZone: UTC\nhours: {open: \"18:00\", days: [sun, funday]}\ndayEnd: \"17:00\"\n", "hours.days: 'funday' is not a day"),
            ("timeZone: UTC\nhours: aroundTheClock\ndayEnd: \"17:00\"\nholidays: [yesterday]\n", "holidays: 'yesterday' is not a date"),
            ("timeZone: UTC\nhours: aroundTheClock\ndayEnd: \"17:00\"\nholidays: moon\n", "holidays: 'moon' is not a holiday rule"),
            ("timeZone: UTC\nhours: aroundTheClock\ndayEnd: \"17:00\"\nclose: \"17:00\"\n", "close: not a key of a trading calendar"),
        ]
        for (text, message) in cases {
            #expect { try TradingCalendar.parse(text, file: "calendar.yaml") } throws: { error in
                "\(error)".hasPrefix("calendar.yaml: ") && "\(error)".contains(message)
            }
        }
    }
}
