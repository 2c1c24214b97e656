#!/bin/sh
# Boot a Router Studio firmware bundle (the unpacked firmware.tar) under QEMU, console on stdio.
#   ./run-qemu.sh                  no network cards
#   WAN_SOCKET=/path/access.sock LAN_SOCKET=/path/lan.sock ./run-qemu.sh
#                                  pcnet cards on unix-socket streams (start the listening side first);
#                                  the WAN card is eth0, the LAN card eth1
# Extra arguments are passed to qemu-system-mipsel after the cards. Guest traffic never reaches
# the host's network: there is no user-mode networking, only the sockets you name.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
: "${TMPDIR:=$here/tmp}"
mkdir -p "$TMPDIR"
export TMPDIR
wan=""
lan=""
if [ -n "${WAN_SOCKET:-}" ]; then
  wan="-netdev stream,id=wan,server=off,addr.type=unix,addr.path=$WAN_SOCKET -device pcnet,netdev=wan,mac=52:54:00:00:01:01,romfile="
fi
if [ -n "${LAN_SOCKET:-}" ]; then
  lan="-netdev stream,id=lan,server=off,addr.type=unix,addr.path=$LAN_SOCKET -device pcnet,netdev=lan,mac=52:54:00:00:02:01,romfile="
fi
# $wan and $lan are unquoted on purpose: each is a list of arguments (socket paths without blanks).
# shellcheck disable=SC2086
exec qemu-system-mipsel -M malta -m 256 \
  -kernel "$here/vmlinuz" -initrd "$here/initramfs.cpio.xz" \
  -append "console=ttyS0 panic=1 root=/dev/sda" \
  -drive "file=$here/rootfs.squashfs,if=ide,format=raw,snapshot=on" \
  -display none -vga none -monitor none -no-reboot -nic none $wan $lan \
  -serial stdio "$@"
