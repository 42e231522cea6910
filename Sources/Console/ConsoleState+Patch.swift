/// What changed between two states a page was sent, table by table: the rows added or changed
/// (by each table's key), and the keys in their new order when rows came, went or moved. A
/// page that has the old state and applies the patch has the new one, however few rows moved.
struct ConsolePatch: Encodable, Sendable {
    struct Table<Row: Encodable & Sendable>: Encodable, Sendable {
        /// Rows new or changed.
        var upsert: [Row]
        /// Every key in the new order, when it differs from the old: rows not listed are gone.
        var keys: [String]?
    }

    var time: Int64
    var tradingDate: String
    var signalSource: String
    var sessions: Table<ConsoleState.SessionRow>?
    var orders: Table<ConsoleState.OrderRow>?
    var fills: Table<ConsoleState.FillRow>?
    var positions: Table<ConsoleState.PositionRow>?
    var totals: Table<ConsoleState.TotalRow>?
    var limits: Table<ConsoleState.LimitRow>?
    var limitSettings: Table<ConsoleState.LimitSettingRow>?
    var killSwitches: Table<ConsoleState.KillSwitchRow>?
    var approvals: Table<ConsoleState.ApprovalRow>?
    var market: Table<ConsoleState.MarketRow>?
    var spreads: Table<ConsoleState.SpreadRow>?
    var venues: Table<ConsoleState.VenueRow>?
    var signals: Table<ConsoleState.SignalRow>?
    var signalContributors: Table<ConsoleState.SignalContributorRow>?
    var signalStates: Table<ConsoleState.SignalStateRow>?
    var signalHistory: Table<ConsoleState.SignalHistoryRow>?
    var tradingStates: Table<ConsoleState.TradingStateRow>?
    var alerts: Table<ConsoleState.AlertRow>?

    /// Whether no table changed (only the time moved).
    var isEmpty: Bool {
        sessions == nil && orders == nil && fills == nil && positions == nil && totals == nil && limits == nil && limitSettings == nil
            && killSwitches == nil && approvals == nil && market == nil && spreads == nil && venues == nil && signals == nil
            && tradingStates == nil && alerts == nil && signalContributors == nil && signalStates == nil
            && signalHistory == nil
    }

    static func table<Row: Equatable & Encodable & Sendable>(_ old: [Row], _ new: [Row], key: (Row) -> String) -> Table<Row>? {
        guard old != new else { return nil }
        var before: [String: Row] = [:]
        before.reserveCapacity(old.count)
        for row in old { before[key(row)] = row }
        var upsert: [Row] = []
        var keys: [String] = []
        keys.reserveCapacity(new.count)
        for row in new {
            let name = key(row)
            keys.append(name)
            if before[name] != row { upsert.append(row) }
        }
        let reordered = keys.count != old.count || !zip(keys, old).allSatisfy { $0 == key($1) }
        return Table(upsert: upsert, keys: reordered ? keys : nil)
    }
}

extension ConsoleState {
    /// How a page holding `old` comes to hold this state.
    func patch(from old: ConsoleState) -> ConsolePatch {
        ConsolePatch(
            time: time, tradingDate: tradingDate, signalSource: signalSource,
            sessions: ConsolePatch.table(old.sessions, sessions) { $0.name },
            orders: ConsolePatch.table(old.orders, orders) { $0.orderID },
            fills: ConsolePatch.table(old.fills, fills) { $0.execID },
            positions: ConsolePatch.table(old.positions, positions) { $0.account + " " + $0.symbol },
            totals: ConsolePatch.table(old.totals, totals) { $0.scope },
            limits: ConsolePatch.table(old.limits, limits) { $0.control + "|" + $0.scope + "|" + $0.subject },
            limitSettings: ConsolePatch.table(old.limitSettings, limitSettings) { $0.control + "|" + $0.scope },
            killSwitches: ConsolePatch.table(old.killSwitches, killSwitches) { $0.scope },
            approvals: ConsolePatch.table(old.approvals, approvals) { String($0.id) },
            market: ConsolePatch.table(old.market, market) { $0.symbol },
            spreads: ConsolePatch.table(old.spreads, spreads) { $0.name },
            venues: ConsolePatch.table(old.venues, venues) { $0.name },
            signals: ConsolePatch.table(old.signals, signals) { $0.root },
            signalContributors: ConsolePatch.table(old.signalContributors, signalContributors) { $0.root + "|" + $0.name },
            signalStates: ConsolePatch.table(old.signalStates, signalStates) { $0.name },
            signalHistory: ConsolePatch.table(old.signalHistory, signalHistory) { $0.id },
            tradingStates: ConsolePatch.table(old.tradingStates, tradingStates) { $0.scope },
            alerts: ConsolePatch.table(old.alerts, alerts) { String($0.number) })
    }
}
