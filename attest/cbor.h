/*
 * A small, strict CBOR (RFC 8949) reader for attestation tokens.  It never
 * allocates and never trusts a length: every item is checked against the
 * bytes that remain, nesting is bounded, and indefinite lengths are
 * refused because the CCA token format never uses them.  Why we have our
 * own instead of libcbor: docs/realm-check.md.
 */
#ifndef REALMVM_ATTEST_CBOR_H
#define REALMVM_ATTEST_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Major types (RFC 8949 section 3.1). */
enum cbor_major {
	CBOR_UINT = 0,
	CBOR_NEGINT = 1,
	CBOR_BSTR = 2,
	CBOR_TSTR = 3,
	CBOR_ARRAY = 4,
	CBOR_MAP = 5,
	CBOR_TAG = 6,
	CBOR_SIMPLE = 7,	/* simple values and floats */
};

/* Deepest nesting cbor_skip() follows; a token needs about six. */
#define CBOR_MAX_DEPTH	16

/* A window on input bytes; err keeps the first problem found. */
struct cbor_dec {
	const uint8_t *p;
	const uint8_t *end;
	const char *err;
};

/*
 * One item head.  For byte and text strings the content has been checked
 * to fit and consumed: ptr/len give it.  For arrays and maps len is the
 * number of elements (pairs for maps), already checked to be plausible
 * against the remaining bytes; the elements themselves follow in the
 * decoder.  For tags val is the tag number and the tagged item follows.
 */
struct cbor_item {
	enum cbor_major major;
	uint64_t val;		/* uint value, -1-n argument, tag, simple */
	const uint8_t *ptr;	/* strings only */
	uint64_t len;		/* strings: bytes; array: items; map: pairs */
};

void cbor_init(struct cbor_dec *d, const uint8_t *buf, size_t len);
static inline bool cbor_at_end(const struct cbor_dec *d)
{
	return d->p == d->end;
}

/* Read one item head; -1 with d->err set on malformed input. */
int cbor_next(struct cbor_dec *d, struct cbor_item *it);
/* Read one head and require the given major type. */
int cbor_expect(struct cbor_dec *d, enum cbor_major major,
		struct cbor_item *it, const char *what);
/* Skip the rest of an item whose head was just read (children only). */
int cbor_skip_children(struct cbor_dec *d, const struct cbor_item *it,
		       unsigned int depth);
/* Skip one whole item. */
int cbor_skip(struct cbor_dec *d, unsigned int depth);

/*
 * Read a map key.  Returns 1 with *key set for an integer key that fits
 * int64_t, 0 for a text key (consumed; CCA claims never use them, so the
 * caller skips the value), -1 for anything else.
 */
int cbor_read_key(struct cbor_dec *d, int64_t *key);

#endif
