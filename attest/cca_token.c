/*
 * Decoder for the Arm CCA attestation token.  Structure (Arm CCA token
 * format, as produced by TF-RMM and read by Veraison ccatoken):
 *
 *   399(map { 44234: bstr(COSE_Sign1 platform token),
 *             44241: bstr(COSE_Sign1 realm delegated token) })
 *   COSE_Sign1 = 18([protected bstr, unprotected map, payload bstr,
 *                    signature bstr])     (tag 18 optional, RFC 9052)
 *
 * Only shapes are checked here; signatures are not verified (see
 * docs/realm-check.md for what that means for a verifier).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attest/cbor.h"
#include "attest/cca_token.h"
#include "realm/hash_algos.h"
#include "vmm/util.h"

static int tok_err(struct cca_token *tok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int tok_err(struct cca_token *tok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tok->error, sizeof(tok->error), fmt, ap);
	va_end(ap);
	return -1;
}

/* Report a CBOR-level failure with the part of the token it was in. */
static int cbor_err(struct cca_token *tok, const struct cbor_dec *d,
		    const char *where)
{
	return tok_err(tok, "%s: %s", where,
		       d->err ? d->err : "malformed CBOR");
}

unsigned int cca_hash_size(const char *name)
{
	const struct hash_algo_info *h = hash_algo_by_name(name);

	/* tokens spell algorithms the IANA way only */
	return h && !strcmp(h->iana_name, name) ? (unsigned int)h->size : 0;
}

/* Copy a text claim into a fixed buffer; refuse NULs and overlong text. */
static int copy_text(struct cca_token *tok, const struct cbor_item *it,
		     char *out, size_t size, const char *what)
{
	if (it->major != CBOR_TSTR)
		return tok_err(tok, "realm token: %s is not a text string",
			       what);
	if (it->len >= size || memchr(it->ptr, 0, it->len))
		return tok_err(tok, "realm token: %s is not a valid name",
			       what);
	memcpy(out, it->ptr, it->len);
	out[it->len] = '\0';
	return 0;
}

static int parse_protected(struct cca_token *tok, struct cca_sign1 *s,
			   const char *where)
{
	struct cbor_dec d;
	struct cbor_item it;
	uint64_t i;
	int64_t key;
	int r;

	/* An empty bstr is allowed and means "no protected headers". */
	if (!s->protected_hdr.len)
		return 0;
	cbor_init(&d, s->protected_hdr.ptr, s->protected_hdr.len);
	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, where);
	if (it.major != CBOR_MAP)
		return tok_err(tok, "%s: protected header is not a map", where);
	for (i = 0; i < it.len; i++) {
		struct cbor_item v;

		r = cbor_read_key(&d, &key);
		if (r < 0)
			return cbor_err(tok, &d, where);
		if (r == 1 && key == COSE_HEADER_ALG) {
			if (s->has_alg)
				return tok_err(tok, "%s: duplicate alg header",
					       where);
			if (cbor_next(&d, &v) < 0)
				return cbor_err(tok, &d, where);
			if (v.major == CBOR_UINT && v.val <= INT64_MAX)
				s->alg = (int64_t)v.val;
			else if (v.major == CBOR_NEGINT && v.val <= INT64_MAX)
				s->alg = -1 - (int64_t)v.val;
			else
				return tok_err(tok, "%s: alg header is not an integer",
					       where);
			s->has_alg = true;
			continue;
		}
		if (cbor_skip(&d, 1) < 0)
			return cbor_err(tok, &d, where);
	}
	if (!cbor_at_end(&d))
		return tok_err(tok, "%s: trailing bytes after protected header",
			       where);
	return 0;
}

static int parse_sign1(struct cca_token *tok, const struct cca_bytes *in,
		       struct cca_sign1 *s, const char *where)
{
	struct cbor_dec d;
	struct cbor_item it;

