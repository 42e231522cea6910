// Echo through one FIX 4.4 session over loopback, journal on: Wellhead beside QuickFIX's C++
// engine under the same load, and beside the machine's bare loopback round trip.
//
// What is measured, for each of three servers:
//   - Wellhead: `wellhead serve` with `Application=echo` and a generated echo-acceptor profile,
//     journaling every message in and out in SQLite (WAL, synchronous=NORMAL, group commit)
//     before acting on it.
//   - QuickFIX C++ 1.15.1: quickfix-peer/echo-acceptor (ThreadedSocketAcceptor, the same
//     echo rules, the same dictionary and validation), persisting with its FileStore:
//     outgoing messages and sequence numbers, fflush'd per message, no fsync.
//   - bare loopback: a thread echoing bytes with blocking recv/send; no FIX, no storage.
// two benchmarks:
//   - "Echo throughput": each iteration sends 1,000 NewOrderSingles with at most
//     ECHO_BENCH_WINDOW (default 100) unanswered and reads back all 1,000 echoes; the
//     throughput column is messages per second (scaling factor 1,000 = messages per iteration).
//   - "Round trip": each iteration sends one NewOrderSingle and waits for its echo; wall clock
//     per iteration is the round trip (p50 and p99 in the table). Each round-trip benchmark
//     also prints "round trip <server>: ... p50 ... p99 ... p99.9 ..." to standard error from its
//     own per-iteration timings of the same iterations, because the table stops at p99.
// The client (EchoClient.swift) is the same code for all three: one blocking socket,
// Logon, orders with increasing MsgSeqNum and the current SendingTime (both engines reject a
// SendingTime more than two minutes off), every echo checked (MsgType, ClOrdID order, the
// server's MsgSeqNum). Before any timing each benchmark checks one echo field by field and
// fails loudly if the server does not really echo.
//
// ordo-one/benchmark runs every benchmark in a process of its own: that process starts its
// server as a child process on a free loopback port (journal or store in a temporary folder),
// and stops it and removes the folder when the benchmark ends (or kills it if the process dies).
//
// Run (from the repository root):
//   swift build -c release --product wellhead     # the server under test
//   Benchmarks/quickfix-peer/build-echo.sh         # the QuickFIX echo acceptor (libquickfix-dev)
//   cd Benchmarks && swift package benchmark --no-progress --target EchoBenchmarks
// Environment: WELLHEAD_BINARY and QUICKFIX_ECHO_ACCEPTOR override the two executables;
// WELLHEAD_BASELINE_BINARY adds the order-path benchmarks against a second (baseline) wellhead;
// ECHO_BENCH_WINDOW sets the pipelining window; ECHO_BENCH_QUICKFIX_ACCEPTOR=socket uses
// QuickFIX's single-threaded SocketAcceptor; ECHO_BENCH_QUICKFIX_FILELOG=1 adds QuickFIX's
// FileLog (every message in and out as text, which Wellhead's journal also records).
// Client, servers and the tool share this machine's cores: on a busy machine the figures move.
//
// ApplianceBenchmarks.swift adds order-to-New and order-to-fill latency through the whole
// Wellhead appliance (`Application=gateway`) to the same run, beside the bare loopback round
// trip; `--filter "Order to.*" --filter "Round trip: bare loopback"` runs just those.

import Benchmark
import Foundation
#if canImport(Glibc)
import Glibc
#endif

