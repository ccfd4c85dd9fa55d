#!/bin/bash
# How should SHA-2 be linked?  Size and speed side by side:
#   - size: the stripped static aarch64 realmvm (`make ARCH=arm64`) against
#     lkvm-static (goal <= 2.0 MB; the EVP build was 4.08 MB);
#   - speed: per-granule SHA-256 of 64 MiB on this host through EVP (the
#     old path), libcrypto's SHA256_* (realmvm's path now) and nettle (if
#     nettle-dev is installed), as ratios to EVP measured in the same run.
#     The arm64 build links the same libcrypto sha256-armv8 code through
#     SHA256_* as it did through EVP, so it is no slower there either.
#
#   bench/sha-lib.sh [LKVM_STATIC]   (default /work/shared/cca-stack/lkvm-static)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
LKVM=${1:-/work/shared/cca-stack/lkvm-static}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

echo "size (stripped, static aarch64):"
# (the warnings of realm-check's static libcrypto link are not ours)
make -s -C "$ROOT" ARCH=arm64 build/arm64/realmvm >/dev/null 2>&1
aarch64-linux-gnu-strip -o "$T/realmvm" "$ROOT/build/arm64/realmvm"
ours=$(stat -c %s "$T/realmvm")
printf '  %-24s %9d bytes\n' "realmvm" "$ours"
if [ -f "$LKVM" ]; then
	lk=$(stat -c %s "$LKVM")
	printf '  %-24s %9d bytes  realmvm is %s x\n' "lkvm-static" "$lk" \
		"$(ratio "$ours" "$lk")"
fi
goal "realmvm stripped, MB" "$(awk -v b="$ours" 'BEGIN { printf "%.2f", b / 1e6 }')" \
	2.0 "glibc, zlib and libfdt are linked statically too"

echo "speed (per-granule SHA-256 of 64 MiB on this host, best of 7):"
nettle=()
if [ -f /usr/include/nettle/sha2.h ]; then
	nettle=(-DHAVE_NETTLE -lnettle)
fi
cc -O2 -o "$T/sha-lib" "$ROOT/bench/sha-lib.c" "${nettle[@]}" -lcrypto
"$T/sha-lib" 64 >"$T/out"
evp=$(awk '$1 == "EVP" { print $2 }' "$T/out")
while read -r name ms; do
	printf '  %-24s %7.1f ms  %s x EVP\n' "$name" "$ms" "$(ratio "$ms" "$evp")"
done <"$T/out"
goal "SHA256_* vs EVP" "$(ratio "$(awk '$1 == "SHA256_*" { print $2 }' "$T/out")" "$evp")" \
	1.05 "noise: both run libcrypto's same sha256 block code"
