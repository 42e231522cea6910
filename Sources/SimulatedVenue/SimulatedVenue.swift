import FIXCodec
import Instruments
import OrderEntry
import MatchingEngine

/// Wellhead's in-process simulated exchange for oil futures.
///
/// One price-time priority book (``MatchingEngine``) per listed instrument: every outright
/// month, and every calendar spread, inter-commodity spread and crack whose legs are listed,
/// each priced from its legs' fair prices with the instrument's own formula (near − far for a
/// calendar spread). Spread books are independent: there is no implied matching between a
/// spread and its legs.
///
/// **Prices.** Each root's front month follows a seeded arithmetic random walk; later months
/// keep their offsets on the curve (``RootSimulation/curveStep``). Prices step every
/// ``SimulationSettings/stepInterval`` nanoseconds of the caller's clock, so the same seed and
/// the same sequence of calls (with the same times) give identical events and marks.
///
/// **Market makers.** Background liquidity under the reserved owner ``marketMakerOwner``
/// (order ids from ``firstMarketMakerOrderID``): a ladder of orders on each side of every
/// book's fair price, requoted at each step where the fair price moved or a client traded with
/// it (levels no longer wanted or partly filled are cancelled, missing levels added; levels
/// still in place keep their queue priority). On a move they also trade a small print, so
/// books have a last trade price and stop orders trigger. A requoted ladder trades with any
/// client order it now crosses: that is how a resting client limit order is filled as the
/// market moves through it. Their own orders never appear as events.
///
/// **Time.** The venue has no clock and no threads. Every request carries `now` (nanoseconds
/// since the epoch); a request first catches the market up to `now` (price steps, requotes,
/// GTD expiries) and returns those events before its own. The first time seen anchors the
/// step schedule unless `startTime` was given. A `now` earlier than the last step is treated
/// as no time passing.
///
/// **Ownership.** A value type, mutated in place and not synchronised: the gateway keeps one
/// instance in a `var` under its own lock and calls it synchronously. A copy is a snapshot of
/// every book (copy-on-write), so do not keep copies alive across mutations.
public struct SimulatedVenue: Sendable {
    /// The owner id of the simulated market makers. Client orders with this owner are rejected.
    public static let marketMakerOwner: UInt64 = .max
    /// Market makers number their orders from here (2^63) up; client order ids must be below.
    public static let firstMarketMakerOrderID: UInt64 = 1 << 63

    /// What is listed; the venue has a book for each of its instruments (and keeps the books of
    /// contracts delisted since, quoted but no longer listed, see ``relist(_:now:)``).
    public private(set) var catalog: InstrumentCatalog
    public let settings: SimulationSettings
    public let seed: UInt64
    /// The time of the last price step (or the anchor before the first); nil until a time is seen.
    public internal(set) var lastStepTime: Int64?
    /// Price steps taken since the start.
    public internal(set) var stepCount: Int64 = 0

    var engine = MatchingEngine()
    var books: [BookState] = []
    var bookIndex: [String: Int] = [:]
    var curves: [RootCurve] = []
    var curveIndex: [String: Int] = [:]
    var random: SplitMix64
    var nextMarketMakerID = SimulatedVenue.firstMarketMakerOrderID
    var nextTradeID: UInt64 = 1
    /// Every working client order's book, by order id.
    var working: [UInt64: Int] = [:]
    /// Whether trades go on the ``tape`` (off by default: only a market-data publisher drains it).
    public var recordsTrades = false
    /// Every trade since the last ``drainTrades()``, market makers' prints included, oldest first.
    var tape: [VenueTrade] = []
    /// The time of the request being served (or of the step being taken), for the tape.
    var currentTime: Int64 = 0

