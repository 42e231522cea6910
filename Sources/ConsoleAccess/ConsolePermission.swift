/// What a console user may do: each page's views and each action a page or WebSocket offers.
/// Every endpoint names the permission it needs, and ``ConsoleRole/permissions`` is the one
/// table that grants them:
///
/// | permission      | trader | risk_manager | compliance | admin |
/// |-----------------|:------:|:------------:|:----------:|:-----:|
/// | viewSessions    |        |      ✓       |     ✓      |   ✓   |
/// | controlSessions |        |              |            |   ✓   |
/// | viewOrders      |   ✓¹   |      ✓       |     ✓      |   ✓   |
/// | cancelOrders    |   ✓¹   |      ✓       |            |       |
/// | enterOrders     |   ✓¹   |              |            |       |
/// | viewPositions   |   ✓¹   |      ✓       |     ✓      |   ✓   |
/// | viewRisk        |        |      ✓       |     ✓      |   ✓   |
/// | changeRisk      |        |      ✓       |            |       |
/// | approveRisk     |        |      ✓       |            |       |
/// | viewMarket      |   ✓    |      ✓       |     ✓      |   ✓   |
/// | viewSignals     |   ✓    |      ✓       |     ✓      |   ✓   |
/// | searchAudit     |        |      ✓       |     ✓      |       |
/// | exportAudit     |        |              |     ✓      |       |
/// | manageUsers     |        |              |            |   ✓   |
/// | controlVenues   |        |              |            |   ✓   |
///
/// ¹ Only for the trader's own accounts: ``ConsoleUser/sees(account:)`` and
/// ``ConsoleUser/mayTrade(account:)`` narrow what the permission covers.
/// Compliance reads everything and changes nothing.
public enum ConsolePermission: String, CaseIterable, Sendable, Hashable, Codable {
    case viewSessions, controlSessions
    case viewOrders, cancelOrders, enterOrders
    case viewPositions
    case viewRisk, changeRisk, approveRisk
    case viewMarket, viewSignals
    case searchAudit, exportAudit
    case manageUsers, controlVenues

    /// Whether it only reads (the `view…` permissions and the audit search and export).
    public var onlyReads: Bool {
        switch self {
        case .viewSessions, .viewOrders, .viewPositions, .viewRisk, .viewMarket, .viewSignals, .searchAudit, .exportAudit: true
        case .controlSessions, .cancelOrders, .enterOrders, .changeRisk, .approveRisk, .manageUsers, .controlVenues: false
        }
    }
}

extension ConsoleRole {
    /// What the role may do: the table in ``ConsolePermission``'s documentation.
    public var permissions: Set<ConsolePermission> {
        switch self {
        case .trader:
            [.viewOrders, .cancelOrders, .enterOrders, .viewPositions, .viewMarket, .viewSignals]
        case .riskManager:
            [.viewSessions, .viewOrders, .cancelOrders, .viewPositions, .viewRisk, .changeRisk, .approveRisk,
             .viewMarket, .viewSignals, .searchAudit]
        case .compliance:
            [.viewSessions, .viewOrders, .viewPositions, .viewRisk, .viewMarket, .viewSignals, .searchAudit, .exportAudit]
        case .admin:
            [.viewSessions, .controlSessions, .viewOrders, .viewPositions, .viewRisk, .viewMarket, .viewSignals,
             .manageUsers, .controlVenues]
        }
    }

    public func may(_ permission: ConsolePermission) -> Bool { permissions.contains(permission) }
}
