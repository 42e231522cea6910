import Instruments
import Testing
import TestSupport

@Suite struct CalendarDateTests {
    @Test func parsesAndPrintsISODates() throws {
        let date = try day("2026-11-25")
        #expect(date.year == 2026 && date.month == 11 && date.day == 25)
        #expect(date.description == "2026-11-25")
        #expect(CalendarDate(iso: "2026-02-29") == nil)
        #expect(CalendarDate(iso: "2024-02-29") != nil)
        #expect(CalendarDate(iso: "2026-13-01") == nil)
        #expect(CalendarDate(iso: "2026-1-01") == nil)
        #expect(CalendarDate(iso: "2026-01-0x") == nil)
        #expect(CalendarDate(year: 2100, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
    }

    @Test func weekdaysOfKnownDates() throws {
        #expect(try day("1970-01-01").weekday == .thursday)
        #expect(try day("2020-04-20").weekday == .monday)
        #expect(try day("2026-11-25").weekday == .wednesday)
        #expect(try day("2026-12-25").weekday == .friday)
        #expect(try day("2027-12-25").weekday == .saturday)
        #expect(try day("1969-12-31").weekday == .wednesday)
        #expect(try day("2026-11-28").isWeekend)
    }

    @Test func dayCountsRoundTrip() throws {
        #expect(try day("1970-01-01").daysSinceEpoch == 0)
        #expect(try day("2000-03-01").daysSinceEpoch == 11_017)
        var random = SeededRandom(seed: 42)
        for _ in 0..<2_000 {
            let days = random.next(upTo: 200_000) - 100_000
            let date = CalendarDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(CalendarDate(iso: date.description) == date)
            #expect(date.adding(days: 1) > date)
            #expect(date.adding(days: 1).daysSinceEpoch == days + 1)
        }
        #expect(try day("2026-12-31").adding(days: 1) == day("2027-01-01"))
        #expect(try day("2028-03-01").adding(days: -1) == day("2028-02-29"))
    }
}

@Suite struct HolidayTests {
    let calendar = BusinessCalendar.nymex

    func holidays(_ year: Int) -> [String: CalendarDate] {
        Dictionary(uniqueKeysWithValues: HolidayRules.nymex.holidays(in: year).map { ($0.name, $0.date) })
    }

    @Test func nymexHolidaysOf2026() throws {
        let year = holidays(2026)
        #expect(year["New Year's Day"] == (try day("2026-01-01")))
        #expect(year["Martin Luther King Jr. Day"] == (try day("2026-01-19")))
        #expect(year["Presidents Day"] == (try day("2026-02-16")))
        #expect(year["Good Friday"] == (try day("2026-04-03")))
        #expect(year["Memorial Day"] == (try day("2026-05-25")))
        #expect(year["Juneteenth"] == (try day("2026-06-19")))
        #expect(year["Independence Day"] == (try day("2026-07-03")))   // the 4th is a Saturday
        #expect(year["Labor Day"] == (try day("2026-09-07")))
        #expect(year["Thanksgiving"] == (try day("2026-11-26")))
        #expect(year["Christmas"] == (try day("2026-12-25")))
        #expect(year.count == 10)
    }

    @Test func thanksgivingAndGoodFriday() throws {
        #expect(holidays(2026)["Thanksgiving"] == (try day("2026-11-26")))
        #expect(holidays(2027)["Thanksgiving"] == (try day("2027-11-25")))
        #expect(holidays(2027)["Good Friday"] == (try day("2027-03-26")))
        #expect(holidays(2024)["Good Friday"] == (try day("2024-03-29")))
        #expect(HolidayRules.easterSunday(2025) == (try day("2025-04-20")))
        #expect(HolidayRules.easterSunday(2038) == (try day("2038-04-25")))
        #expect(HolidayRules.easterSunday(2285) == (try day("2285-03-22")))
        #expect(!calendar.isBusinessDay(try day("2026-11-26")))
        #expect(!calendar.isBusinessDay(try day("2027-03-26")))
        #expect(calendar.isBusinessDay(try day("2026-11-27")))
    }

