/*
 * Signing a CoRIM as COSE_Sign1.  The key decides the algorithm: P-256
 * signs ES256 (-7), P-384 ES384 (-35), the two the CCA token format and
 * Veraison use.  COSE wants the ECDSA signature as r || s, each padded to
 * the curve size, where OpenSSL produces DER, hence the conversion.
 * corim-meta is in the protected header because Veraison requires it;
 * x5chain too when given, so that the chain is covered by the signature.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "attest/cbor_write.h"
#include "attest/cose_sign.h"
#include "vmm/util.h"

#define COSE_HDR_ALG		1
#define COSE_HDR_CONTENT_TYPE	3
#define COSE_HDR_CORIM_META	8
#define COSE_HDR_X5CHAIN	33
#define MAX_CHAIN		8

struct sign_alg {
	const char *group;
	int cose;
	const char *md;
	size_t coord;
};

static const struct sign_alg sign_algs[] = {
	{ "prime256v1", -7, "SHA256", 32 },
	{ "secp384r1", -35, "SHA384", 48 },
};

static EVP_PKEY *load_key(const char *path, const struct sign_alg **alg)
{
	char group[64] = "";
	EVP_PKEY *pkey;
	BIO *bio;
	size_t i;

	bio = BIO_new_file(path, "r");
	if (!bio) {
		pr_err("--corim-key %s: cannot open it (a PEM EC private key)",
		       path);
		return NULL;
	}
	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pkey) {
		pr_err("--corim-key %s: not a PEM private key (make one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)",
		       path);
		return NULL;
	}
	if (EVP_PKEY_is_a(pkey, "EC"))
		EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL);
	for (i = 0; i < ARRAY_SIZE(sign_algs); i++) {
		if (!strcmp(group, sign_algs[i].group)) {
			*alg = &sign_algs[i];
			return pkey;
		}
	}
	pr_err("--corim-key %s: a P-256 or P-384 EC key is needed (ES256 or ES384), not %s",
	       path, group[0] ? group : "a non-EC key");
	EVP_PKEY_free(pkey);
	return NULL;
}

/* The certificates of a PEM file as DER byte strings: x5chain. */
static cbw_item *load_chain(const char *path)
{
	unsigned char *der[MAX_CHAIN];
	int der_len[MAX_CHAIN];
	cbw_item *item = NULL;
	unsigned int n = 0, i;
	X509 *cert;
	BIO *bio;

	bio = BIO_new_file(path, "r");
	if (!bio) {
		pr_err("--corim-cert %s: cannot open it (PEM certificates, leaf first)",
		       path);
		return NULL;
	}
	while (n < MAX_CHAIN &&
	       (cert = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		der[n] = NULL;
		der_len[n] = i2d_X509(cert, &der[n]);
		X509_free(cert);
		if (der_len[n] <= 0)
			break;
		n++;
	}
	BIO_free(bio);
	if (!n) {
		pr_err("--corim-cert %s: no PEM certificate in it", path);
		return NULL;
	}
	/* RFC 9360: one certificate as a bstr, several as an array */
	if (n == 1) {
		item = cbw_bytes(der[0], (size_t)der_len[0]);
	} else {
		item = cbw_array(n);
		for (i = 0; i < n && item; i++)
			if (!cbw_push(item, cbw_bytes(der[i],
						      (size_t)der_len[i]))) {
				cbw_free(item);
				item = NULL;
			}
	}
	for (i = 0; i < n; i++)
		OPENSSL_free(der[i]);
	if (!item)
		pr_err("out of memory encoding --corim-cert");
	return item;
}

static int protected_header(const struct corim_signing *s,
			    const struct sign_alg *alg, uint8_t **out,
			    size_t *len)
{
	cbw_item *hdr = cbw_map(s->cert_path ? 4 : 3);
	cbw_item *meta = cbw_map(1), *signer = cbw_map(1);
	cbw_item *chain = NULL;
	bool ok;

	if (s->cert_path) {
		chain = load_chain(s->cert_path);
		if (!chain) {
			cbw_free(hdr);
			cbw_free(meta);
			cbw_free(signer);
			return -1;
		}
	}
	ok = cbw_put_u(signer, 0, cbw_text(s->signer));
	ok = cbw_put_u(meta, 0, signer) && ok;
	ok = cbw_put_u(hdr, COSE_HDR_ALG, cbw_int(alg->cose)) && ok;
	ok = cbw_put_u(hdr, COSE_HDR_CONTENT_TYPE,
		       cbw_text("application/rim+cbor")) && ok;
	ok = cbw_put_u(hdr, COSE_HDR_CORIM_META, cbw_wrap(meta)) && ok;
	if (chain)
		ok = cbw_put_u(hdr, COSE_HDR_X5CHAIN, chain) && ok;
	if (!ok) {
		cbw_free(hdr);
		hdr = NULL;
	}
	return cbw_encode(hdr, out, len, "COSE protected header");
}

/* ["Signature1", protected, h'', payload] */
static int to_be_signed(const uint8_t *prot, size_t prot_len,
			const uint8_t *payload, size_t len, uint8_t **out,
			size_t *out_len)
{
	cbw_item *a = cbw_array(4);
	bool ok;

	ok = cbw_push(a, cbw_text("Signature1"));
	ok = cbw_push(a, cbw_bytes(prot, prot_len)) && ok;
	ok = cbw_push(a, cbw_bytes("", 0)) && ok;
	ok = cbw_push(a, cbw_bytes(payload, len)) && ok;
	if (!ok) {
		cbw_free(a);
		a = NULL;
	}
	return cbw_encode(a, out, out_len, "COSE Sig_structure");
}

/* ECDSA over tbs, as COSE's fixed-size r || s. */
static int sign_raw(EVP_PKEY *pkey, const struct sign_alg *alg,
		    const uint8_t *tbs, size_t tbs_len, uint8_t *sig)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[160];
	const unsigned char *p = der;
	size_t der_len = sizeof(der);
	ECDSA_SIG *es = NULL;
	int ok;

	ok = ctx && EVP_DigestSignInit_ex(ctx, NULL, alg->md, NULL, NULL,
					  pkey, NULL) == 1 &&
	     EVP_DigestSign(ctx, der, &der_len, tbs, tbs_len) == 1;
	EVP_MD_CTX_free(ctx);
	if (ok)
		es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	ok = es &&
	     BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, (int)alg->coord) ==
		(int)alg->coord &&
	     BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + alg->coord,
			  (int)alg->coord) == (int)alg->coord;
	ECDSA_SIG_free(es);
	if (!ok)
		return pr_err("OpenSSL could not sign the CoRIM");
	return 0;
}

