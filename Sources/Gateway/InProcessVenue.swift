import FIXCodec
import Instruments
import OrderEntry
import RiskSidecar
import SimulatedVenue

/// The simulated venue inside the appliance as one of the gateway's venues: orders go to its
/// matching engine books and its events come back at once. It trades by its own calendar.
public struct InProcessVenue: Venue {
    /// The router's key for the in-process venue.
    public static let key = "@simulated"

    public let name: String
    public var market: SimulatedVenue
    /// When the venue trades.
    private var hours: TradingHours
    /// Orders put back on the book after a restart with only what was left of them: what had
    /// filled before, which the book's order does not hold, by number.
    private var filledBeforeRestore: [UInt64: Int64] = [:]

    public init(name: String = "SIM", market: SimulatedVenue, calendar: TradingCalendar) {
        self.name = name
        self.market = market
        hours = TradingHours(calendar: calendar)
    }

    public mutating func refusal(newOrderIn symbol: String, now: Int64) -> String? {
        hours.closed(now: now).map { "exchange closed: \($0)" }
    }

    /// The in-process venue is always reachable.
    public func refusal(changing request: VenueRequest, replace: Bool) -> String? { nil }

    public mutating func submit(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {
        output.events += market.submit(request.venueOrder(quantity: request.terms.quantity), now: now)
    }

    public mutating func cancel(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {
        output.events += market.cancel(id: request.number, symbol: request.order.terms.symbol, now: now)
    }

    public mutating func replace(_ request: VenueRequest, with terms: OrderTerms, now: Int64, into output: inout VenueOutput) {
        // The book holds an order restored after a restart for what was left of it then.
        let quantity = terms.quantity - (filledBeforeRestore[request.number] ?? 0)
        output.events += market.replace(id: request.number, symbol: request.order.terms.symbol, quantity: quantity,
                                        price: terms.price, stopPrice: terms.stopPrice, now: now)
    }

    /// Puts what is left of the order back on the book. The resubmission's own
    /// acknowledgement is not news to the OMS; a cancel the crash left pending is carried out.
    public mutating func restore(_ request: VenueRequest, now: Int64, into output: inout VenueOutput) {
        let order = request.order
        if order.cumQty > 0 { filledBeforeRestore[request.number] = order.cumQty }
        var events = market.submit(request.venueOrder(quantity: order.terms.quantity - order.cumQty), now: now)
        events.removeAll { $0 == .accepted(id: request.number) }
        output.events += events
        if order.pending != nil { cancel(request, now: now, into: &output) }
    }

    public mutating func advance(to now: Int64, into output: inout VenueOutput) {
        output.events += market.advance(to: now)
    }

    /// The venue expires its day orders itself.
    public mutating func endDay(dayOrders: [VenueRequest], now: Int64, into output: inout VenueOutput) {
        output.events += market.endOfDay()
    }

    public mutating func relist(_ catalog: InstrumentCatalog) -> [String] { market.relist(catalog) }

    public mutating func forget(keeping numbers: Set<UInt64>) {
        filledBeforeRestore = filledBeforeRestore.filter { numbers.contains($0.key) }
    }

    public func quote(symbol: String) -> MarketQuote? {
        let top = market.topOfBook(symbol: symbol)
        let prices = ReferencePrices(last: market.lastTradePrice(symbol: symbol) ?? market.fairPrice(symbol: symbol),
                                     bid: top?.bidPrice, ask: top?.askPrice)
        return MarketQuote(symbol: symbol, prices: prices, mark: market.mark(symbol: symbol), venue: name)
    }
}

/// When a venue takes new orders, by its calendar. The trading session last found around an
/// order is kept, so an order pays for a calendar lookup once a session, not once an order.
struct TradingHours: Sendable {
    let calendar: TradingCalendar
    private var openSession: Range<Int64> = 0..<0

    init(calendar: TradingCalendar) {
        self.calendar = calendar
    }

    /// Why the venue takes no new order at `now`, in words; `nil` inside its hours (always,
    /// around the clock).
    mutating func closed(now: Int64) -> String? {
        guard case .sessions = calendar.hours, !openSession.contains(now) else { return nil }
        let date = calendar.tradingDate(at: now)
        openSession = calendar.open(of: date)..<calendar.end(of: date)
        guard !openSession.contains(now) else { return nil }
        let opens = FIXTimestamp(nanosecondsSinceEpoch: calendar.open(of: date))
        return "the venue trades \(calendar.summary); trading day \(date) opens at \(opens) UTC"
    }
}

extension VenueRequest {
    /// The order as the simulated venue's books take it, for `quantity` contracts.
    func venueOrder(quantity: Int64) -> VenueOrder {
        VenueOrder(id: number, owner: owner, symbol: terms.symbol, side: terms.side, type: terms.venueType, quantity: quantity,
                   timeInForce: terms.venueTimeInForce)
    }
}
