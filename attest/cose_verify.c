/*
 * COSE_Sign1 ECDSA verification.  The signed bytes are the CBOR
 * Sig_structure ["Signature1", protected, external_aad = h'', payload];
 * COSE carries the ECDSA signature as fixed-size r || s, which OpenSSL
 * wants as DER, so it is converted first.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

#include "attest/cbor.h"
#include "attest/cose_verify.h"

struct ec_alg {
	int64_t cose_alg;
	int cose_crv;		/* COSE EC2 curve id */
	const char *group;	/* OpenSSL group name */
	size_t coord;		/* bytes per coordinate and per r, s */
	const EVP_MD *(*md)(void);
};

static const struct ec_alg ec_algs[] = {
	{ COSE_ALG_ES256, 1, "P-256", 32, EVP_sha256 },
	{ COSE_ALG_ES384, 2, "P-384", 48, EVP_sha384 },
	{ COSE_ALG_ES512, 3, "P-521", 66, EVP_sha512 },
};

static const struct ec_alg *alg_by_size(size_t coord)
{
	size_t i;

	for (i = 0; i < sizeof(ec_algs) / sizeof(ec_algs[0]); i++)
		if (ec_algs[i].coord == coord)
			return &ec_algs[i];
	return NULL;
}

static EVP_PKEY *key_from_point(const char *group, const uint8_t *pt,
				size_t len, const char **why)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     (char *)group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      (void *)pt, len);
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		*why = "realm public key is not a valid point on its curve";
		pkey = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* COSE_Key {1: 2 (EC2), -1: crv, -2: x, -3: y}; other labels ignored. */
static EVP_PKEY *key_from_cose(const uint8_t *key, size_t len,
			       const char **why)
{
	struct cbor_dec d;
	struct cbor_item map, v;
	const struct ec_alg *a = NULL;
	const uint8_t *x = NULL, *y = NULL;
	size_t xl = 0, yl = 0, i;
	uint8_t pt[1 + 2 * 66];
	int64_t k, kty = 0, crv = 0;
	uint64_t n;
	int r;

	cbor_init(&d, key, len);
	if (cbor_next(&d, &map) < 0 || map.major != CBOR_MAP) {
		*why = "realm public key is neither a SEC1 point nor a COSE_Key";
		return NULL;
	}
	for (n = 0; n < map.len; n++) {
		r = cbor_read_key(&d, &k);
		if (r < 0 || cbor_next(&d, &v) < 0)
			goto bad;
		if (r == 1 && (k == 1 || k == -1) &&
		    (v.major == CBOR_UINT && v.val < 64))
			*(k == 1 ? &kty : &crv) = (int64_t)v.val;
		else if (r == 1 && k == -2 && v.major == CBOR_BSTR)
			x = v.ptr, xl = v.len;
		else if (r == 1 && k == -3 && v.major == CBOR_BSTR)
			y = v.ptr, yl = v.len;
		else if (cbor_skip_children(&d, &v, 1) < 0)
			goto bad;
	}
	if (!cbor_at_end(&d))
		goto bad;
	for (i = 0; i < sizeof(ec_algs) / sizeof(ec_algs[0]); i++)
		if (ec_algs[i].cose_crv == crv)
			a = &ec_algs[i];
	if (kty != 2 || !a || !x || !y || xl != a->coord || yl != a->coord) {
		*why = "realm public key COSE_Key is not an EC2 P-256/384/521 key";
		return NULL;
	}
	pt[0] = 0x04;
	memcpy(pt + 1, x, xl);
	memcpy(pt + 1 + xl, y, yl);
	return key_from_point(a->group, pt, 1 + xl + yl, why);
bad:
	*why = "realm public key COSE_Key is malformed";
	return NULL;
}

EVP_PKEY *cose_key_from_claim(const uint8_t *key, size_t len,
			      const char **why)
{
	const struct ec_alg *a;

	if (len >= 1 && key[0] == 0x04 && len % 2 == 1) {
		a = alg_by_size(len / 2);
		if (!a) {
			*why = "realm public key point has an unsupported size";
			return NULL;
		}
		return key_from_point(a->group, key, len, why);
	}
	return key_from_cose(key, len, why);
}

