/*
 * Unit tests for the CCA attestation token decoder (attest/cca_token.c)
 * and the CBOR reader under it (attest/cbor.c).  Tokens are built here
 * from the published structure (tag 399 collection, COSE_Sign1, realm
 * claim keys) with a tiny CBOR encoder of the test's own, so the
 * expectations do not come from the code under test.
 *
 * Signatures are made with OpenSSL's signing side over a Sig_structure
 * the test encodes itself, and checked with attest/cose_verify.c.
 *
 * The guest sources are not part of librealmvm.a (they are built into
 * the separate in-realm realm-check program), so they are compiled into
 * this test by including them; that keeps the core Makefile untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>

#include "attest/cbor.c"
#include "attest/cca_token.c"
#include "attest/cose_verify.c"

/* ---- a minimal CBOR encoder, independent of the decoder ---- */

struct enc {
	uint8_t buf[8192];
	size_t len;
};

static void put_byte(struct enc *e, uint8_t b)
{
	assert_true(e->len < sizeof(e->buf));
	e->buf[e->len++] = b;
}

static void put_head(struct enc *e, unsigned int major, uint64_t val)
{
	unsigned int n, i;

	if (val < 24) {
		put_byte(e, major << 5 | val);
		return;
	}
	if (val <= 0xff) {
		put_byte(e, major << 5 | 24);
		n = 1;
	} else if (val <= 0xffff) {
		put_byte(e, major << 5 | 25);
		n = 2;
	} else if (val <= 0xffffffff) {
		put_byte(e, major << 5 | 26);
		n = 4;
	} else {
		put_byte(e, major << 5 | 27);
		n = 8;
	}
	for (i = n; i-- > 0;)
		put_byte(e, (val >> (8 * i)) & 0xff);
}

static void put_bytes(struct enc *e, const void *p, size_t len)
{
	assert_true(e->len + len <= sizeof(e->buf));
	memcpy(e->buf + e->len, p, len);
	e->len += len;
}

static void put_bstr(struct enc *e, const void *p, size_t len)
{
	put_head(e, 2, len);
	put_bytes(e, p, len);
}

static void put_tstr(struct enc *e, const char *s)
{
	put_head(e, 3, strlen(s));
	put_bytes(e, s, strlen(s));
}

static void put_int(struct enc *e, int64_t v)
{
	if (v >= 0)
		put_head(e, 0, (uint64_t)v);
	else
		put_head(e, 1, (uint64_t)(-1 - v));
}

/* ---- token builder ---- */

enum fault {
	F_NONE,
	F_OMIT,			/* leave out claim `key` */
	F_DUP,			/* write claim `key` twice */
	F_RIM_TSTR,		/* RIM as a text string */
	F_CHALLENGE_UINT,	/* challenge as an integer */
	F_REMS_NOT_ARRAY,
	F_REMS_THREE,
	F_HASH_BSTR,
	F_RIM_SHORT,		/* RIM one byte short for the algorithm */
	F_CHALLENGE_SHORT,
	F_DEEP_CLAIM,		/* an unknown claim nested `depth` arrays deep */
	F_INDEF_CLAIM,		/* an unknown claim as an indefinite array */
	F_TEXT_KEY,		/* an extra claim with a text key */
};

struct opts {
	const char *hash;	/* "sha-256" or "sha-512" */
	unsigned int hsize;
	enum fault fault;
	int64_t key;
	unsigned int depth;
	bool untagged_sign1;
	bool with_profile;
	uint64_t outer_tag;
	uint64_t sign1_tag;
};

static uint8_t challenge[64], rpv[64], rim[64], rem[4][64], rak[97];
static uint8_t plat_challenge[48];

static void fill_inputs(void)
{
	unsigned int i, j;

	for (i = 0; i < 64; i++) {
		challenge[i] = 0xc0 ^ i;
		rpv[i] = 0x40 + i;
		rim[i] = 0xa0 + i;
		for (j = 0; j < 4; j++)
			rem[j][i] = (j + 1) * 0x10 + i;
	}
	for (i = 0; i < sizeof(rak); i++)
		rak[i] = i * 3;
	rak[0] = 0x04;
	for (i = 0; i < sizeof(plat_challenge); i++)
		plat_challenge[i] = 0x77 ^ i;
}

