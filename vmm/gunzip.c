/*
 * Streaming zlib inflate bounded by a caller-given cap.  Input is read in
 * 64 KiB chunks; output goes to the caller's destination or, past it (and
 * when only counting), to a 64 KiB scratch buffer that is counted and
 * thrown away.  So the cap is checked before any memory is committed to a
 * hostile stream: a 10 MB file claiming 10 GiB costs 128 KiB and the
 * time to inflate cap bytes.  Concatenated members are accepted because
 * gzip(1) produces and accepts them; anything else after the end of a
 * member is refused, since a silently ignored tail would be measured
 * nowhere.
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

#define GZ_CHUNK	(64U << 10)
/* zlib counts in uInt; hand it at most this much of a buffer at once. */
#define ZCHUNK		(1U << 30)

enum gz_mode {
	GZ_HEAD,	/* stop once dst is full */
	GZ_COUNT,	/* no destination: count up to cap */
	GZ_TO,		/* exactly cap bytes into dst */
};

struct gz {
	const struct gz_source *src;
	z_stream zs;
	uint8_t *in;		/* GZ_CHUNK of file bytes, from in_off */
	uint8_t *scratch;	/* GZ_CHUNK of discarded output */
	uint64_t in_off;	/* file offset of in[0] */
	uint64_t in_end;	/* file offset after the bytes in in[] */
	uint64_t in_done;	/* input bytes zlib has consumed */
};

/* Point zlib at the next input: at least 2 bytes (a magic) if any remain. */
static int gz_feed(struct gz *g)
{
	const struct gz_source *s = g->src;
	uint64_t keep, n;

	if (s->fd < 0) {
		g->zs.next_in = (Bytef *)(s->buf + g->in_done);
		g->zs.avail_in = (uInt)MIN(s->size - g->in_done,
					   (uint64_t)ZCHUNK);
		return 0;
	}
	keep = g->in_end - g->in_done;
	if (keep < 2 && g->in_end < s->size) {
		memmove(g->in, g->in + (g->in_done - g->in_off), keep);
		g->in_off = g->in_done;
		n = MIN((uint64_t)GZ_CHUNK - keep, s->size - g->in_end);
		if (pread_full(s->fd, g->in + keep, n, g->in_end, s->what,
			       s->path))
			return -1;
		g->in_end += n;
	}
	g->zs.next_in = g->in + (g->in_done - g->in_off);
	g->zs.avail_in = (uInt)(g->in_end - g->in_done);
	return 0;
}

/* The bytes from in_done on, at most len of them (for the magic check). */
static const uint8_t *gz_peek(struct gz *g, uint64_t *len)
{
	*len = g->zs.avail_in;
	return g->zs.next_in;
}

static int gz_run(const struct gz_source *src, enum gz_mode mode,
		  uint8_t *dst, uint64_t cap, uint64_t *out)
{
	struct gz g;
	uint64_t done = 0;
	int ret = -1, zret;

	memset(&g, 0, sizeof(g));
	g.src = src;
	g.scratch = malloc(GZ_CHUNK);
	g.in = src->fd >= 0 ? malloc(GZ_CHUNK) : NULL;
	if (!g.scratch || (src->fd >= 0 && !g.in)) {
		free(g.scratch);
		free(g.in);
		return pr_err("%s %s: out of memory decompressing",
			      src->what, src->path);
	}
	/* 16 + MAX_WBITS: gzip wrapper only, with its CRC and length check. */
	if (inflateInit2(&g.zs, 16 + MAX_WBITS) != Z_OK) {
		free(g.scratch);
		free(g.in);
		return pr_err("%s %s: cannot initialise zlib", src->what,
			      src->path);
	}
	for (;;) {
		uInt ain, aout;
		uint64_t rest;
		const uint8_t *p;

		if (mode == GZ_HEAD && done == cap)
			break;
		if (gz_feed(&g))
			goto out;
		/* Room is never zero, so no progress means no more input. */
		if (dst && done < cap) {
			g.zs.next_out = dst + done;
			g.zs.avail_out = (uInt)MIN(cap - done,
						   (uint64_t)ZCHUNK);
		} else {
			g.zs.next_out = g.scratch;
			g.zs.avail_out = GZ_CHUNK;
		}
		ain = g.zs.avail_in;
		aout = g.zs.avail_out;
		zret = inflate(&g.zs, Z_NO_FLUSH);
		g.in_done += ain - g.zs.avail_in;
		done += aout - g.zs.avail_out;
		if (done > cap) {
			pr_err(mode == GZ_TO ?
			       "%s %s: changed while being read (inflates past %llu bytes)" :
			       "%s %s: decompresses to more than %llu bytes",
			       src->what, src->path, (unsigned long long)cap);
			goto out;
		}
		if (zret == Z_STREAM_END) {
			if (g.in_done == src->size)
				break;
			if (gz_feed(&g))
				goto out;
			p = gz_peek(&g, &rest);
			if (!is_gzip(p, rest)) {
				pr_err("%s %s: trailing garbage after the gzip stream (%llu bytes)",
				       src->what, src->path,
				       (unsigned long long)(src->size -
							    g.in_done));
				goto out;
			}
			if (inflateReset(&g.zs) != Z_OK) {
				pr_err("%s %s: zlib reset failed", src->what,
				       src->path);
				goto out;
			}
			continue;
		}
		if (zret == Z_BUF_ERROR && g.in_done == src->size) {
			pr_err("%s %s: truncated gzip stream", src->what,
			       src->path);
			goto out;
		}
		if (zret != Z_OK) {
			pr_err("%s %s: corrupt gzip stream: %s", src->what,
			       src->path, g.zs.msg ? g.zs.msg : "inflate failed");
			goto out;
		}
	}
	if (mode == GZ_TO && done != cap) {
		pr_err("%s %s: changed while being read (inflates to %llu bytes, not %llu)",
		       src->what, src->path, (unsigned long long)done,
		       (unsigned long long)cap);
		goto out;
	}
	*out = done;
	ret = 0;
out:
	inflateEnd(&g.zs);
	free(g.scratch);
	free(g.in);
	return ret;
}

int gunzip_head(const struct gz_source *src, uint8_t *head, size_t head_len,
		size_t *got)
{
	uint64_t n;

	if (gz_run(src, GZ_HEAD, head, head_len, &n))
		return -1;
	*got = n;
	return 0;
}

int gunzip_count(const struct gz_source *src, uint64_t max, uint64_t *len)
{
	return gz_run(src, GZ_COUNT, NULL, max, len);
}

int gunzip_to(const struct gz_source *src, uint8_t *dst, uint64_t len)
{
	uint64_t n;

	return gz_run(src, GZ_TO, dst, len, &n);
}

int gunzip_buffer(const uint8_t *in, size_t in_len, size_t max,
		  const char *what, const char *path,
		  uint8_t **out, size_t *out_len)
{
	struct gz_source src = {
		.fd = -1, .size = in_len, .buf = in, .what = what, .path = path,
	};
	uint64_t len;
	uint8_t *buf;

	if (gunzip_count(&src, max, &len))
		return -1;
	buf = malloc(len ? len : 1);
	if (!buf)
		return pr_err("%s %s: out of memory decompressing", what, path);
	if (gunzip_to(&src, buf, len)) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = len;
	return 0;
}
