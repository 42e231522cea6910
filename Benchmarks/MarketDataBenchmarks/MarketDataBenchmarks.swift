import Benchmark
import MarketData

// Incremental updates through the normalizer: sequence check, the L2 book in ticks, level and
// top-of-book events within the published depth, trades into four bar intervals, and the
// calendar spreads, Brent−WTI and cracks repriced when a leg's mid moves. The flow is
// generated before the measurement starts (Scenarios.swift).
//
// "×1000" runs 1,000 updates per sample and reports per update: wall clock in ns, throughput
// in updates per second, and heap allocations (0 in steady state: the books' ladders and the
// event buffer keep their capacity). "per update" times one update per sample, so its
// percentiles are those of single updates (each includes the two clock reads around it).

let benchmarks: @Sendable () -> Void = {
    let scenario = Scenario.mixedFlow()

    let batch = FeedHarness(scenario: scenario)
    Benchmark("apply incremental updates ×1000 (95% levels, 5% trades)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .nanoseconds,
                                   warmupIterations: 20, scalingFactor: .kilo, maxDuration: .seconds(3),
                                   maxIterations: 2_000)) { benchmark in
        let harness = batch
        harness.rewindIfNeeded(for: benchmark.scaledIterations.count)
        let start = harness.cursor
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            harness.events.removeAll(keepingCapacity: true)
            harness.normalizer.apply(scenario.flow[start + index], into: &harness.events)
        }
        benchmark.stopMeasurement()
        harness.cursor += benchmark.scaledIterations.count
        blackHole(harness.events.count)
    }

    let single = FeedHarness(scenario: scenario)
    Benchmark("apply one incremental update (per update)",
              configuration: .init(metrics: [.wallClock], timeUnits: .nanoseconds,
                                   warmupIterations: 1_000, scalingFactor: .one, maxDuration: .seconds(3),
                                   maxIterations: 300_000)) { benchmark in
        let harness = single
        harness.rewindIfNeeded(for: 1)
        let update = scenario.flow[harness.cursor]
        harness.events.removeAll(keepingCapacity: true)
        benchmark.startMeasurement()
        harness.normalizer.apply(update, into: &harness.events)
        benchmark.stopMeasurement()
        harness.cursor += 1
    }

    // A FIX venue's X through the gateway's market-data path: parsed, read, applied and
    // published to one subscriber (PublishPath.swift).
    let path = PublishPath()
    Benchmark("venue X read, applied and published to a subscriber ×1000",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .nanoseconds,
                                   warmupIterations: 20, scalingFactor: .kilo, maxDuration: .seconds(3),
                                   maxIterations: 2_000)) { benchmark in
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { try path.step() }
        benchmark.stopMeasurement()
        blackHole(path.published)
    }
}
