#!/bin/sh
# Manual L2TP check with two studio-built routers: router B (an l2tp-mode image with dnsmasq on
# its LAN and profile files /etc/xl2tpd/lns.conf, /etc/ppp/options.lns, /etc/ppp/pap-secrets)
# runs xl2tpd as LNS; router A (an l2tp-mode bundle whose server is B's LAN address) gets its
# underlay by DHCP from B, then dials L2TP. Until the peer VMs of the next issue exist.
#   bench/two-routers-l2tp.sh LNS_BUNDLE_DIR L2TP_BUNDLE_DIR OUT_DIR
set -eu
lns=$1
client=$2
out=$3
mkdir -p "$out/net" "$out/tmp"
rm -f "$out/net/"*.sock
TMPDIR=$(cd "$out/tmp" && pwd)
export TMPDIR
sock=$(cd "$out/net" && pwd)/access.sock
stamp() { perl -MTime::HiRes=time -ne 'BEGIN{$|=1; $s=time} printf "%6.2f %s", time-$s, $_'; }
wait_for() { n=0; until grep -q "$2" "$1" 2>/dev/null || [ $n -ge "$3" ]; do sleep 1; n=$((n + 1)); done; }

{
  wait_for "$out/lns.log" "built-in shell" 120
  sleep 2
  echo 'mkdir -p /run/xl2tpd; xl2tpd -D -c /etc/xl2tpd/lns.conf -p /run/xl2tpd/lns.pid -C /run/xl2tpd/lns-control & echo LNS-STARTED'
  wait_for "$out/client.log" "MARK2" 200
  sleep 3
  echo poweroff
  sleep 8
} | timeout 240 "$lns/run-qemu.sh" \
  -netdev "stream,id=b0,server=on,addr.type=unix,addr.path=$out/net/spare.sock" -device pcnet,netdev=b0,mac=52:54:00:00:03:01,romfile= \
  -netdev "stream,id=b1,server=on,addr.type=unix,addr.path=$sock" -device pcnet,netdev=b1,mac=52:54:00:00:03:02,romfile= \
  2>&1 | stamp > "$out/lns.log" &
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

{
  wait_for "$out/client.log" "built-in shell" 120
  sleep 1
  # The console line is stamped when ppp0's outputs exist (pppd under xl2tpd logs nowhere visible).
  printf '%s\n' 'while [ ! -e /run/services/outputs/wan.l2tp/ifname ]; do sleep 0.2; done; echo L2TP-UP'
  wait_for "$out/client.log" "^ *[0-9.]* L2TP-UP" 120
  sleep 5
  printf '%s\n' 'echo MARK1; ls /run/services/state; for f in /run/services/outputs/*/*; do echo "$f=$(cat $f)"; done; ip route; nft list ruleset | grep oifname; cat /run/resolv.conf'
  sleep 6
  printf '%s\n' 'echo MARK2'
  sleep 3
  echo poweroff
  sleep 8
} | WAN_SOCKET=$sock timeout 220 "$client/run-qemu.sh" 2>&1 | stamp > "$out/client.log"
wait
