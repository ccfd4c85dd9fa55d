/*
 * Strict number and size parsing for the command line.
 */
#include <stddef.h>

#include "vmm/size_parse.h"
#include "vmm/util.h"

static int digit_value(char c, unsigned int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < (int)base ? v : -1;
}

/* Parse the digits of s; *end gets the first character after them. */
static int parse_digits(const char *s, uint64_t *out, const char **end)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *p = s;
	int d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p, base) < 0)
		return -1;
	while ((d = digit_value(*p, base)) >= 0) {
		if (!mul_ok(v, base, &v) || !add_ok(v, (uint64_t)d, &v))
			return -1;
		p++;
	}
	*out = v;
	*end = p;
	return 0;
}

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	const char *end;
	uint64_t v;

	if (!s || parse_digits(s, &v, &end) || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_size(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v, mult;

	if (!s || parse_digits(s, &v, &end))
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		mult = 1ULL << 10;
		break;
	case '\0':	/* lkvm -m: a bare number is MiB */
	case 'm':
	case 'M':
		mult = 1ULL << 20;
		break;
	case 'g':
	case 'G':
		mult = 1ULL << 30;
		break;
	case 't':
	case 'T':
		mult = 1ULL << 40;
		break;
	default:
		return -1;
	}
	if (*end && end[1])
		return -1;
	if (!v || !mul_ok(v, mult, &v))
		return -1;
	*out = v;
	return 0;
}
