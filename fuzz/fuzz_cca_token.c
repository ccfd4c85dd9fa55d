/*
 * Fuzz the CCA attestation token decoder, the CBOR reader under it, and
 * what `realmvm token verify` does next with a hostile token: turn the
 * realm key claim into a key and check the COSE_Sign1 signatures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/cbor.h"
#include "attest/cca_token.h"
#include "attest/cose_verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cca_token tok;
	struct cbor_dec d;
	const char *why;
	EVP_PKEY *rak;
	uint8_t *copy;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&tok, 0, sizeof(tok));
	if (cca_token_decode(copy, size, &tok) == 0) {
		rak = cose_key_from_claim(tok.pub_key.ptr, tok.pub_key.len,
					  &why);
		if (rak) {
			cose_sign1_verify(&tok.realm, rak, &why);
			cose_sign1_verify(&tok.platform, rak, &why);
			EVP_PKEY_free(rak);
		}
	}

	/* The generic walker on its own, to the reader's depth limit. */
	cbor_init(&d, copy, size);
	while (!cbor_at_end(&d) && cbor_skip(&d, 0) == 0)
		;
	free(copy);
	return 0;
}
