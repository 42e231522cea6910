import FIXCodec
import FIXJournal
import Foundation
@testable import Gateway
import Instruments
import Logging
import RiskSidecar
import SimulatedVenue
import TestSupport
import OrderEntry

/// An order gateway with everything real behind it: the standard instrument listing for
/// 25 November 2026, the simulated venue with a fixed seed, and the risk sidecar with the
/// limits each test gives. Time is the harness's, never the machine's.
struct GatewayHarness {
    static let start = TestClock.start.nanosecondsSinceEpoch
    static let baseLimits = """
        firm:
          maxOrderSize: 500
          priceCollar: {percent: 10, reference: [last, mid]}
          marketProtection: {ticks: 100}
          selfTradePrevention: reject
        accounts:
          DESK1:
            maxOrderSize: 200
        """

    let gateway: OrderGateway
    let catalog: InstrumentCatalog
    var now: Int64 = GatewayHarness.start
    var sequence = 2
    let directory = TemporaryDirectory()

    /// - Parameter tradingDate: a trading day other than the harness's usual one; the harness's
    ///   time is then noon (New York) that day.
    init(limits: String = GatewayHarness.baseLimits, seed: UInt64 = 7, fixVenues: [String: String] = [:],
         venueDialects: [String: VenueDialect] = [:], venueCalendars: [String: TradingCalendar] = [:],
         venues: [String: any Venue] = [:], simulatedVenue: Bool = true, tradingDate: CalendarDate? = nil,
         calendar: TradingCalendar = .aroundTheClock, marketDataSnapshotInterval: Int = 60) throws {
        let path = directory.path("risk-limits.yaml")
        try limits.write(toFile: path, atomically: true, encoding: .utf8)
        let reference = InstrumentReference.standard
        catalog = reference.catalog(on: tradingDate ?? CalendarDate(year: 2026, month: 11, day: 25)!)
        if let tradingDate { now = TradingCalendar.aroundTheClock.end(of: tradingDate) - 5 * 3_600_000_000_000 }
        let risk = try RiskSidecar(limitsPath: path, contracts: reference.products.map(\.spec))
        let venue = try SimulatedVenue(catalog: catalog, seed: seed, startTime: now)
        gateway = OrderGateway(catalog: catalog, venue: simulatedVenue ? venue : nil, risk: risk,
                               settings: GatewaySettings(defaultAccounts: ["OMS1": "DESK1", "OMS2": "DESK2"], fixVenues: fixVenues,
                                                         venueDialects: venueDialects, venueCalendars: venueCalendars,
                                                         marketDataSnapshotInterval: marketDataSnapshotInterval),
                               venues: venues, calendar: calendar, now: now)
    }

    /// Sends `35=<msgType>` from `session` with `fields` (`|`-separated text) and returns
    /// what the gateway answered, as parsed FIX messages, with their target session.
    mutating func send(_ msgType: String, _ fields: String, from session: String = "OMS1") -> [(session: String, message: FIXMessage)] {
        let counterparty = Counterparty(senderCompID: session)
        let bytes = counterparty.message(msgType, seq: sequence, at: FIXTimestamp(nanosecondsSinceEpoch: now), fields)
        sequence += 1
        let message = try! FIXMessage(parsing: bytes)
        return Self.parse(gateway.handle(message, from: session, now: now) ?? [])
    }

    /// A NewOrderSingle; `extra` adds or overrides fields.
    mutating func order(_ clOrdID: String, side: Int = 1, quantity: Int = 1, type: Int = 2, price: String? = nil,
                        tif: Int = 0, symbol: String = "CLF7", extra: String = "", from session: String = "OMS1") -> [FIXMessage] {
        var fields = "11=\(clOrdID)|55=\(symbol)|54=\(side)|38=\(quantity)|40=\(type)|59=\(tif)|"
        if let price { fields += "44=\(price)|" }
        fields += "60=\(FIXTimestamp(nanosecondsSinceEpoch: now))|" + extra
        return send("D", fields, from: session).map(\.message)
    }

    mutating func advance(seconds: Double) -> [(session: String, message: FIXMessage)] {
        let target = now + Int64(seconds * 1e9)
        var out: [(String, FIXMessage)] = []
        while now < target {
            now += 250_000_000
            out += Self.parse(gateway.advance(now: now))
        }
        return out
    }

    /// The front-month's fair price rounded to its tick: a price the collar accepts.
    func price(offsetTicks: Int64, symbol: String = "CLF7") -> String {
        let instrument = catalog.instrument(symbol: symbol)!
        let mark = gateway.mark(symbol: symbol)!
        let ticks = instrument.ticks(for: mark.rounded(toScale: instrument.tickSize.scale))!
        return instrument.price(ticks: ticks + offsetTicks).description
    }

    static func parse(_ outbound: [GatewayOutbound]) -> [(session: String, message: FIXMessage)] {
        outbound.map { out in
            var builder = FIXMessageBuilder(msgType: out.msgType)
            builder.header.append(49, "WELLHEAD")
            builder.header.append(56, out.session)
            builder.body = out.body
            return (out.session, try! FIXMessage(parsing: builder.encode()))
        }
    }
}

extension GatewayHarness {
    /// Journals the gateway's decisions so far into the SQLite journal at `path` (after what
    /// is there already), through a ``GatewayApplication`` as the appliance does, and closes it:
    /// what a process has on disk when it is killed.
    func journalDecisions(to path: String) throws {
        let journal = try Journal(path: path)
        GatewayApplication.journal(gateway.drainAudit(), to: journal, logger: Logger(label: "test"))
        journal.close()
    }

    /// A restart from the journal file at `path`: every event read back from a journal opened
    /// afresh on it, as `wellhead serve` reads them at startup, and this gateway restored from
    /// them. Also returns the events read.
    func restore(fromJournal path: String) throws -> (restored: OrderGateway.Restored, reports: [GatewayOutbound],
                                                     events: [GatewayRecord]) {
        let journal = try Journal(path: path)
        defer { journal.close() }
        let events = try GatewayRecord.restorePoint(in: journal)
        let (restored, reports) = try gateway.restore(events: events, now: now)
        return (restored, reports, events)
    }
}

extension FIXMessage {
    var execType: String? { self[150]?.string }
    var ordStatus: String? { self[39]?.string }
}