static unsigned int nr_claims(const struct opts *o)
{
	unsigned int n = 7;

	if (o->fault == F_OMIT)
		n--;
	if (o->fault == F_DUP || o->fault == F_DEEP_CLAIM ||
	    o->fault == F_INDEF_CLAIM || o->fault == F_TEXT_KEY)
		n++;
	if (o->with_profile)
		n++;
	return n;
}

static void put_claim(struct enc *e, const struct opts *o, int64_t key)
{
	unsigned int i;

	put_int(e, key);
	switch (key) {
	case 10:
		if (o->fault == F_CHALLENGE_UINT)
			put_int(e, 12345);
		else
			put_bstr(e, challenge,
				 o->fault == F_CHALLENGE_SHORT ? 32 : 64);
		break;
	case 44235:
		put_bstr(e, rpv, 64);
		break;
	case 44236:
		if (o->fault == F_HASH_BSTR)
			put_bstr(e, o->hash, strlen(o->hash));
		else
			put_tstr(e, o->hash);
		break;
	case 44237:
		put_bstr(e, rak, sizeof(rak));
		break;
	case 44238:
		if (o->fault == F_RIM_TSTR)
			put_tstr(e, "not a measurement");
		else
			put_bstr(e, rim, o->hsize -
				 (o->fault == F_RIM_SHORT ? 1 : 0));
		break;
	case 44239:
		if (o->fault == F_REMS_NOT_ARRAY) {
			put_bstr(e, rem[0], o->hsize);
			break;
		}
		put_head(e, 4, o->fault == F_REMS_THREE ? 3 : 4);
		for (i = 0; i < (o->fault == F_REMS_THREE ? 3u : 4u); i++)
			put_bstr(e, rem[i], o->hsize);
		break;
	case 44240:
		put_tstr(e, "sha-384");
		break;
	}
}

static void build_realm_payload(struct enc *e, const struct opts *o)
{
	static const int64_t keys[] = { 10, 44235, 44236, 44237, 44238,
					44239, 44240 };
	unsigned int i;

	put_head(e, 5, nr_claims(o));
	if (o->with_profile) {
		put_int(e, 265);
		put_tstr(e, "tag:arm.com,2023:realm#1.0.0");
	}
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (o->fault == F_OMIT && keys[i] == o->key)
			continue;
		put_claim(e, o, keys[i]);
		if (o->fault == F_DUP && keys[i] == o->key)
			put_claim(e, o, keys[i]);
	}
	if (o->fault == F_DEEP_CLAIM) {
		put_int(e, 99999);
		for (i = 0; i < o->depth; i++)
			put_head(e, 4, 1);
		put_int(e, 0);
	}
	if (o->fault == F_INDEF_CLAIM) {
		put_int(e, 99998);
		put_byte(e, 0x9f);	/* indefinite array */
		put_int(e, 1);
		put_byte(e, 0xff);
	}
	if (o->fault == F_TEXT_KEY) {
		put_tstr(e, "vendor-claim");
		put_bstr(e, "xyz", 3);
	}
}

static void build_platform_payload(struct enc *e)
{
	put_head(e, 5, 3);
	put_int(e, 265);
	put_tstr(e, "tag:arm.com,2023:cca_platform#1.0.0");
	put_int(e, 10);
	put_bstr(e, plat_challenge, sizeof(plat_challenge));
	put_int(e, 2399);		/* sw components: array of maps */
	put_head(e, 4, 1);
	put_head(e, 5, 1);
	put_int(e, 2);
	put_bstr(e, rim, 32);
}

