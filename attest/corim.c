/*
 * Writing the CCA realm CoRIM.  Structure (docs/corim.md):
 *
 *   501({0: corim-id, 1: [506(<< CoMID >>)], 3: 32(profile URI)})
 *   CoMID = {1: {0: tag-id}, 4: {0: [record, ...]}}
 *   record = [{0: {0: 560(RIM)}}, [{0: "cca.rim", 1: {2: [[alg, RIM]]}},
 *             {0: "cca.remN", 1: {2: [[alg, REM]]}}...,
 *             {0: "cca.rpv", 1: {4: 560(RPV)}}]]
 *
 * The digest algorithm is the IANA text name, as in the CCA-04 example:
 * a verifier builds its evidence digests from the token's text hash-algo
 * claim, and CoRIM compares algorithm ids by their encoded bytes.
 */
#include <stdio.h>
#include <string.h>

#include "attest/cbor_write.h"
#include "attest/corim.h"
#include "realm/hash.h"
#include "vmm/util.h"

const char *corim_profile_uri(enum corim_profile profile)
{
	if (profile == CORIM_CCA_03)
		return "tag:arm.com,2025:cca_realm#1.0.0";
	return "tag:arm.com,2025:endorsements/cca_realm#1.0.0";
}

int corim_profile_by_name(const char *name, enum corim_profile *profile)
{
	if (!strcmp(name, "cca-04"))
		*profile = CORIM_CCA_04;
	else if (!strcmp(name, "cca-03"))
		*profile = CORIM_CCA_03;
	else
		return -1;
	return 0;
}

static int derive_id(const char *label, const struct corim_refval *rv,
		     size_t n, uint8_t id[CORIM_ID_SIZE])
{
	uint8_t md[32];
	struct hash_ctx h;
	size_t i;

	/* realm/hash.c, not EVP: the static build links no EVP (hash.h) */
	if (hash_init(&h, HASH_SHA256))
		return -1;
	hash_update(&h, label, strlen(label) + 1);
	for (i = 0; i < n; i++) {
		hash_update(&h, rv[i].algo->iana_name,
			    strlen(rv[i].algo->iana_name) + 1);
		hash_update(&h, rv[i].rim, rv[i].algo->size);
		hash_update(&h, &rv[i].has_rpv, 1);
		hash_update(&h, rv[i].rpv, sizeof(rv[i].rpv));
		hash_update(&h, &rv[i].rem_mask, sizeof(rv[i].rem_mask));
		hash_update(&h, rv[i].rem, sizeof(rv[i].rem));
	}
	hash_final(&h, md);
	memcpy(id, md, CORIM_ID_SIZE);
	id[6] = (id[6] & 0x0f) | 0x80;	/* version 8: custom */
	id[8] = (id[8] & 0x3f) | 0x80;	/* RFC 9562 variant */
	return 0;
}

int corim_derive_ids(struct corim_params *p, const struct corim_refval *rv,
		     size_t n)
{
	return derive_id("realmvm corim-id", rv, n, p->corim_id) ||
	       derive_id("realmvm tag-id", rv, n, p->tag_id) ? -1 : 0;
}

/* [[alg, value]]: digests-type is an array of digests even for one. */
static cbw_item *digests(const struct hash_algo_info *algo,
			 const uint8_t *value)
{
	cbw_item *pair = cbw_array(2), *list = cbw_array(1);

	bool ok = cbw_push(pair, cbw_text(algo->iana_name));

	ok = cbw_push(pair, cbw_bytes(value, algo->size)) && ok;
	if (!cbw_push(list, pair) || !ok) {
		cbw_free(list);
		return NULL;
	}
	return list;
}

