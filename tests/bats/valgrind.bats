#!/usr/bin/env bats
# The dry run and `log verify` under valgrind memcheck: no invalid read
# or write, no use of uninitialised memory, no definite or indirect leak.
# Any such error makes valgrind exit 99 instead of realmvm's own status.
#
# Only for the native host build: the aarch64 build runs under qemu-user
# (valgrind cannot follow it there) and the ASan build has its own
# checker, which does not work under valgrind.

load helpers

setup() {
	[ -z "${REALMVM_UNDER_QEMU:-}" ] || skip "aarch64 build under qemu-user"
	[[ $REALMVM != *host-san* ]] || skip "ASan build: ASan checks it"
	command -v valgrind >/dev/null || skip "valgrind not installed"
	T=$BATS_TEST_TMPDIR
	make_payload
	make_dtb "$T/user.dtb"
}

# vg ARGS...: realmvm ARGS under memcheck; $status 99 means an error.
vg() {
	run --separate-stderr valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect \
		--show-leak-kinds=definite,indirect --track-origins=yes \
		"$REALMVM" "$@"
	[ "$status" -ne 99 ] || fail_msg "valgrind: $stderr"
}

@test "valgrind: normal dry run with initrd and DTB out" {
	vg run --dry-run -k "$KERNEL" -i "$INITRD" -c 2 --rng --disk "$KERNEL" \
		--dtb-out "$T/normal.dtb"
	[ "$status" -eq 0 ]
	[ -s "$T/normal.dtb" ]
}

@test "valgrind: realm dry run with log out, JSON and trace" {
	vg run --dry-run --realm -k "$KERNEL" -i "$INITRD" --dtb "$T/user.dtb" \
		--dtb-out "$T/realm.dtb" --log-out "$T/realm.log" --json
	[ "$status" -eq 0 ]
	vg run --dry-run --realm --host cca-v10 --measurement-algo sha512 \
		-k "$KERNEL" --trace --threads 3
	[ "$status" -eq 0 ]
}

@test "valgrind: log show and log verify of a realm log" {
	vg run --dry-run --realm -k "$KERNEL" -i "$INITRD" --dtb "$T/user.dtb" \
		--log-out "$T/realm.log"
	[ "$status" -eq 0 ]
	rim=$(rim_line)
	vg log show "$T/realm.log"
	[ "$status" -eq 0 ]
	vg log show --json "$T/realm.log"
	[ "$status" -eq 0 ]
	vg log verify --kernel "$KERNEL" --initrd "$INITRD" --dtb "$T/user.dtb" \
		--expect-rim "$rim" "$T/realm.log"
	[ "$status" -eq 0 ]
	[[ $output == *"Expected RIM: match"* ]]
}

@test "valgrind: failing dry run and failing log verify free everything" {
	head -c 40 "$KERNEL" >"$T/short"
	vg run --dry-run --realm -k "$T/short" --log-out "$T/x.log"
	[ "$status" -eq 1 ]
	vg run --dry-run --realm -k "$KERNEL" -i "$INITRD" \
		--log-out "$T/realm.log"
	[ "$status" -eq 0 ]
	head -c 300 "$T/realm.log" >"$T/cut.log"
	vg log verify --kernel "$KERNEL" "$T/cut.log"
	[ "$status" -eq 1 ]
	vg log verify --kernel "$T/short" --initrd "$INITRD" "$T/realm.log"
	[ "$status" -eq 1 ]
}
