# bats helpers of the nested suite.  tests/nested/suite.sh boots L1 once
# and exports NESTED_LOG_READY=1; running `bats tests/nested` by hand
# reuses an existing log, or boots L1 first when there is none.
NESTED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$NESTED_DIR/lib.sh"

nested_setup_file() {
	if [ -z "${NESTED_LOG_READY:-}" ] && [ ! -s "$NESTED_LOG" ]; then
		nested_prepare_and_boot >&3 2>&1 || return 1
	fi
	if grep -q '^REALMVM-L1 nokvm' "$NESTED_LOG"; then
		export NESTED_SKIP="the emulated arm64 host has no /dev/kvm"
	fi
}

nested_setup() {
	[ -z "${NESTED_SKIP:-}" ] || skip "$NESTED_SKIP"
	[ -s "$NESTED_LOG" ] || { echo "no L1 console log at $NESTED_LOG"; return 1; }
}

# assert_rc NAME STATUS: the L2 run NAME ended with exit status STATUS.
assert_rc() {
	local got
	got=$(nested_rc "$1")
	if [ "$got" != "$2" ]; then
		echo "run $1: exit status '${got:-none}', expected $2"
		nested_out "$1" | tail -20
		return 1
	fi
}

# assert_line NAME REGEX: some output line of run NAME matches REGEX.
assert_line() {
	if ! nested_out "$1" | grep -qE -- "$2"; then
		echo "run $1: no line matching '$2' in:"
		nested_out "$1" | tail -20
		return 1
	fi
}

# refute_line NAME REGEX: no output line of run NAME matches REGEX.
refute_line() {
	if nested_out "$1" | grep -qE -- "$2"; then
		echo "run $1: unexpected line matching '$2':"
		nested_out "$1" | grep -E -- "$2" | head -5
		return 1
	fi
}
