import FIXCodec
import Instruments
@testable import RiskSidecar
import Testing
import TestSupport

/// Orders resolved once where they are built (names to ids, ClOrdID and key hashed) decide
/// exactly as orders checked by name.
@Suite struct ResolvedOrderTests {
    static let limits = RiskLimits(
        firm: LimitSet(maxOrderSize: 500, priceCollar: PriceCollar(.percent(10)), maxPositionPerMonth: 400,
                       orderRate: RateLimit(limit: 40, windowNanos: T.second),
                       messageRate: RateLimit(limit: 60, windowNanos: T.second, logoutAbove: 80),
                       duplicateWindowNanos: T.second, selfTradePrevention: .reject),
        accounts: ["DESK1": LimitSet(maxOrderSize: 100, maxPositionPerMonth: 150, maxGrossNotional: 20_000_000),
                   "DESK2": LimitSet(restricted: true)],
        sessions: ["OMS1": LimitSet(orderRate: RateLimit(limit: 30, windowNanos: T.second))],
        roots: ["CL": LimitSet(priceCollar: PriceCollar(.ticks(50)))],
        symbols: ["CLK6": LimitSet(maxPositionPerMonth: 120)])

    /// Orders of every outcome: accepted, over a limit, for names never seen (a new month, a new
    /// account), an unknown root, an account the session may not trade, repeated ClOrdIDs and
    /// keys, duplicates in the window, a throttle filling up.
    static func orders() -> [RiskOrder] {
        var factory = OrderFactory()
        var orders: [RiskOrder] = []
        for index in 0..<60 {
            let side: Side = index % 3 == 0 ? .sell : .buy
            let quantity = Int64(1 + index % 17 * 7)
            let price = index % 11 == 0 ? "90.00" : "75.\(20 + index % 30)"
            let symbol = ["CLK6", "CLM6", "CLN6", "RBK6"][index % 4]
            let account = ["DESK1", "DESK1", "DESK2", "DESK3", "DESK9"][index % 5]
            let session = index % 7 == 0 ? "OMS2" : "OMS1"
            orders.append(factory.order(side, quantity, symbol, at: symbol == "RBK6" ? "2.1500" : price,
                                        account: account, session: session))
        }
        var unknownRoot = factory.order(.buy, 1, "ZZZ6")
        unknownRoot.root = "ZZ"
        orders.append(unknownRoot)
        orders.append(orders[1])  // the same key and ClOrdID again
        var sameClOrdID = factory.order(.buy, 2)
        sameClOrdID.clOrdID = orders[4].clOrdID
        orders.append(sameClOrdID)
        var sameKey = factory.order(.buy, 3)
        sameKey.key = orders[5].key
        orders.append(sameKey)
        orders.append(factory.order(.buy, 5, "CLQ6"))
        return orders
    }

    @Test func resolvedOrdersDecideAsOrdersCheckedByName() {
        var byName = makeEngine(Self.limits)
        var resolving = makeEngine(Self.limits)
        byName.permitAccounts(["DESK1", "DESK2", "DESK3"], session: "OMS2")
        resolving.permitAccounts(["DESK1", "DESK2", "DESK3"], session: "OMS2")
        var resolvedCount = 0
        for (index, order) in Self.orders().enumerated() {
            let now = T.at(ms: Int64(index * 7))
            var resolved = order
            resolving.resolve(&resolved)
            if resolved.resolved.account >= 0 && resolved.resolved.symbol >= 0 { resolvedCount += 1 }
            let expected = byName.check(order, now: now)
            let decision = resolving.check(resolved, now: now)
            #expect(decision.auditRecord == expected.auditRecord, "order \(index)")
            #expect(decision.input == expected.input)
            if index % 5 == 4 {
                byName.orderDone(key: order.key, now: now)
                resolving.orderDone(key: order.key, now: now)
            }
        }
        #expect(resolvedCount > 20, "most orders came with every name known")
        #expect(resolving.workingOrders() == byName.workingOrders())
        #expect(resolving.utilisation(now: T.at(seconds: 1)) == byName.utilisation(now: T.at(seconds: 1)))
        #expect(resolving.referencePrices(symbol: "CLQ6") == byName.referencePrices(symbol: "CLQ6"))
        for account in ["DESK1", "DESK2", "DESK3", "DESK9"] {
            #expect(resolving.grossNotional(account: account) == byName.grossNotional(account: account))
            #expect(resolving.worstCase(account: account, symbol: "CLK6") == byName.worstCase(account: account, symbol: "CLK6"))
        }
    }

