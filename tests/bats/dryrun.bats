#!/usr/bin/env bats
# `realmvm run --dry-run`: RIM output format, JSON, determinism, what does
# and does not change the RIM, the trace, and the DTB/log outputs.

load helpers

setup() {
	make_payload
	DTB_OUT=$BATS_TEST_TMPDIR/out.dtb
	LOG_OUT=$BATS_TEST_TMPDIR/out.log
}

# rim ARGS...: run a realm dry run on the default payload plus ARGS and
# print its RIM; fails unless it succeeds with a well-formed RIM line.
rim() {
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD" "$@"
	[ "$status" -eq 0 ] || fail_msg "exit $status: $output"
	rim_line || fail_msg "no RIM line: ${lines[0]}"
}

@test "realm dry run: first line is RIM with 32 bytes of sha256 hex" {
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD"
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^RIM:\ [0-9a-f]{64}$ ]]
	[ "$(field hash)" = sha256 ]
	[ "$(field host)" = cca-v14 ]
	# no RPV given: 64 zero bytes
	[ "$(field rpv)" = "$(printf '0%.0s' {1..128})" ]
}

@test "sha512 (on a host that can choose it) gives 64 bytes of hex" {
	rv run --realm --dry-run -k "$KERNEL" --host cca-v10 \
		--measurement-algo sha512
	[ "$status" -eq 0 ]
	[[ ${lines[0]} =~ ^RIM:\ [0-9a-f]{128}$ ]]
	[ "$(field hash)" = sha512 ]
	[ "$(field host)" = cca-v10 ]
}

@test "layout lines report the files' sizes" {
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD"
	[ "$status" -eq 0 ]
	[ "$(field kernel | cut -d' ' -f2)" = \
	  "$(printf '0x%x' "$(stat -c %s "$KERNEL")")" ]
	[ "$(field initrd | cut -d' ' -f2)" = \
	  "$(printf '0x%x' "$(stat -c %s "$INITRD")")" ]
	[ -n "$(field dtb)" ]
	[ -n "$(field entry)" ]
}

@test "--json prints one JSON object with the RIM and layout, nothing else" {
	local text_rim
	text_rim=$(rim)
	rvs run --realm --dry-run --json -k "$KERNEL" -i "$INITRD"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	echo "$output" | jq -e 'type == "object"' >/dev/null
	for key in rim hash_algo rpv host ram_base ram_size entry \
		   kernel_addr kernel_size initrd_addr initrd_size dtb_addr \
		   dtb_size; do
		echo "$output" | jq -e --arg k "$key" 'has($k)' >/dev/null ||
			fail_msg "no key $key in $output"
	done
	[ "$(echo "$output" | jq -r .rim)" = "$text_rim" ]
	[ "$(echo "$output" | jq -r .hash_algo)" = sha256 ]
	[ "$(echo "$output" | jq -r .host)" = cca-v14 ]
	[ "$(echo "$output" | jq -r .initrd_size)" = \
	  "$(stat -c %s "$INITRD")" ]
}

@test "--json with --trace keeps stdout a single JSON object" {
	rvs run --realm --dry-run --json --trace -k "$KERNEL"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	echo "$output" | jq -e '.rim | length == 64' >/dev/null
	[ -n "$stderr" ]
}

@test "non-realm dry run prints the layout and no RIM" {
	rv run --dry-run -k "$KERNEL" -i "$INITRD" -m 128
	[ "$status" -eq 0 ]
	[[ $output != *RIM* ]]
	[ "$(field ram)" = "0x80000000 0x8000000" ]
	[ -n "$(field kernel)" ]
	[ -n "$(field initrd)" ]
	[ -n "$(field dtb)" ]
	rvs run --dry-run --json -k "$KERNEL"
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | jq -r .realm)" = false ]
	[ "$(echo "$output" | jq -r 'has("rim")')" = false ]
}

@test "same inputs give the same RIM, with any number of threads" {
	local a b c
	a=$(rim)
	b=$(rim)
	c=$(rim --threads 1)
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
	c=$(rim --threads 7)
	[ "$a" = "$c" ]
}

@test "one changed byte of the kernel changes the RIM" {
	local a b
	a=$(rim)
	flip_byte "$KERNEL" 4097
	b=$(rim)
	[ "$a" != "$b" ]
}

