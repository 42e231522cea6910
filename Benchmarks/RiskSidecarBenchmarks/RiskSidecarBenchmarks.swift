import Benchmark
import FIXCodec
import Instruments
import RiskFixtures
import RiskSidecar

// One full check pass of a typical limit order (buy 1–13 CLK6 near the market) with every
// control configured, at every scope that takes it: size, value, price collar, market
// protection, positions per month and per root, credit, daily loss, order and message
// throttles, duplicate ClOrdID and duplicate window, restrictions, trading hours, self-trade
// prevention, trading states and kill switches. The book behind it holds working orders,
// positions and P&L. Every order is accepted; it is then cancelled (`orderDone`), unmeasured,
// so each sample starts from the same state.
//
// "per check" runs one check per sample (`scalingFactor: .one`), so the wall-clock
// percentiles are those of single checks (each includes the two clock reads around it). These
// are the figures to compare with the 1 µs aim. The order is resolved before the clock starts
// (`RiskSidecar.resolve`: names to ids, ClOrdID and key hashed), as the gateway does when it
// builds the order from the parsed message.
// "+ cancel report ×1000" runs 1,000 orders per sample, each resolved, checked and then
// reported done (the order's whole life in the sidecar, so the book stays the same size), and
// reports per order: the sample's time / 1,000, throughput and heap allocations.
// "(engine, no lock)" is the per-check pass on `RiskEngine` without the sidecar's mutex.
// The first three time `verdict`, the order path's call (what was decided, without the order);
// "whole decision" times `check`, which returns the decision with the order copied in.

let benchmarks: @Sendable () -> Void = {
    Benchmark("check limit order (per check)",
              configuration: .init(metrics: [.wallClock], timeUnits: .nanoseconds,
                                   warmupIterations: 1_000, scalingFactor: .one, maxDuration: .seconds(3),
                                   maxIterations: 200_000)) { benchmark in
        let harness = Harness.locked
        let order = harness.nextSidecarOrder()
        let now = harness.advance()
        benchmark.startMeasurement()
        let verdict = harness.sidecar.verdict(order, now: now)
        benchmark.stopMeasurement()
        harness.finish(verdict, order)
    }

    Benchmark("check limit order + cancel report ×1000",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .nanoseconds,
                                   warmupIterations: 10, scalingFactor: .kilo, maxDuration: .seconds(3),
                                   maxIterations: 1_000)) { benchmark in
        let harness = Harness.batch
        var orders = benchmark.scaledIterations.map { _ in harness.nextOrder() }
        let times = benchmark.scaledIterations.map { _ in harness.advance() }
        benchmark.startMeasurement()
        for index in benchmark.scaledIterations {
            harness.sidecar.resolve(&orders[index])
            let verdict = harness.sidecar.verdict(orders[index], now: times[index])
            guard verdict.isAccepted else { fatalError("rejected: \(verdict.rejection?.text ?? "")") }
            harness.sidecar.orderDone(key: orders[index].key, now: times[index])
        }
        benchmark.stopMeasurement()
    }

    Benchmark("check limit order (engine, no lock, per check)",
              configuration: .init(metrics: [.wallClock], timeUnits: .nanoseconds,
                                   warmupIterations: 1_000, scalingFactor: .one, maxDuration: .seconds(3),
                                   maxIterations: 200_000)) { benchmark in
        let harness = Harness.unlocked
        let order = harness.nextEngineOrder()
        let now = harness.advance()
        benchmark.startMeasurement()
        let verdict = harness.engine.verdict(order, now: now)
        benchmark.stopMeasurement()
        guard verdict.isAccepted else { fatalError("rejected: \(verdict.rejection?.text ?? "")") }
        harness.engine.orderDone(key: order.key, now: now)
    }

    Benchmark("check limit order, whole decision (per check)",
              configuration: .init(metrics: [.wallClock], timeUnits: .nanoseconds,
                                   warmupIterations: 1_000, scalingFactor: .one, maxDuration: .seconds(3),
                                   maxIterations: 200_000)) { benchmark in
        let harness = Harness.decisions
        let order = harness.nextSidecarOrder()
        let now = harness.advance()
        benchmark.startMeasurement()
        let decision = harness.sidecar.check(order, now: now)
        benchmark.stopMeasurement()
        harness.finish(decision, order)
    }
}
