/*
 * Fuzz the CCA attestation token decoder and the CBOR reader under it.
 * They belong to the in-realm checker, not librealmvm.a, so they are
 * compiled in here the same way tests/unit/test_cca_token.c does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/cbor.c"
#include "attest/cca_token.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cca_token tok;
	struct cbor_dec d;
	uint8_t *copy;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	memset(&tok, 0, sizeof(tok));
	cca_token_decode(copy, size, &tok);

	/* The generic walker on its own, to the reader's depth limit. */
	cbor_init(&d, copy, size);
	while (!cbor_at_end(&d) && cbor_skip(&d, 0) == 0)
		;
	free(copy);
	return 0;
}