/* {0: mkey, 1: {key: value}} */
static cbw_item *measurement(const char *mkey, uint64_t key, cbw_item *value)
{
	cbw_item *m = cbw_map(2), *mval = cbw_map(1);

	bool ok = cbw_put_u(mval, key, value);

	ok = cbw_put_u(m, 0, cbw_text(mkey)) && ok;
	if (!cbw_put_u(m, 1, mval) || !ok) {
		cbw_free(m);
		return NULL;
	}
	return m;
}

static cbw_item *record(const struct corim_refval *rv)
{
	cbw_item *rec = cbw_array(2), *env = cbw_map(1), *class = cbw_map(1);
	cbw_item *ms;
	char mkey[16];
	unsigned int i, nr = 1 + !!rv->has_rpv;
	bool ok;

	for (i = 0; i < CORIM_NR_REMS; i++)
		nr += !!(rv->rem_mask & (1U << i));
	ms = cbw_array(nr);
	ok = cbw_put_u(class, 0, cbw_tag(CBOR_TAG_BYTES,
					 cbw_bytes(rv->rim, rv->algo->size)));
	ok = cbw_put_u(env, 0, class) && ok;
	ok = cbw_push(ms, measurement("cca.rim", 2,
				      digests(rv->algo, rv->rim))) && ok;
	for (i = 0; i < CORIM_NR_REMS; i++) {
		if (!(rv->rem_mask & (1U << i)))
			continue;
		snprintf(mkey, sizeof(mkey), "cca.rem%u", i);
		ok = cbw_push(ms, measurement(mkey, 2,
					      digests(rv->algo,
						      rv->rem[i]))) && ok;
	}
	if (rv->has_rpv)
		ok = cbw_push(ms, measurement("cca.rpv", 4,
			      cbw_tag(CBOR_TAG_BYTES,
				      cbw_bytes(rv->rpv, 64)))) && ok;
	ok = cbw_push(rec, env) && ok;
	ok = cbw_push(rec, ms) && ok;
	if (!ok) {
		cbw_free(rec);
		return NULL;
	}
	return rec;
}

static cbw_item *comid(const struct corim_params *p,
		       const struct corim_refval *rv, size_t n)
{
	cbw_item *c = cbw_map(2), *ident = cbw_map(1), *triples = cbw_map(1);
	cbw_item *refs = cbw_array(n);
	bool ok = true;
	size_t i;

	for (i = 0; i < n; i++)
		ok = cbw_push(refs, record(&rv[i])) && ok;
	ok = cbw_put_u(triples, 0, refs) && ok;
	ok = cbw_put_u(ident, 0, cbw_bytes(p->tag_id, CORIM_ID_SIZE)) && ok;
	ok = cbw_put_u(c, 1, ident) && ok;
	ok = cbw_put_u(c, 4, triples) && ok;
	if (!ok) {
		cbw_free(c);
		return NULL;
	}
	return c;
}

int corim_encode(const struct corim_params *p, const struct corim_refval *rv,
		 size_t n, uint8_t **out, size_t *len)
{
	cbw_item *map = cbw_map(3), *tags = cbw_array(1);
	bool ok;

	*out = NULL;
	*len = 0;
	if (!n || n > CORIM_MAX_RECORDS) {
		cbw_free(map);
		cbw_free(tags);
		return pr_err("a CoRIM holds 1 to %u reference values, not %zu",
			      CORIM_MAX_RECORDS, n);
	}
	ok = cbw_push(tags, cbw_tag(CBOR_TAG_COMID, cbw_wrap(comid(p, rv, n))));
	ok = cbw_put_u(map, 0, cbw_bytes(p->corim_id, CORIM_ID_SIZE)) && ok;
	ok = cbw_put_u(map, 1, tags) && ok;
	ok = cbw_put_u(map, 3, cbw_tag(CBOR_TAG_URI,
				       cbw_text(corim_profile_uri(p->profile))))
	     && ok;
	if (!ok) {
		cbw_free(map);
		map = NULL;
	}
	return cbw_encode(cbw_tag(CBOR_TAG_CORIM, map), out, len, "CoRIM");
}
