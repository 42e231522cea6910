#!/usr/bin/env bash
# Runs Wellhead's benchmarks beside their peers, in one run, and prints the ratios.
#
#   Benchmarks/run-all.sh [codec|echo|matching|risk|restore ...]     # default: codec
#
# codec: FIXCodecBenchmarks and the QuickFIX C++ peer (quickfix-peer/peer) on the same
#        message files and the same dictionary; ns per message, allocations, and the ratio.
# The other targets carry their peers inside the benchmark (see each target's header).
# Needs libquickfix-dev (apt-get install -y libquickfix-dev) for the QuickFIX peers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
targets=("${@:-codec}")
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

benchmark() {
    # Exit status 4 means "improvements only" against a baseline: success.
    swift package benchmark --no-progress --target "$1" --format jmh --path "$out" >"$out/$1.log" 2>&1 \
        || [ $? -eq 4 ] || { cat "$out/$1.log"; exit 1; }
    mv "$out/Current_run.jmh.json" "$out/$1.jmh.json"
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
    *) echo "unknown target $target (codec, echo, matching, risk, restore)" >&2; exit 2 ;;
    esac
done