/* COSE_Sign1 around payload, itself wrapped into a bstr in out. */
static void build_sign1(struct enc *out, const struct enc *payload,
			int64_t alg, const struct opts *o)
{
	static struct enc s;
	struct enc prot = { .len = 0 };
	uint8_t sig[96];

	memset(sig, 0x5a, sizeof(sig));
	put_head(&prot, 5, 1);
	put_int(&prot, 1);
	put_int(&prot, alg);

	s.len = 0;
	if (!o->untagged_sign1)
		put_head(&s, 6, o->sign1_tag ? o->sign1_tag : 18);
	put_head(&s, 4, 4);
	put_bstr(&s, prot.buf, prot.len);
	put_head(&s, 5, 0);
	put_bstr(&s, payload->buf, payload->len);
	put_bstr(&s, sig, alg == -7 ? 64 : 96);
	put_bstr(out, s.buf, s.len);
}

static void build_token(struct enc *t, const struct opts *o)
{
	static struct enc realm, plat;

	realm.len = 0;
	plat.len = 0;
	build_realm_payload(&realm, o);
	build_platform_payload(&plat);
	t->len = 0;
	put_head(t, 6, o->outer_tag ? o->outer_tag : 399);
	put_head(t, 5, 2);
	put_int(t, 44234);
	build_sign1(t, &plat, -7, o);
	put_int(t, 44241);
	build_sign1(t, &realm, -35, o);
}

static struct opts sha256(void)
{
	return (struct opts){ .hash = "sha-256", .hsize = 32 };
}

static struct enc tbuf;

/* Decode and expect failure whose message contains want (if given). */
static void expect_reject(const uint8_t *buf, size_t len, const char *want)
{
	struct cca_token tok;

	assert_int_equal(cca_token_decode(buf, len, &tok), -1);
	assert_true(tok.error[0] != '\0');
	assert_null(strchr(tok.error, '\n'));
	if (want && !strstr(tok.error, want))
		fail_msg("error \"%s\" does not mention \"%s\"", tok.error,
			 want);
}

static void reject_opts(const struct opts *o, const char *want)
{
	build_token(&tbuf, o);
	expect_reject(tbuf.buf, tbuf.len, want);
}

/* ---- tests ---- */

static void test_valid_sha256(void **state)
{
	struct opts o = sha256();
	struct cca_token tok;
	unsigned int i;

	(void)state;
	build_token(&tbuf, &o);
	assert_int_equal(cca_token_decode(tbuf.buf, tbuf.len, &tok), 0);
	assert_string_equal(tok.hash_algo, "sha-256");
	assert_int_equal(tok.hash_size, 32);
	assert_int_equal(tok.challenge.len, 64);
	assert_memory_equal(tok.challenge.ptr, challenge, 64);
	assert_int_equal(tok.rpv.len, 64);
	assert_memory_equal(tok.rpv.ptr, rpv, 64);
	assert_int_equal(tok.rim.len, 32);
	assert_memory_equal(tok.rim.ptr, rim, 32);
	for (i = 0; i < 4; i++) {
		assert_int_equal(tok.rem[i].len, 32);
		assert_memory_equal(tok.rem[i].ptr, rem[i], 32);
	}
	assert_int_equal(tok.pub_key.len, sizeof(rak));
	assert_memory_equal(tok.pub_key.ptr, rak, sizeof(rak));
	assert_string_equal(tok.pub_key_hash_algo, "sha-384");
	assert_string_equal(tok.profile, "");
	assert_true(tok.realm.has_alg);
	assert_int_equal(tok.realm.alg, -35);
	assert_true(tok.platform.has_alg);
	assert_int_equal(tok.platform.alg, -7);
	assert_int_equal(tok.realm.signature.len, 96);
	assert_true(tok.has_platform_challenge);
	assert_int_equal(tok.platform_challenge.len, sizeof(plat_challenge));
	assert_memory_equal(tok.platform_challenge.ptr, plat_challenge,
			    sizeof(plat_challenge));
}

static void test_valid_sha512_untagged_extras(void **state)
{
	struct opts o = { .hash = "sha-512", .hsize = 64,
			  .untagged_sign1 = true, .with_profile = true,
			  .fault = F_TEXT_KEY };
	struct cca_token tok;

	(void)state;
	build_token(&tbuf, &o);
	assert_int_equal(cca_token_decode(tbuf.buf, tbuf.len, &tok), 0);
	assert_int_equal(tok.hash_size, 64);
	assert_int_equal(tok.rim.len, 64);
	assert_memory_equal(tok.rim.ptr, rim, 64);
	assert_string_equal(tok.profile, "tag:arm.com,2023:realm#1.0.0");
}

