#!/usr/bin/env bats
# Grades one boot of the emulated CCA stack (tests/realm/suite.sh): the
# host's `realmvm caps`, every realm of cases.sh booted on TF-RMM, and the
# bad command lines it refused.  For every realm the token's RIM (read by
# realm-check inside it) must equal the host's dry run, this machine's
# dry run with the host's caps file (what a verifier does), and the
# replay of the event log the realm read from its own memory.  No timing
# is asserted: timeouts only stop a hung run.

load realm_helpers

@test "caps on the real host: series v5, profile cca-v10, SVE, PMU" {
	[ "$(cat "$REALM_OUT/caps.rc")" -eq 0 ] || fail_msg "$(cat "$REALM_OUT/caps.err")"
	cat "$REALM_OUT/caps.conf"
	grep -qx '# cca-host v5-v7, KVM_CAP_ARM_RME 300, host profile cca-v10' \
		"$REALM_OUT/caps.conf"
	grep -qx 'host=cca-v10' "$REALM_OUT/caps.conf"
	grep -qx 'sve_max_vl=2048' "$REALM_OUT/caps.conf"
	grep -qx 'pmu_counters=6' "$REALM_OUT/caps.conf"
	# the file is a --host-config this machine reads as it is
	rv run --realm --dry-run -k "$IMAGE" --host-config "$REALM_OUT/caps.conf"
	[ "$status" -eq 0 ]
	[[ $output == *"host: cca-v10"* ]]
}

@test "1 vCPU, sha256, launched without a caps file: token RIM = dry runs = log replay" {
	realm_ok base
}

@test "2 vCPUs, sha512 and an RPV: the RPV reaches the token" {
	realm_ok sha512
	in_out "token hash algorithm: sha-512"
	in_out "check rpv: agree"
	in_out "token RPV: $RPV"
}

@test "a real realm's token, appraised here against the dry run's CoRIM (sha256)" {
	token_ok base
}

@test "a real realm's token with sha512 and an RPV, appraised here against the CoRIM" {
	token_ok sha512
	[[ $output == *"check corim-rpv: agree"* ]] || fail_msg "RPV not checked"
}

@test "4 vCPUs" {
	realm_ok vcpus4
}

@test "SVE (512-bit vectors) inside the realm" {
	realm_ok sve
	in_out "RVM-SVE cpuinfo=1 default_vl_bytes=64"
}

@test "PMU counters inside the realm" {
	realm_ok pmu
	# 6 event counters and the cycle counter (bit 31)
	in_out "RVM-PMU enabled with armv8_pmuv3 PMU driver, 7 (0,8000003f) counters available"
}

@test "the largest RAM the stack gives a realm (2.5 GiB)" {
	realm_ok bigram
	local kb
	kb=$(sed -n 's/.*RVM-INIT cpus=[0-9]* mem_kb=\([0-9]*\).*/\1/p' "$REALM_OUT/bigram.out" | head -1)
	[ "$kb" -gt $((2400 * 1024)) ] || fail_msg "MemTotal $kb kB"
}

@test "virtio console and virtio-blk: a file read and one written, by checksum" {
	realm_ok virtio
	in_out "RVM-BLK read=$(sha256sum <"$REALM_BUILD/payload/blk-data.bin" | cut -d' ' -f1)"
	in_out "RVM-BLK wrote=$(cat "$REALM_OUT/virtio.blk-written") rc=0"
}

@test "virtio-net: ping and a 1 MiB fetch from the host" {
	realm_ok net
	in_out "RVM-NET ping rc=0"
	in_out "RVM-NET wget rc=0 sha256=$(sha256sum <"$REALM_BUILD/payload/blob.bin" | cut -d' ' -f1)"
}

@test "virtio-9p through the bounce buffers: a 1 MiB file read and one written, by checksum" {
	realm_ok ninep
	in_out "RVM-9P mount rc=0"
	in_out "RVM-9P read=$(sha256sum <"$REALM_BUILD/payload/9p-in.bin" | cut -d' ' -f1)"
	local written
	written=$(cat "$REALM_OUT/ninep.9p-written")
	[[ $written =~ ^[0-9a-f]{64}$ ]] || fail_msg "the host found no file: $written"
	in_out "RVM-9P wrote=$written rc=0"
}

