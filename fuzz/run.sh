#!/bin/bash
# Replay every fuzz target's seed corpus, then fuzz each for a bounded
# time, FUZZ_JOBS targets at a time.  Prints TAP (one "ok"/"not ok" per
# replay and per fuzzing run) and exits 0 only when all are ok.
#
# New inputs the fuzzer finds go to build/fuzz/scratch, never into the
# committed corpus; a crash, leak or hang input is kept as
# build/fuzz/crashes/<target>-<kind>-<sha1> for turning into a regression
# input (fuzz/corpus/<name>/regress-*, see docs/hardening.md).
# build/fuzz/summary.txt gets one line per target: corpus size and
# executions.
#
#   FUZZ_SECONDS  fuzzing time per target (default 60; 0 = replay only)
#   FUZZ_JOBS     targets fuzzed at once (default 2)
#   FUZZ_TARGETS  space-separated subset, e.g. "image dtb" (default all)
#   FUZZ_SEED     libFuzzer -seed (default 1; 0 = a new random seed)
#
# The fixed default seed makes a run repeatable: the same binary and corpus
# try the same inputs in the same order, and a longer run tries a superset
# of a shorter one's.  So a CI result can be reproduced, and a crash found
# in CI is found again here.  Explore with FUZZ_SEED=0.
set -uo pipefail
cd "$(dirname "$0")/.."
SECS=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-2}
OUT=build/fuzz
mkdir -p "$OUT"

if ! make --no-print-directory -j"$(nproc)" fuzz >"$OUT/build.log" 2>&1; then
	echo "not ok 1 - build the fuzz targets (clang, libclang-rt)"
	tail -20 "$OUT/build.log" | sed 's/^/# /'
	echo "1..1"
	exit 1
fi
mkdir -p "$OUT/crashes" "$OUT/scratch" "$OUT/results"
rm -f "$OUT"/results/*

targets=()
for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	if [ -n "${FUZZ_TARGETS:-}" ] && [[ " $FUZZ_TARGETS " != *" $name "* ]]; then
		continue
	fi
	targets+=("$name")
done

# The process must not hang either: a bound on the whole run, beyond
# libFuzzer's own -max_total_time and per-input -timeout.
LIMIT=$((SECS + 120))
# stdout/stderr of the code under test are closed (-close_fd_mask=3):
# `log show` and the console print a lot; sanitizer and libFuzzer
# reports still come out on a saved copy of stderr.
COMMON=(-timeout=10 -rss_limit_mb=2048 -close_fd_mask=3
	-print_final_stats=1 -seed="${FUZZ_SEED:-1}")

# run_target NAME: write results/NAME (two TAP lines without numbers,
# then "# " diagnostics) and a summary line.
run_target() {
	local name=$1 bin=$OUT/fuzz_$1 corpus=fuzz/corpus/$1 res
	local scratch=$OUT/scratch/$1 count execs log
	res=$OUT/results/$name
	count=$(find "$corpus" -type f 2>/dev/null | wc -l)
	log=$OUT/$name-replay.log
	if [ "$count" -gt 0 ] &&
	   timeout "$LIMIT" "$bin" "${COMMON[@]}" -runs=0 "$corpus" \
		>"$log" 2>&1; then
		echo "ok - $name replays its $count corpus inputs" >"$res"
	else
		{
			echo "not ok - $name replays its $count corpus inputs"
			grep -E 'ERROR|SUMMARY|Test unit written|Running:' "$log" |
				head -8 | sed 's/^/# /'
		} >"$res"
	fi
	[ "$SECS" -gt 0 ] || return 0
	rm -rf "$scratch" && mkdir -p "$scratch"
	log=$OUT/$name-fuzz.log
	if timeout "$LIMIT" "$bin" "${COMMON[@]}" -max_total_time="$SECS" \
		-artifact_prefix="$OUT/crashes/$name-" "$scratch" "$corpus" \
		>"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok - $name fuzzed ${SECS}s: ${execs:-0} executions," \
		     "$(find "$scratch" -type f | wc -l) new inputs" >>"$res"
		printf '%-12s corpus %2d files %6d bytes  %9d execs in %ds\n' \
			"$name" "$count" "$(cat "$corpus"/* | wc -c)" \
			"${execs:-0}" "$SECS" >"$OUT/results/$name.summary"
	else
		{
			echo "not ok - $name fuzzing found a failure (see $log)"
			grep -E 'ERROR|SUMMARY|Test unit written|timeout' "$log" |
				head -8 | sed 's/^/# /'
		} >>"$res"
	fi
}

running=0
for name in "${targets[@]}"; do
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
	fi
	run_target "$name" &
	running=$((running + 1))
done
wait

n=0 failed=0
for name in "${targets[@]}"; do
	while IFS= read -r line; do
		case $line in
		ok*|"not ok"*)
			n=$((n + 1))
			[[ $line == "not ok"* ]] && failed=$((failed + 1))
			echo "${line/ - / $n - }"
			;;
		*)	echo "$line" ;;
		esac
	done <"$OUT/results/$name"
done
echo "1..$n"
{
	echo "# $(date -u +%FT%TZ): ${#targets[@]} targets," \
	     "${SECS}s each, $JOBS at a time"
	cat "$OUT"/results/*.summary 2>/dev/null
	cat "$OUT"/results/*.summary 2>/dev/null |
		awk '{ f += $3; b += $5; e += $7 }
		     END { printf "%-12s corpus %2d files %6d bytes  %9d execs\n",
			   "total", f, b, e }'
} >"$OUT/summary.txt"
[ "$n" -gt 0 ] && [ "$failed" -eq 0 ]
