#!/bin/sh
# A user's peer VM, measured: the suite's x86_64 PPPoE peer (Debian amd64 packages through the
# peer image's steps) built, the size of what its upload sends, and BOOTS boots under TCG timed
# from QEMU's start to "peer: role isp-pppoe ready" (the issue's figure: 11-13 s for accel-ppp).
#   bench/peer-vm-bench.sh [BOOTS]        (default 3; an empty target/x86-peer-images measures a cold build)
set -eu
cd "$(dirname "$0")/.."
boots=${1:-3}
out=target/bench-peer-vm
rm -rf "$out"; mkdir -p "$out/tmp"
TMPDIR=$(pwd)/$out/tmp
export TMPDIR
mvn -q -o test-compile 2>/dev/null || mvn -q test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null 2>&1 || mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
java -Djava.io.tmpdir="$TMPDIR" -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.routerstudio.lab.PeerVmBench \
  "$out" "$(pwd)/target/package-cache" "$boots" 2>&1 | grep -E '^(image|upload|boot)'
