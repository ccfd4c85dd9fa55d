#!/bin/bash
# How should SHA-2 be linked, and what does the static binary cost?
# Size and speed side by side, all measured in this run:
#   - size: the stripped static aarch64 realmvm as built by default
#     (`make ARCH=arm64`, PKEY=0: no `token`, no --corim-key) and with
#     PKEY=1 (the old build, which links EVP's providers for ECDSA and
#     PEM), against lkvm-static; goal <= 2.0 MB;
#   - speed on this host: per-granule SHA-256 and SHA-512 of 64 MiB
#     through EVP (the old path), libcrypto's SHA256_*/SHA512_* (realmvm's
#     path) and nettle (if nettle-dev is installed), as ratios to EVP;
#   - the two static aarch64 builds: their SHA-2 block functions compared
#     instruction by instruction, and, roughly, the same dry run (sha256
#     and sha512) of each under qemu-user, new / old.
#
#   bench/sha-lib.sh [LKVM_STATIC]   (default /work/shared/peers/lkvm-static)
#   QEMU_MIB=16 (the qemu-user dry runs' initrd; 0 leaves them out)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
LKVM=${1:-/work/shared/peers/lkvm-static}
QEMU_MIB=${QEMU_MIB:-16}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# static_build PKEY OUT: `make ARCH=arm64 PKEY=...`, stripped into OUT
# (the warnings of realm-check's static libcrypto link are not ours)
static_build() {
	make -s -C "$ROOT" ARCH=arm64 PKEY="$1" build/arm64/realmvm \
		>/dev/null 2>&1
	cp "$ROOT/build/arm64/realmvm" "$2.unstripped"
	aarch64-linux-gnu-strip -o "$2" "$2.unstripped"
}
# the default last, so that build/arm64/realmvm is left as `make` builds it
static_build 1 "$T/old"
static_build 0 "$T/new"
new=$(stat -c %s "$T/new")
old=$(stat -c %s "$T/old")

echo "size (stripped, static aarch64):"
printf '  %-36s %9d bytes\n' "realmvm (PKEY=0, the default)" "$new"
printf '  %-36s %9d bytes  %s x the default\n' "realmvm PKEY=1 (token, EVP)" \
	"$old" "$(ratio "$old" "$new")"
if [ -f "$LKVM" ]; then
	lk=$(stat -c %s "$LKVM")
	printf '  %-36s %9d bytes  the default is %s x it\n' "lkvm-static" \
		"$lk" "$(ratio "$new" "$lk")"
fi
goal "realmvm stripped, MB" "$(awk -v b="$new" 'BEGIN { printf "%.2f", b / 1e6 }')" \
	2.0 "see the size of each archive member with -Wl,-Map"

echo "speed on this host (per-granule SHA-2 of 64 MiB, best of 7):"
nettle=()
if [ -f /usr/include/nettle/sha2.h ]; then
	nettle=(-DHAVE_NETTLE -lnettle)
fi
cc -O2 -o "$T/sha-lib" "$ROOT/bench/sha-lib.c" "${nettle[@]}" -lcrypto
"$T/sha-lib" 64 >"$T/out"
lib_ms() { awk -v n="$1" -v b="$2" '$1 == n && $2 == b { print $3 }' "$T/out"; }
for bits in 256 512; do
	evp=$(lib_ms EVP "$bits")
	while read -r name b ms; do
		[ "$b" = "$bits" ] || continue
		printf '  %-24s %7.1f ms  %s x EVP\n' "$name SHA-$bits" "$ms" \
			"$(ratio "$ms" "$evp")"
	done <"$T/out"
	goal "SHA${bits}_* vs EVP (realmvm's path vs the old)" \
		"$(ratio "$(lib_ms "SHA${bits}_*" "$bits")" "$evp")" 1.05 \
		"noise: both run libcrypto's same sha${bits} block code"
done

# insns BINARY FUNCTION: FUNCTION's instructions without addresses
insns() {
	aarch64-linux-gnu-objdump -d --no-show-raw-insn "$1" \
		--disassemble="$2" | sed -n "/<$2>:/,/^\$/p" | sed -n '2,$p' |
		sed -E 's/^ *[0-9a-f]+:\s*//; s/<[^>]*>//g; s/[0-9a-f]{5,}//g; s/, #[0-9]+]/]/'
}
echo "the static aarch64 builds' SHA-2 block code (libcrypto's sha256/sha512-armv8):"
for fn in sha256_block_data_order sha512_block_data_order; do
	n=$(insns "$T/new.unstripped" "$fn" | wc -l)
	if [ "$n" -gt 100 ] && cmp -s <(insns "$T/old.unstripped" "$fn") \
		<(insns "$T/new.unstripped" "$fn"); then
		printf '  %-24s %d instructions, the same in both (addresses aside)\n' "$fn" "$n"
	else
		printf '  %-24s DIFFERS between PKEY=1 and PKEY=0 (or is missing)\n' "$fn"
	fi
done

[ "$QEMU_MIB" -gt 0 ] || exit 0
command -v qemu-aarch64-static >/dev/null || {
	echo "(no qemu-aarch64-static: the aarch64 builds' speed is not compared)"
	exit 0
}
echo "speed of the static aarch64 builds under qemu-user, roughly: a dry run"
echo "of a $QEMU_MIB MiB initrd, best of $RUNS interleaved rounds.  Both builds"
echo "hash through the same libcrypto sha256/sha512-armv8 code (SHA256_*/"
echo "SHA512_*, the same instructions as above); qemu emulates the Armv8 SHA"
echo "instructions, so this only shows that nothing around the hashing changed,"
echo "not the speed on a CCA host (the ratio swings 0.85-1.2 from run to run on"
echo "a loaded 2-core machine: qemu and load noise):"
make_payload "$T" "$QEMU_MIB"
run=(run --realm --dry-run --host cca-v10 -m 512M -k "$T/Image" -i "$T/initrd"
     --threads 1)
for alg in sha256 sha512; do
	bench "old-$alg" qemu-aarch64-static "$T/old.unstripped" "${run[@]}" \
		--measurement-algo "$alg"
	bench "new-$alg" qemu-aarch64-static "$T/new.unstripped" "${run[@]}" \
		--measurement-algo "$alg"
done
run_all
for alg in sha256 sha512; do
	printf '  %-24s %7d ms (PKEY=1) %7d ms (PKEY=0)  %s x\n' "dry run, $alg" \
		"${MS[old-$alg]}" "${MS[new-$alg]}" \
		"$(ratio "${MS[new-$alg]}" "${MS[old-$alg]}")"
done
