#!/bin/bash
# How fast does a realm dry run predict a RIM?  Hashes a 64 MiB random
# initrd with `realmvm run --realm --dry-run` on one thread and on all
# threads, and compares with `openssl dgst -sha256` over the same bytes in
# the same run (the RIM needs one SHA-256 per 4 KiB granule plus a chained
# 256-byte descriptor hash, so openssl is a floor for one thread).  With
# the event log (the default) the initrd is hashed a second time, whole,
# for the log's digest of the file; --no-measurement-log shows the RIM
# work alone.
# Prints timings and ratios; it judges nothing.
#
#   bench/dryrun.sh [REALMVM]      (default ./realmvm; best of 3 runs each)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REALMVM=${1:-${REALMVM:-$ROOT/realmvm}}
RUNS=3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# make_image FILE SIZE: a synthetic arm64 Image
# shellcheck source=../tests/bats/fixtures.bash
source "$ROOT/tests/bats/fixtures.bash"
make_image "$T/Image" $((1 << 20))
head -c $((64 << 20)) /dev/urandom >"$T/initrd"
# warm the page cache so that the first timed run is not a disk benchmark
cat "$T/initrd" "$T/Image" >/dev/null

now_ns() { date +%s%N; }

# best_ms CMD...: the fastest of RUNS runs, in milliseconds.
best_ms() {
	local best='' i t0 t1 ms
	for ((i = 0; i < RUNS; i++)); do
		t0=$(now_ns)
		"$@" >/dev/null
		t1=$(now_ns)
		ms=$(((t1 - t0) / 1000000))
		if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then
			best=$ms
		fi
	done
	echo $((best > 0 ? best : 1))
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

threads=$(nproc)
((threads > 64)) && threads=64
run_args=(run --realm --dry-run -m 512 -k "$T/Image" -i "$T/initrd")

ossl=$(best_ms openssl dgst -sha256 "$T/initrd")
one=$(best_ms "$REALMVM" "${run_args[@]}" --threads 1)
all=$(best_ms "$REALMVM" "${run_args[@]}" --threads "$threads")
one_nolog=$(best_ms "$REALMVM" "${run_args[@]}" --threads 1 \
	--no-measurement-log)
all_nolog=$(best_ms "$REALMVM" "${run_args[@]}" --threads "$threads" \
	--no-measurement-log)

echo "64 MiB initrd, best of $RUNS runs"
printf '%-34s %6d ms\n' "openssl dgst -sha256" "$ossl"
printf '%-34s %6d ms  %s x openssl\n' "realmvm dry run, 1 thread" \
	"$one" "$(ratio "$one" "$ossl")"
printf '%-34s %6d ms  %s x openssl, %s x 1 thread\n' \
	"realmvm dry run, $threads threads" "$all" \
	"$(ratio "$all" "$ossl")" "$(ratio "$all" "$one")"
printf '%-34s %6d ms  %s x openssl\n' "  no event log, 1 thread" \
	"$one_nolog" "$(ratio "$one_nolog" "$ossl")"
printf '%-34s %6d ms  %s x openssl\n' "  no event log, $threads threads" \
	"$all_nolog" "$(ratio "$all_nolog" "$ossl")"
