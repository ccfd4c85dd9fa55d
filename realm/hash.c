/*
 * Digests for the RIM and the event log, with OpenSSL EVP.  The EVP_MD
 * objects are fetched once: fetching per granule would cost more than
 * hashing 4 KiB.  Facts about each algorithm come from hash_algos.c.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include "realm/hash.h"
#include "realm/hash_algos.h"
#include "realm/rim.h"
#include "vmm/util.h"

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *md_rmm[3];	/* by RmiHashAlgorithm */

static void md_fetch(void)
{
	const struct hash_algo_info *h;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(md_rmm); i++) {
		h = hash_algo_by_rmm((int)i);
		if (h)
			md_rmm[i] = EVP_MD_fetch(NULL, h->evp_name, NULL);
	}
}

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

const EVP_MD *hash_md(enum hash_algo algo)
{
	const EVP_MD *md;

	pthread_once(&md_once, md_fetch);
	if ((unsigned int)algo >= ARRAY_SIZE(md_rmm) ||
	    !hash_algo_by_rmm((int)algo)) {
		pr_err("unknown hash algorithm id %d", (int)algo);
		return NULL;
	}
	md = md_rmm[algo];
	if (!md)
		pr_err("OpenSSL does not provide %s", hash_name(algo));
	return md;
}

int hash_with_ctx(EVP_MD_CTX *ctx, const EVP_MD *md, const void *data,
		  size_t len, uint8_t *out)
{
	if (!EVP_DigestInit_ex(ctx, md, NULL) ||
	    !EVP_DigestUpdate(ctx, data, len) ||
	    !EVP_DigestFinal_ex(ctx, out, NULL))
		return pr_err("OpenSSL digest failed");
	return 0;
}

int hash_buffer(enum hash_algo algo, const void *data, size_t len,
		uint8_t *out)
{
	const EVP_MD *md = hash_md(algo);

	if (!md)
		return -1;
	if (!EVP_Digest(data, len, out, NULL, md, NULL))
		return pr_err("OpenSSL %s digest failed", hash_name(algo));
	return 0;
}
