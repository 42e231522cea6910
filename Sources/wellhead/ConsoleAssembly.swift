import AdminSocket
import Console
import ConsoleAccess
import CoreMetrics
import FIXCodec
import FIXDictionary
import FIXJournal
import FIXTransport
import FIXVocabulary
import Gateway
import Instruments
import JournalAudit
import MarketDataFeed
import NIOSSL
import OrderEntry
import Logging
import Positions
import RiskSidecar
import Synchronization

/// The console's backend in the appliance: what the pages show is taken from the gateway on
/// its own loop (orders, fills, positions, the market) and from the risk sidecar and the
/// sessions, which keep their own locks; what a user does goes through the gateway's admin
/// requests, journaled with the signed-in user (`console:<name>`).
struct GatewayConsoleBackend: ConsoleBackend {
    let application: GatewayApplication
    let journal: Journal
    let changes = ChangeSignal()
    let clock: @Sendable () -> Int64
    /// The console's own session in the gateway, for orders traders enter (none: no order entry).
    let entry: GatewayConsoleSession?

    init(application: GatewayApplication, journal: Journal, clock: @escaping @Sendable () -> Int64, entry: GatewayConsoleSession? = nil) {
        self.application = application
        self.journal = journal
        self.clock = clock
        self.entry = entry
        application.observeChanges { [changes] in changes.notify() }
    }

