import FIXCodec
import Foundation
import Instruments
import Testing
import TestSupport

/// The trading day in the running appliance: `wellhead day roll` ends it as its scheduled end
/// would, with the simulated venue in process and with a FIX venue in its own process; a
/// restart after several ends comes back from the last one; the demo trades at any hour.
@Suite(.serialized) struct DayRollTests {
    static let limits = """
        firm:
          maxOrderSize: 500
          marketProtection: {ticks: 100}
          maxPositionPerMonth: 4000
          dailyLoss: {limit: 5000000}
        """

    @Test func aRollExpiresDayOrdersKeepsGTCAndLetsYesterdaysClOrdIDsBack() throws {
        let appliance = try Appliance(limits: Self.limits)
        defer { appliance.stop() }
        var oms = try appliance.connect()
        #expect(try oms.order("D1", "54=1|38=2|40=2|44=1.00|59=0").last?[39]?.string == "0")
        #expect(try oms.order("G1", "54=1|38=3|40=2|44=1.00|59=1").last?[39]?.string == "0")
        #expect(try oms.order("M1", "54=1|38=2|40=1|59=3", until: ["2", "4", "8"]).last?[39]?.string == "2")

        let before = try appliance.command(["day", "status"])
        #expect(before.status == 0, "\(before.standardError)")
        let today = try #require(before.standardOutput.firstMatch(of: /trading day (\d{4}-\d\d-\d\d) \(open\)/)?.1).description
        let rolled = try appliance.command(["day", "roll", "--reason", "end-of-day drill"])
        #expect(rolled.status == 0, "\(rolled.standardError)")
        #expect(rolled.standardOutput.contains("trading day \(today) ended by os:\(NSUserName());")
                && rolled.standardOutput.contains("1 day order(s) expired, 1 working, 1 position(s) carried at settlement"),
                "\(rolled.standardOutput)")
        // The OMS hears of the expiry; the GTC order is untouched.
        let expired = try #require(oms.next(about: "D1"))
        #expect(expired[150]?.string == "C" && expired[39]?.string == "C" && expired[58]?.string.contains(today) == true,
                "\(expired.debugText)")
        // Yesterday's ClOrdIDs may be used again.
        #expect(try oms.order("D1", "54=1|38=1|40=2|44=1.00|59=0").last?[39]?.string == "0")
        #expect(try oms.order("M1", "54=2|38=1|40=1|59=3", until: ["2", "4", "8"]).last?[39]?.string == "2")
        let next = try appliance.command(["day", "status"]).standardOutput
        #expect(!next.contains("trading day \(today) "), "\(next)")

        // A second end, then a crash: the restart reads the last end and what came after.
        #expect(try appliance.command(["day", "roll", "--reason", "second day"]).status == 0)
        #expect(try oms.next(about: "D1")?[150]?.string == "C", "the new day order expired too")
        let dayBefore = try appliance.command(["day", "status"]).standardOutput
        let positions = try appliance.utilisation().filter { $0.key.hasPrefix("position") }
        try appliance.restart()
        oms = try appliance.connect(continuing: oms)
        #expect(appliance.server.output.contains("orders=1 working=1 [wellhead] restored from the journal"), "\(appliance.server.output.suffix(2000))")
        #expect(try appliance.command(["day", "status"]).standardOutput.prefix(30) == dayBefore.prefix(30))
        #expect(try appliance.utilisation().filter { $0.key.hasPrefix("position") } == positions)
        #expect(try oms.cancel("C1", orig: "G1").last?[150]?.string == "4", "the GTC order survived two ends and a crash")
    }

    /// Day by day until today's front month is past its last trade date: then it is delisted
    /// (its GTC order expired), and the month listed anew trades, all without a restart.
    @Test func rollsPastAnExpiryDelistTheContractAndListTheNextMonth() throws {
        let appliance = try Appliance(limits: Self.limits)
        defer { appliance.stop() }
        var oms = try appliance.connect()
        let listing = TodaysListing.catalog()
        let front = try #require(listing.frontMonth(root: "CL"))
        #expect(try oms.order("E1", "54=1|38=1|40=2|44=1.00|59=1", symbol: front.symbol).last?[39]?.string == "0")
        var tradingDate = listing.tradingDate
        var rolls = 0
        while tradingDate <= front.lastTradeDate {
            let rolled = try appliance.command(["day", "roll", "--reason", "to expiry"])
            #expect(rolled.status == 0, "\(rolled.standardError)")
            let next = try #require(rolled.standardOutput.firstMatch(of: /; (\d{4}-\d\d-\d\d) began/)?.1)
            tradingDate = try #require(CalendarDate(iso: String(next)))
            rolls += 1
            try #require(rolls < 60, "the front month never expired")
        }
        let expired = try #require(oms.next(about: "E1"))
        #expect(expired[150]?.string == "C" && expired[58]?.string.contains("\(front.symbol) expired: delisted") == true,
                "\(expired.debugText)")
        let refused = try oms.order("E2", "54=1|38=1|40=2|44=1.00|59=1", symbol: front.symbol)
        #expect(refused.last?[58]?.string.contains("unknown instrument \(front.symbol)") == true)
        let now = InstrumentReference.standard.catalog(on: tradingDate)
        let newMonth = try #require(now.futures(root: "CL").last { listing.instrument(symbol: $0.symbol) == nil })
        #expect(try oms.order("E3", "54=1|38=1|40=1|59=3", symbol: newMonth.symbol, until: ["2", "4", "8"]).last?[39]?.string == "2")
        // Its market data may be subscribed to at once: a snapshot, not a reject.
        let snapshot = try oms.marketData("MD1", symbol: newMonth.symbol)
        #expect(snapshot?.msgType == "W" && snapshot?[55]?.string == newMonth.symbol, "\(snapshot?.debugText ?? "no answer")")
    }

    @Test func aDayOrderAtAFIXVenueIsCancelledThereAtTheRollAndReportedExpired() throws {
        let venueFolder = TemporaryDirectory()
        defer { venueFolder.remove() }
        let venuePort = freePort()
        let venueConfig = try WellheadProfiles.venueAcceptor(in: venueFolder, port: venuePort, participants: ["GATEWAY"])
        let venue = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", venueConfig], log: venueFolder.path("venue.log"))
        defer {
            venue.signal(SIGTERM)
            _ = venue.wait(timeout: 10)
        }
        #expect(venue.waitForOutput("accepting connections"), "\(venue.output)")
        let appliance = try Appliance(limits: Self.limits, routeTo: venuePort)
        defer { appliance.stop() }
        var oms = try appliance.connect()
        #expect(try oms.order("V1", "54=1|38=2|40=2|44=1.00|59=0|100=FIXSIM").last?[39]?.string == "0")
        #expect(try oms.order("V2", "54=1|38=1|40=2|44=1.00|59=1|100=FIXSIM").last?[39]?.string == "0")
        #expect(try appliance.command(["day", "roll", "--reason", "venue drill"]).status == 0)
        let expired = try #require(oms.next(about: "V1"))
        #expect(expired[150]?.string == "C" && expired[39]?.string == "C", "\(expired.debugText)")
        // The GTC order is still working at the venue: a cancel reaches it.
        #expect(try oms.cancel("C2", orig: "V2").last?[150]?.string == "4")
    }

    @Test func theDemoProfileFillsAMarketOrderAtAnyHourOfAnyDay() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let port = freePort()
        // The shipped demo profile as it is, on a free port and a journal of its own.
        var text = try String(contentsOfFile: TestDictionaries.path("sessions/demo.cfg"), encoding: .utf8)
        text = text.replacingOccurrences(of: "SocketAcceptPort=9878", with: "SocketAcceptPort=\(port)")
            .replacingOccurrences(of: "JournalPath=../demo-journal.sqlite", with: "JournalPath=\(directory.path("demo.sqlite"))")
        for file in ["risk-limits.yaml", "instruments.yaml", "calendar-around-the-clock.yaml", "demo-signal-history.csv",
                     "../dictionaries/FIX44.xml"] {
            let absolute = URL(fileURLWithPath: TestDictionaries.path("sessions/\(file)")).standardized.path
            text = text.replacingOccurrences(of: "=\(file)\n", with: "=\(absolute)\n")
        }
        let config = directory.path("demo.cfg")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let server = try BackgroundProcess(WellheadProcess.executable.path, ["serve", "--config", config], log: directory.path("serve.log"))
        defer {
            server.signal(SIGTERM)
            _ = server.wait(timeout: 10)
        }
        #expect(server.waitForOutput("accepting connections"), "\(server.output)")
        // The signals started warm from the shipped history.
        #expect(server.output.contains("signal history read"), "\(server.output)")
        let symbol = try #require(ApplianceTests.frontMonth(on: Date()))
        var oms = try OMS(port: port, symbol: symbol, nextSeq: 1)
        let filled = try oms.order("DEMO1", "54=1|38=1|40=1|59=3", until: ["2", "4", "8"])
        #expect(filled.last?[39]?.string == "2", "\(filled.map(\.debugText))")
    }
}
