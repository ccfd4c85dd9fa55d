/*
 * The hash algorithm table (see hash_algos.h).  Sources: RMM spec
 * RmiHashAlgorithm (0 SHA-256, 1 SHA-512, 2 SHA-384 from RMM 2.0); TCG
 * Algorithm Registry;
 * IANA Named Information Hash Algorithm Registry.
 */
#include <string.h>

#include "realm/hash_algos.h"
#include "realm/tcg_defs.h"

static const struct hash_algo_info algos[] = {
	{ "sha1", "sha-1", "SHA1", -1, TCG_ALG_SHA1, -1, 20 },
	{ "sha256", "sha-256", "SHA256", 0, TCG_ALG_SHA256, 1, 32 },
	{ "sha384", "sha-384", "SHA384", 2, TCG_ALG_SHA384, 7, 48 },	/* RMM 2.0 */
	{ "sha512", "sha-512", "SHA512", 1, TCG_ALG_SHA512, 8, 64 },
};

#define NR_ALGOS (sizeof(algos) / sizeof(algos[0]))

const struct hash_algo_info *hash_algo_by_rmm(int rmm_id)
{
	size_t i;

	for (i = 0; i < NR_ALGOS; i++)
		if (rmm_id >= 0 && algos[i].rmm_id == rmm_id)
			return &algos[i];
	return NULL;
}

const struct hash_algo_info *hash_algo_by_tcg(uint16_t tcg_id)
{
	size_t i;

	for (i = 0; i < NR_ALGOS; i++)
		if (algos[i].tcg_id == tcg_id)
			return &algos[i];
	return NULL;
}

const struct hash_algo_info *hash_algo_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NR_ALGOS; i++)
		if (!strcmp(algos[i].name, name) ||
		    !strcmp(algos[i].iana_name, name))
			return &algos[i];
	return NULL;
}

const struct hash_algo_info *hash_algo_by_iana(int iana_id)
{
	size_t i;

	for (i = 0; i < NR_ALGOS; i++)
		if (iana_id > 0 && algos[i].iana_id == iana_id)
			return &algos[i];
	return NULL;
}
