/*
 * Arm CCA attestation token decoder: the CBOR tag-399 collection holding
 * a platform token and a realm delegated token, each a COSE_Sign1.  It
 * extracts the realm claims a launch verifier compares (challenge, RPV,
 * hash algorithm, RIM, REMs) and checks their shapes.  Plain C with no
 * Linux calls so it is unit-tested on any host.
 *
 * Claim keys: TF-RMM attestation_token.h / Veraison ccatoken, see
 * docs/realm-check.md.
 */
#ifndef REALMVM_ATTEST_CCA_TOKEN_H
#define REALMVM_ATTEST_CCA_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCA_TAG_TOKEN			399
#define COSE_TAG_SIGN1			18

#define CCA_PLATFORM_TOKEN		44234
#define CCA_REALM_DELEGATED_TOKEN	44241

#define CCA_REALM_CHALLENGE		10	/* EAT nonce */
#define CCA_REALM_PROFILE		265	/* EAT profile, newer RMMs */
#define CCA_REALM_PERSONALIZATION_VALUE	44235
#define CCA_REALM_HASH_ALGO_ID		44236
#define CCA_REALM_PUB_KEY		44237
#define CCA_REALM_INITIAL_MEASUREMENT	44238
#define CCA_REALM_EXTENSIBLE_MEASUREMENTS 44239
#define CCA_REALM_PUB_KEY_HASH_ALGO_ID	44240

#define CCA_PLATFORM_CHALLENGE		10

#define COSE_HEADER_ALG			1

#define CCA_CHALLENGE_SIZE		64
#define CCA_RPV_SIZE			64
#define CCA_MEASUREMENT_MAX		64
#define CCA_NR_REMS			4

/* A slice of the token buffer (never copied, never owned). */
struct cca_bytes {
	const uint8_t *ptr;
	size_t len;
};

struct cca_sign1 {
	struct cca_bytes protected_hdr;	/* bstr contents (a CBOR map) */
	struct cca_bytes payload;	/* bstr contents (the claims map) */
	struct cca_bytes signature;
	int64_t alg;			/* COSE alg from protected header */
	bool has_alg;
};

struct cca_token {
	struct cca_sign1 platform;
	struct cca_sign1 realm;

	/* Realm claims. */
	struct cca_bytes challenge;	/* 64 bytes */
	struct cca_bytes rpv;		/* 64 bytes */
	char hash_algo[16];		/* "sha-256", ... (NUL-terminated) */
	unsigned int hash_size;		/* bytes, from hash_algo */
	struct cca_bytes rim;		/* hash_size bytes */
	struct cca_bytes rem[CCA_NR_REMS];
	struct cca_bytes pub_key;
	char pub_key_hash_algo[16];
	char profile[64];		/* empty when absent */

	/* Platform claims (informational; the platform token may be a sample). */
	struct cca_bytes platform_challenge;
	bool has_platform_challenge;

	char error[160];		/* set when decoding fails */
};

/*
 * Decode buf as a CCA attestation token.  On failure returns -1 with
 * tok->error naming the first problem found (one line, no newline).  The
 * slices in tok point into buf, which must outlive tok.
 */
int cca_token_decode(const uint8_t *buf, size_t len, struct cca_token *tok);

/* Digest size in bytes for a token hash name ("sha-256"...), 0 if unknown. */
unsigned int cca_hash_size(const char *name);

#endif
