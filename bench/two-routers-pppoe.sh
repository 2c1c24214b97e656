#!/bin/sh
# Manual PPPoE check with two studio-built routers: router B (an image whose profile adds the
# "pppoe" package, /etc/ppp/pap-secrets and /etc/ppp/pppoe-server-options, and has ppp_async)
# runs rp-pppoe's pppoe-server on its LAN; router A (a pppoe-mode bundle) dials it over a
# unix-socket stream. Then A's pppd is killed: s6 restarts it, it reconnects, and the default
# route and NAT must come back through the outputs. Until the peer VMs of the next issue exist.
#   bench/two-routers-pppoe.sh AC_BUNDLE_DIR PPPOE_BUNDLE_DIR OUT_DIR
set -eu
ac=$1
client=$2
out=$3
mkdir -p "$out/net" "$out/tmp"
rm -f "$out/net/"*.sock
TMPDIR=$(cd "$out/tmp" && pwd)
export TMPDIR
sock=$(cd "$out/net" && pwd)/access.sock
stamp() { perl -MTime::HiRes=time -ne 'BEGIN{$|=1; $s=time} printf "%6.2f %s", time-$s, $_'; }
# wait_for FILE TEXT SECONDS: the console log shows TEXT (the machine may be slow or shared).
wait_for() { n=0; until grep -q "$2" "$1" 2>/dev/null || [ $n -ge "$3" ]; do sleep 1; n=$((n + 1)); done; }

{
  wait_for "$out/ac.log" "built-in shell" 120
  sleep 2
  echo 'pppoe-server -I eth1 -L 10.0.0.1 -R 10.0.0.100 -N 4 -O /etc/ppp/pppoe-server-options; echo AC-STARTED'
  wait_for "$out/client.log" "MARK3" 200
  sleep 3
  echo poweroff
  sleep 8
} | timeout 240 "$ac/run-qemu.sh" \
  -netdev "stream,id=b0,server=on,addr.type=unix,addr.path=$out/net/spare.sock" -device pcnet,netdev=b0,mac=52:54:00:00:03:01,romfile= \
  -netdev "stream,id=b1,server=on,addr.type=unix,addr.path=$sock" -device pcnet,netdev=b1,mac=52:54:00:00:03:02,romfile= \
  2>&1 | stamp > "$out/ac.log" &
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

{
  wait_for "$out/client.log" "local  IP address" 120
  sleep 8
  printf '%s\n' 'echo MARK1; ls /run/services/state; for f in /run/services/outputs/wan.link.pppoe/*; do echo "$f=$(cat $f)"; done; ip route; nft list ruleset | grep oifname; cat /run/resolv.conf'
  sleep 5
  printf '%s\n' 'echo MARK2; s6-svc -k /run/service/wan.link.pppoe; sleep 1; ip route; ls /run/services/outputs'
  sleep 3
  wait_for "$out/client.log" "local  IP address 10.0.0.101" 60
  sleep 8
  printf '%s\n' 'echo MARK3; ls /run/services/state; cat /run/services/outputs/wan.link.pppoe/address; ip route; nft list ruleset | grep oifname'
  sleep 5
  echo poweroff
  sleep 8
} | WAN_SOCKET=$sock timeout 220 "$client/run-qemu.sh" 2>&1 | stamp > "$out/client.log"
wait
