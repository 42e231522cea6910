import FIXCodec
import Instruments
import OrderEntry
import MatchingEngine

// The moving parts behind the client API: the step schedule, fair prices, the market makers'
// ladders, and turning book events into client events.

/// What the venue keeps per book beside the book itself.
struct BookState: Sendable {
    enum Pricing: Sendable, Hashable {
        /// An outright: a month (0-based curve position) of a root's curve.
        case curve(root: Int, month: Int)
        /// A spread or crack: the books of its legs, in the instrument's leg order.
        case legs([Int])
    }

    let instrument: Instrument
    /// The instrument's tick grid, kept rather than rebuilt for every price.
    let grid: TickGrid
    let bookID: MatchingEngine.BookID
    let pricing: Pricing
    let marketMaker: MarketMakerSettings
    /// The fair price now, in ticks.
    var fairTicks: Int64 = 0
    /// The fair price the market maker's ladder is quoted around; nil before the first quote.
    var quotedFairTicks: Int64?
    /// The market maker's resting ladder.
    var quotes: [MarketMakerQuote] = []
    /// A client traded with the market maker since its last quote, so its ladder is short.
    var touched = false

    init(instrument: Instrument, bookID: MatchingEngine.BookID, pricing: Pricing, marketMaker: MarketMakerSettings) {
        self.instrument = instrument
        self.grid = instrument.tickGrid
        self.bookID = bookID
        self.pricing = pricing
        self.marketMaker = marketMaker
        quotes.reserveCapacity(2 * max(0, marketMaker.levels))
    }
}

extension SimulatedVenue {
    // MARK: Steps

    /// Takes every step due by `now`, then expires GTD orders due by `now`.
    mutating func catchUp(to now: Int64, into out: inout [VenueEvent]) {
        defer { currentTime = max(currentTime, now) }
        guard let last = lastStepTime else {
            lastStepTime = now
            expire(at: now, into: &out)
            return
        }
        let interval = settings.stepInterval
        if now > last {
            let gap = Int128(now) - Int128(last)
            let steps = Int64(clamping: gap / Int128(interval))
            if steps > 0 {
                let quoted = min(steps, Int64(settings.maxQuotedStepsPerAdvance))
                let skipped = steps - quoted
                if skipped > 0 {
                    for curve in curves.indices { curves[curve].jump(steps: skipped, &random) }
                }
                for step in (skipped + 1)...steps {
                    let time = Int64(Int128(last) + Int128(step) * Int128(interval))
                    takeStep(at: time, into: &out)
                }
                let (count, overflow) = stepCount.addingReportingOverflow(steps)
                stepCount = overflow ? .max : count
                lastStepTime = Int64(Int128(last) + Int128(steps) * Int128(interval))
            }
        }
        expire(at: now, into: &out)
    }

    /// One step at `time`: the prices move, GTD orders due expire (before they could trade at
    /// the new prices), and every book whose fair price moved or whose ladder a client hit is
    /// requoted.
    private mutating func takeStep(at time: Int64, into out: inout [VenueEvent]) {
        currentTime = time
        for curve in curves.indices { curves[curve].step(&random) }
        expire(at: time, into: &out)
        updateFairPrices()
        for book in books.indices where books[book].quotedFairTicks != books[book].fairTicks || books[book].touched {
            requote(book, print: true, into: &out)
        }
    }

    private mutating func expire(at time: Int64, into out: inout [VenueEvent]) {
        for result in engine.expire(now: time) {
            if let book = bookIndex[result.symbol] { translate(result.events, book: book, into: &out) }
        }
    }

    /// Recomputes every book's fair price from the curves; legs are outrights, which come
    /// before the spreads, so each spread sees its legs' new prices.
    mutating func updateFairPrices() {
        for book in books.indices {
            switch books[book].pricing {
            case .curve(let root, let month):
                books[book].fairTicks = nearestTicks(fine: curves[root].fairFine(month: month))
            case .legs(let legs):
                var prices: [FIXDecimal] = []
                prices.reserveCapacity(legs.count)
                for leg in legs { prices.append(books[leg].grid.price(ticks: books[leg].fairTicks)) }
                if let value = books[book].instrument.formula.value(prices, scale: 8),
                   let ticks = books[book].grid.nearestTicks(to: value) {
                    books[book].fairTicks = ticks
                }
            }
        }
    }

    // MARK: Market makers

