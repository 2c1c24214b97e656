#!/bin/sh
# Manual check of service outputs without any peer VM: router B (any bundle with dnsmasq on its
# LAN) hands a DHCP lease to router A's WAN (a dhcp-mode bundle) over a unix-socket stream.
# Then A's wan.dhcpc is restarted and its dependents must be re-run (default route, nat).
#   bench/two-routers-dhcp.sh UPSTREAM_BUNDLE_DIR DHCP_BUNDLE_DIR OUT_DIR
# Everything stays inside QEMU; consoles are logged with timestamps to OUT_DIR.
set -eu
up=$1
down=$2
out=$3
mkdir -p "$out/net" "$out/tmp"
rm -f "$out/net/lan.sock" "$out/net/spare.sock"
TMPDIR=$(cd "$out/tmp" && pwd)
export TMPDIR
sock=$(cd "$out/net" && pwd)/lan.sock
stamp() { perl -MTime::HiRes=time -ne 'BEGIN{$s=time} printf "%6.2f %s", time-$s, $_'; }

# Router B: eth0 unused (listening, nobody connects), eth1 = LAN side, listening on $sock.
sleep 95 | timeout 100 "$up/run-qemu.sh" \
  -netdev "stream,id=b0,server=on,addr.type=unix,addr.path=$out/net/spare.sock" -device pcnet,netdev=b0,mac=52:54:00:00:03:01,romfile= \
  -netdev "stream,id=b1,server=on,addr.type=unix,addr.path=$sock" -device pcnet,netdev=b1,mac=52:54:00:00:03:02,romfile= \
  2>&1 | stamp > "$out/upstream.log" &
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

# Router A: eth0 = WAN, connected to B's LAN.
{
  sleep 30
  printf '%s\n' 'echo MARK1; ls -a /run/services/state; for f in /run/services/outputs/wan.dhcpc/*; do echo "$f=$(cat $f)"; done; ip route; nft list ruleset; cat /run/resolv.conf'
  sleep 6
  printf '%s\n' 'echo MARK2; s6-svc -r /run/service/wan.dhcpc; sleep 10; echo MARK3; ls /run/services/state; cat /run/services/outputs/wan.dhcpc/ip; ip route; nft list ruleset | head -4'
  sleep 16
  echo poweroff
  sleep 10
} | WAN_SOCKET=$sock timeout 75 "$down/run-qemu.sh" 2>&1 | stamp > "$out/downstream.log"
wait
