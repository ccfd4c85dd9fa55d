#!/usr/bin/env bats
# -n mode=user (libslirp) on a real KVM host: the SLIRP=1 static build
# carries an L2 guest's HTTP fetch from L1's loopback; the default static
# build refuses the mode (steps/43-net-user.sh, "user" in
# virtio-l2-check.sh).

load nested_helpers

setup_file() { nested_setup_file; }
setup() { nested_setup; }

l1_value() {
	sed -n "s/^REALMVM-T net-user $1=//p" "$NESTED_LOG" | tr -d '\r' | tail -1
}

l2_value() {
	nested_out net-user | sed -n "s/^REALMVM-VIRTIO user $1=//p" | tail -1
}

@test "mode=user: the guest fetches 1 MiB from 10.0.2.2 (L1's loopback) intact" {
	local l1 l2
	l1=$(l1_value l1-blob-sum)
	l2=$(l2_value blob-sum)
	echo "L1 served '$l1', L2 got '$l2' ($(l2_value blob-size) bytes, wget $(l2_value wget-rc) $(l2_value wget-err))"
	[ "$(l2_value route)" = 1 ]
	[ "$(l2_value wget-rc)" = 0 ]
	[ "$(l2_value blob-size)" = 1048576 ]
	[ ${#l1} -eq 64 ] && [ "$l1" = "$l2" ]
}

@test "mode=user: a connection to a closed port fails instead of hanging" {
	local rc
	rc=$(l2_value closed-port-rc)
	echo "wget to a closed port: status '$rc'"
	[ -n "$rc" ] && [ "$rc" != 0 ] && [ "$rc" != 143 ]
}

@test "mode=user: the guest powers off cleanly" {
	refute_line net-user '^realmvm:'
	assert_line net-user '^REALMVM-L2 poweroff'
	assert_rc net-user 0
}

@test "mode=user: the default static build refuses it in one line naming the way out" {
	assert_rc net-user-nolib 1
	assert_line net-user-nolib '^realmvm: .*mode=user.*built without libslirp.*SLIRP=1.*build/arm64-slirp/realmvm.*tap='
	[ "$(nested_out net-user-nolib | wc -l)" -eq 1 ]
}
