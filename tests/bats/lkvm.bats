#!/usr/bin/env bats
# The options as lkvm (kvmtool) spells them, in dry runs of normal VMs and
# realms: -d/--disk, --dtb, -n/--network, --name, --pmu, --dump-dtb,
# --nodefaults, -m with T, -V/--version; and `realmvm list` with nothing
# running.  Every refused value is a row of bad_input.bats; what --9p,
# -f/--firmware and -n mode=user do is in virtio_9p.bats and
# firmware.bats.

load helpers

setup() {
	make_payload
	DTB_OUT=$BATS_TEST_TMPDIR/out.dtb
	DISK=$BATS_TEST_TMPDIR/disk.img
	head -c 65536 /dev/zero >"$DISK"
}

# dump NAME ARGS...: dry run with ARGS, the DTB written to $BATS_TEST_TMPDIR/NAME.
dump() {
	local name=$1
	shift
	rv run --dry-run -k "$KERNEL" --dump-dtb "$BATS_TEST_TMPDIR/$name" "$@"
	[ "$status" -eq 0 ] || fail_msg "exit $status: $output"
}

# dts FILE: a DTB as source.
dts() {
	dtc -q -I dtb -O dts "$1"
}

# rim ARGS...: the RIM of a realm dry run with ARGS.
rim() {
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD" "$@"
	[ "$status" -eq 0 ] || fail_msg "exit $status: $output"
	rim_line || fail_msg "no RIM line: ${lines[0]}"
}

@test "-d is --disk (lkvm), not a DTB: same machine, one virtio-blk each" {
	dump short -d "$DISK" -d "$DISK,ro"
	dump long --disk "$DISK" --disk "$DISK,ro"
	cmp "$BATS_TEST_TMPDIR/short" "$BATS_TEST_TMPDIR/long"
	[ "$(dts "$BATS_TEST_TMPDIR/short" | grep -c 'compatible = "virtio,mmio"')" -eq 2 ]
	# a DTB file given to -d is a disk image too
	make_dtb "$BATS_TEST_TMPDIR/user.dtb" lkvm-d-test
	dump asdisk -d "$BATS_TEST_TMPDIR/user.dtb"
	[[ $(dts "$BATS_TEST_TMPDIR/asdisk") != *lkvm-d-test* ]]
	[ "$(dts "$BATS_TEST_TMPDIR/asdisk" | grep -c 'virtio,mmio')" -eq 1 ]
}

@test "-f, -n mode=user and --9p DIR,TAG as lkvm spells them" {
	head -c 4096 /dev/zero >"$BATS_TEST_TMPDIR/fw"
	rv run --dry-run -f "$BATS_TEST_TMPDIR/fw" -n mode=user \
		--9p "$BATS_TEST_TMPDIR,share" --dump-dtb "$BATS_TEST_TMPDIR/fw.dtb"
	[ "$status" -eq 0 ] || fail_msg "exit $status: $output"
	[[ $output == *"firmware: 0x80000000 0x1000"* ]]
	[ "$(dts "$BATS_TEST_TMPDIR/fw.dtb" | grep -c 'virtio,mmio')" -eq 2 ]
}

@test "--dtb FILE is used as is, for a VM and a realm" {
	make_dtb "$BATS_TEST_TMPDIR/user.dtb" lkvm-dtb-test
	dump vm --dtb "$BATS_TEST_TMPDIR/user.dtb"
	[[ $(dts "$BATS_TEST_TMPDIR/vm") == *'model = "lkvm-dtb-test"'* ]]
	a=$(rim --dtb "$BATS_TEST_TMPDIR/user.dtb")
	make_dtb "$BATS_TEST_TMPDIR/other.dtb" lkvm-dtb-other
	b=$(rim --dtb "$BATS_TEST_TMPDIR/other.dtb")
	[ "$a" != "$b" ]
}

@test "-n mode=tap,tapif=NAME is --network tap=NAME; -n none adds nothing" {
	dump lkvm -n mode=tap,tapif=rvt0 -n tapif=rvt1
	dump old --network tap=rvt0 --network tap=rvt1
	cmp "$BATS_TEST_TMPDIR/lkvm" "$BATS_TEST_TMPDIR/old"
	[ "$(dts "$BATS_TEST_TMPDIR/lkvm" | grep -c 'virtio,mmio')" -eq 2 ]
	dump none -n none
	dump plain
	cmp "$BATS_TEST_TMPDIR/none" "$BATS_TEST_TMPDIR/plain"
	dump none2 --network mode=none
	cmp "$BATS_TEST_TMPDIR/none2" "$BATS_TEST_TMPDIR/plain"
}