    /// A venue with books for `catalog`'s instruments, quoted from the start.
    ///
    /// Throws when a root the catalog lists has no ``SimulationSettings/roots`` entry, or a
    /// setting is out of range.
    public init(catalog: InstrumentCatalog, seed: UInt64, settings: SimulationSettings = .standard,
                startTime: Int64? = nil) throws(SimulatedVenueError) {
        try settings.validate()
        self.catalog = catalog
        self.settings = settings
        self.seed = seed
        self.random = SplitMix64(seed: seed)
        self.lastStepTime = startTime

        for root in catalog.roots {
            let months = catalog.futures(root: root)
            guard let front = months.first else { continue }
            guard let simulation = settings.roots[root] else {
                throw SimulatedVenueError(key: "roots", value: settings.roots.keys.sorted().joined(separator: ", "),
                                          message: "no simulation settings for root \(root), which the catalog lists")
            }
            let curve = try Self.curve(root: root, front: front, months: months.count, simulation: simulation,
                                       stepInterval: settings.stepInterval)
            curveIndex[root] = curves.count
            for (position, instrument) in months.enumerated() {
                addBook(instrument, pricing: .curve(root: curves.count, month: position), marketMaker: simulation.marketMaker)
            }
            curves.append(curve)
        }
        for instrument in catalog.instruments where instrument.kind != .future {
            let legs = instrument.legs.compactMap { bookIndex[$0.symbol] }
            guard !legs.isEmpty, legs.count == instrument.legs.count, bookIndex[instrument.symbol] == nil else { continue }
            addBook(instrument, pricing: .legs(legs), marketMaker: settings.spreadMarketMaker)
        }

        updateFairPrices()
        var ignored: [VenueEvent] = []
        for book in books.indices { requote(book, print: false, into: &ignored) }
    }

    private static func curve(root: String, front: Instrument, months: Int, simulation: RootSimulation,
                              stepInterval: Int64) throws(SimulatedVenueError) -> RootCurve {
        let key = "roots.\(root)"
        let grid = fineGrid(tickSize: front.tickSize)
        func fine(_ value: FIXDecimal, _ name: String) throws(SimulatedVenueError) -> Int64 {
            guard let units = grid.nearestTicks(to: value), units.magnitude < UInt64(fineLimit) else {
                throw SimulatedVenueError(key: "\(key).\(name)", value: "\(value)", message: "is too large for a \(root) price")
            }
            return units
        }
        if simulation.frontPrice.isNegative, !front.allowsNegativePrices {
            throw SimulatedVenueError(key: "\(key).frontPrice", value: "\(simulation.frontPrice)",
                                      message: "\(root) does not allow negative prices")
        }
        let frontFine = try fine(simulation.frontPrice, "frontPrice")
        let stepFine = try fine(simulation.curveStep, "curveStep")
        let driftFine = try fine(simulation.drift, "drift")
        if case .perStep(let sigma) = simulation.volatility { _ = try fine(sigma, "volatility") }
        return RootCurve(
            root: root, grid: grid, level: frontFine,
            offsets: (0..<months).map { clampFine(Int128($0) * Int128(stepFine)) },
            sigma: simulation.volatility.sigmaFine(frontFine: frontFine, stepInterval: stepInterval, grid: grid),
            drift: driftFine, allowsNegativePrices: front.allowsNegativePrices)
    }

    private mutating func addBook(_ instrument: Instrument, pricing: BookState.Pricing, marketMaker: MarketMakerSettings) {
        let id = engine.addInstrument(instrument.symbol, expectedOrders: 256)
        bookIndex[instrument.symbol] = books.count
        books.append(BookState(instrument: instrument, bookID: id, pricing: pricing, marketMaker: marketMaker))
    }

    // MARK: - Client requests

    /// Submits a client order at time `now`, after catching the market up to `now`.
    ///
    /// Rejected, with a reason naming the problem, for an unknown symbol, the market makers'
    /// owner or order id range, an id already working, a quantity that is not positive, a price
    /// off the instrument's tick grid (or negative where the product forbids it), and a GTD
    /// expiry not after `now`.
    public mutating func submit(_ order: VenueOrder, now: Int64) -> [VenueEvent] {
        var out: [VenueEvent] = []
        catchUp(to: now, into: &out)
        guard let book = bookIndex[order.symbol] else {
            out.append(.rejected(id: order.id, reason: "unknown symbol \(order.symbol): not listed on the simulated venue"))
            return out
        }
        let newOrder: NewOrder
        do {
            newOrder = try matchingOrder(order, instrument: books[book].instrument, now: now)
        } catch {
            out.append(.rejected(id: order.id, reason: error.reason))
            return out
        }
        var events: [MatchEvent] = []
        engine.submit(newOrder, book: books[book].bookID, into: &events)
        translate(events, book: book, into: &out)
        return out
    }

