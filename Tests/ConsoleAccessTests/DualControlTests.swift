@testable import ConsoleAccess
import Testing

@Suite struct DualControlTests {
    static let minute = Fixtures.minute
    static let start = Fixtures.start
    static let alice = Fixtures.user("alice", .riskManager)
    static let bob = Fixtures.user("bob", .riskManager)
    static let carol = Fixtures.user("carol", .compliance)
    static let tom = Fixtures.user("tom", .trader, accounts: ["DESK1"])
    static let root = Fixtures.user("root", .admin)
    static let release = ApprovalAction.releaseKillSwitch(scope: "firm", reason: "algo fixed")

    @Test func aSecondRiskManagerApprovesAndTheRequesterCannot() throws {
        var control = DualControl()
        let request = try control.request(Self.release, by: Self.alice, now: Self.start)
        #expect(control.pending == [request] && request.requestedBy == "alice" && request.action == Self.release)
        do {
            _ = try control.approve(id: request.id, by: Self.alice, now: Self.start + 1)
            Issue.record("alice approved her own request")
        } catch {
            #expect(error == .samePerson(requestedBy: "alice"))
            #expect(error.description == "a second risk manager must approve: alice asked for it")
        }
        #expect(throws: DualControlError.notAllowed(user: "carol", role: .compliance)) {
            try control.approve(id: request.id, by: Self.carol, now: Self.start + 2)
        }
        #expect(throws: DualControlError.notAllowed(user: "root", role: .admin)) {
            try control.approve(id: request.id, by: Self.root, now: Self.start + 2)
        }
        let approved = try control.approve(id: request.id, by: Self.bob, now: Self.start + 3)
        #expect(approved == request && control.pending.isEmpty)
        #expect(throws: DualControlError.unknown(id: request.id)) { try control.approve(id: request.id, by: Self.bob, now: Self.start + 4) }
    }

    @Test func onlyARiskManagerMayAsk() {
        var control = DualControl()
        for user in [Self.carol, Self.tom, Self.root] {
            #expect(throws: DualControlError.notAllowed(user: user.name, role: user.role)) {
                try control.request(.changeLimit(control: "maxOrderQty", scope: "firm", value: "500"), by: user, now: Self.start)
            }
        }
        #expect(control.pending.isEmpty)
        #expect("\(DualControlError.notAllowed(user: "carol", role: .compliance))" == "carol is compliance: only a risk manager may ask for or approve a risk change")
    }

    @Test func anApprovalAfterAnHourIsRefused() throws {
        var control = DualControl()
        let request = try control.request(.changeLimit(control: "maxOrderQty", scope: "firm", value: "500"), by: Self.alice, now: Self.start)
        let early = try control.request(Self.release, by: Self.alice, now: Self.start)
        #expect(throws: Never.self) { try control.approve(id: early.id, by: Self.bob, now: Self.start + 60 * Self.minute - 1) }
        #expect(throws: DualControlError.expired(id: request.id, requestedBy: "alice")) {
            try control.approve(id: request.id, by: Self.bob, now: Self.start + 60 * Self.minute)
        }
        #expect(control.pending.isEmpty, "an expired request is no longer pending")
    }

    @Test func expiredRequestsAreSweptAndRequestsWithdrawn() throws {
        var control = DualControl(expiry: Self.minute)
        let old = try control.request(Self.release, by: Self.alice, now: Self.start)
        let fresh = try control.request(Self.release, by: Self.alice, now: Self.start + Self.minute / 2)
        #expect(control.expire(now: Self.start + Self.minute) == [old])
        #expect(control.pending == [fresh])
        #expect(throws: DualControlError.notRequester(id: fresh.id, user: "carol", requestedBy: "alice")) {
            try control.mayWithdraw(id: fresh.id, by: Self.carol)
        }
        #expect(control.withdraw(id: fresh.id, by: Self.carol) == nil && control.pending == [fresh], "compliance withdraws nothing")
        #expect(control.withdraw(id: fresh.id, by: Self.alice) == fresh)
        #expect(control.pending.isEmpty)
        #expect(control.withdraw(id: fresh.id, by: Self.alice) == nil)
        #expect(throws: DualControlError.unknown(id: fresh.id)) { try control.mayWithdraw(id: fresh.id, by: Self.alice) }
    }

    @Test func onlyTheFirmKillSwitchAndRaisingALimitNeedASecondPerson() {
        #expect(DualControl.needsSecondPerson(.releaseKillSwitch(scope: "firm", reason: ""), raises: false))
        #expect(!DualControl.needsSecondPerson(.releaseKillSwitch(scope: "account:DESK1", reason: ""), raises: false))
        #expect(!DualControl.needsSecondPerson(.releaseKillSwitch(scope: "session:OMS1", reason: ""), raises: false))
        #expect(DualControl.needsSecondPerson(.changeLimit(control: "maxOrderQty", scope: "firm", value: "500"), raises: true))
        #expect(!DualControl.needsSecondPerson(.changeLimit(control: "maxOrderQty", scope: "firm", value: "5"), raises: false))
    }
}
