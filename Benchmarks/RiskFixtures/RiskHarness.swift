import FIXCodec
import Instruments
import RiskSidecar

/// The sidecar, its limits and its book, built once; a cursor of orders and time.
public final class Harness: @unchecked Sendable {
    public static let locked = Harness()
    public static let batch = Harness()
    public static let unlocked = Harness()
    public static let decisions = Harness()

    public let sidecar: RiskSidecar
    public var engine: RiskEngine
    private var sequence = 0
    /// Tuesday 3 March 2026 15:00 UTC (Globex open); 20 ms between orders, well inside the throttles.
    private var now: Int64 = 1_772_550_000 * 1_000_000_000

    public init() {
        let limits = Self.limits
        sidecar = RiskSidecar(limits: limits, contracts: Self.contracts)
        engine = RiskEngine(limits: limits, contracts: Self.contracts)
        Self.prepare(sidecarCalls: sidecar, engine: &engine, now: now)
    }

    public func nextOrder() -> RiskOrder {
        sequence += 1
        // 97 prices × 13 sizes: the same order repeats only every 1,261 orders (25 s), outside
        // the duplicate window.
        let price = FIXDecimal(mantissa: 7_500 + Int64(sequence % 97), scale: 2)
        return RiskOrder(key: RiskOrderKey(Int64(sequence)), clOrdID: "B\(sequence)", account: "DESK1", session: "OMS1",
                         symbol: "CLK6", root: "CL", side: .buy, quantity: 1 + Int64(sequence % 13), type: .limit,
                         price: price, timeInForce: .day)
    }

    /// The next order resolved by the sidecar, as the gateway builds it (names to ids, ClOrdID
    /// and key hashed): what `sidecar.check` is given.
    public func nextSidecarOrder() -> RiskOrder {
        var order = nextOrder()
        sidecar.resolve(&order)
        return order
    }

    /// The next order resolved by the bare engine: what `engine.check` is given.
    public func nextEngineOrder() -> RiskOrder {
        var order = nextOrder()
        engine.resolve(&order)
        return order
    }

    public func advance() -> Int64 {
        now += 20_000_000
        return now
    }

    public func finish(_ decision: RiskDecision, _ order: RiskOrder) {
        finish(decision.rejection, order)
    }

    public func finish(_ verdict: RiskVerdict, _ order: RiskOrder) {
        finish(verdict.rejection, order)
    }

    private func finish(_ rejection: RiskRejection?, _ order: RiskOrder) {
        if let rejection { fatalError("rejected: \(rejection.text)") }
        sidecar.orderDone(key: order.key, now: now)
    }

    public static let contracts = [
        ContractSpec(root: "CL", name: "WTI Crude Oil", exchange: "NYMEX", contractSize: 1_000, priceUnit: "$/bbl",
                     tickSize: FIXDecimal(mantissa: 1, scale: 2), tickValue: 10),
        ContractSpec(root: "RB", name: "RBOB Gasoline", exchange: "NYMEX", contractSize: 42_000, priceUnit: "$/gal",
                     tickSize: FIXDecimal(mantissa: 1, scale: 4), tickValue: FIXDecimal(mantissa: 42, scale: 1)),
    ]