	memset(s, 0, sizeof(*s));
	cbor_init(&d, in->ptr, in->len);
	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, where);
	if (it.major == CBOR_TAG) {
		if (it.val != COSE_TAG_SIGN1)
			return tok_err(tok, "%s: tag %llu, expected COSE_Sign1 (18)",
				       where, (unsigned long long)it.val);
		if (cbor_next(&d, &it) < 0)
			return cbor_err(tok, &d, where);
	}
	if (it.major != CBOR_ARRAY || it.len != 4)
		return tok_err(tok, "%s: not a COSE_Sign1 array of 4 items",
			       where);

	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, where);
	if (it.major != CBOR_BSTR)
		return tok_err(tok, "%s: protected header is not a byte string",
			       where);
	s->protected_hdr.ptr = it.ptr;
	s->protected_hdr.len = it.len;

	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, where);
	if (it.major != CBOR_MAP)
		return tok_err(tok, "%s: unprotected header is not a map",
			       where);
	if (cbor_skip_children(&d, &it, 1) < 0)
		return cbor_err(tok, &d, where);

	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, where);
	if (it.major != CBOR_BSTR)
		return tok_err(tok, "%s: payload is not a byte string (detached payloads are not supported)",
			       where);
	s->payload.ptr = it.ptr;
	s->payload.len = it.len;

	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, where);
	if (it.major != CBOR_BSTR)
		return tok_err(tok, "%s: signature is not a byte string",
			       where);
	s->signature.ptr = it.ptr;
	s->signature.len = it.len;

	if (!cbor_at_end(&d))
		return tok_err(tok, "%s: trailing bytes after COSE_Sign1", where);
	return parse_protected(tok, s, where);
}

/* Bits for claims seen, to reject duplicates and report missing ones. */
enum {
	SEEN_CHALLENGE = 1 << 0,
	SEEN_RPV = 1 << 1,
	SEEN_HASH = 1 << 2,
	SEEN_PUBKEY = 1 << 3,
	SEEN_RIM = 1 << 4,
	SEEN_REMS = 1 << 5,
	SEEN_PUBKEY_HASH = 1 << 6,
	SEEN_PROFILE = 1 << 7,
};

static const struct {
	unsigned int bit;
	int64_t key;
	const char *name;
} realm_claims[] = {
	{ SEEN_CHALLENGE, CCA_REALM_CHALLENGE, "challenge (10)" },
	{ SEEN_RPV, CCA_REALM_PERSONALIZATION_VALUE,
	  "personalization value (44235)" },
	{ SEEN_HASH, CCA_REALM_HASH_ALGO_ID, "hash algorithm (44236)" },
	{ SEEN_PUBKEY, CCA_REALM_PUB_KEY, "public key (44237)" },
	{ SEEN_RIM, CCA_REALM_INITIAL_MEASUREMENT,
	  "initial measurement (44238)" },
	{ SEEN_REMS, CCA_REALM_EXTENSIBLE_MEASUREMENTS,
	  "extensible measurements (44239)" },
	{ SEEN_PUBKEY_HASH, CCA_REALM_PUB_KEY_HASH_ALGO_ID,
	  "public key hash algorithm (44240)" },
	{ SEEN_PROFILE, CCA_REALM_PROFILE, "profile (265)" },
};

#define REQUIRED_CLAIMS (SEEN_CHALLENGE | SEEN_RPV | SEEN_HASH | SEEN_PUBKEY | \
			 SEEN_RIM | SEEN_REMS | SEEN_PUBKEY_HASH)

static int want_bstr(struct cca_token *tok, const struct cbor_item *it,
		     const char *name, struct cca_bytes *out)
{
	if (it->major != CBOR_BSTR)
		return tok_err(tok, "realm token: %s is not a byte string",
			       name);
	out->ptr = it->ptr;
	out->len = it->len;
	return 0;
}

static int parse_rems(struct cca_token *tok, struct cbor_dec *d,
		      const struct cbor_item *arr, const char *name)
{
	struct cbor_item it;
	unsigned int i;

	if (arr->major != CBOR_ARRAY || arr->len != CCA_NR_REMS)
		return tok_err(tok, "realm token: %s is not an array of %d",
			       name, CCA_NR_REMS);
	for (i = 0; i < CCA_NR_REMS; i++) {
		if (cbor_next(d, &it) < 0)
			return cbor_err(tok, d, "realm token");
		if (want_bstr(tok, &it, name, &tok->rem[i]) < 0)
			return -1;
	}
	return 0;
}

