#!/usr/bin/env bats
# realmvm's virtio-mmio devices driven by a real Linux guest (L2) inside
# the emulated arm64 KVM host (steps/40-virtio.sh, virtio-l2-check.sh).

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

# l1_value NAME KEY: a "REALMVM-T NAME KEY=VALUE" line printed by L1.
l1_value() {
	sed -n "s/^REALMVM-T $1 $2=//p" "$NESTED_LOG" | tr -d '\r' | tail -1
}

# l2_value NAME DEV KEY: a "REALMVM-VIRTIO DEV KEY=VALUE" line of run NAME.
l2_value() {
	nested_out "$1" | sed -n "s/^REALMVM-VIRTIO $2 $3=//p" | tail -1
}

@test "virtio-blk: the guest reads exactly the bytes of the image (sha256)" {
	local l1 l2
	l1=$(l1_value virtio-blk l1-vda-sum)
	l2=$(l2_value virtio-blk blk vda-sum)
	echo "L1 computed '$l1', L2 read '$l2'"
	[ ${#l1} -eq 64 ] && [ "$l1" = "$l2" ]
}

@test "virtio-blk: capacity is the image size in sectors (1 MiB = 2048)" {
	[ "$(l2_value virtio-blk blk vda-size)" = 2048 ]
}

@test "virtio-blk: GET_ID gives the guest the serial realmvm-disk0" {
	[ "$(l2_value virtio-blk blk vda-serial)" = realmvm-disk0 ]
}

@test "virtio-blk: a guest write with fsync lands in the image file" {
	[ "$(l2_value virtio-blk blk vdb-write-rc)" = 0 ]
	[ "$(l1_value virtio-blk l1-vdb)" = realmvm-l2-wrote-this ]
}

@test "virtio-blk: a ,ro disk is read-only to the guest and stays unchanged" {
	[ "$(l2_value virtio-blk blk vdc-ro)" = 1 ]
	[ "$(l2_value virtio-blk blk vdc-write)" = refused ]
	[ "$(l1_value virtio-blk l1-vdc-sum)" = "$(l1_value virtio-blk l1-vda-sum)" ]
	[ "$(l2_value virtio-blk blk vdc-sum)" = "$(l1_value virtio-blk l1-vda-sum)" ]
}

@test "virtio-rng: the guest's hwrng is virtio and returns bytes" {
	local b
	[[ "$(l2_value virtio-blk rng available)" == *virtio_rng* ]]
	b=$(l2_value virtio-blk rng bytes)
	echo "bytes: '$b'"
	[[ "$b" =~ ^[0-9a-f]{64}$ ]]
	[ "$b" != "$(printf '0%.0s' $(seq 64))" ]
}

@test "virtio devices: the guest loads every driver and powers off cleanly" {
	refute_line virtio-blk '^REALMVM-VIRTIO insmod'
	refute_line virtio-blk '^realmvm:'
	assert_line virtio-blk '^REALMVM-L2 poweroff'
	assert_rc virtio-blk 0
}

@test "a missing --disk file is one clean error line at launch, status 1" {
	assert_line virtio-missing '^realmvm: disk /tmp/no-such-disk.img: No such file or directory$'
	[ "$(nested_out virtio-missing | wc -l)" -eq 1 ]
	assert_rc virtio-missing 1
}

@test "virtio-console: guest output reaches realmvm's stdout" {
	assert_line virtio-console '^REALMVM-VIRTIO console up'
	assert_rc virtio-console 0
}

@test "virtio-console: host input reaches the guest" {
	[ "$(l2_value virtio-console console got)" = hello-from-l1 ]
}

@test "virtio-net: MAC address is the fixed 52:54:00:12:34:50" {
	[ "$(l2_value virtio-net net mac)" = 52:54:00:12:34:50 ]
}

@test "virtio-net: the L2 guest pings L1 over the tap" {
	[ "$(l2_value virtio-net net ping-l1)" = ok ]
}

@test "virtio-net: L1 pings the L2 guest over the tap" {
	[ "$(l1_value virtio-net l1-ping-l2)" = ok ]
	[ "$(l2_value virtio-net net echos-answered)" -ge 3 ]
}

@test "virtio-net: the guest powers off cleanly" {
	refute_line virtio-net '^realmvm:'
	assert_rc virtio-net 0
}
