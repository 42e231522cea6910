#!/usr/bin/env bash
# Runs Wellhead's benchmarks beside their peers, in one run, and prints the ratios.
#
#   Benchmarks/run-all.sh [codec|echo|matching|risk|restore|order-path ...]     # default: codec
#
# codec: FIXCodecBenchmarks and the QuickFIX C++ peer (quickfix-peer/peer) on the same
#        message files and the same dictionary; ns per message, allocations, and the ratio.
# order-path: the order path before and after a change, in one run: "Order to New (resting
#        limit)" and "Order to fill (marketable IOC)" through the whole appliance, each against
#        this tree's wellhead (WELLHEAD_BINARY or .build/release/wellhead: "Wellhead appliance")
#        and against the baseline build WELLHEAD_BASELINE_BINARY names ("Wellhead baseline"),
#        one appliance up at a time; p50, p99 and p99.9 of each, and after/before ratios.
#        Build both first, e.g. with the commit before the change as the baseline:
#          swift build -c release --product wellhead                 # after (this tree)
#          git worktree add ../wellhead-baseline <commit>            # before
#          (cd ../wellhead-baseline && swift build -c release --product wellhead)
#          WELLHEAD_BASELINE_BINARY=$PWD/../wellhead-baseline/.build/release/wellhead \
#              Benchmarks/run-all.sh order-path
# The other targets carry their peers inside the benchmark (see each target's header).
# Needs libquickfix-dev (apt-get install -y libquickfix-dev) for the QuickFIX peers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
targets=("${@:-codec}")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

benchmark() {
    # benchmark TARGET [more `swift package benchmark` options, e.g. --filter REGEX]
    local target="$1"
    shift
    # Exit status 4 means "improvements only" against a baseline: success.
    swift package benchmark --no-progress --target "$target" "$@" --format jmh --path "$out" >"$out/$target.log" 2>&1 \
        || [ $? -eq 4 ] || { cat "$out/$target.log"; exit 1; }
    mv "$out/Current_run.jmh.json" "$out/$target.jmh.json"
}

for target in "${targets[@]}"; do
    case "$target" in
    codec)
        bash quickfix-peer/build.sh >/dev/null 2>&1
        benchmark FIXCodecBenchmarks
        ./quickfix-peer/peer --dictionary ../dictionaries/FIX44.xml --messages messages >"$out/quickfix.txt"
        python3 compare.py codec "$out/FIXCodecBenchmarks.jmh.json" "$out/quickfix.txt"
        ;;
    echo) benchmark EchoBenchmarks; python3 compare.py table "$out/EchoBenchmarks.jmh.json" ;;
    matching) benchmark MatchingEngineBenchmarks; python3 compare.py table "$out/MatchingEngineBenchmarks.jmh.json" ;;
    risk) benchmark RiskSidecarBenchmarks; python3 compare.py table "$out/RiskSidecarBenchmarks.jmh.json" ;;
    restore) benchmark RestoreBenchmarks; python3 compare.py table "$out/RestoreBenchmarks.jmh.json" ;;
    order-path)
        baseline="${WELLHEAD_BASELINE_BINARY:-}"
        [ -x "$baseline" ] || { echo "order-path: set WELLHEAD_BASELINE_BINARY to the baseline's wellhead executable (see the top of $0)" >&2; exit 2; }
        WELLHEAD_BASELINE_BINARY="$baseline" benchmark EchoBenchmarks --filter 'Order to .*'
        # The benchmarks' own lines (standard error): percentiles, drift, unfilled IOC resends.
        grep -E 'order to .*(p50|unfilled)' "$out/EchoBenchmarks.log" || true
        # From those lines: the JMH export leaves out benchmarks without a throughput metric.
        python3 compare.py before-after "$out/EchoBenchmarks.log"
        ;;
    *) echo "unknown target $target (codec, echo, matching, risk, restore, order-path)" >&2; exit 2 ;;
    esac
done