    func state() async throws -> ConsoleState {
        let now = clock()
        // The gateway's loop, in short turns: the orders first, then the futures' tops of book a
        // few at a time, so an order that arrives meanwhile waits for one short turn at most.
        var taken = try await application.onLoop { gateway in Self.take(gateway, now: now) }
        for start in stride(from: 0, to: taken.futureInstruments.count, by: Self.futuresPerTurn) {
            let instruments = Array(taken.futureInstruments[start..<min(start + Self.futuresPerTurn, taken.futureInstruments.count)])
            taken.futures += try await application.onLoop { gateway in Self.tops(gateway, of: instruments) }
        }
        var state = Self.gatewayState(taken, now: now)
        let venues = application.venueSessions
        state.sessions = application.sessionEndpoints.map { endpoint in
            let queued = endpoint.queuedState
            let name = endpoint.id.targetCompID
            return ConsoleState.SessionRow(name: name, id: endpoint.id.description, kind: venues.contains(name) ? "venue" : "oms",
                                           connected: endpoint.isConnected, state: Self.describe(connected: endpoint.isConnected, queued?.status),
                                           nextIn: queued?.nextTargetSeqNum ?? 0, nextOut: queued?.nextSenderSeqNum ?? 0,
                                           lastReceived: endpoint.metrics.activity.lastReceivedAt, heartbeat: endpoint.configuration.heartBtInt,
                                           latency: endpoint.metrics.activity.lastHeartbeatLag.map(Self.duration) ?? "")
        }
        state.venues = taken.venues.map { venue in
            let status = if !venue.connected { "disconnected" }
                else if venue.halts.isEmpty { "trading" }
                else { venue.halts.map { "\($0.symbol ?? "every instrument") halted: \($0.reason)" }.joined(separator: "; ") }
            return ConsoleState.VenueRow(name: venue.name, connected: venue.connected, halted: !venue.halts.isEmpty, status: status)
        }
        state.alerts = taken.warnings.reversed().map { raised in
            var account: String?
            if case .account(let name) = raised.warning.utilisation.scope { account = name }
            return ConsoleState.AlertRow(number: raised.number, time: raised.time, level: raised.warning.utilisation.level.rawValue,
                                         message: raised.warning.message, account: account)
        }
        let market = application.marketView()
        state.spreads = market.derived.map { ConsoleState.SpreadRow(name: $0.symbol, value: $0.price.description, unit: $0.unit) }
        state.signals = market.signals.map { signal in
            var row = ConsoleState.SignalRow(root: signal.root, direction: signal.direction, score: signal.score?.description ?? "",
                                             confidence: signal.confidence.description)
            row.horizon = Self.horizon(signal.horizon)
            row.updated = signal.updated ?? 0
            row.bars = signal.bars
            if let price = signal.frontPrice {
                let symbol = signal.frontMonth.map { $0.symbol(root: signal.root) } ?? signal.root
                row.lastClose = "\(symbol) \(Self.fixed(price, 2))"
            }
            row.signals = signal.signals
            row.winRate = signal.winRate.map { Self.fixed($0 * 100, 1) } ?? ""
            row.averageReturn = signal.averageReturn.map { Self.fixed($0 * 100, 3) } ?? ""
            return row
        }
        state.signalSource = application.signalHistorySource
        state.signalContributors = market.signals.flatMap { signal in
            signal.contributors.map { reading in
                var row = ConsoleState.SignalContributorRow(root: signal.root, name: reading.contributor.rawValue,
                                                            weight: Self.fixed(reading.weight, 2), value: reading.value.map { Self.fixed($0, 4) } ?? "")
                if reading.value != nil {
                    row.direction = reading.direction(entry: signal.thresholds.entry).rawValue
                    row.confidence = Self.fixed(reading.confidence, 2)
                }
                return row
            }
        }
        state.signalStates = market.signals.map { signal in
            ConsoleState.SignalStateRow(name: "\(signal.root) curve", state: signal.shape?.uppercased() ?? "",
                                        value: signal.rollYield.map { Self.fixed($0 * 100, 2) } ?? "", measure: "roll yield, % a year")
        } + market.spreads.map { spread in
            ConsoleState.SignalStateRow(name: spread.name, state: spread.zScore == nil ? "" : spread.state,
                                        value: spread.zScore.map { Self.fixed($0, 2) } ?? "",
                                        measure: "z-score (enter \(Self.fixed(spread.entry, 1)), exit \(Self.fixed(spread.exit, 1)))")
        }
        state.signalHistory = market.signals.flatMap { signal in
            let measured = signal.outcomes.map { outcome in
                ConsoleState.SignalHistoryRow(root: signal.root, time: outcome.change.time, previous: outcome.change.previous.rawValue,
                                              direction: outcome.change.direction.rawValue, score: Self.fixed(outcome.change.score, 4),
                                              entryPrice: Self.fixed(outcome.change.frontPrice, 2), exitPrice: Self.fixed(outcome.exitPrice, 2),
                                              signalReturn: Self.fixed(outcome.signalReturn * 100, 3),
                                              outcome: outcome.change.direction == .neutral ? "flat" : outcome.isWin ? "win" : "loss")
            }
            let pending = signal.pending.map { change in
                ConsoleState.SignalHistoryRow(root: signal.root, time: change.time, previous: change.previous.rawValue,
                                              direction: change.direction.rawValue, score: Self.fixed(change.score, 4),
                                              entryPrice: Self.fixed(change.frontPrice, 2), exitPrice: "", signalReturn: "", outcome: "pending")
            }
            return (measured + pending).reversed().prefix(ConsoleState.recentSignals)
        }
        let risk = application.risk
        state.limits = risk.utilisation(now: now).map { limit in
            var account: String?
            if case .account(let name) = limit.scope { account = name }
            return ConsoleState.LimitRow(control: limit.kind.rawValue, scope: limit.scope.description, subject: limit.subject,
                                         used: limit.used.description, limit: limit.limit.description, unit: limit.unit.description,
                                         percent: limit.percent.description, level: limit.level.rawValue, account: account)
        }
        let setBy = Dictionary(taken.tradingStates.map { ($0.scope, $0) }, uniquingKeysWith: { $1 })
        state.tradingStates = risk.tradingStates.map { scope, tradingState in
            var account: String?
            if case .account(let name) = scope { account = name }
            let record = setBy[scope.description]
            return ConsoleState.TradingStateRow(scope: scope.description, state: tradingState.rawValue, setBy: record?.by ?? "",
                                                reason: record?.reason ?? "", since: record?.time ?? 0, account: account)
        }
        state.limitSettings = Self.limitSettings(risk.limits)
        state.killSwitches = risk.killSwitchHistory.filter(\.isEngaged).map { record in
            ConsoleState.KillSwitchRow(scope: Self.scope(record.level), engagedBy: record.engagedBy, reason: record.reason,
                                       engagedAt: record.engagedAt)
        }
        return state
    }

