import FIXCodec
import FIXVocabulary
import Instruments
import MarketDataFeed
import Positions
import RiskSidecar
import SimulatedVenue
import OrderEntry

extension GatewayWork {
    /// Follows the venue's events through each order's state machine, telling the OMS, the
    /// risk sidecar and the position book.
    mutating func apply(venue events: [VenueEvent]) {
        for event in events {
            guard let orderID = state.orderIDByVenueID[event.orderID], var order = state.orders[orderID] else { continue }
            let key = RiskOrderKey(orderID)
            switch event {
            case .accepted:
                guard order.status == .pendingNew else { continue }
                risk.orderAccepted(key: key)
                send(order.accepted(), to: order.session)
            case .rejected(_, let reason):
                send(order.rejected(.brokerOption, text: "venue rejected the order: \(reason)"), to: order.session)
                risk.orderDone(key: key, now: now)
            case .fill(let fill):
                if order.status == .pendingNew {
                    risk.orderAccepted(key: key)
                    send(order.accepted(), to: order.session)
                }
                let report = order.filled(fill.quantity, at: fill.price)
                send(report, to: order.session)
                recordWarnings(risk.orderFilled(key: key, quantity: fill.quantity, price: fill.price, now: now))
                applyToPositions(order, report: report, fill: fill)
                if fill.leavesQuantity == 0 { risk.orderDone(key: key, now: now) }
            case .canceled(let venueID, _, let reason):
                if order.status == .pendingNew {
                    risk.orderAccepted(key: key)
                    send(order.accepted(), to: order.session)
                }
                let why = state.cancelReasons.removeValue(forKey: venueID)
                if reason == .expired {
                    send(order.expired(text: "GTD order reached its ExpireTime"), to: order.session)
                } else if reason == .endOfDay || state.expiring.remove(venueID) != nil {
                    send(order.expired(text: why), to: order.session)
                    state.expiredToday.append(orderID)
                } else {
                    send(order.canceled(text: why ?? (reason == .requested ? nil : reason.description)), to: order.session)
                }
                risk.orderDone(key: key, now: now)
            case .replaced:
                guard let report = order.replaced() else { continue }
                send(report, to: order.session)
                recordWarnings(risk.orderReplaced(key: key, now: now))
            case .stopTriggered:
                continue
            case .changeRefused(_, let replace, let reason, let text):
                // The venue refused the cancel or replace: the order stands as it was.
                guard let pending = order.pending else { continue }
                order.changeRefused()
                if replace { risk.replaceRejected(key: key, now: now) }
                cancelReject(session: order.session, clOrdID: pending.clOrdID, origClOrdID: order.clOrdID, order: order,
                             replace: replace, reason: reason, text: text)
            }
            state.orders[orderID] = order
            journal(order)
        }
    }

    private mutating func applyToPositions(_ order: ClientOrder, report: ExecutionReport, fill: VenueFill) {
        guard let instrument = state.catalog.instrument(symbol: order.terms.symbol) else { return }
        let entry = Fill(account: order.terms.account, symbol: order.terms.symbol, root: instrument.root,
                         multiplier: instrument.multiplier, side: order.terms.side, quantity: fill.quantity, price: fill.price,
                         execID: report.execID, time: FIXTimestamp(nanosecondsSinceEpoch: now))
        record("fill", FillAudit(account: entry.account, session: order.session, symbol: entry.symbol, root: entry.root,
                                 multiplier: entry.multiplier, side: entry.side, quantity: entry.quantity, price: entry.price,
                                 execID: entry.execID, time: now))
        state.recentFills.append(entry)
        if state.recentFills.count >= 2 * GatewayState.recentFillsKept { state.recentFills.removeFirst(GatewayState.recentFillsKept) }
        do {
            try state.positions.apply(entry)
        } catch {
            state.audit.append(GatewayAuditEvent(kind: "positions.error", time: now, json: "{\"error\":\"\(error)\"}"))
        }
    }

    /// Limits a fill, a replace or a move in prices took across 75 % or 90 %: the sidecar
    /// has logged them; the journal keeps them beside the decisions (`risk.warning`).
    mutating func recordWarnings(_ warnings: [RiskWarning]) {
        for warning in warnings { record("risk.warning", warning) }
        raise(warnings)
    }

