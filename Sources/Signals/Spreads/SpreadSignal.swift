import FIXCodec
import Instruments

/// The spreads whose z-scores give mean-reversion signals, all in $/bbl.
public enum SpreadKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `(2 × RB × 42 + HO × 42 − 3 × CL) / 3` (`CrackDefinition.threeTwoOne`).
    case crack321
    /// `(RB × 42 + HO × 42 − 2 × CL) / 2` (`CrackDefinition.twoOneOne`).
    case crack211
    /// BZ − CL, front against front.
    case brentWTI

    public var description: String {
        switch self {
        case .crack321: "3-2-1 crack"
        case .crack211: "2-1-1 crack"
        case .brentWTI: "Brent-WTI"
        }
    }

    /// The Instruments catalog's crack, for the two cracks.
    public var crack: CrackDefinition? {
        switch self {
        case .crack321: .threeTwoOne
        case .crack211: .twoOneOne
        case .brentWTI: nil
        }
    }

    /// Brent−WTI as the catalog lists it: BZ long, CL short.
    public static let brentWTIRule = InterCommoditySpreadRule(long: "BZ", short: "CL")

    /// The spread's formula over its legs, the Instruments catalog's own: crude then products
    /// for a crack (the products' $/gal × 42 inside it), BZ then CL for Brent−WTI.
    public var formula: SpreadFormula {
        crack?.formula ?? SpreadFormula(coefficients: [1, -1])
    }

    /// The legs' roots in `formula`'s order.
    public var legRoots: [String] {
        if let crack { return [crack.crude.root] + crack.products.map(\.root) }
        return [Self.brentWTIRule.long, Self.brentWTIRule.short]
    }

    /// How the spread moves with `root`'s price: +1 when the spread rises with it (a crack's
    /// products, Brent in Brent−WTI), −1 when it falls with it (crude in a crack, WTI in
    /// Brent−WTI), 0 when the root is not a leg.
    public func exposure(of root: String) -> Double {
        if let crack {
            if crack.crude.root == root { return -1 }
            return crack.products.contains { $0.root == root } ? 1 : 0
        }
        if root == Self.brentWTIRule.long { return 1 }
        return root == Self.brentWTIRule.short ? -1 : 0
    }

    /// The spread's value in $/bbl from leg prices in `legRoots` order (each in its own unit:
    /// $/bbl for crude, $/gal for products), exact at four decimals as the catalog prices it.
    public func value(legPrices: [FIXDecimal]) -> FIXDecimal? {
        formula.value(legPrices, scale: 4)
    }
}

/// Where a spread's mean-reversion signal stands.
public enum MeanReversionState: String, Sendable, Hashable, CaseIterable {
    case flat = "FLAT"
    /// The spread is rich (z ≥ entry): sell it, expecting it to fall back.
    case shortSpread = "SHORT_SPREAD"
    /// The spread is cheap (z ≤ −entry): buy it, expecting it to rise back.
    case longSpread = "LONG_SPREAD"

    /// A rich spread (z above the entry) is sold, a cheap one bought.
    init(_ band: HysteresisBand) {
        switch band {
        case .inside: self = .flat
        case .above: self = .shortSpread
        case .below: self = .longSpread
        }
    }

    var band: HysteresisBand {
        switch self {
        case .flat: .inside
        case .shortSpread: .above
        case .longSpread: .below
        }
    }
}

/// A spread signal's window and thresholds: defaults 60 observations, enter at |z| ≥ 2, exit
/// at |z| ≤ 0.5.
public struct SpreadParameters: Sendable, Hashable {
    public var window: Int
    public var entry: Double
    public var exit: Double

    public init(window: Int = 60, entry: Double = 2, exit: Double = 0.5) {
        self.window = window
        self.entry = entry
        self.exit = exit
    }
}

/// A spread's mean-reversion state changed.
public struct SpreadStateChange: Sendable, Hashable {
    public var time: Int64
    public var spread: SpreadKind
    public var previous: MeanReversionState
    public var state: MeanReversionState
    public var zScore: Double
    /// The spread in $/bbl.
    public var value: Double

    public init(time: Int64, spread: SpreadKind, previous: MeanReversionState, state: MeanReversionState, zScore: Double, value: Double) {
        self.time = time
        self.spread = spread
        self.previous = previous
        self.state = state
        self.zScore = zScore
        self.value = value
    }
}

/// A spread's z-score over its last `window` observations (`ZScore`) and the mean-reversion
/// state it gives, with hysteresis:
///
/// - flat → short-spread at z ≥ entry, flat → long-spread at z ≤ −entry;
/// - short-spread → flat once z ≤ exit (the spread has come back to within `exit` of its mean,
///   or overshot below it), long-spread → flat once z ≥ −exit;
/// - short-spread → long-spread directly at z ≤ −entry (and the reverse at z ≥ entry).
///
/// Between `exit` and `entry` the state holds whatever it was. Nothing changes until the window
/// is full. One observation an `update`, the caller choosing the cadence (the engine: one a bar).
public struct SpreadSignal: Sendable {
    public let spread: SpreadKind
    public let parameters: SpreadParameters
    public private(set) var state: MeanReversionState = .flat
    public private(set) var zScore: Double?
    /// The latest value, $/bbl.
    public private(set) var value: Double?
    private var history: ZScore

    public init(_ spread: SpreadKind, parameters: SpreadParameters = SpreadParameters()) {
        precondition(parameters.entry > parameters.exit && parameters.exit >= 0, "a spread's entry must be above its exit, exit ≥ 0")
        self.spread = spread
        self.parameters = parameters
        history = ZScore(period: parameters.window)
    }

    /// Records one observation of the spread ($/bbl); returns the state's change, if any.
    @discardableResult
    public mutating func update(_ value: Double, time: Int64) -> SpreadStateChange? {
        self.value = value
        guard let z = history.update(value) else { return nil }
        zScore = z
        let next = Self.next(after: state, z: z, entry: parameters.entry, exit: parameters.exit)
        guard next != state else { return nil }
        defer { state = next }
        return SpreadStateChange(time: time, spread: spread, previous: state, state: next, zScore: z, value: value)
    }

    /// Records an exact price (a `DerivedPrice`'s) as one observation.
    @discardableResult
    public mutating func update(price: FIXDecimal, time: Int64) -> SpreadStateChange? {
        update(price.signalValue, time: time)
    }

    static func next(after state: MeanReversionState, z: Double, entry: Double, exit: Double) -> MeanReversionState {
        MeanReversionState(HysteresisBand.next(after: state.band, z, entry: entry, exit: exit))
    }
}
