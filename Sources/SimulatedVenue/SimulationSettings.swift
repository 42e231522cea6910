import FIXCodec

/// How the simulated market behaves: a price process per root and the market makers that
/// quote around it.
///
/// Everything is a value so a QA scenario can start from ``standard`` and change one knob:
///
/// ```swift
/// var settings = SimulationSettings.standard
/// settings.roots["CL"]?.curveStep = FIXDecimal("0.10")!   // contango
/// settings.stepInterval = 100_000_000                      // a step every 100 ms
/// ```
public struct SimulationSettings: Sendable, Hashable {
    /// The price process and market maker of each root, by root (`CL`). Every root the catalog
    /// lists needs an entry.
    public var roots: [String: RootSimulation]
    /// Nanoseconds of the caller's clock between two price steps (250 ms by default).
    public var stepInterval: Int64
    /// The most steps one catch-up quotes (2,400: ten minutes of 250 ms steps). A longer gap
    /// (the gateway was idle overnight) moves the prices through the earlier steps in one draw
    /// without quoting, as if the market were closed, so catching up costs a bounded amount of
    /// work under the gateway's lock.
    public var maxQuotedStepsPerAdvance: Int
    /// The market maker of every instrument with legs (calendar and inter-commodity spreads,
    /// cracks).
    public var spreadMarketMaker: MarketMakerSettings

    public init(roots: [String: RootSimulation], stepInterval: Int64 = 250_000_000,
                maxQuotedStepsPerAdvance: Int = 2_400, spreadMarketMaker: MarketMakerSettings = .spreads) {
        self.roots = roots
        self.stepInterval = stepInterval
        self.maxQuotedStepsPerAdvance = maxQuotedStepsPerAdvance
        self.spreadMarketMaker = spreadMarketMaker
    }

    /// Late-2026 levels: WTI 70.00 and Brent 74.00 $/bbl, both backwardated (−0.25 and −0.20 a
    /// month); RBOB 2.05 and ULSD 2.35 $/gal (−0.02 and −0.015 a month); annualised volatility
    /// 35 %, 32 %, 40 % and 35 %; a step every 250 ms.
    public static let standard = SimulationSettings(roots: [
        "CL": RootSimulation(frontPrice: FIXDecimal(mantissa: 7000, scale: 2), curveStep: FIXDecimal(mantissa: -25, scale: 2),
                             volatility: .annualised(percent: 35)),
        "BZ": RootSimulation(frontPrice: FIXDecimal(mantissa: 7400, scale: 2), curveStep: FIXDecimal(mantissa: -20, scale: 2),
                             volatility: .annualised(percent: 32)),
        "RB": RootSimulation(frontPrice: FIXDecimal(mantissa: 20500, scale: 4), curveStep: FIXDecimal(mantissa: -200, scale: 4),
                             volatility: .annualised(percent: 40)),
        "HO": RootSimulation(frontPrice: FIXDecimal(mantissa: 23500, scale: 4), curveStep: FIXDecimal(mantissa: -150, scale: 4),
                             volatility: .annualised(percent: 35)),
    ])
}

/// One root's price process: where its curve starts, its shape, and how it moves.
///
/// The front month's fair price follows an arithmetic random walk (a Bachelier process, which,
/// unlike a geometric one, can cross zero as WTI did in April 2020); every later month keeps
/// its offset from the front, so the whole curve moves in parallel. Fair prices are rounded to
/// the tick grid only when quoted.
public struct RootSimulation: Sendable, Hashable {
    /// The front month's fair price at the start, in the root's price unit (70.00 $/bbl).
    public var frontPrice: FIXDecimal
    /// Each month's price minus the month before: negative is backwardation (−0.25 $/bbl a
    /// month for CL), positive contango.
    public var curveStep: FIXDecimal
    public var volatility: Volatility
    /// A deterministic move added at every step, in price units (0 by default): a trend for a
    /// scenario, or with zero volatility a market that moves by exactly this much each step.
    public var drift: FIXDecimal
    /// The market maker of each of this root's outright months.
    public var marketMaker: MarketMakerSettings

    public init(frontPrice: FIXDecimal, curveStep: FIXDecimal, volatility: Volatility, drift: FIXDecimal = .zero,
                marketMaker: MarketMakerSettings = .outrights) {
        self.frontPrice = frontPrice
        self.curveStep = curveStep
        self.volatility = volatility
        self.drift = drift
        self.marketMaker = marketMaker
    }
}

