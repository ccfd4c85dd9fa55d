#!/usr/bin/env bats
# The `realmvm run` command line: help, version, option errors and exit
# statuses, realm-only options, SIZE suffixes.

load helpers

setup() {
	make_payload
}

# expect_usage_error PATTERN ARGS...: exit 2, one line on stderr naming
# PATTERN, nothing on stdout.
expect_usage_error() {
	local pattern=$1
	shift
	rvs "$@"
	[ "$status" -eq 2 ] || fail_msg "exit $status for: $*"
	[ -z "$output" ] || fail_msg "stdout not empty: $output"
	[ "${#stderr_lines[@]}" -eq 1 ] || fail_msg "stderr: $stderr"
	[[ ${stderr_lines[0]} == realmvm:* ]] || fail_msg "stderr: $stderr"
	[[ $stderr == *"$pattern"* ]] || fail_msg "no '$pattern' in: $stderr"
}

@test "realmvm --help lists every command and every option on stdout" {
	rvs --help
	[ "$status" -eq 0 ]
	[[ $output == *"run "* ]]
	[[ $output == *"caps "* ]]
	[[ $output == *"log "* ]]
	[ -z "$stderr" ]
	for opt in --kernel --measurement-algo --realm-pv-hex --host-config \
		   --dry-run --dtb-out "log show" "log verify" --expect-rim \
		   "realmvm caps" "realmvm list" "realmvm stop NAME" -V; do
		[[ $output == *"$opt"* ]] || fail_msg "help lacks $opt"
	done
}

@test "a build without public-key crypto (PKEY=0) refuses token in one line, exit 2" {
	! has_token_cmd || skip "this build has the token command (PKEY=1)"
	expect_usage_error "token: this small static build has no COSE signature code; use the host build (make) or make ARCH=arm64 PKEY=1" \
		token verify tok.cbor
	rvs token --help
	[ "$status" -eq 0 ] && [ -z "$stderr" ]
	[[ $output == *"no COSE signature code"* ]]
}

@test "realmvm run --help lists every option on stdout and exits 0" {
	rvs run --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	for opt in --kernel --initrd --dtb --params --mem --cpus --console \
		   --disk --network --rng --no-reboot --dry-run --json \
		   --trace --dtb-out --log-out --no-measurement-log --threads \
		   --realm --measurement-algo --realm-pv --realm-pv-hex \
		   --sve-vl --pmu-counters --num-bps --num-wps --lpa2 --host \
		   --host-config --help -k -i -d -p -m -c \
		   -n --firmware -f --9p --name --pmu --dump-dtb --nodefaults \
		   "mode=tap|user|none" tapif= guest_mac= "FILE[,ro]" \
		   "DIR,TAG" "1 TiB (1T)"; do
		[[ $output == *"$opt"* ]] || fail_msg "help lacks $opt"
	done
	for host in cca-v10 cca-v12 cca-v14; do
		[[ $output == *"$host"* ]] || fail_msg "help lacks $host"
	done
}

@test "run -h is the same help" {
	rvs run -h
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "usage: realmvm run"* ]]
}

@test "version prints the VERSION file" {
	rv version
	[ "$status" -eq 0 ]
	[ "$output" = "realmvm $(cat "$BATS_TEST_DIRNAME/../../VERSION")" ]
}

@test "no command and unknown commands are usage errors" {
	rv
	[ "$status" -eq 2 ]
	expect_usage_error "frobnicate" frobnicate
}

@test "unknown options are usage errors naming the option" {
	expect_usage_error "--frob" run -k "$KERNEL" --frob
	expect_usage_error "-z" run -k "$KERNEL" -z
	expect_usage_error "--rng" run -k "$KERNEL" --rng=yes
}

@test "a stray positional argument is a usage error" {
	expect_usage_error "extra" run -k "$KERNEL" --dry-run extra
}

