#!/usr/bin/env bash
# How fast the journals grow under a venue's market data (issue 12), for one wellhead binary.
#
#   Benchmarks/journal-growth.sh <out-dir> <wellhead binary> <venue port> <gateway port> <seconds> ['Key=Value' for both profiles]
#
# The venue simulator (sessions/venue-sim.cfg) and the gateway routing to it
# (sessions/gateway-to-venue.cfg, which subscribes to every instrument the venue lists at
# logon), each journaling into <out-dir>; an OMS (wellhead marketdata watch, six contracts)
# subscribed to the gateway for <seconds>. Every 10 s it notes both journals' file and WAL
# sizes and the servers' write_bytes (/proc/<pid>/io); then it stops both servers (SIGTERM)
# and prints the figures and what each journal holds (sqlite3). Run a baseline binary and this
# tree's on other ports side by side, e.g. with `JournalMarketData=N` as the last argument.
set -u
dir=$1; bin=$2; vport=$3; gport=$4; secs=$5; extra=${6:-}
src=$(cd "$(dirname "$0")/../sessions" && pwd)
root=$(dirname "$src")
rm -rf "$dir"; mkdir -p "$dir"
copy() { # <source cfg> <dest> <journal>
  sed -e "s#^JournalPath=.*#JournalPath=$3#" -e "s#^SocketAcceptPort=9890#SocketAcceptPort=$vport#" \
      -e "s#^SocketConnectPort=9890#SocketConnectPort=$vport#" -e "s#^SocketAcceptPort=9879#SocketAcceptPort=$gport#" \
      -e "s#^DataDictionary=\.\./#DataDictionary=$root/#" \
      -e "s#^\(RiskLimits\|Instruments\|TradingCalendar\)=\(.*\)#\1=$src/\2#" "$1" > "$2"
  if [ -n "$extra" ]; then awk -v x="$extra" 'BEGIN{done=0} /^\[SESSION\]/ && !done {print x; done=1} {print}' "$2" > "$2.tmp" && mv "$2.tmp" "$2"; fi
}
copy $src/venue-sim.cfg "$dir/venue.cfg" "$dir/venue.sqlite"
copy $src/gateway-to-venue.cfg "$dir/gateway.cfg" "$dir/gateway.sqlite"
up=$(date +%s.%N)
"$bin" serve --config "$dir/venue.cfg" > "$dir/venue.log" 2>&1 & venue=$!
sleep 3
"$bin" serve --config "$dir/gateway.cfg" > "$dir/gateway.log" 2>&1 & gateway=$!
for i in $(seq 1 100); do grep -q "logged on\|Logon\|logon" "$dir/gateway.log" && break; sleep 0.2; done
sleep 3
size() { for f in "$1" "$1-wal"; do stat -c %s "$f" 2>/dev/null || echo 0; done | paste -sd' '; }
io() { awk '/^write_bytes/ {print $2}' /proc/$1/io 2>/dev/null || echo -; }
sizes() { echo "$1 venue $(size $dir/venue.sqlite) gateway $(size $dir/gateway.sqlite) write_bytes venue $(io $venue) gateway $(io $gateway)" >> "$dir/sizes"; }
sizes "start $(date +%s.%N)"
"$bin" marketdata watch --port $gport --sender OMS1 --target WELLHEAD --seconds $secs \
    --symbol CLF7 --symbol CLG7 --symbol CLH7 --symbol BZG7 --symbol RBF7 --symbol HOF7 > "$dir/watch.log" 2>&1 & watcher=$!
t0=$(date +%s)
while kill -0 $watcher 2>/dev/null; do sleep 10; sizes "t+$(( $(date +%s) - t0 ))"; done
sizes "end $(date +%s.%N)"
kill -TERM $gateway; wait $gateway; kill -TERM $venue; wait $venue
down=$(date +%s.%N)
sizes "closed up $up down $down"
cat "$dir/sizes"
for j in venue gateway; do
  echo "== $j journal: msg_type direction count bytes"
  sqlite3 "$dir/$j.sqlite" "select msg_type, direction, count(*), sum(length(bytes)) from messages group by 1,2 order by 3 desc"
  echo "== $j events: kind count bytes"
  sqlite3 "$dir/$j.sqlite" "select kind, count(*), sum(length(json)) from events group by 1 order by 2 desc"
done
