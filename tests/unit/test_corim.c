/*
 * Unit tests for the CoRIM writer and reader (attest/corim*.c): the
 * 204-byte golden example of the reference fact sheet (CCA-04, minimal,
 * unsigned), its CCA-03 variant, a read-back of a full record, and a
 * signed CoRIM checked by the token code's COSE_Sign1 verifier, whose
 * Sig_structure encoder is independent of the libcbor one that signs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <stdio.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "attest/cbor.h"
#include "attest/corim.h"
#include "attest/cose_sign.h"
#include "attest/cose_verify.h"
#include "vmm/util.h"

static const char golden_hex[] =
	"d901f5a30050284e6c3e5d9f4f6b851f5a4247f243a70181d901fa587da201a100503f06af63a93c11e497"
	"9700505690773f04a1008182a100a100d902305820311314ab73620350cf758834ae5c65d9e8c2dc7febe6e7"
	"d9654bbe864e300d4981a200676363612e72696d01a1028182677368612d3235365820311314ab73620350cf"
	"758834ae5c65d9e8c2dc7febe6e7d9654bbe864e300d4903d820782d7461673a61726d2e636f6d2c32303235"
	"3a656e646f7273656d656e74732f6363615f7265616c6d23312e302e30";

static void unhex(const char *hex, uint8_t *out, size_t max, size_t *len)
{
	assert_int_equal(hex_decode(hex, out, max, len), 0);
}

static void golden_inputs(struct corim_params *p, struct corim_refval *rv)
{
	size_t len;

	memset(p, 0, sizeof(*p));
	memset(rv, 0, sizeof(*rv));
	p->profile = CORIM_CCA_04;
	unhex("284e6c3e5d9f4f6b851f5a4247f243a7", p->corim_id, 16, &len);
	unhex("3f06af63a93c11e4979700505690773f", p->tag_id, 16, &len);
	rv->algo = hash_algo_by_name("sha-256");
	unhex("311314ab73620350cf758834ae5c65d9e8c2dc7febe6e7d9654bbe864e300d49",
	      rv->rim, 64, &len);
	assert_int_equal(len, 32);
}

static void test_golden_cca04(void **state)
{
	uint8_t want[256], *out;
	struct corim_params p;
	struct corim_refval rv;
	size_t want_len, len;

	(void)state;
	golden_inputs(&p, &rv);
	unhex(golden_hex, want, sizeof(want), &want_len);
	assert_int_equal(want_len, 204);
	assert_int_equal(corim_encode(&p, &rv, 1, &out, &len), 0);
	assert_int_equal(len, 204);
	assert_memory_equal(out, want, 204);
	free(out);
}

static void test_golden_cca03(void **state)
{
	static const char uri03[] = "tag:arm.com,2025:cca_realm#1.0.0";
	uint8_t want[256], *out;
	struct corim_params p;
	struct corim_refval rv;
	size_t want_len, len, tail = 2 + strlen(uri03);

	(void)state;
	golden_inputs(&p, &rv);
	p.profile = CORIM_CCA_03;
	unhex(golden_hex, want, sizeof(want), &want_len);
	assert_int_equal(corim_encode(&p, &rv, 1, &out, &len), 0);
	/* same bytes up to the URI tstr, then 78 20 and the -03 URI */
	assert_int_equal(len, want_len - (2 + 45) + tail);
	assert_memory_equal(out, want, want_len - (2 + 45));
	assert_int_equal(out[len - tail], 0x78);
	assert_int_equal(out[len - tail + 1], 0x20);
	assert_memory_equal(out + len - strlen(uri03), uri03, strlen(uri03));
	free(out);
}

static void test_roundtrip_full(void **state)
{
	struct corim_refval rv[2], back[4];
	struct corim_params p;
	char why[200];
	uint8_t *out;
	size_t len, n, i;

	(void)state;
	memset(rv, 0, sizeof(rv));
	rv[0].algo = hash_algo_by_name("sha512");
	rv[1].algo = hash_algo_by_name("sha256");
	for (i = 0; i < 64; i++) {
		rv[0].rim[i] = (uint8_t)i;
		rv[0].rpv[i] = (uint8_t)(0xff - i);
		rv[0].rem[2][i] = (uint8_t)(i * 3);
		rv[1].rim[i] = (uint8_t)(i + 7);
	}
	rv[0].has_rpv = true;
	rv[0].rem_mask = 1U << 2;
	memset(&p, 0, sizeof(p));
	assert_int_equal(corim_derive_ids(&p, rv, 2), 0);
	/* RFC 9562 version 8, variant 10 */
	assert_int_equal(p.corim_id[6] >> 4, 8);
	assert_int_equal(p.tag_id[8] >> 6, 2);
	assert_int_equal(corim_encode(&p, rv, 2, &out, &len), 0);
	assert_int_equal(corim_decode(out, len, back, 4, &n, why, sizeof(why)),
			 0);
	assert_int_equal(n, 2);
	assert_ptr_equal(back[0].algo, rv[0].algo);
	assert_memory_equal(back[0].rim, rv[0].rim, 64);
	assert_true(back[0].has_rpv);
	assert_memory_equal(back[0].rpv, rv[0].rpv, 64);
	assert_int_equal(back[0].rem_mask, 1U << 2);
	assert_memory_equal(back[0].rem[2], rv[0].rem[2], 64);
	assert_ptr_equal(back[1].algo, rv[1].algo);
	assert_memory_equal(back[1].rim, rv[1].rim, 32);
	assert_false(back[1].has_rpv);
	assert_int_equal(back[1].rem_mask, 0);

	/* the class-id must be the RIM: flip one RIM byte in the class-id */
	for (i = 0; i + 3 < len; i++)
		if (out[i] == 0xd9 && out[i + 1] == 0x02 && out[i + 2] == 0x30)
			break;
	out[i + 5] ^= 1;
	assert_int_equal(corim_decode(out, len, back, 4, &n, why, sizeof(why)),
			 -1);
	assert_non_null(strstr(why, "class-id differs"));
	free(out);
}

