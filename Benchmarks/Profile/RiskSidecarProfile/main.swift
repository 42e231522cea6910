import RiskFixtures
import RiskSidecar

// The engine's check pass (no lock) in a loop, each order reported done after its check, as
// in the benchmark: `perf record .build/release/RiskSidecarProfile [count]`.
let harness = Harness.unlocked
let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 300_000 : 300_000
var accepted = 0
for _ in 0..<count {
    let order = harness.nextOrder()
    let now = harness.advance()
    let decision = harness.engine.check(order, now: now)
    if decision.isAccepted { accepted += 1 }
    harness.engine.orderDone(key: order.key, now: now)
}
print("\(accepted) of \(count) accepted")
