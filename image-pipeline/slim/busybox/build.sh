#!/bin/sh
# Runs in the unpacked Debian source tree. Given: CROSS (triplet-), SYSROOT, OUT (install root),
# RECIPE (prefix of this folder's files), JOBS.
set -eu
# Debian's static flavour's applets and features, but linked against the image's libc: a static
# glibc of its own would be some 700 KB.
cp debian/config/pkg/static .config
# Config symbol of each applet, from the //applet: lines of the sources.
grep -rhoE '^//applet:IF_[A-Z0-9_]+\( *(IF_[A-Z0-9_]+\( *)*APPLET[A-Z_]*\( *[^, ]+ *,' --include='*.c' --exclude-dir=.pc . \
  | sed -E 's#^//applet:IF_([A-Z0-9_]+)\( *(IF_[A-Z0-9_]+\( *)*APPLET[A-Z_]*\( *([^, ]+) *,#\1 \3#' | sort -u >applet-symbols
keep=$(grep -v '^#' "${RECIPE}applets" | tr -s ' \n' '\n' | grep -v '^$')
# A symbol goes when none of its applets is kept.
awk -v keep="$keep" 'BEGIN { n = split(keep, k, "\n"); for (i = 1; i <= n; i++) want[k[i]] = 1 }
  { if ($2 in want) kept[$1] = 1; else seen[$1] = 1 }
  END { for (s in seen) if (!(s in kept)) print s }' applet-symbols | sort >off-symbols
while read -r sym; do
  sed -i "s/^CONFIG_${sym}=y\$/# CONFIG_${sym} is not set/" .config
done <off-symbols
sed -i -e "s#^CONFIG_CROSS_COMPILER_PREFIX=.*#CONFIG_CROSS_COMPILER_PREFIX=\"$CROSS\"#" \
  -e "s#^CONFIG_SYSROOT=.*#CONFIG_SYSROOT=\"$SYSROOT\"#" \
  -e "s#^CONFIG_EXTRA_CFLAGS=.*#CONFIG_EXTRA_CFLAGS=\"-Os\"#" \
  -e "s#^CONFIG_STATIC=y#\# CONFIG_STATIC is not set#" .config
yes '' | make oldconfig >/dev/null
make -j"$JOBS" busybox >build.log 2>&1 || { tail -30 build.log; exit 1; }
install -D -m 0755 busybox "$OUT/bin/busybox"
"${CROSS}strip" --strip-all "$OUT/bin/busybox"
