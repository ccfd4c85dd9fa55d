/*
 * Internal to the RIM code: the OpenSSL digest behind an RmiHashAlgorithm,
 * fetched once so that per-granule hashing does no lookups.
 */
#ifndef REALMVM_HASH_H
#define REALMVM_HASH_H

#include <openssl/evp.h>

#include "realm/realm_config.h"

/* NULL (with an error printed) if the algorithm is unknown or unavailable. */
const EVP_MD *hash_md(enum hash_algo algo);

/* Digest len bytes with a caller-owned context that is reused across calls. */
int hash_with_ctx(EVP_MD_CTX *ctx, const EVP_MD *md, const void *data,
		  size_t len, uint8_t *out);

#endif