static size_t sig_put_head(uint8_t *p, unsigned int major, uint64_t v)
{
	unsigned int n, i;

	if (v < 24) {
		p[0] = major << 5 | v;
		return 1;
	}
	n = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffff ? 4 : 8;
	p[0] = major << 5 | (24 + (n == 1 ? 0 : n == 2 ? 1 : n == 4 ? 2 : 3));
	for (i = 0; i < n; i++)
		p[1 + i] = v >> (8 * (n - 1 - i));
	return 1 + n;
}

/* CBOR Sig_structure for a COSE_Sign1 with empty external AAD. */
static uint8_t *sig_structure(const struct cca_sign1 *s, size_t *len)
{
	static const char ctx[] = "Signature1";
	size_t max = 64 + s->protected_hdr.len + s->payload.len, n = 0;
	uint8_t *b = malloc(max);

	if (!b)
		return NULL;
	n += sig_put_head(b + n, CBOR_ARRAY, 4);
	n += sig_put_head(b + n, CBOR_TSTR, sizeof(ctx) - 1);
	memcpy(b + n, ctx, sizeof(ctx) - 1);
	n += sizeof(ctx) - 1;
	n += sig_put_head(b + n, CBOR_BSTR, s->protected_hdr.len);
	memcpy(b + n, s->protected_hdr.ptr, s->protected_hdr.len);
	n += s->protected_hdr.len;
	n += sig_put_head(b + n, CBOR_BSTR, 0);
	n += sig_put_head(b + n, CBOR_BSTR, s->payload.len);
	memcpy(b + n, s->payload.ptr, s->payload.len);
	n += s->payload.len;
	*len = n;
	return b;
}

int cose_sign1_verify(const struct cca_sign1 *s, EVP_PKEY *pkey,
		      const char **why)
{
	const struct ec_alg *a = NULL;
	ECDSA_SIG *sig = NULL;
	BIGNUM *r = NULL, *sv = NULL;
	EVP_MD_CTX *md = NULL;
	uint8_t *tbs = NULL, *der = NULL;
	char group[64];
	size_t tbs_len, i;
	int der_len, nid, ret = -1;

	for (i = 0; i < sizeof(ec_algs) / sizeof(ec_algs[0]); i++)
		if (s->has_alg && ec_algs[i].cose_alg == s->alg)
			a = &ec_algs[i];
	if (!a) {
		*why = "COSE algorithm is not ES256, ES384 or ES512";
		return -1;
	}
	/* OpenSSL may name the curve "secp384r1" or "P-384". */
	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
					    group, sizeof(group), NULL))
		group[0] = '\0';
	nid = OBJ_sn2nid(group);
	if (nid == NID_undef)
		nid = EC_curve_nist2nid(group);
	if (nid == NID_undef || nid != EC_curve_nist2nid(a->group)) {
		*why = "key curve does not match the COSE algorithm";
		return -1;
	}
	if (s->signature.len != 2 * a->coord) {
		*why = "signature length does not match the COSE algorithm";
		return -1;
	}
	sig = ECDSA_SIG_new();
	r = BN_bin2bn(s->signature.ptr, a->coord, NULL);
	sv = BN_bin2bn(s->signature.ptr + a->coord, a->coord, NULL);
	if (!sig || !r || !sv || !ECDSA_SIG_set0(sig, r, sv)) {
		BN_free(r);
		BN_free(sv);
		*why = "out of memory";
		goto out;
	}
	der_len = i2d_ECDSA_SIG(sig, &der);
	tbs = sig_structure(s, &tbs_len);
	md = EVP_MD_CTX_new();
	if (der_len <= 0 || !tbs || !md ||
	    EVP_DigestVerifyInit(md, NULL, a->md(), NULL, pkey) <= 0) {
		*why = "cannot set up the signature check";
		goto out;
	}
	ret = EVP_DigestVerify(md, der, der_len, tbs, tbs_len) == 1;
out:
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	free(tbs);
	ECDSA_SIG_free(sig);
	return ret;
}
