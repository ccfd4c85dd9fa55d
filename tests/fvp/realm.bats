#!/usr/bin/env bats
# Realms on a real Arm CCA host (FVP or hardware), named by
# REALMVM_TEST_HOST; see docs/fvp.md.  Without one every test skips and
# says why.  No timing is asserted: timeouts only stop a hung run.

load fvp_helpers

setup() {
	fvp_require_host
}

# Kernel command line for a realm: no earlycon (hangs the guest series
# seen so far), rodata=full (sharing memory needs page mappings).
SERIAL="-p 'console=ttyS0 rodata=full'"

@test "a realm boots to init with 1 vCPU" {
	realm -m 512M -c 1 "$SERIAL"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"REALMVM-REALM-INIT cpus=1"* ]]
	[[ $output == *"REALMVM-REALM-POWEROFF"* ]]
}

@test "a realm boots to init with 2 vCPUs" {
	realm -m 512M -c 2 "$SERIAL"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"REALMVM-REALM-INIT cpus=2"* ]]
}

@test "the token's RIM equals realmvm's --dry-run RIM (realm-check)" {
	local args rim
	make_disk task.img rimcheck
	args="-m 512M -c 2 --disk task.img $SERIAL"
	rim=$(dry_rim "$args")
	[[ $rim =~ ^[0-9a-f]{64}([0-9a-f]{64})?$ ]]
	# the disk is not measured, so it can carry the expected RIM
	make_disk task.img rimcheck "$rim"
	realm "$args"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"REALMVM-REALM-DISK marker=rimcheck"* ]]
	[[ $output == *"REALMVM-REALM-CHECK rc=0"* ]]
}

@test "the event log in the realm replays to the token's RIM (realm-check)" {
	local args rim
	make_disk task.img logcheck
	args="-m 512M -c 1 --disk task.img $SERIAL"
	rim=$(dry_rim "$args")
	make_disk task.img logcheck "$rim"
	realm "$args"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"REALMVM-REALM-CHECK rc=0"* ]]
	if [[ $output == *"REALMVM-REALM-CHECK-LOG rc=0"* ]]; then
		return 0
	fi
	# realm-check needs /sys/kernel/tsm/ccel or /dev/mem access to RAM
	if [[ $output == *"log: not available"* ]]; then
		skip "the guest kernel exposes no event log to realm-check (needs the ccel file or CONFIG_STRICT_DEVMEM=n)"
	fi
	false
}

@test "virtio console and virtio-blk work inside the realm" {
	make_disk blk.img blk-$$
	realm -m 512M -c 1 --console virtio --disk blk.img \
		"-p 'console=hvc0 rodata=full'"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"REALMVM-REALM-DISK marker=blk-$$"* ]]
	[[ $output == *"REALMVM-REALM-WROTE"* ]]
	host_get blk.img "$BATS_TEST_TMPDIR/back.img"
	dd if="$BATS_TEST_TMPDIR/back.img" bs=4096 skip=1 count=1 \
		status=none | grep -a -q "written-by-realm blk-$$"
}

@test "a bad option fails cleanly on the CCA host" {
	realm --no-such-option
	echo "$output"
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -ge 1 ]
	[[ ${lines[0]} == realmvm:* ]]
	[[ $output != *REALMVM-REALM-INIT* ]]
}

@test "an unsupported hash algorithm fails cleanly on the CCA host" {
	realm -m 512M --measurement-algo sha384 "$SERIAL"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == realmvm:*sha384* ]]
	[[ $output != *REALMVM-REALM-INIT* ]]
	# v12..v14 cannot choose the hash at all: sha512 must be refused
	if [ "$(host_profile)" != cca-v10 ]; then
		realm -m 512M --measurement-algo sha512 "$SERIAL"
		echo "$output"
		[ "$status" -ne 0 ]
		[[ $output == *sha512* ]]
		[[ $output != *REALMVM-REALM-INIT* ]]
	fi
}
