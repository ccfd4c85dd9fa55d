#!/usr/bin/env bats
# --firmware FILE: a firmware image booted in place of the kernel, placed
# as kvmtool places it (at the RAM base, entered there, the DTB at the
# next 2 MiB boundary after it), and for a realm populated measured,
# logged as FIRMWARE and predicted by the dry run.  The firmware here is
# synthetic bytes; guest/firmware/fw.S is the bootable one for the nested
# and CCA suites.

load helpers

setup_file() {
	local d=$BATS_FILE_TMPDIR
	head -c 10000 /dev/zero | tr '\0' 'F' >"$d/fw"
	head -c $((3 * 1024 * 1024)) /dev/zero | tr '\0' 'G' >"$d/fw3m"
	make_image "$d/Image" 65536
	: >"$d/empty"
}

setup() {
	F=$BATS_FILE_TMPDIR
	cd "$BATS_TEST_TMPDIR" || return 1
}

# field NAME: the value pair of "NAME: ..." in $output
field() {
	printf '%s\n' "$output" | sed -n "s/^$1: //p"
}

# dtb_after SIZE: where the DTB goes after SIZE bytes of firmware
dtb_after() {
	printf '0x%x' $(((0x80000000 + $1 + 0x1fffff) / 0x200000 * 0x200000))
}

@test "a firmware is loaded at the RAM base and entered there" {
	rv run --dry-run --firmware "$F/fw"
	[ "$status" -eq 0 ]
	[ "$(field entry)" = 0x80000000 ]
	[ "$(field firmware)" = "0x80000000 $(printf '0x%x' 10000)" ]
	[ -z "$(field kernel)" ]
	[ -z "$(field initrd)" ]
	[ "$(field dtb | cut -d' ' -f1)" = "$(dtb_after 10000)" ]
}

@test "the DTB follows a larger firmware at the next 2 MiB boundary" {
	rv run --dry-run --firmware "$F/fw3m" -m 64M
	[ "$status" -eq 0 ]
	[ "$(field dtb | cut -d' ' -f1)" = "$(dtb_after $((3 * 1024 * 1024)))" ]
	[ "$(dtb_after $((3 * 1024 * 1024)))" = 0x80400000 ]
}

@test "--json names the firmware region" {
	rv run --dry-run --json --firmware "$F/fw"
	[ "$status" -eq 0 ]
	[[ $output == *'"firmware_addr": "0x80000000", "firmware_size": 10000'* ]]
	[[ $output != *kernel_addr* ]]
	python3 -c 'import json,sys; json.loads(sys.argv[1])' "$output"
}

@test "realm: the firmware is measured and logged as FIRMWARE (EV_EFI_PLATFORM_FIRMWARE_BLOB2)" {
	rv run --realm --dry-run --firmware "$F/fw" -c 2 --log-out log.bin \
		--dtb-out guest.dtb
	[ "$status" -eq 0 ]
	rv log show log.bin
	[ "$status" -eq 0 ]
	local sum
	sum=$(sha256sum "$F/fw" | cut -d' ' -f1)
	printf '%s\n' "$output" | grep -q \
		"EV_EFI_PLATFORM_FIRMWARE_BLOB2 FIRMWARE base 0x80000000 size $(printf '0x%x' 10000) sha256 $sum"
	[[ $output != *KERNEL* ]]
	printf '%s\n' "$output" | grep -q "REC_CREATE flags 0x1 pc 0x80000000 x0 $(dtb_after 10000) "
}

@test "realm: log verify with the firmware reproduces the dry run's RIM" {
	rv run --realm --dry-run --firmware "$F/fw" --log-out log.bin \
		--dtb-out guest.dtb
	[ "$status" -eq 0 ]
	local rim
	rim=$(field RIM)
	[ ${#rim} -eq 64 ]
	rv log verify log.bin --firmware "$F/fw" --dtb guest.dtb \
		--expect-rim "$rim"
	[ "$status" -eq 0 ]
	[[ $output == *"Expected RIM: match"* ]]
	# A different firmware is caught by its digest.
	rv log verify log.bin --firmware "$F/fw3m" --dtb guest.dtb
	[ "$status" -eq 1 ]
	[[ $output == *"FIRMWARE is 10000 bytes in the log"* ]]
}

@test "realm: one changed firmware byte changes the RIM; the trace populates it at 0x80000000" {
	rv run --realm --dry-run --firmware "$F/fw"
	[ "$status" -eq 0 ]
	local a
	a=$(field RIM)
	cp "$F/fw" fw2
	printf 'x' | dd of=fw2 bs=1 seek=5000 conv=notrunc status=none
	rv run --realm --dry-run --firmware fw2
	[ "$status" -eq 0 ]
	[ "$(field RIM)" != "$a" ]
	rv run --realm --dry-run --trace --firmware "$F/fw"
	[ "$status" -eq 0 ]
	[[ ${lines[1]} == "DATA ipa=0x80000000 measure=1 content="* ]]
	# The trace ends on the same RIM as the report.
	[[ $output == *"rim=$a"* ]]
}

@test "--firmware and a kernel cannot both be given" {
	rvs run --dry-run --firmware "$F/fw" -k "$F/Image"
	[ "$status" -eq 2 ]
	[[ $stderr == "realmvm: --firmware replaces the kernel"* ]]
	rvs run --dry-run --firmware "$F/fw" -i "$F/fw"
	[ "$status" -eq 2 ]
	[[ $stderr == "realmvm: --initrd needs a kernel"* ]]
}

@test "an empty or missing firmware is one error line, exit 1" {
	rvs run --dry-run --firmware "$F/empty"
	[ "$status" -eq 1 ]
	[ "$stderr" = "realmvm: firmware image is empty" ]
	rvs run --dry-run --firmware "$F/nope"
	[ "$status" -eq 1 ]
	[[ $stderr == "realmvm: firmware $F/nope: No such file"* ]]
}
