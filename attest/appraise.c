/*
 * Token appraisal checks shared by realm-check and `realmvm token
 * verify` (see appraise.h).  Algorithm names come from the hash table,
 * so the token's IANA names, the log's TCG ids and REALM_CREATE's RMM
 * ids are compared through one set of facts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "attest/appraise.h"
#include "attest/cose_verify.h"
#include "realm/event_log_parse.h"
#include "realm/hash_algos.h"
#include "vmm/util.h"

void appraise_agree(struct appraisal *v, const char *what, bool ok,
		    const char *fmt, ...)
{
	va_list ap;

	v->checks++;
	printf("check %s: %s", what, ok ? "agree" : "DISAGREE");
	if (fmt) {
		printf(" (");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf(")");
	}
	printf("\n");
	if (!ok) {
		size_t n = strlen(v->names);

		v->bad++;
		snprintf(v->names + n, sizeof(v->names) - n, "%s%s",
			 n ? ", " : "", what);
	}
}

void appraise_print_hex(const char *label, const uint8_t *p, size_t len)
{
	char *hex = malloc(2 * len + 1);

	if (!hex) {
		printf("%s: (out of memory)\n", label);
		return;
	}
	hex_encode(p, len, hex);
	printf("%s: %s\n", label, hex);
	free(hex);
}

void appraise_print_token(const struct cca_token *t)
{
	unsigned int i;
	char label[32];

	printf("token: well-formed CCA token\n");
	printf("token realm COSE alg: %lld\n",
	       t->realm.has_alg ? (long long)t->realm.alg : 0LL);
	if (t->profile[0])
		printf("token realm profile: %s\n", t->profile);
	printf("token hash algorithm: %s\n", t->hash_algo);
	appraise_print_hex("token RIM", t->rim.ptr, t->rim.len);
	for (i = 0; i < CCA_NR_REMS; i++) {
		snprintf(label, sizeof(label), "token REM%u", i);
		appraise_print_hex(label, t->rem[i].ptr, t->rem[i].len);
	}
	appraise_print_hex("token RPV", t->rpv.ptr, t->rpv.len);
	appraise_print_hex("token challenge", t->challenge.ptr,
			   t->challenge.len);
}

void appraise_log(struct appraisal *v, const struct event_log *log,
		  const struct cca_token *t)
{
	const struct log_event *create = NULL;
	const struct hash_algo_info *lh = hash_algo_by_tcg(log->alg_id);
	size_t i, nr_create = 0;

	for (i = 0; i < log->nr_events; i++)
		if (log->events[i].kind == LEV_REALM_CREATE) {
			create = create ? create : &log->events[i];
			nr_create++;
		}
	appraise_agree(v, "log-realm-create", nr_create == 1,
		       "%zu REALM_CREATE events in the log", nr_create);
	appraise_agree(v, "log-hash-algo",
		       lh && !strcmp(lh->iana_name, t->hash_algo),
		       "log digests %s, token %s", tcg_alg_name(log->alg_id),
		       t->hash_algo);
	if (create) {
		const struct hash_algo_info *ch =
			hash_algo_by_rmm(create->create.hash_algo);

		appraise_agree(v, "realm-create-hash-algo",
			       ch && !strcmp(ch->iana_name, t->hash_algo),
			       "REALM_CREATE hash_algo %u, token %s",
			       create->create.hash_algo, t->hash_algo);
	}
}

void appraise_binding(struct appraisal *v, const struct cca_token *t,
		      bool decisive)
{
	const struct hash_algo_info *h = hash_algo_by_name(t->pub_key_hash_algo);
	const EVP_MD *md = NULL;
	uint8_t dig[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	EVP_MD *fetched = NULL;
	bool ok;

	/* only the IANA spelling is a valid claim value */
	if (h && !strcmp(h->iana_name, t->pub_key_hash_algo))
		md = fetched = EVP_MD_fetch(NULL, h->evp_name, NULL);
	ok = md && t->has_platform_challenge &&
	     EVP_Digest(t->pub_key.ptr, t->pub_key.len, dig, &dlen, md,
			NULL) &&
	     dlen == t->platform_challenge.len &&
	     !memcmp(dig, t->platform_challenge.ptr, dlen);
	EVP_MD_free(fetched);
	if (decisive) {
		appraise_agree(v, "platform-binding", ok,
			       "platform challenge vs %s(realm public key)",
			       t->pub_key_hash_algo);
		return;
	}
	printf("info platform-binding: platform challenge %s %s(realm public key)%s\n",
	       ok ? "=" : "is not", t->pub_key_hash_algo,
	       ok ? "" : " (expected with a sample platform token)");
}

void appraise_realm_signature(struct appraisal *v, const struct cca_token *t)
{
	const char *why = NULL;
	EVP_PKEY *rak;
	int r = -1;

	rak = cose_key_from_claim(t->pub_key.ptr, t->pub_key.len, &why);
	if (rak)
		r = cose_sign1_verify(&t->realm, rak, &why);
	EVP_PKEY_free(rak);
	if (r < 0)
		appraise_agree(v, "realm-signature", false,
			       "cannot be checked: %s", why);
	else
		appraise_agree(v, "realm-signature", r == 1,
			       "COSE alg %lld, key from claim 44237",
			       (long long)t->realm.alg);
}

void appraise_platform_signature(struct appraisal *v,
				 const struct cca_token *t, EVP_PKEY *iak)
{
	const char *why = NULL;
	int r;

	r = cose_sign1_verify(&t->platform, iak, &why);
	if (r < 0)
		appraise_agree(v, "platform-signature", false,
			       "cannot be checked: %s", why);
	else
		appraise_agree(v, "platform-signature", r == 1,
			       "COSE alg %lld, key from --iak",
			       (long long)t->platform.alg);
}

EVP_PKEY *appraise_load_pubkey(const char *path, const char **why)
{
	EVP_PKEY *key;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		*why = strerror(errno);
		return NULL;
	}
	key = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	if (!key)
		*why = "not a PEM public key (openssl pkey -pubout makes one)";
	return key;
}
