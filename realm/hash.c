/*
 * Digests for the RIM and the event log, with OpenSSL EVP.  The EVP_MD
 * objects are fetched once: fetching per granule would cost more than
 * hashing 4 KiB.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>

#include "realm/hash.h"
#include "realm/rim.h"
#include "vmm/util.h"

static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static EVP_MD *md_sha256;
static EVP_MD *md_sha512;

static void md_fetch(void)
{
	md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	md_sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
}

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

const EVP_MD *hash_md(enum hash_algo algo)
{
	const EVP_MD *md = NULL;

	pthread_once(&md_once, md_fetch);
	switch (algo) {
	case HASH_SHA256:
		md = md_sha256;
		break;
	case HASH_SHA512:
		md = md_sha512;
		break;
	default:
		pr_err("unknown hash algorithm id %d", (int)algo);
		return NULL;
	}
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
