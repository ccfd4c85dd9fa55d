#!/usr/bin/env bats
# --9p DIR,TAG and --network mode=user as the command line, the DTB and a
# realm's RIM see them: a virtio-9p node after every other virtio device,
# a dry run that needs neither the directory nor libslirp, and the usage
# errors.  What the share does at run time is in tests/unit/test_p9_*.c
# and test_virtio_9p.c; booted guests are in the nested and CCA suites.

load helpers

setup() {
	make_payload
	DTB_OUT=$BATS_TEST_TMPDIR/out.dtb
	SHARE=$BATS_TEST_TMPDIR/share
	mkdir -p "$SHARE"
}

dts() {
	rv run --dry-run -k "$KERNEL" --dtb-out "$DTB_OUT" "$@"
	[ "$status" -eq 0 ] || fail_msg "exit $status: $output"
	dtc -q -I dtb -O dts "$DTB_OUT"
}

node() {
	local name
	name=$(printf 'virtio_mmio@%x' $((0xa000000 + $1 * 0x200)))
	printf '%s\n' "$src" | sed -n "/$name {/,/};/p"
}

@test "each --9p is a virtio node after the RNG, in command-line order" {
	src=$(dts --rng --9p "$SHARE,one" --9p "$SHARE,two")
	[ "$(printf '%s\n' "$src" | grep -c 'compatible = "virtio,mmio"')" -eq 3 ]
	[[ $(node 1) == *"interrupts = <0x00 0x11 0x01>;"* ]]
	[[ $(node 2) == *"interrupts = <0x00 0x12 0x01>;"* ]]
	[ -z "$(node 3)" ]
}

@test "a dry run does not need the shared directory" {
	src=$(dts --9p "$BATS_TEST_TMPDIR/missing,tag")
	[ -n "$(node 0)" ]
}

@test "the tag follows the first comma, as lkvm reads it" {
	src=$(dts --9p "$SHARE,tag")
	[ -n "$(node 0)" ]
	rvs run --dry-run -k "$KERNEL" --9p "$BATS_TEST_TMPDIR/a,b,tag"
	[ "$status" -eq 2 ]
	[[ $stderr == "realmvm: invalid --9p tag 'b,tag': it cannot contain ','" ]]
}

@test "a realm's RIM changes with a share but not with its directory" {
	rv run --realm --dry-run -k "$KERNEL"
	local none=${lines[0]}
	rv run --realm --dry-run -k "$KERNEL" --9p "$SHARE,t"
	local one=${lines[0]}
	rv run --realm --dry-run -k "$KERNEL" --9p "$BATS_TEST_TMPDIR,t"
	[ "$none" != "$one" ]
	[ "${lines[0]}" = "$one" ]
}

@test "--network mode=user is a virtio-net node; a dry run needs no libslirp" {
	src=$(dts --network mode=user --network tap=rvtest0)
	[ -n "$(node 0)" ]
	[ -n "$(node 1)" ]
	[ -z "$(node 2)" ]
}

@test "--9p usage errors name the problem" {
	rvs run --dry-run -k "$KERNEL" --9p "$SHARE"
	[ "$status" -eq 2 ]
	[[ $stderr == "realmvm: --9p needs DIR,TAG"* ]]
	rvs run --dry-run -k "$KERNEL" --9p "$SHARE,"
	[ "$status" -eq 2 ]
	rvs run --dry-run -k "$KERNEL" --9p ",tag"
	[ "$status" -eq 2 ]
	rvs run --dry-run -k "$KERNEL" --9p "$SHARE,$(printf 'x%.0s' {1..33})"
	[ "$status" -eq 2 ]
	[[ $stderr == *"is too long (at most 32 bytes)" ]]
	rvs run --dry-run -k "$KERNEL" --9p "$SHARE,a b"
	[ "$status" -eq 2 ]
	[[ $stderr == *"has a space or control character"* ]]
	rvs run --dry-run -k "$KERNEL" --9p "$SHARE,t" --9p "$SHARE,t"
	[ "$status" -eq 2 ]
	[[ $stderr == *"--9p tag 't' is given twice"* ]]
	local args=() i
	for i in 1 2 3 4 5 6 7 8 9; do args+=(--9p "$SHARE,t$i"); done
	rvs run --dry-run -k "$KERNEL" "${args[@]}"
	[ "$status" -eq 2 ]
	[[ $stderr == "realmvm: too many --9p options (at most 8)" ]]
}

@test "--network mode= other than tap, user or none is refused" {
	rvs run --dry-run -k "$KERNEL" --network mode=bogus
	[ "$status" -eq 2 ]
	[[ $stderr == "realmvm: invalid --network mode 'bogus' (tap, user or none)" ]]
}
