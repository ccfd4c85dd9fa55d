#!/usr/bin/env bats
# The run-time sandbox (vmm/sandbox.c), tested on any host through the
# test-only probe (tests/sandbox/probe.c): it sets up like a launch, enters
# the sandbox exactly as the run loop does (process, vCPU thread, device
# thread) and then makes one call.  A forbidden call must kill the whole
# process with SIGSYS (exit status 128 + 31) before anything after it can
# touch the guest's data, here a disk image and a shared "guest RAM" file.
# Real boots with the sandbox on are the nested and CCA suites' job.

load helpers

setup() {
	local root dir
	[ -z "${REALMVM_UNDER_QEMU:-}" ] ||
		skip "qemu-user does not apply seccomp filters to the guest program"
	root=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	dir=$(cd "$(dirname "$REALMVM")" && pwd)
	if [ "$dir" = "$root" ]; then
		PROBE=$root/build/host/tests/sandbox-probe
	else
		PROBE=$dir/tests/sandbox-probe
	fi
	[ -x "$PROBE" ] || fail_msg "no sandbox probe at $PROBE (make unit-tests)"
	# ASan's own threads (leak checker) and alternate signal stacks are
	# not part of realmvm's filter; the calls under test are the same.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0:use_sigaltstack=0"
	D=$BATS_TEST_TMPDIR
	truncate -s 4096 "$D/disk"
}

probe() {
	run --separate-stderr "$PROBE" "$1" "$D/disk" "$D/ram"
}

# killed_before_ram MODE: the probe dies of SIGSYS before writing "RAM"
killed_before_ram() {
	rm -f "$D/ram"
	probe "$1"
	[ "$status" -eq 159 ] || fail_msg "$1: exit $status, want 159 (SIGSYS)"
	[ -z "$(at 0 10 "$D/ram")" ] || fail_msg "$1: ran past the call"
}

# at OFFSET LEN FILE: the bytes there, NULs dropped
at() {
	dd if="$3" bs=1 skip="$1" count="$2" status=none | tr -d '\0'
}

@test "sandbox: the allowed calls of every thread run to the end" {
	probe allowed
	[ "$status" -eq 0 ] || fail_msg "exit $status: $stderr"
	[ "${lines[*]}" = "main: sandboxed vcpu: sandboxed device: sandboxed device: done main: done" ]
	[ "$(at 0 10 "$D/disk")" = VCPU-WROTE ]
	[ "$(at 512 9 "$D/disk")" = VCPU-LAST ]
	[ "$(at 64 12 "$D/ram")" = DEVICE-AFTER ]
}

@test "sandbox: off, the same forbidden calls succeed (what --sandbox=off gives)" {
	probe off
	[ "$status" -eq 0 ]
	[ "$(at 64 12 "$D/ram")" = DEVICE-AFTER ]
	[ "$(at 512 9 "$D/disk")" = VCPU-LAST ]
}

@test "sandbox: a device thread's openat kills the process (SIGSYS) before it touches guest data" {
	probe device-openat
	[ "$status" -eq 159 ] || fail_msg "exit $status, want 159 (SIGSYS)"
	[ "${lines[-1]}" = "device: sandboxed" ]
	[ "$(at 0 10 "$D/ram")" = VCPU-AFTER ]	# before the call: done
	[ -z "$(at 64 12 "$D/ram")" ]		# after it: never
	[ -z "$(at 512 9 "$D/disk")" ]		# nor the vCPU's later write
}

@test "sandbox: per thread: a vCPU thread may pwrite the disk, a device thread may not" {
	probe device-pwrite
	[ "$status" -eq 159 ]
	[ "$(at 0 10 "$D/disk")" = VCPU-WROTE ]
	[ -z "$(at 1024 1 "$D/disk")" ]
	[ -z "$(at 64 12 "$D/ram")" ]
}

@test "sandbox: a realm's exit ioctls on a vCPU thread pass, and REALMVM_TRACE_KVM can print them" {
	probe realm-trace
	[ "$status" -eq 0 ] || fail_msg "exit $status: $stderr"
	[ "${lines[*]}" = "main: sandboxed vcpu: sandboxed device: sandboxed device: done main: done" ]
	[[ $stderr == *"SET_MEMORY_ATTRIBUTES"*"SET_VCPU_EVENTS"*"GET_ONE_REG"*"PSCI_COMPLETE(0xd2)"*"PSCI_COMPLETE(0xd6)"* ]] ||
		fail_msg "trace: $stderr"
}

@test "sandbox: a realm's reboot on the main thread opens its files and hashes on threads" {
	probe realm-reboot
	[ "$status" -eq 0 ] || fail_msg "exit $status: $stderr"
	[ "${lines[*]}" = "main: sandboxed vcpu: sandboxed device: sandboxed device: done main: rebooted main: done" ]
}

