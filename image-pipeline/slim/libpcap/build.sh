#!/bin/sh
# Runs in the unpacked Debian source tree (Debian's shared-lib patch applied). Given: CROSS
# (triplet-), SYSROOT, OUT (install root), OPTIONS (the recipe's configure flags), JOBS.
set -eu
triplet=${CROSS%-}
# shellcheck disable=SC2086
./configure --host="$triplet" --prefix=/usr $OPTIONS CC="${CROSS}gcc --sysroot=$SYSROOT" CFLAGS=-Os \
  >configure.log 2>&1 || { tail -30 config.log; exit 1; }
# Debian's Makefile names the library after debian/changelog's upstream version, SONAME libpcap.so.0.8
make -j"$JOBS" shared >build.log 2>&1 || { tail -30 build.log; exit 1; }
lib=$(ls libpcap.so.1.*)
soname=$("${CROSS}readelf" -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libpcap.so.0.8 ] || { echo "built $lib with SONAME '$soname', not libpcap.so.0.8 (Debian's)"; exit 1; }
install -D -m 0644 "$lib" "$OUT/usr/lib/$triplet/$lib"
"${CROSS}strip" --strip-unneeded "$OUT/usr/lib/$triplet/$lib"
