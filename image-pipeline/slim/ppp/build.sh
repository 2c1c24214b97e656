#!/bin/sh
# Runs in the unpacked Debian source tree. Given: CROSS (triplet-), SYSROOT, OUT (install root),
# OPTIONS (the recipe's make variables), JOBS.
set -eu
flags="-Os --sysroot=$SYSROOT"
./configure --prefix=/usr --cc=gcc --cross_compile="$CROSS" >/dev/null
# shellcheck disable=SC2086
make -C pppd -j"$JOBS" COPTS="$flags" LDFLAGS="--sysroot=$SYSROOT" $OPTIONS pppd
for plugin in pppoe pppol2tp; do
  # The plugins see pppd.h with the same switches as pppd (MPPE, USE_EAPTLS change its layout).
  make -C pppd/plugins/$plugin -j"$JOBS" COPTS="$flags -fPIC" LDFLAGS="--sysroot=$SYSROOT" MPPE= USE_EAPTLS= $plugin.so
done
install -D -m 0755 pppd/pppd "$OUT/usr/sbin/pppd"
install -D -m 0644 pppd/plugins/pppoe/pppoe.so "$OUT/usr/lib/pppd/2.4.9/pppoe.so"
install -D -m 0644 pppd/plugins/pppol2tp/pppol2tp.so "$OUT/usr/lib/pppd/2.4.9/pppol2tp.so"
"${CROSS}strip" --strip-unneeded "$OUT/usr/sbin/pppd" "$OUT"/usr/lib/pppd/2.4.9/*.so
