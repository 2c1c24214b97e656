#!/bin/sh
# Build times and image sizes per WAN mode, each profile built twice (the second run is warm),
# plus a byte-identity check of the two results.
#   bench/pipeline-bench.sh [CACHE_DIR]     (default target/bench/cache; an empty dir measures a cold build)
set -eu
cd "$(dirname "$0")/.."
cache=${1:-target/bench/cache}
out=target/bench
mkdir -p "$out" "$cache"
TMPDIR=$(pwd)/$out
export TMPDIR
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="target/classes:target/test-classes:$(cat target/cp.txt)"
printf '%-7s %-4s %10s %10s %14s %s\n' mode run wall_ms build_ms squashfs_bytes firmware.tar_sha256
for mode in pppoe dhcp l2tp static; do
  for run in 1 2; do
    rm -rf "$out/$mode-$run"
    t0=$(date +%s%N)
    java -cp "$cp" dev.routerstudio.pipeline.BuildMain "src/test/resources/profiles/$mode.json" "$out/$mode-$run" "$cache" > "$out/$mode-$run.log" 2>&1
    t1=$(date +%s%N)
    build=$(sed -n 's/^elapsed \([0-9]*\) ms$/\1/p' "$out/$mode-$run.log")
    size=$(sed -n 's/^rootfs.squashfs \([0-9]*\) .*/\1/p' "$out/$mode-$run.log")
    tar=$(sed -n 's/^firmware.tar [0-9]* \(.*\)/\1/p' "$out/$mode-$run.log")
    printf '%-7s %-4s %10s %10s %14s %s\n' "$mode" "$run" $(( (t1 - t0) / 1000000 )) "$build" "$size" "$tar"
  done
  if cmp -s "$out/$mode-1/artifacts/rootfs.squashfs" "$out/$mode-2/artifacts/rootfs.squashfs" \
     && cmp -s "$out/$mode-1/artifacts/firmware.tar" "$out/$mode-2/artifacts/firmware.tar"; then
    echo "$mode: rootfs.squashfs and firmware.tar byte-identical"
  else
    echo "$mode: DIFFERENT"
  fi
done
for mode in pppoe dhcp l2tp static; do
  echo "--- $mode: bytes by package (uncompressed, top 12)"
  grep '^size ' "$out/$mode-2.log" | head -12 | awk '{printf "  %-28s %9d\n", $2, $3}'
done
