#!/bin/sh
# Boot one bundle with two unconnected pcnet cards (eth0, eth1), wait for its shell, let the
# services settle, type COMMANDS, power off. The console goes to OUT_LOG with timestamps.
#   bench/boot-check.sh BUNDLE_DIR OUT_LOG SETTLE_SECONDS 'COMMANDS'
set -eu
bundle=$1
log=$2
settle=$3
commands=$4
TMPDIR=$(cd "$(dirname "$log")" && pwd)/tmp
mkdir -p "$TMPDIR"
export TMPDIR
: > "$log"
wait_for() { n=0; until grep -q "$2" "$1" 2>/dev/null || [ $n -ge "$3" ]; do sleep 1; n=$((n + 1)); done; }
{
  wait_for "$log" "built-in shell" 120
  sleep "$settle"
  printf '%s\n' "echo MARK-BEGIN; $commands; echo MARK-END"
  wait_for "$log" "^ *[0-9.]* MARK-END" 60
  echo poweroff
  sleep 10
} | timeout 200 "$bundle/run-qemu.sh" -device pcnet,mac=52:54:00:00:01:01,romfile= -device pcnet,mac=52:54:00:00:02:01,romfile= 2>&1 \
  | perl -MTime::HiRes=time -ne 'BEGIN{$|=1; $s=time} printf "%6.2f %s", time-$s, $_' > "$log"
