import Instruments
import MarketData

/// The windows the term-structure signals use, in observations (one per bar of the engine's
/// interval: with daily bars, days).
public struct TermStructureParameters: Sendable, Hashable {
    /// The history the slope and curvature are z-scored against.
    public var history: Int
    /// The window of the calendar spread's (M1−M2) momentum.
    public var spreadMomentum: Int
    /// The window of the first and second nearbies' momentum, and so of basis-momentum.
    public var basisMomentum: Int
    /// The annualised roll yield that maps to 0.71 in the composite (`squash(carry / carryScale)`).
    public var carryScale: Double

    public init(history: Int = 60, spreadMomentum: Int = 10, basisMomentum: Int = 20, carryScale: Double = 0.2) {
        self.history = history
        self.spreadMomentum = spreadMomentum
        self.basisMomentum = basisMomentum
        self.carryScale = carryScale
    }
}

/// Which of the term structure's z-scores a `TermStructureSignals` keeps (each costs a window
/// of `history` observations and its variance a bar); carry, momentum and shape are always kept.
public struct TermStructureZScores: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let slope = TermStructureZScores(rawValue: 1)
    public static let curvature = TermStructureZScores(rawValue: 2)
    public static let all: TermStructureZScores = [.slope, .curvature]
}

/// The curve's shape changed between two observations (contango to backwardation, say).
public struct CurveShapeChange: Sendable, Hashable {
    /// Nanoseconds since the epoch, as given with the observation.
    public var time: Int64
    public var root: String
    /// `nil` for the first observation with a shape.
    public var previous: CurveShape?
    public var shape: CurveShape
    /// M1 at the change, and M1 − M2 in the root's price unit.
    public var front: ContractMonth
    public var frontSpread: Double
    /// The change came with a roll (M1 expired and M2 became M1 since the last observation).
    public var atRoll: Bool

    public init(time: Int64, root: String, previous: CurveShape?, shape: CurveShape, front: ContractMonth, frontSpread: Double,
                atRoll: Bool) {
        self.time = time
        self.root = root
        self.previous = previous
        self.shape = shape
        self.front = front
        self.frontSpread = frontSpread
        self.atRoll = atRoll
    }
}

/// Term-structure signals of one root, from its live curve, one observation at a time.
///
/// - **Carry** (`carry`): the roll yield of a long front position, `(F1 − F2) / F2 × 365 / d`,
///   `d` the actual days from M1's last trade date to M2's (a 365-day year; `FuturesCurve.rollYield`
///   computes it). Positive in backwardation. A level, read from the latest curve.
/// - **Slope and curvature z-scores** (`slopeZ`, `curvatureZ`): `FuturesCurve.slope` ($ per
///   month, positive in contango) and `curvature` z-scored against their last `history`
///   observations (`ZScore`, population σ; a flat history gives 0).
/// - **Calendar spread momentum** (`spreadMomentum`): the change of M1 − M2 over the last
///   `spreadMomentum` observations, in the root's price unit. A change, not a percentage:
///   M1 − M2 crosses zero, so `RateOfChange`'s ratio would blow up there. `spreadMomentumT`
///   is the same sum over its noise, `Σ Δ / (rms · √n)`, `rms` the root of an exponentially
///   weighted mean of the squared changes (span `history`, `MoveNoise`): how many typical moves
///   the window's sum is — the statistic the composite reads. Infinite for a non-zero sum after
///   changes that were all zero.
/// - **Basis-momentum** (`basisMomentum`): momentum of the first nearby minus momentum of the
///   second over the last `basisMomentum` observations, each momentum the sum of the nearby's
///   returns `(P_t − P_{t−1}) / |P_{t−1}|` (simple returns: prices can be negative, so no logs).
///   `basisMomentumT` is it over the noise of the nearbies' return differences, as for the spread.
/// - **Shape** (`shape`): contango, backwardation or flat from the sign of M1 − M2; a change
///   is returned by `update` as a `CurveShapeChange`.
///
/// **The roll.** Each return and each spread change is measured on the same contracts at both
/// ends: an observation's first nearby is priced at the previous observation from whichever of
/// that observation's three months it is. So when M1 expires and M2 becomes M1, the new M1's
/// return is its own change since it was M2, and the spread's change is (new M1 − new M2) now
/// against the same two contracts then (then M2 − M3): the expiry's jump from one contract to
/// the next never shows as momentum. When a contract was not on the previous curve (no M3 then,
/// or more than one month rolled between two observations) the observation adds nothing to the
/// momentum windows. Carry, slope and curvature are levels of the curve as it stands and simply
/// read the new front pair. `rolls` counts the rolls seen, and a shape change at a roll says so.
public struct TermStructureSignals: Sendable {
    public let root: String
    public let parameters: TermStructureParameters
    /// The z-scores kept; one not kept stays `nil`.
    public let zScores: TermStructureZScores
    public private(set) var carry: Double?
    public private(set) var slopeZ: Double?
    public private(set) var curvatureZ: Double?
    public private(set) var spreadMomentum: Double?
    public private(set) var spreadMomentumT: Double?
    public private(set) var frontMomentum: Double?
    public private(set) var secondMomentum: Double?
    public private(set) var basisMomentum: Double?
    public private(set) var basisMomentumT: Double?
    public private(set) var shape: CurveShape?
    /// The latest observation.
    public var latest: CurveObservation? { observed ? observation : nil }
    /// The latest observation once `observed`: held unwrapped, so that a bar reads its fields in
    /// place (an optional one is copied out whole, by memcpy, to be read).
    private var observation = CurveObservation.placeholder
    private var observed = false
    /// How many times M1 has changed to a later month.
    public private(set) var rolls = 0

