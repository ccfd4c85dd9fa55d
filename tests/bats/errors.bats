#!/usr/bin/env bats
# Bad input files and impossible requests: one error line, the right exit
# status (1 for bad files at run time, 2 for command lines), and no output
# file left behind.

load helpers

setup() {
	make_payload
	DTB_OUT=$BATS_TEST_TMPDIR/out.dtb
	LOG_OUT=$BATS_TEST_TMPDIR/out.log
}

# expect_failure STATUS PATTERN ARGS...: realmvm run --realm --dry-run
# with both output files requested fails with STATUS, prints one error
# line containing PATTERN, and writes neither output.
expect_failure() {
	local want=$1 pattern=$2
	shift 2
	rvs run --realm --dry-run --dtb-out "$DTB_OUT" --log-out "$LOG_OUT" "$@"
	[ "$status" -eq "$want" ] || fail_msg "exit $status, want $want: $stderr"
	[ -z "$output" ] || fail_msg "stdout: $output"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail_msg "stderr: $stderr"
	[[ ${stderr_lines[0]} == realmvm:* ]] || fail_msg "stderr: $stderr"
	[[ ${stderr,,} == *"${pattern,,}"* ]] ||
		fail_msg "no '$pattern' in: $stderr"
	[ ! -e "$DTB_OUT" ] || fail_msg "$DTB_OUT left behind"
	[ ! -e "$LOG_OUT" ] || fail_msg "$LOG_OUT left behind"
	# nor a temporary file next to them
	[ -z "$(find "$BATS_TEST_TMPDIR" -name 'out.*tmp*')" ]
}

@test "the good payload works (baseline for the failures below)" {
	rvs run --realm --dry-run --dtb-out "$DTB_OUT" --log-out "$LOG_OUT" \
		-k "$KERNEL" -i "$INITRD"
	[ "$status" -eq 0 ]
	[ -s "$DTB_OUT" ]
	[ -s "$LOG_OUT" ]
}

@test "missing kernel file" {
	expect_failure 1 "$BATS_TEST_TMPDIR/nope" -k "$BATS_TEST_TMPDIR/nope"
}

@test "unreadable kernel (a directory; a mode 000 file unless root)" {
	expect_failure 1 "$BATS_TEST_TMPDIR" -k "$BATS_TEST_TMPDIR"
	if [ "$(id -u)" != 0 ]; then
		chmod 000 "$KERNEL"
		expect_failure 1 "$KERNEL" -k "$KERNEL"
	fi
}

@test "truncated kernel: shorter than the Image header" {
	head -c 40 "$KERNEL" >"$BATS_TEST_TMPDIR/short"
	expect_failure 1 "truncated" -k "$BATS_TEST_TMPDIR/short"
}

@test "empty kernel" {
	: >"$BATS_TEST_TMPDIR/empty"
	expect_failure 1 "kernel" -k "$BATS_TEST_TMPDIR/empty"
}

@test "kernel whose header image_size is smaller than the file" {
	make_image "$BATS_TEST_TMPDIR/k" 65536 0 4096
	expect_failure 1 "image_size" -k "$BATS_TEST_TMPDIR/k"
}

@test "non-arm64 kernel (no ARM\\x64 magic)" {
	make_image "$BATS_TEST_TMPDIR/k" 65536 0 "" 0x464c457f
	expect_failure 1 "arm64" -k "$BATS_TEST_TMPDIR/k"
	head -c 65536 /dev/urandom >"$BATS_TEST_TMPDIR/random"
	expect_failure 1 "arm64" -k "$BATS_TEST_TMPDIR/random"
}

@test "gzip kernel works; a corrupt or truncated one fails" {
	gzip -c "$KERNEL" >"$BATS_TEST_TMPDIR/Image.gz"
	rv run --realm --dry-run -k "$BATS_TEST_TMPDIR/Image.gz"
	[ "$status" -eq 0 ]
	# same Image bytes, so the same measurement
	[ "$(rim_line)" = "$(rv run --realm --dry-run -k "$KERNEL"
			     rim_line)" ]

	local size
	size=$(stat -c %s "$BATS_TEST_TMPDIR/Image.gz")
	head -c $((size / 2)) "$BATS_TEST_TMPDIR/Image.gz" \
		>"$BATS_TEST_TMPDIR/trunc.gz"
	expect_failure 1 "kernel" -k "$BATS_TEST_TMPDIR/trunc.gz"

	cp "$BATS_TEST_TMPDIR/Image.gz" "$BATS_TEST_TMPDIR/bad.gz"
	flip_byte "$BATS_TEST_TMPDIR/bad.gz" $((size / 2))
	expect_failure 1 "kernel" -k "$BATS_TEST_TMPDIR/bad.gz"
}

