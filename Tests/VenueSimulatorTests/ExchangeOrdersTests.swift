import FIXCodec
import FIXJournal
import FIXVocabulary
import Foundation
import Instruments
import OrderEntry
import RiskSidecar
import SimulatedVenue
import Testing
import TestSupport
@testable import VenueSimulator

/// The venue simulator's exchange as a plain value: FIX requests in, the reports an exchange
/// sends out, on the standard listing of its trading day (24 November 2026) with a seeded market. Time is the
/// test's, never the machine's.
struct ExchangeBench {
    static let start = TestClock.start.nanosecondsSinceEpoch
    var exchange: ExchangeOrders
    var now = ExchangeBench.start
    var sequence = 2

    /// With no limits of the venue's own: market-order protection alone, as `wellhead serve` gives it.
    /// Starting at `start` (the test clock's start unless given).
    init(limits: RiskLimits = RiskLimits(firm: LimitSet(marketProtection: .ticks(100))), seed: UInt64 = 7,
         start: Int64 = ExchangeBench.start, participantSymbols: VenueDialect = VenueDialect()) throws {
        let reference = InstrumentReference.standard
        let catalog = reference.catalog(on: TradingCalendar.aroundTheClock.tradingDate(at: start))
        let risk = RiskSidecar(limits: limits, contracts: reference.products.map(\.spec))
        let venue = try SimulatedVenue(catalog: catalog, seed: seed, startTime: start)
        exchange = ExchangeOrders(venue: venue, risk: risk, participantSymbols: participantSymbols, now: start)
        now = start
    }

    /// Sends `35=<msgType>` from `session` with `fields` (`|`-separated); what the exchange sent.
    mutating func send(_ msgType: String, _ fields: String, from session: String = "QA1") -> [FIXMessage] {
        let bytes = Counterparty(senderCompID: session, targetCompID: "SIMVENUE")
            .message(msgType, seq: sequence, at: FIXTimestamp(nanosecondsSinceEpoch: now), fields)
        sequence += 1
        return Self.parse(exchange.handle(try! FIXMessage(parsing: bytes), from: session, now: now) ?? [])
    }

    /// A NewOrderSingle (a day limit order for one CLF7 unless told otherwise).
    mutating func order(_ clOrdID: String, side: Int = 1, quantity: Int = 1, type: Int = 2, price: String? = nil, tif: Int = 0,
                        symbol: String = "CLF7", from session: String = "QA1") -> [FIXMessage] {
        var fields = "11=\(clOrdID)|55=\(symbol)|54=\(side)|38=\(quantity)|40=\(type)|59=\(tif)|"
        if let price { fields += "44=\(price)|" }
        return send("D", fields + "60=\(FIXTimestamp(nanosecondsSinceEpoch: now))|", from: session)
    }

    /// A price `offsetTicks` from CLF7's mark, on its grid: negative rests as a bid.
    func price(offsetTicks: Int64, symbol: String = "CLF7") -> String {
        let instrument = exchange.catalog.instrument(symbol: symbol)!
        let mark = exchange.venue.mark(symbol: symbol)!
        return instrument.price(ticks: instrument.ticks(for: mark.rounded(toScale: instrument.tickSize.scale))! + offsetTicks).description
    }

    static func parse(_ messages: [ExchangeMessage]) -> [FIXMessage] {
        messages.map { message in
            var builder = FIXMessageBuilder(msgType: message.type.rawValue)
            builder.header.append(49, "SIMVENUE")
            builder.header.append(56, message.session)
            builder.body = message.body
            return try! FIXMessage(parsing: builder.encode())
        }
    }

    /// Journals what the exchange decided into the SQLite file at `path`, as the venue does.
    mutating func journal(to path: String) async throws {
        let journal = try Journal(path: path)
        try await journal.write(exchange.drainRecords().map { .event(kind: $0.kind, time: $0.time, json: $0.json) })
        journal.close()
    }
}

extension FIXMessage {
    var execType: String? { self[150]?.string }
    var ordStatus: String? { self[39]?.string }
}

