#!/bin/sh
# Stock ("slim": false) vs slim (the default) (image-pipeline/slim/) rootfs.squashfs per WAN mode: each example
# profile (src/test/resources/profiles/MODE.json) built both ways with BuildMain, plus a warm
# rebuild of the slim pppoe image. COLD=1 first empties the slim/ cache, so the first build
# compiles every recipe (sources, sysroot packages and .debs stay cached).
#   bench/slim-bench.sh [CACHE_DIR]     (default target/package-cache)
set -eu
cd "$(dirname "$0")/.."
cache=${1:-target/package-cache}
out=target/bench-slim
mkdir -p "$out" "$cache"
TMPDIR=$(pwd)/$out
export TMPDIR
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="target/classes:target/test-classes:$(cat target/cp.txt)"
if [ "${COLD:-0}" = 1 ]; then rm -rf "$cache/slim"; fi
build() {  # build PROFILE_JSON NAME → "wall_ms squashfs_bytes"
  rm -rf "$out/$2"
  t0=$(date +%s%N)
  java -cp "$cp" dev.routerstudio.pipeline.BuildMain "$1" "$out/$2" "$cache" > "$out/$2.log" 2>&1
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(sed -n 's/^rootfs.squashfs \([0-9]*\) .*/\1/p' "$out/$2.log")"
}
echo "| WAN mode | stock (\"slim\": false) | slim (the default) | saved | slim build (wall ms) |"
echo "|---|---|---|---|---|"
for mode in pppoe dhcp l2tp static; do
  for kind in stock slim; do
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["slim"]=sys.argv[3]=="slim"; json.dump(d, open(sys.argv[2], "w"))' \
      "src/test/resources/profiles/$mode.json" "$out/$mode-$kind.json" "$kind"
  done
  set -- $(build "$out/$mode-slim.json" "$mode-slim"); slim_ms=$1; slim=$2
  set -- $(build "$out/$mode-stock.json" "$mode-stock"); stock=$2
  echo "| $mode | $stock | $slim | $((stock - slim)) | $slim_ms |"
done
set -- $(build "$out/pppoe-slim.json" pppoe-warm)
echo "warm rebuild of the slim pppoe image: $1 ms wall ($(sed -n 's/^elapsed \([0-9]*\) ms$/\1/p' "$out/pppoe-warm.log") ms in the pipeline)"
