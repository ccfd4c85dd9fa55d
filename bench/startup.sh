#!/bin/bash
# Start-up benchmark of realmvm on real KVM, inside the emulated arm64
# host of the nested tests (tests/nested/lib.sh).  Prints, per run, the
# time from realmvm's start to the first KVM_RUN and to the L2 Linux init
# marker, and realmvm's resident memory apart from guest RAM.  Figures
# are for emulated hardware (QEMU TCG on x86): compare them with each
# other, not with a real arm64 server.
#
#   bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
export NESTED_BUILD=${NESTED_BUILD:-$PWD/build/nested-bench}
export NESTED_LOG=$NESTED_BUILD/l1-console.log
export NESTED_KEYS="bench=1 benchruns=${1:-3}"
export NESTED_EXTRA_STEPS=$PWD/bench/l1-bench.sh
# shellcheck source=../tests/nested/lib.sh
. tests/nested/lib.sh

reason=$(nested_impossible)
if [ -n "$reason" ]; then
	echo "bench: cannot run nested KVM here: $reason" >&2
	exit 1
fi
nested_prepare_and_boot
if ! grep -q '^REALMVM-L1 kvm' "$NESTED_LOG"; then
	echo "bench: the emulated host has no KVM (see $NESTED_LOG)" >&2
	exit 1
fi
tr -d '\r' <"$NESTED_LOG" | grep '^BENCH' | sed 's/^BENCH //'

# Summary: medians over the Linux runs.
tr -d '\r' <"$NESTED_LOG" | awk '
/^BENCH linux .* ms launch$/ { for (i = 1; i <= NF; i++) if ($i == "ms") l = $(i - 1) }
/^BENCH linux .*first KVM_RUN/ { for (i = 1; i <= NF; i++) if ($i == "ms") { kvm[nk] = $(i - 1); setup[nk++] = $(i - 1) - l } }
/^BENCH linux .*init_marker_ms=/ { for (i = 1; i <= NF; i++) if ($i ~ /^init_marker_ms=/) { split($i, a, "="); init[ni++] = a[2] } }
/^BENCH demo .*realmvm itself/ { for (i = 1; i <= NF; i++) if ($i == "itself") rss = $(i + 1) }
function median(arr, n,    i, j, t) {
	for (i = 0; i < n; i++) for (j = i + 1; j < n; j++)
		if (arr[j] + 0 < arr[i] + 0) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
	return n ? arr[int((n - 1) / 2)] : "n/a"
}
END {
	printf "summary: start->first KVM_RUN %s ms (median of %d)\n", median(kvm, nk), nk
	printf "summary: of which VM, vGIC and vCPU set-up %s ms (launch->first KVM_RUN; the rest is loading the payload)\n", median(setup, nk)
	printf "summary: start->L2 init marker %s ms (median of %d, 10 ms resolution)\n", median(init, ni), ni
	printf "summary: realmvm RSS apart from guest RAM %s KiB (demo guest)\n", rss
}'
