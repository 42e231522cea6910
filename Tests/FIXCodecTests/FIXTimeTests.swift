import FIXCodec
import Testing

@Suite struct FIXTimeTests {
    private func timestamp(_ text: String) -> FIXTimestamp? { FIXTimestamp(fixBytes: Array(text.utf8)) }

    @Test func utcTimestampAtEveryPrecision() throws {
        let seconds = try #require(timestamp("20200420-18:30:00"))
        #expect(seconds.precision == .seconds)
        #expect(seconds.nanosecondsSinceEpoch == 1_587_407_400 * 1_000_000_000)
        let millis = try #require(timestamp("20200420-18:30:00.123"))
        #expect(millis.precision == .milliseconds)
        #expect(millis.nanosecondsSinceEpoch == seconds.nanosecondsSinceEpoch + 123_000_000)
        let micros = try #require(timestamp("20200420-18:30:00.123456"))
        #expect(micros.nanosecondsSinceEpoch == seconds.nanosecondsSinceEpoch + 123_456_000)
        let nanos = try #require(timestamp("20200420-18:30:00.123456789"))
        #expect(nanos.precision == .nanoseconds)
        #expect(nanos.nanosecondsSinceEpoch == seconds.nanosecondsSinceEpoch + 123_456_789)
        for text in ["20200420-18:30:00", "20200420-18:30:00.123", "20200420-18:30:00.123456", "20200420-18:30:00.123456789"] {
            #expect(timestamp(text)?.description == text)
        }
    }

    @Test(arguments: ["", "20200420", "20200420-18:30", "20200420-24:00:00", "20200420-18:60:00", "20200420-18:30:61",
                      "20201320-18:30:00", "20200230-18:30:00", "20200420 18:30:00", "20200420-18:30:00.", "20200420-18:30:00.12",
                      "20200420-18:30:00.1234", "20200420-18:30:00.1234567890", "2020042a-18:30:00"])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(timestamp(text) == nil)
    }

    @Test func leapSecondAndLeapDay() {
        #expect(timestamp("20161231-23:59:60") != nil)
        #expect(timestamp("20240229-00:00:00") != nil)
        #expect(timestamp("20230229-00:00:00") == nil)
        #expect(timestamp("19000229-00:00:00") == nil)
        #expect(timestamp("20000229-00:00:00") != nil)
    }

    @Test func datesRoundTripThroughDayNumbers() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let date = FIXDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
        }
        #expect(FIXDate(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(FIXDate(year: 1969, month: 12, day: 31).daysSinceEpoch == -1)
        #expect(FIXTimestamp(nanosecondsSinceEpoch: -1, precision: .nanoseconds).description == "19691231-23:59:59.999999999")
    }

    @Test func utcDateOnlyAndLocalMktDate() {
        #expect(FIXDate(fixBytes: Array("20261124".utf8)) == FIXDate(year: 2026, month: 11, day: 24))
        #expect(FIXDate(fixBytes: Array("2026112".utf8)) == nil)
        #expect(FIXDate(fixBytes: Array("20261131".utf8)) == nil)
        #expect(FIXDate(year: 2026, month: 1, day: 5).description == "20260105")
    }

    @Test func utcTimeOnly() {
        #expect(FIXTimeOfDay(fixBytes: Array("07:05:09".utf8)) == FIXTimeOfDay(hour: 7, minute: 5, second: 9))
        #expect(FIXTimeOfDay(fixBytes: Array("07:05:09.5".utf8)) == nil)
        #expect(FIXTimeOfDay(fixBytes: Array("07:05:09.500".utf8))?.nanosecond == 500_000_000)
        #expect(FIXTimeOfDay(fixBytes: Array("7:05:09".utf8)) == nil)
    }

    @Test func monthYearForms() {
        #expect(FIXMonthYear(fixBytes: Array("202612".utf8)) == FIXMonthYear(year: 2026, month: 12))
        #expect(FIXMonthYear(fixBytes: Array("20261218".utf8)) == FIXMonthYear(year: 2026, month: 12, day: 18))
        #expect(FIXMonthYear(fixBytes: Array("202612w3".utf8)) == FIXMonthYear(year: 2026, month: 12, week: 3))
        #expect(FIXMonthYear(fixBytes: Array("202613".utf8)) == nil)
        #expect(FIXMonthYear(fixBytes: Array("202612w6".utf8)) == nil)
        #expect(FIXMonthYear(fixBytes: Array("2026123".utf8)) == nil)
        #expect(FIXMonthYear(year: 2026, month: 12, week: 3).description == "202612w3")
    }
}
