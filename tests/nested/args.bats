#!/usr/bin/env bats
# Bad arguments on a real KVM host: one "realmvm:" line and a clean status.

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

@test "unknown option: exit 2 and one realmvm: line" {
	assert_rc badopt 2
	[ "$(nested_out badopt | grep -c '^realmvm: ')" -eq 1 ]
}

@test "-c 0: exit 2 and one realmvm: line" {
	assert_rc badcpus 2
	[ "$(nested_out badcpus | grep -c '^realmvm: ')" -eq 1 ]
}

@test "missing kernel file: exit 1 naming the file" {
	assert_rc nokernel 1
	assert_line nokernel '^realmvm: .*/l2/does-not-exist'
}