    @Test func anOrderResolvedByAnotherEngineIsCheckedByName() {
        var one = makeEngine(Self.limits)
        var other = makeEngine(RiskLimits(accounts: ["DESK1": LimitSet(maxOrderSize: 5)]))
        // Other names first, so that the two engines' ids differ.
        var others = OrderFactory()
        _ = other.check(others.order(.buy, 1, "CLM6", account: "DESK7", session: "OMS5"), now: T.zero)
        var factory = OrderFactory()
        var order = factory.order(.buy, 10)
        _ = one.check(factory.order(.buy, 1), now: T.zero)
        one.resolve(&order)
        #expect(order.resolved.isResolved)
        let decision = other.check(order, now: T.zero)
        #expect(decision.check == .orderSize, "DESK1's limit in the other engine, found by name")
        #expect(one.check(order, now: T.zero).isAccepted)
    }

    @Test func changingANameClearsTheResolutionAndEqualityIgnoresIt() {
        var engine = makeEngine(Self.limits)
        var factory = OrderFactory()
        _ = engine.check(factory.order(.buy, 1), now: T.zero)
        let plain = factory.order(.buy, 2)
        var order = plain
        engine.resolve(&order)
        #expect(order.resolved.isResolved && order.resolved.account >= 0)
        #expect(order == plain && order.hashValue == plain.hashValue)
        order.quantity = 3
        #expect(order.resolved.isResolved, "quantities and prices are not resolved")
        order.account = "DESK2"
        #expect(!order.resolved.isResolved)
        engine.resolve(&order)
        order.clOrdID = "X1"
        #expect(!order.resolved.isResolved)
        engine.resolve(&order)
        order.key = RiskOrderKey("K1")
        #expect(!order.resolved.isResolved)
        #expect(engine.check(order, now: T.zero).check == .restrictedAccount)
    }

    @Test func theSidecarResolvesAsItsEngine() {
        let sidecar = RiskSidecar(limits: Self.limits, contracts: TestContracts.all)
        _ = sidecar.updateReferencePrices(ReferencePrices(last: dec("75.28"), bid: dec("75.27"), ask: dec("75.29")),
                                          symbol: "CLK6", root: "CL", now: T.zero)
        var factory = OrderFactory()
        #expect(sidecar.check(factory.order(.buy, 1), now: T.zero).isAccepted)
        let order = sidecar.resolved(factory.order(.buy, 101))
        #expect(order.resolved.isResolved && order.resolved.session >= 0)
        let decision = sidecar.check(order, now: T.zero)
        #expect(decision.check == .orderSize)
        #expect(decision.text == "max order size: 101 contracts, limit 100 (account DESK1)")
    }

    @Test func aClOrdIDHashedAheadPlacesThePairWhereItsTextWould() {
        var byText = ClOrdIDSet(capacity: 16)
        var hashed = ClOrdIDSet(capacity: 16)
        let ids = (0..<3_000).map { $0 % 3 == 0 ? "B\($0)" : $0 % 3 == 1 ? "ORD-\($0)-X" : "\($0)" }
        for (index, id) in ids.enumerated() {
            let session = index % 4
            #expect(byText.insert(session: session, id) == hashed.insert(session: session, id, hash: ClOrdIDHash.of(id)))
        }
        for (index, id) in ids.enumerated() {
            #expect(hashed.contains(session: index % 4, id))
            let again = hashed.insert(session: index % 4, id, hash: ClOrdIDHash.of(id))
            #expect(!again)
            #expect(byText.insert(session: 9, id) == hashed.insert(session: 9, id, hash: ClOrdIDHash.of(id)))
        }
    }
}
