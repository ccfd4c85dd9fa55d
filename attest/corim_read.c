/*
 * Reading CCA realm reference values back from a CoRIM, with the same
 * strict CBOR reader as the token decoder (attest/cbor.c).  Accepts what
 * attest/corim.c writes and what other CCA-03/-04 producers write: text
 * or integer digest algorithms, REMs and RPV optional, unknown CoRIM and
 * CoMID keys skipped.  A signed CoRIM is unwrapped; its signature is the
 * provisioning service's business, not the appraiser's.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attest/cbor.h"
#include "attest/corim.h"

#define COSE_TAG_SIGN1	18

struct rd {
	struct cbor_dec d;
	char *why;
	size_t why_size;
};

static int bad(struct rd *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int bad(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	if (r->why[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(r->why, r->why_size, fmt, ap);
	va_end(ap);
	return -1;
}

static int expect(struct rd *r, enum cbor_major major, struct cbor_item *it,
		  const char *what)
{
	if (cbor_expect(&r->d, major, it, what) < 0)
		return bad(r, "%s", r->d.err ? r->d.err : what);
	return 0;
}

static int expect_tag(struct rd *r, uint64_t tag, const char *what)
{
	struct cbor_item it;

	if (expect(r, CBOR_TAG, &it, what))
		return -1;
	if (it.val != tag)
		return bad(r, "%s: tag %llu, expected %llu", what,
			   (unsigned long long)it.val,
			   (unsigned long long)tag);
	return 0;
}

/* A map key, which the CoRIM structures used here make an integer. */
static int int_key(struct rd *r, int64_t *key, const char *what)
{
	int ret = cbor_read_key(&r->d, key);

	if (ret < 0)
		return bad(r, "%s: %s", what, r->d.err);
	if (ret == 0)
		return bad(r, "%s: text map key where an integer is expected",
			   what);
	return 0;
}

static int skip(struct rd *r)
{
	if (cbor_skip(&r->d, 4) < 0)
		return bad(r, "%s", r->d.err);
	return 0;
}

/* [[alg, value]] with exactly one entry, as the CCA realm profile uses. */
static int read_digest(struct rd *r, const char *mkey,
		       const struct hash_algo_info **algo, uint8_t *value)
{
	struct cbor_item list, pair, alg, val;
	char name[16];

	if (expect(r, CBOR_ARRAY, &list, "digests") ||
	    expect(r, CBOR_ARRAY, &pair, "digest"))
		return -1;
	if (list.len != 1 || pair.len != 2)
		return bad(r, "%s: digests must be one [alg, value] pair",
			   mkey);
	if (cbor_next(&r->d, &alg) < 0)
		return bad(r, "%s: %s", mkey, r->d.err);
	if (alg.major == CBOR_UINT && alg.val <= 64) {
		*algo = hash_algo_by_iana((int)alg.val);
	} else if (alg.major == CBOR_TSTR && alg.len < sizeof(name)) {
		memcpy(name, alg.ptr, alg.len);
		name[alg.len] = '\0';
		*algo = hash_algo_by_name(name);
		if (*algo && strcmp((*algo)->iana_name, name))
			*algo = NULL;
	} else {
		*algo = NULL;
	}
	if (!*algo || (*algo)->rmm_id < 0)
		return bad(r, "%s: digest algorithm is not sha-256 or sha-512 (IANA 1 or 8)",
			   mkey);
	if (expect(r, CBOR_BSTR, &val, "digest value"))
		return -1;
	if (val.len != (*algo)->size)
		return bad(r, "%s: %s digest of %llu bytes", mkey,
			   (*algo)->iana_name, (unsigned long long)val.len);
	memcpy(value, val.ptr, val.len);
	return 0;
}

