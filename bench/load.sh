#!/bin/bash
# How should a dry run get the kernel and initrd into guest memory before
# hashing them?  Compares, in one run and against `openssl dgst -sha256`
# of the same bytes:
#   map   the file mapped read-only over its place (MAP_POPULATE, 4 KiB
#         page-cache pages; the default for dry runs)
#   read  pread() into anonymous guest RAM (MADV_HUGEPAGE, so 2 MiB pages
#         where THP allows; what a launch must do, since the guest must
#         not see later changes to the file)
# Page-cache file mappings cannot use huge pages on ext4 here, so "huge-
# page mapping" is the read variant.  The faster one should be the default
# (vmm/boot.c map_files()).  REALMVM_DRYRUN_LOAD selects it.
#
#   bench/load.sh [REALMVM]     SIZE_MIB=64 RUNS=5
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
REALMVM=${1:-${REALMVM:-$ROOT/realmvm}}
SIZE_MIB=${SIZE_MIB:-64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

make_payload "$T" "$SIZE_MIB"
mem=$(((SIZE_MIB + 64) * 2))
((mem < 512)) && mem=512
run=(run --realm --dry-run -m "${mem}M" -k "$T/Image" -i "$T/initrd")
echo "THP: $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null)"

bench ossl openssl dgst -sha256 "$T/initrd"
for how in map read; do
	for th in 1 $(nproc); do
		bench "$how-$th" env REALMVM_DRYRUN_LOAD=$how "$REALMVM" \
			"${run[@]}" --threads "$th"
		bench "$how-$th-log" env REALMVM_DRYRUN_LOAD=$how "$REALMVM" \
			"${run[@]}" --threads "$th" --log-out "$T/log"
	done
done
run_all

echo "$SIZE_MIB MiB initrd, best of $RUNS interleaved rounds"
printf '%-36s %6d ms\n' "openssl dgst -sha256 (baseline)" "${MS[ossl]}"
for th in 1 $(nproc); do
	for log in "" -log; do
		m=${MS[map-$th$log]} r=${MS[read-$th$log]}
		printf '%-36s map %5d ms %s x  read %5d ms %s x  -> %s\n' \
			"$th thread(s)${log:+, --log-out}" \
			"$m" "$(ratio "$m" "${MS[ossl]}")" \
			"$r" "$(ratio "$r" "${MS[ossl]}")" \
			"$( ((m <= r)) && echo map || echo read)"
	done
done
