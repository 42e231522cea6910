import FIXCodec
import RiskSidecar

extension OrderGateway {
    /// Cancels one working order for a person at the desk (the console), not the OMS that sent
    /// it: the OMS is told by an unsolicited Canceled report naming who and why. `nil` when
    /// there is no such working order.
    public func cancel(orderID: String, by person: String, now: Int64) -> [GatewayOutbound]? {
        guard let order = order(orderID), !order.status.isTerminal else { return nil }
        return perform(now: now) { work in
            work.cancelForRisk(orderID: order.orderID, reason: "cancelled by \(person)")
            return work.outbound
        }
    }

    /// Cancels every working order of `account` for a person at the desk; returns the reports
    /// and how many orders it cancelled.
    public func cancelAll(account: String, by person: String, now: Int64) -> (outbound: [GatewayOutbound], cancelled: Int) {
        let doomed = orders().filter { $0.terms.account == account && !$0.status.isTerminal }.map(\.orderID)
        let outbound = perform(now: now) { work in
            for orderID in doomed { work.cancelForRisk(orderID: orderID, reason: "account \(account) cancelled by \(person)") }
            return work.outbound
        }
        return (outbound, doomed.count)
    }

    /// Sets the firm's or an account's trading state for a person at the desk: ACTIVE,
    /// REDUCING (only orders that shrink a position) or HALTED (only cancels). Working orders
    /// stay: a kill switch is what cancels them. Journaled (`risk.tradingState`) and restored
    /// after a restart.
    public func setTradingState(_ tradingState: TradingState, for scope: TradingStateScope, by person: String, reason: String,
                                now: Int64) -> TradingStateRecord {
        let record = TradingStateRecord(scope: scope, state: tradingState, by: person, reason: reason, time: now)
        perform(now: now) { work in
            work.risk.setTradingState(tradingState, for: scope, by: person, now: now)
            work.state.tradingStates[record.scope] = record
            work.record("risk.tradingState", record)
        }
        return record
    }
}
