#!/usr/bin/env bats
# realm-check offline mode (--token/--log) and the device-tree path
# (--dt/--mem), on tokens and logs built here byte by byte from the
# published formats: the CCA token (tag 399 collection, COSE_Sign1, realm
# claim keys) and the TCG crypto-agile event log.  Nothing here comes
# from realmvm's own writers.

# realmvm's helpers (rv, make_image, field); their le32/le64 write bytes,
# the hle32/hle64 below write hex.
load helpers

# One realm attestation key (P-384, like the RMM's) and one platform key
# (P-256) for the whole file; tokens are signed with them by openssl.
setup_file() {
	local d=$BATS_FILE_TMPDIR
	openssl ecparam -name secp384r1 -genkey -noout -out "$d/rak.pem"
	openssl ecparam -name prime256v1 -genkey -noout -out "$d/iak.pem"
	openssl ec -in "$d/iak.pem" -pubout -out "$d/iak.pub" 2>/dev/null
	openssl ecparam -name prime256v1 -genkey -noout -out "$d/other.pem"
	openssl ec -in "$d/other.pem" -pubout -out "$d/other.pub" 2>/dev/null
}

setup() {
	# realm-check is built beside each realmvm build (build/host,
	# build/arm64, build/host-san); ./realmvm is a copy of the host one.
	local root dir
	root=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
	dir=$(cd "$(dirname "$REALMVM")" && pwd)
	if [ -n "${REALM_CHECK:-}" ]; then
		RC=$REALM_CHECK
	elif [ "$dir" = "$root" ]; then
		RC=$root/build/host/guest/realm-check
	else
		RC=$dir/guest/realm-check
	fi
	[ -x "$RC" ] || skip "realm-check not built at $RC (make)"
	T=$BATS_TEST_TMPDIR
	CHAL=$(rep c3 64)
	RPV=$(rep 5a 32)$(rep 00 32)
	RIM=$(rep 11 16)$(rep 22 16)
	K=$BATS_FILE_TMPDIR
	# the uncompressed point ends the DER SubjectPublicKeyInfo
	RAK=$(openssl ec -in "$K/rak.pem" -pubout -outform DER 2>/dev/null |
		tail -c 97 | od -An -v -tx1 | tr -d ' \n')
}

rc() {
	if [ -n "${REALMVM_UNDER_QEMU:-}" ]; then
		run qemu-aarch64-static "$RC" "$@"
	else
		run "$RC" "$@"
	fi
}

# ---- byte helpers (hex strings) ----
rep() { local i out=; for ((i = 0; i < $2; i++)); do out+=$1; done; printf %s "$out"; }
hex2bin() { printf "$(sed 's/../\\x&/g')"; }
hle32() { printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }
hle64() { hle32 $(($1 & 0xffffffff)); hle32 $(($1 >> 32)); }
txt() { printf %s "$1" | od -An -v -tx1 | tr -d ' \n'; }

