/*
 * Fuzz the CoRIM reader behind `realmvm token verify --corim`: hostile
 * CoRIMs, unsigned or COSE_Sign1-wrapped, through the shared CBOR reader.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/corim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct corim_refval rv[CORIM_MAX_RECORDS];
	char why[200];
	uint8_t *copy;
	size_t n;

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	corim_decode(copy, size, rv, CORIM_MAX_RECORDS, &n, why, sizeof(why));
	free(copy);
	return 0;
}
