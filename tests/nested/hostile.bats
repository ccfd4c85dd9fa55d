#!/usr/bin/env bats
# Hostile guests on real KVM: realmvm stays in control (guest/hostile).

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

@test "unmapped MMIO reads give the guest zero and the guest runs on" {
	assert_line hostile '^hostile: unmapped reads are zero$'
	refute_line hostile 'not zero'
	assert_rc hostile 0
}

@test "unmapped MMIO is reported once, on one realmvm: line" {
	# The guest makes six unmapped accesses.
	[ "$(nested_out hostile | grep -c '^realmvm: ')" -eq 1 ]
	assert_line hostile '^realmvm: guest read of 4 bytes at unmapped address 0x100000 ignored'
}

@test "an MMIO access KVM cannot decode ends realmvm with status 1" {
	assert_line hostile-nisv '^hostile: load pair to MMIO$'
	refute_line hostile-nisv 'still running'
	assert_line hostile-nisv '^realmvm: vCPU 0: guest made an MMIO access KVM cannot decode'
	assert_rc hostile-nisv 1
}
