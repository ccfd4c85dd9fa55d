/*
 * The one table of hash algorithm facts: OpenSSL digest name, RMM
 * RmiHashAlgorithm id, TCG algorithm id, IANA named-information id and
 * name, realmvm's own name and the digest size.  Every component that
 * translates between these identifiers (RIM, event log writer, parser,
 * replay, token decoder, CoRIM writer) looks them up here.  No OpenSSL:
 * realm-check's static build links this file alone.
 */
#ifndef REALMVM_HASH_ALGOS_H
#define REALMVM_HASH_ALGOS_H

#include <stddef.h>
#include <stdint.h>

struct hash_algo_info {
	const char *name;	/* realmvm's name: "sha256" */
	const char *iana_name;	/* IANA Hash Name String: "sha-256" */
	const char *evp_name;	/* OpenSSL EVP_MD_fetch name */
	int rmm_id;		/* RmiHashAlgorithm, -1: not a realm hash */
	uint16_t tcg_id;	/* TCG_ALG_* */
	int iana_id;		/* Named Information Hash Algorithm ID */
	size_t size;		/* digest bytes */
};

/* Lookups; each returns NULL when the table has no such algorithm. */
const struct hash_algo_info *hash_algo_by_rmm(int rmm_id);
const struct hash_algo_info *hash_algo_by_tcg(uint16_t tcg_id);
/* Accepts either realmvm's name ("sha256") or the IANA one ("sha-256"). */
const struct hash_algo_info *hash_algo_by_name(const char *name);
const struct hash_algo_info *hash_algo_by_iana(int iana_id);

#endif
