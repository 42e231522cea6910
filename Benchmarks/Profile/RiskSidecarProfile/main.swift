import RiskFixtures
import RiskSidecar

// The engine's check pass (no lock) in a loop, each order resolved before its check (as the
// gateway does when it builds it) and reported done after it, as in the benchmark:
// `perf record .build/release/RiskSidecarProfile [count] [unresolved|decision]`. With
// `unresolved` the check is given the names only and looks them up itself; with `decision`
// it returns the whole decision (`check`, the order copied in) instead of the verdict the
// gateway's order path takes (`verdict`).
let harness = Harness.unlocked
let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 300_000 : 300_000
let mode = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : ""
let resolve = mode != "unresolved"
let decisions = mode == "decision"
var accepted = 0
for _ in 0..<count {
    let order = resolve ? harness.nextEngineOrder() : harness.nextOrder()
    let now = harness.advance()
    if decisions {
        if harness.engine.check(order, now: now).isAccepted { accepted += 1 }
    } else if harness.engine.verdict(order, now: now).isAccepted {
        accepted += 1
    }
    harness.engine.orderDone(key: order.key, now: now)
}
print("\(accepted) of \(count) accepted")
