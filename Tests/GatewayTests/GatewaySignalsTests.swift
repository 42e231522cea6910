import FIXCodec
import Foundation
import FIXJournal
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
        // Each signal of a composite is an instrument too, as are the curve and the spreads.
        for listed in ["SIG.CL.RSI", "SIG.CL.CARRY", "SIG.CL.BRENTWTI", "SIG.CL.CURVE", "SIG.HO.CRACK211", "SIG.CRACK321.ZSCORE",
                       "SIG.CRACK211.ZSCORE", "SIG.BRENTWTI.ZSCORE"] {
            #expect(Self.subscribe(marketData, harness, listed, id: "L-\(listed)").map(\.msgType) == ["W"], "\(listed)")
        }
        // A signal the root does not weigh is not one: CL weighs neither the curvature nor the
        // 2-1-1 crack by default.
        for unknown in ["SIG.XX.COMPOSITE", "SIG.CL.CURVATURE", "SIG.CL.CRACK211", "SIG..COMPOSITE", "SIG.CL", "SIG.CRACK321",
                        "SIG.CL.rsi"] {
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

        // Every direction change is kept for the journal, as the record has them, and each
        // outcome the record measured.
        let directions = changes.filter { $0.kind == "signal.direction" }
        #expect(!directions.isEmpty, "the composite took a direction")
        #expect(directions.count == engine.record.pending.count + engine.record.recent.count)
        #expect(changes.filter { $0.kind == "signal.outcome" }.count == engine.record.recent.count)
        #expect(changes.allSatisfy { ["signal.direction", "signal.outcome", "signal.curve", "signal.spread"].contains($0.kind) })
        // And each shape the curve's instrument showed, from the first, in a chain ending at
        // the shape it shows now.
        var shown: String?
        for event in changes where event.kind == "signal.curve" {
            let record = try JSONDecoder().decode(SignalCurveRecord.self, from: Data(event.json.utf8))
            #expect(record.root == "CL" && record.symbol == "SIG.CL.CURVE" && record.previous == shown && record.shape != shown,
                    "\(event.json)")
            shown = record.shape
        }
        #expect(shown != nil && shown == engine.termStructure.shape?.rawValue.uppercased(), "\(changes.map(\.kind))")
        for change in directions {
            for key in ["\"root\":\"CL\"", "\"previous\":", "\"direction\":", "\"score\":", "\"confidence\":", "\"frontPrice\":",
                        "\"frontMonth\":", "\"time\":"] {
                #expect(change.json.contains(key), "\(key) in \(change.json)")
            }
        }
    }

    /// A spread's change of state is journaled as its instrument shows it.
    @Test func aSpreadsChangeOfStateIsJournaledAsItsInstrumentShowsIt() throws {
        let change = SpreadStateChange(time: 1_796_000_000_000_000_000, spread: .crack321, previous: .flat, state: .shortSpread,
                                       zScore: 2.123456, value: 31.255)
        let event = SignalJournalEntry.spreadState(change).auditEvent
        #expect(event.kind == "signal.spread" && event.time == change.time)
        let record = try JSONDecoder().decode(SignalSpreadRecord.self, from: Data(event.json.utf8))
        #expect(record.symbol == "SIG.CRACK321.ZSCORE" && record.previous == "FLAT" && record.state == "SHORT_SPREAD")
        #expect(record.zScore == "2.1235" && record.value == "31.2550")
        #expect(record.time == FIXTimestamp(nanosecondsSinceEpoch: change.time).description)
        // Not a record a restart reads back.
        #expect(try SignalJournalEntry(kind: event.kind, json: event.json) == nil)
    }

    /// On intraday bars a restart puts each root's record back from the journal: the outcomes
    /// measured (win rate, average return, the recent list) and the changes still within their
    /// horizon, which the new process measures at its own bars. Through a real SQLite journal.
    @Test func aRestartPutsTheRecordBackFromTheJournal() throws {
        var harness = try GatewayHarness()
        let yaml = Self.quickYAML.replacingOccurrences(of: "horizon: 5m", with: "horizon: 1m")
        let configuration = try SignalConfiguration.parse(yaml: yaml, file: "quick.yaml")
        let before = GatewayMarketData(catalog: harness.catalog, venueDialects: [:], signals: configuration)
        // Market until outcomes were measured and a change is still within its horizon (at most
        // twenty minutes of it).
        var journaled: [GatewayAuditEvent] = []
        for _ in 0..<(20 * 240) {
            _ = harness.advance(seconds: 0.25)
            _ = before.publish(gateway: harness.gateway, now: harness.now)
            journaled += before.drainSignalChanges()
            if let record = before.signals.engine("CL")?.record, record.recent.count >= 2, !record.pending.isEmpty { break }
        }
        let record = try #require(before.signals.engine("CL")).record
        #expect(record.signals > 0 && record.recent.count >= 2, "outcomes were measured: \(record.recent.count)")
        let waiting = try #require(record.pending.first, "a change within its horizon")

        let journal = try Journal(path: harness.directory.path("signals.sqlite"))
        defer { journal.close() }
        try journal.writeAndWait(journaled.map { .event(kind: $0.kind, time: $0.time, json: $0.json) })
        var events: [(id: Int64, kind: String, time: Int64, json: String)] = []
        for kind in GatewayApplication.signalRecordKinds { events += try journal.events(kind: kind) }
        events.sort { $0.id < $1.id }
        let entries = try events.compactMap { try SignalJournalEntry(kind: $0.kind, json: $0.json) }
        #expect(entries.count == events.count)

        let after = GatewayMarketData(catalog: harness.catalog, venueDialects: [:], signals: configuration)
        after.restoreSignals(entries)
        let restored = try #require(after.signals.engine("CL")).record
        #expect(restored.signals == record.signals && restored.wins == record.wins)
        #expect(abs((restored.averageReturn ?? 0) - (record.averageReturn ?? 0)) < 1e-8)
        #expect(restored.recent.map(\.change.time) == record.recent.map(\.change.time))
        #expect(restored.recent.map(\.change.direction) == record.recent.map(\.change.direction))
        #expect(restored.pending.map(\.time) == record.pending.map(\.time))
        // The composite carries on from the direction it last took, which the desk was shown.
        let shown = try #require(before.signals.engine("CL")).direction
        #expect(shown == (record.pending + record.recent.map(\.change)).max { $0.time < $1.time }?.direction)
        #expect(after.signals.engine("CL")?.direction == shown)

        // A reconfiguration keeps it too, with what was measured since the start.
        after.reconfigureSignals(configuration)
        #expect(try #require(after.signals.engine("CL")).record.signals == record.signals)
        // A change the journal held without an outcome is measured by the new process.
        #expect(!after.signals.engine("CL")!.record.recent.contains { $0.change.time == waiting.time })
        var since: [GatewayAuditEvent] = []
        for _ in 0..<(2 * 240) {
            _ = harness.advance(seconds: 0.25)
            _ = after.publish(gateway: harness.gateway, now: harness.now)
            since += after.drainSignalChanges()
        }
        // Each change the new process journals goes on from the one before, the first from
        // the direction the journal held: none takes that direction again as a new signal.
        var direction = shown
        for event in since where event.kind == "signal.direction" {
            guard case .change(let change) = try SignalJournalEntry(kind: event.kind, json: event.json) else { continue }
            #expect(change.previous == direction && change.direction != direction, "\(event.json)")
            direction = change.direction
        }
        let measured = try #require(after.signals.engine("CL")).record
        #expect(measured.recent.contains { $0.change.time == waiting.time }, "the pending change was measured after the restart")
        // Another reconfiguration carries on from the record as it now stands, and the direction.
        let now = try #require(after.signals.engine("CL"))
        after.reconfigureSignals(configuration)
        let carried = try #require(after.signals.engine("CL"))
        #expect(carried.record.signals == measured.signals && carried.record.wins == measured.wins)
        #expect(carried.record.recent.map(\.change.time) == measured.recent.map(\.change.time))
        #expect(carried.record.pending.map(\.time) == measured.pending.map(\.time))
        #expect(carried.direction == now.direction)
        // A record that cannot be read is an error naming it.
        #expect(throws: SignalRecordError.self) {
            _ = try SignalJournalEntry(kind: "signal.outcome", json: #"{"root":"CL"}"#)
        }
    }

    /// Every signal is an instrument a FIX client can subscribe to: each contributor of a
    /// composite (its value in [−1, 1] and its weight), the curve (the annualised roll yield and
    /// its shape) and each spread (its z-score and mean-reversion state), in one request, each
    /// value the engine's own at four decimals.
    @Test func eachSignalIsAnInstrumentWithItsValueAndState() throws {
        var harness = try GatewayHarness()
        let configuration = try SignalConfiguration.parse(yaml: Self.quickYAML + """

            spreads:
              crack321: {window: 3, entry: 2, exit: 0.5}
            """, file: "quick.yaml")
        let marketData = GatewayMarketData(catalog: harness.catalog, venueDialects: [:], signals: configuration)
        _ = marketData.publish(gateway: harness.gateway, now: harness.now)
        let symbols = ["SIG.CL.RSI", "SIG.CL.CARRY", "SIG.CL.CURVE", "SIG.CRACK321.ZSCORE"]
        let request = Counterparty(senderCompID: "OMS1").message(
            "V", seq: 9, at: FIXTimestamp(nanosecondsSinceEpoch: harness.now),
            "262=ALL|263=1|264=1|265=1|267=1|269=3|146=\(symbols.count)|" + symbols.map { "55=\($0)|" }.joined())
        let snapshots = marketData.handle(try FIXMessage(parsing: request), from: "OMS1", gateway: harness.gateway, now: harness.now)
        #expect(snapshots.map(\.msgType) == Array(repeating: "W", count: symbols.count))

        // Each incremental's entries (an update may carry several signals), the latest per symbol.
        var latest: [String: [Int: String]] = [:]
        for _ in 0..<(4 * 240) {
            _ = harness.advance(seconds: 0.25)
            for out in marketData.publish(gateway: harness.gateway, now: harness.now) where out.session == "OMS1" {
                let update = try Self.parse(out.msgType, out.body)
                var entry: [Int: String] = [:]
                for position in 0..<update.count {
                    let tag = update.tag(at: position)
                    if tag == 279, let symbol = entry[55] { latest[symbol] = entry; entry = [:] }
                    entry[tag] = update.value(at: position).string
                }
                if let symbol = entry[55] { latest[symbol] = entry }
            }
        }
        #expect(Set(latest.keys) == Set(symbols), "each moved as bars closed: \(latest.keys.sorted())")
        let engine = try #require(marketData.signals.engine("CL"))
        let rsi = try #require(engine.contributors.first { $0.contributor == .rsi }?.value)
        #expect(latest["SIG.CL.RSI"]?[270] == GatewaySignals.decimal(rsi).description)
        #expect(latest["SIG.CL.RSI"]?[58] == "weight=0.5000")
        let carry = try #require(engine.contributors.first { $0.contributor == .carry }?.value)
        #expect(latest["SIG.CL.CARRY"]?[270] == GatewaySignals.decimal(carry).description)
        let rollYield = try #require(engine.termStructure.carry)
        #expect(latest["SIG.CL.CURVE"]?[270] == GatewaySignals.decimal(rollYield).description)
        let shape = try #require(engine.termStructure.shape)
        #expect(latest["SIG.CL.CURVE"]?[58] == "shape=\(shape.rawValue.uppercased())")
        let crack = marketData.signals.spreads.crack321
        let z = try #require(crack.zScore)
        #expect(latest["SIG.CRACK321.ZSCORE"]?[270] == GatewaySignals.decimal(z).description)
        #expect(latest["SIG.CRACK321.ZSCORE"]?[58] == "state=\(crack.state.rawValue) entry=2.0000 exit=0.5000")
        for entry in latest.values { #expect(entry[269] == "3") }
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
