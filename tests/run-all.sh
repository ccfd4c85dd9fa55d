#!/bin/bash
# Run every realmvm test and print one closing line "N passed, N failed,
# N skipped" that counts unit (cmocka) and bats tests together.
#
#   tests/run-all.sh           install deps, build, run every suite
#   tests/run-all.sh --quick   host unit + bats suites only, no installs
#   tests/run-all.sh --asan    unit + bats suites under ASan and UBSan
#
# REALMVM_SKIP_FUZZ=1 leaves out the fuzzing phase of a full run.
#
# Every suite reports TAP; a suite that fails to build or run counts as
# one failure so that it can never pass silently.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-full}
OUT=$ROOT/build/test-logs
mkdir -p "$OUT"
PASS=0 FAIL=0 SKIP=0
JOBS=$(nproc 2>/dev/null || echo 2)

note() { printf '== %s\n' "$*"; }

# count_tap NAME FILE: add a TAP log's results to the totals.
count_tap() {
	local name=$1 file=$2 p f s
	# bats writes "ok N name # skip", cmocka "not ok N - name # SKIP"
	s=$(grep -cE '^(not )?ok .*# (skip|SKIP)' "$file" | head -1)
	p=$(grep -E '^ok ' "$file" | grep -cvE '# (skip|SKIP)' | head -1)
	f=$(grep -E '^not ok ' "$file" | grep -cvE '# (skip|SKIP)' | head -1)
	PASS=$((PASS + p)) FAIL=$((FAIL + f)) SKIP=$((SKIP + s))
	printf '   %-32s %4d passed %3d failed %3d skipped\n' "$name" "$p" "$f" "$s"
	# Each failure with the first lines of its diagnostics, so that a CI
	# log alone says why.
	awk '/^not ok / && !/# (skip|SKIP)/ { print "     " $0; n = 8; next }
	     /^#/ && n > 0 { print "       " $0; n--; next }
	     { n = 0 }' "$file"
}

suite_error() {
	FAIL=$((FAIL + 1))
	printf '   %-32s FAILED TO RUN: %s\n' "$1" "$2"
}

build() {	# build ARGS...: make, or count one failure
	local log="$OUT/build-$(echo "$*" | tr ' =/' '___').log"
	if ! make --no-print-directory -j"$JOBS" "$@" >"$log" 2>&1; then
		suite_error "make $*" "see below"
		tail -30 "$log"
		return 1
	fi
}

run_unit() {	# run_unit BUILDDIR LABEL
	local dir=$1 label=$2 t log
	for t in "$dir"/tests/test_*; do
		[ -x "$t" ] || continue
		log="$OUT/$label-$(basename "$t").tap"
		CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 "$t" >"$log" 2>&1
		local rc=$?
		if ! grep -qE '^(not )?ok ' "$log"; then
			suite_error "$label/$(basename "$t")" "exit $rc, no TAP"
			tail -5 "$log"
			continue
		fi
		count_tap "$label/$(basename "$t")" "$log"
		if [ $rc -ne 0 ] && ! grep -qE '^not ok ' "$log"; then
			suite_error "$label/$(basename "$t")" "exit $rc"
		fi
	done
}

run_bats() {	# run_bats LABEL DIR [env...]
	local label=$1 dir=$2 log
	shift 2
	ls "$dir"/*.bats >/dev/null 2>&1 || return 0
	log="$OUT/$label.tap"
	env "$@" bats --tap "$dir" >"$log" 2>&1
	if ! grep -qE '^(not )?ok ' "$log"; then
		suite_error "$label" "no TAP output"
		tail -20 "$log"
		return
	fi
	count_tap "$label" "$log"
}

case $MODE in
full|--full)
	note "installing dependencies"
	if ! tests/install-deps.sh >"$OUT/install.log" 2>&1; then
		tail -20 "$OUT/install.log"
		suite_error install-deps "see above"
	fi
	;;
esac

note "building"
build all && build unit-tests
HOST_BIN=$ROOT/build/host/realmvm

note "unit tests (cmocka)"
run_unit build/host unit

note "command-line tests (bats, host build)"
run_bats bats-host tests/bats REALMVM="$HOST_BIN"

if [ "$MODE" = full ] || [ "$MODE" = --full ]; then
	if build ARCH=arm64 build/arm64/realmvm; then
		note "command-line tests (bats, aarch64 build under qemu-user)"
		run_bats bats-arm64 tests/bats \
			REALMVM="$ROOT/build/arm64/realmvm" REALMVM_UNDER_QEMU=1
	fi
	for extra in tests/*/suite.sh; do
		[ -x "$extra" ] || continue
		note "suite $(dirname "$extra")"
		log="$OUT/$(basename "$(dirname "$extra")").tap"
		"$extra" >"$log" 2>&1
		if grep -qE '^(not )?ok ' "$log"; then
			count_tap "$(dirname "$extra")" "$log"
		else
			suite_error "$extra" "no TAP output"
			tail -20 "$log"
		fi
	done
	if [ -x fuzz/run.sh ] && [ -z "${REALMVM_SKIP_FUZZ:-}" ]; then
		note "fuzzing (corpus replay and bounded runs)"
		log="$OUT/fuzz.tap"
		fuzz/run.sh >"$log" 2>&1
		if grep -qE '^(not )?ok ' "$log"; then
			count_tap fuzz "$log"
			[ -f build/fuzz/summary.txt ] && sed 's/^/     /' build/fuzz/summary.txt
		else
			suite_error fuzz "no TAP output"
			tail -20 "$log"
		fi
	fi
	MODE=--asan
fi

if [ "$MODE" = --asan ]; then
	note "unit and bats tests under ASan+UBSan"
	if build SAN=1 all && build SAN=1 unit-tests; then
		# Reports also go to files, so that one from a test that does
		# not check the exit status still fails the run.
		rm -rf "$OUT/san" && mkdir -p "$OUT/san"
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:log_path=$OUT/san/asan
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1:log_path=$OUT/san/ubsan
		run_unit build/host-san unit-asan
		run_bats bats-asan tests/bats REALMVM="$ROOT/build/host-san/realmvm"
		unset ASAN_OPTIONS UBSAN_OPTIONS
		for report in "$OUT"/san/*; do
			[ -f "$report" ] || continue
			suite_error "sanitizer report" "$report"
			head -20 "$report"
		done
	fi
fi

echo "$PASS passed, $FAIL failed, $SKIP skipped"
[ "$FAIL" -eq 0 ]