@test "missing -k is a usage error" {
	expect_usage_error "kernel" run --dry-run
	expect_usage_error "kernel" run --realm --dry-run -m 64
}

@test "an option without its value is a usage error" {
	expect_usage_error "--kernel" run -k
	expect_usage_error "--mem" run -k "$KERNEL" --mem
	expect_usage_error "--host" run -k "$KERNEL" --realm --host
}

@test "malformed numbers are usage errors" {
	expect_usage_error "--cpus" run -k "$KERNEL" --dry-run --cpus abc
	expect_usage_error "--cpus" run -k "$KERNEL" --dry-run -c 2x
	expect_usage_error "--cpus" run -k "$KERNEL" --dry-run -c -1
	expect_usage_error "--cpus" run -k "$KERNEL" --dry-run -c " 2"
	expect_usage_error "--cpus" run -k "$KERNEL" --dry-run -c 0
	expect_usage_error "--cpus" run -k "$KERNEL" --dry-run \
		-c 99999999999999999999999
	expect_usage_error "--threads" run -k "$KERNEL" --dry-run --threads 0
	expect_usage_error "--threads" run -k "$KERNEL" --dry-run --threads 65
	expect_usage_error "--num-bps" run -k "$KERNEL" --dry-run --realm \
		--num-bps 1
	expect_usage_error "--num-wps" run -k "$KERNEL" --dry-run --realm \
		--num-wps 17
	expect_usage_error "--sve-vl" run -k "$KERNEL" --dry-run --realm \
		--sve-vl 200
	expect_usage_error "--pmu-counters" run -k "$KERNEL" --dry-run \
		--realm --pmu-counters x
}

@test "too many vCPUs is a usage error (GICv3 limit 64)" {
	expect_usage_error "vCPU" run -k "$KERNEL" --dry-run -c 65
	expect_usage_error "vCPU" run -k "$KERNEL" --dry-run -c 1000
	rv run -k "$KERNEL" --dry-run -c 64
	[ "$status" -eq 0 ]
	[ "$(field cpus)" = 64 ]
}

@test "malformed and bad RAM sizes are usage errors" {
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m 3X
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m 0
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m 0G
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m -256
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m 256MB
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m ""
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m 0x
	# 2^64 / 2^30 = 2^34: one more GiB than fits in 64 bits
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run -m 17179869184G
	expect_usage_error "--mem" run -k "$KERNEL" --dry-run \
		-m 18446744073709551616
	expect_usage_error "2 MiB" run -k "$KERNEL" --dry-run -m 33
	expect_usage_error "2 MiB" run -k "$KERNEL" --dry-run -m 65537K
	expect_usage_error "small" run -k "$KERNEL" --dry-run -m 16
	expect_usage_error "large" run -k "$KERNEL" --dry-run -m 2048G
}

@test "SIZE suffixes: K, M, G, bare MiB and hex agree" {
	local arg want
	# expected byte counts computed here, independently of realmvm
	for arg in 512:$((512 << 20)) 512M:$((512 << 20)) 512m:$((512 << 20)) \
		   524288K:$((512 << 20)) 0x200:$((0x200 << 20)) \
		   1G:$((1 << 30)) 2g:$((2 << 30)) 32M:$((32 << 20)) \
		   0x40M:$((64 << 20)); do
		want=$(printf '0x%x' "${arg#*:}")
		rv run -k "$KERNEL" --dry-run -m "${arg%%:*}"
		[ "$status" -eq 0 ] || fail_msg "-m ${arg%%:*}: $output"
		[ "$(field ram)" = "0x80000000 $want" ] ||
			fail_msg "-m ${arg%%:*}: $(field ram), want $want"
	done
}

@test "default RAM is 256 MiB and one vCPU" {
	rv run -k "$KERNEL" --dry-run
	[ "$status" -eq 0 ]
	[ "$(field ram)" = "0x80000000 0x10000000" ]
	[ "$(field cpus)" = 1 ]
}

