import Instruments

/// Which way a root's composite points.
public enum SignalDirection: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case long = "LONG"
    case short = "SHORT"
    case neutral = "NEUTRAL"

    /// +1, −1 or 0.
    public var sign: Double {
        switch self {
        case .long: 1
        case .short: -1
        case .neutral: 0
        }
    }

    public var description: String { rawValue }

    init(_ band: HysteresisBand) {
        switch band {
        case .inside: self = .neutral
        case .above: self = .long
        case .below: self = .short
        }
    }

    var band: HysteresisBand {
        switch self {
        case .neutral: .inside
        case .long: .above
        case .short: .below
        }
    }
}

/// A composite's thresholds on its score, with hysteresis: a direction is taken at
/// |score| ≥ `entry` (with a confidence of at least `minimumConfidence`) and left once the
/// score falls back to `exit` or less (for a SHORT, rises to −`exit` or more).
public struct CompositeThresholds: Sendable, Hashable {
    public var entry: Double
    public var exit: Double
    public var minimumConfidence: Double

    public init(entry: Double = 0.3, exit: Double = 0.1, minimumConfidence: Double = 0) {
        self.entry = entry
        self.exit = exit
        self.minimumConfidence = minimumConfidence
    }
}

/// A composite's direction changed: what the desk is shown and the journal keeps.
public struct DirectionChange: Sendable, Hashable {
    /// Nanoseconds since the epoch: the end of the bar that changed it.
    public var time: Int64
    public var root: String
    public var previous: SignalDirection
    public var direction: SignalDirection
    public var score: Double
    public var confidence: Double
    /// The front month's close at that bar, and which month it was (when the caller said).
    public var frontPrice: Double
    public var frontMonth: ContractMonth?
    /// How long after `time` the signal's outcome is measured, in nanoseconds.
    public var horizon: Int64

    public init(time: Int64, root: String, previous: SignalDirection, direction: SignalDirection, score: Double, confidence: Double,
                frontPrice: Double, frontMonth: ContractMonth?, horizon: Int64) {
        self.time = time
        self.root = root
        self.previous = previous
        self.direction = direction
        self.score = score
        self.confidence = confidence
        self.frontPrice = frontPrice
        self.frontMonth = frontMonth
        self.horizon = horizon
    }
}

/// The weighted combination of a root's contributors, with its direction.
///
/// - **Score**, in [−1, 1]: `Σ wᵢ vᵢ / Σ wᵢ` over the contributors that have a value (`vᵢ` in
///   [−1, 1], weights ≥ 0), so a contributor still warming up neither pulls the score to 0 nor
///   counts; `nil` while none has a value.
/// - **Confidence**, in [0, 1]: agreement × coverage. Agreement `|Σ wᵢ vᵢ| / Σ wᵢ |vᵢ|` is 1
///   when every contributor with a value points the same way and 0 when they cancel out;
///   coverage `Σ wᵢ (with a value) / Σ wᵢ (all)` discounts a score read from few of them.
/// - **Direction**: NEUTRAL → LONG at score ≥ entry, → SHORT at score ≤ −entry (either only
///   with confidence ≥ `minimumConfidence`); LONG → NEUTRAL at score ≤ exit, SHORT → NEUTRAL
///   at score ≥ −exit; LONG ↔ SHORT directly when the score crosses the other entry. While
///   the score is `nil` the direction stays as it was.
public struct CompositeSignal: Sendable {
    public let root: String
    public let thresholds: CompositeThresholds
    /// In `SignalContributor.allCases` order.
    private let weights: ContributorValues
    /// NaN for a contributor with no value (`set` never stores a NaN it is given).
    private var values = ContributorValues(repeating: .nan)
    private let totalWeight: Double
    public private(set) var score: Double?
    public private(set) var confidence: Double = 0
    public private(set) var direction: SignalDirection = .neutral

