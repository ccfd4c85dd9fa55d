#!/usr/bin/env bats
# --firmware on a real KVM host: guest/firmware/fw.S booted as a normal
# VM (steps/41-firmware.sh), compared with the dry run's placement.

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

# fw_value KEY: what the firmware printed after "realmvm test firmware: KEY "
fw_value() {
	nested_out firmware | sed -n "s/^realmvm test firmware: $1 //p" | tail -1
}

# dry_value KEY: the first field of the dry run's "KEY: ..." line
dry_value() {
	nested_out firmware-dry | sed -n "s/^$1: \([^ ]*\).*/\1/p" | tail -1
}

@test "firmware: the test firmware runs and says hello on the UART" {
	assert_line firmware '^realmvm test firmware: hello$'
}

@test "firmware: x0 holds the address of a flattened device tree" {
	assert_line firmware '^realmvm test firmware: DTB found in x0$'
	refute_line firmware 'no DTB in x0'
	refute_line firmware 'LSR never showed THRE'
}

@test "firmware: PSCI SYSTEM_OFF ends the VM with status 0 and no error" {
	refute_line firmware '^realmvm:'
	assert_rc firmware 0
}

@test "firmware: it runs where the dry run says (entry = firmware base)" {
	local at entry base
	at=$(fw_value entry)
	entry=$(dry_value entry)
	base=$(dry_value firmware)
	echo "firmware ran at '$at'; dry run: entry '$entry', firmware '$base'"
	assert_rc firmware-dry 0
	[[ $at =~ ^0x[0-9a-f]{16}$ ]]
	[ $((at)) -eq $((entry)) ] && [ $((at)) -eq $((base)) ]
}

@test "firmware: x0 is the DTB address the dry run predicts (next 2 MiB boundary)" {
	local x0 dtb size
	x0=$(fw_value x0)
	dtb=$(dry_value dtb)
	size=$(nested_out firmware-dry | sed -n 's/^firmware: [^ ]* //p')
	echo "x0 '$x0', dry run dtb '$dtb', firmware size '$size'"
	[[ $x0 =~ ^0x[0-9a-f]{16}$ ]] && [ -n "$dtb" ] && [ -n "$size" ]
	[ $((x0)) -eq $((dtb)) ]
	[ $((dtb)) -eq $(((0x80000000 + size + 0x1fffff) / 0x200000 * 0x200000)) ]
}

@test "firmware: --firmware with -k is a usage error (status 2, one line)" {
	assert_rc firmware-kernel 2
	[ "$(nested_out firmware-kernel | grep -c '^realmvm: ')" -eq 1 ]
}
