#!/usr/bin/env bats
# `realmvm caps` and a realm launch on a host that cannot run realms (no
# /dev/kvm, an x86 or non-CCA arm64 KVM): one line naming what is missing,
# exit 1, nothing on stdout.  On a real CCA host these tests skip; the
# CCA-host suite (tests/fvp) covers it.

load helpers

# Skip on a CCA host, where caps succeeds.
require_non_cca() {
	rvs caps
	if [ "$status" -eq 0 ]; then
		skip "this is an Arm CCA host: tests/fvp covers realm launches"
	fi
}

# The one stderr line must say why: no KVM, not arm64, or no CCA cap.
says_what_is_missing() {
	[ "${#stderr_lines[@]}" -eq 1 ] ||
		fail_msg "want one stderr line, got: $stderr"
	[[ ${stderr_lines[0]} == "realmvm: "* ]] || fail_msg "$stderr"
	[[ $stderr == *"/dev/kvm"* || $stderr == *"arm64 KVM"* ||
	   $stderr == *"KVM_CAP_ARM_R"* ]] || fail_msg "no reason: $stderr"
}

@test "caps on a host without CCA says what is missing and exits 1" {
	require_non_cca
	rvs caps
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	says_what_is_missing
}

@test "caps --help prints usage and exits 0" {
	rv caps --help
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "usage: realmvm caps"* ]]
}

@test "caps rejects an argument as a usage error" {
	rvs caps --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ ${stderr_lines[0]} == "realmvm: caps: unexpected argument '--bogus'" ]]
}

@test "run --realm on a host without CCA exits 1 naming what is missing" {
	require_non_cca
	make_image "$BATS_TEST_TMPDIR/Image" $((256 * 1024))
	rvs run --realm -k "$BATS_TEST_TMPDIR/Image" -m 64M
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	says_what_is_missing
}

@test "run --realm --host cca-v10 on a host without CCA exits 1 too" {
	require_non_cca
	make_image "$BATS_TEST_TMPDIR/Image" $((256 * 1024))
	rvs run --realm --host cca-v10 -k "$BATS_TEST_TMPDIR/Image" -m 64M
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	says_what_is_missing
}

@test "the dry run needs no CCA host: it still predicts a RIM here" {
	make_image "$BATS_TEST_TMPDIR/Image" $((256 * 1024))
	rvs run --realm --dry-run -k "$BATS_TEST_TMPDIR/Image" -m 64M
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^RIM:\ [0-9a-f]{64}$ ]]
}

@test "run --realm --host-config FILE (no dry run) checks FILE against KVM: without CCA exits 1" {
	require_non_cca
	make_image "$BATS_TEST_TMPDIR/Image" $((256 * 1024))
	printf 'host=cca-v10\nsve_max_vl=512\n' >"$BATS_TEST_TMPDIR/caps.conf"
	rvs run --realm --host-config "$BATS_TEST_TMPDIR/caps.conf" \
		-k "$BATS_TEST_TMPDIR/Image" -m 64M
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	says_what_is_missing
}
