/*
 * zlib inflate into a growing buffer bounded by a caller-given cap.
 * Concatenated members are accepted because gzip(1) produces and accepts
 * them; anything else after the end of a member is refused, since a
 * silently ignored tail would still be measured nowhere.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "vmm/gunzip.h"
#include "vmm/util.h"

bool is_gzip(const uint8_t *buf, size_t len)
{
	return len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

/* zlib counts in uInt; feed it at most this much at once. */
#define ZCHUNK	(1U << 30)

int gunzip_buffer(const uint8_t *in, size_t in_len, size_t max,
		  const char *what, const char *path,
		  uint8_t **out, size_t *out_len)
{
	z_stream zs;
	uint8_t *buf = NULL, *nbuf;
	size_t cap = 0, done = 0, in_done = 0;
	/* One spare byte tells "exactly max" from "more than max". */
	size_t limit = max < SIZE_MAX ? max + 1 : max;
	int ret;

	memset(&zs, 0, sizeof(zs));
	/* 16 + MAX_WBITS: gzip wrapper only, with its CRC and length check. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return pr_err("%s %s: cannot initialise zlib", what, path);

	for (;;) {
		if (done == cap) {
			size_t ncap;

			if (cap >= limit) {
				pr_err("%s %s: decompresses to more than %zu bytes",
				       what, path, max);
				goto fail;
			}
			ncap = cap ? (cap > limit / 2 ? limit : cap * 2) :
				     MIN(limit, MAX(in_len * 4, (size_t)SZ_1M));
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				pr_err("%s %s: out of memory decompressing",
				       what, path);
				goto fail;
			}
			buf = nbuf;
			cap = ncap;
		}
		zs.next_in = (Bytef *)(in + in_done);
		zs.avail_in = (uInt)MIN(in_len - in_done, (size_t)ZCHUNK);
		zs.next_out = buf + done;
		zs.avail_out = (uInt)MIN(cap - done, (size_t)ZCHUNK);
		{
			uInt ain = zs.avail_in, aout = zs.avail_out;

			ret = inflate(&zs, Z_NO_FLUSH);
			in_done += ain - zs.avail_in;
			done += aout - zs.avail_out;
		}
		if (ret == Z_STREAM_END) {
			if (in_done == in_len)
				break;
			if (!is_gzip(in + in_done, in_len - in_done)) {
				pr_err("%s %s: trailing garbage after the gzip stream (%zu bytes)",
				       what, path, in_len - in_done);
				goto fail;
			}
			if (inflateReset(&zs) != Z_OK) {
				pr_err("%s %s: zlib reset failed", what, path);
				goto fail;
			}
			continue;
		}
		/* Output room was never zero: no progress means no input. */
		if (ret == Z_BUF_ERROR && in_done == in_len) {
			pr_err("%s %s: truncated gzip stream", what, path);
			goto fail;
		}
		if (ret != Z_OK) {
			pr_err("%s %s: corrupt gzip stream: %s", what, path,
			       zs.msg ? zs.msg : "inflate failed");
			goto fail;
		}
	}
	if (done > max) {
		pr_err("%s %s: decompresses to more than %zu bytes", what,
		       path, max);
		goto fail;
	}
	inflateEnd(&zs);
	*out = buf;
	*out_len = done;
	return 0;
fail:
	inflateEnd(&zs);
	free(buf);
	return -1;
}
