import FIXCodec
import SimulatedVenue

/// A dynamic circuit breaker on one root's lead month, as CME runs them: a move of more than
/// `percent` from the month's price `window` earlier halts it for `halt`; after the halt the
/// window starts again from the price trading resumes at.
public struct CircuitBreaker: Sendable, Hashable {
    public let root: String
    public let percent: FIXDecimal
    public let windowNanos: Int64
    public let haltNanos: Int64
    /// Prices seen inside the window, oldest first.
    private var samples: [(time: Int64, price: FIXDecimal)] = []

    public init(root: String, percent: FIXDecimal, windowNanos: Int64, haltNanos: Int64) {
        self.root = root
        self.percent = percent
        self.windowNanos = windowNanos
        self.haltNanos = haltNanos
    }

    /// Records `price` at `time`; returns the reference price it broke through, if it did.
    public mutating func observe(_ price: FIXDecimal, at time: Int64) -> FIXDecimal? {
        samples.removeAll { time - $0.time > windowNanos }
        samples.append((time, price))
        guard let reference = samples.first?.price, !reference.isZero else { return nil }
        // |price − reference| × 100 > percent × |reference|, in exact decimals.
        let move = Self.absolute(price - reference) * FIXDecimal(100)
        guard move > percent * Self.absolute(reference) else { return nil }
        samples.removeAll()
        return reference
    }

    private static func absolute(_ value: FIXDecimal) -> FIXDecimal { value.isNegative ? .zero - value : value }

    /// Forgets the window: trading resumes from a new reference.
    public mutating func reset() { samples.removeAll() }

    public static func == (lhs: CircuitBreaker, rhs: CircuitBreaker) -> Bool {
        lhs.root == rhs.root && lhs.percent == rhs.percent && lhs.windowNanos == rhs.windowNanos && lhs.haltNanos == rhs.haltNanos
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(root)
        hasher.combine(percent)
    }
}

/// What a scenario has set on the running venue, and its clock: the steps still to run, the
/// added latency, the random reject rate (drawn from the scenario's seed), the armed circuit
/// breakers and the instruments they halted.
struct VenueConditions: Sendable {
    var scenario: Scenario?
    var started: Int64 = 0
    var nextStep = 0
    var latencyMilliseconds = 0
    var rejectPercent = FIXDecimal.zero
    var random = SplitMix64(seed: 0)
    var breakers: [CircuitBreaker] = []
    /// Halted symbols and when their halt ends.
    var halted: [String: Int64] = [:]

    /// Starts `scenario` at `now`, replacing any run in progress (and what it had set).
    mutating func start(_ scenario: Scenario, now: Int64) {
        self = VenueConditions()
        self.scenario = scenario
        started = now
        random = SplitMix64(seed: scenario.seed)
    }

    /// The steps due at `now`, in order, each once.
    mutating func dueSteps(now: Int64) -> [ScenarioAction] {
        guard let scenario else { return [] }
        var due: [ScenarioAction] = []
        while nextStep < scenario.steps.count, scenario.steps[nextStep].at <= now - started {
            due.append(scenario.steps[nextStep].action)
            nextStep += 1
        }
        return due
    }

    var isRunning: Bool { scenario.map { nextStep < $0.steps.count } ?? false }

    /// Whether to reject the next order at random: a draw in basis points against the rate.
    mutating func drawReject() -> Bool {
        guard rejectPercent > .zero else { return false }
        let draw = FIXDecimal(mantissa: Int64(random.next() % 10_000), scale: 2)
        return draw < rejectPercent
    }
}
