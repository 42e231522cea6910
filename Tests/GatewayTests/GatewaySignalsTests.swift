import FIXCodec
@testable import Gateway
import Instruments
import MarketData
import MarketDataFeed
import OrderEntry
import Signals
import Testing
import TestSupport

/// The signals in the gateway: the in-process venue's books and tape through the market-data
/// normalizer into a `SignalSet`, each root's composite published as `SIG.<ROOT>.COMPOSITE`
/// (an Index Value entry, the score as MDEntryPx, direction and confidence in Text), and each
/// direction change kept for the journal. Time is the harness's: minutes of bars pass in
/// milliseconds.
@Suite struct GatewaySignalsTests {
    /// One-minute bars, short periods, low thresholds: a composite within a minute of market
    /// and direction changes within a few.
    static let quickYAML = """
        interval: 1m
        roots:
          CL:
            horizon: 5m
            thresholds: {entry: 0.05, exit: 0.01, minimumConfidence: 0}
            weights: {rsi: 0.5, carry: 0.5}
            indicators: {rsi: 2, macd: [2, 3, 2], atr: 2, bollinger: 2, momentum: 2}
            termStructure: {history: 3, spreadMomentum: 2, basisMomentum: 2}
        """

    /// One-minute bars, weight only on CL's carry: a composite from the first bar, read off the curve.
    static let carryYAML = """
        interval: 1m
        roots:
          CL:
            weights: {carry: 1}
        """

    static func subscribe(_ marketData: GatewayMarketData, _ harness: GatewayHarness, _ symbol: String, id: String = "SIG1")
        -> [(msgType: String, body: FIXFieldList)] {
        let request = Counterparty(senderCompID: "OMS1").message(
            "V", seq: 9, at: FIXTimestamp(nanosecondsSinceEpoch: harness.now),
            "262=\(id)|263=1|264=1|265=1|267=1|269=3|146=1|55=\(symbol)|")
        return marketData.handle(try! FIXMessage(parsing: request), from: "OMS1", gateway: harness.gateway, now: harness.now)
    }

    static func parse(_ msgType: String, _ body: FIXFieldList) throws -> FIXMessage {
        var builder = FIXMessageBuilder(msgType: msgType)
        builder.body = body
        return try FIXMessage(parsing: builder.encode())
    }

    @Test func aScoreIsRoundedToFourDecimalsWithNoBinaryFraction() {
        #expect(GatewaySignals.decimal(0.123456).description == "0.1235")
        #expect(GatewaySignals.decimal(-0.99995).description == "-1.0000")
        #expect(GatewaySignals.decimal(0.1).description == "0.1000")
        #expect(GatewaySignals.decimal(.nan).description == "0.0000")
        #expect(GatewaySignals.text(direction: .long, confidence: 0.61234) == "direction=LONG confidence=0.6123")
    }

