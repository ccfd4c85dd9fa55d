#!/usr/bin/env bats
# --pmu on a real KVM host (steps/46-pmu.sh): the guest's kernel finds a
# PMUv3 with it and none without it.

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

@test "--pmu gives the guest a PMUv3 perf event source" {
	assert_rc pmu 0
	assert_line pmu '^REALMVM-L2 pmu=[1-9]'
}

@test "without --pmu the guest has no PMU" {
	assert_line linux-c2 '^REALMVM-L2 pmu=0'
}