@test "one changed byte of the initrd changes the RIM" {
	local a b
	a=$(rim)
	flip_byte "$INITRD" 99999
	b=$(rim)
	[ "$a" != "$b" ]
}

@test "one changed byte of a user DTB changes the RIM" {
	local a b
	make_dtb "$BATS_TEST_TMPDIR/a.dtb" realmvm-test-a
	make_dtb "$BATS_TEST_TMPDIR/b.dtb" realmvm-test-b
	[ "$(cmp -l "$BATS_TEST_TMPDIR/a.dtb" "$BATS_TEST_TMPDIR/b.dtb" |
	     wc -l)" -eq 1 ]
	a=$(rim --dtb "$BATS_TEST_TMPDIR/a.dtb")
	b=$(rim --dtb "$BATS_TEST_TMPDIR/b.dtb")
	[ "$a" != "$b" ]
}

@test "-m, -c and -p each change the RIM" {
	local base
	base=$(rim)
	[ "$(rim -m 512)" != "$base" ]
	[ "$(rim -c 2)" != "$base" ]
	[ "$(rim -p console=ttyAMA0)" != "$base" ]
	[ "$(rim -p console=ttyAMA0)" != "$(rim -p console=ttyAMA1)" ]
}

@test "--num-bps, --num-wps and --sve-vl (host allows it) change the RIM" {
	local base cfg=$BATS_TEST_TMPDIR/host.conf
	host_config "$cfg" sve_max_vl=512 num_bps=6 num_wps=6
	base=$(rim --host-config "$cfg")
	[ "$(rim --host-config "$cfg" --num-bps 3)" != "$base" ]
	[ "$(rim --host-config "$cfg" --num-wps 3)" != "$base" ]
	[ "$(rim --host-config "$cfg" --sve-vl 256)" != "$base" ]
	[ "$(rim --host-config "$cfg" --sve-vl 256)" != \
	  "$(rim --host-config "$cfg" --sve-vl 512)" ]
}

@test "the host profile changes the RIM" {
	local v10 v12 v14
	v10=$(rim --host cca-v10)
	v12=$(rim --host cca-v12)
	v14=$(rim --host cca-v14)
	[ "$v10" != "$v14" ]
	[ "$v12" != "$v14" ]
	[ "$v14" = "$(rim)" ]
}

@test "--measurement-algo sha512 changes the RIM" {
	local a b
	a=$(rim --host cca-v10)
	b=$(rim --host cca-v10 --measurement-algo sha512)
	[ "${#a}" -eq 64 ]
	[ "${#b}" -eq 128 ]
	[ "${b:0:64}" != "$a" ]
}

@test "the RPV is reported but not measured: same RIM, new rpv" {
	local a want
	a=$(rim --host cca-v10)
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD" --host cca-v10 \
		--realm-pv abc
	[ "$status" -eq 0 ]
	[ "$(rim_line)" = "$a" ]
	# "abc" is 61 62 63, zero padded to 64 bytes
	want=616263$(printf '0%.0s' {1..122})
	[ "$(field rpv)" = "$want" ]
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD" --host cca-v10 \
		--realm-pv-hex 0x0102ff
	[ "$status" -eq 0 ]
	[ "$(rim_line)" = "$a" ]
	[ "$(field rpv)" = "0102ff$(printf '0%.0s' {1..122})" ]
}

