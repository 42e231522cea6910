import FIXCodec
import Foundation
import Instruments
import RiskSidecar
import Testing
import TestSupport

/// `risk-limits.yaml`: the shipped file, errors naming the file and key path, reloads.
@Suite struct RiskLimitsTests {
    @Test func theShippedFileLoads() throws {
        let limits = try RiskLimits.load(path: shippedLimitsPath)
        #expect(limits.firm.maxOrderSize == 500)
        #expect(limits.firm.maxOrderValue == dec("50000000"))
        #expect(limits.firm.messageRate == RateLimit(limit: 1_000, windowNanos: 3 * T.second, logoutAbove: 1_500))
        #expect(limits.firm.dailyLoss == DailyLossLimit(limit: dec("5000000"), allowReducing: true))
        // When the venue trades is its trading calendar's to say, not the limits' (the demo's
        // venue trades around the clock).
        #expect(limits.firm.tradingHours == nil)
        #expect(limits.firm.selfTradePrevention == .reject)
        #expect(Set(limits.accounts.keys) == ["DESK1", "DESK2"])
        #expect(Set(limits.sessions.keys) == ["OMS1", "OMS2"])
        #expect(Set(limits.roots.keys) == ["CL", "BZ", "RB", "HO"])
        #expect(limits.accounts["DESK1"]?.priceCollar == PriceCollar(.percent(3), references: [.last]))
        #expect(limits.accounts["DESK1"]?.duplicateWindowNanos == 2 * T.second)
        #expect(limits.accounts["DESK1"]?.selfTradePrevention == .cancelResting)
        #expect(limits.roots["CL"]?.marketProtection == .points(dec("0.50")))
        #expect(limits.roots["RB"]?.priceCollar == PriceCollar(.ticks(400)))
        #expect(limits.symbols["CLJ6"]?.restricted == true)
        #expect(limits.symbols["CLK6"]?.priceCollar?.references == [.mid, .last])
        #expect(limits.warningPercent == 75)
        #expect(limits.criticalPercent == 90)
    }

