#!/bin/sh
# Lab timings per WAN mode: router first console output, WAN-up check passed, all checks done,
# each counted from LabService.start (router images are built first and not counted).
#   bench/lab-modes-bench.sh [MODE...]      (default: pppoe dhcp l2tp static)
set -eu
cd "$(dirname "$0")/.."
out=target/bench-lab
mkdir -p "$out"
TMPDIR=$(pwd)/$out
export TMPDIR
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="target/classes:target/test-classes:$(cat target/cp.txt)"
printf '%-7s %14s %12s %12s %s\n' mode first_line_s wan_up_s all_done_s result
for mode in ${*:-pppoe dhcp l2tp static}; do
  timeout 400 java -Djava.io.tmpdir="$TMPDIR" -cp "$cp" dev.routerstudio.lab.LabMain "$mode" > "$out/$mode.log" 2>&1 || true
  first=$(sed -n 's/^node NodeStatus\[name=router.*firstOutputSeconds=\([0-9.]*\)\]$/\1/p' "$out/$mode.log")
  routerat=$(sed -n 's/^lab [0-9a-f]*: router started \([0-9]*\) ms after the lab$/\1/p' "$out/$mode.log")
  wan=$(sed -n 's/^check wan-up-[a-z]* [A-Z]* [0-9.]* s at \([0-9.]*\):.*/\1/p' "$out/$mode.log")
  done_at=$(sed -n 's/^== after \([0-9]*\) ms:.*/\1/p' "$out/$mode.log")
  result=$(grep -c '^check .* PASSED' "$out/$mode.log" || true)/$(grep -c '^check ' "$out/$mode.log" || true)
  # wan-up "at" is counted from the router's start; add the router's start offset.
  wan_lab=$(awk -v w="${wan:-0}" -v r="${routerat:-0}" 'BEGIN { printf "%.1f", w + r / 1000 }')
  printf '%-7s %14s %12s %12s %s passed\n' "$mode" "${first:-?}" "$wan_lab" "$(awk -v d="${done_at:-0}" 'BEGIN { printf "%.1f", d / 1000 }')" "$result"
done
