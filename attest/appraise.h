/*
 * Appraising a CCA attestation token: the checks realm-check makes inside
 * a realm and `realmvm token verify` makes on any host, printed as
 * "check NAME: agree|DISAGREE (...)" lines and counted in an appraisal.
 */
#ifndef REALMVM_ATTEST_APPRAISE_H
#define REALMVM_ATTEST_APPRAISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "attest/cca_token.h"

struct event_log;

struct appraisal {
	unsigned int checks;
	unsigned int bad;
	char names[256];	/* the checks that disagree, comma separated */
};

/* Record and print one check; fmt (may be NULL) explains it. */
void appraise_agree(struct appraisal *v, const char *what, bool ok,
		    const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

void appraise_print_hex(const char *label, const uint8_t *p, size_t len);
void appraise_print_token(const struct cca_token *t);

/* The realm token must be signed by the RAK it carries. */
void appraise_realm_signature(struct appraisal *v, const struct cca_token *t);
/* The platform token against an endorsed IAK public key. */
void appraise_platform_signature(struct appraisal *v,
				 const struct cca_token *t, EVP_PKEY *iak);
/*
 * The platform challenge is the hash of the RAK.  decisive: count it as
 * a check (with a verified platform token) rather than only report it.
 */
void appraise_binding(struct appraisal *v, const struct cca_token *t,
		      bool decisive);
/* The event log's algorithm and REALM_CREATE against the token. */
void appraise_log(struct appraisal *v, const struct event_log *log,
		  const struct cca_token *t);

/* A PEM public key file; NULL with *why set. */
EVP_PKEY *appraise_load_pubkey(const char *path, const char **why);

#endif
