import MatchingEngine

// Readable access to the events a test expects.

extension MatchEvent {
    var fill: Fill? { if case .fill(let fill) = self { fill } else { nil } }
    var cancellation: Cancellation? { if case .cancelled(let cancellation) = self { cancellation } else { nil } }
    var rejection: Rejection? { if case .rejected(let rejection) = self { rejection } else { nil } }
    var replacement: Replacement? { if case .replaced(let replacement) = self { replacement } else { nil } }
    var stopTrigger: StopTrigger? { if case .stopTriggered(let trigger) = self { trigger } else { nil } }
    var accepted: NewOrder? { if case .accepted(let order) = self { order } else { nil } }
}

extension Array where Element == MatchEvent {
    var fills: [Fill] { compactMap(\.fill) }
    var cancellations: [Cancellation] { compactMap(\.cancellation) }
    var rejections: [Rejection] { compactMap(\.rejection) }
    var replacements: [Replacement] { compactMap(\.replacement) }
    var stopTriggers: [StopTrigger] { compactMap(\.stopTrigger) }

    /// (resting id, price, quantity) of each fill, for compact expectations.
    var trades: [Trade] { fills.map { Trade($0.restingID, $0.price, $0.quantity) } }
}

struct Trade: Equatable, CustomStringConvertible {
    var resting: UInt64
    var price: Int64
    var quantity: Int64

    init(_ resting: UInt64, _ price: Int64, _ quantity: Int64) {
        self.resting = resting
        self.price = price
        self.quantity = quantity
    }

    var description: String { "\(quantity)@\(price) vs #\(resting)" }
}

/// A book with resting sell (or buy) orders: `(id, price, quantity)`, submitted in order.
func book(asks: [(UInt64, Int64, Int64)] = [], bids: [(UInt64, Int64, Int64)] = [], owner: UInt64 = 99,
          lastTradePrice: Int64? = nil) -> OrderBook {
    var book = OrderBook(expectedOrders: 64, lastTradePrice: lastTradePrice)
    for (id, price, quantity) in asks {
        book.submit(.limit(id: id, owner: owner, side: .sell, price: price, quantity: quantity, timeInForce: .goodTillCancel))
    }
    for (id, price, quantity) in bids {
        book.submit(.limit(id: id, owner: owner, side: .buy, price: price, quantity: quantity, timeInForce: .goodTillCancel))
    }
    return book
}
