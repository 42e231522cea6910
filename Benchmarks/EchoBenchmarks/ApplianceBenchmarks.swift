// Orders through the whole Wellhead appliance over loopback, journal on: `wellhead serve`
// with `Application=gateway` (FIX session, order gateway, risk sidecar inline, simulated venue
// with market makers, every message and every gateway decision journaled in SQLite), one OMS
// session (OMS1, account DESK1) on a blocking socket, beside "Round trip: bare loopback"
// (EchoBenchmarks.swift), which the same run measures with the same kind of client.
//
// Two benchmarks, each iteration one order, its wall clock from the client's send to the
// report it waits for (p50 and p99 in the table; "order to … : N round trips, p50 … p99 …
// p99.9 …" on standard error from the benchmark's own timings of the same iterations):
//   - "Order to New": a limit buy of 1 lot far below the market (1.00 + n ticks, n cycling
//     0…1,999, so no two orders within the 100 ms duplicate window repeat), Day; the appliance
//     answers PendingNew (150=A) then New (150=0); the iteration ends at the New. The order
//     rests. Every APPLIANCE_BENCH_CANCEL_EVERY (default 100) iterations, before the timed
//     part, one OrderMassCancelRequest (35=q, 530=7) cancels them all and the client reads
//     the mass cancel report and every Canceled report, so the book and the risk sidecar's
//     working orders stay bounded (as a desk's working orders are) and no cancel traffic
//     lands inside a timed sample. 0 keeps every order of the run working.
//   - "Order to fill": a marketable IOC limit order for 1 lot, 0.50 + n ticks through the
//     last fill price (n cycling 0…999), alternately selling and buying so the position stays
//     0 or 1 lot; the iteration ends at the fill (150=F, 39=2). The simulated venue's market
//     makers quote 5 levels of 20 lots a side and requote every 250 ms, so a fast client
//     can take a side's whole ladder between two requotes: an IOC order that comes back
//     unfilled (150=4, CumQty 0) is not a sample; the iteration waits 20 ms and sends a new
//     order, restarting the timed region (the count of such retries is printed).
// With WELLHEAD_BASELINE_BINARY naming another wellhead executable (an earlier commit's release
// build), both benchmarks are registered a second time against it, named "…: Wellhead
// baseline", so one run measures before and after with the same client, profile, limits and
// iteration counts. ordo-one/benchmark runs every benchmark in a process of its own, one after
// another, in name order (New: appliance, baseline; fill: appliance, baseline), and each
// starts its own appliance in its setup and stops it in its teardown: only one appliance is
// ever up, and each is measured fresh (empty journal, the same seeded market).
// Benchmarks/run-all.sh order-path runs just these four (see there).
// Before timing, each benchmark's setup finds the contract month (the CL front month: the
// first of the next three CL months the appliance accepts, or APPLIANCE_BENCH_SYMBOL) with a
// resting probe order whose New report is checked field by field, then cancels it; the fill
// benchmark also buys 1 lot at market to learn the price.
//
// "Order to New (resting limit): Wellhead appliance, 50 console watchers" is the same
// benchmark with the admin console on and 50 pages watching live (APPLIANCE_BENCH_WATCHERS):
// a risk manager's WebSockets on /live, read by Benchmarks/console-watchers.py, a process of
// its own at nice 19 (the browsers it stands in for run on the desks' machines), so what it
// measures is what watching costs the appliance, not the client's CPU. Compare it with the
// plain appliance of the same run.
// APPLIANCE_BENCH_NICE=-20 sets that nice value on the benchmark's thread and on the
// appliance's threads (but those it lowered itself): `nice -n -20 swift package benchmark`
// alone does not reach them, as the package plugin that starts the benchmark runs at the
// default priority, and the Swift runtime starts its pool threads at a fixed one.
//
// The gateway's venue clock also runs every 250 ms (prices step, makers requote) under the
// gateway's lock: an order that arrives then waits for it, which shows in the tail.

import Benchmark
import FIXCodec
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Registers the appliance benchmarks, with the echo round trips' configuration, for this
/// tree's wellhead and, when `WELLHEAD_BASELINE_BINARY` names one, for the baseline build too.
func registerApplianceBenchmarks(configuration: Benchmark.Configuration) {
    for subject in ApplianceSubject.all {
        registerOrderToNew(subject, configuration: configuration)
        registerOrderToFill(subject, configuration: configuration)
    }
    // The same orders with live console pages watching: the admin console's cost to the order path.
    registerOrderToNew(.watched, configuration: configuration)
}