@Suite struct ExchangeOrdersTests {
    @Test func anAcceptedOrderIsNewAtOnceUnderTheExchangesOrderIDWithoutPendingNew() throws {
        var bench = try ExchangeBench()
        let reports = bench.order("B1", quantity: 2, price: bench.price(offsetTicks: -40))
        #expect(reports.map(\.execType) == ["0"], "New first, no PendingNew")
        let new = try #require(reports.first)
        #expect(new[37]?.string == "SIM-00000001" && new[11]?.string == "B1" && new.ordStatus == "0")
        #expect(new[1]?.string == "QA1", "a participant trades under its own CompID")
        #expect(new[151]?.decimal == FIXDecimal(2) && new[14]?.decimal == FIXDecimal(0))
        #expect(bench.order("B2", price: bench.price(offsetTicks: -41)).first?[37]?.string == "SIM-00000002")
    }

    @Test func aMarketableOrderIsNewThenFilledWithExactQuantities() throws {
        var bench = try ExchangeBench()
        let reports = bench.order("F1", quantity: 3, price: bench.price(offsetTicks: 50))
        #expect(reports.first?.execType == "0")
        #expect(reports.dropFirst().allSatisfy { $0.execType == "F" } && reports.count > 1)
        let last = try #require(reports.last)
        #expect(last.ordStatus == "2" && last[14]?.decimal == FIXDecimal(3) && last[151]?.decimal == FIXDecimal(0))
        let fills = reports.filter { $0.execType == "F" }
        let notional = fills.reduce(FIXDecimal.zero) { $0 + $1[31]!.decimal! * $1[32]!.decimal! }
        #expect(last[6]?.decimal == notional.divided(by: FIXDecimal(3), toScale: 8)?.normalized)
        #expect(Set(reports.compactMap { $0[17]?.string }).count == reports.count, "ExecIDs are unique")
        // A market order goes to the book capped by protection points, and fills.
        let market = bench.order("M1", quantity: 1, type: 1, tif: 3)
        #expect(market.first?.execType == "0" && market.last?.ordStatus == "2", "\(market.map(\.debugText))")
    }

    @Test func aCancelIsAnsweredCanceledUnderItsClOrdIDAndIsTooLateAfter() throws {
        var bench = try ExchangeBench()
        _ = bench.order("R1", quantity: 2, price: bench.price(offsetTicks: -40))
        let canceled = bench.send("F", "11=R1C|41=R1|55=CLF7|54=1|60=\(TestClock.start)|")
        #expect(canceled.map(\.execType) == ["4"], "the outcome, without a PendingCancel")
        #expect(canceled.first?[11]?.string == "R1C" && canceled.first?[41]?.string == "R1" && canceled.first?.ordStatus == "4")
        let again = try #require(bench.send("F", "11=R1C2|41=R1C|55=CLF7|54=1|60=\(TestClock.start)|").first)
        #expect(again.msgType == "9" && again[102]?.int == 0 && again[434]?.int == 1, "too late to cancel: \(again.debugText)")
        #expect(again[58]?.string.contains("is canceled") == true)
    }

    @Test func aReplaceIsAnsweredReplacedWithTheNewTermsAndAStatusShowsThem() throws {
        var bench = try ExchangeBench()
        _ = bench.order("P1", quantity: 2, price: bench.price(offsetTicks: -40))
        let newPrice = bench.price(offsetTicks: -30)
        let replaced = bench.send("G", "11=P2|41=P1|55=CLF7|54=1|38=4|40=2|44=\(newPrice)|59=0|60=\(TestClock.start)|")
        #expect(replaced.map(\.execType) == ["5"])
        #expect(replaced.first?[11]?.string == "P2" && replaced.first?[41]?.string == "P1")
        #expect(replaced.first?[38]?.decimal == FIXDecimal(4) && replaced.first?[44]?.decimal == FIXDecimal(newPrice))
        let status = bench.send("H", "11=P2|55=CLF7|54=1|")
        #expect(status.first?.execType == "I" && status.first?[44]?.decimal == FIXDecimal(newPrice))
        // A replace may not change the side.
        let sideChange = try #require(bench.send("G", "11=P3|41=P2|55=CLF7|54=2|38=4|40=2|44=\(newPrice)|59=0|").first)
        #expect(sideChange.msgType == "9" && sideChange[102]?.int == 99 && sideChange[434]?.int == 2)
    }