let benchmarks: @Sendable () -> Void = {
    let window = EchoSettings.window
    let messagesPerIteration = BenchmarkScalingFactor.kilo

    let throughput = Benchmark.Configuration(
        metrics: [.throughput, .wallClock],
        timeUnits: .nanoseconds,
        warmupIterations: 5,
        scalingFactor: messagesPerIteration,
        maxDuration: .seconds(5),
        maxIterations: 10_000
    )
    let roundTrip = Benchmark.Configuration(
        metrics: [.wallClock],
        timeUnits: .microseconds,
        warmupIterations: 1_000,
        scalingFactor: .one,
        maxDuration: .seconds(10),
        maxIterations: 20_000
    )

    for kind in [EchoTarget.Kind.wellhead, .quickfix, .loopback] {
        let target = EchoTarget(kind)
        let timings = Timings()
        Benchmark("Echo throughput, window \(window): \(kind.label)", configuration: throughput) { benchmark in
            let client = try target.connectedClient()
            let start = Timings.now()
            try client.pipeline(count: benchmark.scaledIterations.count, window: window)
            if benchmark.currentIteration >= throughput.warmupIterations {
                timings.record(Timings.now() - start, messages: benchmark.scaledIterations.count)
            }
        } setup: {
            try target.start()
        } teardown: {
            target.stop()
            timings.reportThroughput("echo throughput \(kind.label) (window \(window))")
        }

        let roundTripTarget = EchoTarget(kind)
        let roundTripTimings = Timings()
        Benchmark("Round trip: \(kind.label)", configuration: roundTrip) { benchmark in
            let client = try roundTripTarget.connectedClient()
            let start = Timings.now()
            try client.roundTrip()
            if benchmark.currentIteration >= roundTrip.warmupIterations {
                roundTripTimings.record(Timings.now() - start, messages: 1)
            }
        } setup: {
            try roundTripTarget.start()
        } teardown: {
            roundTripTarget.stop()
            roundTripTimings.reportPercentiles("round trip \(kind.label)")
        }
    }

    // Ten sessions at once, each with a client on a thread of its own pipelining 1,000 orders
    // per iteration (window as above): 10,000 messages per iteration in all. The table's
    // throughput column counts iterations of 1,000 per session; the total in messages per
    // second is the "echo throughput … 10 sessions" line on standard error.
    let sessions = 10
    for kind in [EchoTarget.Kind.wellhead, .quickfix] {
        let target = EchoTarget(kind, sessions: sessions)
        let timings = Timings()
        Benchmark("Echo throughput, \(sessions) sessions, window \(window): \(kind.label)", configuration: throughput) { benchmark in
            let clients = try target.connectedClients()
            let count = benchmark.scaledIterations.count
            let start = Timings.now()
            try runConcurrently(clients) { client in try client.pipeline(count: count, window: window) }
            if benchmark.currentIteration >= throughput.warmupIterations {
                timings.record(Timings.now() - start, messages: count * clients.count)
            }
        } setup: {
            try target.start()
        } teardown: {
            target.stop()
            timings.reportThroughput("echo throughput \(kind.label) (\(sessions) sessions, window \(window))")
        }
    }

    // Orders through the whole appliance, beside the round trips above (ApplianceBenchmarks.swift).
    registerApplianceBenchmarks(configuration: roundTrip)
    // A venue's market data through the gateway to a subscriber (VenueFeedBenchmarks.swift).
    registerVenueFeedBenchmarks(configuration: roundTrip)
}

/// The benchmark's own per-iteration timings of the measured (not warm-up) iterations: for
/// the p99.9 the results table does not show, and a plain messages-per-second total.
final class Timings: @unchecked Sendable {
    // @unchecked: written by the iterations, read by the teardown after them; never together.
    private(set) var samples: [Int64] = []
    private var messages = 0

    init() { samples.reserveCapacity(20_000) }

    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    func record(_ nanoseconds: Int64, messages count: Int) {
        samples.append(nanoseconds)
        messages += count
    }

    /// "<label>: N round trips, p50 … p99 … p99.9 … max … µs" on standard error.
    func reportPercentiles(_ label: String) {
        guard !samples.isEmpty else { return }
        let sorted = samples.sorted()
        func percentile(_ p: Double) -> String {
            let rank = max(1, Int((p / 100 * Double(sorted.count)).rounded(.up)))
            return Self.microseconds(sorted[min(rank, sorted.count) - 1])
        }
        Self.write("\(label): \(sorted.count) round trips, p50 \(percentile(50)) µs, p99 \(percentile(99)) µs, "
                   + "p99.9 \(percentile(99.9)) µs, max \(Self.microseconds(sorted[sorted.count - 1])) µs")
    }

    /// "<label>: N messages in T s = X msgs/s" on standard error.
    func reportThroughput(_ label: String) {
        let total = samples.reduce(0, +)
        guard total > 0 else { return }
        let rate = Double(messages) / (Double(total) / 1e9)
        Self.write("\(label): \(messages) messages in \(String(format: "%.2f", Double(total) / 1e9)) s = \(Int(rate.rounded())) msgs/s")
    }

    private static func microseconds(_ nanoseconds: Int64) -> String {
        String(format: "%.1f", Double(nanoseconds) / 1_000)
    }

    /// One line on standard error, prefixed with the benchmark target's name.
    static func write(_ line: String) {
        FileHandle.standardError.write(Data(("EchoBenchmarks: " + line + "\n").utf8))
    }
}

/// Runs `body` for each client on a thread of its own and waits for all of them; the first
/// error any of them throws is rethrown.
func runConcurrently(_ clients: [EchoClient], _ body: @escaping @Sendable (EchoClient) throws -> Void) throws {
    let done = DispatchGroup()
    let failure = FailureBox()
    for client in clients {
        done.enter()
        Thread {
            do { try body(client) } catch { failure.record(error) }
            done.leave()
        }.start()
    }
    done.wait()
    if let error = failure.first { throw error }
}

/// The first error of several threads.
final class FailureBox: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var error: Error?

    func record(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if self.error == nil { self.error = error }
    }

    var first: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }
}
