#!/usr/bin/env bats
# `realmvm list` and `realmvm stop NAME` on a real KVM host, and the
# control socket removed on every way a run ends (steps/45-control.sh).

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

@test "list shows a running VM by its --name" {
	assert_rc ctl-list 0
	assert_line ctl-list '^ *PID +NAME +TYPE +STATE'
	assert_line ctl-list '^ *[0-9]+ +l2-ctl +vm +running$'
}

@test "the control socket is private: 0600 in a 0700 directory" {
	assert_line ctl-ls '^srw------- .* l2-ctl\.sock$'
}

@test "a second VM of a running VM's name is refused" {
	assert_rc ctl-dup 1
	assert_line ctl-dup "^realmvm: a VM named 'l2-ctl' is already running"
}

@test "stop NAME ends the VM as a power-off and removes its socket" {
	assert_rc ctl-stop 0
	assert_rc ctl-run 0
	refute_line ctl-after-stop 'l2-ctl'
	assert_rc ctl-list-after 0
	refute_line ctl-list-after 'l2-ctl'
}

@test "SIGTERM ends the VM with status 143 and removes its socket" {
	assert_rc ctl-term 143
	refute_line ctl-after-term 'l2-term'
}
