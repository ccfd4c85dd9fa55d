#!/usr/bin/env bats
# Reference values for verifiers: `run --dry-run --corim/--comid-json`,
# `--host all`, and `token show|verify`.  The CoRIMs are checked by
# tools/check_corim.py (python3-cbor2 and python3-cryptography) and by
# npm's cose-js (tests/js), tokens are built by tools/make_cca_token.py
# with test keys: none of them shares code with realmvm's writer, reader
# or signer.  The expected RIMs always come from realmvm's own dry-run
# text output, which the dryrun and log suites check against published
# vectors.

load helpers

PY=/usr/bin/python3	# Debian's, where python3-cbor2 is installed

setup_file() {
	local d=$BATS_FILE_TMPDIR
	# shellcheck source=fixtures.bash
	source "$BATS_TEST_DIRNAME/fixtures.bash"
	make_image "$d/Image" 200000
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
		-out "$d/k256.pem" 2>/dev/null
	openssl pkey -in "$d/k256.pem" -pubout -out "$d/k256.pub"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
		-out "$d/k384.pem" 2>/dev/null
	openssl pkey -in "$d/k384.pem" -pubout -out "$d/k384.pub"
	openssl req -x509 -new -key "$d/k256.pem" -subj /CN=realmvm-test \
		-days 2 -out "$d/cert.pem" 2>/dev/null
	openssl ecparam -name secp384r1 -genkey -noout -out "$d/rak.pem"
	# the static aarch64 build has no libcbor, so no CoRIM writer
	"${RV_CMD[@]}" run --realm --dry-run -k "$d/Image" \
		--corim "$d/probe.corim" >/dev/null 2>&1 || : >"$d/no-cbor"
	openssl ecparam -name prime256v1 -genkey -noout -out "$d/iak.pem"
	openssl ec -in "$d/iak.pem" -pubout -out "$d/iak.pub" 2>/dev/null
}

setup() {
	F=$BATS_FILE_TMPDIR
	T=$BATS_TEST_TMPDIR
	"$PY" -c 'import cbor2, cryptography' 2>/dev/null ||
		skip "python3-cbor2 and python3-cryptography are needed (apt)"
}

need_writer() {
	[ ! -e "$F/no-cbor" ] || skip "this build has no libcbor (docs/corim.md)"
}

check() { run "$PY" "$BATS_TEST_DIRNAME/tools/check_corim.py" "$@"; }
mktoken() { "$PY" "$BATS_TEST_DIRNAME/tools/make_cca_token.py" "$@"; }
zeros() { printf "%0$1d" 0; }

# dry RIM-VAR ARGS...: a dry run; sets the named variable to its RIM
dry() {
	local var=$1
	shift
	rv run --realm --dry-run -k "$F/Image" "$@"
	[ "$status" -eq 0 ] || fail_msg "dry run failed: $output"
	printf -v "$var" %s "$(field RIM)"
}

