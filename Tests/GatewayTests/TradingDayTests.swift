import FIXCodec
import FIXJournal
import Foundation
@testable import Gateway
import Instruments
import RiskSidecar
import Testing
import TestSupport

/// The end of a trading day: day orders expire, GTC stays, positions are re-based at
/// settlement and everything counted per day starts again.
@Suite struct TradingDayTests {
    static let limits = """
        firm:
          maxOrderSize: 500
          marketProtection: {ticks: 100}
          dailyLoss: {limit: 5000000}
        accounts:
          DESK1:
            dailyLoss: {limit: 750000}
        """

    @Test func theDayEndExpiresDayOrdersKeepsGTCAndStartsTheDayAgain() throws {
        var harness = try GatewayHarness(limits: Self.limits)
        let day = harness.order("D1", quantity: 2, price: harness.price(offsetTicks: -60), tif: 0)
        let gtc = harness.order("G1", quantity: 3, price: harness.price(offsetTicks: -60), tif: 1)
        #expect(day.last?.ordStatus == "0" && gtc.last?.ordStatus == "0")
        let bought = harness.order("M1", quantity: 2, type: 1, tif: 3)
        let fill = try #require(bought.last)
        #expect(fill.ordStatus == "2")
        let ended = harness.gateway.dayStatus(now: harness.now).tradingDate

        let (record, reports) = harness.gateway.roll(by: "maria", reason: "drill", now: harness.now)
        let parsed = GatewayHarness.parse(reports)
        // The day order is reported expired, once; the GTC order is not touched.
        #expect(parsed.map { $0.message[11]?.string } == ["D1"], "\(parsed.map(\.message.debugText))")
        #expect(parsed.first?.message.execType == "C" && parsed.first?.message.ordStatus == "C")
        #expect(parsed.first?.message[58]?.string == "day order expired at the end of trading day \(ended)")
        #expect(record.tradingDate == ended && record.by == "maria" && record.reason == "drill")
        #expect(record.expired == [day.last?[37]?.string ?? ""])
        #expect(record.orders.map(\.clOrdID) == ["G1"])
        // The position is carried at settlement: the new day's P&L starts from it.
        let carried = try #require(record.positions.first)
        #expect(carried.account == "DESK1" && carried.symbol == "CLF7" && carried.quantity == 2)
        let position = try #require(harness.gateway.positions.position(account: "DESK1", symbol: "CLF7"))
        #expect(position.averagePrice == carried.settlement && position.realised == .zero)
        #expect(harness.gateway.dayStatus(now: harness.now).tradingDate == record.nextTradingDate)
        let loss = harness.gateway.risk.utilisation(now: harness.now).filter { $0.kind == .dailyLoss }
        #expect(!loss.isEmpty && loss.allSatisfy { $0.used == .zero }, "\(loss)")

        // Yesterday's ClOrdIDs may be used again; the GTC order is still cancelled by its own.
        #expect(harness.order("D1", quantity: 1, price: harness.price(offsetTicks: -60), tif: 0).last?.ordStatus == "0")
        #expect(harness.order("M1", quantity: 1, price: harness.price(offsetTicks: -60), tif: 0).last?.ordStatus == "0")
        let canceled = harness.send("F", "11=C1|41=G1|55=CLF7|54=1|60=\(FIXTimestamp(nanosecondsSinceEpoch: harness.now))|")
        #expect(canceled.last?.message.execType == "4", "\(canceled.map(\.message.debugText))")
    }

    @Test func aContractPastItsLastTradeDateIsDelistedAndTheNextMonthListed() throws {
        let front = try #require(InstrumentReference.standard.catalog(on: CalendarDate(year: 2026, month: 11, day: 25)!)
            .frontMonth(root: "CL"))
        var harness = try GatewayHarness(limits: Self.limits, tradingDate: front.lastTradeDate)
        let symbol = front.symbol
        let resting = harness.order("L1", quantity: 1, price: harness.price(offsetTicks: -60, symbol: symbol), tif: 1, symbol: symbol)
        #expect(resting.last?.ordStatus == "0")
        let before = Set(harness.gateway.catalog.instruments.map(\.symbol))

