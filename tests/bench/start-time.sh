#!/usr/bin/env bash
# Time from `npm start` to the first served page (HTTP 200 on /), over N runs; prints each and the median.
# Usage: npm run bench:start [-- runs=5]   (PORT defaults to 3300; delete .next first to include the build)
set -u
cd "$(dirname "$0")/../.."
runs=${1:-5}
port=${PORT:-3300}
times=()
for _ in $(seq "$runs"); do
  t0=$(date +%s.%N)
  setsid bash -c "PORT=$port npm start > /tmp/sbl-start.log 2>&1" &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.05; done
  t1=$(date +%s.%N)
  kill -- -"$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  t=$(echo "$t1 - $t0" | bc)
  times+=("$t")
  echo "npm start -> served page: ${t} s"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "median of %d: %.2f s\n", NR, a[int((NR + 1) / 2)] }'
