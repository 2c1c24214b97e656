#!/bin/sh
# The example image's rootfs.squashfs against its budget (issue 13: 3,500,000 B): example-pppoe as
# it ships (src/main/resources/examples/example-pppoe.json: slim packages, firewall on, IPv6 on),
# the same profile with IPv6 off, and with Debian's binaries ("slim": false; the budget before
# slim, 7,500,000 B), built with the pipeline's own entry point (BuildMain) on one package cache.
#   bench/example-size-bench.sh [CACHE_DIR]     (default target/bench/cache)
set -eu
cd "$(dirname "$0")/.."
cache=${1:-target/bench/cache}
out=target/bench/example-size
mkdir -p "$out" "$cache"
TMPDIR=$(pwd)/$out
export TMPDIR
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="target/classes:target/test-classes:$(cat target/cp.txt)"
example=src/main/resources/examples/example-pppoe.json
python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); p["ipv6"] = {"enabled": False}; json.dump(p, open(sys.argv[2], "w"))' \
  "$example" "$out/example-ipv6-off.json"
python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); p["slim"] = False; json.dump(p, open(sys.argv[2], "w"))' \
  "$example" "$out/example-stock.json"
for v in "as-shipped $example 3500000" "ipv6-off $out/example-ipv6-off.json 3500000" "stock $out/example-stock.json 7500000"; do
  set -- $v
  budget=$3
  rm -rf "${out:?}/$1"
  start=$(date +%s%N)
  java -cp "$cp" dev.routerstudio.pipeline.BuildMain "$2" "$out/$1" "$cache" > "$out/$1.log" 2>&1
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  bytes=$(sed -n 's/^rootfs.squashfs \([0-9]*\) .*/\1/p' "$out/$1.log")
  echo "example-pppoe $1: rootfs.squashfs $bytes bytes ($((budget - bytes)) under the budget), build $ms ms wall"
done
