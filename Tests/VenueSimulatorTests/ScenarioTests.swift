import FIXCodec
import Foundation
import Testing
import TestSupport
@testable import VenueSimulator

/// Scenario files, the circuit breaker and the conditions a run leaves, without a venue.
@Suite struct ScenarioTests {
    @Test(arguments: ["april-2020", "circuit-breaker", "halt-and-resume", "bad-network"])
    func shippedScenariosLoad(_ name: String) throws {
        let scenario = try ScenarioLoader.load(path: TestDictionaries.path("sessions/scenarios/\(name).yaml"))
        #expect(scenario.name == name)
        #expect(!scenario.steps.isEmpty)
        #expect(scenario.steps.map(\.at) == scenario.steps.map(\.at).sorted())
    }

    @Test func theApril2020ReplayWalksTheFrontMonthBelowZero() throws {
        let scenario = try ScenarioLoader.load(path: TestDictionaries.path("sessions/scenarios/april-2020.yaml"))
        let front = scenario.steps.compactMap { step -> FIXDecimal? in
            if case .price("CL", 1, let price) = step.action { return price }
            return nil
        }
        #expect(front.first == FIXDecimal("18.27") && front.last == FIXDecimal("-37.63"))
        #expect(front.min() == FIXDecimal("-40.32"), "the intraday low")
        #expect(scenario.steps.contains { $0.action == .price(root: "CL", month: 2, price: FIXDecimal("20.44")!) })
        #expect(scenario.steps.last?.at == 20_000_000_000)
    }

    @Test func everyActionReads() throws {
        let scenario = try ScenarioLoader.parse(yaml: """
            name: all
            seed: 9
            steps:
              - {at: 90s, resume: {}}
              - {at: 0s, halt: {reason: why}}
              - {at: 1s, shock: {root: CL, percent: -12.5, months: 1-3}}
              - {at: 2s, price: {root: BZ, month: 2, to: -1.25}}
              - {at: 500ms, latency: {milliseconds: 250}}
              - {at: 3s, rejectRate: {percent: 12.5}}
              - {at: 4m, drop: {session: QA1}}
              - {at: 0s, circuitBreaker: {root: CL, percent: 15, window: 60m, halt: 2m}}
            """)
        #expect(scenario.seed == 9)
        #expect(scenario.steps.map(\.action) == [
            .halt(reason: "why"),
            .circuitBreaker(root: "CL", percent: 15, windowNanos: 3_600_000_000_000, haltNanos: 120_000_000_000),
            .latency(milliseconds: 250),
            .shock(root: "CL", percent: FIXDecimal("-12.5")!, months: 1...3),
            .price(root: "BZ", month: 2, price: FIXDecimal("-1.25")!),
            .rejectRate(percent: FIXDecimal("12.5")!),
            .resume,
            .drop(session: "QA1"),
        ], "in time order")
    }

    @Test(arguments: [
        ("name: x\nsteps:\n  - {at: 1s}\n", "steps[0]: missing an action"),
        ("name: x\nsteps:\n  - {shock: {root: CL, percent: 5}}\n", "steps[0].at: missing"),
        ("name: x\nsteps:\n  - {at: soon, resume: {}}\n", "steps[0].at: expected a duration"),
        ("name: x\nsteps:\n  - {at: 1s, resume: {}, halt: {}}\n", "steps[0].halt: a step has one action"),
        ("name: x\nsteps:\n  - {at: 1s, shock: {root: CL}}\n", "steps[0].shock.percent: missing"),
        ("name: x\nsteps:\n  - {at: 1s, shock: {root: CL, percent: 5, colour: red}}\n", "steps[0].shock.colour: not a key of shock"),
        ("name: x\nsteps:\n  - {at: 1s, rejectRate: {percent: 120}}\n", "steps[0].rejectRate.percent: expected 0 to 100"),
        ("name: x\nsteps:\n  - {at: 1s, explode: {}}\n", "steps[0].explode: not a step key"),
        ("seed: 1\nsteps: []\n", "name: missing"),
        ("name: x\nsteps:\n  - {at: 1s, price: {root: CL, month: 1, to: cheap}}\n", "steps[0].price.to: expected a decimal number, got 'cheap'"),
    ])
    func mistakesNameTheStepAndTheKey(_ yaml: String, _ expected: String) {
        #expect {
            try ScenarioLoader.parse(yaml: yaml, file: "mine.yaml")
        } throws: { error in
            "\(error)".hasPrefix("mine.yaml:") && "\(error)".contains(expected)
        }
    }

    @Test func aCircuitBreakerTripsOnAMoveBeyondItsBandWithinItsWindow() {
        let second: Int64 = 1_000_000_000
        var breaker = CircuitBreaker(root: "CL", percent: 15, windowNanos: 60 * second, haltNanos: 120 * second)
        #expect(breaker.observe(FIXDecimal(70), at: 0) == nil)
        #expect(breaker.observe(FIXDecimal("59.50")!, at: 10 * second) == nil, "exactly 15% is inside the band")
        #expect(breaker.observe(FIXDecimal("59.49")!, at: 20 * second) == FIXDecimal(70), "beyond it trips, naming the reference")
        // After a trip the window starts again from the next price.
        breaker.reset()
        #expect(breaker.observe(FIXDecimal(50), at: 200 * second) == nil)
        // A slow slide: each price within 15% of the one a window earlier never trips.
        for minute in 1...10 {
            #expect(breaker.observe(FIXDecimal(50 - 5 * minute), at: (200 + Int64(minute) * 61) * second) == nil)
        }
        // Through zero: the band is measured on the reference's size.
        var negative = CircuitBreaker(root: "CL", percent: 15, windowNanos: 60 * second, haltNanos: 1)
        #expect(negative.observe(FIXDecimal(-10), at: 0) == nil)
        #expect(negative.observe(FIXDecimal("-11.60")!, at: second) == FIXDecimal(-10))
    }

    @Test func aRunReleasesEachStepOnceAndDrawsTheSameRejectsForTheSameSeed() throws {
        let scenario = Scenario(name: "s", seed: 5, steps: [
            ScenarioStep(at: 2_000, action: .resume), ScenarioStep(at: 0, action: .rejectRate(percent: 25)),
        ])
        var conditions = VenueConditions()
        conditions.start(scenario, now: 1_000)
        #expect(conditions.dueSteps(now: 1_000) == [.rejectRate(percent: 25)])
        #expect(conditions.dueSteps(now: 2_999).isEmpty)
        #expect(conditions.dueSteps(now: 3_000) == [.resume])
        #expect(conditions.dueSteps(now: 9_000).isEmpty && !conditions.isRunning)

        func draws(_ seed: UInt64) -> [Bool] {
            var run = VenueConditions()
            run.start(Scenario(name: "s", seed: seed, steps: []), now: 0)
            run.rejectPercent = 25
            return (0..<2_000).map { _ in run.drawReject() }
        }
        #expect(draws(5) == draws(5), "deterministic for a seed")
        #expect(draws(5) != draws(6))
        let rejected = draws(5).filter { $0 }.count
        #expect((400...600).contains(rejected), "about a quarter: \(rejected)")
    }
}
