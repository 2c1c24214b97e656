#!/bin/sh
# The example image (example-pppoe: tcpdump on PATH) as it is and with a few everyday tools more
# on PATH (nano, less, htop): rootfs.squashfs bytes, and the bytes each tool and its data files add.
#   bench/path-tools-bench.sh [CACHE_DIR]     (default target/bench/cache)
set -eu
cd "$(dirname "$0")/.."
cache=${1:-target/bench/cache}
out=target/bench/path
mkdir -p "$out" "$cache"
TMPDIR=$(pwd)/$out
export TMPDIR
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
cp="target/classes:target/test-classes:$(cat target/cp.txt)"
python3 -c 'import json, sys; p = json.load(open(sys.argv[1])); p["packages"] += ["nano", "less", "htop"]; json.dump(p, open(sys.argv[2], "w"))' \
  src/test/resources/profiles/pppoe.json "$out/pppoe-tools.json"
for v in "pppoe src/test/resources/profiles/pppoe.json" "pppoe+tools $out/pppoe-tools.json"; do
  set -- $v
  rm -rf "$out/$1"
  java -cp "$cp" dev.routerstudio.pipeline.BuildMain "$2" "$out/$1" "$cache" > "$out/$1.log" 2>&1
  echo "$1: rootfs.squashfs $(sed -n 's/^rootfs.squashfs \([0-9]*\) .*/\1/p' "$out/$1.log") bytes"
  grep -E '^size (tcpdump|nano|less|htop|libncursesw6|libtinfo6|libnl-3-200|libnl-genl-3-200|ncurses-base)( data)? ' "$out/$1.log" \
    | awk '{ name = $2; for (i = 3; i < NF; i++) name = name " " $i; printf "  %-22s %9d\n", name, $NF }'
done