    private var slopeHistory: ZScore
    private var curvatureHistory: ZScore
    private var spreadChanges: WindowSum
    private var spreadNoise: MoveNoise
    private var frontReturns: WindowSum
    private var secondReturns: WindowSum
    private var basisNoise: MoveNoise

    public init(root: String, parameters: TermStructureParameters = TermStructureParameters(), zScores: TermStructureZScores = .all) {
        precondition(parameters.history >= 2 && parameters.spreadMomentum >= 2 && parameters.basisMomentum >= 2,
                     "term-structure windows need at least two observations")
        self.root = root
        self.parameters = parameters
        self.zScores = zScores
        slopeHistory = ZScore(period: parameters.history)
        curvatureHistory = ZScore(period: parameters.history)
        spreadChanges = WindowSum(capacity: parameters.spreadMomentum)
        spreadNoise = MoveNoise(span: parameters.history)
        frontReturns = WindowSum(capacity: parameters.basisMomentum)
        secondReturns = WindowSum(capacity: parameters.basisMomentum)
        basisNoise = MoveNoise(span: parameters.history)
    }

    /// Records the live curve as one observation; `nil` (and nothing recorded) with fewer than
    /// two priced months.
    @discardableResult
    public mutating func update(curve: FuturesCurve, time: Int64) -> CurveShapeChange? {
        guard let observation = CurveObservation(curve: curve) else { return nil }
        return update(observation, time: time)
    }

    /// Records one observation of the curve; returns the shape's change, if it changed.
    @discardableResult
    public mutating func update(_ observation: CurveObservation, time: Int64) -> CurveShapeChange? {
        // What is read of the previous observation is read in place before it is replaced (an
        // observation is ~120 bytes, and a copy of it a call to memcpy).
        var rolled = false
        if observed {
            rolled = observation.front > self.observation.front
            recordMoves(frontThen: self.observation.price(of: observation.front), secondThen: self.observation.price(of: observation.second),
                        now: observation)
        }
        if rolled { rolls += 1 }
        self.observation = observation
        observed = true
        carry = observation.rollYield
        if zScores.contains(.slope), let slope = observation.slope { slopeZ = slopeHistory.update(slope) }
        if zScores.contains(.curvature), let curvature = observation.curvature { curvatureZ = curvatureHistory.update(curvature) }

        let oldShape = shape
        shape = observation.shape
        guard let newShape = observation.shape, newShape != oldShape else { return nil }
        return CurveShapeChange(time: time, root: root, previous: oldShape, shape: newShape, front: observation.front,
                                frontSpread: observation.frontSpread, atRoll: rolled)
    }

    /// The latest observation's price of `month`, if it has one.
    func latestPrice(of month: ContractMonth) -> Double? { observed ? observation.price(of: month) : nil }

    /// The spread change and the two nearbies' returns, each on the same contracts at both ends:
    /// `frontThen` and `secondThen` the previous observation's prices of `now`'s two months.
    @inline(__always)
    private mutating func recordMoves(frontThen: Double?, secondThen: Double?, now: CurveObservation) {
        guard let frontThen, let secondThen else { return }
        let spreadChange = now.frontSpread - (frontThen - secondThen)
        spreadChanges.push(spreadChange)
        spreadNoise.push(spreadChange)
        spreadMomentum = spreadChanges.sum
        spreadMomentumT = spreadMomentum.map { spreadNoise.t(of: $0, over: parameters.spreadMomentum) }

        guard frontThen != 0, secondThen != 0 else { return }
        let frontReturn = (now.frontPrice - frontThen) / abs(frontThen)
        let secondReturn = (now.secondPrice - secondThen) / abs(secondThen)
        frontReturns.push(frontReturn)
        secondReturns.push(secondReturn)
        basisNoise.push(frontReturn - secondReturn)
        frontMomentum = frontReturns.sum
        secondMomentum = secondReturns.sum
        if let front = frontMomentum, let second = secondMomentum {
            basisMomentum = front - second
            basisMomentumT = basisNoise.t(of: front - second, over: parameters.basisMomentum)
        }
    }
}

/// The typical size of a series' moves: the exponentially weighted mean of their squares,
/// `m_t = m_{t−1} + α (x_t² − m_{t−1})`, `α = 2 / (span + 1)`, started at the first square.
/// A recursion: O(1), no window, and it forgets its rounding, so it cannot drift.
struct MoveNoise: Sendable {
    let alpha: Double
    private var meanSquare: Double?

    init(span: Int) { alpha = 2 / Double(span + 1) }

    mutating func push(_ x: Double) {
        let square = x * x
        if let previous = meanSquare { meanSquare = previous + alpha * (square - previous) } else { meanSquare = square }
    }

    /// `sum / (rms · √n)`: how many typical moves `sum` is, as a sum of `n` random ones would
    /// spread; ±∞ for a non-zero sum with no moves to compare it with.
    func t(of sum: Double, over n: Int) -> Double {
        let scale = ((meanSquare ?? 0) * Double(n)).squareRoot()
        if scale == 0 { return sum == 0 ? 0 : (sum > 0 ? .infinity : -.infinity) }
        return sum / scale
    }
}

/// The sum of the last `capacity` values, O(1) without drift: a compensated running sum
/// (`CompensatedSum`) to which each value is added and from which, leaving the window, the
/// very same value is subtracted (as `WindowMoments` keeps its sums, without the squares).
struct WindowSum: Sendable {
    private var window: Ring
    private var total = CompensatedSum()

    init(capacity: Int) { window = Ring(capacity: capacity) }

    @inline(__always)
    mutating func push(_ value: Double) {
        if let leaving = window.append(value) {
            total.add(-leaving)
            if window.isAtStart { total.renormalise() }
        }
        total.add(value)
    }

    /// The window's sum once it is full.
    var sum: Double? { window.isFull ? total.value : nil }
}
