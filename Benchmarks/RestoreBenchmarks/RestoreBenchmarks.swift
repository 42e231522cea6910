import Benchmark
import FIXCodec
import FIXJournal
import Foundation
import Gateway
import Instruments
import RiskSidecar
import SimulatedVenue

// A restart of the gateway from its journal: the events from the last `day.end` read from the
// SQLite file (`Journal.events(fromLast:)`) and the gateway rebuilt from them
// (`OrderGateway.restore`). Each journal is made once, before the samples, by a real gateway:
// per trading day 25,000 GTC orders placed and cancelled (50,000 order events, as many risk
// decisions), 250 left working until the next day cancels them, a fill every 100 orders, then a
// day's end; the last day is in progress at the restart. Journals:
//   "20 days": 1,000,000 order events over 20 days: the restart reads the 19th day's end and
//   the 20th day's 50,000 order events;
//   "5 days": the same days, 250,000 order events: the restart should cost the same;
//   "1 day, no day end": 1,000,000 order events and no restore point, for contrast.

struct JournalFixture: Sendable {
    let path: String

    static let ordersPerDay = 25_000

    /// A journal of `days` trading days written by a real gateway; with `endDays` false the
    /// days are never ended (one long day).
    static func make(days: Int, ordersPerDay: Int = ordersPerDay, endDays: Bool = true) -> JournalFixture {
        let path = NSTemporaryDirectory() + "wellhead-restore-\(days)-\(ordersPerDay)-\(endDays).sqlite"
        // Made once and kept for later runs; a journal without its marker is a run cut short.
        let done = path + ".done"
        if FileManager.default.fileExists(atPath: done) { return JournalFixture(path: path) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        defer { FileManager.default.createFile(atPath: done, contents: nil) }
        let journal = try! Journal(path: path, synchronous: .normal)
        let gateway = makeGateway()
        var now = start
        var sequence = 0
        for day in 0..<days {
            // Yesterday's GTC orders are cancelled first, so that a day's end carries about the
            // same working orders however many days came before (as a desk's book does).
            if day > 0 {
                for number in stride(from: 0, to: ordersPerDay, by: 100) {
                    now += 1_000_000
                    _ = gateway.handle(message("F", "11=Y\(day)-\(number)|41=D\(day - 1)-\(number)|55=CLF7|54=1|"), from: "OMS1", now: now)
                }
            }
            for number in 0..<ordersPerDay {
                now += 1_000_000
                sequence += 1
                let clOrdID = "D\(day)-\(number)"
                if number % 100 == 99 {
                    _ = gateway.handle(message("D", "11=\(clOrdID)|55=CLF7|54=\(number % 200 == 99 ? 1 : 2)|38=1|40=1|59=3|"), from: "OMS1", now: now)
                    continue
                }
                _ = gateway.handle(message("D", "11=\(clOrdID)|55=CLF7|54=1|38=1|40=2|44=60.00|59=1|"), from: "OMS1", now: now)
                if number % 100 == 0 { continue }  // left working
                _ = gateway.handle(message("F", "11=X\(clOrdID)|41=\(clOrdID)|55=CLF7|54=1|"), from: "OMS1", now: now)
                if number % 1_000 == 999 { flush(gateway, to: journal) }
            }
            // The last day is still in progress when the appliance restarts.
            if endDays, day < days - 1 { _ = gateway.roll(by: "benchmark", reason: "day \(day)", now: now) }
            flush(gateway, to: journal)
        }
        journal.close()
        return JournalFixture(path: path)
    }

    static let start: Int64 = 1_795_528_800_000_000_000
    static let reference = InstrumentReference.standard

    static func makeGateway() -> OrderGateway {
        let catalog = reference.catalog(on: CalendarDate(year: 2026, month: 11, day: 25)!)
        let limits = RiskLimits(firm: LimitSet(maxOrderSize: 500, marketProtection: .ticks(100)))
        let risk = RiskSidecar(limits: limits, contracts: reference.products.map(\.spec))
        let venue = try! SimulatedVenue(catalog: catalog, seed: 7, startTime: start)
        return OrderGateway(catalog: catalog, venue: venue, risk: risk,
                            settings: GatewaySettings(defaultAccounts: ["OMS1": "DESK1"]), now: start)
    }

    static func message(_ msgType: String, _ body: String) -> FIXMessage {
        var builder = FIXMessageBuilder(msgType: msgType)
        builder.header.append(49, "OMS1")
        builder.header.append(56, "WELLHEAD")
        for field in body.split(separator: "|") {
            let parts = field.split(separator: "=", maxSplits: 1)
            builder.body.append(Int(parts[0])!, String(parts[1]))
        }
        builder.body.append(60, "20261125-14:00:00.000")
        return try! FIXMessage(parsing: builder.encode())
    }

    static func flush(_ gateway: OrderGateway, to journal: Journal) {
        let events = gateway.drainAudit().map { JournalEntry.event(kind: $0.kind, time: $0.time, json: $0.json) }
        let done = DispatchSemaphore(value: 0)
        journal.write(events) { error in
            precondition(error == nil, "\(error!)")
            done.signal()
        }
        done.wait()
    }

    /// What a restart does: read from the last day's end, rebuild a new gateway.
    func restore() -> OrderGateway.Restored {
        let journal = try! Journal(path: path)
        defer { journal.close() }
        let records = try! GatewayRecord.restorePoint(in: journal)
        return try! JournalFixture.makeGateway().restore(events: records, now: JournalFixture.start).0
    }
}

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .peakMemoryResident], timeUnits: .milliseconds,
                                                warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(30),
                                                maxIterations: 10)
    for (name, days, perDay, endDays) in [("20 days", 20, JournalFixture.ordersPerDay, true),
                                          ("5 days", 5, JournalFixture.ordersPerDay, true),
                                          ("1 day, no day end", 1, 20 * JournalFixture.ordersPerDay, false)] {
        Benchmark("restart from 1M-event journal: \(name)".replacingOccurrences(of: "1M-event journal: 5 days", with: "250k-event journal: 5 days"),
                  configuration: configuration) { benchmark in
            let fixture = JournalFixture.make(days: days, ordersPerDay: perDay, endDays: endDays)
            benchmark.startMeasurement()
            let restored = fixture.restore()
            benchmark.stopMeasurement()
            blackHole(restored)
        }
    }
}