@test "sandbox: with --9p a vCPU thread makes the 9p server's calls" {
	probe p9
	[ "$status" -eq 0 ] || fail_msg "exit $status: $stderr"
	[ "${lines[*]}" = "main: sandboxed vcpu: sandboxed device: sandboxed device: done main: done" ]
	[ ! -e "$D/p9e" ]
}

@test "sandbox: the control socket thread answers its owner, and nothing else" {
	probe control
	[ "$status" -eq 0 ] || fail_msg "exit $status: $stderr"
	[ "${lines[*]}" = "control: sandboxed control: done" ]
	killed_before_ram control-getsockopt
}

@test "sandbox: the libslirp thread may use AF_INET sockets, not AF_UNIX, and opens read-only" {
	probe slirp
	[ "$status" -eq 0 ] || fail_msg "exit $status: $stderr"
	[ "${lines[*]}" = "slirp: sandboxed slirp: done" ]
	killed_before_ram slirp-unix
	killed_before_ram slirp-open-rw
}

@test "sandbox: a vCPU thread's socket() kills the process" {
	probe vcpu-socket
	[ "$status" -eq 159 ]
	[ "${lines[-1]}" = "vcpu: sandboxed" ]
	[ -z "$(at 0 10 "$D/ram")" ]
}

@test "sandbox: the main thread's execve kills the process" {
	probe main-execve
	[ "$status" -eq 159 ]
	[ "${lines[*]}" = "main: sandboxed" ]
	[ -z "$(at 0 10 "$D/ram")" ]
	[ -z "$(at 0 10 "$D/disk")" ]
}

@test "sandbox: a fault signal on a vCPU thread still runs realmvm's handler (SIGPIPE, not SIGSYS)" {
	probe vcpu-sigpipe
	[ "$status" -eq 141 ] || fail_msg "exit $status, want 141 (SIGPIPE)"
	[ -z "$(at 0 10 "$D/ram")" ]
}

@test "sandbox: realmvm's stack is not executable (the filters refuse PROT_EXEC mappings, which glibc would use for thread stacks)" {
	local root bin
	root=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	command -v readelf >/dev/null || skip "no readelf"
	for bin in "$REALMVM" "$root/build/arm64/realmvm"; do
		[ -e "$bin" ] || continue
		run readelf -lW "$bin"
		[ "$status" -eq 0 ]
		[[ $output =~ GNU_STACK[^$'\n']*\ RW\  ]] ||
			fail_msg "$bin: GNU_STACK is not RW"
	done
}

@test "sandbox: every filter builds for aarch64 and x86_64, KVM_RUN allowed by number" {
	local arch
	for arch in aarch64 x86_64; do
		run "$PROBE" export "$arch"
		[ "$status" -eq 0 ] || fail_msg "$arch: exit $status"
		[[ $output == *"filter for arch $arch"* ]]
		# KVM_RUN = _IO(0xae, 0x80), in the main and vCPU filters
		[ "$(grep -c '== 44672)' <<<"$output")" -eq 2 ]
	done
}

@test "sandbox: a thread's list is within its creator's (filters stack)" {
	run "$PROBE" list main
	main=$output
	run "$PROBE" list vcpu
	vcpu=$output
	run "$PROBE" list device
	device=$output
	while read -r line; do
		grep -qxF "$line" <<<"$main" || fail_msg "vcpu: $line not in main"
	done <<<"$vcpu"
	while read -r line; do
		grep -qxF "$line" <<<"$vcpu" || fail_msg "device: $line not in vcpu"
	done <<<"$device"
	# the libslirp thread a reboot starts again runs under main's filter
	run "$PROBE" list main full
	mainf=$output
	run "$PROBE" list slirp full
	while read -r line; do
		grep -qxF "$line" <<<"$mainf" || fail_msg "slirp: $line not in main"
	done <<<"$output"
	# and each is narrower than the one before
	[ "$(wc -l <<<"$device")" -lt "$(wc -l <<<"$vcpu")" ]
	[ "$(wc -l <<<"$vcpu")" -lt "$(wc -l <<<"$main")" ]
	! grep -qx 'syscall openat' <<<"$vcpu"
	! grep -qx 'ioctl KVM_RUN' <<<"$device"
}

@test "sandbox: docs/hardening.md lists every allowed call" {
	local doc=$BATS_TEST_DIRNAME/../../docs/hardening.md role kind name
	for role in main vcpu device slirp control; do
		run "$PROBE" list "$role" full
		[ "$status" -eq 0 ]
		while read -r kind name; do
			grep -q "\`$name\`" "$doc" ||
				fail_msg "$kind $name ($role) is not in docs/hardening.md"
		done <<<"$output"
	done
}
