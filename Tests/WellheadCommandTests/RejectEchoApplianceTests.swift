import FIXCodec
import Foundation
import Testing
import TestSupport

/// What an OMS on a real socket reads back when the appliance (running a profile that
/// validates against FIX 4.4's dictionary, as the demo does) rejects its order: its own
/// values, whatever the gateway could not trade.
@Suite(.serialized) struct RejectEchoApplianceTests {
    @Test func anOMSReadsItsOwnSideAndQuantityInTheRejects() throws {
        let appliance = try ServedProfile(counterparty: "OMS1", ourCompID: "WELLHEAD") { directory, port in
            try WellheadProfiles.gatewayAcceptor(in: directory, port: port)
        }
        defer { appliance.stop() }
        #expect(appliance.server.waitForOutput("accepting connections"), "\(appliance.server.output)")
        let oms = Counterparty()
        let client = try RawFIXClient(port: appliance.port)
        try client.send(oms.logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        let symbol = appliance.symbol

        // Side 9 (cross short) is in FIX 4.4's Side enumeration: the session passes it to the
        // gateway, which trades only buy and sell.
        try client.send(oms.message("D", seq: 2, at: TestClock.wall(),
                                    "11=S9|55=\(symbol)|54=9|38=3|40=2|44=70.00|59=0|60=\(TestClock.wall())|"))
        let side = try #require(client.receive(until: "8").last)
        #expect(side.msgType == "8" && side[39]?.string == "8" && side[103]?.int == 11, "\(side[58]?.string ?? "")")
        #expect(side[54]?.string == "9" && side[38]?.string == "3" && side[55]?.string == symbol)

        // A negative OrderQty is a well-formed QTY: it too reaches the gateway.
        try client.send(oms.message("D", seq: 3, at: TestClock.wall(),
                                    "11=Q5|55=\(symbol)|54=2|38=-5|40=2|44=70.00|59=0|60=\(TestClock.wall())|"))
        let quantity = try #require(client.receive(until: "8").last)
        #expect(quantity[39]?.string == "8" && quantity[103]?.int == 13)
        #expect(quantity[38]?.string == "-5" && quantity[54]?.string == "2")

        // Side Z is no FIX 4.4 Side: the session rejects it before the gateway sees it.
        try client.send(oms.message("D", seq: 4, at: TestClock.wall(),
                                    "11=SZ|55=\(symbol)|54=Z|38=1|40=2|44=70.00|59=0|60=\(TestClock.wall())|"))
        let invalid = try #require(client.receive(until: "3").last)
        #expect(invalid.msgType == "3" && invalid[373]?.int == 5 && invalid[371]?.int == 54)

        try client.send(oms.message("5", seq: 5, at: TestClock.wall()))
        #expect(client.receive(until: "5").last?.msgType == "5")
    }
}
