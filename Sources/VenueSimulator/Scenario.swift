import FIXCodec

/// A market scenario QA writes, keeps and runs against the venue simulator: timed steps from
/// the moment the run starts. A run is deterministic for its seed: random rejects draw from a
/// generator seeded with it, and the steps fire at their offsets.
public struct Scenario: Sendable, Hashable {
    public var name: String
    public var seed: UInt64
    /// In time order.
    public var steps: [ScenarioStep]

    public init(name: String, seed: UInt64, steps: [ScenarioStep]) {
        self.name = name
        self.seed = seed
        self.steps = steps.sorted { $0.at < $1.at }
    }
}

/// One action at an offset from the start of the run.
public struct ScenarioStep: Sendable, Hashable {
    /// Nanoseconds after the run starts.
    public var at: Int64
    public var action: ScenarioAction

    public init(at: Int64, action: ScenarioAction) {
        self.at = at
        self.action = action
    }
}

/// What a scenario step does to the running venue.
public enum ScenarioAction: Sendable, Hashable {
    /// Halts trading (cancels only) and tells every session.
    case halt(reason: String)
    case resume
    /// Moves every month of `root` (or the curve positions `months`, 1 the front) by
    /// `percent` of its price at once.
    case shock(root: String, percent: FIXDecimal, months: ClosedRange<Int>?)
    /// Sets one month of `root` (1 the front) to `price`: a replay walks a month along a path.
    case price(root: String, month: Int, price: FIXDecimal)
    /// Every order request is handled this many milliseconds after it arrives (0 ends it).
    case latency(milliseconds: Int)
    /// This percentage of new orders and replaces is rejected at random (0 ends it).
    case rejectRate(percent: FIXDecimal)
    /// Drops a participant's connection without a Logout.
    case drop(session: String)
    /// Arms a dynamic circuit breaker on `root`'s lead month: a move of more than `percent`
    /// from its price `window` earlier halts that month for `halt`.
    case circuitBreaker(root: String, percent: FIXDecimal, windowNanos: Int64, haltNanos: Int64)
}