    /// Every control configured, most of them at several scopes.
    public static var limits: RiskLimits {
        let second: Int64 = 1_000_000_000
        let globex = TradingHours(timeZone: "America/New_York", open: 18 * 60, close: 17 * 60,
                                  days: [.sunday, .monday, .tuesday, .wednesday, .thursday])
        let firm = LimitSet(
            maxOrderSize: 500, maxOrderValue: 50_000_000, priceCollar: PriceCollar(.percent(10)),
            marketProtection: .ticks(100), maxPositionPerMonth: 4_000, maxPositionPerRoot: 10_000,
            maxGrossNotional: 2_000_000_000, dailyLoss: DailyLossLimit(limit: 5_000_000, allowReducing: true),
            orderRate: RateLimit(limit: 500, windowNanos: second),
            messageRate: RateLimit(limit: 1_000, windowNanos: 3 * second, logoutAbove: 1_500),
            duplicateWindowNanos: second, tradingHours: globex, selfTradePrevention: .reject, tradingState: .active,
            cancelOnDisconnect: true)
        let desk1 = LimitSet(
            maxOrderSize: 200, maxOrderValue: 20_000_000, priceCollar: PriceCollar(.percent(3), references: [.last]),
            maxPositionPerMonth: 500, maxPositionPerRoot: 1_500, maxGrossNotional: 300_000_000,
            dailyLoss: DailyLossLimit(limit: 750_000), orderRate: RateLimit(limit: 200, windowNanos: second),
            duplicateWindowNanos: 2 * second, selfTradePrevention: .reject)
        let oms1 = LimitSet(maxOrderSize: 300, maxPositionPerMonth: 2_000,
                            orderRate: RateLimit(limit: 100, windowNanos: second),
                            messageRate: RateLimit(limit: 300, windowNanos: second, logoutAbove: 600),
                            cancelOnDisconnect: true)
        let cl = LimitSet(maxOrderSize: 300, priceCollar: PriceCollar(.ticks(150)), marketProtection: .points(FIXDecimal(mantissa: 50, scale: 2)),
                          maxPositionPerMonth: 1_000, maxPositionPerRoot: 3_000, maxGrossNotional: 250_000_000,
                          dailyLoss: DailyLossLimit(limit: 500_000))
        let clk6 = LimitSet(priceCollar: PriceCollar(.ticks(120), references: [.mid, .last]), maxPositionPerMonth: 600,
                            maxGrossNotional: 100_000_000, dailyLoss: DailyLossLimit(limit: 300_000))
        return RiskLimits(firm: firm, accounts: ["DESK1": desk1, "DESK2": desk1], sessions: ["OMS1": oms1, "OMS2": oms1],
                          roots: ["CL": cl], symbols: ["CLK6": clk6])
    }

    /// Prices, positions, P&L and resting orders (including a same-account sell above every buy,
    /// so self-trade prevention scans and finds no cross).
    public static func prepare(sidecarCalls sidecar: RiskSidecar, engine: inout RiskEngine, now: Int64) {
        let prices = ReferencePrices(last: FIXDecimal(mantissa: 7_528, scale: 2), bid: FIXDecimal(mantissa: 7_527, scale: 2),
                                     ask: FIXDecimal(mantissa: 7_529, scale: 2), settlement: FIXDecimal(mantissa: 7_500, scale: 2))
        let resting = [
            RiskOrder(key: RiskOrderKey("R1"), clOrdID: "R1", account: "DESK1", session: "OMS1", symbol: "CLK6", root: "CL",
                      side: .sell, quantity: 5, price: FIXDecimal(mantissa: 7_640, scale: 2), timeInForce: .goodTillCancel),
            RiskOrder(key: RiskOrderKey("R2"), clOrdID: "R2", account: "DESK1", session: "OMS1", symbol: "CLK6", root: "CL",
                      side: .sell, quantity: 5, price: FIXDecimal(mantissa: 7_645, scale: 2), timeInForce: .day),
            RiskOrder(key: RiskOrderKey("R3"), clOrdID: "R3", account: "DESK1", session: "OMS1", symbol: "CLM6", root: "CL",
                      side: .buy, quantity: 5, price: FIXDecimal(mantissa: 7_400, scale: 2), timeInForce: .day),
        ]
        sidecar.updateReferencePrices(prices, symbol: "CLK6", root: "CL", now: now)
        engine.updateReferencePrices(prices, symbol: "CLK6", root: "CL", now: now)
        for symbol in ["CLM6", "CLN6"] {
            sidecar.updateReferencePrices(prices, symbol: symbol, root: "CL", now: now)
            engine.updateReferencePrices(prices, symbol: symbol, root: "CL", now: now)
        }
        sidecar.setPosition(account: "DESK1", symbol: "CLK6", root: "CL", quantity: 120)
        engine.setPosition(account: "DESK1", symbol: "CLK6", root: "CL", quantity: 120)
        sidecar.setPosition(account: "DESK1", symbol: "CLM6", root: "CL", quantity: -80)
        engine.setPosition(account: "DESK1", symbol: "CLM6", root: "CL", quantity: -80)
        sidecar.updatePnL(account: "DESK1", symbol: "CLK6", root: "CL", realised: FIXDecimal(-12_000), unrealised: FIXDecimal(4_500), now: now)
        engine.updatePnL(account: "DESK1", symbol: "CLK6", root: "CL", realised: FIXDecimal(-12_000), unrealised: FIXDecimal(4_500), now: now)
        for order in resting {
            let decisions = [sidecar.check(order, now: now), engine.check(order, now: now)]
            for decision in decisions where !decision.isAccepted {
                fatalError("benchmark set-up order \(order.key) rejected: \(decision.rejection?.text ?? "")")
            }
        }
    }
}