static void test_moderate_nesting_accepted(void **state)
{
	struct opts o = sha256();
	struct cca_token tok;

	(void)state;
	o.fault = F_DEEP_CLAIM;
	o.depth = 8;
	build_token(&tbuf, &o);
	assert_int_equal(cca_token_decode(tbuf.buf, tbuf.len, &tok), 0);
}

static void test_every_truncation_rejected(void **state)
{
	struct opts o = sha256();
	size_t n;

	(void)state;
	build_token(&tbuf, &o);
	for (n = 0; n < tbuf.len; n++)
		expect_reject(tbuf.buf, n, NULL);
}

static void test_trailing_bytes_rejected(void **state)
{
	struct opts o = sha256();

	(void)state;
	build_token(&tbuf, &o);
	tbuf.buf[tbuf.len++] = 0x00;
	expect_reject(tbuf.buf, tbuf.len, "trailing");
}

static void test_wrong_tags(void **state)
{
	struct opts o = sha256();
	static const uint8_t untagged_map[] = { 0xa0 };

	(void)state;
	o.outer_tag = 398;
	reject_opts(&o, "399");
	o = sha256();
	o.sign1_tag = 17;	/* COSE_Mac0 is not a signature */
	reject_opts(&o, "COSE_Sign1");
	expect_reject(untagged_map, sizeof(untagged_map), "399");
}

static void test_wrong_types(void **state)
{
	struct opts o = sha256();

	(void)state;
	o.fault = F_RIM_TSTR;
	reject_opts(&o, "44238");
	o.fault = F_CHALLENGE_UINT;
	reject_opts(&o, "challenge");
	o.fault = F_REMS_NOT_ARRAY;
	reject_opts(&o, "44239");
	o.fault = F_REMS_THREE;
	reject_opts(&o, "44239");
	o.fault = F_HASH_BSTR;
	reject_opts(&o, "44236");
}

static void test_wrong_sizes(void **state)
{
	struct opts o = sha256();

	(void)state;
	o.fault = F_RIM_SHORT;
	reject_opts(&o, "initial measurement");
	o.fault = F_CHALLENGE_SHORT;
	reject_opts(&o, "challenge");
	o = sha256();
	o.hash = "md5";
	reject_opts(&o, "unknown hash");
	/* sha-512 name with 32-byte measurements */
	o = sha256();
	o.hash = "sha-512";
	reject_opts(&o, "initial measurement");
}

static void test_missing_claims(void **state)
{
	static const struct {
		int64_t key;
		const char *num;
	} req[] = {
		{ 10, "(10)" }, { 44235, "44235" }, { 44236, "44236" },
		{ 44237, "44237" }, { 44238, "44238" }, { 44239, "44239" },
		{ 44240, "44240" },
	};
	struct opts o = sha256();
	unsigned int i;

	(void)state;
	o.fault = F_OMIT;
	for (i = 0; i < ARRAY_SIZE(req); i++) {
		o.key = req[i].key;
		build_token(&tbuf, &o);
		expect_reject(tbuf.buf, tbuf.len, "missing claim");
		expect_reject(tbuf.buf, tbuf.len, req[i].num);
	}
}

static void test_duplicate_claim(void **state)
{
	struct opts o = sha256();

	(void)state;
	o.fault = F_DUP;
	o.key = 44238;
	reject_opts(&o, "duplicate");
}

static void test_deep_nesting_rejected(void **state)
{
	struct opts o = sha256();

	(void)state;
	o.fault = F_DEEP_CLAIM;
	o.depth = 200;
	reject_opts(&o, "deep");
}

static void test_indefinite_rejected(void **state)
{
	struct opts o = sha256();

	(void)state;
	o.fault = F_INDEF_CLAIM;
	reject_opts(&o, "indefinite");
}