static int read_measurement(struct rd *r, struct corim_refval *rv,
			    unsigned int *seen)
{
	struct cbor_item m, mkey, mval, raw;
	const struct hash_algo_info *algo = NULL;
	uint8_t value[CORIM_MAX_VALUE];
	char name[16] = "";
	int64_t key, vkey;
	uint64_t i, j;
	int slot = -1;	/* 0 rim, 1..4 rem0..3, 5 rpv */
	bool got = false;

	if (expect(r, CBOR_MAP, &m, "measurement-map"))
		return -1;
	for (i = 0; i < m.len; i++) {
		if (int_key(r, &key, "measurement-map"))
			return -1;
		if (key == 0) {
			if (expect(r, CBOR_TSTR, &mkey, "mkey (text, CCA profile)"))
				return -1;
			if (mkey.len >= sizeof(name))
				return bad(r, "unknown mkey (CCA realm profile: cca.rim, cca.rem0..3, cca.rpv)");
			memcpy(name, mkey.ptr, mkey.len);
			name[mkey.len] = '\0';
			if (!strcmp(name, "cca.rim"))
				slot = 0;
			else if (!strcmp(name, "cca.rpv"))
				slot = 5;
			else if (!strncmp(name, "cca.rem", 7) &&
				 name[7] >= '0' && name[7] <= '3' && !name[8])
				slot = 1 + name[7] - '0';
			else
				return bad(r, "unknown mkey \"%s\" (CCA realm profile: cca.rim, cca.rem0..3, cca.rpv)",
					   name);
			continue;
		}
		if (key != 1)
			return bad(r, "measurement-map key %lld is not allowed by the CCA realm profile",
				   (long long)key);
		if (slot < 0)
			return bad(r, "measurement-map: mkey must come before mval");
		if (*seen & (1U << slot))
			return bad(r, "%s given twice in one record", name);
		*seen |= 1U << slot;
		if (expect(r, CBOR_MAP, &mval, "mval"))
			return -1;
		for (j = 0; j < mval.len; j++) {
			if (int_key(r, &vkey, "mval"))
				return -1;
			if (vkey == 2 && slot < 5) {
				if (read_digest(r, name, &algo, value))
					return -1;
				if (rv->algo && rv->algo != algo)
					return bad(r, "%s: %s digest in a %s record",
						   name, algo->iana_name,
						   rv->algo->iana_name);
				rv->algo = algo;
				memcpy(slot ? rv->rem[slot - 1] : rv->rim,
				       value, algo->size);
				if (slot)
					rv->rem_mask |= 1U << (slot - 1);
				got = true;
			} else if (vkey == 4 && slot == 5) {
				if (expect_tag(r, CBOR_TAG_BYTES, "cca.rpv") ||
				    expect(r, CBOR_BSTR, &raw, "cca.rpv"))
					return -1;
				if (raw.len > CORIM_MAX_VALUE)
					return bad(r, "cca.rpv of %llu bytes (at most 64)",
						   (unsigned long long)raw.len);
				memset(rv->rpv, 0, sizeof(rv->rpv));
				memcpy(rv->rpv, raw.ptr, raw.len);
				rv->has_rpv = true;
				got = true;
			} else {
				return bad(r, "%s: mval key %lld is not what the CCA realm profile uses",
					   name, (long long)vkey);
			}
		}
	}
	if (slot < 0)
		return bad(r, "measurement-map without mkey");
	if (!got)
		return bad(r, "%s: no value (digests for cca.rim and cca.remN, raw-value for cca.rpv)",
			   name);
	return 0;
}

static int read_record(struct rd *r, struct corim_refval *rv)
{
	struct cbor_item rec, env, class, id, ms;
	uint8_t class_id[CORIM_MAX_VALUE];
	size_t class_len = 0;
	unsigned int seen = 0;
	int64_t key;
	uint64_t i;

	memset(rv, 0, sizeof(*rv));
	if (expect(r, CBOR_ARRAY, &rec, "reference-triple-record"))
		return -1;
	if (rec.len != 2)
		return bad(r, "reference-triple-record has %llu items, not 2",
			   (unsigned long long)rec.len);
	if (expect(r, CBOR_MAP, &env, "environment-map"))
		return -1;
	for (i = 0; i < env.len; i++) {
		if (int_key(r, &key, "environment-map"))
			return -1;
		if (key != 0)
			return bad(r, "realm environment has key %lld: the CCA realm profile allows only class",
				   (long long)key);
		if (expect(r, CBOR_MAP, &class, "class-map"))
			return -1;
		if (class.len != 1 || int_key(r, &key, "class-map") ||
		    key != 0)
			return bad(r, "realm class-map must hold only class-id");
		if (expect_tag(r, CBOR_TAG_BYTES, "class-id") ||
		    expect(r, CBOR_BSTR, &id, "class-id"))
			return -1;
		if (id.len != 32 && id.len != 48 && id.len != 64)
			return bad(r, "class-id of %llu bytes is no RIM",
				   (unsigned long long)id.len);
		memcpy(class_id, id.ptr, id.len);
		class_len = id.len;
	}
	if (!class_len)
		return bad(r, "realm environment without class-id");
	if (expect(r, CBOR_ARRAY, &ms, "measurements"))
		return -1;
	for (i = 0; i < ms.len; i++)
		if (read_measurement(r, rv, &seen))
			return -1;
	if (!(seen & 1))
		return bad(r, "record without cca.rim");
	if (class_len != rv->algo->size ||
	    memcmp(class_id, rv->rim, class_len))
		return bad(r, "class-id differs from the cca.rim digest");
	return 0;
}

