import FIXCodec
import FIXJournal
import Foundation
import OrderEntry
@testable import Gateway
import RiskSidecar
import Testing
import TestSupport

/// The gateway rebuilt from its decisions written to a real SQLite journal file and read back,
/// at the same time and prices as before: the risk sidecar's state must be exactly what it was.
@Suite struct JournalRestoreTests {
    /// Both gateways value CLF7 and BZF7 at these prices, so every limit measured at a mark
    /// compares exactly.
    static let pinned = [
        MarketQuote(symbol: "CLF7", prices: ReferencePrices(last: FIXDecimal("69.50")!), mark: FIXDecimal("69.50")!),
        MarketQuote(symbol: "BZF7", prices: ReferencePrices(last: FIXDecimal("73.10")!), mark: FIXDecimal("73.10")!),
    ]

    @Test func everyLimitsUtilisationAndEveryKillSwitchComeBackFromTheJournalFile() async throws {
        var before = try GatewayHarness(limits: WellheadProfiles.limitsAtEveryScope)
        _ = before.order("B1", quantity: 5, type: 1, tif: 3)
        _ = before.order("S1", side: 2, quantity: 2, type: 1, tif: 3)
        _ = before.order("R1", quantity: 7, price: "1.00", tif: 1)
        _ = before.order("Z1", quantity: 3, type: 1, tif: 3, symbol: "BZF7", from: "OMS2")
        _ = before.gateway.engageKillSwitch(.account("DESK2"), by: "maria", reason: "drill", now: before.now)
        _ = before.gateway.releaseKillSwitch(.account("DESK2"), by: "maria", now: before.now)
        _ = before.gateway.engageKillSwitch(.session("OMS2"), by: "omar", reason: "runaway", now: before.now)
        before.gateway.quote(Self.pinned, now: before.now)

        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("gateway.sqlite")
        let writer = try Journal(path: path)
        try await writer.write(before.gateway.drainAudit().map { .event(kind: $0.kind, time: $0.time, json: $0.json) })
        writer.close()

        let reader = try Journal(path: path)
        defer { reader.close() }
        let records = try GatewayRecord.restorePoint(in: reader)
        let after = try GatewayHarness(limits: WellheadProfiles.limitsAtEveryScope)
        let (restored, reports) = try after.gateway.restore(events: records, now: before.now)
        after.gateway.quote(Self.pinned, now: before.now)

        #expect(restored.workingOrders == 1 && reports.isEmpty, "nothing re-executed, nothing reported twice")
        // As sets: the sidecar lists owners in the order it first met them, which a restore changes.
        let stateful = { (rows: [LimitUtilisation]) in Set(rows.filter { $0.kind != .orderRate && $0.kind != .messageRate }) }
        let was = stateful(before.gateway.risk.utilisation(now: before.now))
        #expect(was.contains { $0.kind == .positionPerMonth && $0.used > .zero })
        #expect(stateful(after.gateway.risk.utilisation(now: before.now)) == was)
        #expect(after.gateway.risk.killSwitchHistory == before.gateway.risk.killSwitchHistory)
        #expect(after.gateway.risk.killSwitch(.session("OMS2"))?.engagedBy == "omar")
        #expect(after.gateway.risk.killSwitch(.account("DESK2")) == nil)
        #expect(after.gateway.orders().map(\.status) == before.gateway.orders().map(\.status))
    }

    /// An order partly filled before a restart is back on the book for what was left; a later
    /// replace asks the book for the new quantity less what had filled, never the whole of it.
    @Test func aReplaceAfterARestartLeavesOnTheBookOnlyWhatIsLeftOfTheNewQuantity() throws {
        var order = ClientOrder(orderID: "WH00000001", session: "OMS1", clOrdID: "P1",
                                terms: OrderTerms(account: "DESK1", symbol: "CLF7", side: .buy, type: .limit, timeInForce: .goodTillCancel,
                                                  quantity: 5, price: FIXDecimal("1.00")))
        _ = order.pendingNew()
        _ = order.accepted()
        _ = order.filled(3, at: FIXDecimal("1.00")!)
        var harness = try GatewayHarness(limits: "firm:\n  maxOrderSize: 500\n")
        _ = try harness.gateway.restore(events: [GatewayRecord(id: 1, kind: "order", json: order.auditJSON())], now: harness.now)
        let resting = { harness.gateway.depth(symbol: "CLF7", levels: 100)?.bids.first { $0.price == FIXDecimal("1.00") }?.quantity }
        #expect(resting() == 2)
        let replaced = harness.send("G", "11=P2|41=P1|55=CLF7|54=1|38=6|40=2|44=1.00|59=1|60=\(FIXTimestamp(nanosecondsSinceEpoch: harness.now))|")
        #expect(replaced.last?.message[150]?.string == "5" && replaced.last?.message[151]?.string == "3")
        #expect(resting() == 3, "6 ordered, 3 filled before the restart")
    }

    @Test func aRecordThatCannotBeReadStopsTheRestoreAndIsNamed() throws {
        let gateway = try GatewayHarness().gateway
        let broken = [GatewayRecord(id: 41, kind: "fill", json: #"{"account":"DESK1"}"#)]
        #expect {
            _ = try gateway.restore(events: broken, now: GatewayHarness.start)
        } throws: { error in
            "\(error)".contains("journaled event 41 (kind fill) cannot be read")
        }
    }
}