static void test_decode_refuses(void **state)
{
	uint8_t buf[256], *out;
	struct corim_params p;
	struct corim_refval rv, back;
	char why[200];
	size_t len, n;

	(void)state;
	golden_inputs(&p, &rv);
	assert_int_equal(corim_encode(&p, &rv, 1, &out, &len), 0);
	memcpy(buf, out, len);
	free(out);
	/* truncated */
	assert_int_equal(corim_decode(buf, len - 1, &back, 1, &n, why,
				      sizeof(why)), -1);
	/* unknown profile: change the last URI character */
	buf[len - 1] = '1';
	assert_int_equal(corim_decode(buf, len, &back, 1, &n, why,
				      sizeof(why)), -1);
	assert_non_null(strstr(why, "profile"));
	/* wrong top tag */
	buf[len - 1] = '0';
	buf[2] = 0xf6;
	assert_int_equal(corim_decode(buf, len, &back, 1, &n, why,
				      sizeof(why)), -1);
	assert_non_null(strstr(why, "not a CoRIM"));
}

/* Sign the golden CoRIM with a fresh key on curve; verify with attest/. */
static void sign_and_verify(const char *curve, int64_t alg, size_t sig_len)
{
	char path[] = "/tmp/test_corim_keyXXXXXX";
	struct corim_signing sg = { .key_path = path, .signer = "unit" };
	struct corim_params p;
	struct corim_refval rv;
	struct cca_sign1 s1;
	struct cbor_dec d;
	struct cbor_item it;
	uint8_t *corim, *out;
	size_t len, out_len;
	const char *why = NULL;
	EVP_PKEY *key;
	FILE *f;
	int fd;

	key = EVP_EC_gen(curve);
	assert_non_null(key);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL,
					      NULL), 1);
	fclose(f);
	golden_inputs(&p, &rv);
	assert_int_equal(corim_encode(&p, &rv, 1, &corim, &len), 0);
	assert_int_equal(cose_sign_corim(corim, len, &sg, &out, &out_len), 0);
	unlink(path);

	/* 18([protected, {}, payload, signature]) */
	memset(&s1, 0, sizeof(s1));
	cbor_init(&d, out, out_len);
	assert_int_equal(cbor_expect(&d, CBOR_TAG, &it, "tag"), 0);
	assert_int_equal(it.val, 18);
	assert_int_equal(cbor_expect(&d, CBOR_ARRAY, &it, "array"), 0);
	assert_int_equal(it.len, 4);
	assert_int_equal(cbor_expect(&d, CBOR_BSTR, &it, "prot"), 0);
	s1.protected_hdr.ptr = it.ptr;
	s1.protected_hdr.len = it.len;
	assert_int_equal(cbor_expect(&d, CBOR_MAP, &it, "unprot"), 0);
	assert_int_equal(it.len, 0);
	assert_int_equal(cbor_expect(&d, CBOR_BSTR, &it, "payload"), 0);
	s1.payload.ptr = it.ptr;
	s1.payload.len = it.len;
	assert_int_equal(it.len, len);
	assert_memory_equal(it.ptr, corim, len);
	assert_int_equal(cbor_expect(&d, CBOR_BSTR, &it, "sig"), 0);
	s1.signature.ptr = it.ptr;
	s1.signature.len = it.len;
	assert_int_equal(it.len, sig_len);
	assert_true(cbor_at_end(&d));
	s1.alg = alg;
	s1.has_alg = true;
	assert_int_equal(cose_sign1_verify(&s1, key, &why), 1);
	/* one flipped payload bit */
	((uint8_t *)s1.payload.ptr)[len / 2] ^= 1;
	assert_int_equal(cose_sign1_verify(&s1, key, &why), 0);
	EVP_PKEY_free(key);
	free(corim);
	free(out);
}

static void test_signed_es256(void **state)
{
	(void)state;
	sign_and_verify("P-256", -7, 64);
}

static void test_signed_es384(void **state)
{
	(void)state;
	sign_and_verify("P-384", -35, 96);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_cca04),
		cmocka_unit_test(test_golden_cca03),
		cmocka_unit_test(test_roundtrip_full),
		cmocka_unit_test(test_decode_refuses),
		cmocka_unit_test(test_signed_es256),
		cmocka_unit_test(test_signed_es384),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