    @Test func rejectsCarryTheReasonsFIXPrescribes() throws {
        var bench = try ExchangeBench()
        let price = bench.price(offsetTicks: -40)
        _ = bench.order("D1", price: price)
        let duplicate = try #require(bench.order("D1", price: price).first)
        #expect(duplicate.execType == "8" && duplicate.ordStatus == "8" && duplicate[103]?.int == 6)
        #expect(duplicate[37]?.string == "NONE" && duplicate[58]?.string.contains("duplicate ClOrdID D1") == true)
        let unknown = try #require(bench.order("U1", price: "70.00", symbol: "CLZ9").first)
        #expect(unknown[103]?.int == 1 && unknown[58]?.string.contains("unknown symbol CLZ9") == true)
        let offTick = try #require(bench.order("T1", price: "70.005").first)
        #expect(offTick[103]?.int == 0 && offTick[58]?.string.contains("tick grid") == true)
        let noQuantity = try #require(bench.order("Q1", quantity: 0, price: price).first)
        #expect(noQuantity[103]?.int == 13)
        // Cancels of orders the session does not have, or under a ClOrdID used already.
        let unknownOrder = try #require(bench.send("F", "11=X1|41=NOPE|55=CLF7|54=1|").first)
        #expect(unknownOrder.msgType == "9" && unknownOrder[102]?.int == 1 && unknownOrder[37]?.string == "NONE")
        let reused = try #require(bench.send("F", "11=D1|41=D1|55=CLF7|54=1|").first)
        #expect(reused.msgType == "9" && reused[102]?.int == 6)
        let otherSession = try #require(bench.send("F", "11=X2|41=D1|55=CLF7|54=1|", from: "QA2").first)
        #expect(otherSession[102]?.int == 1, "another participant's order is unknown to this one")
        let status = try #require(bench.send("H", "11=NOPE|55=CLF7|54=1|").first)
        #expect(status.execType == "I" && status.ordStatus == "8" && status[103]?.int == 5)
        // A halt: new orders refused, cancels still taken.
        bench.exchange.risk.setTradingState(.halted, for: .firm, by: "qa", now: bench.now)
        #expect(bench.order("H1", price: price).first?.execType == "8")
        #expect(bench.send("F", "11=D1C|41=D1|55=CLF7|54=1|").first?.execType == "4")
    }

    @Test func aMassCancelEndsTheSessionsWorkingOrdersAndAMassStatusReportsTheRest() throws {
        var bench = try ExchangeBench()
        _ = bench.order("A1", price: bench.price(offsetTicks: -40))
        _ = bench.order("A2", price: bench.price(offsetTicks: -41, symbol: "CLG7"), symbol: "CLG7")
        _ = bench.order("B1", price: bench.price(offsetTicks: -42), from: "QA2")
        let answer = bench.send("q", "11=MC1|530=7|60=\(TestClock.start)|")
        #expect(answer.first?.msgType == "r" && answer.first?[531]?.int == 7 && answer.first?[533]?.int == 2)
        #expect(answer.dropFirst().map(\.execType) == ["4", "4"])
        #expect(answer.dropFirst().allSatisfy { $0[58]?.string == "mass cancel MC1" })
        let theirs = bench.send("AF", "584=MS1|585=7|", from: "QA2")
        #expect(theirs.count == 1 && theirs.first?[11]?.string == "B1" && theirs.first?.execType == "I")
        #expect(theirs.first?[911]?.int == 1 && theirs.first?[912]?.string == "Y")
        let mine = try #require(bench.send("AF", "584=MS2|585=7|").first)
        #expect(mine.ordStatus == "8" && mine[58]?.string == "no working orders" && mine[911]?.int == 0)
        let unsupported = try #require(bench.send("q", "11=MC2|530=3|").first)
        #expect(unsupported[531]?.int == 0 && unsupported[532]?.int == 1)
    }

