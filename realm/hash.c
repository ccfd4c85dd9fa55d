/*
 * SHA-2 for the RIM and the event log, from libcrypto's low-level SHA-2
 * functions (see hash.h for why not EVP).  Facts about each algorithm
 * (size, name, which SHA-2 it is) come from hash_algos.c; the switches
 * below only pick the libcrypto functions for the table's entry.
 */
#include <string.h>

#include "realm/hash.h"
#include "realm/hash_algos.h"
#include "realm/rim.h"
#include "realm/tcg_defs.h"
#include "vmm/util.h"

size_t hash_size(enum hash_algo algo)
{
	const struct hash_algo_info *h = hash_algo_by_rmm((int)algo);

	return h ? h->size : 0;
}

const char *hash_name(enum hash_algo algo)
{
	const struct hash_algo_info *h = hash_algo_by_rmm((int)algo);

	return h ? h->name : "unknown";
}

int hash_init(struct hash_ctx *h, enum hash_algo algo)
{
	const struct hash_algo_info *info = hash_algo_by_rmm((int)algo);

	h->tcg_id = info ? info->tcg_id : 0;
	switch (h->tcg_id) {
	case TCG_ALG_SHA256:
		SHA256_Init(&h->s256);
		return 0;
	case TCG_ALG_SHA384:
		SHA384_Init(&h->s512);
		return 0;
	case TCG_ALG_SHA512:
		SHA512_Init(&h->s512);
		return 0;
	}
	return pr_err("unknown hash algorithm id %d", (int)algo);
}

void hash_update(struct hash_ctx *h, const void *data, size_t len)
{
	switch (h->tcg_id) {
	case TCG_ALG_SHA256:
		SHA256_Update(&h->s256, data, len);
		break;
	case TCG_ALG_SHA384:
		SHA384_Update(&h->s512, data, len);
		break;
	default:
		SHA512_Update(&h->s512, data, len);
		break;
	}
}

void hash_final(struct hash_ctx *h, uint8_t *out)
{
	switch (h->tcg_id) {
	case TCG_ALG_SHA256:
		SHA256_Final(out, &h->s256);
		break;
	case TCG_ALG_SHA384:
		SHA384_Final(out, &h->s512);
		break;
	default:
		SHA512_Final(out, &h->s512);
		break;
	}
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
