#!/usr/bin/env bats
# realmvm boots real KVM guests inside an emulated arm64 KVM host.

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

@test "L1 host comes up with /dev/kvm" {
	grep -q '^REALMVM-L1 kvm' "$NESTED_LOG"
}

@test "demo guest prints through the 16550 and powers off with status 0" {
	assert_line demo '^realmvm demo guest: hello$'
	assert_rc demo 0
}

@test "Linux guest with -c 2 reaches init and sees 2 CPUs" {
	assert_line linux-c2 '^REALMVM-L2-INIT cpus=2 '
	assert_line linux-c2 'online=0-1$'
}

@test "Linux guest runs on the vGICv3 of a GICv3 host" {
	assert_line linux-c2 '^REALMVM-L2 gic=GICv3$'
}

@test "Linux guest power-off ends realmvm with status 0" {
	assert_line linux-c2 '^REALMVM-L2 poweroff'
	assert_rc linux-c2 0
}

@test "Linux guest with -c 1 sees 1 CPU" {
	assert_line linux-c1 '^REALMVM-L2-INIT cpus=1 '
	assert_line linux-c1 'online=0$'
	assert_rc linux-c1 0
}

@test "guest RAM size follows -m 512M" {
	local kb
	kb=$(nested_out linux-c2 | sed -n 's/.*mem_kb=\([0-9]*\).*/\1/p')
	# MemTotal excludes what the kernel reserves, so below 512 MiB
	# but well above 256 MiB.
	[ -n "$kb" ] && [ "$kb" -le $((512 * 1024)) ] && [ "$kb" -gt $((256 * 1024)) ]
}

@test "a Linux boot needs no MMIO realmvm does not emulate" {
	refute_line linux-c2 '^realmvm:'
	refute_line linux-c1 '^realmvm:'
}