    @Test func aDisconnectCancelsDayOrdersAndTheDayEndExpiresThemKeepingGTC() throws {
        var bench = try ExchangeBench()
        _ = bench.order("DAY1", price: bench.price(offsetTicks: -40))
        _ = bench.order("GTC1", price: bench.price(offsetTicks: -41), tif: 1)
        _ = bench.order("DAY2", price: bench.price(offsetTicks: -42), from: "QA2")
        let dropped = ExchangeBench.parse(bench.exchange.disconnected("QA1", loggedOut: false, now: bench.now))
        #expect(dropped.map { $0[11]?.string } == ["DAY1"] && dropped.first?[58]?.string == "cancel on disconnect")
        let (dayEnd, sent) = bench.exchange.roll(by: "qa", reason: "drill", now: bench.now)
        let expired = ExchangeBench.parse(sent)
        #expect(expired.map { $0[11]?.string } == ["DAY2"] && expired.first?.execType == "C", "\(expired.map(\.debugText))")
        #expect(dayEnd.tradingDate == "2026-11-24" && dayEnd.nextTradingDate == "2026-11-25")
        #expect(dayEnd.orders.map(\.clOrdID) == ["GTC1"] && dayEnd.expired == ["SIM-00000003"])
        // A new day: the ClOrdIDs of finished orders may be used again, the GTC order's may not.
        #expect(bench.order("DAY1", price: bench.price(offsetTicks: -40)).first?.execType == "0")
        #expect(bench.order("GTC1", price: bench.price(offsetTicks: -40)).first?[103]?.int == 6)
    }

    @Test func aKillSwitchCancelsWhatItCoversRefusesNewOrdersUntilReleasedAndIsJournaled() throws {
        var bench = try ExchangeBench()
        _ = bench.order("K1", price: bench.price(offsetTicks: -40), tif: 1)
        _ = bench.order("K2", price: bench.price(offsetTicks: -41), from: "QA2")
        let cancels = ExchangeBench.parse(bench.exchange.engageKillSwitch(.session("QA1"), by: "maria", reason: "drill", now: bench.now))
        #expect(cancels.map { $0[11]?.string } == ["K1"] && cancels.first?.execType == "4")
        #expect(cancels.first?[58]?.string == "kill switch: drill")
        #expect(bench.order("K3", price: bench.price(offsetTicks: -40)).first?.execType == "8", "refused while engaged")
        #expect(bench.order("K4", price: bench.price(offsetTicks: -40), from: "QA2").first?.execType == "0", "another session trades on")
        #expect(bench.exchange.releaseKillSwitch(.session("QA1"), by: "maria", now: bench.now) != nil)
        #expect(bench.exchange.releaseKillSwitch(.session("QA1"), by: "maria", now: bench.now) == nil, "released already")
        #expect(bench.order("K5", price: bench.price(offsetTicks: -40)).first?.execType == "0")
        #expect(bench.exchange.drainRecords().filter { $0.kind == "exchange.killSwitch" }.count == 2, "engaged and released")
    }

    @Test func workingOrdersComeBackFromTheJournalFileOntoTheBooksUnderTheirOrderIDs() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("venue.sqlite")
        var before = try ExchangeBench()
        _ = before.order("W1", quantity: 3, price: before.price(offsetTicks: -40), tif: 1)
        _ = before.order("W2", quantity: 2, price: before.price(offsetTicks: -45))
        _ = before.order("C1", price: before.price(offsetTicks: -50))
        _ = before.send("F", "11=C1X|41=C1|55=CLF7|54=1|")
        _ = before.order("F1", quantity: 1, price: before.price(offsetTicks: 50))
        _ = before.send("G", "11=W2R|41=W2|55=CLF7|54=1|38=5|40=2|44=\(before.price(offsetTicks: -44))|59=0|")
        try await before.journal(to: path)