int cose_sign_corim(const uint8_t *payload, size_t len,
		    const struct corim_signing *s, uint8_t **out,
		    size_t *out_len)
{
	const struct sign_alg *alg = NULL;
	uint8_t *prot = NULL, *tbs = NULL, sig[2 * 48];
	size_t prot_len, tbs_len;
	EVP_PKEY *pkey;
	cbw_item *msg;
	int ret = -1;
	bool ok;

	*out = NULL;
	pkey = load_key(s->key_path, &alg);
	if (!pkey)
		return -1;
	if (protected_header(s, alg, &prot, &prot_len) ||
	    to_be_signed(prot, prot_len, payload, len, &tbs, &tbs_len) ||
	    sign_raw(pkey, alg, tbs, tbs_len, sig))
		goto out;
	msg = cbw_array(4);
	ok = cbw_push(msg, cbw_bytes(prot, prot_len));
	ok = cbw_push(msg, cbw_map(0)) && ok;
	ok = cbw_push(msg, cbw_bytes(payload, len)) && ok;
	ok = cbw_push(msg, cbw_bytes(sig, 2 * alg->coord)) && ok;
	if (!ok) {
		cbw_free(msg);
		msg = NULL;
	}
	ret = cbw_encode(cbw_tag(18, msg), out, out_len, "signed CoRIM");
out:
	free(prot);
	free(tbs);
	EVP_PKEY_free(pkey);
	return ret;
}