static int read_comid(struct rd *r, struct corim_refval *rv, size_t max,
		      size_t *n)
{
	struct cbor_item c, triples, refs;
	int64_t key, tkey;
	uint64_t i, j, k;

	if (expect(r, CBOR_MAP, &c, "CoMID"))
		return -1;
	for (i = 0; i < c.len; i++) {
		if (int_key(r, &key, "CoMID"))
			return -1;
		if (key != 4) {
			if (skip(r))
				return -1;
			continue;
		}
		if (expect(r, CBOR_MAP, &triples, "triples-map"))
			return -1;
		for (j = 0; j < triples.len; j++) {
			if (int_key(r, &tkey, "triples-map"))
				return -1;
			if (tkey != 0) {
				if (skip(r))
					return -1;
				continue;
			}
			if (expect(r, CBOR_ARRAY, &refs, "reference-triples"))
				return -1;
			for (k = 0; k < refs.len; k++) {
				if (*n >= max)
					return bad(r, "more than %zu reference values",
						   max);
				if (read_record(r, &rv[*n]))
					return -1;
				(*n)++;
			}
		}
	}
	return 0;
}

static int read_corim(struct rd *r, struct corim_refval *rv, size_t max,
		      size_t *n)
{
	struct cbor_item top, map, tags, t, bs;
	struct cbor_dec outer;
	bool profile_ok = false;
	int64_t key;
	uint64_t i, j;

	if (cbor_next(&r->d, &top) < 0 || top.major != CBOR_TAG)
		return bad(r, "not a CoRIM: it does not start with tag 501 (or 18, signed)");
	if (top.val == COSE_TAG_SIGN1) {
		struct cbor_item arr, prot, payload;

		if (expect(r, CBOR_ARRAY, &arr, "COSE_Sign1") ||
		    arr.len != 4)
			return bad(r, "COSE_Sign1 is not a 4-item array");
		if (expect(r, CBOR_BSTR, &prot, "protected header") ||
		    skip(r) ||
		    expect(r, CBOR_BSTR, &payload, "signed CoRIM payload"))
			return -1;
		cbor_init(&r->d, payload.ptr, payload.len);
		return read_corim(r, rv, max, n);
	}
	if (top.val != CBOR_TAG_CORIM)
		return bad(r, "not a CoRIM: tag %llu (expected 501, or 18 for a signed one)",
			   (unsigned long long)top.val);
	if (expect(r, CBOR_MAP, &map, "corim-map"))
		return -1;
	for (i = 0; i < map.len; i++) {
		if (int_key(r, &key, "corim-map"))
			return -1;
		if (key == 3) {
			if (expect_tag(r, CBOR_TAG_URI, "profile") ||
			    expect(r, CBOR_TSTR, &t, "profile"))
				return -1;
			profile_ok =
				(t.len == strlen(corim_profile_uri(CORIM_CCA_04)) &&
				 !memcmp(t.ptr, corim_profile_uri(CORIM_CCA_04), t.len)) ||
				(t.len == strlen(corim_profile_uri(CORIM_CCA_03)) &&
				 !memcmp(t.ptr, corim_profile_uri(CORIM_CCA_03), t.len));
			if (!profile_ok)
				return bad(r, "profile is not the CCA realm one (cca-04 or cca-03 URI)");
			continue;
		}
		if (key != 1) {
			if (skip(r))
				return -1;
			continue;
		}
		if (expect(r, CBOR_ARRAY, &tags, "tags"))
			return -1;
		for (j = 0; j < tags.len; j++) {
			if (expect(r, CBOR_TAG, &t, "tag"))
				return -1;
			if (t.val != CBOR_TAG_COMID) {
				if (skip(r))
					return -1;
				continue;
			}
			if (expect(r, CBOR_BSTR, &bs, "CoMID bytes"))
				return -1;
			outer = r->d;
			cbor_init(&r->d, bs.ptr, bs.len);
			if (read_comid(r, rv, max, n))
				return -1;
			if (!cbor_at_end(&r->d))
				return bad(r, "bytes after the CoMID");
			r->d = outer;
		}
	}
	if (!profile_ok)
		return bad(r, "CoRIM without the CCA realm profile");
	if (!cbor_at_end(&r->d))
		return bad(r, "bytes after the CoRIM");
	if (!*n)
		return bad(r, "CoRIM holds no realm reference values");
	return 0;
}

int corim_decode(const uint8_t *buf, size_t len, struct corim_refval *rv,
		 size_t max, size_t *n, char *why, size_t why_size)
{
	struct rd r = { .why = why, .why_size = why_size };

	why[0] = '\0';
	*n = 0;
	cbor_init(&r.d, buf, len);
	return read_corim(&r, rv, max, n);
}
