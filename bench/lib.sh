#!/bin/bash
# Shared by the bench/*.sh scripts: timing (best of N, because the
# project's 2-core machine is shared and noisy), ratios against a
# baseline measured in the same run, and goal lines that say by how much
# a goal was missed.  Sourced, not run.

RUNS=${RUNS:-5}

now_ns() { date +%s%N; }

# bench NAME CMD...: register a command to time.  run_all then runs every
# registered command once per round, RUNS rounds, interleaved so that the
# baseline and what is compared with it see the same load, and sets
# MS[NAME] to each one's fastest run in milliseconds (stdout discarded; a
# failing command aborts the bench).
declare -A MS=()
declare -a BENCH_NAMES=() BENCH_CMDS=()
bench() {
	local name=$1
	shift
	BENCH_NAMES+=("$name")
	BENCH_CMDS+=("$(printf '%q ' "$@")")
}

run_all() {
	local r i t0 t1 ms
	for ((r = 0; r < RUNS; r++)); do
		for i in "${!BENCH_NAMES[@]}"; do
			t0=$(now_ns)
			eval "${BENCH_CMDS[$i]}" >/dev/null
			t1=$(now_ns)
			ms=$(((t1 - t0) / 1000000))
			((ms > 0)) || ms=1
			if [ -z "${MS[${BENCH_NAMES[$i]}]:-}" ] ||
			   [ "$ms" -lt "${MS[${BENCH_NAMES[$i]}]}" ]; then
				MS[${BENCH_NAMES[$i]}]=$ms
			fi
		done
	done
	BENCH_NAMES=()
	BENCH_CMDS=()
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# both_ms FILE: two `openssl dgst -sha256 FILE` at once, in milliseconds.
# Against one alone (in the same rounds) this says whether a second core
# was free: about 1x if it was, about 2x if the two had to share one.
both_ms() {
	openssl dgst -sha256 "$1" >/dev/null &
	openssl dgst -sha256 "$1" >/dev/null
	wait
}

# goal NAME RATIO LIMIT WHY: one line, "ok" or "MISSED by N%" plus WHY.
goal() {
	local name=$1 r=$2 limit=$3 why=$4
	if awk -v r="$r" -v l="$limit" 'BEGIN { exit !(r <= l) }'; then
		printf '  %-44s %5s x  goal <= %-5s ok\n' "$name" "$r" "$limit"
	else
		printf '  %-44s %5s x  goal <= %-5s MISSED by %s%%: %s\n' \
			"$name" "$r" "$limit" \
			"$(awk -v r="$r" -v l="$limit" \
				'BEGIN { printf "%.0f", (r / l - 1) * 100 }')" \
			"$why"
	fi
}

# make_payload DIR MIB: a 1 MiB synthetic arm64 Image and a random initrd
# of MIB MiB, in the page cache so that no run is a disk benchmark.
make_payload() {
	local dir=$1 mib=$2
	# shellcheck source=../tests/bats/fixtures.bash
	source "$ROOT/tests/bats/fixtures.bash"
	make_image "$dir/Image" $((1 << 20))
	head -c $((mib << 20)) /dev/urandom >"$dir/initrd"
	cat "$dir/initrd" "$dir/Image" >/dev/null
}
