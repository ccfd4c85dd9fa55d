/*
 * Arm CCA realm reference values as a CoRIM (draft-ietf-rats-corim-11
 * with the CCA realm profile of draft-ydb-rats-cca-endorsements-04, or
 * the -03 profile URI that Veraison accepts today).  The same values are
 * read back from a CoRIM by `realmvm token verify --corim`.  Layout and
 * sources: docs/corim.md.
 */
#ifndef REALMVM_ATTEST_CORIM_H
#define REALMVM_ATTEST_CORIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "realm/hash_algos.h"

#define CORIM_MAX_VALUE		64	/* RIM, REM and RPV bytes */
#define CORIM_NR_REMS		4
#define CORIM_MAX_RECORDS	32
#define CORIM_ID_SIZE		16	/* corim-id and tag-id: uuid-type */

#define CBOR_TAG_URI		32
#define CBOR_TAG_CORIM		501
#define CBOR_TAG_COMID		506
#define CBOR_TAG_BYTES		560

enum corim_profile {
	CORIM_CCA_04,	/* tag:arm.com,2025:endorsements/cca_realm#1.0.0 */
	CORIM_CCA_03,	/* tag:arm.com,2025:cca_realm#1.0.0 (Veraison today) */
};

/* One acceptable realm configuration: one reference-triple record. */
struct corim_refval {
	const struct hash_algo_info *algo;	/* RIM and REM digests */
	uint8_t rim[CORIM_MAX_VALUE];
	bool has_rpv;
	uint8_t rpv[CORIM_MAX_VALUE];		/* always 64 bytes */
	unsigned int rem_mask;			/* bit N: cca.remN given */
	uint8_t rem[CORIM_NR_REMS][CORIM_MAX_VALUE];
};

struct corim_params {
	enum corim_profile profile;
	uint8_t corim_id[CORIM_ID_SIZE];
	uint8_t tag_id[CORIM_ID_SIZE];
};

const char *corim_profile_uri(enum corim_profile profile);
/* "cca-04"/"cca-03"; -1 if name is neither. */
int corim_profile_by_name(const char *name, enum corim_profile *profile);

/*
 * Ids that depend only on the reference values, so that the same inputs
 * always give the same bytes: the first 16 bytes of SHA-256 over a label
 * and the records, marked as an RFC 9562 version-8 UUID.
 */
int corim_derive_ids(struct corim_params *p, const struct corim_refval *rv,
		     size_t n);

/* The 501-tagged unsigned CoRIM, malloc'd into *out.  0 or -1 (printed). */
int corim_encode(const struct corim_params *p, const struct corim_refval *rv,
		 size_t n, uint8_t **out, size_t *len);

/*
 * Read the reference values of a CoRIM (unsigned, or COSE_Sign1-signed
 * whose signature is not checked here) into rv[0..*n).  Records that do
 * not follow the CCA realm profile are refused.  0, or -1 with a one-line
 * reason in why.
 */
int corim_decode(const uint8_t *buf, size_t len, struct corim_refval *rv,
		 size_t max, size_t *n, char *why, size_t why_size);

#endif
