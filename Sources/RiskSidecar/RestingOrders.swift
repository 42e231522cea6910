import Instruments

/// An account's resting orders in one contract month, counted by side and price level, for
/// self-trade prevention: the best price on each side answers "would this order cross one of
/// ours?" in one comparison however many orders rest. Adding or removing an order is one hash
/// of its price and allocates nothing once the tables have grown; the orders themselves are
/// the engine's working orders, listed only when one is crossed.
struct RestingOrders {
    private var bids: [Int128: Int] = [:]
    private var asks: [Int128: Int] = [:]
    /// The highest resting buy and the lowest resting sell, raw prices.
    private(set) var bestBid: Int128?
    private(set) var bestAsk: Int128?

    var isEmpty: Bool { bids.isEmpty && asks.isEmpty }

    mutating func add(_ side: Side, price: Int128) {
        if side == .buy {
            bids[price, default: 0] += 1
            if bestBid.map({ price > $0 }) ?? true { bestBid = price }
        } else {
            asks[price, default: 0] += 1
            if bestAsk.map({ price < $0 }) ?? true { bestAsk = price }
        }
    }

    /// Removes one order added on `side` at `price`.
    mutating func remove(_ side: Side, price: Int128) {
        if side == .buy {
            if Self.decrement(price, in: &bids), bestBid == price { bestBid = bids.keys.max() }
        } else {
            if Self.decrement(price, in: &asks), bestAsk == price { bestAsk = asks.keys.min() }
        }
    }

    /// Whether the level emptied and was dropped.
    private static func decrement(_ price: Int128, in levels: inout [Int128: Int]) -> Bool {
        guard let count = levels[price] else { return false }
        levels[price] = count > 1 ? count - 1 : nil
        return count == 1
    }

    /// Whether an order on `side` at `price` would trade with one resting on the other side.
    func crosses(_ side: Side, price: Int128) -> Bool {
        side == .buy ? bestAsk.map { $0 <= price } ?? false : bestBid.map { $0 >= price } ?? false
    }
}
