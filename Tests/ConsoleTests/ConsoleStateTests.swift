@testable import Console
import ConsoleAccess
import Testing
import TestSupport

/// What each role's console is sent, as plain values.
struct ConsoleStateTests {
    static let hash = PasswordHash(hashing: "irrelevant-password", cost: 4)

    static func user(_ role: ConsoleRole, accounts: Set<String> = []) -> ConsoleUser {
        ConsoleUser(name: role.rawValue, role: role, accounts: accounts, password: hash)
    }

    static func order(_ id: String, account: String) -> ConsoleState.OrderRow {
        ConsoleState.OrderRow(orderID: id, clOrdID: "C-\(id)", session: "OMS1", account: account, symbol: "CLF7", side: "BUY", type: "LIMIT",
                              timeInForce: "DAY", quantity: 1, price: "70.00", stopPrice: "", cumQty: 0, leavesQty: 1, averagePrice: "",
                              status: "NEW", working: true)
    }

    static var state: ConsoleState {
        var state = ConsoleState(time: 1)
        state.sessions = [ConsoleState.SessionRow(name: "OMS1", id: "FIX.4.4:WELLHEAD->OMS1", kind: "oms", connected: true, state: "logged on",
                                                  nextIn: 2, nextOut: 3, lastReceived: 0, heartbeat: 30)]
        state.orders = [order("WH1", account: "DESK1"), order("WH2", account: "DESK2")]
        state.fills = [ConsoleState.FillRow(execID: "E1", account: "DESK2", symbol: "CLF7", side: "SELL", quantity: 1, price: "70.00",
                                            value: "70000.00", time: 1)]
        state.positions = [ConsoleState.PositionRow(account: "DESK1", root: "CL", symbol: "CLF7", net: 1, averagePrice: "70", mark: "71",
                                                    realised: "0", unrealised: "1000.00")]
        state.limits = [ConsoleState.LimitRow(control: "dailyLoss", scope: "firm", subject: "firm", used: "0", limit: "1", unit: "USD",
                                              percent: "0", level: "normal", account: nil)]
        state.killSwitches = [ConsoleState.KillSwitchRow(scope: "firm", engagedBy: "console:rita", reason: "", engagedAt: 1)]
        state.market = [ConsoleState.MarketRow(symbol: "CLF7", root: "CL", month: "2027-01", bid: "70.00", bidSize: 5, ask: "70.01",
                                               askSize: 4, last: "70.00", settlement: "")]
        return state
    }

    @Test func aTraderSeesOnlyItsAccountsAndNoSessionsOrLimits() {
        let seen = Self.state.visible(to: Self.user(.trader, accounts: ["DESK1"]))
        #expect(seen.orders.map(\.orderID) == ["WH1"])
        #expect(seen.fills.isEmpty)
        #expect(seen.positions.map(\.account) == ["DESK1"])
        #expect(seen.sessions.isEmpty)
        #expect(seen.limits.isEmpty && seen.killSwitches.isEmpty)
        #expect(seen.market.count == 1)
    }

    @Test func everyOtherRoleSeesEveryAccount() {
        for role in [ConsoleRole.riskManager, .compliance, .admin] {
            let seen = Self.state.visible(to: Self.user(role))
            #expect(seen.orders.count == 2, "\(role)")
            #expect(seen.fills.count == 1, "\(role)")
            #expect(seen.sessions.count == (role.may(.viewSessions) ? 1 : 0), "\(role)")
            #expect(seen.limits.count == (role.may(.viewRisk) ? 1 : 0), "\(role)")
        }
    }

    @Test func markupIsEscapedWhereTheServerWritesIt() {
        #expect(ConsolePages.escape(#"<script>alert("x")</script> & 'y'"#)
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
    }

    /// Changes that come while the publisher works fold into one more run.
    @Test func changesFoldIntoOneRun() async {
        let signal = ChangeSignal()
        let runs = Counter()
        signal.notify()
        signal.notify()
        signal.notify()
        let task = Task {
            await signal.forEachChange {
                await runs.add()
            }
        }
        _ = await eventuallyAsync { await runs.value >= 1 }
        signal.finish()
        await task.value
        #expect(await runs.value == 1)
    }

    actor Counter {
        var value = 0
        func add() { value += 1 }
    }
}

func eventuallyAsync(timeout: Double = 10, _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        await Task.yield()
    }
    return await condition()
}