# ---- a small CBOR encoder ----
cbh() {	# cbh MAJOR VALUE: a CBOR item head
	local m=$(($1 << 5)) v=$2
	if ((v < 24)); then printf '%02x' $((m | v))
	elif ((v < 256)); then printf '%02x%02x' $((m | 24)) "$v"
	elif ((v < 65536)); then printf '%02x%04x' $((m | 25)) "$v"
	else printf '%02x%08x' $((m | 26)) "$v"; fi
}
bstr() { cbh 2 $((${#1} / 2)); printf %s "$1"; }
tstr() { cbh 3 ${#1}; txt "$1"; }
int() { if (($1 >= 0)); then cbh 0 "$1"; else cbh 1 $((-1 - $1)); fi; }

# realm_claims HASHNAME RIMHEX [REMHEX]: the realm token claims map
realm_claims() {
	local rem=${3:-$(rep 00 $((${#2} / 2)))}
	cbh 5 7
	int 10; bstr "$CHAL"
	int 44235; bstr "$RPV"
	int 44236; tstr "$1"
	int 44237; bstr "$RAK"
	int 44238; bstr "$2"
	int 44239; cbh 4 4; bstr "$rem"; bstr "$rem"; bstr "$rem"; bstr "$rem"
	int 44240; tstr sha-384
}

# der2raw FILE BYTES: DER ECDSA signature -> COSE r || s, BYTES each
der2raw() {
	local h
	openssl asn1parse -inform DER -in "$1" | awk -F: '/INTEGER/ {print $NF}' |
	while read -r h; do
		h=$(printf %s "$h" | tr A-F a-f)
		while ((${#h} < 2 * $2)); do h=0$h; done
		printf %s "${h: -$((2 * $2))}"
	done
}

# sign1 ALG KEY PAYLOADHEX [TAMPERED-PAYLOADHEX] -> tagged COSE_Sign1;
# with a 4th argument the signature covers PAYLOADHEX but the token
# carries the tampered payload.
sign1() {
	local prot md coord tbs
	prot="a101$(int "$1")"
	if [ "$1" = -7 ]; then md=sha256 coord=32; else md=sha384 coord=48; fi
	tbs="84$(tstr Signature1)$(bstr "$prot")40$(bstr "$3")"
	printf %s "$tbs" | hex2bin >"$T/tbs.$1"
	openssl dgst -$md -sign "$2" -out "$T/sig.$1" "$T/tbs.$1"
	cbh 6 18; cbh 4 4
	bstr "$prot"
	cbh 5 0
	bstr "${4:-$3}"
	bstr "$(der2raw "$T/sig.$1" $coord)"
}

# make_token FILE [HASHNAME RIMHEX [SIGNED-RIMHEX]]: with SIGNED-RIMHEX
# the realm signature was made over a token with that RIM instead.
make_token() {
	local hash=${2:-sha-256} rim=${3:-$RIM} pchal plat realm signed=
	pchal=$(printf %s "$RAK" | hex2bin | openssl dgst -sha384 -r | cut -c1-96)
	plat=$(sign1 -7 "$K/iak.pem" "$(cbh 5 1; int 10; bstr "$pchal")")
	if [ -n "${4:-}" ]; then
		signed=$(realm_claims "$hash" "$4")
		realm=$(sign1 -35 "$K/rak.pem" "$signed" "$(realm_claims "$hash" "$rim")")
	else
		realm=$(sign1 -35 "$K/rak.pem" "$(realm_claims "$hash" "$rim")")
	fi
	{
		cbh 6 399; cbh 5 2
		int 44234; bstr "$plat"
		int 44241; bstr "$realm"
	} | hex2bin >"$1"
}

# make_log FILE [TCGALG DIGESTSIZE RMIHASH]: Spec ID, REALM_CREATE, KERNEL
make_log() {
	local alg=${2:-000b} dsize=${3:-32} rmi=${4:-00} kdig
	printf 'kernel image bytes' >"$T/kernel"
	if [ "$dsize" = 32 ]; then
		kdig=$(openssl dgst -sha256 -r "$T/kernel" | cut -c1-64)
	else
		kdig=$(openssl dgst -sha512 -r "$T/kernel" | cut -c1-128)
	fi
	KDIG=$kdig
	{
		# legacy Spec ID event, 33 bytes of data
		hle32 0; hle32 3; rep 00 20; hle32 33
		txt "Spec ID Event03"; printf 00
		hle32 0; printf '0002'; printf '6a02'; hle32 1
		printf '%s%02x00' "${alg:2:2}${alg:0:2}" "$dsize"; printf 00
		# REALM_CREATE tag, no digest (as kvmtool and QEMU write it)
		hle32 0; hle32 6; hle32 0; hle32 24
		hle32 1; hle32 16
		hle64 0; printf '2100050300%s0000' "$rmi"
		# KERNEL blob at 0x80200000, measured
		hle32 0; hle32 0x13; hle32 1; printf '%s%s' "${alg:2:2}${alg:0:2}" "$kdig"
		hle32 23; printf 06; txt KERNEL; hle64 0x80200000; hle64 18
		rep 00 64
	} | hex2bin >"$1"
}

@test "offline: matching token, log and expectations exit 0" {
	make_token "$T/tok"
	make_log "$T/log"
	rc --token "$T/tok" --log "$T/log" --challenge "$CHAL" \
		--expect-rim "$RIM" --expect-rpv "$(rep 5a 32)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"token RIM: $RIM"* ]]
	[[ "$output" == *"token hash algorithm: sha-256"* ]]
	[[ "$output" == *"token RPV: $RPV"* ]]
	[[ "$output" == *"check challenge: agree"* ]]
	[[ "$output" == *"check rim: agree"* ]]
	[[ "$output" == *"check rpv: agree"* ]]
	[[ "$output" == *"check log-hash-algo: agree"* ]]
	[[ "$output" == *"log blob KERNEL: base 0x80200000 size 0x12 digest $KDIG"* ]]
	[[ "$output" == *"log REALM_CREATE: flags 0x0 s2sz 33 sve_vl 0 num_bps 5 num_wps 3"* ]]
	[[ "$output" == *"check realm-signature: agree"* ]]
	[[ "$output" == *"check platform-signature: skipped"* ]]
	[[ "$output" == *"result: all 7 checks agree"* ]]
}

@test "a realmvm dry run's log and RIM agree with a token that carries them" {
	make_image "$T/Image" 65536
	rv run --realm --dry-run --host cca-v10 -k "$T/Image" -m 256M -c 2 \
		--realm-pv-hex "$(rep 5a 32)" --log-out "$T/log"
	[ "$status" -eq 0 ]
	rim=$(field RIM)
	[ ${#rim} -eq 64 ]
	[ "$(field rpv)" = "$RPV" ]
	make_token "$T/tok" sha-256 "$rim"
	rc --token "$T/tok" --log "$T/log" --challenge "$CHAL" \
		--expect-rim "$rim" --expect-rpv "$(field rpv)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"log VMM: realmvm"* ]]
	[[ "$output" == *"log blob KERNEL: base 0x80000000 size 0x10000 digest $(openssl dgst -sha256 -r "$T/Image" | cut -c1-64)"* ]]
	[[ "$output" == *"result: all 7 checks agree"* ]]
}

@test "a sha512 realmvm log disagrees with a sha-256 token, agrees with sha-512" {
	make_image "$T/Image" 65536
	rv run --realm --dry-run --host cca-v10 -k "$T/Image" -m 256M \
		--measurement-algo sha512 --log-out "$T/log"
	[ "$status" -eq 0 ]
	rim=$(field RIM)
	[ ${#rim} -eq 128 ]
	make_token "$T/tok" sha-512 "$rim"
	rc --token "$T/tok" --log "$T/log" --expect-rim "$rim"
	[ "$status" -eq 0 ]
	make_token "$T/tok" sha-256 "$(rep 11 32)"
	rc --token "$T/tok" --log "$T/log" --expect-rim "$rim"
	[ "$status" -eq 1 ]
	[[ "$output" == *"DISAGREE: log-hash-algo, realm-create-hash-algo, rim"* ]]
}

@test "a token changed after signing fails the realm signature" {
	make_token "$T/tok" sha-256 "$RIM" "$(rep 11 32)"
	rc --token "$T/tok" --no-log --expect-rim "$RIM"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"check rim: agree"* ]]
	[[ "$output" == *"result: DISAGREE: realm-signature"* ]]
}

@test "--iak verifies the platform token and makes the binding decisive" {
	make_token "$T/tok"
	rc --token "$T/tok" --no-log --iak "$K/iak.pub"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"check platform-signature: agree"* ]]
	[[ "$output" == *"check platform-binding: agree"* ]]
	rc --token "$T/tok" --no-log --iak "$K/other.pub"
	[ "$status" -eq 1 ]
	[[ "$output" == *"result: DISAGREE: platform-signature"* ]]
	rc --token "$T/tok" --no-log --iak "$T/nonexistent"
	[ "$status" -eq 1 ]
	[[ "$output" == *"--iak"* ]]
}

@test "offline: sha-512 token with sha512 log agrees" {
	make_token "$T/tok" sha-512 "$(rep 77 64)"
	make_log "$T/log" 000d 64 01
	rc --token "$T/tok" --log "$T/log" --expect-rim "$(rep 77 64)"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"token RIM: $(rep 77 64)"* ]]
}

@test "platform challenge is checked against sha-384 of the realm key" {
	make_token "$T/tok"
	rc --token "$T/tok" --no-log
	[ "$status" -eq 0 ]
	[[ "$output" == *"info platform-binding: platform challenge = sha-384(realm public key)"* ]]
}

@test "a different expected RIM is a disagreement naming rim" {
	make_token "$T/tok"
	make_log "$T/log"
	rc --token "$T/tok" --log "$T/log" --expect-rim "$(rep 11 32)"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"check rim: DISAGREE"* ]]
	[[ "$output" == *"result: DISAGREE: rim"* ]]
	[[ "$output" == *"realm-check: 1 of "*" checks disagree: rim"* ]]
}

@test "an expected RIM of the wrong length disagrees" {
	make_token "$T/tok"
	rc --token "$T/tok" --no-log --expect-rim "${RIM}00"
	[ "$status" -eq 1 ]
	[[ "$output" == *"lengths differ"* ]]
}

@test "a challenge that is not echoed disagrees" {
	make_token "$T/tok"
	rc --token "$T/tok" --no-log --challenge "$(rep c4 64)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"result: DISAGREE: challenge"* ]]
}

@test "different RPV disagrees" {
	make_token "$T/tok"
	rc --token "$T/tok" --no-log --expect-rpv "$(rep 5b 32)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"DISAGREE: rpv"* ]]
}

@test "log hash algorithm differing from the token is named" {
	make_token "$T/tok"
	make_log "$T/log" 000d 64 01
	rc --token "$T/tok" --log "$T/log"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"DISAGREE: log-hash-algo, realm-create-hash-algo"* ]]
}

@test "REALM_CREATE hash_algo differing from the token is named" {
	make_token "$T/tok"
	make_log "$T/log" 000b 32 01
	rc --token "$T/tok" --log "$T/log"
	[ "$status" -eq 1 ]
	[[ "$output" == *"DISAGREE: realm-create-hash-algo"* ]]
}

@test "without --challenge an offline token's freshness is reported unknown" {
	make_token "$T/tok"
	rc --token "$T/tok" --no-log
	[ "$status" -eq 0 ]
	[[ "$output" == *"check challenge: skipped"* ]]
	[[ "$output" == *"check rim: skipped"* ]]
}

@test "truncated token is rejected with one line and exit 1" {
	make_token "$T/tok"
	head -c 200 "$T/tok" >"$T/short"
	rc --token "$T/short" --no-log
	[ "$status" -eq 1 ]
	[[ "$output" == *"realm-check: attestation token is malformed"* ]]
	[[ "$output" != *"result:"* ]]
}

@test "token with the wrong outer tag is rejected" {
	{ cbh 6 398; cbh 5 0; } | hex2bin >"$T/tok"
	rc --token "$T/tok" --no-log
	[ "$status" -eq 1 ]
	[[ "$output" == *"399"* ]]
}

@test "malformed event log is rejected before the token is read" {
	printf 'not an event log at all, just text padding it out.....' >"$T/log"
	make_token "$T/tok"
	rc --token "$T/tok" --log "$T/log"
	[ "$status" -eq 1 ]
	[[ "$output" == *"realm-check: event log ($T/log) is malformed"* ]]
	[[ "$output" != *"token RIM"* ]]
}

@test "missing token file is a run-time error" {
	rc --token "$T/nonexistent" --no-log
	[ "$status" -eq 1 ]
	[[ "$output" == *"nonexistent"* ]]
}

@test "event log found through the device tree and read from memory" {
	make_token "$T/tok"
	make_log "$T/log"
	dt=$T/dt/reserved-memory
	mkdir -p "$dt/event-log@10000" "$dt/other@0"
	printf '\0\0\0\2' >"$dt/#address-cells"
	printf '\0\0\0\2' >"$dt/#size-cells"
	printf 'vendor,x\0cc-event-log\0' >"$dt/event-log@10000/compatible"
	printf '0000000000010000''0000000000001000' |
		hex2bin >"$dt/event-log@10000/reg"
	printf 'something-else\0' >"$dt/other@0/compatible"
	# physical memory: the log at 0x10000 inside a 0x1000 region
	truncate -s $((0x10000)) "$T/mem"
	cat "$T/log" >>"$T/mem"
	truncate -s $((0x11000)) "$T/mem"
	rc --token "$T/tok" --dt "$T/dt" --mem "$T/mem" --save-log "$T/saved"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"from device tree + /dev/mem"* ]]
	[[ "$output" == *"log blob KERNEL"* ]]
	# the saved log is exactly the 0x1000-byte region
	[ "$(stat -c %s "$T/saved")" -eq 4096 ]
	cmp <(head -c "$(stat -c %s "$T/log")" "$T/saved") "$T/log"
}

@test "device tree without a cc-event-log node: log checks skipped, or an error with --require-log" {
	dt=$T/dt/reserved-memory
	mkdir -p "$dt/event-log@10000"
	printf '\0\0\0\2' >"$dt/#address-cells"
	printf '\0\0\0\2' >"$dt/#size-cells"
	printf 'other\0' >"$dt/event-log@10000/compatible"
	make_token "$T/tok"
	rc --token "$T/tok" --dt "$T/dt" --mem /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"log: not available, log checks skipped (no event log: no node with compatible \"cc-event-log\""* ]]
	[[ "$output" != *"check log-hash-algo"* ]]
	rc --token "$T/tok" --dt "$T/dt" --mem /dev/null --require-log
	[ "$status" -eq 1 ]
	[[ "$output" == *"realm-check: no event log: no node with compatible \"cc-event-log\""* ]]
	[[ "$output" != *"result:"* ]]
}

@test "device tree region beyond the memory file: skipped, or an error with --require-log" {
	dt=$T/dt/reserved-memory
	mkdir -p "$dt/event-log@80000000"
	printf '\0\0\0\2' >"$dt/#address-cells"
	printf '\0\0\0\2' >"$dt/#size-cells"
	printf 'cc-event-log\0' >"$dt/event-log@80000000/compatible"
	printf '0000000080000000''0000000000010000' | hex2bin >"$dt/event-log@80000000/reg"
	: >"$T/mem"
	make_token "$T/tok"
	rc --token "$T/tok" --dt "$T/dt" --mem "$T/mem"
	[ "$status" -eq 0 ]
	[[ "$output" == *"log checks skipped (cannot read the event log at 0x80000000"* ]]
	rc --token "$T/tok" --dt "$T/dt" --mem "$T/mem" --require-log
	[ "$status" -eq 1 ]
	[[ "$output" == *"realm-check: cannot read the event log at 0x80000000"* ]]
}

@test "usage errors exit 2" {
	rc --expect-rim xyz
	[ "$status" -eq 2 ]
	[[ "$output" == *"--expect-rim"* ]]
	rc --challenge "$(rep 00 65)"
	[ "$status" -eq 2 ]
	rc --bogus
	[ "$status" -eq 2 ]
	rc --no-log --log /dev/null
	[ "$status" -eq 2 ]
	rc --log /dev/null --save-log "$T/x"
	[ "$status" -eq 2 ]
	rc --token /dev/null --save-token "$T/x"
	[ "$status" -eq 2 ]
	rc --no-log --require-log
	[ "$status" -eq 2 ]
	[ ! -e "$T/x" ]
	rc extra-arg
	[ "$status" -eq 2 ]
	rc --token
	[ "$status" -eq 2 ]
}

@test "--help exits 0" {
	rc --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: realm-check"* ]]
}

@test "online mode without configfs-tsm fails with a hint" {
	[ ! -d /sys/kernel/config/tsm/report ] || skip "this machine has configfs-tsm"
	rc --no-log
	[ "$status" -eq 1 ]
	[[ "$output" == *"configfs"*"--token FILE"* ]]
}