@test "--corim: every field of the CCA-04 CoRIM, canonical, the dry run's RIM" {
	need_writer
	dry rim --corim "$T/c.cbor"
	[ ${#rim} -eq 64 ]
	check "$T/c.cbor" --rim "$rim"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok record sha-256 $rim"* ]]
	[[ "$output" == *"ok 1 records, profile cca-04"* ]]
	# the same command line gives the same bytes (ids derive from values)
	dry rim2 --corim "$T/c2.cbor"
	cmp "$T/c.cbor" "$T/c2.cbor"
}

@test "--corim-profile cca-03, SHA-512 digests at 64 bytes, RPV and REMs" {
	need_writer
	local rem1 rem3
	rem1=$(printf '%0128x' 5) rem3=$(printf 'ab%.0s' {1..64})
	dry rim --host cca-v10 --measurement-algo sha512 --realm-pv-hex 0102 \
		--corim "$T/c.cbor" --corim-profile cca-03 \
		--corim-rem "1=$rem1" --corim-rem "3=$rem3"
	[ ${#rim} -eq 128 ]
	check "$T/c.cbor" --profile cca-03 --rim "$rim" --rpv 0102 \
		--rem "1=$rem1" --rem "3=$rem3"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok record sha-512 $rim"* ]]
	# the -04 checker refuses the -03 URI: the profile is really checked
	check "$T/c.cbor" --rim "$rim" --rpv 0102 --rem "1=$rem1" --rem "3=$rem3"
	[ "$status" -ne 0 ]
	[[ "$output" == *"profile URI"* ]]
}

@test "--host all: one record per RIM, each the RIM of a single-host dry run" {
	need_writer
	local r10 r12 r14
	dry r10 --host cca-v10
	dry r12 --host cca-v12
	dry r14 --host cca-v14
	rv run --realm --dry-run -k "$F/Image" --host all --corim "$T/c.cbor"
	[ "$status" -eq 0 ]
	[ "$(field 'RIM cca-v10')" = "$r10" ]
	[ "$(field 'RIM cca-v12')" = "$r12" ]
	[ "$(field 'RIM cca-v14')" = "$r14" ]
	[ "$(field host)" = all ]
	check "$T/c.cbor" --rim "$r10" --rim "$r12" --rim "$r14"
	echo "$output"
	[ "$status" -eq 0 ]
	# the records really are different configurations
	[ "$r10" != "$r12" ] && [ "$r12" != "$r14" ]
}

@test "--host all keeps to the series the options allow" {
	local r10
	dry r10 --host cca-v10 --measurement-algo sha512
	rv run --realm --dry-run -k "$F/Image" --host all \
		--measurement-algo sha512 --json
	[ "$status" -eq 0 ]
	[[ "$output" == *"\"rims\": {\"cca-v10\": \"$r10\"}"* ]]
}

@test "signed CoRIM: ES256 and ES384 verified by python3-cryptography" {
	need_writer
	dry rim --corim "$T/s256.cbor" --corim-key "$F/k256.pem"
	check "$T/s256.cbor" --pub "$F/k256.pub" --signer realmvm --rim "$rim"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok signature alg -7 signer realmvm"* ]]
	dry rim --corim "$T/s384.cbor" --corim-key "$F/k384.pem" \
		--corim-signer "ACME Corp" --corim-cert "$F/cert.pem"
	check "$T/s384.cbor" --pub "$F/k384.pub" --signer "ACME Corp" \
		--chain 1 --rim "$rim"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ok signature alg -35 signer ACME Corp"* ]]
	# the wrong key does not verify
	check "$T/s384.cbor" --pub "$F/iak.pub" --signer "ACME Corp" --chain 1
	[ "$status" -ne 0 ]
	[[ "$output" == *"signature does not verify"* ]]
}

@test "signed CoRIM: verified by npm cose-js, payload is the unsigned CoRIM" {
	need_writer
	local js=$BATS_TEST_DIRNAME/../js
	[ -d "$js/node_modules/cose-js" ] ||
		skip "cose-js not installed (npm install --prefix tests/js)"
	dry rim --corim "$T/u.cbor"
	dry rim --corim "$T/s.cbor" --corim-key "$F/k256.pem"
	run node "$js/cose_verify.js" "$T/s.cbor" "$F/k256.pub"
	[ "$status" -eq 0 ]
	[ "$output" = "$(od -An -v -tx1 "$T/u.cbor" | tr -d ' \n')" ]
	dry rim --corim "$T/s384.cbor" --corim-key "$F/k384.pem"
	run node "$js/cose_verify.js" "$T/s384.cbor" "$F/k384.pub"
	[ "$status" -eq 0 ]
	# one flipped signature byte
	cp "$T/s.cbor" "$T/bad.cbor"
	flip_byte "$T/bad.cbor" $(($(stat -c %s "$T/bad.cbor") - 3))
	run node "$js/cose_verify.js" "$T/bad.cbor" "$F/k256.pub"
	[ "$status" -ne 0 ]
}

@test "--comid-json: Veraison's template with the same values" {
	local rem0
	rem0=$(printf '%064x' 9)
	dry rim --realm-pv abc --host cca-v10 --comid-json "$T/c.json" \
		--corim-rem "0=$rem0"
	run "$PY" - "$T/c.json" "$rim" "$rem0" <<'PY'
import base64, json, sys
t = json.load(open(sys.argv[1]))
rim, rem0 = bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
b64u = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
rv = t["triples"]["reference-values"]
assert len(rv) == 1 and len(t["tag-identity"]["id"]) == 36
env = rv[0]["environment"]["class"]["id"]
assert env["type"] == "bytes" and base64.b64decode(env["value"]) == rim
m = {x["key"]["value"]: x["value"] for x in rv[0]["measurements"]}
assert all(x["key"]["type"] == "string" for x in rv[0]["measurements"])
assert m["cca.rim"] == {"digests": [[1, b64u(rim)]]}
assert m["cca.rem0"] == {"digests": [[1, b64u(rem0)]]}
rpv = base64.b64decode(m["cca.rpv"]["raw-value"]["value"])
assert rpv == b"abc" + bytes(61)
assert sorted(m) == ["cca.rem0", "cca.rim", "cca.rpv"]
print("ok")
PY
	echo "$output"
	[ "$output" = ok ]
}

@test "token verify: a token with the dry run's RIM agrees with CoRIM, dry run and keys" {
	need_token_cmd
	need_writer
	local chal
	chal=$(printf 'c3%.0s' {1..64})
	dry rim --corim "$T/c.cbor" --log-out "$T/log"
	mktoken "$T/tok" --rak "$F/rak.pem" --iak "$F/iak.pem" --rim "$rim" \
		--challenge "$chal"
	rv token verify "$T/tok" --iak "$F/iak.pub" --challenge "$chal" \
		--corim "$T/c.cbor" --expect-rim "$rim" --log "$T/log" \
		-- run --realm --dry-run -k "$F/Image"
	echo "$output"
	[ "$status" -eq 0 ]
	for c in challenge realm-signature platform-signature platform-binding \
		 rim corim-rim dry-run-rim dry-run-rpv log-vs-dry-run \
		 log-hash-algo; do
		[[ "$output" == *"check $c: agree"* ]] || fail_msg "no $c"
	done
	[[ "$output" == *"result: all 12 checks agree"* ]]
	rv token show "$T/tok"
	[ "$status" -eq 0 ]
	[[ "$output" == *"token RIM: $rim"* ]]
}

@test "token verify: tampered realm and platform tokens are refused" {
	need_token_cmd
	dry rim
	mktoken "$T/tok" --rak "$F/rak.pem" --iak "$F/iak.pem" --rim "$rim" \
		--tamper realm
	rv token verify "$T/tok" --iak "$F/iak.pub"
	[ "$status" -eq 1 ]
	[[ "$output" == *"check realm-signature: DISAGREE"* ]]
	[[ "$output" == *"check platform-signature: agree"* ]]
	mktoken "$T/tok" --rak "$F/rak.pem" --iak "$F/iak.pem" --rim "$rim" \
		--tamper platform
	rv token verify "$T/tok" --iak "$F/iak.pub"
	[ "$status" -eq 1 ]
	[[ "$output" == *"check realm-signature: agree"* ]]
	[[ "$output" == *"check platform-signature: DISAGREE"* ]]
}

@test "token verify: another launch's RIM disagrees with CoRIM, dry run and log" {
	need_token_cmd
	need_writer
	local other
	dry rim --corim "$T/c.cbor" --log-out "$T/log"
	dry other -c 2
	mktoken "$T/tok" --rak "$F/rak.pem" --iak "$F/iak.pem" --rim "$other"
	rv token verify "$T/tok" --corim "$T/c.cbor" \
		-- run --realm --dry-run -k "$F/Image"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"check corim-rim: DISAGREE"* ]]
	[[ "$output" == *"check dry-run-rim: DISAGREE"* ]]
	# the log of the 1-vCPU launch against a 2-vCPU dry run: the first
	# event that differs is named (the DTB describes the CPUs)
	rv token verify "$T/tok" --log "$T/log" \
		-- run --realm --dry-run -k "$F/Image" -c 2
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"check log-vs-dry-run: DISAGREE (log event "*"(BLOB DTB)"* ]]
	[[ "$output" == *"check dry-run-rim: agree"* ]]
}

@test "token verify: an RPV or REM the CoRIM pins must match the token" {
	need_token_cmd
	need_writer
	dry rim --host cca-v10 --realm-pv abc --corim "$T/c.cbor" \
		--corim-rem "2=$(printf '%064x' 1)"
	mktoken "$T/tok" --rak "$F/rak.pem" --iak "$F/iak.pem" --rim "$rim" \
		--rpv 616263
	rv token verify "$T/tok" --corim "$T/c.cbor"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"check corim-rim: agree"* ]]
	[[ "$output" == *"check corim-rpv: agree"* ]]
	[[ "$output" == *"check corim-rem2: DISAGREE"* ]]
	mktoken "$T/tok" --rak "$F/rak.pem" --iak "$F/iak.pem" --rim "$rim" \
		--rpv 616263 --rem "$(printf '%064x' 1)"
	rv token verify "$T/tok" --corim "$T/c.cbor"
	[ "$status" -eq 0 ]
}