    @Test func onlyConfiguredRootsAreSignalInstruments() throws {
        let harness = try GatewayHarness()
        let marketData = GatewayMarketData(catalog: harness.catalog, venueDialects: [:], signals: .standard)
        let snapshot = Self.subscribe(marketData, harness, "SIG.CL.COMPOSITE")
        #expect(snapshot.map(\.msgType) == ["W"])
        for unknown in ["SIG.XX.COMPOSITE", "SIG.CL.RSI", "SIG..COMPOSITE", "SIG.CL"] {
            let reply = Self.subscribe(marketData, harness, unknown, id: "U-\(unknown)")
            #expect(reply.map(\.msgType) == ["Y"], "\(unknown)")
            let reject = try Self.parse("Y", try #require(reply.first).body)
            #expect(reject[281]?.string == "0", "unknown symbol, as for any other: \(unknown)")
        }
    }

    /// Events in (the venue's moving books and prints, bars closing on the harness's clock),
    /// composite out (the engine's score), FIX entries out (a snapshot, then incrementals when
    /// the score moves), and direction changes for the journal.
    @Test func theVenuesMarketFeedsTheCompositeAndItsUpdatesArePublished() throws {
        var harness = try GatewayHarness()
        let configuration = try SignalConfiguration.parse(yaml: Self.quickYAML, file: "quick.yaml")
        let marketData = GatewayMarketData(catalog: harness.catalog, venueDialects: [:], signals: configuration)
        _ = marketData.publish(gateway: harness.gateway, now: harness.now)  // the tape is recorded from here

        let first = Self.subscribe(marketData, harness, "SIG.CL.COMPOSITE")
        #expect(first.map(\.msgType) == ["W"])
        let snapshot = try Self.parse("W", try #require(first.first).body)
        #expect(snapshot[55]?.string == "SIG.CL.COMPOSITE")
        #expect(snapshot[268]?.int == 0, "no bar has closed: no score yet")

        var updates: [FIXMessage] = []
        var changes: [GatewayAuditEvent] = []
        // Twelve minutes of market, published every quarter second as the appliance does.
        for _ in 0..<(12 * 240) {
            _ = harness.advance(seconds: 0.25)
            for out in marketData.publish(gateway: harness.gateway, now: harness.now) where out.session == "OMS1" {
                #expect(out.msgType == "X")
                updates.append(try Self.parse(out.msgType, out.body))
            }
            changes += marketData.drainSignalChanges()
        }
        let engine = try #require(marketData.signals.engine("CL"))
        #expect(engine.bars >= 10, "a bar of the front month each minute: \(engine.bars)")
        let score = try #require(engine.score)
        #expect(updates.count >= 2, "the score moved at more than one bar: \(updates.count)")

        // Each update is one Index Value entry of the signal, its score at four decimals with
        // the direction and confidence beside it; the last is the engine's score now.
        for update in updates {
            #expect(update[262]?.string == "SIG1")
            #expect(update[268]?.int == 1)
            #expect(update[269]?.string == "3")
            #expect(update[55]?.string == "SIG.CL.COMPOSITE")
            let px = try #require(update[270]?.string)
            #expect(px.split(separator: ".").last?.count == 4, "\(px)")
            #expect(update[58]?.string.hasPrefix("direction=") == true)
        }
        let last = try #require(updates.last)
        #expect(last[270]?.string == GatewaySignals.decimal(score).description)
        #expect(last[58]?.string == GatewaySignals.text(direction: engine.direction, confidence: engine.confidence))

        // A new subscriber's snapshot has the score as it stands.
        let again = try Self.parse("W", try #require(Self.subscribe(marketData, harness, "SIG.CL.COMPOSITE", id: "SIG2").first).body)
        #expect(again[268]?.int == 1 && again[269]?.string == "3")
        #expect(again[270]?.string == GatewaySignals.decimal(score).description)
        #expect(again[58]?.string == GatewaySignals.text(direction: engine.direction, confidence: engine.confidence))

        // Every direction change is kept for the journal, as the record has them.
        #expect(!changes.isEmpty, "the composite took a direction")
        #expect(changes.count == engine.record.pending.count + engine.record.recent.count)
        for change in changes {
            #expect(change.kind == "signal.direction")
            for key in ["\"root\":\"CL\"", "\"previous\":", "\"direction\":", "\"score\":", "\"confidence\":", "\"frontPrice\":",
                        "\"frontMonth\":", "\"time\":"] {
                #expect(change.json.contains(key), "\(key) in \(change.json)")
            }
        }
    }

    /// The curve and the spreads reach the engines: with weights only on carry, a composite
    /// exists from the first bar and is the carry's.
    @Test func theCurveIsObservedAtEachBar() throws {
        var harness = try GatewayHarness()
        let marketData = GatewayMarketData(catalog: harness.catalog, venueDialects: [:],
                                           signals: try SignalConfiguration.parse(yaml: Self.carryYAML, file: "carry.yaml"))
        for _ in 0..<(3 * 240) {
            _ = harness.advance(seconds: 0.25)
            _ = marketData.publish(gateway: harness.gateway, now: harness.now)
        }
        let engine = try #require(marketData.signals.engine("CL"))
        #expect(engine.bars >= 2)
        #expect(engine.termStructure.latest != nil)
        #expect(engine.score != nil)
        #expect(engine.composite.value(of: .carry) != nil)
    }

    /// A FIX venue's market feeds the signals in place of the in-process venue's: once the
    /// venue has sent its books of CL, the front month's bars close at the venue's prints and
    /// the curve is the venue's, though the in-process simulator (near $70) moves on beside it.
    @Test func aFIXVenuesBooksAndPrintsFeedTheSignals() throws {
        var harness = try GatewayHarness()
        let marketData = GatewayMarketData(catalog: harness.catalog, venueDialects: ["ICEVENUE": VenueDialect()],
                                           signals: try SignalConfiguration.parse(yaml: Self.carryYAML, file: "carry.yaml"))
        _ = marketData.venueLoggedOn("ICEVENUE")
        let months = harness.catalog.futures(root: "CL").prefix(2).map(\.symbol)
        #expect(months.count == 2)
        var sequence = 2
        func venue(_ msgType: String, _ fields: String) throws {
            let bytes = Counterparty(senderCompID: "ICEVENUE", targetCompID: "GATEWAY")
                .message(msgType, seq: sequence, at: FIXTimestamp(nanosecondsSinceEpoch: harness.now), fields)
            sequence += 1
            _ = try marketData.venueData(try FIXMessage(parsing: bytes), from: "ICEVENUE", gateway: harness.gateway, now: harness.now)
        }
        // The venue's CL: the front at 40.00 / 40.04, the second at 42.00 / 42.04 (contango).
        for (symbol, bid) in zip(months, ["40.00", "42.00"]) {
            let ask = (FIXDecimal(bid)! + FIXDecimal("0.04")!).description
            try venue("W", "262=WH-\(symbol)|55=\(symbol)|268=2|269=0|270=\(bid)|271=5|269=1|270=\(ask)|271=5|")
        }
        _ = marketData.publish(gateway: harness.gateway, now: harness.now)
        // Three minutes: every 5 s the venue prints the front month at 40.01, 40.02, ..., and
        // the gateway publishes every quarter second.
        var prints: [FIXDecimal] = []
        for step in 1...(3 * 240) {
            _ = harness.advance(seconds: 0.25)
            if step % 20 == 0 {
                let price = FIXDecimal("40.00")! + FIXDecimal(mantissa: Int64(prints.count % 4 + 1), scale: 2)
                prints.append(price)
                try venue("X", "262=WH-\(months[0])|268=1|279=0|269=2|55=\(months[0])|270=\(price)|271=1|")
            }
            _ = marketData.publish(gateway: harness.gateway, now: harness.now)
        }
        let engine = try #require(marketData.signals.engine("CL"))
        #expect(engine.bars >= 2, "a bar of the venue's prints each minute: \(engine.bars)")
        let close = try #require(engine.frontPrice)
        #expect((40.0...40.05).contains(close), "the last bar closed at a venue print, not the simulator's price: \(close)")
        let curve = try #require(engine.termStructure.latest)
        #expect(abs(curve.frontPrice - 40.02) < 1e-9 && abs(curve.secondPrice - 42.02) < 1e-9,
                "the curve is the venue's mids: \(curve.frontPrice), \(curve.secondPrice)")
        #expect(try #require(engine.termStructure.carry) < 0, "contango: negative carry")
        // The in-process simulator is still far from the venue's market.
        let simulated = try #require(harness.gateway.mark(symbol: months[0]))
        #expect(simulated > FIXDecimal(50), "\(simulated)")
        // The console's derived prices are the venue's too: the front calendar spread at -2.00.
        let spread = "\(months[0])-\(months[1])"
        let price = try #require(marketData.view().derived.first { $0.symbol == spread }?.price,
                                 "\(marketData.view().derived.map(\.symbol))")
        #expect(price == FIXDecimal("-2.00"), "\(price)")
    }
}