static int parse_realm_claims(struct cca_token *tok)
{
	struct cbor_dec d;
	struct cbor_item map, it;
	unsigned int seen = 0, idx, i;
	uint64_t n;
	int64_t key;
	int r;

	cbor_init(&d, tok->realm.payload.ptr, tok->realm.payload.len);
	if (cbor_next(&d, &map) < 0)
		return cbor_err(tok, &d, "realm token claims");
	if (map.major != CBOR_MAP)
		return tok_err(tok, "realm token: claims are not a CBOR map");

	for (n = 0; n < map.len; n++) {
		const char *name = NULL;

		r = cbor_read_key(&d, &key);
		if (r < 0)
			return cbor_err(tok, &d, "realm token claims");
		for (idx = 0; r == 1 && idx < ARRAY_SIZE(realm_claims); idx++)
			if (realm_claims[idx].key == key)
				break;
		if (r == 0 || idx == ARRAY_SIZE(realm_claims)) {
			/* Claims we do not know are allowed by EAT. */
			if (cbor_skip(&d, 1) < 0)
				return cbor_err(tok, &d, "realm token claims");
			continue;
		}
		name = realm_claims[idx].name;
		if (seen & realm_claims[idx].bit)
			return tok_err(tok, "realm token: duplicate claim %s",
				       name);
		seen |= realm_claims[idx].bit;
		if (cbor_next(&d, &it) < 0)
			return cbor_err(tok, &d, "realm token claims");

		switch (key) {
		case CCA_REALM_CHALLENGE:
			r = want_bstr(tok, &it, name, &tok->challenge);
			break;
		case CCA_REALM_PERSONALIZATION_VALUE:
			r = want_bstr(tok, &it, name, &tok->rpv);
			break;
		case CCA_REALM_HASH_ALGO_ID:
			r = copy_text(tok, &it, tok->hash_algo,
				      sizeof(tok->hash_algo), name);
			break;
		case CCA_REALM_PUB_KEY:
			r = want_bstr(tok, &it, name, &tok->pub_key);
			break;
		case CCA_REALM_INITIAL_MEASUREMENT:
			r = want_bstr(tok, &it, name, &tok->rim);
			break;
		case CCA_REALM_EXTENSIBLE_MEASUREMENTS:
			r = parse_rems(tok, &d, &it, name);
			break;
		case CCA_REALM_PUB_KEY_HASH_ALGO_ID:
			r = copy_text(tok, &it, tok->pub_key_hash_algo,
				      sizeof(tok->pub_key_hash_algo), name);
			break;
		case CCA_REALM_PROFILE:
			r = copy_text(tok, &it, tok->profile,
				      sizeof(tok->profile), name);
			break;
		default:
			r = -1;
			break;
		}
		if (r < 0)
			return -1;
	}
	if (!cbor_at_end(&d))
		return tok_err(tok, "realm token: trailing bytes after claims");

	for (i = 0; i < ARRAY_SIZE(realm_claims); i++)
		if ((REQUIRED_CLAIMS & realm_claims[i].bit) &&
		    !(seen & realm_claims[i].bit))
			return tok_err(tok, "realm token: missing claim %s",
				       realm_claims[i].name);

	if (tok->challenge.len != CCA_CHALLENGE_SIZE)
		return tok_err(tok, "realm token: challenge is %zu bytes, expected %d",
			       tok->challenge.len, CCA_CHALLENGE_SIZE);
	if (tok->rpv.len != CCA_RPV_SIZE)
		return tok_err(tok, "realm token: personalization value is %zu bytes, expected %d",
			       tok->rpv.len, CCA_RPV_SIZE);
	tok->hash_size = cca_hash_size(tok->hash_algo);
	if (!tok->hash_size)
		return tok_err(tok, "realm token: unknown hash algorithm \"%s\"",
			       tok->hash_algo);
	if (tok->rim.len != tok->hash_size)
		return tok_err(tok, "realm token: initial measurement is %zu bytes, but %s needs %u",
			       tok->rim.len, tok->hash_algo, tok->hash_size);
	for (i = 0; i < CCA_NR_REMS; i++)
		if (tok->rem[i].len != tok->hash_size)
			return tok_err(tok, "realm token: extensible measurement %u is %zu bytes, but %s needs %u",
				       i, tok->rem[i].len, tok->hash_algo,
				       tok->hash_size);
	return 0;
}