@test "guest_mac is accepted and, living in config space, leaves the DTB alone" {
	dump mac -n mode=tap,tapif=rvt0,guest_mac=02:00:00:aa:bb:cc
	dump nomac -n mode=tap,tapif=rvt0
	cmp "$BATS_TEST_TMPDIR/mac" "$BATS_TEST_TMPDIR/nomac"
}

@test "--name and --nodefaults change neither the DTB nor a realm's RIM" {
	dump named --name my-vm.1 --nodefaults
	dump plain
	cmp "$BATS_TEST_TMPDIR/named" "$BATS_TEST_TMPDIR/plain"
	[ "$(rim --name my-vm.1 --nodefaults)" = "$(rim)" ]
}

@test "--pmu adds an arm,armv8-pmuv3 node on PPI 7" {
	dump pmu --pmu
	src=$(dts "$BATS_TEST_TMPDIR/pmu")
	[[ $src == *'compatible = "arm,armv8-pmuv3";'* ]] || fail_msg "$src"
	[[ $src == *"interrupts = <0x01 0x07 0x04>;"* ]] || fail_msg "$src"
	dump plain
	[[ $(dts "$BATS_TEST_TMPDIR/plain") != *pmuv3* ]]
}

@test "realm --pmu takes every counter the host config allows" {
	printf 'pmu_counters=6\n' >"$BATS_TEST_TMPDIR/hc"
	hc=(--host cca-v12 --host-config "$BATS_TEST_TMPDIR/hc")
	rv run --realm --dry-run -k "$KERNEL" "${hc[@]}" --pmu --trace
	[ "$status" -eq 0 ] || fail_msg "$output"
	[[ ${lines[0]} == CREATE*" pmu_num_ctrs=6 "* ]] || fail_msg "${lines[0]}"
	# the same as naming the host's count
	[ "$(rim "${hc[@]}" --pmu)" = "$(rim "${hc[@]}" --pmu --pmu-counters 6)" ]
	[ "$(rim "${hc[@]}" --pmu)" != "$(rim "${hc[@]}" --pmu --pmu-counters 5)" ]
}

@test "--dump-dtb writes the same DTB as --dtb-out" {
	dump a --rng
	rv run --dry-run -k "$KERNEL" --rng --dtb-out "$BATS_TEST_TMPDIR/b"
	[ "$status" -eq 0 ]
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
}

@test "-m takes T: 1T is the largest guest, for a VM and a realm" {
	rv run --dry-run -k "$KERNEL" -m 1T
	[ "$status" -eq 0 ] || fail_msg "$output"
	[ "$(field ram)" = "0x80000000 0x10000000000" ]
	rv run --dry-run -k "$KERNEL" -m 1t
	[ "$(field ram)" = "0x80000000 0x10000000000" ]
	rv run --dry-run --realm -k "$KERNEL" -m 1T
	[ "$status" -eq 0 ] || fail_msg "$output"
	[ "$(field ram)" = "0x80000000 0x10000000000" ]
}

@test "-V, --version and version print the same line" {
	rv version
	[ "$status" -eq 0 ]
	v=$output
	[[ $v == "realmvm "* ]]
	rv -V
	[ "$status" -eq 0 ] && [ "$output" = "$v" ]
	rv --version
	[ "$status" -eq 0 ] && [ "$output" = "$v" ]
}

@test "list with nothing running prints only its header" {
	XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR rvs list
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == *PID*NAME*TYPE*STATE* ]]
	[ -z "$stderr" ]
	XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR rvs stop dead
	[ "$status" -eq 1 ]
	[[ $stderr == *"no VM named 'dead' is running"* ]]
}

@test "list --help and stop --help" {
	rvs list --help
	[ "$status" -eq 0 ] && [[ ${lines[0]} == "usage: realmvm list"* ]]
	rvs stop --help
	[ "$status" -eq 0 ] && [[ ${lines[0]} == "usage: realmvm stop NAME"* ]]
}
