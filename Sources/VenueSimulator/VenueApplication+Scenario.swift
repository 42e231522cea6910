import FIXCodec
import FIXTransport
import FIXVocabulary
import Foundation
import SimulatedVenue

/// Scenario runs: the steps of a ``Scenario`` carried out on the running venue as their time
/// comes, and the conditions they leave (latency, random rejects, circuit breakers, halted
/// instruments) applied to each order request.
extension VenueApplication {
    /// What happens to an order request under the conditions in force.
    enum Entry {
        case accept
        case refuse(String)
        case delay(milliseconds: Int)
    }

    /// Starts `scenario` now (replacing a run in progress), and carries out the steps due at 0.
    public func run(_ scenario: Scenario) {
        let now = clock()
        state.conditions.start(scenario, now: now)
        logger.notice("scenario started", metadata: ["scenario": "\(scenario.name)", "steps": "\(scenario.steps.count)", "seed": "\(scenario.seed)"])
        runScenario(now: now)
        publishMarketData()
    }

    /// The running scenario's name and whether steps remain; on the loop.
    var scenarioState: (name: String?, running: Bool) {
        (state.conditions.scenario?.name, state.conditions.isRunning)
    }

    /// Carries out the steps due at `now`, watches the circuit breakers, and lifts the halts
    /// that have run their time.
    func runScenario(now: Int64) {
        let steps = state.conditions.dueSteps(now: now), name = state.conditions.scenario?.name ?? ""
        for step in steps { carryOut(step, scenario: name, now: now) }
        watchCircuitBreakers(now: now)
    }

    private func carryOut(_ action: ScenarioAction, scenario name: String, now: Int64) {
        let by = "scenario \(name)"
        do throws(SimulatedVenueError) {
            switch action {
            case .halt(let reason): halt(by: by, reason: reason)
            case .resume: resume(by: by)
            case .shock(let root, let percent, let months):
                try moveMarket { venue throws(SimulatedVenueError) in try venue.shock(root: root, percent: percent, months: months) }
            case .price(let root, let month, let price):
                try moveMarket { venue throws(SimulatedVenueError) in try venue.setPrice(root: root, month: month, to: price) }
            case .latency(let milliseconds): state.conditions.latencyMilliseconds = milliseconds
            case .rejectRate(let percent): state.conditions.rejectPercent = percent
            case .drop(let session):
                if endpoint(session)?.drop() != true {
                    logger.notice("scenario drop: session not connected", metadata: ["scenario": "\(name)", "session": "\(session)"])
                }
            case .circuitBreaker(let root, let percent, let window, let halt):
                state.conditions.breakers.append(CircuitBreaker(root: root, percent: percent, windowNanos: window, haltNanos: halt))
            }
            logger.notice("scenario step", metadata: ["scenario": "\(name)", "action": "\(action)"])
        } catch {
            logger.error("scenario step failed", metadata: ["scenario": "\(name)", "action": "\(action)", "error": "\(error)"])
        }
    }

    /// Trips a breaker whose lead month moved too far within its window (halting that month
    /// and telling every session with a SecurityStatus), and reopens months whose halt is over.
    private func watchCircuitBreakers(now: Int64) {
        let catalog = catalog
        var statuses: [(symbol: String, halted: Bool, text: String)] = []
        do {
            for (symbol, until) in state.conditions.halted where until <= now {
                state.conditions.halted[symbol] = nil
                for index in state.conditions.breakers.indices where catalog.futures(root: state.conditions.breakers[index].root).first?.symbol == symbol {
                    state.conditions.breakers[index].reset()
                }
                statuses.append((symbol, false, "\(symbol) reopens after the dynamic circuit breaker halt"))
            }
            for index in state.conditions.breakers.indices {
                let breaker = state.conditions.breakers[index]
                guard let lead = catalog.futures(root: breaker.root).first?.symbol, state.conditions.halted[lead] == nil,
                      let price = lastTradePrice(symbol: lead) ?? mark(symbol: lead),
                      let reference = state.conditions.breakers[index].observe(price, at: now) else { continue }
                state.conditions.halted[lead] = now + breaker.haltNanos
                statuses.append((lead, true, "dynamic circuit breaker: \(lead) moved from \(reference) to \(price), more than \(breaker.percent)% within \(breaker.windowNanos / 1_000_000_000)s; halted for \(breaker.haltNanos / 1_000_000_000)s"))
            }
        }
        for status in statuses {
            if status.halted {
                logger.warning("circuit breaker", metadata: ["status": "\(status.text)"])
            } else {
                logger.notice("circuit breaker", metadata: ["status": "\(status.text)"])
            }
            var body = FIXFieldList(reservingCapacity: 96)
            body.append(FIXTag.symbol, participantSymbols.venueSymbol(status.symbol))
            body.append(FIXTag.unsolicitedIndicator, "Y")
            body.append(FIXTag.securityTradingStatus, status.halted ? 2 : 17)
            body.append(FIXTag.text, status.text)
            for endpoint in connectedEndpoints { endpoint.send(msgType: MsgType.securityStatus.rawValue, body: body) }
        }
    }

    /// Whether an order request is refused (a halted instrument, a random reject), delayed,
    /// or handled now. Only new orders and replaces are refused: cancels always go through.
    func entryConditions(_ message: FIXMessage, now: Int64) -> Entry {
        let kind = message.type
        do {
            if kind == .newOrderSingle || kind == .orderCancelReplaceRequest {
                let symbol = participantSymbols.canonicalSymbol(message[FIXTag.symbol]?.string ?? "")
                if let until = state.conditions.halted[symbol] {
                    let seconds = max(0, (until - now) / 1_000_000_000)
                    return .refuse("\(symbol) is halted by the dynamic circuit breaker for another \(seconds)s")
                }
                if state.conditions.drawReject() {
                    return .refuse("venue scenario \(state.conditions.scenario?.name ?? ""): random reject (\(state.conditions.rejectPercent)% of orders)")
                }
            }
            let orderFlow: Set<MsgType> = [.newOrderSingle, .orderCancelRequest, .orderCancelReplaceRequest, .orderStatusRequest,
                                           .orderMassCancelRequest]
            if state.conditions.latencyMilliseconds > 0, let kind, orderFlow.contains(kind) {
                return .delay(milliseconds: state.conditions.latencyMilliseconds)
            }
            return .accept
        }
    }
}