@test "--trace prints steps before the RIM; the last one carries the RIM" {
	local r n
	rv run --realm --dry-run --trace -k "$KERNEL" -i "$INITRD"
	[ "$status" -eq 0 ]
	n=-1
	for i in "${!lines[@]}"; do
		if [[ ${lines[$i]} == "RIM: "* ]]; then
			n=$i
			break
		fi
	done
	# kernel and initrd alone are > 80 granules, each one a DATA step
	[ "$n" -gt 80 ] || fail_msg "RIM at line $n"
	r=${lines[$n]#RIM: }
	# docs/rim.md: each step line ends with " rim=<running RIM>"
	[[ ${lines[$((n - 1))]} == *" rim=$r" ]] ||
		fail_msg "last step '${lines[$((n - 1))]}' lacks rim=$r"
	[[ ${lines[0]} == "CREATE "* ]]
	# the first step's running value is not yet the final one
	[[ ${lines[0]} != *"$r"* ]]
}

@test "--dtb-out writes the DTB the guest gets, with the bootargs" {
	rv run --realm --dry-run -k "$KERNEL" -p "console=hvc0 quiet realmvm=1" \
		--dtb-out "$DTB_OUT"
	[ "$status" -eq 0 ]
	[ -s "$DTB_OUT" ]
	run dtc -q -I dtb -O dts "$DTB_OUT"
	[ "$status" -eq 0 ]
	[[ $output == *'bootargs = "console=hvc0 quiet realmvm=1"'* ]]
	# the written file is the placed blob: its size is the reported one
	rv run --realm --dry-run -k "$KERNEL" -p "console=hvc0 quiet realmvm=1"
	[ "$(printf '0x%x' "$(stat -c %s "$DTB_OUT")")" = \
	  "$(field dtb | cut -d' ' -f2)" ]
}

@test "--dtb-out works without --realm too" {
	rv run --dry-run -k "$KERNEL" -p "root=/dev/vda" --dtb-out "$DTB_OUT"
	[ "$status" -eq 0 ]
	run dtc -q -I dtb -O dts "$DTB_OUT"
	[ "$status" -eq 0 ]
	[[ $output == *'bootargs = "root=/dev/vda"'* ]]
}

@test "--log-out writes the events of the log, without the region's zero padding" {
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD" --log-out "$LOG_OUT"
	[ "$status" -eq 0 ]
	size=$(stat -c %s "$LOG_OUT")
	region=$(($(field log | cut -d' ' -f2)))
	[ "$size" -gt 0 ] && [ "$size" -lt "$region" ]
	grep -qa "Spec ID Event03" "$LOG_OUT"
	rv log show "$LOG_OUT"
	[ "$status" -eq 0 ]
	[[ $output == *"Length: $size"* ]]
}

@test "--no-measurement-log leaves the log out of the layout" {
	rv run --realm --dry-run -k "$KERNEL" --no-measurement-log
	[ "$status" -eq 0 ]
	[ -z "$(field log)" ]
	rv run --realm --dry-run -k "$KERNEL"
	[ -n "$(field log)" ]
}

@test "a gzip initrd is loaded, measured and logged as given, never inflated" {
	plain=$(rim)
	gzip -c -n "$INITRD" >"$BATS_TEST_TMPDIR/initrd.gz"
	rv run --realm --dry-run -k "$KERNEL" \
		-i "$BATS_TEST_TMPDIR/initrd.gz" --log-out "$LOG_OUT" \
		--dump-dtb "$DTB_OUT"
	[ "$status" -eq 0 ]
	gz=$(rim_line)
	[ "$gz" != "$plain" ]
	[ "$(field initrd | cut -d' ' -f2)" = \
	  "$(printf '0x%x' "$(stat -c %s "$BATS_TEST_TMPDIR/initrd.gz")")" ]
	# `log verify` with the very file given to run reproduces the RIM
	rv log verify "$LOG_OUT" --kernel "$KERNEL" \
		--initrd "$BATS_TEST_TMPDIR/initrd.gz" --dtb "$DTB_OUT" \
		--expect-rim "$gz"
	[ "$status" -eq 0 ] || fail_msg "$output"
}

@test "initrds Linux accepts but zlib alone would refuse are loaded as is" {
	# gzip followed by zero padding, and a plain archive followed by a
	# gzip one ("trailing garbage after the gzip stream" to an inflater)
	{ gzip -c -n "$INITRD"; head -c 511 /dev/zero; } >"$BATS_TEST_TMPDIR/pad.gz"
	{ cat "$INITRD"; gzip -c -n "$INITRD"; } >"$BATS_TEST_TMPDIR/two"
	for f in pad.gz two; do
		rv run --realm --dry-run -k "$KERNEL" -i "$BATS_TEST_TMPDIR/$f"
		[ "$status" -eq 0 ] || fail_msg "$f: $output"
		[ "$(field initrd | cut -d' ' -f2)" = \
		  "$(printf '0x%x' "$(stat -c %s "$BATS_TEST_TMPDIR/$f")")" ]
	done
}

@test "the event log is the same whether its digests come from one thread or several" {
	# On one thread each granule feeds its blob's digest; with more, a
	# thread streams the blobs beside the granule workers.
	a=$(rim --threads 1 --log-out "$LOG_OUT")
	mv "$LOG_OUT" "$BATS_TEST_TMPDIR/one.log"
	b=$(rim --threads 3 --log-out "$LOG_OUT")
	[ "$a" = "$b" ]
	cmp "$BATS_TEST_TMPDIR/one.log" "$LOG_OUT"
	grep -qa "Spec ID Event03" "$LOG_OUT"
}

@test "without --log-out no log is built, and the RIM and DTB are the same" {
	a=$(rim --dtb-out "$DTB_OUT")
	mv "$DTB_OUT" "$BATS_TEST_TMPDIR/a.dtb"
	b=$(rim --dtb-out "$DTB_OUT" --log-out "$LOG_OUT")
	[ "$a" = "$b" ]
	cmp "$BATS_TEST_TMPDIR/a.dtb" "$DTB_OUT"
	[ -s "$LOG_OUT" ]
}

@test "reading the files into guest RAM measures like mapping them" {
	a=$(rim --log-out "$LOG_OUT")
	mv "$LOG_OUT" "$BATS_TEST_TMPDIR/map.log"
	b=$(REALMVM_DRYRUN_LOAD=read rim --log-out "$LOG_OUT")
	[ "$a" = "$b" ]
	cmp "$BATS_TEST_TMPDIR/map.log" "$LOG_OUT"
}

@test "an initrd past the 256 MiB window goes to the top of RAM; log verify agrees" {
	big=$BATS_TEST_TMPDIR/big
	truncate -s 300M "$big"		# sparse: reads as zeros
	printf 'x' | dd of="$big" bs=1 seek=$((150 << 20)) conv=notrunc 2>/dev/null
	rv run --realm --dry-run -m 1G -k "$KERNEL" -i "$big" \
		--dtb-out "$DTB_OUT" --log-out "$LOG_OUT"
	[ "$status" -eq 0 ] || fail_msg "$output"
	# 1 GiB of RAM: log at the top, the DTB's 2 MiB block below it, the
	# initrd right under the DTB
	[ "$(field log)" = "0xbfff0000 0x10000" ]
	[ "$(field dtb | cut -d' ' -f1)" = 0xbfe00000 ]
	[ "$(field initrd)" = "0xad200000 0x12c00000" ]
	want=$(rim_line)
	rv log verify "$LOG_OUT" --kernel "$KERNEL" --initrd "$big" \
		--dtb "$DTB_OUT" --expect-rim "${want#RIM: }"
	[ "$status" -eq 0 ] || fail_msg "$output"
}

@test "host= in --host-config picks the profile, as realmvm caps writes it" {
	local cfg=$BATS_TEST_TMPDIR/caps.conf
	host_config "$cfg" host=cca-v10 sve_max_vl=512
	rv run --realm --dry-run -k "$KERNEL" -i "$INITRD" --host-config "$cfg"
	[ "$status" -eq 0 ]
	[ "$(field host)" = cca-v10 ]
	[ "$(rim --host-config "$cfg")" = "$(rim --host-config "$cfg" --host cca-v10)" ]
	[ "$(rim --host-config "$cfg")" != "$(rim --host cca-v14)" ]
	# what only cca-v10 can do now works without --host
	rv run --realm --dry-run -k "$KERNEL" --host-config "$cfg" \
		--measurement-algo sha512 --realm-pv x
	[ "$status" -eq 0 ]
	[ "$(field hash)" = sha512 ]
}

@test "--host that contradicts host= in --host-config is a usage error" {
	local cfg=$BATS_TEST_TMPDIR/caps.conf
	host_config "$cfg" host=cca-v10
	rvs run --realm --dry-run -k "$KERNEL" --host-config "$cfg" \
		--host cca-v14
	[ "$status" -eq 2 ]
	[[ ${stderr_lines[0]} == "realmvm: --host cca-v14 contradicts host=cca-v10 in $cfg"* ]]
	host_config "$cfg" host=cca-v99
	rvs run --realm --dry-run -k "$KERNEL" --host-config "$cfg"
	[ "$status" -ne 0 ]
	[[ $stderr == *"host: unknown profile 'cca-v99'"* ]]
}