    /// Cancels a working client order, after catching the market up to `now`. Rejected when
    /// no client order with `id` is working in `symbol`.
    public mutating func cancel(id: UInt64, symbol: String, now: Int64) -> [VenueEvent] {
        var out: [VenueEvent] = []
        catchUp(to: now, into: &out)
        guard let book = workingBook(id: id, symbol: symbol, into: &out) else { return out }
        var events: [MatchEvent] = []
        engine.cancel(id: id, book: books[book].bookID, into: &events)
        translate(events, book: book, into: &out)
        return out
    }

    /// Cancel/replace, after catching the market up to `now`: sets the total quantity (filled
    /// included, as FIX OrderQty) and optionally the limit price and, for a stop order still
    /// waiting, the stop price; nil leaves a price unchanged. A smaller quantity at the same
    /// prices keeps the order's queue priority; anything else sends it to the back, and a limit
    /// price that now crosses trades at once. A quantity at or below the filled quantity
    /// cancels the order (``VenueCancelReason/replacedAtOrBelowFilled``).
    public mutating func replace(id: UInt64, symbol: String, quantity: Int64, price: FIXDecimal? = nil,
                                 stopPrice: FIXDecimal? = nil, now: Int64) -> [VenueEvent] {
        var out: [VenueEvent] = []
        catchUp(to: now, into: &out)
        guard let book = workingBook(id: id, symbol: symbol, into: &out) else { return out }
        let instrument = books[book].instrument
        var priceTicks: Int64?
        var stopTicks: Int64?
        do throws(VenueRequestError) {
            guard quantity > 0 else { throw VenueRequestError("quantity \(quantity) must be positive") }
            if let price { priceTicks = try Self.ticks(price, "limit price", instrument) }
            if let stopPrice { stopTicks = try Self.ticks(stopPrice, "stop price", instrument) }
        } catch {
            out.append(.rejected(id: id, reason: error.reason))
            return out
        }
        var events: [MatchEvent] = []
        engine.replace(id: id, book: books[book].bookID, quantity: quantity, price: priceTicks, stopPrice: stopTicks,
                       into: &events)
        translate(events, book: book, into: &out)
        return out
    }

    /// Cancels every working order of one account, in every book, after catching the market
    /// up to `now` (a kill switch; with `dayOrdersOnly`, a cancel on disconnect that keeps GTC
    /// and GTD orders). The market makers' owner cancels nothing.
    public mutating func cancelAll(owner: UInt64, dayOrdersOnly: Bool = false, now: Int64) -> [VenueEvent] {
        var out: [VenueEvent] = []
        catchUp(to: now, into: &out)
        guard owner != Self.marketMakerOwner else { return out }
        for result in engine.cancelAll(owner: owner, dayOrdersOnly: dayOrdersOnly) {
            if let book = bookIndex[result.symbol] { translate(result.events, book: book, into: &out) }
        }
        return out
    }

    /// Moves the market on to `now`: takes every price step due (one per
    /// ``SimulationSettings/stepInterval``), expiring GTD orders and requoting at each, which
    /// may fill or trigger resting client orders. Returns the client events.
    @discardableResult
    public mutating func advance(to now: Int64) -> [VenueEvent] {
        var out: [VenueEvent] = []
        catchUp(to: now, into: &out)
        return out
    }

    /// The end of the trading day: cancels every client day order (and every waiting IOC or
    /// FOK stop) with ``VenueCancelReason/endOfDay``. GTC and GTD orders, and the market
    /// makers' quotes, stay.
    public mutating func endOfDay() -> [VenueEvent] {
        var out: [VenueEvent] = []
        for result in engine.endOfDay() {
            if let book = bookIndex[result.symbol] { translate(result.events, book: book, into: &out) }
        }
        return out
    }

