/*
 * SHA-256 and SHA-512 for the RIM and the event log, from libcrypto's
 * low-level SHA-2 functions (see hash.h for why not EVP).
 */
#include <string.h>

#include "realm/hash.h"
#include "realm/rim.h"
#include "vmm/util.h"

size_t hash_size(enum hash_algo algo)
{
	switch (algo) {
	case HASH_SHA256:
		return 32;
	case HASH_SHA512:
		return 64;
	}
	return 0;
}

const char *hash_name(enum hash_algo algo)
{
	switch (algo) {
	case HASH_SHA256:
		return "sha256";
	case HASH_SHA512:
		return "sha512";
	}
	return "unknown";
}

int hash_init(struct hash_ctx *h, enum hash_algo algo)
{
	h->algo = algo;
	switch (algo) {
	case HASH_SHA256:
		SHA256_Init(&h->s256);
		return 0;
	case HASH_SHA512:
		SHA512_Init(&h->s512);
		return 0;
	}
	return pr_err("unknown hash algorithm id %d", (int)algo);
}

void hash_update(struct hash_ctx *h, const void *data, size_t len)
{
	if (h->algo == HASH_SHA256)
		SHA256_Update(&h->s256, data, len);
	else
		SHA512_Update(&h->s512, data, len);
}

void hash_final(struct hash_ctx *h, uint8_t *out)
{
	if (h->algo == HASH_SHA256)
		SHA256_Final(out, &h->s256);
	else
		SHA512_Final(out, &h->s512);
}

int hash_buffer(enum hash_algo algo, const void *data, size_t len,
		uint8_t *out)
{
	struct hash_ctx h;

	if (hash_init(&h, algo))
		return -1;
	hash_update(&h, data, len);
	hash_final(&h, out);
	return 0;
}
