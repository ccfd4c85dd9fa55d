# Helpers of realm.bats: read the cases, the host's output ($REALM_OUT),
# and run this machine's realmvm (the host build) as a verifier would.

REALM_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
# shellcheck source=lib.sh
. "$REALM_ROOT/tests/realm/lib.sh"
REALMVM=${REALMVM:-$REALM_ROOT/build/host/realmvm}
IMAGE=$CCA_STACK/Image
INITRD=$REALM_BUILD/payload/initrd.cpio

declare -gA C_ACTION C_STATUS C_REPLAY C_ARGS B_STATUS F_STATUS F_ARGS
realm_case() {
	local name=$1
	C_ACTION[$name]=$2 C_STATUS[$name]=$3 C_REPLAY[$name]=$4
	shift 4
	C_ARGS[$name]=$(printf '%q ' "$@")
}
bad_case() {
	B_STATUS[$1]=$2
}
fw_case() {
	local name=$1
	F_STATUS[$name]=$2
	shift 2
	F_ARGS[$name]=$(printf '%q ' "$@")
}
# shellcheck source=cases.sh
. "$REALM_ROOT/tests/realm/cases.sh"

fail_msg() {
	echo "$*" >&2
	return 1
}

rv() {
	run "$REALMVM" "$@"
}

out_of() { cat "$REALM_OUT/$1.out"; }

# in_out TEXT: the current case's console has TEXT.
in_out() {
	grep -qF -- "$1" "$REALM_OUT/$CASE.out" || fail_msg "no '$1' in $CASE.out"
}

in_stderr() {
	grep -qF -- "$2" "$REALM_OUT/bad-$1.stderr" ||
		fail_msg "no '$2' in: $(cat "$REALM_OUT/bad-$1.stderr")"
}

# x86_dry NAME ARGS...: this machine's dry run of case NAME with the
# host's caps file, as a verifier runs it; prints the RIM.
x86_dry() {
	local name=$1
	shift
	eval "set -- ${C_ARGS[$name]} $*"
	rv run --realm --dry-run --host-config "$REALM_OUT/caps.conf" \
		-k "$IMAGE" -i "$INITRD" --disk "$BATS_TEST_TMPDIR/task.img" "$@"
	[ "$status" -eq 0 ] || fail_msg "x86 dry run: $output"
	sed -n 's/^RIM: //p' <<<"$output"
}

# case_ran NAME STATUS: case NAME ran on the host (its console is shown),
# its dry run there succeeded and the launch exited with STATUS.
case_ran() {
	local name=$1 out=$REALM_OUT/$1.out
	CASE=$name
	[ -f "$out" ] || fail_msg "case $name never ran (host run cut short?)"
	echo "--- $name: $(cat "$REALM_OUT/$name.secs" 2>/dev/null) s"
	cat "$out"
	[ "$(cat "$REALM_OUT/$name.dry.rc")" -eq 0 ] ||
		fail_msg "host dry run: $(cat "$REALM_OUT/$name.dry")"
	[ "$(cat "$REALM_OUT/$name.rc")" -eq "$2" ] ||
		fail_msg "status $(cat "$REALM_OUT/$name.rc"), want $2"
}

# realm_ok NAME: the realm of case NAME booted to init on the real RMM,
# exited with its expected status, and on every boot its token RIM was
# the host's dry-run RIM (realm-check, inside the realm), which this
# machine's dry run with the host's caps file predicts too, and the event
# log the host saved replays to it here; with replay=1 the realm also
# replayed the log it read from its own memory.
realm_ok() {
	local name=$1 out=$REALM_OUT/$1.out rim token x86 cpus boots
	case_ran "$name" "${C_STATUS[$name]}" || return 1
	cpus=$(sed -n 's/.*-c \([0-9]*\).*/\1/p' <<<"${C_ARGS[$name]}")
	grep -q "RVM-INIT cpus=$cpus " "$out" || fail_msg "no init with $cpus vCPUs"
	boots=$(grep -c 'RVM-INIT' "$out")
	[ "$(grep -c 'RVM-CHECK rc=0' "$out")" -eq "$boots" ] ||
		fail_msg "realm-check failed on a boot"
	rim=$(sed -n 's/^RIM: //p' "$REALM_OUT/$name.dry")
	[[ $rim =~ ^[0-9a-f]{64}([0-9a-f]{64})?$ ]] || fail_msg "no RIM"
	for token in $(sed -n 's/.*token RIM: \([0-9a-f]*\).*/\1/p' "$out"); do
		[ "$token" = "$rim" ] || fail_msg "token RIM $token != dry run $rim"
	done
	x86=$(x86_dry "$name" --dtb-out "$BATS_TEST_TMPDIR/guest.dtb") || return 1
	[ "$x86" = "$rim" ] || fail_msg "x86 dry run $x86 != host $rim"
	rv log verify "$REALM_OUT/$name.log.bin" --kernel "$IMAGE" \
		--initrd "$INITRD" --dtb "$BATS_TEST_TMPDIR/guest.dtb" \
		--expect-rim "$rim"
	[ "$status" -eq 0 ] || fail_msg "log verify: $output"
	if [ "${C_REPLAY[$name]}" = 1 ]; then
		grep -q "RVM-REPLAY rc=0 token_rim=$rim" "$out" ||
			fail_msg "the realm did not replay its log to $rim"
	fi
}