/* The platform token is read only for its challenge (the RAK hash). */
static int parse_platform_claims(struct cca_token *tok)
{
	struct cbor_dec d;
	struct cbor_item map, it;
	uint64_t n;
	int64_t key;
	int r;

	cbor_init(&d, tok->platform.payload.ptr, tok->platform.payload.len);
	if (cbor_next(&d, &map) < 0)
		return cbor_err(tok, &d, "platform token claims");
	if (map.major != CBOR_MAP)
		return tok_err(tok, "platform token: claims are not a CBOR map");
	for (n = 0; n < map.len; n++) {
		r = cbor_read_key(&d, &key);
		if (r < 0)
			return cbor_err(tok, &d, "platform token claims");
		if (r == 1 && key == CCA_PLATFORM_CHALLENGE) {
			if (tok->has_platform_challenge)
				return tok_err(tok, "platform token: duplicate claim challenge (10)");
			if (cbor_next(&d, &it) < 0)
				return cbor_err(tok, &d, "platform token claims");
			if (it.major != CBOR_BSTR)
				return tok_err(tok, "platform token: challenge (10) is not a byte string");
			tok->platform_challenge.ptr = it.ptr;
			tok->platform_challenge.len = it.len;
			tok->has_platform_challenge = true;
			continue;
		}
		if (cbor_skip(&d, 1) < 0)
			return cbor_err(tok, &d, "platform token claims");
	}
	if (!cbor_at_end(&d))
		return tok_err(tok, "platform token: trailing bytes after claims");
	return 0;
}

int cca_token_decode(const uint8_t *buf, size_t len, struct cca_token *tok)
{
	struct cbor_dec d;
	struct cbor_item it;
	struct cca_bytes plat = { 0 }, realm = { 0 };
	bool have_plat = false, have_realm = false;
	uint64_t n, pairs;
	int64_t key;
	int r;

	memset(tok, 0, sizeof(*tok));
	cbor_init(&d, buf, len);
	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, "token");
	if (it.major != CBOR_TAG || it.val != CCA_TAG_TOKEN)
		return tok_err(tok, "token: not a CCA token (CBOR tag 399 expected)");
	if (cbor_next(&d, &it) < 0)
		return cbor_err(tok, &d, "token");
	if (it.major != CBOR_MAP)
		return tok_err(tok, "token: collection is not a CBOR map");
	pairs = it.len;
	for (n = 0; n < pairs; n++) {
		struct cca_bytes *slot;
		bool *have;

		r = cbor_read_key(&d, &key);
		if (r < 0)
			return cbor_err(tok, &d, "token");
		if (r == 1 && key == CCA_PLATFORM_TOKEN) {
			slot = &plat;
			have = &have_plat;
		} else if (r == 1 && key == CCA_REALM_DELEGATED_TOKEN) {
			slot = &realm;
			have = &have_realm;
		} else {
			if (cbor_skip(&d, 1) < 0)
				return cbor_err(tok, &d, "token");
			continue;
		}
		if (*have)
			return tok_err(tok, "token: duplicate key %lld in collection",
				       (long long)key);
		if (cbor_next(&d, &it) < 0)
			return cbor_err(tok, &d, "token");
		if (it.major != CBOR_BSTR)
			return tok_err(tok, "token: %s token is not a byte string",
				       key == CCA_PLATFORM_TOKEN ? "platform" :
				       "realm");
		slot->ptr = it.ptr;
		slot->len = it.len;
		*have = true;
	}
	if (!cbor_at_end(&d))
		return tok_err(tok, "token: trailing bytes after the collection");
	if (!have_plat)
		return tok_err(tok, "token: platform token (44234) missing");
	if (!have_realm)
		return tok_err(tok, "token: realm delegated token (44241) missing");

	if (parse_sign1(tok, &plat, &tok->platform, "platform token") < 0 ||
	    parse_sign1(tok, &realm, &tok->realm, "realm token") < 0)
		return -1;
	if (parse_realm_claims(tok) < 0)
		return -1;
	return parse_platform_claims(tok);
}
