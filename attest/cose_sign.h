/*
 * COSE_Sign1 signing of a CoRIM (draft-ietf-rats-corim-11 "Signed
 * CoRIM", RFC 9052 section 4.4) with an EC key from a PEM file.
 */
#ifndef REALMVM_ATTEST_COSE_SIGN_H
#define REALMVM_ATTEST_COSE_SIGN_H

#include <stddef.h>
#include <stdint.h>

struct corim_signing {
	const char *key_path;	/* PEM private key, P-256 or P-384 */
	const char *signer;	/* corim-meta signer-name */
	const char *cert_path;	/* PEM chain for x5chain, or NULL */
};

/*
 * 18([protected {1: alg, 3: "application/rim+cbor", 8: corim-meta,
 * ?33: x5chain}, {}, payload, r || s]) around payload (the 501-tagged
 * CoRIM), malloc'd into *out.  0, or -1 after a one-line error.
 */
int cose_sign_corim(const uint8_t *payload, size_t len,
		    const struct corim_signing *s, uint8_t **out,
		    size_t *out_len);

#endif
