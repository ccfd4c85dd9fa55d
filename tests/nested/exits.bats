#!/usr/bin/env bats
# How a KVM run ends: reset, console escape, and console input.

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

@test "guest reset under --no-reboot exits with status 3" {
	assert_line reset '^REALMVM-L2 rebooting'
	assert_rc reset 3
}

@test "a line typed on realmvm's stdin reaches the guest console" {
	assert_line input '^REALMVM-L2 got=typed-line-42$'
	assert_rc input 0
}

@test "Ctrl-A x ends a running guest with status 0" {
	assert_line escape '^REALMVM-L2 holding'
	refute_line escape '^REALMVM-L2 poweroff'
	assert_rc escape 0
}

@test "guest reset without --no-reboot reboots, reloading the payload files" {
	assert_line reboot '^REALMVM-L2 rebooting'
	[ "$(nested_out reboot | grep -c '^REALMVM-L2-INIT ')" -eq 1 ]
	assert_line reboot '^REALMVM-L2 second-boot$'
	assert_rc reboot 0
}

@test "SIGTERM ends a running guest: realmvm dies of the signal (143)" {
	assert_line sigterm '^REALMVM-L2 holding'
	refute_line sigterm '^REALMVM-L2 poweroff'
	assert_rc sigterm 143
}