    /// A new trading day's listing: each month listed for the first time gets a book at the
    /// back of its root's curve (one curve step beyond the last month), quoted at once, and each
    /// new spread a book over its legs. Delisted contracts keep their books (their prices stay
    /// continuous for anything still priced from them); orders in them are the caller's to end.
    /// Call it after ``advance(to:)`` has caught the market up. Returns the symbols listed.
    @discardableResult
    public mutating func relist(_ newCatalog: InstrumentCatalog) -> [String] {
        var added: [String] = []
        for root in newCatalog.roots {
            guard let curve = curveIndex[root], let simulation = settings.roots[root] else { continue }
            for instrument in newCatalog.futures(root: root) where bookIndex[instrument.symbol] == nil {
                let offsets = curves[curve].offsets
                let step = offsets.count > 1 ? offsets[offsets.count - 1] - offsets[offsets.count - 2] : 0
                curves[curve].offsets.append(clampFine(Int128(offsets.last ?? 0) + Int128(step)))
                addBook(instrument, pricing: .curve(root: curve, month: offsets.count), marketMaker: simulation.marketMaker)
                added.append(instrument.symbol)
            }
        }
        for instrument in newCatalog.instruments where instrument.kind != .future && bookIndex[instrument.symbol] == nil {
            let legs = instrument.legs.compactMap { bookIndex[$0.symbol] }
            guard !legs.isEmpty, legs.count == instrument.legs.count else { continue }
            addBook(instrument, pricing: .legs(legs), marketMaker: settings.spreadMarketMaker)
            added.append(instrument.symbol)
        }
        catalog = newCatalog
        updateFairPrices()
        var ignored: [VenueEvent] = []
        for symbol in added { if let book = bookIndex[symbol] { requote(book, print: false, into: &ignored) } }
        return added
    }

    /// Takes the trades recorded since the last call (``recordsTrades`` must be on).
    public mutating func drainTrades() -> [VenueTrade] {
        defer { tape.removeAll(keepingCapacity: true) }
        return tape
    }

    // MARK: - Scenarios

    /// A price shock: every listed month of `root` (or only the curve positions in `months`,
    /// 1 being the front month) moves by `percent` of its own fair price, at once: −50 halves
    /// the prices, −150 takes 70.00 to −35.00 (where the product allows negative prices). The
    /// books requote immediately, which may fill client orders; those events are returned.
    @discardableResult
    public mutating func shock(root: String, percent: FIXDecimal, months: ClosedRange<Int>? = nil)
        throws(SimulatedVenueError) -> [VenueEvent] {
        let curve = try curvePosition(root: root)
        let count = curves[curve].offsets.count
        let positions = months ?? 1...count
        guard positions.lowerBound >= 1, positions.upperBound <= count else {
            throw SimulatedVenueError(key: "shock.months", value: "\(positions)",
                                      message: "\(root) lists months 1...\(count)")
        }
        curves[curve].shock(percent: percent, positions: (positions.lowerBound - 1)..<positions.upperBound)
        return requoteMoved()
    }

    /// Shifts `root`'s whole curve by `amount` in its price unit (−5.00 takes every CL month
    /// down five dollars); the books requote at once and the client events are returned.
    @discardableResult
    public mutating func shock(root: String, by amount: FIXDecimal) throws(SimulatedVenueError) -> [VenueEvent] {
        let curve = try curvePosition(root: root)
        guard let fine = curves[curve].grid.nearestTicks(to: amount), fine.magnitude < UInt64(fineLimit) else {
            throw SimulatedVenueError(key: "shock.amount", value: "\(amount)", message: "is too large for a \(root) price")
        }
        curves[curve].shift(fine: fine)
        return requoteMoved()
    }

    /// Moves one month of `root`'s curve (1 is the front month) so that its fair price is
    /// `price`; the other months stay where they are, and the month then follows the curve's
    /// random walk from there. How a replay walks the lead month along a recorded path (the
    /// May 2020 contract to −$37.63 while June held near $20).
    @discardableResult
    public mutating func setPrice(root: String, month: Int, to price: FIXDecimal) throws(SimulatedVenueError) -> [VenueEvent] {
        let curve = try curvePosition(root: root)
        let count = curves[curve].offsets.count
        guard (1...count).contains(month) else {
            throw SimulatedVenueError(key: "price.month", value: "\(month)", message: "\(root) lists months 1...\(count)")
        }
        if price.isNegative, !curves[curve].allowsNegativePrices {
            throw SimulatedVenueError(key: "price.to", value: "\(price)", message: "\(root) does not allow negative prices")
        }
        guard let target = curves[curve].grid.nearestTicks(to: price), target.magnitude < UInt64(fineLimit) else {
            throw SimulatedVenueError(key: "price.to", value: "\(price)", message: "is too large for a \(root) price")
        }
        curves[curve].offsets[month - 1] = clampFine(Int128(target) - Int128(curves[curve].level))
        return requoteMoved()
    }