    @Test func theShippedFileDrivesTheSidecar() throws {
        let sidecar = try RiskSidecar(limitsPath: shippedLimitsPath, contracts: TestContracts.all)
        sidecar.updateReferencePrices(ReferencePrices(last: dec("75.28"), bid: dec("75.27"), ask: dec("75.29")),
                                      symbol: "CLK6", root: "CL", now: T.zero)
        var orders = OrderFactory()
        let market = sidecar.check(orders.order(.buy, 10, at: nil, type: .market), now: T.zero)
        #expect(market.isAccepted, "\(market.text)")
        #expect(market.adjustedLimitPrice == dec("75.79"))
        #expect(sidecar.check(orders.order(.buy, 201), now: T.zero).rejection?.scope == .account("DESK1"))
        #expect(sidecar.check(orders.order(.buy, 51, session: "OMS2"), now: T.zero).rejection?.scope == .session("OMS2"))
        #expect(sidecar.check(orders.order(.buy, 1, "CLJ6"), now: T.zero).check == .restrictedInstrument)
        // CLK6 collars from mid (75.28) at 75 ticks.
        #expect(sidecar.check(orders.order(.buy, 1, at: "76.04"), now: T.zero).text
                    == "price collar: 76.04 is 76 ticks from reference 75.28, limit 75 ticks (symbol CLK6)")
        // Saturday: the shipped limits leave the venue's hours to its trading calendar.
        #expect(sidecar.check(orders.order(.buy, 1), now: T.at(seconds: 4 * 86_400)).isAccepted, "Saturday")
    }

    private func parse(_ yaml: String) -> RiskLimitsError? {
        do {
            _ = try RiskLimits.parse(yaml: yaml, file: "risk-limits.yaml")
            return nil
        } catch {
            return error
        }
    }

    @Test func errorsNameTheFileTheKeyPathAndTheValue() {
        let cases: [(String, String)] = [
            ("accounts:\n  DESK1:\n    maxOrderSize: ten\n",
             "risk-limits.yaml: accounts.DESK1.maxOrderSize: expected a positive integer, got 'ten'"),
            ("accounts:\n  DESK1:\n    maxOrderSize: 0\n",
             "risk-limits.yaml: accounts.DESK1.maxOrderSize: expected a positive integer, got '0'"),
            ("firm:\n  maxOrderValue: -5\n",
             "risk-limits.yaml: firm.maxOrderValue: expected a positive number, got '-5'"),
            ("roots:\n  CL:\n    maxOrderSzie: 10\n",
             "risk-limits.yaml: roots.CL.maxOrderSzie: unknown key (expected one of: maxOrderSize, maxOrderValue, priceCollar, marketProtection, maxPositionPerMonth, maxPositionPerRoot, maxGrossNotional, dailyLoss, orderRate, messageRate, duplicateWindow, restricted, tradingHours, selfTradePrevention, tradingState, cancelOnDisconnect)"),
            ("firms:\n  maxOrderSize: 1\n",
             "risk-limits.yaml: firms: unknown key (expected one of: firm, accounts, sessions, roots, symbols, warnings)"),
            ("roots:\n  CL:\n    priceCollar: {ticks: 50, percent: 2}\n",
             "risk-limits.yaml: roots.CL.priceCollar.percent: give ticks or percent, not both"),
            ("roots:\n  CL:\n    priceCollar: {ticks: 50, reference: close}\n",
             "risk-limits.yaml: roots.CL.priceCollar.reference: expected one of last, mid, settlement, got 'close'"),
            ("roots:\n  CL:\n    priceCollar: {ticks: 50, reference: [last, bogus]}\n",
             "risk-limits.yaml: roots.CL.priceCollar.reference[1]: expected one of last, mid, settlement, got 'bogus'"),
            ("sessions:\n  OMS1:\n    orderRate: {limit: 10}\n",
             "risk-limits.yaml: sessions.OMS1.orderRate.window: missing (a duration such as 1s)"),
            ("sessions:\n  OMS1:\n    orderRate: {limit: 10, window: soon}\n",
             "risk-limits.yaml: sessions.OMS1.orderRate.window: expected a duration such as 500ms, 1s or 2m, got 'soon'"),
            ("sessions:\n  OMS1:\n    messageRate: {limit: 10, window: 1s, logoutAbove: 5}\n",
             "risk-limits.yaml: sessions.OMS1.messageRate.logoutAbove: expected a number above limit (10) and at most 1000000, got '5'"),
            ("sessions:\n  OMS1:\n    dailyLoss: {limit: 1000}\n",
             "risk-limits.yaml: sessions.OMS1.dailyLoss: not available at session scope (P&L is kept per account and instrument)"),
            ("symbols:\n  CLK6:\n    maxPositionPerRoot: 10\n",
             "risk-limits.yaml: symbols.CLK6.maxPositionPerRoot: not available at symbol scope (a contract month has no root-wide position; use maxPositionPerMonth)"),
            ("roots:\n  CL:\n    orderRate: {limit: 1, window: 1s}\n",
             "risk-limits.yaml: roots.CL.orderRate: not available at root scope (throttles are per firm, account or session)"),
            ("firm:\n  restricted: true\n",
             "risk-limits.yaml: firm.restricted: not available at firm scope (set tradingState: HALTED to stop the firm)"),
            ("accounts:\n  DESK1:\n    tradingState: PAUSED\n",
             "risk-limits.yaml: accounts.DESK1.tradingState: expected one of ACTIVE, REDUCING, HALTED, got 'PAUSED'"),
            ("accounts:\n  DESK1:\n    selfTradePrevention: maybe\n",
             "risk-limits.yaml: accounts.DESK1.selfTradePrevention: expected one of off, reject, cancelResting, got 'maybe'"),
            ("firm:\n  cancelOnDisconnect: yes please\n",
             "risk-limits.yaml: firm.cancelOnDisconnect: expected true or false, got 'yes please'"),
            ("roots:\n  CL:\n    tradingHours: {timeZone: Mars/Olympus, open: \"18:00\", close: \"17:00\"}\n",
             "risk-limits.yaml: roots.CL.tradingHours.timeZone: expected an IANA time zone such as America/New_York, got 'Mars/Olympus'"),
            ("roots:\n  CL:\n    tradingHours: {open: \"25:00\", close: \"17:00\"}\n",
             "risk-limits.yaml: roots.CL.tradingHours.open: expected a local time HH:MM, got '25:00'"),
            ("roots:\n  CL:\n    tradingHours: {open: \"18:00\", close: \"17:00\", days: [mon, funday]}\n",
             "risk-limits.yaml: roots.CL.tradingHours.days[1]: expected a day (sun, mon, tue, wed, thu, fri, sat), got 'funday'"),
            ("roots:\n  CL:\n    marketProtection: {points: 0.5, ticks: 3}\n",
             "risk-limits.yaml: roots.CL.marketProtection.ticks: give points or ticks, not both"),
            ("accounts:\n  DESK1:\n    dailyLoss: {allowReducing: true}\n",
             "risk-limits.yaml: accounts.DESK1.dailyLoss.limit: missing (the loss, in dollars, that stops new orders)"),
            ("accounts:\n  DESK1: 5\n",
             "risk-limits.yaml: accounts.DESK1: expected a mapping of keys, got '5'"),
            ("warnings: {warning: 90, critical: 75}\n",
             "risk-limits.yaml: warnings: warning (90) must be below critical (75)"),
        ]
        for (yaml, expected) in cases {
            #expect(parse(yaml)?.description == expected, "\(yaml)")
        }
        #expect(parse("accounts:\n  DESK1:\n    maxOrderSize: ten\n")?.line == 3)
        #expect(parse("accounts:\n  DESK1:\n    maxOrderSize: ten\n")?.keyPath == "accounts.DESK1.maxOrderSize")
        #expect(parse("firm: [1, 2\n")?.description.hasPrefix("risk-limits.yaml: not valid YAML") == true)
        // Repeated keys are refused by the YAML parser itself, which names the key.
        let repeated = parse("accounts:\n  DESK1:\n    maxOrderSize: 1\n    maxOrderSize: 2\n")?.description
        #expect(repeated?.hasPrefix("risk-limits.yaml: not valid YAML") == true)
        #expect(repeated?.contains("'maxOrderSize'") == true)
    }

    @Test func valuesInTheirAcceptedForms() throws {
        let limits = try RiskLimits.parse(yaml: """
            firm:
              maxOrderValue: 1_500_000.50
              duplicateWindow: 250ms
              tradingHours: {open: "09:00", close: "24:00", days: [Monday, fri]}
            accounts:
              EMPTY:
              DESK1: {maxPositionPerMonth: 0, restricted: false, dailyLoss: {limit: 10, allowReducing: true}}
            sessions:
              OMS1: {orderRate: {limit: 5, window: 2m}, cancelOnDisconnect: false}
            """)
        #expect(limits.firm.maxOrderValue == dec("1500000.50"))
        #expect(limits.firm.duplicateWindowNanos == 250 * T.millisecond)
        #expect(limits.firm.tradingHours == TradingHours(timeZone: "UTC", open: 540, close: 1_440, days: [.monday, .friday]))
        #expect(limits.accounts["EMPTY"] == LimitSet())
        #expect(limits.accounts["DESK1"]?.maxPositionPerMonth == 0)
        #expect(limits.sessions["OMS1"]?.orderRate?.windowNanos == 120 * T.second)
        #expect(limits.sessions["OMS1"]?.cancelOnDisconnect == false)
        #expect(try RiskLimits.parse(yaml: "") == RiskLimits())
    }

    @Test func aMissingFileIsNamed() {
        do {
            _ = try RiskLimits.load(path: "/nonexistent/risk-limits.yaml")
            Issue.record("loaded a file that does not exist")
        } catch {
            #expect(error.file == "/nonexistent/risk-limits.yaml")
            #expect(error.description.hasPrefix("/nonexistent/risk-limits.yaml: cannot read the file"))
        }
    }

    @Test func reloadSwapsLimitsAndABadFileKeepsTheOldOnes() throws {
        let directory = TemporaryDirectory("risk-limits")
        defer { directory.remove() }
        let path = directory.path("risk-limits.yaml")
        try "accounts:\n  DESK1:\n    maxOrderSize: 10\n".write(toFile: path, atomically: true, encoding: .utf8)
        let logs = LogCapture()
        let sidecar = try RiskSidecar(limitsPath: path, contracts: TestContracts.all, logger: logs.logger)
        var orders = OrderFactory()
        #expect(sidecar.check(orders.order(.buy, 11), now: T.zero).check == .orderSize)

        try "accounts:\n  DESK1:\n    maxOrderSize: 20\n".write(toFile: path, atomically: true, encoding: .utf8)
        try sidecar.reload(path: path)
        #expect(sidecar.limits.accounts["DESK1"]?.maxOrderSize == 20)
        #expect(sidecar.check(orders.order(.buy, 11), now: T.zero).isAccepted)
        #expect(sidecar.check(orders.order(.buy, 21), now: T.zero).text == "max order size: 21 contracts, limit 20 (account DESK1)")

        try "accounts:\n  DESK1:\n    maxOrderSize: ten\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            try sidecar.reload(path: path)
            Issue.record("a bad file reloaded")
        } catch {
            #expect(error.description == "\(path): accounts.DESK1.maxOrderSize: expected a positive integer, got 'ten'")
        }
        #expect(sidecar.limits.accounts["DESK1"]?.maxOrderSize == 20, "the old limits stay")
        #expect(sidecar.check(orders.order(.buy, 21), now: T.zero).check == .orderSize)
        #expect(logs.lines.contains { $0.level == .error && $0.message.contains("keeping the current ones") })
    }

    @Test func reloadKeepsStateAndAppliesChangedTradingStates() {
        var engine = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100,
                                                                        orderRate: RateLimit(limit: 2, windowNanos: T.second))]))
        var orders = OrderFactory()
        #expect(engine.check(orders.order(.buy, 60), now: T.at(ms: 0)).isAccepted)
        #expect(engine.check(orders.order(.buy, 30), now: T.at(ms: 1)).isAccepted)
        engine.replaceLimits(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100, orderRate: RateLimit(limit: 3, windowNanos: T.second),
                                                                     tradingState: .reducing)]))
        #expect(engine.tradingState(account: "DESK1") == .reducing)
        let third = engine.check(orders.order(.buy, 1), now: T.at(ms: 2))
        #expect(third.check == .tradingState, "the throttle kept its history (3 of 3) and the state changed")
        #expect(engine.check(orders.order(.buy, 1), now: T.at(ms: 3)).check == .orderRate)
        engine.setTradingState(.active, for: .account("DESK1"), by: "risk.ops", now: T.zero)
        engine.replaceLimits(RiskLimits(accounts: ["DESK1": LimitSet(maxPositionPerMonth: 95, tradingState: .reducing)]))
        #expect(engine.tradingState(account: "DESK1") == .active, "an unchanged state in the file does not override a person")
        #expect(engine.check(orders.order(.buy, 6), now: T.at(seconds: 5)).check == .positionLimit, "90 working + 6 > 95")
    }
}
