#!/bin/sh
# Runs in the unpacked Debian source tree. Given: CROSS (triplet-), SYSROOT, OUT (install root),
# OPTIONS (the recipe's configure flags), JOBS.
set -eu
triplet=${CROSS%-}
# shellcheck disable=SC2086
./configure --host="$triplet" --prefix=/usr $OPTIONS CC="${CROSS}gcc --sysroot=$SYSROOT" CFLAGS=-Os PKG_CONFIG=pkg-config \
  PKG_CONFIG_LIBDIR="$SYSROOT/usr/lib/$triplet/pkgconfig:$SYSROOT/usr/share/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$SYSROOT" \
  >configure.log 2>&1 || { tail -30 config.log; exit 1; }
make -j"$JOBS" tcpdump >build.log 2>&1 || { tail -30 build.log; exit 1; }
install -D -m 0755 tcpdump "$OUT/usr/bin/tcpdump"
"${CROSS}strip" --strip-unneeded "$OUT/usr/bin/tcpdump"
