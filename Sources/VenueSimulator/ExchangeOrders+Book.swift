import FIXCodec
import FIXVocabulary
import Instruments
import MarketDataFeed
import OrderEntry
import RiskSidecar
import SimulatedVenue

extension ExchangeOrders {
    /// Follows what the books did through each order's state machine: every change reported to
    /// the participant whose order it is, kept for the journal, and told to the venue's limits.
    mutating func follow(_ events: [VenueEvent]) {
        for event in events {
            guard let orderID = orderIDs[event.orderID], let before = orders[orderID] else { continue }
            var order = before
            let key = RiskOrderKey(orderID)
            var reports: [ExecutionReport] = []
            if order.status == .pendingNew, event.acknowledges {
                risk.orderAccepted(key: key)
                reports.append(order.accepted())
            }
            switch event {
            case .accepted, .stopTriggered:
                break
            case .rejected(_, let reason):
                if order.status == .pendingNew {
                    reports.append(order.rejected(.brokerOption, text: reason))
                    risk.orderDone(key: key, now: now)
                } else if let change = order.pending {
                    // The book refused a cancel or replace: the order stands as it was.
                    let replace = if case .replace = change.kind { true } else { false }
                    order.changeRefused()
                    if replace { risk.replaceRejected(key: key, now: now) }
                    refuse(ChangeRequest(session: order.session, clOrdID: change.clOrdID, origClOrdID: order.clOrdID, replace: replace),
                           order: order, .other, reason)
                }
            case .fill(let fill):
                reports.append(order.filled(fill.quantity, at: fill.price))
                risk.orderFilled(key: key, quantity: fill.quantity, price: fill.price, now: now)
                if fill.leavesQuantity == 0 { risk.orderDone(key: key, now: now) }
            case .canceled(let number, _, let reason):
                switch unasked.removeValue(forKey: number) {
                case .expired(let text)?:
                    reports.append(order.expired(text: text))
                    expiredToday.append(orderID)
                case .canceled(let text)?:
                    reports.append(order.canceled(text: text))
                case nil where reason == .expired:
                    reports.append(order.expired(text: "GTD order reached its ExpireTime"))
                case nil where reason == .endOfDay:
                    reports.append(order.expired(text: "day order expired at the end of trading day \(tradingDate)"))
                    expiredToday.append(orderID)
                case nil:
                    reports.append(order.canceled(text: reason == .requested ? nil : reason.description))
                }
                risk.orderDone(key: key, now: now)
            case .changeRefused(_, let replace, let reason, let text):
                // The simulated book refuses a change as `.rejected`; a venue-neutral refusal is
                // followed the same way.
                guard let change = order.pending else { break }
                order.changeRefused()
                if replace { risk.replaceRejected(key: key, now: now) }
                refuse(ChangeRequest(session: order.session, clOrdID: change.clOrdID, origClOrdID: order.clOrdID, replace: replace),
                       order: order, reason, text)
            case .replaced:
                guard let report = order.replaced() else { continue }
                reports.append(report)
                risk.orderReplaced(key: key, now: now)
            }
            orders[orderID] = order
            for report in reports { send(report, to: order.session) }
            if order != before { record(order) }
        }
    }

    /// Ends a working order nobody asked to cancel (a kill switch, cancel on disconnect, a mass
    /// cancel, self-trade prevention, a delisting): reported Canceled or Expired, with why.
    mutating func end(_ orderID: String, _ why: EndedByExchange) {
        guard let order = orders[orderID], !order.status.isTerminal, let number = bookIDs[orderID] else { return }
        unasked[number] = why
        follow(venue.cancel(id: number, symbol: order.terms.symbol, now: now))
    }

    /// The books' prices become the venue's limits' reference prices (for price collars and
    /// market-order protection): every listed instrument's, or those of `symbols`.
    mutating func updateReferencePrices(of symbols: [String]? = nil) {
        let instruments = symbols.map { $0.compactMap { catalog.instrument(symbol: $0) } } ?? catalog.instruments
        for instrument in instruments {
            let symbol = instrument.symbol
            let top = venue.topOfBook(symbol: symbol)
            let prices = ReferencePrices(last: venue.lastTradePrice(symbol: symbol) ?? venue.fairPrice(symbol: symbol),
                                         bid: top?.bidPrice, ask: top?.askPrice)
            _ = risk.updateReferencePrices(prices, symbol: symbol, root: instrument.root, now: now)
            // What the venue publishes, and its risk measures from, for the next snapshot.
            if snapshots.isOn {
                snapshots.update(symbol, venue: name, bid: prices.bid, ask: prices.ask, last: venue.lastTradePrice(symbol: symbol),
                                 mark: venue.mark(symbol: symbol), now: now)
            }
        }
    }
}

extension ChangeRequest {
    init(session: String, clOrdID: String, origClOrdID: String, replace: Bool) {
        self.session = session
        self.clOrdID = clOrdID
        self.origClOrdID = origClOrdID
        self.replace = replace
    }
}

extension VenueEvent {
    /// Whether the event shows the book took the order: its acceptance, a fill, or a cancel of
    /// what it could not fill (an IOC's rest).
    var acknowledges: Bool {
        switch self {
        case .accepted, .fill, .canceled: true
        case .rejected, .replaced, .stopTriggered, .changeRefused: false
        }
    }
}
