import Benchmark
import MatchingEngine

// Every benchmark runs `scaledIterations` (1,000) order operations per sample and reports per
// operation: wall clock in ns, throughput in operations per second, and heap allocations (0
// in steady state: the book's pools, ladders and the event buffer keep their capacity).
// Flows and books are built before the measurement starts (Scenarios.swift).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 20,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )

    // (a) Non-crossing limit orders into a book that holds 0 to 1,000 orders over 200 levels.
    // After each sample the orders are cancelled, unmeasured, so every sample starts empty.
    let inserts = Scenarios.passiveInserts()
    let insertHarness = BookHarness(book: OrderBook(expectedOrders: 4_096))
    Benchmark("insert passive limit orders") { benchmark in
        let harness = insertHarness
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            harness.events.removeAll(keepingCapacity: true)
            harness.book.submit(inserts[index], into: &harness.events)
        }
        benchmark.stopMeasurement()
        for order in inserts { harness.book.cancel(id: order.id, into: &harness.events) }
        harness.events.removeAll(keepingCapacity: true)
    }

    // (b) The realistic mix on a book of about 5,000 working orders: 60% passive adds, 25%
    // cancels, 10% aggressive IOC orders (taking the touch and often more), 5% replaces.
    let (mixPrefill, mixFlow) = Scenarios.realisticMix()
    let mixHarness = BookHarness(book: Scenarios.book(with: mixPrefill))
    Benchmark("realistic mix (60% add, 25% cancel, 10% aggressive, 5% replace)") { benchmark in
        let harness = mixHarness
        if harness.cursor + benchmark.scaledIterations.count > mixFlow.count {
            // Back to the start of the flow, on a new book built as the first one was.
            harness.book = Scenarios.book(with: mixPrefill)
            harness.cursor = 0
        }
        benchmark.startMeasurement()
        Scenarios.replay(mixFlow, on: harness, count: benchmark.scaledIterations.count)
        benchmark.stopMeasurement()
    }

    // (c) Market buys of 60 lots, each sweeping three levels of four orders (12 fills). The
    // asks for a sample's 1,000 sweeps are laid down, unmeasured, before it.
    let sweepHarness = BookHarness(book: OrderBook(expectedOrders: 16_384))
    Benchmark("aggressive order sweeping 3 levels (12 fills)") { benchmark in
        let harness = sweepHarness
        Scenarios.sweepBook(into: &harness.book, levels: 3 * benchmark.scaledIterations.count)
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            harness.events.removeAll(keepingCapacity: true)
            harness.book.submit(.market(id: 1_000_000 + UInt64(index), owner: 2, side: .buy, quantity: 60),
                                into: &harness.events)
        }
        benchmark.stopMeasurement()
        precondition(harness.book.workingOrderCount == 0, "each sweep should take exactly three levels")
    }
}
