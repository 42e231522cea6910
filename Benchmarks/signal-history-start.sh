#!/usr/bin/env bash
# How long `wellhead serve` takes to start on a journal holding weeks of market-data snapshots
# (the signals' daily history is read from it at start), for one wellhead binary.
#
#   Benchmarks/signal-history-start.sh <out-dir> <wellhead binary> <days> [starts]
#
# The demo profile without its CSV history, console or fixed port, journaling into <out-dir>:
# the binary makes the journal (one start, stopped once it accepts connections), then
# Benchmarks/journal-snapshots.py fills it with <days> days of minute snapshots (23 hours a
# day, 63 instruments each, as the gateway journals them), then the binary is started
# [starts] times (3): each start's seconds from launch to "accepting connections", its
# resident memory then, and what its "signal history read" line says. Run a baseline binary
# on a copy of the same journal to compare.
set -u
dir=$1; bin=$2; days=$3; starts=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$dir"; mkdir -p "$dir"
cp -r "$root/sessions" "$root/dictionaries" "$dir/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -i -e "s#^JournalPath=.*#JournalPath=$dir/journal.sqlite#" -e '/^SignalHistory=/d' -e '/^ConsolePort=/d' -e '/^Users=/d' \
    -e "s/^SocketAcceptPort=.*/SocketAcceptPort=$port/" "$dir/sessions/demo.cfg"

# serve <log>: starts the binary, waits (up to 10 minutes) for it to accept connections,
# prints the seconds and resident memory, and stops it.
serve() {
  local log=$1 start end pid
  start=$(date +%s.%N)
  "$bin" serve --config "$dir/sessions/demo.cfg" > "$log" 2>&1 & pid=$!
  for _ in $(seq 1 12000); do
    grep -q "accepting connections" "$log" && break
    kill -0 $pid 2>/dev/null || { echo "exited: $(tail -3 "$log")"; return 1; }
    sleep 0.05
  done
  end=$(date +%s.%N)
  echo "start $(echo "$end - $start" | bc) s, rss $(ps -o rss= -p $pid | awk '{printf "%.0f", $1/1024}') MB"
  kill -INT $pid; wait $pid
  grep -o "signal history read.*\|days=.*signal history read" "$log" | head -1
}

serve "$dir/create.log" > /dev/null
python3 "$root/Benchmarks/journal-snapshots.py" "$dir/journal.sqlite" "$days"
for n in $(seq 1 "$starts"); do serve "$dir/start-$n.log"; done
