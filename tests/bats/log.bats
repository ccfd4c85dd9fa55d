#!/usr/bin/env bats
# The realm measurement event log: what realmvm writes (checked with
# tpm2_eventlog, sha256sum and openssl), `realmvm log show`, and
# `realmvm log verify`, which must replay a dry run's log into the very RIM
# that dry run printed, and must reject logs and files that disagree.

load helpers

setup() {
	KERNEL=$BATS_TEST_TMPDIR/Image
	INITRD=$BATS_TEST_TMPDIR/initrd
	LOG=$BATS_TEST_TMPDIR/log
	DTB=$BATS_TEST_TMPDIR/dtb
	make_image "$KERNEL" $((256 * 1024))
	head -c 100000 /dev/urandom >"$INITRD"
}

# dry_run ARGS...: realm dry run writing $LOG and $DTB; sets RIM.
dry_run() {
	rv run --realm --dry-run -k "$KERNEL" --log-out "$LOG" \
		--dtb-out "$DTB" "$@"
	[ "$status" -eq 0 ] || fail_msg "dry run failed: $output"
	RIM=$(rim_line) || fail_msg "no RIM line: $output"
}

@test "tpm2_eventlog parses the log and shows the kernel and initrd digests" {
	command -v tpm2_eventlog >/dev/null || skip "tpm2-tools not installed"
	dry_run -i "$INITRD"
	run tpm2_eventlog "$LOG"
	[ "$status" -eq 0 ]
	[[ $output != *ERROR* ]]
	k=$(sha256sum "$KERNEL" | cut -d' ' -f1)
	i=$(sha256sum "$INITRD" | cut -d' ' -f1)
	d=$(sha256sum "$DTB" | cut -d' ' -f1)
	[[ $output == *"Digest: \"$k\""* ]]
	[[ $output == *"Digest: \"$i\""* ]]
	[[ $output == *"Digest: \"$d\""* ]]
	[[ $output == *"Signature: Spec ID Event03"* ]]
	[[ $output == *"specErrata: 106"* ]]
	# 9 events: Spec ID, VM VERSION, REALM_CREATE, 4 blobs, REC, RIPAS
	[ "$(grep -c 'EventNum:' <<<"$output")" -eq 9 ]
}

@test "tpm2_eventlog reads a sha512 log (cca-v10)" {
	command -v tpm2_eventlog >/dev/null || skip "tpm2-tools not installed"
	dry_run --host cca-v10 --measurement-algo sha512
	run tpm2_eventlog "$LOG"
	[ "$status" -eq 0 ]
	k=$(openssl dgst -sha512 -r "$KERNEL" | cut -d' ' -f1)
	[[ $output == *"AlgorithmId: sha512"* ]]
	[[ $output == *"Digest: \"$k\""* ]]
}

@test "log show prints every event with its digest" {
	dry_run -i "$INITRD" -c 2 -m 512M
	rv log show "$LOG"
	[ "$status" -eq 0 ]
	k=$(sha256sum "$KERNEL" | cut -d' ' -f1)
	[ "$(field Algorithm)" = sha256 ]
	[ "$(field Origin)" = realmvm ]
	[[ $output == *"VM VERSION: realmvm "*", RAM 0x20000000, 2 vCPUs"* ]]
	[[ $output == *"KERNEL base 0x"*" sha256 $k"* ]]
	[[ $output == *"LOG base 0x"*"(not measured)"* ]]
	[[ $output == *"REALM_CREATE flags 0x0 s2sz "* ]]
	[[ $output == *"INIT_RIPAS base 0x80000000 size 0x20000000"* ]]
	# one REC event although there are two vCPUs: only vcpu 0 is runnable
	[ "$(grep -c REC_CREATE <<<"$output")" -eq 1 ]
}

