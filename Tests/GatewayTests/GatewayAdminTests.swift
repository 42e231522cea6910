import AdminSocket
import FIXJournal
import Foundation
@testable import Gateway
import RiskSidecar
import Testing
import TestSupport

/// The gateway's admin requests over the admin socket: a real Unix domain socket in front of a
/// gateway application with a real journal, driven by the same client `wellhead risk` uses.
/// (The socket on its own, malformed lines and an absent appliance, is AdminSocketTests.)
@Suite struct GatewayAdminTests {
    struct Served {
        var harness: GatewayHarness
        let journal: Journal
        let application: GatewayApplication
        let server: AdminServer

        init() async throws {
            harness = try GatewayHarness(limits: GatewayHarness.baseLimits.replacingOccurrences(of: "firm:\n", with: "firm:\n  maxPositionPerMonth: 50\n"))
            journal = try Journal(path: harness.directory.path("journal.sqlite"))
            let application = GatewayApplication(gateway: harness.gateway, journal: journal, clock: { GatewayHarness.start })
            self.application = application
            server = try await AdminServer.start(path: harness.directory.path("admin.sock")) { await application.handle($0) }
        }

        func send(_ request: AdminRequest) async throws -> AdminResponse {
            try await AdminClient.send(request, to: server.path)
        }

        /// Who the socket says acts: the operating-system user this test runs as, whatever the
        /// request names.
        static var person: String { "os:\(NSUserName())" }

        func close() async {
            await server.close()
            journal.close()
        }
    }

    @Test func engagingOverTheSocketCancelsWorkingOrdersBlocksNewOnesAndIsJournaled() async throws {
        var served = try await Served()
        _ = served.harness.order("W1", price: served.harness.price(offsetTicks: -40))
        _ = served.harness.order("W2", price: served.harness.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2")

        let engaged = try await served.send(AdminRequest(command: .engageKillSwitch, scope: "account:DESK1", by: "maria", reason: "drill"))
        #expect(engaged.ok, "\(engaged.message)")
        #expect(engaged.message == "kill switch engaged at account DESK1 by \(Served.person); 1 working order(s) cancelled")
        #expect(engaged.engagedKillSwitches.map(\.level) == [.account("DESK1")])
        #expect(served.harness.gateway.orders().map(\.status) == [.canceled, .new], "DESK2's order is not under the switch")
        let blocked = try #require(served.harness.order("W3", price: served.harness.price(offsetTicks: -40)).first)
        #expect(blocked[58]?.string.contains("kill switch") == true)

        let status = try await served.send(AdminRequest(command: .status))
        #expect(status.ok && status.engagedKillSwitches.first?.engagedBy == Served.person)
        let firm = try #require(status.utilisation.first { $0.kind == .positionPerMonth }, "DESK2's working order uses the firm's limit")
        #expect(firm.subject.contains("BZF7") && firm.used == 1 && firm.limit == 50)

        let released = try await served.send(AdminRequest(command: .releaseKillSwitch, scope: "account:DESK1", by: "maria"))
        #expect(released.ok && released.engagedKillSwitches.isEmpty)
        #expect(served.harness.order("W4", price: served.harness.price(offsetTicks: -40)).first?.execType == "A")

        await served.close()
        let reader = try Journal(path: served.harness.directory.path("journal.sqlite"))
        defer { reader.close() }
        let records = try reader.events(kind: "risk.killSwitch").map {
            try JSONDecoder().decode(KillSwitchRecord.self, from: Data($0.json.utf8))
        }
        #expect(records.map(\.releasedBy) == [nil, Served.person])
        #expect(records.allSatisfy { $0.level == .account("DESK1") && $0.engagedBy == Served.person && $0.reason == "drill" })
    }

    @Test func requestsThatNameNoPersonOrNoScopeAreRefused() async throws {
        let served = try await Served()
        // Through the socket every request is signed by its operating-system user; a request
        // that reaches the gateway unsigned is refused.
        let anonymous = await served.application.handle(AdminRequest(command: .engageKillSwitch, scope: "firm", by: "  "))
        #expect(!anonymous.ok && anonymous.message.contains("by a person"))
        let nowhere = try await served.send(AdminRequest(command: .engageKillSwitch, scope: "desk:1", by: "maria"))
        #expect(!nowhere.ok && nowhere.message.contains("scope 'desk:1'"))
        let notEngaged = try await served.send(AdminRequest(command: .releaseKillSwitch, scope: "firm", by: "maria"))
        #expect(!notEngaged.ok && notEngaged.message == "no kill switch is engaged at firm")
        #expect(served.harness.gateway.risk.killSwitch(.firm) == nil)
        await served.close()
    }

    /// Restarts through a journal file (the appliance killed with SIGKILL and started again is
    /// `ApplianceTests.aKillSwitchStaysEngagedAcrossASIGKILLRestartUntilReleased`).
    @Test func aKillSwitchStaysEngagedAcrossARestartUntilReleased() throws {
        var before = try GatewayHarness()
        _ = before.order("R1", price: before.price(offsetTicks: -40), tif: 1)
        _ = before.gateway.engageKillSwitch(.session("OMS1"), by: "maria", reason: "runaway", now: before.now)
        let journal = before.directory.path("gateway.sqlite")
        try before.journalDecisions(to: journal)

        var after = try GatewayHarness(seed: 99)
        _ = try after.restore(fromJournal: journal)
        let record = try #require(after.gateway.risk.killSwitch(.session("OMS1")))
        #expect(record.engagedBy == "maria" && record.reason == "runaway")
        #expect(after.order("R2", price: after.price(offsetTicks: -40)).first?[58]?.string.contains("kill switch") == true)
        #expect(after.order("R3", price: after.price(offsetTicks: -40, symbol: "BZF7"), symbol: "BZF7", from: "OMS2").first?.execType == "A")

        // Released before the restart (journaled after what was there): not engaged after it.
        _ = after.gateway.releaseKillSwitch(.session("OMS1"), by: "maria", now: after.now)
        try after.journalDecisions(to: journal)
        let third = try GatewayHarness(seed: 5)
        _ = try third.restore(fromJournal: journal)
        #expect(third.gateway.risk.killSwitch(.session("OMS1")) == nil)
    }
}