    /// What the gateway holds, taken on its loop as values (orders, fills, the position book,
    /// each future's top of book): the least the loop can do, the rows are made after.
    struct Taken: Sendable {
        typealias Top = (instrument: Instrument, bid: BookDepth.Level?, ask: BookDepth.Level?, last: FIXDecimal?, mark: FIXDecimal?)
        var tradingDate: String
        var working: [ClientOrder]
        var done: [ClientOrder]
        var fills: ArraySlice<Fill>
        var book: PositionBook
        var warnings: [RaisedWarning]
        var venues: [VenueStatus]
        var tradingStates: [TradingStateRecord]
        /// The futures listed: their tops are taken in turns of their own (``tops(_:of:)``).
        var futureInstruments: [Instrument]
        var futures: [Top] = []
    }

    /// Futures whose tops of book one turn on the gateway's loop takes (about 8 µs each).
    static let futuresPerTurn = 8

    /// On the gateway's loop: the orders, fills, positions and the futures listed.
    static func take(_ gateway: OrderGateway, now: Int64) -> Taken {
        let (working, done) = gateway.recentOrders(ConsoleState.recentOrders)
        return Taken(tradingDate: gateway.dayStatus(now: now).tradingDate.description, working: working, done: done,
                     fills: gateway.recentFills.suffix(ConsoleState.recentFills), book: gateway.positions,
                     warnings: Array(gateway.recentWarnings.suffix(ConsoleState.recentAlerts)), venues: gateway.venueStatuses,
                     tradingStates: gateway.tradingStateRecords, futureInstruments: gateway.catalog.instruments.filter { $0.kind == .future })
    }

    /// On the gateway's loop: the top of book, last trade and mark of each of `instruments`.
    static func tops(_ gateway: OrderGateway, of instruments: [Instrument]) -> [Taken.Top] {
        zip(instruments, gateway.tops(symbols: instruments.map(\.symbol))).map { instrument, top in
            (instrument, top.bid, top.ask, top.last, top.mark)
        }
    }

    /// The rows the console shows, made from what ``take(_:now:)`` took; off the loop.
    static func gatewayState(_ taken: Taken, now: Int64) -> ConsoleState {
        var state = ConsoleState(time: now)
        state.tradingDate = taken.tradingDate
        state.orders = (taken.working.sorted { $0.orderID > $1.orderID } + taken.done).map { order in
            let terms = order.terms
            return ConsoleState.OrderRow(orderID: order.orderID, clOrdID: order.clOrdID, session: order.session, account: terms.account,
                                         symbol: terms.symbol, side: terms.side == .buy ? "BUY" : "SELL", type: Self.label(terms.type),
                                         timeInForce: Self.label(terms.timeInForce), quantity: terms.quantity, price: terms.price?.description ?? "",
                                         stopPrice: terms.stopPrice?.description ?? "", cumQty: order.cumQty, leavesQty: order.leavesQty,
                                         averagePrice: order.cumQty > 0 ? order.averagePrice.description : "", status: "\(order.status)".uppercased(),
                                         working: !order.status.isTerminal, enteredBy: order.enteredBy ?? "")
        }
        state.fills = taken.fills.reversed().map { fill in
            ConsoleState.FillRow(execID: fill.execID, account: fill.account, symbol: fill.symbol, side: fill.side == .buy ? "BUY" : "SELL",
                                 quantity: fill.quantity, price: fill.price.description,
                                 value: (fill.price * FIXDecimal(mantissa: fill.quantity) * fill.multiplier).rounded(toScale: 2).description,
                                 time: fill.time.nanosecondsSinceEpoch)
        }
        let book = taken.book
        state.positions = book.positions().map { position in
            ConsoleState.PositionRow(account: position.account, root: position.root, symbol: position.symbol, net: position.quantity,
                                     averagePrice: position.averagePrice?.description ?? "", mark: position.mark.price.description,
                                     realised: position.realised.description, unrealised: position.unrealised.description)
        }
        func total(_ scope: String, account: String?, root: String? = nil) -> ConsoleState.TotalRow {
            let sum = book.totals(account: account, root: root)
            return ConsoleState.TotalRow(scope: scope, account: account, realised: sum.realised.description, unrealised: sum.unrealised.description,
                                         dayPnL: sum.dayPnL.description, grossExposure: sum.grossExposure.description)
        }
        state.totals = [total("firm", account: nil)]
        for account in book.accounts {
            state.totals.append(total(account, account: account))
            for root in Set(book.positions(account: account).map(\.root)).sorted() {
                state.totals.append(total("\(account) \(root)", account: account, root: root))
            }
        }
        state.market = taken.futures.map { future in
            ConsoleState.MarketRow(symbol: future.instrument.symbol, root: future.instrument.root, month: future.instrument.month.description,
                                   bid: future.bid?.price.description ?? "", bidSize: future.bid?.quantity ?? 0,
                                   ask: future.ask?.price.description ?? "", askSize: future.ask?.quantity ?? 0,
                                   last: future.last?.description ?? "", settlement: future.mark?.description ?? "")
        }
        return state
    }

