#!/bin/bash
# Is a dry run linear in the initrd's size, up to the 2 GiB initrds the
# layout now accepts?  For each size, times the dry run without the log
# (the default) and with it (--log-out) on N threads, against `openssl
# dgst -sha256` of the same bytes in the same rounds, and prints ms per
# MiB and the ratio.  Goal (issue 13): the same ratios from 16 MiB up,
# i.e. no size-dependent cost on top of hashing.
#
#   bench/linear.sh [REALMVM]    SIZES="16 64 256 2048" RUNS=3
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
REALMVM=${1:-${REALMVM:-$ROOT/realmvm}}
SIZES=${SIZES:-16 64 256 2048}
RUNS=${RUNS:-3}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
threads=$(nproc)

printf '%8s %10s %10s %8s %10s %8s %10s\n' MiB "openssl" "default" "x" \
	"--log-out" "x" "ms/MiB"
first=''
for mib in $SIZES; do
	make_payload "$T" "$mib"
	mem=$(((mib + 256) / 256 * 512 + 512))
	run=(run --realm --dry-run -m "${mem}M" -k "$T/Image" -i "$T/initrd"
	     --threads "$threads")
	bench ossl openssl dgst -sha256 "$T/initrd"
	bench def "$REALMVM" "${run[@]}"
	bench log "$REALMVM" "${run[@]}" --log-out "$T/log"
	MS=()
	run_all
	rd=$(ratio "${MS[def]}" "${MS[ossl]}")
	rl=$(ratio "${MS[log]}" "${MS[ossl]}")
	printf '%8d %7d ms %7d ms %8s %7d ms %8s %10s\n' "$mib" "${MS[ossl]}" \
		"${MS[def]}" "$rd" "${MS[log]}" "$rl" \
		"$(awk -v a="${MS[log]}" -v m="$mib" 'BEGIN { printf "%.2f", a / m }')"
	[ -n "$first" ] || first="$rd $rl"
	last="$rd $rl"
	rm -f "$T/initrd"
done
read -r fd fl <<<"$first"
read -r ld ll <<<"$last"
echo "goal: the largest size keeps the smallest size's ratios"
goal "default, largest vs smallest" "$(ratio "$ld" "$fd")" 1.1 \
	"per-size overheads (granule list, page tables) or a loaded machine"
goal "--log-out, largest vs smallest" "$(ratio "$ll" "$fl")" 1.1 \
	"per-size overheads (granule list, page tables) or a loaded machine"
