#!/bin/sh
# Runs in the unpacked Debian source tree. Given: CROSS (triplet-), SYSROOT, OUT (install root),
# OPTIONS (the recipe's COPTS), JOBS.
set -eu
make -j"$JOBS" CC="${CROSS}gcc" CFLAGS="-Os -Wall" LDFLAGS="--sysroot=$SYSROOT" COPTS="--sysroot=$SYSROOT $OPTIONS" \
  >build.log 2>&1 || { tail -30 build.log; exit 1; }
install -D -m 0755 src/dnsmasq "$OUT/usr/sbin/dnsmasq"
"${CROSS}strip" --strip-unneeded "$OUT/usr/sbin/dnsmasq"