static void test_missing_tokens(void **state)
{
	struct enc t = { .len = 0 };

	(void)state;
	put_head(&t, 6, 399);
	put_head(&t, 5, 1);
	put_int(&t, 44234);
	put_bstr(&t, "x", 1);
	expect_reject(t.buf, t.len, "44241");

	t.len = 0;
	put_head(&t, 6, 399);
	put_head(&t, 5, 1);
	put_int(&t, 44241);
	put_bstr(&t, "x", 1);
	expect_reject(t.buf, t.len, "44234");

	t.len = 0;
	put_head(&t, 6, 399);
	put_head(&t, 5, 2);
	put_int(&t, 44234);
	put_int(&t, 1);		/* not a bstr */
	put_int(&t, 44241);
	put_bstr(&t, "x", 1);
	expect_reject(t.buf, t.len, "byte string");
}

/* Length fields far beyond the buffer must fail before any use. */
static void test_huge_lengths(void **state)
{
	/* 399({44234: bstr of 2^64-1 bytes}) */
	static const uint8_t huge_bstr[] = {
		0xd9, 0x01, 0x8f, 0xa1, 0x19, 0xac, 0xca,
		0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
	};
	/* 399(map of 2^32-1 pairs) */
	static const uint8_t huge_map[] = {
		0xd9, 0x01, 0x8f, 0xba, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00,
	};
	/* 399({44234: bstr(5 bytes) but only 2 present}) */
	static const uint8_t short_bstr[] = {
		0xd9, 0x01, 0x8f, 0xa1, 0x19, 0xac, 0xca, 0x45, 0x01, 0x02,
	};
	/* tag with an 8-byte argument cut short */
	static const uint8_t short_head[] = { 0xdb, 0x00, 0x00 };
	/* reserved additional information 28 */
	static const uint8_t reserved_ai[] = { 0xdc };
	struct enc t = { .len = 0 };
	struct opts o = sha256();
	static struct enc realm;

	(void)state;
	expect_reject(huge_bstr, sizeof(huge_bstr), "past the end");
	expect_reject(huge_map, sizeof(huge_map), "longer than");
	expect_reject(short_bstr, sizeof(short_bstr), "past the end");
	expect_reject(short_head, sizeof(short_head), "truncated");
	expect_reject(reserved_ai, sizeof(reserved_ai), "reserved");

	/* A claims map announcing a huge array for an unknown claim. */
	realm.len = 0;
	put_head(&realm, 5, 1);
	put_int(&realm, 12345);
	put_head(&realm, 4, 0xffffffffffffffffULL);
	put_head(&t, 6, 399);
	put_head(&t, 5, 2);
	put_int(&t, 44234);
	build_sign1(&t, &realm, -7, &o);
	put_int(&t, 44241);
	build_sign1(&t, &realm, -35, &o);
	expect_reject(t.buf, t.len, "longer than");
}

/* Every single-byte corruption must be handled without a crash. */
static void test_byte_flips_never_crash(void **state)
{
	struct opts o = sha256();
	struct cca_token tok;
	static struct enc copy;
	size_t i;
	int ok = 0;

	(void)state;
	build_token(&tbuf, &o);
	for (i = 0; i < tbuf.len; i++) {
		copy = tbuf;
		copy.buf[i] ^= 0xff;
		if (cca_token_decode(copy.buf, copy.len, &tok) == 0)
			ok++;
		else
			assert_true(tok.error[0] != '\0');
	}
	/* Flipping payload bytes (claim values) keeps the shape valid. */
	assert_true(ok > 0);
	assert_true((size_t)ok < tbuf.len);
}


/* ---- COSE_Sign1 signatures ---- */

static EVP_PKEY *gen_key(const char *curve)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);

	assert_non_null(k);
	return k;
}

/* Uncompressed point of k into out; returns its length. */
static size_t key_point(EVP_PKEY *k, uint8_t *out, size_t max)
{
	size_t len = 0;

	assert_int_equal(EVP_PKEY_get_octet_string_param(k,
			 OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, out, max, &len), 1);
	assert_int_equal(out[0], 0x04);
	return len;
}