/// "Order to New (resting limit): <subject>".
private func registerOrderToNew(_ subject: ApplianceSubject, configuration: Benchmark.Configuration) {
    let cancelEvery = ApplianceSettings.cancelEvery
    let warmup = configuration.warmupIterations
    let newTarget = ApplianceTarget(subject)
    let newTimings = Timings()
    let resting = Counter()
    Benchmark("Order to New (resting limit): \(subject.label)", configuration: configuration) { benchmark in
        let client = try newTarget.connectedClient()
        if cancelEvery > 0 && resting.value >= cancelEvery {
            let canceled = try client.cancelAllOrders()
            guard canceled == resting.value else {
                throw EchoFailure("mass cancel cancelled \(canceled) orders, \(resting.value) were resting")
            }
            resting.value = 0
        }
        let order = ApplianceClient.Order(symbol: newTarget.symbol, buy: true, quantity: 1,
                                          kind: .limit(FIXDecimal(mantissa: Int64(100 + client.ordersSent % 2_000), scale: 2)),
                                          timeInForce: .day)
        ApplianceSettings.applyNice()
        benchmark.startMeasurement()
        let start = Timings.now()
        let id = try client.send(order)
        try client.awaitNew(clOrdID: id)
        let elapsed = Timings.now() - start
        benchmark.stopMeasurement()
        resting.value += 1
        if benchmark.currentIteration >= warmup { newTimings.record(elapsed, messages: 1) }
    } setup: {
        try newTarget.start(probeFill: false)
    } teardown: {
        newTarget.stop()
        newTimings.reportPercentiles("order to New (resting limit) \(subject.label)")
        newTimings.reportDrift("order to New (resting limit) \(subject.label)")
    }
}

/// "Order to fill (marketable IOC): <subject>".
private func registerOrderToFill(_ subject: ApplianceSubject, configuration: Benchmark.Configuration) {
    let warmup = configuration.warmupIterations
    let fillTarget = ApplianceTarget(subject)
    let fillTimings = Timings()
    let fills = FillState()
    Benchmark("Order to fill (marketable IOC): \(subject.label)", configuration: configuration) { benchmark in
        let client = try fillTarget.connectedClient()
        if fills.lastPrice == nil { fills.lastPrice = fillTarget.probeFillPrice }
        guard let reference = fills.lastPrice else { throw EchoFailure("no price to trade at: the setup's probe fill is missing") }
        while true {
            let buy = fills.position <= 0
            let through = FIXDecimal(mantissa: Int64(50 + client.ordersSent % 1_000), scale: 2)
            let order = ApplianceClient.Order(symbol: fillTarget.symbol, buy: buy, quantity: 1,
                                              kind: .limit(buy ? reference + through : reference - through),
                                              timeInForce: .immediateOrCancel)
            benchmark.startMeasurement()
            let start = Timings.now()
            let id = try client.send(order)
            let outcome = try client.awaitFill(clOrdID: id)
            let elapsed = Timings.now() - start
            switch outcome {
            case .filled(let price):
                benchmark.stopMeasurement()
                fills.lastPrice = price
                fills.position += buy ? 1 : -1
                if benchmark.currentIteration >= warmup { fillTimings.record(elapsed, messages: 1) }
                return
            case .unfilled:
                // The makers' ladder on that side is used up until their next requote: not a
                // sample. The next startMeasurement() restarts the timed region.
                fills.unfilled += 1
                usleep(20_000)
            }
        }
    } setup: {
        try fillTarget.start(probeFill: true)
        fills.position = 1
    } teardown: {
        fillTarget.stop()
        fillTimings.reportPercentiles("order to fill (marketable IOC) \(subject.label)")
        fillTimings.reportDrift("order to fill (marketable IOC) \(subject.label)")
        Timings.write("order to fill (marketable IOC) \(subject.label): \(fills.unfilled) IOC orders came back unfilled (no liquidity until the next requote) and were resent, untimed")
    }
}

/// A count kept across iterations (resting orders since the last mass cancel).
private final class Counter: @unchecked Sendable {
    // @unchecked: the iterations run one after another, never together.
    var value = 0
}

/// The fill benchmark's view of its trading across iterations.
private final class FillState: @unchecked Sendable {
    // @unchecked: setup, the iterations and teardown run one after another, never together.
    var lastPrice: FIXDecimal?
    /// Lots held: the next order sells when long, buys when flat.
    var position = 0
    var unfilled = 0
}

extension Timings {
    /// "<label>: p50 of the first 1,000 … µs, of the last 1,000 … µs" on standard error: whether
    /// the appliance slows down as a run's orders accumulate.
    func reportDrift(_ label: String) {
        let window = 1_000
        guard samples.count >= 2 * window else { return }
        func median(_ slice: ArraySlice<Int64>) -> String {
            let sorted = slice.sorted()
            return String(format: "%.1f", Double(sorted[sorted.count / 2]) / 1_000)
        }
        Self.write("\(label): p50 of the first \(window) samples \(median(samples.prefix(window))) µs, "
                 + "of the last \(window) \(median(samples.suffix(window))) µs (\(samples.count) samples)")
    }
}
