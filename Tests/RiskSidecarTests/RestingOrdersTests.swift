import Instruments
@testable import RiskSidecar
import Testing
import TestSupport

/// An account's resting orders by price level: what self-trade prevention asks of them.
@Suite struct RestingOrdersTests {
    @Test func bestPricesFollowAddsAndRemoves() {
        var resting = RestingOrders()
        resting.add(.sell, price: 7_530)
        resting.add(.sell, price: 7_520)
        resting.add(.sell, price: 7_520)
        resting.add(.buy, price: 7_500)
        #expect(resting.bestAsk == 7_520 && resting.bestBid == 7_500)
        #expect(resting.crosses(.buy, price: 7_520) && !resting.crosses(.buy, price: 7_519))
        #expect(resting.crosses(.sell, price: 7_500) && !resting.crosses(.sell, price: 7_501))
        resting.remove(.sell, price: 7_520)
        #expect(resting.bestAsk == 7_520, "another order still rests at the best price")
        resting.remove(.sell, price: 7_520)
        #expect(resting.bestAsk == 7_530)
        resting.remove(.sell, price: 7_530)
        resting.remove(.buy, price: 7_500)
        #expect(resting.bestAsk == nil && resting.bestBid == nil && resting.isEmpty)
    }

    @Test func agreesWithAScanOfEveryOrder() {
        var random = SeededRandom(seed: 11)
        var resting = RestingOrders()
        var all: [(side: Side, price: Int128)] = []
        for _ in 0..<3_000 {
            if all.isEmpty || random.next(upTo: 3) > 0 {
                let order = (side: random.next(upTo: 2) == 0 ? Side.buy : .sell, price: 7_400 + Int128(random.next(upTo: 200)))
                resting.add(order.side, price: order.price)
                all.append(order)
            } else {
                let order = all.remove(at: random.next(upTo: all.count))
                resting.remove(order.side, price: order.price)
            }
            let side: Side = random.next(upTo: 2) == 0 ? .buy : .sell
            let price = 7_400 + Int128(random.next(upTo: 200))
            let expected = all.contains { $0.side != side && (side == .buy ? $0.price <= price : $0.price >= price) }
            #expect(resting.crosses(side, price: price) == expected)
        }
    }
}