    /// Moves the market maker's ladder to the fair price: levels still wanted and still full
    /// stay (keeping their queue priority, as a real market maker's would), the others are
    /// cancelled, and the missing levels are added, bids then offers, best first. With `print`,
    /// a move of the fair price since the last quote also trades
    /// ``MarketMakerSettings/printQuantity`` at the best price in the direction of the move.
    mutating func requote(_ book: Int, print: Bool, into out: inout [VenueEvent]) {
        let settings = books[book].marketMaker
        let ladder = Ladder(fair: books[book].fairTicks, settings: settings,
                            floor: books[book].instrument.allowsNegativePrices ? nil : 0)
        let previous = books[book].quotedFairTicks
        let owner = Self.marketMakerOwner
        var quotes = books[book].quotes
        books[book].quotes = []
        books[book].quotedFairTicks = ladder.fair
        books[book].touched = false
        var nextID = nextMarketMakerID
        var events: [MatchEvent] = []

        engine.withBook(books[book].instrument.symbol) { orderBook in
            func submit(_ side: OrderSide, _ price: Int64, _ quantity: Int64, _ timeInForce: TimeInForce) -> UInt64 {
                let id = nextID
                nextID &+= 1
                orderBook.submit(NewOrder(id: id, owner: owner, side: side, type: .limit(price: price), quantity: quantity,
                                          timeInForce: timeInForce), into: &events)
                return id
            }
            var kept = 0
            for quote in quotes {
                guard let state = orderBook.order(quote.id) else { continue }
                if state.leaves == settings.quantity, ladder.wants(quote.side, quote.price) {
                    quotes[kept] = quote
                    kept += 1
                } else {
                    orderBook.cancel(id: quote.id, into: &events)
                }
            }
            quotes.removeLast(quotes.count - kept)
            for side in OrderSide.allCases {
                for level in 0..<ladder.count(side) {
                    let price = ladder.price(side, level: level)
                    var present = false
                    for position in 0..<kept where quotes[position].side == side && quotes[position].price == price {
                        present = true
                    }
                    if present { continue }
                    let id = submit(side, price, settings.quantity, .goodTillCancel)
                    quotes.append(MarketMakerQuote(id: id, side: side, price: price))
                }
            }
            if print, settings.printQuantity > 0, let previous, previous != ladder.fair {
                let side: OrderSide = ladder.fair > previous ? .buy : .sell
                if let opposite = side == .buy ? orderBook.bestAsk : orderBook.bestBid {
                    _ = submit(side, opposite.price, settings.printQuantity, .immediateOrCancel)
                }
            }
        }
        nextMarketMakerID = nextID
        books[book].quotes = quotes
        translate(events, book: book, into: &out)
    }

    // MARK: Events

    /// Book events to client events: market makers' own events are dropped, prices become
    /// decimals, the working-order table follows each order, and a trade between a client and
    /// the market maker marks the book for requoting.
    mutating func translate(_ events: [MatchEvent], book: Int, into out: inout [VenueEvent]) {
        let symbol = books[book].instrument.symbol
        let grid = books[book].grid
        let marketMaker = Self.marketMakerOwner
        for event in events {
            switch event {
            case .accepted(let order):
                guard order.owner != marketMaker else { continue }
                working[order.id] = book
                out.append(.accepted(id: order.id))
            case .rejected(let rejection):
                guard rejection.id < Self.firstMarketMakerOrderID else { continue }
                out.append(.rejected(id: rejection.id, reason: "\(rejection.reason): order \(rejection.id) in \(symbol)"))
            case .fill(let fill):
                let tradeID = nextTradeID
                nextTradeID += 1
                let aggressorIsClient = fill.aggressorOwner != marketMaker
                let restingIsClient = fill.restingOwner != marketMaker
                if aggressorIsClient != restingIsClient { books[book].touched = true }
                let price = grid.price(ticks: fill.price)
                if recordsTrades {
                    tape.append(VenueTrade(symbol: symbol, tradeID: tradeID, price: price, quantity: fill.quantity,
                                           aggressorSide: Instruments.Side(fill.aggressorSide), time: currentTime))
                }
                if aggressorIsClient {
                    if fill.aggressorLeaves == 0 { working[fill.aggressorID] = nil }
                    out.append(.fill(VenueFill(
                        id: fill.aggressorID, owner: fill.aggressorOwner, symbol: symbol,
                        side: Instruments.Side(fill.aggressorSide), price: price, quantity: fill.quantity,
                        leavesQuantity: fill.aggressorLeaves, tradeID: tradeID, aggressor: true)))
                }
                if restingIsClient {
                    if fill.restingLeaves == 0 { working[fill.restingID] = nil }
                    out.append(.fill(VenueFill(
                        id: fill.restingID, owner: fill.restingOwner, symbol: symbol,
                        side: Instruments.Side(fill.aggressorSide.opposite), price: price, quantity: fill.quantity,
                        leavesQuantity: fill.restingLeaves, tradeID: tradeID, aggressor: false)))
                }
            case .cancelled(let cancellation):
                guard cancellation.owner != marketMaker else { continue }
                working[cancellation.id] = nil
                out.append(.canceled(id: cancellation.id, canceledQuantity: cancellation.cancelledQuantity,
                                     reason: VenueCancelReason(cancellation.reason)))
            case .replaced(let replacement):
                guard replacement.owner != marketMaker else { continue }
                out.append(.replaced(VenueReplacement(
                    id: replacement.id, quantity: replacement.quantity, leavesQuantity: replacement.leaves,
                    price: replacement.price.map(grid.price(ticks:)),
                    stopPrice: replacement.stopPrice.map(grid.price(ticks:)),
                    keptPriority: replacement.keptPriority)))
            case .stopTriggered(let trigger):
                guard trigger.owner != marketMaker else { continue }
                out.append(.stopTriggered(id: trigger.id))
            }
        }
    }
}

