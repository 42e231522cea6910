import FIXCodec
@testable import Gateway
import Testing
import TestSupport

/// Reports about requests that never became orders carry the OMS's own values, as it sent
/// them, and leave out what it did not send: never a Side, quantity, type or ClOrdID of the
/// gateway's making, and never an empty field.
@Suite struct RejectEchoTests {
    @Test func anOrderWithASideTheGatewayCannotTradeIsRejectedWithThatSide() throws {
        var harness = try GatewayHarness()
        let report = try #require(harness.order("S9", side: 9, quantity: 3, price: "70.00", tif: 1).first)
        #expect(report.execType == "8" && report.ordStatus == "8")
        #expect(report[103]?.int == 11)
        #expect(report[54]?.string == "9", "the OMS's Side, not a buy")
        #expect(report[38]?.string == "3" && report[40]?.string == "2" && report[44]?.string == "70.00" && report[59]?.string == "1")
        #expect(report[55]?.string == "CLF7" && report[11]?.string == "S9")
        #expect(Self.emptyFields(report).isEmpty)
    }

    @Test func anOrderWithANegativeQuantityIsRejectedWithThatQuantity() throws {
        var harness = try GatewayHarness()
        let report = try #require(harness.order("Q5", side: 2, quantity: -5, price: "70.00").first)
        #expect(report[103]?.int == 13)
        #expect(report[38]?.string == "-5", "the OMS's OrderQty, not 0")
        #expect(report[54]?.string == "2")
        #expect(report[58]?.string.contains("OrderQty -5") == true)
    }

    @Test func aRejectEchoesValuesAsWrittenAndLeavesOutWhatTheOMSLeftOut() throws {
        var harness = try GatewayHarness()
        // No TimeInForce, a quantity written with decimals, and an OrdType the gateway does not route.
        let answer = harness.send("D", "11=P1|55=CLF7|54=1|38=2.0|40=P|44=70.10|60=\(TestClock.start)|").map(\.message)
        let report = try #require(answer.first)
        #expect(report[40]?.string == "P" && report[38]?.string == "2.0" && report[44]?.string == "70.10")
        #expect(report[59] == nil, "no TimeInForce was sent, so none is reported")
        #expect(report[99] == nil && report[126] == nil)
        #expect(report[1] == nil, "the order could not be read, so no account was attributed to it")
        #expect(Self.emptyFields(report).isEmpty)
    }

    @Test func aRejectOfAReadableOrderReportsTheAccountItWasReadFor() throws {
        var harness = try GatewayHarness()
        let report = try #require(harness.order("U1", side: 2, quantity: 4, price: "70.00", symbol: "ZZF7").first)
        #expect(report[103]?.int == 1)
        #expect(report[1]?.string == "DESK1", "the session's default account")
        #expect(report[54]?.string == "2" && report[38]?.string == "4" && report[55]?.string == "ZZF7")
    }

    /// An order a venue refuses before it is sent there (the venue has halted trading).
    @Test func aRefusedOrderEchoesTheOMSsValuesToo() throws {
        var harness = try GatewayHarness(fixVenues: ["FIXSIM": "SIMVENUE"])
        _ = harness.gateway.venueSession("SIMVENUE", up: true, now: harness.now)
        harness.gateway.venueStatus(VenueRouteTests.venueMessage("h", "336=SIM|325=Y|340=1|58=halted|", harness: harness),
                                    from: "SIMVENUE", now: harness.now)
        let out = harness.send("D", "11=H1|55=CLF7|54=2|38=7|40=3|99=68.50|59=0|100=FIXSIM|60=\(TestClock.start)|")
        let report = try #require(out.first?.message)
        #expect(report[103]?.int == 2)
        #expect(report[54]?.string == "2" && report[38]?.string == "7" && report[40]?.string == "3" && report[99]?.string == "68.50")
        #expect(report[44] == nil)
    }

    @Test func anUnknownOrdersStatusEchoesTheRequestsSideAndSymbol() throws {
        var harness = try GatewayHarness()
        let report = try #require(harness.send("H", "11=GONE|55=BZF7|54=5|").first?.message)
        #expect(report.execType == "I" && report.ordStatus == "8")
        #expect(report[54]?.string == "5" && report[55]?.string == "BZF7" && report[11]?.string == "GONE")
        #expect(report[38] == nil && report[40] == nil && report[59] == nil, "a status request names no quantity, type or TimeInForce")
    }

    @Test func aMassStatusWithNothingToReportNamesNoOrderAndNoMadeUpTerms() throws {
        var harness = try GatewayHarness()
        let report = try #require(harness.send("AF", "584=ALL|585=7|").first?.message)
        #expect(report.execType == "I" && report[584]?.string == "ALL" && report[911]?.int == 0)
        #expect(report[11] == nil, "the MassStatusReqID is not a ClOrdID")
        #expect(report[55] == nil && report[54] == nil && report[38] == nil && report[40] == nil && report[59] == nil)
        #expect(Self.emptyFields(report).isEmpty)
        let bySymbol = try #require(harness.send("AF", "584=BY|585=1|55=HOF7|54=2|").first?.message)
        #expect(bySymbol[55]?.string == "HOF7" && bySymbol[54]?.string == "2")
    }

    @Test func aCancelRejectLeavesOutAClOrdIDTheOMSDidNotSend() throws {
        var harness = try GatewayHarness()
        let reject = try #require(harness.send("F", "41=NOPE|55=CLF7|54=1|60=\(TestClock.start)|").first?.message)
        #expect(reject.msgType == "9")
        #expect(reject[11] == nil && reject[41]?.string == "NOPE")
        #expect(Self.emptyFields(reject).isEmpty)
    }

    /// The tags of fields sent with no value.
    static func emptyFields(_ message: FIXMessage) -> [Int] {
        (0..<message.count).filter { message.value(at: $0).string.isEmpty }.map { message.tag(at: $0) }
    }
}
