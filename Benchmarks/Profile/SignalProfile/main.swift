import SignalFixtures
import Signals

// The signal benchmarks' steps in a plain loop, for instruction counts under valgrind (this
// machine's VM has no hardware counters, and its timings move by tens of percent between runs):
//
//     valgrind --tool=callgrind --toggle-collect='*SetHarness*step*' \
//         .build/release/SignalProfile [bars] [four|cl|weighted|curve]
//
// then instructions per root bar = the collected total / (bars × roots). `four`: CL, BZ, RB
// and HO at each bar time (benchmark (b)); `cl`: CL alone (a); `weighted`: CL with every
// contributor weighted (a'); `curve`: CL, its curve handed over as a 12-month FuturesCurve (c).
// Warmed up on 300 bar times first, as the benchmark is.
let bars = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 3_000 : 3_000
let mode = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "four"
let inputs = SignalInputs(count: 50_000, seed: 20_261_207)
let harness: SetHarness
switch mode {
case "cl", "curve": harness = SetHarness(inputs: inputs, roots: ["CL"], warmUp: 300)
case "weighted": harness = SetHarness(inputs: inputs, roots: ["CL"], warmUp: 300, weighEverything: true)
default: harness = SetHarness(inputs: inputs, roots: ["CL", "BZ", "RB", "HO"], warmUp: 300)
}
let convert = mode == "curve"
for _ in 0..<bars { harness.step(convertCurve: convert) }
print("\(bars) bar times, \(bars * harness.roots.count) root bars, \(harness.changes) direction changes (\(mode))")
