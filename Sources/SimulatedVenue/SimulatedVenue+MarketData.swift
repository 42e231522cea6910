import FIXCodec
import Instruments
import MatchingEngine

// Read-only market data for the gateway, the risk sidecar and P&L, in exact decimal prices.
// Every query returns nil for a symbol the venue does not list.

extension SimulatedVenue {
    /// Every instrument with a book, in catalog order: each root's months, then spreads and cracks.
    public var symbols: [String] { books.map(\.instrument.symbol) }

    /// The instrument behind a symbol, if the venue lists it.
    public func instrument(symbol: String) -> Instrument? {
        bookIndex[symbol].map { books[$0].instrument }
    }

    /// The price process's fair price, on the tick grid: the centre of the market makers' quotes.
    public func fairPrice(symbol: String) -> FIXDecimal? {
        guard let book = bookIndex[symbol] else { return nil }
        return books[book].instrument.price(ticks: books[book].fairTicks)
    }

    /// The price to mark positions at: the mid of the best bid and offer when both exist (half
    /// a tick when they are an odd number of ticks apart), else the last trade, else the fair price.
    public func mark(symbol: String) -> FIXDecimal? {
        guard let book = bookIndex[symbol] else { return nil }
        let instrument = books[book].instrument
        let orderBook = engine.books[books[book].bookID.rawValue]
        if let bid = orderBook.bestBid?.price, let ask = orderBook.bestAsk?.price {
            let sum = Int128(bid) + Int128(ask)
            if sum % 2 == 0 { return instrument.price(ticks: Int64(sum / 2)) }
            return instrument.price(ticks: Int64((sum - 1) / 2)) + instrument.tickSize * FIXDecimal(mantissa: 5, scale: 1)
        }
        if let last = orderBook.lastTradePrice { return instrument.price(ticks: last) }
        return instrument.price(ticks: books[book].fairTicks)
    }

    /// The mark of every symbol, for P&L.
    public func marks() -> [String: FIXDecimal] {
        var result: [String: FIXDecimal] = [:]
        result.reserveCapacity(books.count)
        for book in books {
            if let mark = mark(symbol: book.instrument.symbol) { result[book.instrument.symbol] = mark }
        }
        return result
    }

    /// The best bid and offer with their total quantities.
    public func topOfBook(symbol: String) -> TopOfBook? {
        guard let book = bookIndex[symbol] else { return nil }
        let instrument = books[book].instrument
        let orderBook = engine.books[books[book].bookID.rawValue]
        let bid = orderBook.bestBid
        let ask = orderBook.bestAsk
        return TopOfBook(bidPrice: bid.map { instrument.price(ticks: $0.price) }, bidSize: bid?.quantity ?? 0,
                         askPrice: ask.map { instrument.price(ticks: $0.price) }, askSize: ask?.quantity ?? 0)
    }

    /// The price of the book's last trade (market makers' prints included); nil before the first.
    public func lastTradePrice(symbol: String) -> FIXDecimal? {
        guard let book = bookIndex[symbol] else { return nil }
        return engine.books[books[book].bookID.rawValue].lastTradePrice.map(books[book].instrument.price(ticks:))
    }

    /// Up to `levels` price levels of each side, best first.
    public func depth(symbol: String, levels: Int) -> VenueDepth? {
        guard let book = bookIndex[symbol] else { return nil }
        let instrument = books[book].instrument
        let depth = engine.books[books[book].bookID.rawValue].depth(maxLevels: max(0, levels))
        func convert(_ level: PriceLevel) -> DepthLevel {
            DepthLevel(price: instrument.price(ticks: level.price), quantity: level.quantity, orderCount: level.orderCount)
        }
        return VenueDepth(bids: depth.bids.map(convert), asks: depth.asks.map(convert))
    }

    /// A working client order's state; nil once it is filled, cancelled or expired (or for a
    /// market maker's order).
    public func order(id: UInt64) -> VenueOrderState? {
        guard let book = working[id], let state = engine.books[books[book].bookID.rawValue].order(id) else { return nil }
        return VenueOrderState(state, symbol: books[book].instrument)
    }

    /// Every working client order, optionally one account's, book by book in catalog order.
    public func workingOrders(owner: UInt64? = nil) -> [VenueOrderState] {
        guard owner != Self.marketMakerOwner else { return [] }
        var result: [VenueOrderState] = []
        for book in books {
            for state in engine.books[book.bookID.rawValue].workingOrders(owner: owner)
            where state.owner != Self.marketMakerOwner {
                result.append(VenueOrderState(state, symbol: book.instrument))
            }
        }
        return result
    }

    /// How many client orders are working.
    public var workingOrderCount: Int { working.count }
}

extension VenueOrderState {
    init(_ state: OrderState, symbol instrument: Instrument) {
        let type: VenueOrderType
        switch state.type {
        case .market: type = .market
        case .limit(let price): type = .limit(instrument.price(ticks: price))
        case .stop(let stop): type = .stop(instrument.price(ticks: stop))
        case .stopLimit(let stop, let limit):
            type = .stopLimit(stop: instrument.price(ticks: stop), limit: instrument.price(ticks: limit))
        }
        let timeInForce: VenueTimeInForce
        switch state.timeInForce {
        case .day: timeInForce = .day
        case .goodTillCancel: timeInForce = .goodTillCancel
        case .immediateOrCancel: timeInForce = .immediateOrCancel
        case .fillOrKill: timeInForce = .fillOrKill
        case .goodTillDate(let expireAt): timeInForce = .goodTillDate(expireAt: expireAt)
        }
        self.init(id: state.id, owner: state.owner, symbol: instrument.symbol, side: Instruments.Side(state.side), type: type,
                  quantity: state.quantity, filledQuantity: state.filled, leavesQuantity: state.leaves,
                  timeInForce: timeInForce, waitingForTrigger: state.status == .waitingForTrigger)
    }
}
