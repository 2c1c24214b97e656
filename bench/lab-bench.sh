#!/usr/bin/env bash
# Measures a lab as a user sees it: builds the example PPPoE profile (packages cached), then
# boots it through the REST API and times the console, the WAN check and all checks, and the
# console latency to 10 viewers (bench/lab-bench.py). Prints the figures for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/target/bench-lab
CACHE=${STUDIO_BUILDS_PACKAGE_CACHE:-$ROOT/target/package-cache}
PORT=${PORT:-18082}
URL=http://127.0.0.1:$PORT
rm -rf "$WORK"; mkdir -p "$WORK/tmp" "$CACHE"
export TMPDIR=$WORK/tmp
mvn -q -B -o -DskipTests package 2>/dev/null || mvn -q -B -DskipTests package
STUDIO_DATA_DIR=$WORK/data STUDIO_BUILDS_PACKAGE_CACHE=$CACHE STUDIO_ADMIN_PASSWORD=bench-admin-password \
  java -Djava.io.tmpdir="$TMPDIR" -jar target/router-studio.jar --server.port=$PORT >"$WORK/studio.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$URL/actuator/health" >/dev/null && break; sleep 0.5; done
TOKEN=$(curl -sf -u admin:bench-admin-password -X POST "$URL/api/v1/tokens?name=bench" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
BUILD=$(curl -sf -H "Authorization: Bearer $TOKEN" -X POST "$URL/api/v1/profiles/example-pppoe/builds" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
until [[ $(curl -sf -H "Authorization: Bearer $TOKEN" "$URL/api/v1/builds/$BUILD" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])') == SUCCEEDED ]]; do sleep 0.5; done
sleep 5  # let the peer image warm-up finish, as it would on a studio that has been up a while
python3 bench/lab-bench.py "$URL" "$TOKEN" "$BUILD"
