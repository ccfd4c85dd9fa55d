/*
 * COSE_Sign1 signature check (RFC 9052 section 4.4) for the ECDSA
 * algorithms CCA tokens use, with OpenSSL EVP.  Portable C, unit-tested
 * on the host like the token decoder.
 */
#ifndef REALMVM_ATTEST_COSE_VERIFY_H
#define REALMVM_ATTEST_COSE_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "attest/cca_token.h"

#define COSE_ALG_ES256	(-7)
#define COSE_ALG_ES384	(-35)
#define COSE_ALG_ES512	(-36)

/*
 * Turn a realm public key claim into an EVP key: either an uncompressed
 * SEC1 point (0x04 || X || Y, older RMMs) or a COSE_Key of kty EC2
 * (newer RMMs).  NULL with *why set on failure.
 */
EVP_PKEY *cose_key_from_claim(const uint8_t *key, size_t len,
			      const char **why);

/*
 * Verify s with pkey.  Returns 1 for a good signature, 0 for a bad one,
 * -1 (with *why set) if it cannot be checked (unsupported algorithm,
 * key of the wrong curve, malformed signature length).
 */
int cose_sign1_verify(const struct cca_sign1 *s, EVP_PKEY *pkey,
		      const char **why);

#endif
