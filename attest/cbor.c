/*
 * Strict, allocation-free CBOR reader.  The input is attacker-controlled
 * (the token travels through the untrusted host on its way to a
 * verifier), so every length is compared with the bytes left before it is
 * used, and recursion is bounded by CBOR_MAX_DEPTH.
 */
#include <string.h>

#include "attest/cbor.h"

void cbor_init(struct cbor_dec *d, const uint8_t *buf, size_t len)
{
	d->p = buf;
	d->end = buf + len;
	d->err = NULL;
}

static int cbor_fail(struct cbor_dec *d, const char *why)
{
	if (!d->err)
		d->err = why;
	return -1;
}

static size_t left(const struct cbor_dec *d)
{
	return (size_t)(d->end - d->p);
}

int cbor_next(struct cbor_dec *d, struct cbor_item *it)
{
	uint8_t ib, ai;
	uint64_t arg = 0;
	unsigned int n, i;

	if (d->err)
		return -1;
	if (!left(d))
		return cbor_fail(d, "truncated CBOR (item expected)");
	ib = *d->p++;
	it->major = ib >> 5;
	ai = ib & 0x1f;
	it->ptr = NULL;
	it->len = 0;

	if (ai < 24) {
		arg = ai;
	} else if (ai <= 27) {
		n = 1u << (ai - 24);
		if (left(d) < n)
			return cbor_fail(d, "truncated CBOR (item head)");
		for (i = 0; i < n; i++)
			arg = (arg << 8) | *d->p++;
	} else if (ai == 31) {
		/* The CCA token format is definite-length throughout. */
		return cbor_fail(d, "indefinite-length CBOR item not accepted");
	} else {
		return cbor_fail(d, "reserved CBOR additional information value");
	}
	it->val = arg;

	switch (it->major) {
	case CBOR_BSTR:
	case CBOR_TSTR:
		if (arg > left(d))
			return cbor_fail(d, "CBOR string runs past the end");
		it->ptr = d->p;
		it->len = arg;
		d->p += arg;
		break;
	case CBOR_ARRAY:
		/* Each element needs at least one byte. */
		if (arg > left(d))
			return cbor_fail(d, "CBOR array longer than its input");
		it->len = arg;
		break;
	case CBOR_MAP:
		/* Each pair needs at least two bytes. */
		if (arg > left(d) / 2)
			return cbor_fail(d, "CBOR map longer than its input");
		it->len = arg;
		break;
	case CBOR_SIMPLE:
		/* One-byte simple values below 32 are not well-formed. */
		if (ai == 24 && arg < 32)
			return cbor_fail(d, "badly encoded CBOR simple value");
		break;
	default:
		break;
	}
	return 0;
}

int cbor_expect(struct cbor_dec *d, enum cbor_major major,
		struct cbor_item *it, const char *what)
{
	if (cbor_next(d, it) < 0)
		return -1;
	if (it->major != major)
		return cbor_fail(d, what);
	return 0;
}

int cbor_skip_children(struct cbor_dec *d, const struct cbor_item *it,
		       unsigned int depth)
{
	uint64_t i, n;

	switch (it->major) {
	case CBOR_ARRAY:
	case CBOR_MAP:
	case CBOR_TAG:
		break;
	default:
		return d->err ? -1 : 0;
	}
	if (depth >= CBOR_MAX_DEPTH)
		return cbor_fail(d, "CBOR nested too deeply");
	if (it->major == CBOR_TAG)
		return cbor_skip(d, depth + 1);
	n = it->major == CBOR_MAP ? it->len * 2 : it->len;
	for (i = 0; i < n; i++)
		if (cbor_skip(d, depth + 1) < 0)
			return -1;
	return 0;
}

int cbor_skip(struct cbor_dec *d, unsigned int depth)
{
	struct cbor_item it;

	if (depth > CBOR_MAX_DEPTH)
		return cbor_fail(d, "CBOR nested too deeply");
	if (cbor_next(d, &it) < 0)
		return -1;
	return cbor_skip_children(d, &it, depth);
}

int cbor_read_key(struct cbor_dec *d, int64_t *key)
{
	struct cbor_item it;

	if (cbor_next(d, &it) < 0)
		return -1;
	switch (it.major) {
	case CBOR_UINT:
		if (it.val > INT64_MAX)
			return cbor_fail(d, "CBOR map key out of range");
		*key = (int64_t)it.val;
		return 1;
	case CBOR_NEGINT:
		if (it.val > INT64_MAX)
			return cbor_fail(d, "CBOR map key out of range");
		*key = -1 - (int64_t)it.val;
		return 1;
	case CBOR_TSTR:
		return 0;
	default:
		return cbor_fail(d, "CBOR map key is neither integer nor text");
	}
}