# refused NAME TEXT: the real host refused bad case NAME with its status,
# one line on stderr containing TEXT, and no realm.
refused() {
	local name=$1 err=$REALM_OUT/bad-$1.stderr
	cat "$err"
	[ "$(cat "$REALM_OUT/bad-$name.rc")" -eq "${B_STATUS[$name]}" ] ||
		fail_msg "status $(cat "$REALM_OUT/bad-$name.rc"), want ${B_STATUS[$name]}"
	[ "$(wc -l <"$err")" -eq 1 ] || fail_msg "want one line"
	[[ $(cat "$err") == "realmvm: "* ]] || fail_msg "not a realmvm error"
	in_stderr "$name" "$2"
	! grep -q 'RVM-INIT' "$REALM_OUT/bad-$name.stdout"
}

# token_ok NAME: this machine, as a verifier, appraises the token the realm
# of case NAME got from the RMM: the realm signature, the challenge the
# realm sent, and the RIM (and RPV) against the CoRIM that a dry run with
# the host's caps file writes, and against a fresh dry run.
token_ok() {
	local name=$1 size chal dir=$BATS_TEST_TMPDIR
	size=$(sed -n 's/.*RVM-TOKEN size=\([0-9]*\).*/\1/p' "$REALM_OUT/$name.out" | head -1)
	[ -n "$size" ] || fail_msg "the realm saved no token"
	head -c "$size" "$REALM_OUT/$name.tokarea" >"$dir/tok.cbor"
	chal=$(sed -n 's/^token challenge: \([0-9a-f]*\).*/\1/p' "$REALM_OUT/$name.out" | head -1)
	[[ $chal =~ ^[0-9a-f]{128}$ ]] || fail_msg "no challenge"
	x86_dry "$name" --corim "$dir/ref.corim" >/dev/null || return 1
	eval "set -- ${C_ARGS[$name]}"
	rv token verify "$dir/tok.cbor" --challenge "$chal" \
		--corim "$dir/ref.corim" -- run --realm --dry-run \
		--host-config "$REALM_OUT/caps.conf" -k "$IMAGE" -i "$INITRD" \
		--disk "$dir/task.img" "$@"
	echo "$output"
	[ "$status" -eq 0 ] || fail_msg "token verify: exit $status"
	[[ $output == *"check corim-rim: agree"* ]] || fail_msg "no CoRIM RIM check"
	[[ $output == *"check dry-run-rim: agree"* ]] || fail_msg "no dry-run check"
	[[ $output == *"check challenge: agree"* ]] || fail_msg "no challenge check"
}

# fw_ok NAME: the test firmware booted as the realm of fw_case NAME on the
# real RMM: it said hello, found the DTB in x0, and printed the RIM that
# RSI_MEASUREMENT_READ(0) gave it, which must be the host's dry-run RIM,
# this machine's dry run with the host's caps file, and the replay of the
# host's event log (where the firmware is logged as FIRMWARE).
fw_ok() {
	local name=$1 out=$REALM_OUT/$1.out rim fwrim x86
	local fw=$REALM_BUILD/payload/fw.bin dir=$BATS_TEST_TMPDIR
	case_ran "$name" "${F_STATUS[$name]}" || return 1
	in_out "realmvm test firmware: hello"
	in_out "realmvm test firmware: DTB found in x0"
	! grep -q "LSR never showed THRE" "$out" || fail_msg "UART LSR stuck"
	rim=$(sed -n 's/^RIM: //p' "$REALM_OUT/$name.dry")
	[[ $rim =~ ^[0-9a-f]{64}([0-9a-f]{64})?$ ]] || fail_msg "no RIM"
	fwrim=$(sed -n 's/.*realmvm test firmware: RIM \([0-9a-f]*\).*/\1/p' "$out")
	[ "$fwrim" = "$rim" ] || fail_msg "firmware's RIM '$fwrim' != dry run $rim"
	eval "set -- ${F_ARGS[$name]}"
	rv run --realm --dry-run --host-config "$REALM_OUT/caps.conf" \
		-f "$fw" "$@" --dtb-out "$dir/fw.dtb"
	[ "$status" -eq 0 ] || fail_msg "x86 dry run: $output"
	x86=$(sed -n 's/^RIM: //p' <<<"$output")
	[ "$x86" = "$rim" ] || fail_msg "x86 dry run $x86 != host $rim"
	rv log show "$REALM_OUT/$name.log.bin"
	[[ $output == *"EV_EFI_PLATFORM_FIRMWARE_BLOB2 FIRMWARE base 0x80000000 size $(printf '%#x' "$(stat -c %s "$fw")") sha256 $(sha256sum <"$fw" | cut -d' ' -f1)"* ]] ||
		fail_msg "the log does not hold the firmware: $output"
	rv log verify "$REALM_OUT/$name.log.bin" --firmware "$fw" \
		--dtb "$dir/fw.dtb" --expect-rim "$rim"
	[ "$status" -eq 0 ] || fail_msg "log verify: $output"
}
