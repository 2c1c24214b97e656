#!/usr/bin/env bash
# Stock vs slim (image-pipeline/slim/) per WAN mode, through the REST API: each mode's profile
# (example-pppoe, and dhcp/l2tp/static as bench/build-bench.sh makes them) built with "slim": false
# and with slim on, rootfs.squashfs sizes side by side; then the cold time of the recipes (the
# slim/ cache emptied) and a warm build.
# Usage: bench/slim-bench.sh   (builds the jar if needed; a few minutes, most of it the cold compile)
# Prints the figures; copy them into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/target/bench-slim
CACHE=${STUDIO_BUILDS_PACKAGE_CACHE:-$ROOT/target/package-cache}
PORT=${PORT:-18081}
URL=http://127.0.0.1:$PORT
mkdir -p "$WORK" "$CACHE"
export TMPDIR=$WORK/tmp
mkdir -p "$TMPDIR"
mvn -q -B -o -DskipTests package 2>/dev/null || mvn -q -B -DskipTests package

PID=
ADMIN_PASSWORD=bench-admin-password
export STUDIO_SECRET_KEY=$(printf 'router-studio-benchmark-key-0001' | base64)
start() {
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
since() { python3 -c "import sys,time; print('%.1f' % (time.time() - float(sys.argv[1])))" "$1"; }
build() {  # build PROFILE → prints "build-id seconds"
  local t0 id status
  t0=$(now)
  id=$(curl -sf -X POST "$URL/api/v1/profiles/$1/builds" | json 'd["id"]')
  while :; do
    status=$(curl -sf "$URL/api/v1/builds/$id" | json 'd["status"]')
    case $status in SUCCEEDED) break ;; FAILED|CANCELLED) echo "build $id $status: $(curl -sf "$URL/api/v1/builds/$id" | json 'd["error"]')" >&2; exit 1 ;; esac
    sleep 0.2
  done
  echo "$id $(since "$t0")"
}
rootfs() { curl -sf "$URL/api/v1/builds/$1/report" | json 'next(a["size"] for a in d["artifacts"] if a["name"]=="rootfs.squashfs")'; }
put() {  # put NAME SPEC
  curl -sf -X PUT "$URL/api/v1/profiles/$1" -H 'Content-Type: application/json' -d "$2" >/dev/null \
    || curl -sf -X POST "$URL/api/v1/profiles" -H 'Content-Type: application/json' -d "$2" >/dev/null
}
lan='"interfaces":{"wan":{"device":"eth0"},"lan":{"device":"eth1","address":"192.168.1.1/24","dhcpRange":{"start":"192.168.1.100","end":"192.168.1.199"}}}'
example=$(cat src/main/resources/examples/example-pppoe.json)
spec() {  # spec MODE SLIM
  local body
  case $1 in
    pppoe) body=${example%\}*} ;;
    dhcp) body="{\"name\":\"bench-dhcp\",\"hostname\":\"gw\",$lan,\"wan\":{\"mode\":\"dhcp\"},\"services\":[\"dnsmasq\",\"nat\",\"ntp\"]" ;;
    l2tp) body="{\"name\":\"bench-l2tp\",\"hostname\":\"gw\",$lan,\"wan\":{\"mode\":\"l2tp\",\"server\":\"203.0.113.1\",\"username\":\"u\",\"password\":\"p\"},\"services\":[\"dnsmasq\",\"nat\",\"ntp\"]" ;;
    static) body="{\"name\":\"bench-static\",\"hostname\":\"gw\",$lan,\"wan\":{\"mode\":\"static\",\"address\":\"203.0.113.2/24\",\"gateway\":\"203.0.113.1\",\"dns\":[\"203.0.113.53\"]},\"services\":[\"dnsmasq\",\"nat\",\"ntp\"]" ;;
  esac
  echo "$body,\"slim\":$2}"
}
name() { [[ $1 == pppoe ]] && echo example-pppoe || echo "bench-$1"; }

# Cold: the slim rebuilds are compiled (sources, sysroot and .deb files stay in the cache).
rm -rf "$CACHE/slim"
start "$WORK/data"
put example-pppoe "$(spec pppoe true)"
read -r _ t_cold < <(build example-pppoe)
echo "cold build of example-pppoe (every slim recipe compiled): $t_cold s"
put example-pppoe "$(spec pppoe true | sed 's/"Home gateway on PPPoE"/"Home gateway on PPPoE (warm)"/')"
read -r _ t_warm < <(build example-pppoe)
echo "warm build of example-pppoe (slim rebuilds from the cache): $t_warm s"
echo "| WAN mode | stock (\"slim\": false) | slim | saved |"
echo "|---|---|---|---|"
for mode in pppoe dhcp l2tp static; do
  put "$(name $mode)" "$(spec $mode false)"
  read -r stock _ < <(build "$(name $mode)")
  put "$(name $mode)" "$(spec $mode true)"
  read -r slim _ < <(build "$(name $mode)")
  s=$(rootfs "$stock"); l=$(rootfs "$slim")
  echo "| $mode | $s | $l | $((s - l)) |"
done