    @Test func weekendObservance() throws {
        // Saturday → Friday before; Sunday → Monday after.
        #expect(holidays(2027)["Juneteenth"] == (try day("2027-06-18")))
        #expect(holidays(2027)["Independence Day"] == (try day("2027-07-05")))
        #expect(holidays(2027)["Christmas"] == (try day("2027-12-24")))
        #expect(holidays(2022)["Christmas"] == (try day("2022-12-26")))
        #expect(holidays(2023)["New Year's Day"] == (try day("2023-01-02")))
        // New Year's Day on a Saturday is not observed on the Friday before.
        #expect(holidays(2022)["New Year's Day"] == nil)
        #expect(calendar.isBusinessDay(try day("2021-12-31")))
        // Juneteenth is a market holiday from 2022.
        #expect(holidays(2021)["Juneteenth"] == nil)
        #expect(holidays(2022)["Juneteenth"] == (try day("2022-06-20")))
    }

    @Test func londonBankHolidays() throws {
        let london = Dictionary(uniqueKeysWithValues: HolidayRules.london.holidays(in: 2026).map { ($0.name, $0.date) })
        #expect(london["Easter Monday"] == (try day("2026-04-06")))
        #expect(london["Early May Bank Holiday"] == (try day("2026-05-04")))
        #expect(london["Spring Bank Holiday"] == (try day("2026-05-25")))
        #expect(london["Summer Bank Holiday"] == (try day("2026-08-31")))
        #expect(london["Christmas Day"] == (try day("2026-12-25")))
        #expect(london["Boxing Day"] == (try day("2026-12-28")))   // the 26th is a Saturday
        // Christmas on a Saturday: Monday 27 and Tuesday 28 December.
        let london2021 = Set(HolidayRules.london.holidays(in: 2021).map(\.date))
        #expect(london2021.isSuperset(of: [try day("2021-12-27"), try day("2021-12-28")]))
        // Christmas on a Sunday: Boxing Day Monday 26, Christmas substitute Tuesday 27.
        let london2022 = Set(HolidayRules.london.holidays(in: 2022).map(\.date))
        #expect(london2022.isSuperset(of: [try day("2022-12-26"), try day("2022-12-27")]))
    }

    @Test func explicitHolidaysAndOpenDays() throws {
        let london = BusinessCalendar.londonWithKnownMoves
        #expect(!london.isBusinessDay(try day("2020-05-08")))
        #expect(london.isBusinessDay(try day("2020-05-04")))
        #expect(!london.isBusinessDay(try day("2022-09-19")))
        var custom = BusinessCalendar(name: "test", rules: .none, holidays: [try day("2026-11-24")])
        #expect(!custom.isBusinessDay(try day("2026-11-24")))
        #expect(custom.isBusinessDay(try day("2026-11-26")))
        custom.rules = .nymex
        #expect(custom.holidays(in: 2026).contains(try day("2026-11-24")))
        #expect(custom.holidays(in: 2026).count == 11)
    }

    @Test func businessDayCounting() throws {
        // Three business days before Wednesday 25 November 2026: 24, 23, then Friday 20.
        #expect(calendar.businessDay(3, before: try day("2026-11-25")) == (try day("2026-11-20")))
        // Over Thanksgiving 2026.
        #expect(calendar.nextBusinessDay(after: try day("2026-11-25")) == (try day("2026-11-27")))
        #expect(calendar.previousBusinessDay(before: try day("2026-11-27")) == (try day("2026-11-25")))
        #expect(calendar.lastBusinessDay(of: try month(2027, 5)) == (try day("2027-05-28")))   // 31 May is Memorial Day
        #expect(calendar.lastBusinessDay(of: try month(2027, 1)) == (try day("2027-01-29")))   // 31 January is a Sunday
    }
}
