#!/bin/bash
# How fast does a realm dry run predict a RIM, and `log verify` check it?
# Times, on a random initrd (64 MiB unless SIZE_MIB says otherwise), each
# against `openssl dgst -sha256` of the same bytes measured in the same
# run, and checks the goals of issue 13:
#   - the event log on (--log-out, which needs every blob's whole digest
#     beside the RIM's granule digests): <= 2.1x on one thread (two
#     digests per byte is the floor), <= 1.1x on two;
#   - no event log work (the default dry run, which builds no log without
#     --log-out, and --no-measurement-log): <= 1.05x on one thread,
#     <= 0.6x on two where a second core is free;
#   - log verify: <= 1.2x the dry run with the log.
# Best of RUNS (5) rounds, every command once per round so that all see
# the same load: the machine is shared, figures are noisy.
#
#   bench/dryrun.sh [REALMVM]     SIZE_MIB=64 RUNS=5 THREADS=$(nproc)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
REALMVM=${1:-${REALMVM:-$ROOT/realmvm}}
SIZE_MIB=${SIZE_MIB:-64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

make_payload "$T" "$SIZE_MIB"
threads=${THREADS:-$(nproc)}
((threads > 64)) && threads=64
mem=$(((SIZE_MIB + 64) * 2))
mem=$(((mem + 1) / 2 * 2))
((mem < 512)) && mem=512
run=(run --realm --dry-run -m "${mem}M" -k "$T/Image" -i "$T/initrd")
"$REALMVM" "${run[@]}" --log-out "$T/log" --dtb-out "$T/dtb" >/dev/null

load0=$(loadavg)
bench ossl openssl dgst -sha256 "$T/initrd"
bench ossl2 both_ms "$T/initrd"
bench def1 "$REALMVM" "${run[@]}" --threads 1
bench defn "$REALMVM" "${run[@]}" --threads "$threads"
bench nol1 "$REALMVM" "${run[@]}" --threads 1 --no-measurement-log
bench noln "$REALMVM" "${run[@]}" --threads "$threads" --no-measurement-log
bench log1 "$REALMVM" "${run[@]}" --threads 1 --log-out "$T/l1"
bench logn "$REALMVM" "${run[@]}" --threads "$threads" --log-out "$T/ln"
bench ver "$REALMVM" log verify "$T/log" --kernel "$T/Image" \
	--initrd "$T/initrd" --dtb "$T/dtb"
run_all
load1=$(loadavg)
ossl=${MS[ossl]} def1=${MS[def1]} defn=${MS[defn]} nol1=${MS[nol1]}
noln=${MS[noln]} log1=${MS[log1]} logn=${MS[logn]} ver=${MS[ver]}
free=$(ratio "${MS[ossl2]}" "$ossl")

busy="no free second core: two openssl runs at once took ${free} x one (1.0 = free, 2.0 = shared), load average $load0 -> $load1 on $(nproc) cores"
row() { printf '%-44s %6d ms  %s x openssl\n' "$1" "$2" "$(ratio "$2" "$ossl")"; }
echo "$SIZE_MIB MiB initrd, best of $RUNS interleaved rounds, $threads threads for 'N'"
printf '%-44s %6d ms\n' "openssl dgst -sha256 (baseline)" "$ossl"
printf '%-44s %6d ms  %s x one\n' "two openssl at once (a free core?)" \
	"${MS[ossl2]}" "$free"
row "dry run (default: no log built), 1 thread" "$def1"
row "dry run (default: no log built), N threads" "$defn"
row "dry run --no-measurement-log, 1 thread" "$nol1"
row "dry run --no-measurement-log, N threads" "$noln"
row "dry run --log-out, 1 thread" "$log1"
row "dry run --log-out, N threads" "$logn"
row "log verify (N threads)" "$ver"
echo "goals:"
goal "event log on, 1 thread" "$(ratio "$log1" "$ossl")" 2.1 \
	"two digests per byte on one core"
goal "event log on, N threads" "$(ratio "$logn" "$ossl")" 1.1 "$busy"
goal "no log work (default), 1 thread" "$(ratio "$def1" "$ossl")" 1.05 \
	"descriptor chain and mapping the file on top of one SHA pass"
goal "no log work (default), N threads" "$(ratio "$defn" "$ossl")" 0.6 \
	"$busy; the descriptor chain and the mapping stay serial"
goal "log verify vs dry run --log-out (N)" "$(ratio "$ver" "$logn")" 1.2 \
	"mapping the files into scratch memory costs page-table work"
