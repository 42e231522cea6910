import FIXCodec
import Foundation
import RiskSidecar
import Testing
import TestSupport

/// Limit edits while running (the console's Risk page, `limit-set`): what is checked, what
/// counts as raising a limit, and that the sidecar's next check sees the edit and a reload of
/// the file keeps it.
@Suite struct LimitEditTests {
    static let limits = RiskLimits(
        firm: LimitSet(maxOrderSize: 500, orderRate: RateLimit(limit: 50, windowNanos: T.second, logoutAbove: 200)),
        accounts: ["DESK1": LimitSet(maxOrderSize: 100, maxPositionPerMonth: 150, maxGrossNotional: dec("5000000"),
                                     dailyLoss: DailyLossLimit(limit: dec("250000"), allowReducing: true))],
        roots: ["CL": LimitSet(maxPositionPerRoot: 400)])

    func error(_ control: String, _ scope: String, _ value: String) -> String? {
        do {
            _ = try LimitEdit(control: control, scope: scope, value: value)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func anEditIsCheckedForItsControlScopeAndValue() throws {
        #expect(error("maxPosition", "firm", "10")?.hasPrefix("unknown limit 'maxPosition' (expected one of: maxOrderSize,") == true)
        #expect(error("maxOrderSize", "desk:DESK1", "10")
                == "scope 'desk:DESK1' is not firm, account:<name>, session:<name>, root:<root> or symbol:<symbol>")
        #expect(error("dailyLoss", "session:OMS1", "1000")
                == "dailyLoss at session OMS1: not available at session scope (P&L is kept per account and instrument)")
        #expect(error("maxPositionPerRoot", "symbol:CLZ6", "10")?.contains("not available at symbol scope") == true)
        #expect(error("orderRate", "root:CL", "10")?.contains("throttles are per firm, account or session") == true)
        #expect(error("maxOrderSize", "account:DESK1", "ten")
                == "maxOrderSize at account DESK1: expected a positive whole number of contracts, got 'ten'")
        #expect(error("maxOrderSize", "account:DESK1", "0")?.contains("expected a positive whole number") == true)
        #expect(error("maxOrderSize", "account:DESK1", "-5")?.contains("expected a positive whole number") == true)
        #expect(error("maxOrderSize", "account:DESK1", "2.5")?.contains("expected a positive whole number") == true)
        #expect(error("maxPositionPerMonth", "account:DESK1", "-1")?.contains("0 or more") == true)
        #expect(error("maxGrossNotional", "firm", "-100")
                == "maxGrossNotional at firm: expected a positive amount of dollars (at most 2 decimals), got '-100'")
        #expect(error("maxGrossNotional", "firm", "1e9")?.contains("positive amount of dollars") == true)
        #expect(error("dailyLoss", "firm", "100.001")?.contains("at most 2 decimals") == true)
        #expect(error("orderRate", "firm", "100/fortnight")?.contains("a window such as 500ms") == true)
        #expect(error("orderRate", "firm", "2000000")?.contains("at most 1000000") == true)
        // Written as a desk writes them: separators, the page's "account DESK1", none to remove.
        #expect(error("maxGrossNotional", "account DESK1", "2,500,000.50") == nil)
        #expect(error("maxPositionPerMonth", "account:DESK1", "1_000") == nil)
        #expect(error("maxPositionPerMonth", "account:DESK1", "0") == nil)
        #expect(error("maxOrderSize", "firm", "") == nil)
        #expect(try LimitEdit(control: "maxOrderSize", scope: "firm", value: "none").value == nil)
    }

    @Test func anEditIsCheckedAgainstTheLimitsInForce() {
        let sidecar = RiskSidecar(limits: Self.limits, contracts: TestContracts.all)
        func check(_ control: String, _ scope: String, _ value: String) -> String {
            do {
                return try sidecar.check(LimitEdit(control: control, scope: scope, value: value)).summary
            } catch {
                return error.description
            }
        }
        #expect(check("maxPositionPerRoot", "root:XX", "10") == "root XX: no such product on this appliance")
        #expect(check("maxPositionPerMonth", "symbol:QQZ6", "10") == "symbol QQZ6: no such product on this appliance")
        #expect(check("maxPositionPerMonth", "symbol:CLZ6", "10") == "maxPositionPerMonth at symbol CLZ6: none → 10")
        // A throttle keeps its window and its logout level, and must stay below that level.
        #expect(check("orderRate", "firm", "80") == "orderRate at firm: 50/1s → 80/1s")
        #expect(check("orderRate", "firm", "200")
                == "orderRate at firm: 200 must stay below the level the session is logged out above (200); change that in the limits file")
        #expect(check("orderRate", "firm", "20/100ms") == "orderRate at firm: 50/1s → 20/100ms")
        // A throttle where none was needs its window.
        #expect(check("messageRate", "account:DESK1", "100").contains("expected its window too"))
        #expect(check("messageRate", "account:DESK1", "100/1s") == "messageRate at account DESK1: none → 100/1s")
        #expect(sidecar.limits == Self.limits, "checking changes nothing")
    }

    @Test func raisingIsAHigherMaximumOrNoLimitWhereThereWasOne() throws {
        let sidecar = RiskSidecar(limits: Self.limits, contracts: TestContracts.all)
        func raises(_ control: String, _ scope: String, _ value: String) throws -> Bool {
            try sidecar.check(LimitEdit(control: control, scope: scope, value: value)).raises
        }
        #expect(try raises("maxOrderSize", "account:DESK1", "101"))
        #expect(try !raises("maxOrderSize", "account:DESK1", "100"), "the same value")
        #expect(try !raises("maxOrderSize", "account:DESK1", "99"))
        #expect(try raises("maxOrderSize", "account:DESK1", ""), "removing a limit")
        #expect(try !raises("maxOrderSize", "account:DESK2", "1000"), "a first limit where none was")
        #expect(try !raises("maxOrderSize", "account:DESK2", ""), "removing none")
        #expect(try raises("maxGrossNotional", "account:DESK1", "5000000.01"))
        #expect(try !raises("maxGrossNotional", "account:DESK1", "4999999.99"))
        #expect(try raises("dailyLoss", "account:DESK1", "300000"), "a larger loss allowed")
        #expect(try !raises("dailyLoss", "account:DESK1", "100000"))
        #expect(try raises("maxPositionPerRoot", "root:CL", "401"))
        #expect(try !raises("maxPositionPerMonth", "account:DESK1", "0"))
        // A throttle is looser when it lets more through per unit of time.
        #expect(try raises("orderRate", "firm", "51"))
        #expect(try raises("orderRate", "firm", "50/500ms"), "the same count in a shorter window")
        #expect(try !raises("orderRate", "firm", "100/2s"), "the same rate")
        #expect(try !raises("orderRate", "firm", "99/2s"))
        #expect(try raises("orderRate", "firm", "none"))
    }

    @Test func anAppliedEditIsWhatTheNextCheckSees() throws {
        let sidecar = RiskSidecar(limits: Self.limits, contracts: TestContracts.all)
        var orders = OrderFactory()
        // Each order checked on its own: one accepted is taken off again.
        func check(_ order: RiskOrder) -> RiskDecision {
            let decision = sidecar.check(order, now: T.zero)
            if decision.isAccepted { sidecar.orderDone(key: order.key, now: T.zero) }
            return decision
        }
        #expect(check(orders.order(.buy, 40)).isAccepted)
        let lowered = try sidecar.apply(LimitEdit(control: "maxOrderSize", scope: "account:DESK1", value: "30"), raising: false)
        #expect(lowered == LimitEditResult(edit: try LimitEdit(control: "maxOrderSize", scope: "account:DESK1", value: "30"),
                                           old: "100", new: "30", raises: false))
        #expect(check(orders.order(.buy, 31)).text == "max order size: 31 contracts, limit 30 (account DESK1)")
        #expect(check(orders.order(.buy, 30)).isAccepted)

        // A raise without a second person is refused, and changes nothing.
        let raise = try LimitEdit(control: "maxOrderSize", scope: "account:DESK1", value: "200")
        #expect(throws: LimitEditError.needsApproval(summary: "maxOrderSize at account DESK1: 30 → 200")) {
            try sidecar.apply(raise, raising: false)
        }
        #expect(sidecar.limits.accounts["DESK1"]?.maxOrderSize == 30)
        #expect(try sidecar.apply(raise, raising: true).raises)
        #expect(check(orders.order(.buy, 60)).isAccepted)
        #expect(check(orders.order(.buy, 201)).check == .orderSize)

        // A loss limit keeps its allowReducing; a position limit set for a symbol is checked.
        try sidecar.apply(LimitEdit(control: "dailyLoss", scope: "account:DESK1", value: "1000"))
        #expect(sidecar.limits.accounts["DESK1"]?.dailyLoss == DailyLossLimit(limit: dec("1000"), allowReducing: true))
        try sidecar.apply(LimitEdit(control: "maxPositionPerMonth", scope: "symbol:CLK6", value: "5"))
        #expect(check(orders.order(.buy, 6)).check == .positionLimit)
        // One edit per control and scope is kept, the latest.
        #expect(sidecar.limitEdits.map(\.control) == [.maxOrderSize, .dailyLoss, .maxPositionPerMonth])
        #expect(sidecar.limitEdits.first?.value == "200")
    }

    @Test func aReloadOfTheFileKeepsTheEditsMadeWhileRunning() throws {
        let directory = TemporaryDirectory("limit-edits")
        defer { directory.remove() }
        let path = directory.path("risk-limits.yaml")
        try "accounts:\n  DESK1:\n    maxOrderSize: 10\n    maxPositionPerMonth: 50\n".write(toFile: path, atomically: true, encoding: .utf8)
        let logs = LogCapture()
        let sidecar = try RiskSidecar(limitsPath: path, contracts: TestContracts.all, logger: logs.logger)
        try sidecar.apply(LimitEdit(control: "maxOrderSize", scope: "account:DESK1", value: "5"))
        try "accounts:\n  DESK1:\n    maxOrderSize: 20\n    maxPositionPerMonth: 60\n".write(toFile: path, atomically: true, encoding: .utf8)
        try sidecar.reload(path: path)
        #expect(sidecar.limits.accounts["DESK1"]?.maxOrderSize == 5, "the console's edit stays over the file")
        #expect(sidecar.limits.accounts["DESK1"]?.maxPositionPerMonth == 60, "the file's other limits are read")
        var orders = OrderFactory()
        #expect(sidecar.check(orders.order(.buy, 6), now: T.zero).text == "max order size: 6 contracts, limit 5 (account DESK1)")
        #expect(logs.lines.contains { $0.message.hasPrefix("risk limits reloaded consoleEdits=1 ") }, "\(logs.lines.map(\.message))")
    }
}