@test "missing initrd" {
	expect_failure 1 "$BATS_TEST_TMPDIR/no-initrd" -k "$KERNEL" \
		-i "$BATS_TEST_TMPDIR/no-initrd"
}

@test "initrd that does not fit in RAM" {
	truncate -s 40M "$BATS_TEST_TMPDIR/big"
	expect_failure 1 "initrd" -k "$KERNEL" -m 32 -i "$BATS_TEST_TMPDIR/big"
}

@test "a --dtb file that is not a DTB" {
	head -c 4096 /dev/urandom >"$BATS_TEST_TMPDIR/junk.dtb"
	expect_failure 1 "junk.dtb" -k "$KERNEL" --dtb "$BATS_TEST_TMPDIR/junk.dtb"
	make_dtb "$BATS_TEST_TMPDIR/good.dtb"
	head -c 100 "$BATS_TEST_TMPDIR/good.dtb" >"$BATS_TEST_TMPDIR/cut.dtb"
	expect_failure 1 "cut.dtb" -k "$KERNEL" --dtb "$BATS_TEST_TMPDIR/cut.dtb"
}

@test "missing or bad --host-config" {
	expect_failure 1 "$BATS_TEST_TMPDIR/none.conf" -k "$KERNEL" \
		--host-config "$BATS_TEST_TMPDIR/none.conf"
	host_config "$BATS_TEST_TMPDIR/bad.conf" "colour=blue"
	expect_failure 1 "colour" -k "$KERNEL" \
		--host-config "$BATS_TEST_TMPDIR/bad.conf"
}

@test "bad RAM sizes are usage errors and write nothing" {
	expect_failure 2 "--mem" -k "$KERNEL" -m 31
	expect_failure 2 "--mem" -k "$KERNEL" -m 16
	expect_failure 2 "--mem" -k "$KERNEL" -m 3X
	expect_failure 2 "--mem" -k "$KERNEL" -m 0
}

@test "too many vCPUs is a usage error and writes nothing" {
	expect_failure 2 "vCPU" -k "$KERNEL" -c 65
}

@test "sha512 on cca-v14 is a usage error" {
	expect_failure 2 "algorithm" -k "$KERNEL" --measurement-algo sha512
	expect_failure 2 "cca-v14" -k "$KERNEL" --measurement-algo sha512 \
		--host cca-v14
}

@test "an RPV on cca-v14 is a usage error" {
	expect_failure 2 "personalization" -k "$KERNEL" --realm-pv abc
	expect_failure 2 "cca-v12" -k "$KERNEL" --realm-pv-hex 01 --host cca-v12
}

@test "an SVE length above the host's is a usage error" {
	host_config "$BATS_TEST_TMPDIR/host.conf" sve_max_vl=256
	expect_failure 2 "sve" -k "$KERNEL" --sve-vl 512 \
		--host-config "$BATS_TEST_TMPDIR/host.conf"
}

@test "a failed run leaves an existing output file untouched" {
	echo precious >"$DTB_OUT"
	rvs run --realm --dry-run --dtb-out "$DTB_OUT" -k "$BATS_TEST_TMPDIR/nope"
	[ "$status" -eq 1 ]
	[ "$(cat "$DTB_OUT")" = precious ]
}

@test "an output in a missing directory is a run-time error" {
	rvs run --realm --dry-run -k "$KERNEL" \
		--dtb-out "$BATS_TEST_TMPDIR/no/such/dir/x.dtb"
	[ "$status" -eq 1 ]
	[[ $stderr == *"x.dtb"* ]]
	[ -z "$output" ]
}

@test "--log-out failing removes the DTB written just before" {
	rvs run --realm --dry-run -k "$KERNEL" --dtb-out "$DTB_OUT" \
		--log-out "$BATS_TEST_TMPDIR/no/such/dir/x.log"
	[ "$status" -eq 1 ]
	[ ! -e "$DTB_OUT" ]
}

@test "a real launch of a non-bootable payload off a KVM host fails cleanly" {
	if [ -e /dev/kvm ] && [ "$(uname -m)" = aarch64 ]; then
		skip "this host could really launch the guest"
	fi
	run --separate-stderr timeout 60 "${RV_CMD[@]}" run -k "$KERNEL"
	[ "$status" -eq 1 ]
	[ -n "$stderr" ]
	[[ ${stderr_lines[-1]} == realmvm:* ]]
}