    public init(root: String, weights: [SignalContributor: Double], thresholds: CompositeThresholds = CompositeThresholds()) {
        self.root = root
        self.thresholds = thresholds
        var ordered = ContributorValues(repeating: 0)
        var totalWeight = 0.0
        for contributor in SignalContributor.allCases {
            let weight = max(0, weights[contributor] ?? 0)
            ordered[contributor.index] = weight
            totalWeight += weight
        }
        self.weights = ordered
        self.totalWeight = totalWeight
    }

    public func weight(of contributor: SignalContributor) -> Double { weights[contributor.index] }

    public func value(of contributor: SignalContributor) -> Double? {
        let value = values[contributor.index]
        return value.isNaN ? nil : value
    }

    /// Each contributor with a weight above zero, with its weight and current value.
    public var contributors: [ContributorReading] {
        SignalContributor.allCases.compactMap { contributor in
            let weight = weights[contributor.index]
            return weight > 0 ? ContributorReading(contributor: contributor, weight: weight, value: value(of: contributor)) : nil
        }
    }

    /// Sets a contributor's normalised value (clipped to [−1, 1]; `nil` for none). Call
    /// `evaluate` after the bar's values are all set.
    @inline(__always)
    public mutating func set(_ contributor: SignalContributor, _ value: Double?) {
        guard let value else {
            values[contributor.index] = .nan
            return
        }
        values[contributor.index] = value.isNaN ? 0 : Normalise.clip(value)
    }

    /// The score, confidence and direction from the values set; the new direction, if it changed.
    public mutating func evaluate() -> SignalDirection? {
        var weighted = 0.0
        var absolute = 0.0
        var present = 0.0
        values.withBuffer { values in
            weights.withBuffer { weights in
                // Without branches: a contributor with no value (NaN) adds nothing, and one
                // weighing 0 adds zeros (its value, clipped, is finite).
                for index in 0..<SignalContributor.count {
                    let value = values[index]
                    let weight = value.isNaN ? 0 : weights[index]
                    let counted = value.isNaN ? 0 : value
                    weighted += weight * counted
                    absolute += weight * abs(counted)
                    present += weight
                }
            }
        }
        guard present > 0 else {
            score = nil
            confidence = 0
            return nil
        }
        let score = weighted / present
        self.score = score
        confidence = absolute > 0 ? abs(weighted) / absolute * (present / totalWeight) : 0
        let next = Self.next(after: direction, score: score, confidence: confidence, thresholds: thresholds)
        guard next != direction else { return nil }
        direction = next
        return next
    }

    /// Carries on from `direction`, the one the desk was last shown before a restart: the
    /// next score is read against it with hysteresis, as if the process had not stopped, so a
    /// restart neither drops a LONG to NEUTRAL unseen nor takes it again as a new signal.
    public mutating func resume(direction: SignalDirection) {
        self.direction = direction
    }

    static func next(after direction: SignalDirection, score: Double, confidence: Double, thresholds: CompositeThresholds)
        -> SignalDirection {
        SignalDirection(HysteresisBand.next(after: direction.band, score, entry: thresholds.entry, exit: thresholds.exit,
                                            mayEnter: confidence >= thresholds.minimumConfidence))
    }
}

/// One `Double` per contributor, in `SignalContributor.allCases` order, held in line: no array,
/// so no allocation and no uniqueness check on the bar's path, and `evaluate` reads all twelve
/// in one loop without an optional's tag. The indices come from `SignalContributor.index`.
struct ContributorValues: Sendable {
    private var storage: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double)

    init(repeating value: Double) {
        storage = (value, value, value, value, value, value, value, value, value, value, value, value)
    }

    @inline(__always)
    subscript(index: Int) -> Double {
        get { withBuffer { $0[index] } }
        set {
            precondition(index >= 0 && index < SignalContributor.count, "a contributor index is in 0..<12")
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: index * MemoryLayout<Double>.stride, as: Double.self) }
        }
    }

    /// The twelve as a buffer (a homogeneous tuple's elements are laid out as an array's).
    @inline(__always)
    func withBuffer<Result>(_ body: (UnsafeBufferPointer<Double>) -> Result) -> Result {
        withUnsafeBytes(of: storage) { body($0.bindMemory(to: Double.self)) }
    }
}
