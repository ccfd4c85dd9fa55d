# Shared helpers for the realmvm bats suites.  Load with
#   load helpers
# REALMVM points at the binary under test (host, aarch64 under qemu-user,
# or ASan build); tests default to the one at the top of the tree.

REALMVM=${REALMVM:-$BATS_TEST_DIRNAME/../../realmvm}
bats_require_minimum_version 1.5.0

# make_image, le32, le64: synthetic arm64 Images.
# shellcheck source=fixtures.bash
source "$BATS_TEST_DIRNAME/fixtures.bash"

# The aarch64 build runs under qemu-user; call it explicitly rather than
# rely on a binfmt_misc registration being present.
if [ -n "${REALMVM_UNDER_QEMU:-}" ]; then
	RV_CMD=(qemu-aarch64-static "$REALMVM")
else
	RV_CMD=("$REALMVM")
fi

# rv ARGS...: run realmvm under bats' `run`.
rv() {
	run "${RV_CMD[@]}" "$@"
}

# rvs ARGS...: like rv, with stderr kept apart in $stderr, so that tests
# can check what stdout alone holds.
rvs() {
	run --separate-stderr "${RV_CMD[@]}" "$@"
}

# has_token_cmd: whether this build has `realmvm token` (PKEY=0 builds,
# the static aarch64 default, leave it out: docs/building.md).
has_token_cmd() {
	"${RV_CMD[@]}" token --help 2>/dev/null | grep -q '^usage: realmvm token'
}

# need_token_cmd: skip, saying why, in a build without `realmvm token`.
need_token_cmd() {
	has_token_cmd ||
		skip "this build has no token command (PKEY=0: docs/building.md)"
}

# fail_msg TEXT: print TEXT to stderr and fail (bats shows it on failure).
fail_msg() {
	echo "$*" >&2
	return 1
}

# make_dtb FILE [MODEL]: a small valid DTB compiled with dtc.
make_dtb() {
	local file=$1 model=${2:-realmvm-test}
	dtc -q -I dts -O dtb -o "$file" - <<DTS
/dts-v1/;
/ {
	model = "$model";
	#address-cells = <2>;
	#size-cells = <2>;
	chosen { bootargs = "console=ttyS0"; };
	memory@80000000 {
		device_type = "memory";
		reg = <0x0 0x80000000 0x0 0x10000000>;
	};
};
DTS
}

# flip_byte FILE OFFSET: invert one byte in place.
flip_byte() {
	local file=$1 off=$2 b
	b=$(od -An -tu1 -j "$off" -N1 "$file" | tr -d ' ')
	printf "\\x$(printf %02x $((b ^ 0xff)))" |
		dd of="$file" bs=1 seek="$off" conv=notrunc status=none
}

# host_config FILE KEY=VALUE...: a --host-config file.
host_config() {
	local file=$1
	shift
	printf '%s\n' "# test host" "$@" >"$file"
}

# rim_line: the hex after "RIM: " on the first line of $output.
rim_line() {
	local first=${lines[0]}
	[[ $first =~ ^RIM:\ ([0-9a-f]+)$ ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

# field NAME: the value of a "NAME: value" line in $output.
field() {
	printf '%s\n' "$output" | sed -n "s/^$1: //p" | head -1
}

# Default payload for a test: a 256 KiB kernel and a 100000-byte initrd.
make_payload() {
	KERNEL=$BATS_TEST_TMPDIR/Image
	INITRD=$BATS_TEST_TMPDIR/initrd
	make_image "$KERNEL" $((256 * 1024))
	head -c 100000 /dev/urandom >"$INITRD"
}

# Sanitizer builds (added by the hardening work, docs/hardening.md): a
# report must never pass for an ordinary failure.  UBSan's halt_on_error
# alone exits 1, which is realmvm's own run-time status, so every report
# aborts instead (status 134, which no test expects).  Later settings in
# these lists win over earlier ones.
if [[ $REALMVM == *host-san* ]]; then
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:abort_on_error=1"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1:abort_on_error=1"
fi
