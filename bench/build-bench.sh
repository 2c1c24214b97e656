#!/usr/bin/env bash
# Measures the image pipeline through the REST API, as a user sees it:
#   warm build of example-pppoe (packages cached), cache hit, squashfs size,
#   byte-identical rebuild in a fresh data dir, and the size breakdown per WAN mode.
# Usage: bench/build-bench.sh            (builds the jar if needed; ~2-4 minutes)
# Prints the figures; copy them into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/target/bench
CACHE=${STUDIO_BUILDS_PACKAGE_CACHE:-$ROOT/target/package-cache}
PORT=${PORT:-18080}
URL=http://127.0.0.1:$PORT
mkdir -p "$WORK" "$CACHE"
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
mvn -q -B -o -DskipTests package 2>/dev/null || mvn -q -B -DskipTests package

PID=
ADMIN_PASSWORD=bench-admin-password
# one secret key for both studios: the spec hash in manifest.json is keyed with it
export STUDIO_SECRET_KEY=$(printf 'router-studio-benchmark-key-0001' | base64)
# and one signing key: manifest.json names it and firmware.tar.minisig is made with it
export STUDIO_SIGNING_KEY=$(printf 'router-studio-bench-signing-0001' | base64)
start() {  # start a studio on a fresh data dir, sharing the package cache; log in with a token
  local data=$1
  rm -rf "$data"
  STUDIO_DATA_DIR=$data STUDIO_BUILDS_PACKAGE_CACHE=$CACHE STUDIO_ADMIN_PASSWORD=$ADMIN_PASSWORD java -Djava.io.tmpdir="$TMPDIR" \
    -jar target/router-studio.jar --server.port=$PORT >"$data.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 120); do command curl -sf "$URL/actuator/health" >/dev/null && break; sleep 0.5; done
  command curl -sf "$URL/actuator/health" >/dev/null || { echo "studio did not start; see $data.log" >&2; exit 1; }
  TOKEN=$(command curl -sf -u "admin:$ADMIN_PASSWORD" -X POST "$URL/api/v1/tokens?name=bench" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
}
curl() { command curl -H "Authorization: Bearer ${TOKEN:-none}" "$@"; }
stop() { [[ -n "$PID" ]] && kill "$PID" && wait "$PID" 2>/dev/null || true; PID=; }
trap stop EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
now() { date +%s.%N; }
since() { python3 -c "import sys,time; print('%.2f' % (time.time() - float(sys.argv[1])))" "$1"; }

build() {  # build PROFILE → prints "build-id seconds", waits for the end
  local t0 id status
  t0=$(now)
  id=$(curl -sf -X POST "$URL/api/v1/profiles/$1/builds" | json 'd["id"]')
  while :; do
    status=$(curl -sf "$URL/api/v1/builds/$id" | json 'd["status"]')
    case $status in SUCCEEDED) break ;; FAILED|CANCELLED) echo "build $id $status: $(curl -sf "$URL/api/v1/builds/$id" | json 'd["error"]')" >&2; exit 1 ;; esac
    sleep 0.1
  done
  echo "$id $(since "$t0")"
}

create() { curl -sf -X POST "$URL/api/v1/profiles" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
lan='"interfaces":{"wan":{"device":"eth0"},"lan":{"device":"eth1","address":"192.168.1.1/24","dhcpRange":{"start":"192.168.1.100","end":"192.168.1.199"}}}'

start "$WORK/data1"
read -r first t_first < <(build example-pppoe)
echo "first build of example-pppoe (package cache at $CACHE): ${t_first} s"
curl -sf -X PUT "$URL/api/v1/profiles/example-pppoe" -H 'Content-Type: application/json' \
  -d "$(curl -sf "$URL/api/v1/profiles/example-pppoe/export" | sed 's/"Home gateway on PPPoE"/"Home gateway on PPPoE (bench)"/')" >/dev/null
read -r warm t_warm < <(build example-pppoe)
echo "warm build of example-pppoe (changed description, packages cached): ${t_warm} s"
t0=$(now); code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/api/v1/profiles/example-pppoe/builds"); t_hit=$(since "$t0")
echo "cache hit (POST build of an unchanged profile): ${t_hit} s, HTTP $code"
report=$(curl -sf "$URL/api/v1/builds/$warm/report")
echo "$report" | json '"rootfs.squashfs: %d bytes; firmware.tar: %d bytes" % (next(a["size"] for a in d["artifacts"] if a["name"]=="rootfs.squashfs"), next(a["size"] for a in d["artifacts"] if a["name"]=="firmware.tar"))'
sums1=$(echo "$report" | json '" ".join(a["name"]+"="+a["sha256"] for a in d["artifacts"])')

for mode in dhcp l2tp static; do
  case $mode in
    dhcp) wan='{"mode":"dhcp"}' ;;
    l2tp) wan='{"mode":"l2tp","server":"203.0.113.1","username":"u","password":"p"}' ;;
    static) wan='{"mode":"static","address":"203.0.113.2/24","gateway":"203.0.113.1","dns":["203.0.113.53"]}' ;;
  esac
  create "{\"name\":\"bench-$mode\",\"hostname\":\"gw\",$lan,\"wan\":$wan,\"services\":[\"dnsmasq\",\"nat\",\"ntp\"]}"
  read -r bid t < <(build "bench-$mode")
  echo "$mode: built in $t s; $(curl -sf "$URL/api/v1/builds/$bid/report" | json '"rootfs.squashfs %d bytes; biggest packages: %s" % (next(a["size"] for a in d["artifacts"] if a["name"]=="rootfs.squashfs"), ", ".join("%s %.0f KiB" % (s["name"], s["bytes"]/1024) for s in sorted(d["sizeByPackage"], key=lambda s: -s["bytes"])[:5]))')"
done
stop

# Reproducibility: the same spec in a fresh studio (same package cache) gives the same bytes.
start "$WORK/data2"
curl -sf -X PUT "$URL/api/v1/profiles/example-pppoe" -H 'Content-Type: application/json' \
  -d "$(curl -sf "$URL/api/v1/profiles/example-pppoe/export" | sed 's/"Home gateway on PPPoE"/"Home gateway on PPPoE (bench)"/; s/"username" : "user@isp"/"username" : "user@isp", "password" : "secret"/')" >/dev/null
read -r again _ < <(build example-pppoe)
sums2=$(curl -sf "$URL/api/v1/builds/$again/report" | json '" ".join(a["name"]+"="+a["sha256"] for a in d["artifacts"])')
if [[ "$sums1" == "$sums2" ]]; then echo "rebuild in a fresh data dir: byte-identical (all artifacts)"; else
  echo "rebuild in a fresh data dir differs:"; echo "  $sums1"; echo "  $sums2"; fi
