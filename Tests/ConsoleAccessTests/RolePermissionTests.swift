@testable import ConsoleAccess
import Testing

/// Every role against every permission, from a table written out here independently of
/// ``ConsoleRole/permissions``: a change to either shows up as a failing row.
@Suite struct RolePermissionTests {
    /// The issue's table, row by row: the roles that may use each permission.
    static let table: [ConsolePermission: Set<ConsoleRole>] = [
        .viewSessions: [.riskManager, .compliance, .admin],
        .controlSessions: [.admin],
        .viewOrders: [.trader, .riskManager, .compliance, .admin],
        .cancelOrders: [.trader, .riskManager],
        .enterOrders: [.trader],
        .viewPositions: [.trader, .riskManager, .compliance, .admin],
        .viewRisk: [.riskManager, .compliance, .admin],
        .changeRisk: [.riskManager],
        .approveRisk: [.riskManager],
        .viewMarket: [.trader, .riskManager, .compliance, .admin],
        .viewSignals: [.trader, .riskManager, .compliance, .admin],
        .searchAudit: [.riskManager, .compliance],
        .exportAudit: [.compliance],
        .manageUsers: [.admin],
        .controlVenues: [.admin],
    ]

    @Test func theTableCoversEveryPermission() {
        #expect(Set(Self.table.keys) == Set(ConsolePermission.allCases))
    }

    @Test(arguments: ConsoleRole.allCases, ConsolePermission.allCases)
    func eachRoleMayExactlyWhatTheTableGrants(role: ConsoleRole, permission: ConsolePermission) {
        let granted = Self.table[permission]?.contains(role) == true
        #expect(role.may(permission) == granted, "\(role.rawValue) \(granted ? "may" : "may not") \(permission.rawValue)")
        #expect(role.permissions.contains(permission) == granted)
    }

    @Test func complianceChangesNothing() {
        #expect(ConsoleRole.compliance.permissions.allSatisfy { $0.onlyReads })
        let views = ConsolePermission.allCases.filter { $0.rawValue.hasPrefix("view") }
        #expect(Set(views).isSubset(of: ConsoleRole.compliance.permissions))
    }

    @Test func aTraderSeesAndTradesOnlyItsAccountsAndEveryOtherRoleSeesAll() {
        let trader = Fixtures.user("tom", .trader, accounts: ["DESK1"])
        #expect(trader.sees(account: "DESK1") && !trader.sees(account: "DESK2"))
        #expect(trader.mayTrade(account: "DESK1") && !trader.mayTrade(account: "DESK2"))
        for role in ConsoleRole.allCases where role != .trader {
            let user = Fixtures.user("x", role, accounts: ["DESK1"])
            #expect(user.sees(account: "DESK2") && user.sees(account: "DESK1"))
            #expect(!user.mayTrade(account: "DESK1"), "\(role.rawValue) enters no orders")
        }
    }
}