@test "virtio-9p: .. and links out of the share reveal nothing outside it" {
	local out=$REALM_OUT/ninep.out secret n
	CASE=ninep
	secret=$(cat "$REALM_BUILD/payload/outside-secret")
	[ -n "$secret" ] || fail_msg "no secret in the payload"
	grep 'RVM-9P' "$out"
	# the realm sees the links as links: the host's targets, unfollowed
	in_out "RVM-9P links outlink=/work/outside uplink=../outside rootlink=/"
	# .. from the share's root is the realm's own root, not the host's /work
	grep -q 'RVM-9P dotdot lists: .*\binit\b' "$out" || fail_msg "not the realm's root"
	! grep 'RVM-9P dotdot lists:' "$out" | grep -qwE 'run.sh|share|outside' ||
		fail_msg "the host's /work is visible"
	n=$(grep -c 'RVM-9P escape /' "$out")
	[ "$n" -eq 5 ] || fail_msg "$n escape attempts reported, want 5"
	! grep 'RVM-9P escape /' "$out" | grep -qE ' rc=0 | bytes=[1-9]' ||
		fail_msg "an escape read something"
	grep -q 'RVM-9P escape-write rc=[1-9]' "$out" || fail_msg "write through a link"
	! grep -qF -- "$secret" "$out" || fail_msg "the secret reached the realm"
	# and the host's outside directory is as it was
	[ "$(cat "$REALM_OUT/ninep.outside")" = "secret $(sha256sum <"$REALM_BUILD/payload/outside-secret" | cut -d' ' -f1)" ] ||
		fail_msg "outside changed: $(cat "$REALM_OUT/ninep.outside")"
}

@test "--network mode=user (libslirp, SLIRP=1 build): a 1 MiB fetch from the host's loopback" {
	realm_ok slirp
	in_out "RVM-SLIRP wget rc=0 sha256=$(sha256sum <"$REALM_BUILD/payload/blob.bin" | cut -d' ' -f1) bytes=$(stat -c %s "$REALM_BUILD/payload/blob.bin")"
}

@test "firmware (-f) as the realm: hello, the DTB, and the RMM's RIM = dry runs = log replay" {
	fw_ok firmware
}

@test "guest reset rebuilds the realm with the same RIM" {
	realm_ok reboot
	in_out "RVM-RESETTING"
	[ "$(grep -c 'RVM-INIT' "$REALM_OUT/reboot.out")" -eq 2 ]
	[ "$(grep -c 'RVM-CHECK rc=0' "$REALM_OUT/reboot.out")" -eq 2 ]
	in_out "RVM-TASK marker=reboot action=reboot boot=2"
}

@test "guest reset under --no-reboot exits 3" {
	realm_ok reboot-noreboot
	[ "$(grep -c 'RVM-INIT' "$REALM_OUT/reboot-noreboot.out")" -eq 1 ]
}

@test "guest panic with panic=-1 resets and the realm comes back" {
	realm_ok panic
	in_out "RVM-PANICKING"
	[ "$(grep -c 'RVM-CHECK rc=0' "$REALM_OUT/panic.out")" -eq 2 ]
}

@test "guest panic with panic=-1 under --no-reboot exits 3" {
	realm_ok panic-noreboot
	in_out "RVM-PANICKING"
	[ "$(grep -c 'RVM-INIT' "$REALM_OUT/panic-noreboot.out")" -eq 1 ]
}

@test "bad input on the real host: an SVE length above the host's" {
	refused sve-too-long "--sve-vl 4096"
}

@test "bad input on the real host: sha512 with a profile that cannot choose it" {
	# This RMM implements sha512, so the refusal comes from the profile:
	# the host's series is found first and named as the way out.
	refused sha512-v12 "--host cca-v12: this host runs cca-v10; use --host cca-v10"
}

@test "bad input on the real host: an unknown measurement algorithm" {
	refused sha384 "sha384"
}

@test "bad input on the real host: more RAM than the host can give a realm" {
	refused ram-too-big "-m 4096 MiB"
	in_stderr ram-too-big "use a smaller -m"
}

@test "bad input on the real host: a caps file that is not this host's" {
	refused stale-caps "stale-caps.conf says sve_max_vl=256 but this host has 2048"
	in_stderr stale-caps "realmvm caps > stale-caps.conf"
}

@test "bad input on the real host: a profile this host does not run" {
	refused other-profile "--host cca-v14: this host runs cca-v10; use --host cca-v10"
}

@test "the default sandbox on a host kernel without seccomp: refused, naming --sandbox=off" {
	refused no-seccomp "this kernel has no seccomp (CONFIG_SECCOMP_FILTER); run with --sandbox=off"
}

@test "bad input on the real host: --9p with a missing directory" {
	refused 9p-missing "--9p share: /work/no-such-dir: No such file or directory"
}

@test "bad input on the real host: mode=user with the default static build" {
	refused user-net-no-slirp "--network mode=user: this realmvm was built without libslirp"
	in_stderr user-net-no-slirp "make ARCH=arm64 SLIRP=1"
}