/// One resting order of a market maker's ladder.
struct MarketMakerQuote: Sendable, Hashable {
    var id: UInt64
    var side: OrderSide
    var price: Int64
}

/// The prices a market maker wants to quote around a fair price, in ticks.
struct Ladder {
    let fair: Int64
    let settings: MarketMakerSettings
    /// Levels quoted on each side: all of them, less any bids below the floor (0 for a
    /// product without negative prices) or any level beyond a sane price range.
    private let bidLevels: Int
    private let askLevels: Int

    init(fair: Int64, settings: MarketMakerSettings, floor: Int64?) {
        self.fair = fair
        self.settings = settings
        func levels(_ side: OrderSide) -> Int {
            var count = 0
            while count < settings.levels {
                let (spacing, spacingOverflow) = Int64(count).multipliedReportingOverflow(by: settings.levelSpacingTicks)
                let (distance, distanceOverflow) = settings.halfSpreadTicks.addingReportingOverflow(spacing)
                // |fair| < 2^47 ticks and the distance is checked, so the price cannot overflow.
                guard !spacingOverflow, !distanceOverflow, distance < fineLimit else { break }
                let price = side == .buy ? fair - distance : fair + distance
                guard price > -fineLimit, price < fineLimit else { break }
                if let floor, price < floor { break }
                count += 1
            }
            return count
        }
        bidLevels = levels(.buy)
        askLevels = levels(.sell)
    }

    func count(_ side: OrderSide) -> Int { side == .buy ? bidLevels : askLevels }

    /// The price of a level, 0 being the best (a level below ``count(_:)``).
    func price(_ side: OrderSide, level: Int) -> Int64 {
        let distance = settings.halfSpreadTicks + Int64(level) * settings.levelSpacingTicks
        return side == .buy ? fair - distance : fair + distance
    }

    /// Whether a resting order at `price` is one of this ladder's levels.
    func wants(_ side: OrderSide, _ price: Int64) -> Bool {
        // Quoted prices are within ±2^60, so the distance cannot overflow.
        let distance = side == .buy ? fair - price : price - fair
        let (fromBest, overflow) = distance.subtractingReportingOverflow(settings.halfSpreadTicks)
        guard !overflow, fromBest >= 0, fromBest % settings.levelSpacingTicks == 0 else { return false }
        return fromBest / settings.levelSpacingTicks < Int64(count(side))
    }
}


extension VenueCancelReason {
    /// The matching engine's reason, as every venue reports it.
    init(_ reason: CancelReason) {
        switch reason {
        case .requested: self = .requested
        case .immediateOrCancelRemainder: self = .immediateOrCancelRemainder
        case .fillOrKillUnfilled: self = .fillOrKillUnfilled
        case .expired: self = .expired
        case .endOfDay: self = .endOfDay
        case .selfTrade: self = .selfTrade
        case .marketNoLiquidity: self = .marketNoLiquidity
        case .replacedAtOrBelowFilled: self = .replacedAtOrBelowFilled
        }
    }
}
