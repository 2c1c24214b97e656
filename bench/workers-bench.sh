#!/usr/bin/env bash
# Builds per minute with one worker and with two, on one PostgreSQL, as docs/deployment.md runs
# them: a private cluster under target/bench/workers/pg (as Debian's postgres user when run as
# root), one studio with role "all", then the same plus a second process with role "worker".
# Each round queues N builds of different profiles (no cache hits) and times them to the last.
# Usage: bench/workers-bench.sh [N]      (default 8; builds the jar if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-8}
WORK=$ROOT/target/bench/workers
CACHE=${STUDIO_BUILDS_PACKAGE_CACHE:-$ROOT/target/package-cache}
export TMPDIR=$WORK/tmp
rm -rf "$WORK"
mkdir -p "$WORK" "$TMPDIR" "$CACHE"
mvn -q -B -o -DskipTests package 2>/dev/null || mvn -q -B -DskipTests package

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG=$WORK/pg
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$PG"
[[ $(id -u) -eq 0 ]] && chown postgres: "$PG"
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$PG/data" -U studio --auth=trust --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PG/data" -w -l "$PG/server.log" -o "-p $PGPORT -k $PG -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null

PIDS=()
ADMIN_PASSWORD=bench-admin-password
stop_all() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  PIDS=()
}
cleanup() { stop_all; as_pg "$PGBIN/pg_ctl" -D "$PG/data" -m fast -w stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

node() {  # node ROLE NAME PORT DATABASE: a studio process on the shared data dir
  STUDIO_DATA_DIR=$WORK/data STUDIO_BUILDS_PACKAGE_CACHE=$CACHE STUDIO_ADMIN_PASSWORD=$ADMIN_PASSWORD \
  SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:$PGPORT/$4 SPRING_DATASOURCE_USERNAME=studio \
  STUDIO_NODE_ROLE=$1 STUDIO_NODE_NAME=$2 STUDIO_BUILDS_MAX_QUEUED=100 STUDIO_BUILDS_MAX_QUEUED_PER_USER=100 \
    java -Djava.io.tmpdir="$TMPDIR" -jar target/router-studio.jar --server.port="$3" >"$WORK/$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 180); do curl -sf "http://127.0.0.1:$3/actuator/health" >/dev/null && return; sleep 0.5; done
  echo "node $2 did not start; see $WORK/$2.log" >&2; exit 1
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

round() {  # round WORKERS: queue N builds on a fresh database, print builds per minute
  local workers=$1 db=bench_$1 url=http://127.0.0.1:18180 token t0 ids=() id status done
  as_pg "$PGBIN/createdb" -h "$PG" -p "$PGPORT" -U studio "$db"
  rm -rf "$WORK/data"
  node all alpha 18180 "$db"
  [[ $workers -eq 2 ]] && node worker beta 18181 "$db"
  token=$(curl -sf -u "admin:$ADMIN_PASSWORD" -X POST "$url/api/v1/tokens?name=bench" | json 'd["token"]')
  local auth=(-H "Authorization: Bearer $token")
  local spec; spec=$(curl -sf "${auth[@]}" "$url/api/v1/profiles/example-pppoe/export")
  for i in $(seq 1 "$N"); do
    echo "$spec" | python3 -c "import json,sys; d=json.load(sys.stdin); d['name']='bench-$i'; d['description']='workers bench $i $workers'; d['wan']['password']='secret'; print(json.dumps(d))" \
      | curl -sf "${auth[@]}" -X POST "$url/api/v1/profiles" -H 'Content-Type: application/json' -d @- >/dev/null
  done
  t0=$(date +%s.%N)
  for i in $(seq 1 "$N"); do ids+=("$(curl -sf "${auth[@]}" -X POST "$url/api/v1/profiles/bench-$i/builds" | json 'd["id"]')"); done
  while :; do
    done=0
    for id in "${ids[@]}"; do
      status=$(curl -sf "${auth[@]}" "$url/api/v1/builds/$id" | json 'd["status"]')
      case $status in SUCCEEDED) done=$((done + 1)) ;; FAILED|CANCELLED) echo "build $id $status" >&2; exit 1 ;; esac
    done
    [[ $done -eq $N ]] && break
    sleep 0.5
  done
  local secs; secs=$(python3 -c "import sys,time; print('%.1f' % (time.time() - float(sys.argv[1])))" "$t0")
  local by; by=$(for id in "${ids[@]}"; do curl -sf "${auth[@]}" "$url/api/v1/builds/$id" | json 'd["worker"]'; done | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}')
  echo "$workers worker(s): $N builds in $secs s = $(python3 -c "print('%.1f' % ($N * 60 / $secs))") builds/min (ran on: ${by%, })"
  stop_all
}

echo "workers bench on $(nproc) cores, $N builds of different profiles per round (package cache warm after the first)"
round 1 >/dev/null 2>&1 || true   # warms the package cache and the initramfs cache; not reported
as_pg "$PGBIN/dropdb" -h "$PG" -p "$PGPORT" -U studio bench_1
round 1
round 2