    /// How a desk writes them: `LIMIT`, `STOP LIMIT`; `DAY`, `GTC`, `IOC`.
    static func label(_ type: OrderType) -> String {
        switch type {
        case .market: "MARKET"
        case .limit: "LIMIT"
        case .stop: "STOP"
        case .stopLimit: "STOP LIMIT"
        }
    }

    static func label(_ timeInForce: TimeInForce) -> String {
        switch timeInForce {
        case .day: "DAY"
        case .goodTillCancel: "GTC"
        case .immediateOrCancel: "IOC"
        case .fillOrKill: "FOK"
        case .goodTillDate: "GTD"
        }
    }

    /// A signal's figure as text with `places` decimals (signals are statistics, not prices
    /// on the order path: computed in binary floating point, shown rounded).
    static func fixed(_ value: Double, _ places: Int) -> String {
        guard value.isFinite else { return "" }
        let text = String(format: "%.\(places)f", value)
        // A value that rounds to zero is 0, whichever side it came from.
        return text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(text.dropFirst()) : text
    }

    /// A horizon as a desk writes it: `5m`, `4h`, `1d`.
    static func horizon(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds / 1_000_000_000
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    /// Nanoseconds as the page shows them: µs below a millisecond, else ms.
    static func duration(_ nanoseconds: Int64) -> String {
        nanoseconds < 1_000_000 ? "\(nanoseconds / 1_000) µs" : "\(nanoseconds / 1_000_000) ms"
    }

    static func describe(connected: Bool, _ status: JournalSessionStatus?) -> String {
        if connected { return "logged on" }
        switch status {
        case .loggedOn: return "dropped"
        case .resetPending: return "reset pending"
        case .loggedOut, nil: return "logged out"
        }
    }

    static func scope(_ level: KillSwitchLevel) -> String {
        switch level {
        case .firm: "firm"
        case .account(let name): "account:\(name)"
        case .session(let name): "session:\(name)"
        }
    }

    func perform(_ action: ConsoleAction, by user: ConsoleUser) async -> ConsoleOutcome {
        let person = "console:\(user.name)"
        let request: AdminRequest
        switch action {
        case .cancelOrder(let orderID):
            if user.role == .trader, let entry, await isConsoleOrder(orderID) {
                return await Self.outcome { () async throws(ConsoleEntryError) in try await entry.cancel(orderID: orderID, by: user.name, accounts: user.accounts) }
            }
            request = AdminRequest(command: .cancelOrder, by: person, reason: "console", orderID: orderID)
        case .newOrder, .replaceOrder:
            return await enter(action, by: user)
        case .cancelAll(let account):
            request = AdminRequest(command: .cancelAccount, scope: "account:\(account)", by: person, reason: "console")
        case .engageKillSwitch(let scope, let reason):
            request = AdminRequest(command: .engageKillSwitch, scope: scope, by: person, reason: reason)
        case .releaseKillSwitch(let scope, let reason):
            request = AdminRequest(command: .releaseKillSwitch, scope: scope, by: person, reason: reason)
        case .setTradingState(let scope, let tradingState, let reason):
            request = AdminRequest(command: .tradingState, scope: scope, by: person, reason: reason, state: tradingState)
        case .logout(let session), .disconnect(let session), .resetSequenceNumbers(let session):
            return await sessionControl(action, session: session, by: person)
        case .setLimit(let control, let scope, let value):
            request = AdminRequest(command: .setLimit, scope: scope, by: person, reason: "console", control: control, value: value)
        case .approve:
            return ConsoleOutcome(ok: false, message: "an approval is the console's own")
        }
        let response = await application.handle(request)
        return ConsoleOutcome(ok: response.ok, message: response.message)
    }

    /// Checked against the risk sidecar's limits in force (it keeps its own lock): nothing changes.
    func checkLimitEdit(control: String, scope: String, value: String) async -> LimitEditCheck {
        do {
            let result = try application.risk.check(LimitEdit(control: control, scope: scope, value: value))
            return LimitEditCheck(ok: true, raises: result.raises, message: result.summary)
        } catch {
            return LimitEditCheck(ok: false, raises: false, message: "\(error)")
        }
    }

    /// The admin request `limit-set` by the person who asked, with the approver named: the
    /// gateway makes a raise only so (`risk.limit` names both, as does the `admin` record).
    func performApprovedLimitEdit(control: String, scope: String, value: String, requestedBy: String,
                                  approvedBy approver: ConsoleUser) async -> ConsoleOutcome {
        let request = AdminRequest(command: .setLimit, scope: scope, by: "console:\(requestedBy)", reason: "console, four eyes",
                                   control: control, value: value, approvedBy: "console:\(approver.name)")
        let response = await application.handle(request)
        return ConsoleOutcome(ok: response.ok, message: response.message)
    }

    /// Every editable limit as configured now, scope by scope (firm, accounts, sessions, roots,
    /// symbols, each by name).
    static func limitSettings(_ limits: RiskLimits) -> [ConsoleState.LimitSettingRow] {
        var scopes: [(RiskScope, LimitSet)] = [(.firm, limits.firm)]
        scopes += limits.accounts.sorted { $0.key < $1.key }.map { (.account($0.key), $0.value) }
        scopes += limits.sessions.sorted { $0.key < $1.key }.map { (.session($0.key), $0.value) }
        scopes += limits.roots.sorted { $0.key < $1.key }.map { (.root($0.key), $0.value) }
        scopes += limits.symbols.sorted { $0.key < $1.key }.map { (.symbol($0.key), $0.value) }
        return scopes.flatMap { scope, set in
            LimitControl.allCases.compactMap { control in
                set.value(of: control).map {
                    ConsoleState.LimitSettingRow(control: control.rawValue, scope: scope.key, value: $0, unit: control.unit)
                }
            }
        }
    }

    // MARK: Order entry

    /// Whether `orderID` came from the console's own session.
    private func isConsoleOrder(_ orderID: String) async -> Bool {
        do {
            return try await application.onLoop { gateway in gateway.order(orderID)?.session == GatewayConsoleSession.name }
        } catch {
            return false
        }
    }

    /// A new order or a replace, through the console's own session.
    private func enter(_ action: ConsoleAction, by user: ConsoleUser) async -> ConsoleOutcome {
        guard let entry else { return ConsoleOutcome(ok: false, message: "this appliance takes no orders from the console") }
        switch action {
        case .newOrder(let ticket):
            let typed: ConsoleOrderTicket
            switch Self.typed(ticket) {
            case .success(let made): typed = made
            case .failure(let problem): return ConsoleOutcome(ok: false, message: problem.text)
            }
            return await Self.outcome { () async throws(ConsoleEntryError) in try await entry.submit(typed, by: user.name, accounts: user.accounts) }
        case .replaceOrder(let orderID, let quantity, let price):
            let quantity = quantity.flatMap { $0.isEmpty ? nil : Int64($0) }
            let price = price.flatMap { $0.isEmpty ? nil : FIXDecimal($0) }
            return await Self.outcome { () async throws(ConsoleEntryError) in
                try await entry.replace(orderID: orderID, quantity: quantity, price: price, by: user.name, accounts: user.accounts)
            }
        default:
            return ConsoleOutcome(ok: false, message: "not an order entry")
        }
    }

    func preview(_ ticket: ConsoleTicket, by user: ConsoleUser) async -> ConsolePreview {
        guard let entry else { return ConsolePreview(ok: false, accepted: false, message: "this appliance takes no orders from the console") }
        let typed: ConsoleOrderTicket
        switch Self.typed(ticket) {
        case .success(let made): typed = made
        case .failure(let problem): return ConsolePreview(ok: false, accepted: false, message: problem.text)
        }
        let preview: RiskPreview
        do {
            if let orderID = ticket.replacing {
                preview = try await entry.previewReplace(orderID: orderID, quantity: typed.quantity, price: typed.price ?? typed.stopPrice,
                                                         accounts: user.accounts)
            } else {
                preview = try await entry.preview(typed, accounts: user.accounts)
            }
        } catch {
            return ConsolePreview(ok: false, accepted: false, message: "\(error)", refused: Self.isRefusal(error))
        }
        let limits = preview.limits.map { row in
            ConsolePreview.Limit(control: row.after.kind.rawValue, scope: row.after.scope.description, subject: row.after.subject,
                                 unit: row.after.unit.description, limit: row.after.limit.description,
                                 usedBefore: row.before?.used.description ?? "0", percentBefore: row.before?.percent.description ?? "0",
                                 used: row.after.used.description, percent: row.after.percent.description, level: row.after.level.rawValue)
        }
        guard let rejection = preview.rejection else {
            return ConsolePreview(ok: true, accepted: true, message: "the risk sidecar would accept this order", limits: limits)
        }
        return ConsolePreview(ok: true, accepted: false, check: rejection.check.rawValue, message: rejection.text, limits: limits)
    }

    /// The page's words and text as the gateway's types.
    static func typed(_ ticket: ConsoleTicket) -> Result<ConsoleOrderTicket, EntryProblem> {
        guard let quantity = Int64(ticket.quantity.trimmingCharacters(in: .whitespaces)) else {
            return .failure(EntryProblem(text: "quantity \(ticket.quantity) is not a whole number"))
        }
        var prices: [FIXDecimal?] = []
        for text in [ticket.priceText, ticket.stopPriceText] {
            guard let text else { prices.append(nil); continue }
            guard let price = FIXDecimal(text) else { return .failure(EntryProblem(text: "\(text) is not a price")) }
            prices.append(price)
        }
        let type: OrderType = switch ticket.type {
        case .market: .market
        case .limit: .limit
        case .stop: .stop
        }
        let timeInForce: TimeInForce = switch ticket.timeInForce {
        case .day: .day
        case .goodTillCancel: .goodTillCancel
        case .immediateOrCancel: .immediateOrCancel
        case .fillOrKill: .fillOrKill
        }
        return .success(ConsoleOrderTicket(account: ticket.account, symbol: ticket.symbol, side: ticket.side == .buy ? .buy : .sell, type: type,
                                           quantity: quantity, price: prices[0], stopPrice: prices[1], timeInForce: timeInForce))
    }

    struct EntryProblem: Error {
        let text: String
    }

    /// The gateway's answer as the user reads it.
    static func outcome(_ request: () async throws(ConsoleEntryError) -> ConsoleEntryAnswer) async -> ConsoleOutcome {
        do {
            let answer = try await request()
            let order = answer.orderID.map { "\($0) (\(answer.clOrdID))" } ?? answer.clOrdID
            if answer.accepted { return ConsoleOutcome(ok: true, message: "\(order) \(answer.status)") }
            return ConsoleOutcome(ok: false, message: "\(order) rejected: \(answer.text)")
        } catch {
            return ConsoleOutcome(ok: false, message: "\(error)", refused: isRefusal(error))
        }
    }

    /// Refused for the user's accounts (as opposed to a request the gateway could not read).
    static func isRefusal(_ error: ConsoleEntryError) -> Bool {
        if case .refused(let text) = error { return text.hasPrefix("refused:") }
        return false
    }

    /// Logs a session out or drops its connection, journaled (`console.session`) first.
    private func sessionControl(_ action: ConsoleAction, session: String, by person: String) async -> ConsoleOutcome {
        guard let endpoint = application.sessionEndpoints.first(where: { $0.id.targetCompID == session }) else {
            return ConsoleOutcome(ok: false, message: "no session \(session)")
        }
        do {
            try await record("session", json: "{\"action\":\"\(action.name)\",\"by\":\(Self.quoted(person)),\"session\":\(Self.quoted(session))}")
        } catch {
            return ConsoleOutcome(ok: false, message: "not done: the journal could not record it: \(error)")
        }
        if case .resetSequenceNumbers = action {
            let reset = await withCheckedContinuation { continuation in endpoint.resetSequenceNumbers { continuation.resume(returning: $0) } }
            switch reset {
            case .success(.requestedInSession):
                return ConsoleOutcome(ok: true, message: "\(session): Logon with ResetSeqNumFlag (141=Y) sent; both sides number from 1")
            case .success(.resetForNextLogon):
                return ConsoleOutcome(ok: true, message: "\(session): sequence numbers are 1 and 1; the next Logon asks the counterparty to reset too")
            case .failure(let error):
                return ConsoleOutcome(ok: false, message: "\(session) not reset: the journal could not record it: \(error)")
            }
        }
        if case .logout = action {
            guard endpoint.logout(reason: "logged out by \(person)") != nil else { return ConsoleOutcome(ok: false, message: "\(session) is not connected") }
            return ConsoleOutcome(ok: true, message: "\(session) logging out")
        }
        return endpoint.drop() ? ConsoleOutcome(ok: true, message: "\(session) disconnected") : ConsoleOutcome(ok: false, message: "\(session) is not connected")
    }

    func record(_ kind: String, json: String) async throws {
        try await journal.write([.event(kind: "console.\(kind)", time: clock(), json: json)])
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension ConsoleServer {
    /// The appliance's console: the gateway's backend, the wall clock.
    /// - Parameter dictionary: the profile's data dictionary, for the audit page's field names.
    /// - Parameter tls: the gateway session's TLS settings: the console serves with the same
    ///   certificate when the sessions use TLS.
    /// - Parameter metrics: the appliance's exposition for `/metrics`; the console's own gauges,
    ///   `wellhead_console_users` and `wellhead_console_websocket_clients`, are set from the
    ///   server as each scrape comes.
    static func appliance(_ settings: GatewayProfile.ConsoleSettings, gateway: GatewayApplication, journal: Journal,
                          dictionary: FIXDataDictionary?, tls: TLSConfiguration?, logger: Logger,
                          metrics: (@Sendable () -> String)? = nil, entry: GatewayConsoleSession? = nil) -> ConsoleServer {
        let clock: @Sendable () -> Int64 = { WallClock.now().nanosecondsSinceEpoch }
        let served = WeakConsoleServer()
        let scrape: (@Sendable () -> String)? = metrics.map { exposition -> @Sendable () -> String in
            let users = CoreMetrics.Gauge(label: "wellhead_console_users")
            let clients = CoreMetrics.Gauge(label: "wellhead_console_websocket_clients")
            return {
                if let watching = served.server?.watching {
                    users.record(watching.users)
                    clients.record(watching.pages)
                }
                return exposition()
            }
        }
        let server = ConsoleServer(configuration: ConsoleConfiguration(host: settings.host, port: settings.port, usersPath: settings.usersPath, tls: tls),
                                   backend: GatewayConsoleBackend(application: gateway, journal: journal, clock: clock, entry: entry),
                                   logger: Logger(label: "wellhead.console"), metrics: scrape,
                                   audit: AuditTrail(journal: journal, dictionary: dictionary), clock: clock)
        served.server = server
        return server
    }
}

/// The console server its own metrics closure reads at scrape time, held weakly: the server holds the closure.
private final class WeakConsoleServer: Sendable {
    private let held = Mutex<Held>(Held())

    private struct Held {
        weak var server: ConsoleServer?
    }

    var server: ConsoleServer? {
        get { held.withLock { $0.server } }
        set { held.withLock { $0.server = newValue } }
    }
}