@test "realm-only options without --realm are usage errors naming them" {
	local spec
	for spec in "--measurement-algo sha256" "--realm-pv abc" \
		    "--realm-pv-hex 00" "--sve-vl 128" "--pmu-counters 1" \
		    "--num-bps 2" "--num-wps 2" "--lpa2" "--host cca-v12" \
		    "--host-config /dev/null" "--no-measurement-log" \
		    "--log-out $BATS_TEST_TMPDIR/log" "--trace"; do
		# shellcheck disable=SC2086
		expect_usage_error "${spec%% *} needs --realm" \
			run -k "$KERNEL" --dry-run $spec
	done
	[ ! -e "$BATS_TEST_TMPDIR/log" ]
}

@test "option values are checked by name" {
	expect_usage_error "--console" run -k "$KERNEL" --dry-run --console vga
	expect_usage_error "--host" run -k "$KERNEL" --dry-run --realm \
		--host cca-v99
	expect_usage_error "--measurement-algo" run -k "$KERNEL" --dry-run \
		--realm --measurement-algo md5
	expect_usage_error "--network" run -k "$KERNEL" --dry-run \
		--network user
	expect_usage_error "tap" run -k "$KERNEL" --dry-run \
		--network tap=
	expect_usage_error "--disk" run -k "$KERNEL" --dry-run --disk ,ro
}

@test "repeatable options have limits" {
	local args=() i
	for i in 1 2 3 4 5 6 7 8 9; do
		args+=(--disk "$BATS_TEST_TMPDIR/d$i")
	done
	expect_usage_error "--disk" run -k "$KERNEL" --dry-run "${args[@]}"
	args=()
	for i in 0 1 2 3 4; do
		args+=(--network "tap=tap$i")
	done
	expect_usage_error "--network" run -k "$KERNEL" --dry-run "${args[@]}"
}

@test "RPV: both forms, too long, or bad hex are usage errors" {
	expect_usage_error "--realm-pv" run -k "$KERNEL" --dry-run --realm \
		--host cca-v10 --realm-pv a --realm-pv-hex 00
	expect_usage_error "--realm-pv" run -k "$KERNEL" --dry-run --realm \
		--host cca-v10 --realm-pv "$(printf 'x%.0s' {1..65})"
	expect_usage_error "--realm-pv-hex" run -k "$KERNEL" --dry-run \
		--realm --host cca-v10 --realm-pv-hex "$(printf '00%.0s' {1..65})"
	expect_usage_error "--realm-pv-hex" run -k "$KERNEL" --dry-run \
		--realm --host cca-v10 --realm-pv-hex abc
	expect_usage_error "--realm-pv-hex" run -k "$KERNEL" --dry-run \
		--realm --host cca-v10 --realm-pv-hex zz
}

@test "contradictory modes are usage errors" {
	expect_usage_error "--json needs --dry-run" run -k "$KERNEL" --json
	expect_usage_error "--log-out" run -k "$KERNEL" --dry-run --realm \
		--no-measurement-log --log-out "$BATS_TEST_TMPDIR/log"
	expect_usage_error "same file" run -k "$KERNEL" --dry-run --realm \
		--dtb-out "$BATS_TEST_TMPDIR/log" --log-out "$BATS_TEST_TMPDIR/log"
	[ ! -e "$BATS_TEST_TMPDIR/log" ]
}

@test "run --help says which options the host decides, and how to choose another" {
	rvs run --help
	[ "$status" -eq 0 ]
	for opt in --measurement-algo --realm-pv --sve-vl --pmu-counters \
		   --num-bps --num-wps --lpa2; do
		# on the option's line or the line after it
		grep -A1 -- "^ *$opt " <<<"$output" | grep -q '\[host\]' ||
			fail_msg "$opt is not marked [host]"
	done
	[[ $output == *"[host]: what the host allows decides"* ]]
	[[ $output == *"--host-config FILE"*"realmvm caps"* ]]
}