@test "log show --json is JSON with the right digests and tags" {
	dry_run -i "$INITRD"
	rv log show "$LOG" --json
	[ "$status" -eq 0 ]
	k=$(sha256sum "$KERNEL" | cut -d' ' -f1)
	i=$(sha256sum "$INITRD" | cut -d' ' -f1)
	[ "$(jq -r '.algorithm' <<<"$output")" = sha256 ]
	[ "$(jq -r '.vm.name' <<<"$output")" = realmvm ]
	[ "$(jq -r '.events[] | select(.description=="KERNEL") | .digest' \
		<<<"$output")" = "$k" ]
	[ "$(jq -r '.events[] | select(.description=="INITRD") | .digest' \
		<<<"$output")" = "$i" ]
	[ "$(jq -r '.events[] | select(.description=="LOG") | .digest_count' \
		<<<"$output")" = 0 ]
	# tags carry count 1 with the real algorithm and a zero digest
	[ "$(jq -r '[.events[] | select(.type==6) | .digest_alg] | unique[]' \
		<<<"$output")" = sha256 ]
	[ "$(jq -r '[.events[] | select(.type==6) | .digest] | unique[]' \
		<<<"$output")" = "$(printf '0%.0s' {1..64})" ]
}

@test "log verify reproduces the dry run's RIM for every profile, algorithm and payload" {
	local combos=(
		"256 -:64M:1"
		"1024 i:256M:2"
		"4097 i:1G:4"
	)
	local c ksz init mem cpus prof algo n=0
	for c in "${combos[@]}"; do
		ksz=${c%% *}
		IFS=: read -r init mem cpus <<<"${c#* }"
		make_image "$KERNEL" $((ksz * 1024))
		head -c $((ksz * 37 + 5)) /dev/urandom >"$INITRD"
		for prof in cca-v10 cca-v12 cca-v14; do
			for algo in sha256 sha512; do
				[ $algo = sha512 ] && [ $prof != cca-v10 ] && continue
				args=(--host "$prof" --measurement-algo "$algo"
				      -m "$mem" -c "$cpus")
				vargs=(--kernel "$KERNEL" --dtb "$DTB")
				if [ "$init" = i ]; then
					args+=(-i "$INITRD")
					vargs+=(--initrd "$INITRD")
				fi
				dry_run "${args[@]}"
				rv log verify "$LOG" "${vargs[@]}" --expect-rim "$RIM"
				[ "$status" -eq 0 ] ||
					fail_msg "$prof $algo $c: $output"
				[ "$(rim_line)" = "$RIM" ]
				[ "$(field Profile)" = "$prof" ]
				[ "$(field Algorithm)" = "$algo" ]
				n=$((n + 1))
			done
		done
	done
	[ "$n" -eq 12 ]
}

@test "log verify --json reports the RIM and the match" {
	dry_run -i "$INITRD"
	rvs log verify "$LOG" --kernel "$KERNEL" --initrd "$INITRD" \
		--dtb "$DTB" --expect-rim "$RIM" --json
	[ "$status" -eq 0 ]
	[ "$(jq -r .rim <<<"$output")" = "$RIM" ]
	[ "$(jq -r .rim_match <<<"$output")" = true ]
	[ "$(jq -r .blobs_checked <<<"$output")" = 3 ]
}

@test "log verify names the event whose blob does not match its file" {
	dry_run -i "$INITRD"
	other=$BATS_TEST_TMPDIR/other
	cp "$KERNEL" "$other"
	flip_byte "$other" 5000
	rvs log verify "$LOG" --kernel "$other" --initrd "$INITRD" \
		--dtb "$DTB" --expect-rim "$RIM"
	[ "$status" -eq 1 ]
	off=$(jq -r '.events[] | select(.description=="KERNEL") | .offset' \
		<<<"$("${RV_CMD[@]}" log show "$LOG" --json)")
	idx=$(jq -r '.events[] | select(.description=="KERNEL") | .index' \
		<<<"$("${RV_CMD[@]}" log show "$LOG" --json)")
	[[ $stderr == "realmvm: log event $idx at offset $off: KERNEL digest mismatch"* ]]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	# a file of the wrong size is named the same way
	rvs log verify "$LOG" --kernel "$KERNEL" --initrd "$KERNEL" --dtb "$DTB"
	[ "$status" -eq 1 ]
	[[ $stderr == *"INITRD is 100000 bytes in the log"* ]]
}

