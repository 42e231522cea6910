import RiskFixtures
import RiskSidecar

// The engine's check pass (no lock) in a loop, each order resolved before its check (as the
// gateway does when it builds it) and reported done after it, as in the benchmark:
// `perf record .build/release/RiskSidecarProfile [count] [unresolved]`. With `unresolved` the
// check is given the names only and looks them up itself.
let harness = Harness.unlocked
let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 300_000 : 300_000
let resolve = !(CommandLine.arguments.count > 2 && CommandLine.arguments[2] == "unresolved")
var accepted = 0
for _ in 0..<count {
    let order = resolve ? harness.nextEngineOrder() : harness.nextOrder()
    let now = harness.advance()
    let decision = harness.engine.check(order, now: now)
    if decision.isAccepted { accepted += 1 }
    harness.engine.orderDone(key: order.key, now: now)
}
print("\(accepted) of \(count) accepted")
