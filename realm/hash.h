/*
 * Internal to the RIM code: an incremental SHA-2 context behind an
 * RmiHashAlgorithm of hash_algos.c's table.  It calls libcrypto's SHA256_,
 * SHA384_ and SHA512_ block functions directly rather than EVP: a static binary then links only the
 * SHA-2 code (about 40 KB, not EVP's 3.8 MB of providers), and it is the
 * same assembly EVP runs, so nothing is slower (bench/sha-lib.sh).
 */
#ifndef REALMVM_HASH_H
#define REALMVM_HASH_H

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <stddef.h>
#include <stdint.h>

#include "realm/realm_config.h"

struct hash_ctx {
	uint16_t tcg_id;	/* which SHA-2, from the algorithm table */
	union {
		SHA256_CTX s256;
		SHA512_CTX s512;
	};
};

/* Fails (with an error printed) only for an unknown algorithm. */
int hash_init(struct hash_ctx *h, enum hash_algo algo);
void hash_update(struct hash_ctx *h, const void *data, size_t len);
/* Writes hash_size(algo) bytes; the context must be initialised again. */
void hash_final(struct hash_ctx *h, uint8_t *out);

#endif