@test "log verify with the right files but another RIM says all events check" {
	dry_run -i "$INITRD"
	bad=$(printf '%s' "$RIM" | tr '0-9a-f' '1-9a-f0')
	rvs log verify "$LOG" --kernel "$KERNEL" --initrd "$INITRD" \
		--dtb "$DTB" --expect-rim "$bad"
	[ "$status" -eq 1 ]
	[[ $stderr == *"RIM mismatch: all 3 measured blobs match their files"* ]]
	# the same log replayed under another profile gives another RIM
	rvs log verify "$LOG" --kernel "$KERNEL" --initrd "$INITRD" \
		--dtb "$DTB" --host cca-v12 --expect-rim "$RIM"
	[ "$status" -eq 1 ]
	[[ $stderr == *"(profile cca-v12)"* ]]
}

@test "log verify needs the file of every measured blob, and no other" {
	dry_run -i "$INITRD"
	rvs log verify "$LOG" --kernel "$KERNEL" --dtb "$DTB"
	[ "$status" -eq 1 ]
	[[ $stderr == *"INITRD is measured: give the file (--initrd FILE)"* ]]
	# and a file the log does not measure is an error, not ignored
	dry_run
	rvs log verify "$LOG" --kernel "$KERNEL" --dtb "$DTB" --initrd "$INITRD"
	[ "$status" -eq 1 ]
	[[ $stderr == *"was given for INITRD, but the log measures no INITRD"* ]]
}

# A QEMU-RFC-style log (algorithm-0 NO_ACTION digest, count-0 tags) that
# describes the TF-RMM chain vector C0..C4 of rim-and-eventlog.md section 2:
# CREATE(s2sz 33, 2 bps, 2 wps), RIPAS [0x80000000, +2M), a measured page
# of bytes 0..255 x16 at 0x80000000, an unmeasured page at 0x80001000 and
# the REC (pc 0x80000000, x0 0x80100000).
qemu_vector_log() {
	local out=$1 page=$2 z32
	z32() { head -c 32 /dev/zero; }
	for ((i = 0; i < 16; i++)); do
		for ((b = 0; b < 256; b++)); do printf "\\x$(printf %02x $b)"; done
	done >"$page"
	{
		le32 0; le32 3; head -c 20 /dev/zero; le32 33
		printf 'Spec ID Event03\0'; le32 0
		printf '\x00\x02\x6a\x02'; le32 1
		printf '\x0b\x00\x20\x00\x00'
		# VM VERSION, algorithm 0 with a zero digest (QEMU RFC)
		le32 0; le32 3; le32 1; printf '\x00\x00'; z32; le32 112
		printf 'VM VERSION\0\0\0\0\0\0'
		printf 'QEMU'; head -c 28 /dev/zero
		printf '9.1'; head -c 37 /dev/zero
		le64 $((2 << 20)); le32 1; le32 0; le64 0
		# REALM_CREATE, count 0
		le32 0; le32 6; le32 0; le32 24; le32 1; le32 16
		le64 0; printf '\x21\x00\x01\x01\x00\x00\x00\x00'
		# INIT_RIPAS
		le32 0; le32 6; le32 0; le32 24; le32 2; le32 16
		le64 0x80000000; le64 $((2 << 20))
		# KERNEL: the measured page
		le32 0; le32 0x13; le32 1; printf '\x0b\x00'
		openssl dgst -sha256 -binary "$page"
		le32 23; printf '\x06KERNEL'; le64 0x80000000; le64 4096
		# LOG: the unmeasured page
		le32 0; le32 0x13; le32 0; le32 20
		printf '\x03LOG'; le64 0x80001000; le64 4096
		# REC_CREATE
		le32 0; le32 6; le32 0; le32 88; le32 3; le32 80
		le64 1; le64 0x80000000; le64 0x80100000
		head -c 56 /dev/zero
		head -c 1000 /dev/zero
	} >"$out"
}