/// How far a root's fair price moves in one step.
public enum Volatility: Sendable, Hashable {
    /// The standard deviation of one step's move, in price units (0.01 $/bbl).
    case perStep(FIXDecimal)
    /// Annualised volatility in percent of the starting front-month price, over a year of 252
    /// trading days of 23 hours (CME Globex hours), turned into a per-step standard deviation
    /// once, at start: σ_step = price × percent / 100 × √(step / year).
    case annualised(percent: FIXDecimal)
}

/// The background liquidity on one instrument: a ladder of orders on each side of the fair
/// price, requoted at each price step where the fair price moved or a client traded with it.
public struct MarketMakerSettings: Sendable, Hashable {
    /// Price levels quoted on each side; 0 quotes nothing.
    public var levels: Int
    /// Contracts at each level.
    public var quantity: Int64
    /// Ticks from the fair price to the best bid and to the best offer (at least 1, so the
    /// market maker's bid and offer never meet).
    public var halfSpreadTicks: Int64
    /// Ticks between two levels of a side.
    public var levelSpacingTicks: Int64
    /// Contracts the market maker trades when the fair price moves (buying the best offer on an
    /// up-move, selling the best bid on a down-move), so the book has trades, its last trade
    /// price follows the market, and stop orders trigger. 0 turns these prints off.
    public var printQuantity: Int64

    public init(levels: Int, quantity: Int64, halfSpreadTicks: Int64 = 1, levelSpacingTicks: Int64 = 1,
                printQuantity: Int64 = 1) {
        self.levels = levels
        self.quantity = quantity
        self.halfSpreadTicks = halfSpreadTicks
        self.levelSpacingTicks = levelSpacingTicks
        self.printQuantity = printQuantity
    }

    /// Five levels of 20 contracts a side, two ticks wide at the top.
    public static let outrights = MarketMakerSettings(levels: 5, quantity: 20)
    /// Three levels of 10 a side, two ticks wide at the top.
    public static let spreads = MarketMakerSettings(levels: 3, quantity: 10)
}

/// A setting or scenario request the venue cannot use, naming the key and the value at fault.
public struct SimulatedVenueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the value was: `roots.CL.marketMaker.halfSpreadTicks`, `stepInterval`, `shock.root`.
    public var key: String
    public var value: String
    public var message: String

    public init(key: String, value: String, message: String) {
        self.key = key
        self.value = value
        self.message = message
    }

    public var description: String { "\(key) = \(value): \(message)" }
}

extension SimulationSettings {
    /// Checks the values that do not depend on the catalog.
    func validate() throws(SimulatedVenueError) {
        guard stepInterval > 0 else {
            throw SimulatedVenueError(key: "stepInterval", value: "\(stepInterval)", message: "must be a positive number of nanoseconds")
        }
        guard maxQuotedStepsPerAdvance >= 1 else {
            throw SimulatedVenueError(key: "maxQuotedStepsPerAdvance", value: "\(maxQuotedStepsPerAdvance)", message: "must be at least 1")
        }
        try spreadMarketMaker.validate(key: "spreadMarketMaker")
        for root in roots.keys.sorted() {
            guard let simulation = roots[root] else { continue }
            let key = "roots.\(root)"
            switch simulation.volatility {
            case .perStep(let sigma) where sigma.isNegative:
                throw SimulatedVenueError(key: "\(key).volatility", value: "\(sigma)", message: "must not be negative")
            case .annualised(let percent) where percent.isNegative:
                throw SimulatedVenueError(key: "\(key).volatility", value: "\(percent)%", message: "must not be negative")
            default: break
            }
            try simulation.marketMaker.validate(key: "\(key).marketMaker")
        }
    }
}

extension MarketMakerSettings {
    func validate(key: String) throws(SimulatedVenueError) {
        guard levels >= 0 else {
            throw SimulatedVenueError(key: "\(key).levels", value: "\(levels)", message: "must not be negative")
        }
        guard quantity > 0 else {
            throw SimulatedVenueError(key: "\(key).quantity", value: "\(quantity)", message: "must be positive")
        }
        guard halfSpreadTicks >= 1 else {
            throw SimulatedVenueError(key: "\(key).halfSpreadTicks", value: "\(halfSpreadTicks)",
                                      message: "must be at least 1 so the bid and offer never cross")
        }
        guard levelSpacingTicks >= 1 else {
            throw SimulatedVenueError(key: "\(key).levelSpacingTicks", value: "\(levelSpacingTicks)", message: "must be at least 1")
        }
        guard printQuantity >= 0 else {
            throw SimulatedVenueError(key: "\(key).printQuantity", value: "\(printQuantity)", message: "must not be negative")
        }
    }
}