/* A COSE_Sign1 signed with key, wrapped into a bstr in out. */
static void build_signed_sign1(struct enc *out, const struct enc *payload,
			       int64_t alg, EVP_PKEY *key, size_t coord,
			       const EVP_MD *md, size_t sig_len)
{
	static struct enc prot, tbs, s;
	uint8_t der[256], raw[2 * 66];
	const uint8_t *p = der;
	size_t der_len = sizeof(der);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	ECDSA_SIG *sig;

	prot.len = tbs.len = s.len = 0;
	put_head(&prot, 5, 1);
	put_int(&prot, 1);
	put_int(&prot, alg);
	put_head(&tbs, 4, 4);
	put_tstr(&tbs, "Signature1");
	put_bstr(&tbs, prot.buf, prot.len);
	put_bstr(&tbs, "", 0);
	put_bstr(&tbs, payload->buf, payload->len);

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, md, NULL, key), 1);
	assert_int_equal(EVP_DigestSign(ctx, der, &der_len, tbs.buf, tbs.len),
			 1);
	EVP_MD_CTX_free(ctx);
	sig = d2i_ECDSA_SIG(NULL, &p, der_len);
	assert_non_null(sig);
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw, coord),
			 coord);
	assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw + coord,
				      coord), coord);
	ECDSA_SIG_free(sig);

	put_head(&s, 6, 18);
	put_head(&s, 4, 4);
	put_bstr(&s, prot.buf, prot.len);
	put_head(&s, 5, 0);
	put_bstr(&s, payload->buf, payload->len);
	put_bstr(&s, raw, sig_len);
	put_bstr(out, s.buf, s.len);
}

/* Token whose realm token is signed by rak_key (P-384, ES384). */
static void build_signed_token(struct enc *t, EVP_PKEY *rak_key,
			       int64_t alg, size_t sig_len)
{
	static struct enc realm, plat;
	struct opts o = sha256();

	assert_int_equal(key_point(rak_key, rak, sizeof(rak)), sizeof(rak));
	realm.len = plat.len = 0;
	build_realm_payload(&realm, &o);
	build_platform_payload(&plat);
	t->len = 0;
	put_head(t, 6, 399);
	put_head(t, 5, 2);
	put_int(t, 44234);
	build_sign1(t, &plat, -7, &o);
	put_int(t, 44241);
	build_signed_sign1(t, &realm, alg, rak_key, 48, EVP_sha384(), sig_len);
}

static int verify_realm(const uint8_t *buf, size_t len, const char **why)
{
	struct cca_token tok;
	EVP_PKEY *k;
	int r;

	assert_int_equal(cca_token_decode(buf, len, &tok), 0);
	k = cose_key_from_claim(tok.pub_key.ptr, tok.pub_key.len, why);
	assert_non_null(k);
	r = cose_sign1_verify(&tok.realm, k, why);
	EVP_PKEY_free(k);
	return r;
}

static void test_realm_signature_good_and_tampered(void **state)
{
	EVP_PKEY *k = gen_key("P-384");
	const char *why = NULL;
	uint8_t *pos, *next;

	(void)state;
	build_signed_token(&tbuf, k, -35, 96);
	assert_int_equal(verify_realm(tbuf.buf, tbuf.len, &why), 1);

	/*
	 * Change one RIM byte inside the signed realm payload (the last
	 * copy: the platform token's software component holds one too).
	 */
	pos = memmem(tbuf.buf, tbuf.len, rim, 32);
	assert_non_null(pos);
	while ((next = memmem(pos + 1, tbuf.buf + tbuf.len - (pos + 1), rim,
			      32)))
		pos = next;
	pos[5] ^= 1;
	assert_int_equal(verify_realm(tbuf.buf, tbuf.len, &why), 0);
	EVP_PKEY_free(k);
}