    private func curvePosition(root: String) throws(SimulatedVenueError) -> Int {
        guard let curve = curveIndex[root] else {
            throw SimulatedVenueError(key: "shock.root", value: root,
                                      message: "not simulated here (roots: \(curves.map(\.root).joined(separator: ", ")))")
        }
        return curve
    }

    private mutating func requoteMoved() -> [VenueEvent] {
        var out: [VenueEvent] = []
        updateFairPrices()
        for book in books.indices where books[book].quotedFairTicks != books[book].fairTicks || books[book].touched {
            requote(book, print: true, into: &out)
        }
        return out
    }
}

// MARK: - Request checks

/// Why the venue refused a client request before it reached a book.
struct VenueRequestError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

extension SimulatedVenue {
    /// The book of a working client order in `symbol`, or a rejection appended to `out`.
    mutating func workingBook(id: UInt64, symbol: String, into out: inout [VenueEvent]) -> Int? {
        guard let book = bookIndex[symbol] else {
            out.append(.rejected(id: id, reason: "unknown symbol \(symbol): not listed on the simulated venue"))
            return nil
        }
        guard working[id] == book else {
            out.append(.rejected(id: id, reason: "unknown order: no working order \(id) in \(symbol)"))
            return nil
        }
        return book
    }

    /// The client order in the matching engine's terms, checked.
    func matchingOrder(_ order: VenueOrder, instrument: Instrument, now: Int64) throws(VenueRequestError) -> NewOrder {
        guard order.owner != Self.marketMakerOwner else {
            throw VenueRequestError("owner \(order.owner) is reserved for the simulated market makers")
        }
        guard order.id < Self.firstMarketMakerOrderID else {
            throw VenueRequestError("order id \(order.id) is in the range reserved for the market makers (2^63 and above)")
        }
        if let book = working[order.id] {
            throw VenueRequestError("duplicate order id \(order.id): already working in \(books[book].instrument.symbol)")
        }
        guard order.quantity > 0 else { throw VenueRequestError("quantity \(order.quantity) must be positive") }
        let type: OrderType
        switch order.type {
        case .market: type = .market
        case .limit(let price): type = .limit(price: try Self.ticks(price, "limit price", instrument))
        case .stop(let stop): type = .stop(stopPrice: try Self.ticks(stop, "stop price", instrument))
        case .stopLimit(let stop, let limit):
            type = .stopLimit(stopPrice: try Self.ticks(stop, "stop price", instrument),
                              limitPrice: try Self.ticks(limit, "limit price", instrument))
        }
        let timeInForce: TimeInForce
        switch order.timeInForce {
        case .day: timeInForce = .day
        case .goodTillCancel: timeInForce = .goodTillCancel
        case .immediateOrCancel: timeInForce = .immediateOrCancel
        case .fillOrKill: timeInForce = .fillOrKill
        case .goodTillDate(let expireAt):
            guard expireAt > now else {
                throw VenueRequestError("GTD expiry \(expireAt) is not after the venue time \(now)")
            }
            timeInForce = .goodTillDate(expireAt: expireAt)
        }
        let selfTradePrevention: SelfTradePrevention
        switch order.selfTradePrevention {
        case .none: selfTradePrevention = .none
        case .cancelResting: selfTradePrevention = .cancelResting
        case .cancelIncoming: selfTradePrevention = .cancelIncoming
        case .cancelBoth: selfTradePrevention = .cancelBoth
        }
        return NewOrder(id: order.id, owner: order.owner, side: OrderSide(order.side), type: type, quantity: order.quantity,
                        timeInForce: timeInForce, selfTradePrevention: selfTradePrevention)
    }

    static func ticks(_ price: FIXDecimal, _ label: String, _ instrument: Instrument) throws(VenueRequestError) -> Int64 {
        do {
            return try instrument.validate(price: price)
        } catch {
            throw VenueRequestError("\(label) rejected: \(error.description)")
        }
    }
}

extension OrderSide {
    init(_ side: Instruments.Side) { self = side == .buy ? .buy : .sell }
}

extension Instruments.Side {
    init(_ side: OrderSide) { self = side == .buy ? .buy : .sell }
}