        var after = try ExchangeBench()
        let reader = try Journal(path: path)
        let rows = try ExchangeJournalRow.restorePoint(in: reader)
        reader.close()
        let (restored, reports) = try after.exchange.restore(rows, now: after.now)
        #expect(restored.orders == 4 && restored.workingOrders == 2 && restored.nextOrderNumber == 5)
        #expect(reports.isEmpty, "nothing reported twice")
        #expect(after.exchange.orderList() == before.exchange.orderList())
        #expect(Set(after.exchange.venue.workingOrders().map(\.leavesQuantity)) == [3, 5], "back on the books for what is left")
        // The restored orders are the participant's still: found, replaced and cancelled by
        // their ClOrdIDs, which stay used.
        #expect(after.send("H", "11=W2R|55=CLF7|54=1|").first?[38]?.decimal == FIXDecimal(5))
        #expect(after.order("W1", price: after.price(offsetTicks: -40)).first?[103]?.int == 6)
        let canceled = after.send("F", "11=W1X|41=W1|55=CLF7|54=1|")
        #expect(canceled.first?.execType == "4" && canceled.first?[37]?.string == "SIM-00000001")
        #expect(after.order("N1", price: after.price(offsetTicks: -40)).first?[37]?.string == "SIM-00000005")
    }

    @Test func aRestartAfterTheDaysEndExpiresThatDaysOrdersAtTheFirstTick() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("venue.sqlite")
        var before = try ExchangeBench()
        _ = before.order("DAY1", price: before.price(offsetTicks: -40))
        _ = before.order("GTC1", price: before.price(offsetTicks: -41), tif: 1)
        try await before.journal(to: path)
        // Down over the day's end: started again the next morning.
        let nextMorning = ExchangeBench.start + 24 * 3_600_000_000_000
        var after = try ExchangeBench(start: nextMorning)
        let reader = try Journal(path: path)
        let rows = try ExchangeJournalRow.restorePoint(in: reader)
        reader.close()
        let (restored, _) = try after.exchange.restore(rows, now: nextMorning)
        #expect(restored.workingOrders == 2)
        #expect(after.exchange.tradingDate == CalendarDate(year: 2026, month: 11, day: 24)!, "the day the orders were entered")
        let rolled = after.exchange.rollIfDue(now: nextMorning)
        let (dayEnd, sent) = try #require(rolled)
        let expired = ExchangeBench.parse(sent)
        #expect(expired.map { $0[11]?.string } == ["DAY1"] && expired.first?.execType == "C", "\(expired.map(\.debugText))")
        #expect(dayEnd.nextTradingDate == "2026-11-25" && dayEnd.orders.map(\.clOrdID) == ["GTC1"])
        let again = after.exchange.rollIfDue(now: nextMorning)
        #expect(again == nil, "rolled once")
    }

    @Test func aRestoreReadsFromTheLastDayEndAndAnUnreadableRowIsNamed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("venue.sqlite")
        var before = try ExchangeBench()
        _ = before.order("G1", price: before.price(offsetTicks: -40), tif: 1)
        _ = before.order("D1", price: before.price(offsetTicks: -41))
        _ = before.exchange.roll(by: "qa", reason: "drill", now: before.now)
        _ = before.order("D2", price: before.price(offsetTicks: -42))
        try await before.journal(to: path)
        let reader = try Journal(path: path)
        let rows = try ExchangeJournalRow.restorePoint(in: reader)
        reader.close()
        #expect(rows.first?.kind == ExchangeDayEnd.kind)
        var after = try ExchangeBench()
        let (restored, _) = try after.exchange.restore(rows, now: after.now)
        #expect(restored.workingOrders == 2 && after.exchange.orderList().map(\.clOrdID) == ["G1", "D2"])
        #expect(after.exchange.tradingDate == CalendarDate(year: 2026, month: 11, day: 25)!)

        var broken = try ExchangeBench()
        do {
            _ = try broken.exchange.restore([ExchangeJournalRow(id: 41, kind: ExchangeOrders.orderKind, time: ExchangeBench.start, json: #"{"order":{}}"#)],
                                            now: ExchangeBench.start)
            Issue.record("a row that cannot be read was skipped")
        } catch {
            #expect("\(error)".contains("journal row 41 (exchange.order) cannot be restored"), "\(error)")
        }
    }
}

extension ExchangeOrdersTests {
    /// Participants that name Brent BRN, as ICE does (`VenueSymbolRoots=BZ:BRN`): their orders
    /// are read into the catalog's BZ, reports go out in BRN, and a mass cancel by their symbol
    /// finds the order; no message is rewritten on the way.
    @Test func participantsTradeInTheirOwnSymbolsAndTheBooksInTheCatalogs() throws {
        var bench = try ExchangeBench(participantSymbols: VenueDialect(roots: ["BZ": "BRN"]))
        let brent = try #require(bench.exchange.catalog.frontMonth(root: "BZ")).symbol
        let theirs = "BRN" + brent.dropFirst(2)
        let new = try #require(bench.order("B1", price: bench.price(offsetTicks: -30, symbol: brent), symbol: theirs).first)
        #expect(new[150]?.string == "0" && new[55]?.string == theirs)
        #expect(bench.exchange.orders.values.first?.terms.symbol == brent)
        let canceled = bench.send("q", "11=MC1|530=1|55=\(theirs)|60=\(FIXTimestamp(nanosecondsSinceEpoch: bench.now))|")
        #expect(canceled.first?[55]?.string == theirs && canceled.first?[533]?.int == 1)
        #expect(canceled.last?[150]?.string == "4" && canceled.last?[55]?.string == theirs)
    }
}
