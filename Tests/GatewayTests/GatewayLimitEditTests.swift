import AdminSocket
import FIXJournal
import Foundation
@testable import Gateway
import Instruments
import RiskSidecar
import Testing
import TestSupport

/// `limit-set` against the gateway with a real journal, over the real admin socket: a lowering
/// is made at once and journaled (`risk.limit`) with the person; a raise is refused over the
/// socket whatever the request says (only the console gives a second person's approval); and a
/// sidecar built again from the same limits file gets the edits back from the journal, or an
/// error naming the row it cannot read.
@Suite struct GatewayLimitEditTests {
    @Test func aLoweredLimitIsMadeAndJournaledAndARaiseNeedsTheConsolesApproval() async throws {
        var served = try await GatewayAdminTests.Served()
        let person = GatewayAdminTests.Served.person
        let lowered = try await served.send(AdminRequest(command: .setLimit, scope: "account:DESK1", by: "maria", reason: "drill",
                                                         control: "maxOrderSize", value: "3"))
        #expect(lowered.ok && lowered.message == "maxOrderSize at account DESK1: 200 → 3 set by \(person)", "\(lowered.message)")
        let rejected = try #require(served.harness.order("L1", quantity: 4, price: served.harness.price(offsetTicks: -40)).first)
        #expect(rejected[58]?.string == "max order size: 4 contracts, limit 3 (account DESK1)")

        // Over the socket an approval is never taken: the raise is refused, nothing changes.
        let raise = AdminRequest(command: .setLimit, scope: "account:DESK1", by: "maria", reason: "drill", control: "maxOrderSize",
                                 value: "300", approvedBy: "someone else")
        let refused = try await served.send(raise)
        #expect(!refused.ok && refused.message
                == "maxOrderSize at account DESK1: 3 → 300 raises the limit: it needs a second risk manager's approval in the console")
        #expect(served.harness.gateway.risk.limits.accounts["DESK1"]?.maxOrderSize == 3)
        // Asked and approved by the same person is no approval either.
        var same = raise
        same.by = "console:rita"
        same.approvedBy = "console:rita"
        #expect(await !served.application.handle(same).ok)
        // The console's: asked by one risk manager, approved by another.
        same.approvedBy = "console:ravi"
        let approved = await served.application.handle(same)
        #expect(approved.ok && approved.message == "maxOrderSize at account DESK1: 3 → 300 set by console:rita, approved by console:ravi",
                "\(approved.message)")
        let bad = try await served.send(AdminRequest(command: .setLimit, scope: "account:DESK1", by: "maria", control: "maxOrderSize", value: "-1"))
        #expect(!bad.ok && bad.message == "maxOrderSize at account DESK1: expected a positive whole number of contracts, got '-1'")

        await served.close()
        let path = served.harness.directory.path("journal.sqlite")
        let journal = try Journal(path: path)
        let records = try journal.events(kind: LimitEditRecord.kind).map {
            try JSONDecoder().decode(LimitEditRecord.self, from: Data($0.json.utf8))
        }
        #expect(records.map(\.by) == [person, "console:rita"])
        #expect(records.map(\.approvedBy) == [nil, "console:ravi"])
        #expect(records.map(\.old) == ["200", "3"] && records.map(\.new) == ["3", "300"] && records.map(\.raises) == [false, true])
        let admin = try journal.events(kind: "admin").map(\.json)
        #expect(admin.contains { $0.contains(#""command":"limit-set""#) && $0.contains(#""approvedBy":"console:ravi""#) }, "\(admin)")

        // A restart: the file's limits, then the journal's edits on top.
        let restarted = try RiskSidecar(limitsPath: served.harness.directory.path("risk-limits.yaml"),
                                        contracts: InstrumentReference.standard.products.map(\.spec))
        #expect(restarted.limits.accounts["DESK1"]?.maxOrderSize == 200)
        #expect(try restarted.restoreLimitEdits(from: journal) == 2)
        #expect(restarted.limits.accounts["DESK1"]?.maxOrderSize == 300)

        // A row that cannot be read stops the restore, named.
        try await journal.write([.event(kind: LimitEditRecord.kind, time: GatewayHarness.start, json: #"{"control":"maxOrderSize""#)])
        let damaged = try journal.events(kind: LimitEditRecord.kind).last?.id ?? -1
        do {
            _ = try RiskSidecar(limits: RiskLimits(), contracts: InstrumentReference.standard.products.map(\.spec)).restoreLimitEdits(from: journal)
            Issue.record("a damaged record was restored")
        } catch {
            #expect(error.record == damaged && error.kind == "risk.limit", "\(error)")
            #expect(error.description.hasPrefix("journaled event \(damaged) (kind risk.limit) cannot be read:"), "\(error)")
        }
        journal.close()
    }
}