        let (record, reports) = harness.gateway.roll(by: "maria", reason: "expiry", now: harness.now)
        #expect(record.delisted.contains(symbol) && !harness.gateway.catalog.instruments.contains { $0.symbol == symbol })
        let expired = GatewayHarness.parse(reports).filter { $0.message[11]?.string == "L1" }
        #expect(expired.last?.message.execType == "C"
                && expired.last?.message[58]?.string == "\(symbol) expired: delisted at the end of trading day \(front.lastTradeDate)",
                "\(expired.map(\.message.debugText))")
        #expect(harness.order("L2", quantity: 1, price: "70.00", symbol: symbol).last?[58]?.string.contains("unknown instrument") == true)
        // The month listed anew quotes and trades.
        let listed = try #require(record.listed.first { $0.hasPrefix("CL") })
        #expect(!before.contains(listed) && harness.gateway.catalog.instrument(symbol: listed) != nil)
        let order = harness.order("L3", quantity: 1, type: 1, tif: 3, symbol: listed)
        #expect(order.last?.ordStatus == "2", "\(order.map(\.debugText))")
    }

    @Test func settlementPricesAreTakenAtTheCalendarsSettlementTimeAndPositionsRebasedAtThem() throws {
        var harness = try GatewayHarness(limits: Self.limits)
        _ = harness.order("S1", quantity: 2, type: 1, tif: 3)
        let status = harness.gateway.dayStatus(now: harness.now)
        let calendar = TradingCalendar.aroundTheClock
        let settlementTime = calendar.zone.instant(try #require(CalendarDate(iso: status.tradingDate)), minute: 14 * 60 + 30)
        #expect(harness.gateway.rollIfDue(now: settlementTime) == nil)
        let taken = harness.gateway.drainAudit().filter { $0.kind == "day.settlement" }
        #expect(taken.count == 1 && taken.first?.json.contains("CLF7 ") == true, "\(taken.map(\.json))")
        let settlement = try #require(harness.gateway.mark(symbol: "CLF7"))
        // The market moves on; the day's end still re-bases at the price taken at 14:30.
        harness.now = settlementTime
        _ = harness.advance(seconds: 60)
        let (record, _) = try #require(harness.gateway.rollIfDue(now: status.ends))
        #expect(record.settlements["CLF7"] == settlement)
        #expect(record.positions.first { $0.symbol == "CLF7" }?.settlement == settlement)
    }

    /// With CME's hours, an order to the simulated venue outside them is refused as exchange
    /// closed, in the daily break and at the weekend, and accepted inside them.
    @Test func outsideTheCalendarsHoursOrdersAreRejectedAsExchangeClosed() throws {
        let cme = try TradingCalendar.load(path: TestDictionaries.path("sessions/calendar-cme-energy.yaml"))
        var harness = try GatewayHarness(limits: Self.limits, calendar: cme)
        let utc = { (text: String) in Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970) * 1_000_000_000 }
        let cases: [(String, String?)] = [
            ("2026-11-24T15:00:00Z", "0"),  // Tuesday 10:00 New York
            ("2026-11-24T15:00:01Z", "0"),  // the same session again
            ("2026-11-24T22:30:00Z", nil),  // Tuesday 17:30: the daily break
            ("2026-11-24T23:30:00Z", "0"),  // Tuesday 18:30: Wednesday's session
            ("2026-11-28T15:00:00Z", nil),  // Saturday
        ]
        for (number, (instant, status)) in cases.enumerated() {
            harness.now = utc(instant)
            let report = try #require(harness.order("H\(number)", quantity: 1, price: "60.00", tif: 1).last)
            if let status {
                #expect(report.ordStatus == status, "\(instant): \(report.debugText)")
            } else {
                #expect(report.ordStatus == "8" && report[103]?.int == 2
                        && report[58]?.string.hasPrefix("exchange closed: the venue trades 18:00–17:00 America/New_York") == true,
                        "\(instant): \(report.debugText)")
            }
        }
    }

    /// A FIX venue with a calendar of its own (`TradingCalendar` on its route): outside its
    /// hours the gateway refuses new orders for it, naming the venue, while the in-process
    /// venue, around the clock, still takes them; inside them the order goes to the venue.
    @Test func aFIXVenuesOwnCalendarRefusesOrdersOutsideItsHours() throws {
        let cme = try TradingCalendar.load(path: TestDictionaries.path("sessions/calendar-cme-energy.yaml"))
        var harness = try GatewayHarness(limits: Self.limits, fixVenues: ["FIXSIM": "SIMVENUE"], venueCalendars: ["SIMVENUE": cme])
        _ = harness.gateway.venueSession("SIMVENUE", up: true, now: harness.now)
        harness.now = Int64(ISO8601DateFormatter().date(from: "2026-11-28T15:00:00Z")!.timeIntervalSince1970) * 1_000_000_000  // Saturday
        let refused = try #require(harness.order("S1", price: "60.00", tif: 1, extra: "100=FIXSIM|").last)
        #expect(refused.ordStatus == "8" && refused[103]?.int == 2
                && refused[58]?.string.hasPrefix("venue FIXSIM is closed: the venue trades 18:00–17:00 America/New_York") == true,
                "\(refused.debugText)")
        #expect(harness.order("S2", price: "60.00", tif: 1).last?.ordStatus == "0", "the in-process venue trades around the clock")
        harness.now = Int64(ISO8601DateFormatter().date(from: "2026-11-24T15:00:00Z")!.timeIntervalSince1970) * 1_000_000_000  // Tuesday
        let sent = harness.send("D", "11=S3|55=CLF7|54=1|38=1|40=2|44=60.00|59=1|100=FIXSIM|60=\(FIXTimestamp(nanosecondsSinceEpoch: harness.now))|")
        #expect(sent.map(\.session) == ["OMS1", "SIMVENUE"] && sent.last?.message.msgType == "D")
    }

    @Test func theDayEndsOnItsOwnWhenTheCalendarSays() throws {
        let harness = try GatewayHarness(limits: Self.limits)
        let status = harness.gateway.dayStatus(now: harness.now)
        #expect(status.open && status.calendar == "around the clock, the day ending at 17:00 America/New_York")
        #expect(harness.gateway.rollIfDue(now: status.ends - 1) == nil)
        let rolled = try #require(harness.gateway.rollIfDue(now: status.ends))
        #expect(rolled.0.tradingDate == status.tradingDate && rolled.0.by == nil)
        #expect(harness.gateway.dayStatus(now: status.ends).tradingDate == status.nextTradingDate)
        #expect(harness.gateway.rollIfDue(now: status.ends + 1) == nil, "one roll per day")
    }

    @Test func aDayOrderAtAFIXVenueIsCancelledThereAndReportedExpired() throws {
        var harness = try GatewayHarness(fixVenues: ["FIXSIM": "SIMVENUE"])
        _ = harness.gateway.venueSession("SIMVENUE", up: true, now: harness.now)
        _ = harness.send("D", "11=R1|55=CLF7|54=1|38=5|40=2|44=\(harness.price(offsetTicks: -20))|59=0|100=FIXSIM|60=\(TestClock.start)|")
        _ = harness.gateway.venueReport(VenueRouteTests.venueMessage(
            "8", "37=V1|11=WH00000001|17=E1|150=0|39=0|55=CLF7|54=1|38=5|151=5|14=0|6=0|", harness: harness), from: "SIMVENUE", now: harness.now)
        let (_, reports) = harness.gateway.roll(by: "maria", reason: "drill", now: harness.now)
        let toVenue = GatewayHarness.parse(reports).filter { $0.session == "SIMVENUE" }
        #expect(toVenue.map(\.message.msgType) == ["F"] && toVenue.first?.message[41]?.string == "WH00000001")
        let cancelID = try #require(toVenue.first?.message[11]?.string)
        let confirmed = GatewayHarness.parse(harness.gateway.venueReport(VenueRouteTests.venueMessage(
            "8", "37=V1|11=\(cancelID)|41=WH00000001|17=E2|150=4|39=4|55=CLF7|54=1|38=5|151=0|14=0|6=0|", harness: harness),
            from: "SIMVENUE", now: harness.now))
        let report = try #require(confirmed.last)
        #expect(report.session == "OMS1" && report.message.execType == "C" && report.message[11]?.string == "R1",
                "\(confirmed.map(\.message.debugText))")
    }

    /// Down over a day's end with no `day.end` journaled yet: the restart comes back on the
    /// trading day its events were written in, and the first tick ends it: yesterday's day
    /// order expires (reported), the GTC order stays.
    @Test func aRestartAfterADaysEndItMissedEndsThatDayAtTheFirstTick() async throws {
        var before = try GatewayHarness(limits: Self.limits)
        _ = before.order("D1", quantity: 1, price: before.price(offsetTicks: -60), tif: 0)
        _ = before.order("G1", quantity: 1, price: before.price(offsetTicks: -60), tif: 1)
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("gateway.sqlite")
        try before.journalDecisions(to: path)

        let after = try GatewayHarness(limits: Self.limits, tradingDate: CalendarDate(year: 2026, month: 11, day: 26)!)
        let (restored, _, _) = try after.restore(fromJournal: path)
        #expect(restored.workingOrders == 2)
        #expect(after.gateway.dayStatus(now: after.now).tradingDate == before.gateway.dayStatus(now: before.now).tradingDate)
        let (record, reports) = try #require(after.gateway.rollIfDue(now: after.now))
        #expect(record.expired == ["WH00000001"] && record.nextTradingDate == "2026-11-26")
        let expired = GatewayHarness.parse(reports).map(\.message).filter { $0.execType == "C" }
        #expect(expired.map { $0[11]?.string } == ["D1"])
        #expect(after.gateway.orders().filter { !$0.status.isTerminal }.map(\.clOrdID) == ["G1"])
    }

    /// Three days, two ends: a restart reads the last `day.end` and what followed, and has
    /// the same positions, working orders and trading day as before.
    @Test func aRestartAfterSeveralDaysRestoresFromTheLastDaysEnd() async throws {
        var before = try GatewayHarness(limits: Self.limits)
        _ = before.order("A1", quantity: 4, type: 1, tif: 3)
        _ = before.order("A2", quantity: 1, price: before.price(offsetTicks: -60), tif: 1)
        _ = before.gateway.roll(by: "maria", reason: "day one", now: before.now)
        _ = before.order("B1", side: 2, quantity: 1, type: 1, tif: 3)
        _ = before.order("B2", quantity: 2, price: before.price(offsetTicks: -70), tif: 1)
        _ = before.order("B3", quantity: 2, price: before.price(offsetTicks: -70), tif: 0)
        _ = before.gateway.roll(by: "maria", reason: "day two", now: before.now)
        _ = before.order("C1", quantity: 3, type: 1, tif: 3, symbol: "BZF7", from: "OMS2")
        _ = before.order("C2", quantity: 1, price: before.price(offsetTicks: -50), tif: 0)
        before.gateway.quote(JournalRestoreTests.pinned, now: before.now)

        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let writer = try Journal(path: directory.path("gateway.sqlite"))
        try await writer.write(before.gateway.drainAudit().map { .event(kind: $0.kind, time: $0.time, json: $0.json) })
        writer.close()
        let reader = try Journal(path: directory.path("gateway.sqlite"))
        defer { reader.close() }
        let records = try GatewayRecord.restorePoint(in: reader)
        #expect(records.first?.kind == "day.end" && records.filter { $0.kind == "day.end" }.count == 1, "only the last day's end is read")

        var after = try GatewayHarness(limits: Self.limits)
        let (restored, reports) = try after.gateway.restore(events: records, now: before.now)
        after.gateway.quote(JournalRestoreTests.pinned, now: before.now)
        #expect(reports.isEmpty)
        let working = { (gateway: OrderGateway) in gateway.orders().filter { !$0.status.isTerminal }.map(\.clOrdID).sorted() }
        #expect(working(after.gateway) == ["A2", "B2", "C2"] && working(before.gateway) == ["A2", "B2", "C2"])
        #expect(restored.workingOrders == 3)
        #expect(after.gateway.positions.positions().map(\.quantity) == before.gateway.positions.positions().map(\.quantity))
        #expect(after.gateway.dayStatus(now: before.now).tradingDate == before.gateway.dayStatus(now: before.now).tradingDate)
        let stateful = { (rows: [LimitUtilisation]) in Set(rows.filter { $0.kind != .orderRate && $0.kind != .messageRate }) }
        #expect(stateful(after.gateway.risk.utilisation(now: before.now)) == stateful(before.gateway.risk.utilisation(now: before.now)))
        // The next OrderID follows the last one ever given, not the last one still working.
        #expect(after.order("N1", quantity: 1, price: after.price(offsetTicks: -60)).last?[37]?.string
                == before.order("N1", quantity: 1, price: before.price(offsetTicks: -60)).last?[37]?.string)
    }
}