@test "log verify replays a QEMU-style log into the TF-RMM chain vector" {
	qemu_vector_log "$LOG" "$BATS_TEST_TMPDIR/page"
	rv log show "$LOG"
	[ "$status" -eq 0 ]
	[ "$(field Origin)" = QEMU ]
	# QEMU logs default to cca-v10 (RMM 1.0: RIPAS measured) -> C4
	rv log verify "$LOG" --kernel "$BATS_TEST_TMPDIR/page" --expect-rim \
		c22dbce2097e6f98a20a814b76f6a4cd606d09f8792f4079fe3d1e282858884f
	[ "$status" -eq 0 ]
	[ "$(field Profile)" = cca-v10 ]
	# RMM 2.0 (cca-v14) does not measure RIPAS: the C4 value without C1
	rv log verify "$LOG" --kernel "$BATS_TEST_TMPDIR/page" --host cca-v14 \
		--expect-rim \
		a96d03bb6cc6279c3677aa733e6e5f9d7d5a8c428d5eb073b5b4594fdb16c74d
	[ "$status" -eq 0 ]
}

@test "log show rejects broken logs with one line naming the offset" {
	dry_run
	len=$("${RV_CMD[@]}" log show "$LOG" | sed -n 's/^Length: //p')
	last=$(jq -r '.events[-1].offset' <<<"$("${RV_CMD[@]}" log show "$LOG" --json)")
	# cut in the middle of the last event's data
	head -c $((len - 3)) "$LOG" >"$LOG.cut"
	rvs log show "$LOG.cut"
	[ "$status" -eq 1 ]
	[[ $stderr == "realmvm: $LOG.cut: event log: offset $((last + 46)) "*"runs past the end of the log"* ]]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	[ -z "$output" ]
	# cut in the middle of its header
	head -c $((last + 6)) "$LOG" >"$LOG.cut"
	rvs log show "$LOG.cut"
	[ "$status" -eq 1 ]
	[[ $stderr == *"offset $last ("*"truncated: event header needs 12 bytes, 6 left"* ]]
	# an event size far past the end: the VM VERSION size field
	cp "$LOG" "$LOG.big"
	printf '\xff\xff\xff\x7f' |
		dd of="$LOG.big" bs=1 seek=$((65 + 12 + 2 + 32)) conv=notrunc status=none
	rvs log show "$LOG.big"
	[ "$status" -eq 1 ]
	[[ $stderr == *"offset 111 (event 1): event size 2147483647 runs past the end"* ]]
	# an unknown algorithm in the Spec ID event
	cp "$LOG" "$LOG.alg"
	printf '\x12' | dd of="$LOG.alg" bs=1 seek=60 conv=notrunc status=none
	rvs log show "$LOG.alg"
	[ "$status" -eq 1 ]
	[[ $stderr == *"offset 60 (event 0): unknown algorithm 0x0012"* ]]
	# not a log at all
	rvs log show "$KERNEL"
	[ "$status" -eq 1 ]
	[[ $stderr == *"offset 0 (event 0): first event"* ]]
}

@test "log: usage errors exit 2" {
	rvs log
	[ "$status" -eq 2 ]
	rvs log frobnicate x
	[ "$status" -eq 2 ]
	rvs log show
	[ "$status" -eq 2 ]
	[[ $stderr == *"no log FILE given"* ]]
	rvs log show a b
	[ "$status" -eq 2 ]
	rvs log verify "$KERNEL" --populate 8k
	[ "$status" -eq 2 ]
	[[ $stderr == *"--populate '8k' is not 4k, 64k or auto"* ]]
	rvs log verify "$KERNEL" --kernel "$KERNEL" --host cca-v99
	[ "$status" -eq 2 ]
	rvs log verify "$KERNEL" --kernel "$KERNEL" --expect-rim xyz
	[ "$status" -eq 2 ]
	rvs log verify "$KERNEL" --kernel
	[ "$status" -eq 2 ]
	rvs log show "$KERNEL" --kernel "$KERNEL"
	[ "$status" -eq 2 ]
	rvs log --help
	[ "$status" -eq 0 ]
	[[ $output == *"realmvm log verify FILE"* ]]
	rvs log show "$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 1 ]
}