    /// Warnings for the console's alerts, numbered as raised: those a fill or a price raised
    /// (journaled as `risk.warning`) and those a check raised (journaled in its `risk.decision`).
    mutating func raise(_ warnings: [RiskWarning]) {
        for warning in warnings {
            state.warningsRaised += 1
            state.recentWarnings.append(RaisedWarning(number: state.warningsRaised, time: now, warning: warning))
        }
        if state.recentWarnings.count >= 2 * GatewayState.recentWarningsKept {
            state.recentWarnings.removeFirst(GatewayState.recentWarningsKept)
        }
    }

    /// Pushes the in-process venue's prices to the risk sidecar (collars, protection) and the
    /// position book (marks), and each account's P&L to the sidecar's daily loss control.
    /// Symbols a FIX venue's market data prices (``updateMarks(quotes:)``) are left to it.
    mutating func updateMarks(symbols: [String]? = nil) {
        let listed = symbols ?? state.catalog.instruments.map(\.symbol)
        if let index = state.priceVenue, let venue = state.venues[index] {
            for symbol in listed where !state.quotedByVenueFeed.contains(symbol) {
                if let quote = venue.quote(symbol: symbol) { setMarks(quote) }
            }
        }
        updatePnL(symbols: symbols == nil ? nil : listed)
    }

    /// Reference prices and marks from a FIX venue's books, as the market-data normalizer keeps
    /// them: from the first, those symbols follow the venue, not the in-process simulator.
    mutating func updateMarks(quotes: [MarketQuote]) {
        for quote in quotes {
            state.quotedByVenueFeed.insert(quote.symbol)
            if let settlement = quote.prices.settlement { state.venueSettlements[quote.symbol] = settlement }
            setMarks(quote)
        }
        updatePnL(symbols: quotes.map(\.symbol))
    }

    private mutating func setMarks(_ quote: MarketQuote) {
        guard let instrument = state.catalog.instrument(symbol: quote.symbol) else { return }
        recordWarnings(risk.updateReferencePrices(quote.prices, symbol: quote.symbol, root: instrument.root, now: now))
        // What risk and the marks were taken from, for the journal's next market-data snapshot.
        state.snapshots.update(quote.symbol, venue: quote.venue ?? "", bid: quote.prices.bid, ask: quote.prices.ask,
                               last: quote.prices.last, mark: quote.mark, now: now)
        if let mark = quote.mark, state.positions.currentMark(symbol: quote.symbol) != nil
            || !state.positions.positions(symbol: quote.symbol).isEmpty {
            try? state.positions.mark(symbol: quote.symbol, price: mark)
        }
    }

    /// Per position, with its month and root: the sidecar sums them for the account and the
    /// firm, and measures root and month daily loss limits from them. `nil`: every position.
    private mutating func updatePnL(symbols: [String]?) {
        for position in state.positions.positions() where symbols == nil || symbols!.contains(position.symbol) {
            recordWarnings(risk.updatePnL(account: position.account, symbol: position.symbol, root: position.root,
                                          realised: position.realised, unrealised: position.unrealised, now: now))
        }
    }
}

/// One instrument's prices from a market-data source: what the risk sidecar measures collars
/// and protection from, and the mark positions are valued at.
public struct MarketQuote: Sendable, Hashable {
    public var symbol: String
    public var prices: ReferencePrices
    public var mark: FIXDecimal?
    /// The venue whose market the prices are (the in-process venue's name, a FIX venue's
    /// session), as the journal's market-data snapshots name it.
    public var venue: String?

    public init(symbol: String, prices: ReferencePrices, mark: FIXDecimal?, venue: String? = nil) {
        self.symbol = symbol
        self.prices = prices
        self.mark = mark
        self.venue = venue
    }
}

/// An order's state after a change, for the journal (and for rebuilding after a restart).
struct OrderAudit: Codable {
    var order: ClientOrder
    init(_ order: ClientOrder) { self.order = order }
}

/// A fill as the position book took it, for the journal (and for rebuilding positions).
struct FillAudit: Codable {
    var account: String
    /// The OMS session whose order filled (absent from records written before it was kept).
    var session: String?
    var symbol: String
    var root: String
    var multiplier: FIXDecimal
    var side: Side
    var quantity: Int64
    var price: FIXDecimal
    var execID: String
    var time: Int64

    var fill: Fill {
        Fill(account: account, symbol: symbol, root: root, multiplier: multiplier, side: side, quantity: quantity, price: price,
             execID: execID, time: FIXTimestamp(nanosecondsSinceEpoch: time))
    }

    var riskFill: RiskFill {
        RiskFill(account: account, session: session, symbol: symbol, root: root, side: side, quantity: quantity, price: price)
    }
}
