#!/usr/bin/env bats
# A GICv2-only KVM host: realmvm probes the vGIC before building the DTB.
# Needs the second L1 boot (suite.sh; NESTED_NO_GICV2=1 leaves it out).

load nested_helpers

setup_file() {
	nested_setup_file
	export NESTED_FROM=$NESTED_LOG_GICV2
}

setup() {
	nested_setup
	[ -s "$NESTED_LOG_GICV2" ] || skip "no GICv2 host boot (NESTED_NO_GICV2 set?)"
}

@test "GICv2 host: Linux guest reaches init with 2 CPUs on a GICv2" {
	assert_line gicv2-linux '^REALMVM-L2-INIT cpus=2 '
	assert_line gicv2-linux '^REALMVM-L2 gic=GICv2$'
	assert_rc gicv2-linux 0
}

@test "GICv2 host: more than 8 vCPUs is refused with exit 2" {
	assert_rc gicv2-toomany 2
	assert_line gicv2-toomany '^realmvm: .*GICv2'
}
