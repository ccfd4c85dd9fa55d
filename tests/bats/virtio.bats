#!/usr/bin/env bats
# virtio-mmio devices as the config and the DTB see them: slots, SPIs and
# properties of each node, registration order, and that a dry run neither
# opens disk images nor needs a tap device while its DTB (and a realm's
# RIM) still depends on the device list.

load helpers

setup() {
	make_payload
	DTB_OUT=$BATS_TEST_TMPDIR/out.dtb
	DISK=$BATS_TEST_TMPDIR/disk.img
	head -c 65536 /dev/zero >"$DISK"
}

# dts ARGS...: dry run with ARGS and print the DTB as source.
dts() {
	rv run --dry-run -k "$KERNEL" --dtb-out "$DTB_OUT" "$@"
	[ "$status" -eq 0 ] || fail_msg "exit $status: $output"
	dtc -q -I dtb -O dts "$DTB_OUT"
}

# node N: the DTS text of virtio slot N (base 0xa000000 + N * 0x200).
node() {
	local name
	name=$(printf 'virtio_mmio@%x' $((0xa000000 + $1 * 0x200)))
	printf '%s\n' "$src" | sed -n "/$name {/,/};/p"
}

@test "each virtio device gets the next 0x200 slot and SPI 16+n, edge-triggered" {
	src=$(dts --console virtio --disk "$DISK" --disk "$DISK,ro" \
		--network tap=rvtest0 --rng)
	[ "$(printf '%s\n' "$src" | grep -c 'compatible = "virtio,mmio"')" -eq 5 ]
	for n in 0 1 2 3 4; do
		local nd base
		nd=$(node $n)
		base=$(printf '0x%x' $((0xa000000 + n * 0x200)))
		[[ $nd == *"reg = <0x00 $base 0x00 0x200>;"* ]] ||
			fail_msg "slot $n: $nd"
		[[ $nd == *"interrupts = <0x00 $(printf '0x%02x' $((16 + n))) 0x01>;"* ]] ||
			fail_msg "slot $n: $nd"
		[[ $nd == *"dma-coherent;"* ]] || fail_msg "slot $n: $nd"
	done
	[ -z "$(node 5)" ]
}

@test "no virtio options: no virtio nodes" {
	src=$(dts)
	[[ $src != *virtio* ]]
}

@test "dry run does not open disk images (a missing one is fine)" {
	src=$(dts --disk "$BATS_TEST_TMPDIR/does-not-exist.img")
	[ -n "$(node 0)" ]
}

@test "dry run does not need /dev/net/tun or an existing tap device" {
	src=$(dts --network tap=rvtest-none --network tap=rvtest-none2)
	[ -n "$(node 1)" ]
	[ -z "$(node 2)" ]
}

@test "the DTB depends only on the options: two dry runs give the same bytes" {
	dts --disk "$DISK" --rng >/dev/null
	cp "$DTB_OUT" "$BATS_TEST_TMPDIR/first.dtb"
	dts --disk "$DISK" --rng >/dev/null
	cmp "$DTB_OUT" "$BATS_TEST_TMPDIR/first.dtb"
}

@test "a realm's RIM covers the device list" {
	local base with_rng
	rv run --realm --dry-run -k "$KERNEL"
	[ "$status" -eq 0 ]
	base=$(rim_line)
	rv run --realm --dry-run -k "$KERNEL" --rng
	[ "$status" -eq 0 ]
	with_rng=$(rim_line)
	[ -n "$base" ] && [ -n "$with_rng" ] && [ "$base" != "$with_rng" ]
	# and is reproducible
	rv run --realm --dry-run -k "$KERNEL" --rng
	[ "$(rim_line)" = "$with_rng" ]
}

@test "too many --disk options is a usage error" {
	local args=() i
	for i in 1 2 3 4 5 6 7 8 9; do
		args+=(--disk "$DISK")
	done
	rv run --dry-run -k "$KERNEL" "${args[@]}"
	[ "$status" -eq 2 ]
	[[ $output == *"too many --disk"* ]]
}