static void test_realm_signature_unusable(void **state)
{
	EVP_PKEY *k = gen_key("P-384");
	const char *why = NULL;

	(void)state;
	/* r || s of the wrong length for ES384 */
	build_signed_token(&tbuf, k, -35, 64);
	why = NULL;
	assert_int_equal(verify_realm(tbuf.buf, tbuf.len, &why), -1);
	assert_non_null(strstr(why, "length"));
	/* ES256 announced, P-384 key */
	build_signed_token(&tbuf, k, -7, 96);
	assert_int_equal(verify_realm(tbuf.buf, tbuf.len, &why), -1);
	assert_non_null(strstr(why, "curve"));
	/* PS256 (-37) is not an algorithm CCA uses */
	build_signed_token(&tbuf, k, -37, 96);
	assert_int_equal(verify_realm(tbuf.buf, tbuf.len, &why), -1);
	assert_non_null(strstr(why, "algorithm"));
	EVP_PKEY_free(k);
}

static void test_cose_key_form(void **state)
{
	EVP_PKEY *k = gen_key("P-384"), *ck;
	struct enc ckey = { .len = 0 };
	struct cca_token tok;
	uint8_t pt[97];
	const char *why = NULL;

	(void)state;
	build_signed_token(&tbuf, k, -35, 96);
	assert_int_equal(cca_token_decode(tbuf.buf, tbuf.len, &tok), 0);
	assert_int_equal(key_point(k, pt, sizeof(pt)), 97);
	put_head(&ckey, 5, 4);
	put_int(&ckey, 1);
	put_int(&ckey, 2);		/* kty EC2 */
	put_int(&ckey, -1);
	put_int(&ckey, 2);		/* crv P-384 */
	put_int(&ckey, -2);
	put_bstr(&ckey, pt + 1, 48);
	put_int(&ckey, -3);
	put_bstr(&ckey, pt + 49, 48);
	ck = cose_key_from_claim(ckey.buf, ckey.len, &why);
	assert_non_null(ck);
	assert_int_equal(cose_sign1_verify(&tok.realm, ck, &why), 1);
	EVP_PKEY_free(ck);

	/* y of the wrong size, and a point not on the curve */
	ckey.len = 0;
	put_head(&ckey, 5, 4);
	put_int(&ckey, 1);
	put_int(&ckey, 2);
	put_int(&ckey, -1);
	put_int(&ckey, 2);
	put_int(&ckey, -2);
	put_bstr(&ckey, pt + 1, 48);
	put_int(&ckey, -3);
	put_bstr(&ckey, pt + 49, 47);
	assert_null(cose_key_from_claim(ckey.buf, ckey.len, &why));
	pt[20] ^= 0x55;
	assert_null(cose_key_from_claim(pt, sizeof(pt), &why));
	assert_null(cose_key_from_claim((const uint8_t *)"\xa1", 1, &why));
	EVP_PKEY_free(k);
}

static void test_hash_names(void **state)
{
	(void)state;
	assert_int_equal(cca_hash_size("sha-256"), 32);
	assert_int_equal(cca_hash_size("sha-384"), 48);
	assert_int_equal(cca_hash_size("sha-512"), 64);
	assert_int_equal(cca_hash_size("sha256"), 0);
	assert_int_equal(cca_hash_size(""), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_sha256),
		cmocka_unit_test(test_valid_sha512_untagged_extras),
		cmocka_unit_test(test_moderate_nesting_accepted),
		cmocka_unit_test(test_every_truncation_rejected),
		cmocka_unit_test(test_trailing_bytes_rejected),
		cmocka_unit_test(test_wrong_tags),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_wrong_sizes),
		cmocka_unit_test(test_missing_claims),
		cmocka_unit_test(test_duplicate_claim),
		cmocka_unit_test(test_deep_nesting_rejected),
		cmocka_unit_test(test_indefinite_rejected),
		cmocka_unit_test(test_missing_tokens),
		cmocka_unit_test(test_huge_lengths),
		cmocka_unit_test(test_byte_flips_never_crash),
		cmocka_unit_test(test_hash_names),
		cmocka_unit_test(test_realm_signature_good_and_tampered),
		cmocka_unit_test(test_realm_signature_unusable),
		cmocka_unit_test(test_cose_key_form),
	};

	fill_inputs();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
