/*
 * 9P2000.L message codec (see p9_codec.h).  The guest writes the bytes,
 * so the reader refuses any field that would run past the message, any
 * count that is not backed by bytes, and any bytes left over; nothing is
 * ever read from outside [msg, msg + len).
 */
#include <errno.h>
#include <string.h>

#include "devices/p9_codec.h"

struct p9_reader {
	const uint8_t *p;
	size_t len;
	size_t off;
	bool err;		/* sticks: later reads return zeros */
	bool nul;		/* a string held a NUL byte */
};

static const uint8_t *take(struct p9_reader *r, size_t n)
{
	const uint8_t *p;

	if (r->err || n > r->len - r->off) {
		r->err = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint8_t get_u8(struct p9_reader *r)
{
	const uint8_t *p = take(r, 1);

	return p ? p[0] : 0;
}

static uint16_t get_u16(struct p9_reader *r)
{
	const uint8_t *p = take(r, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static uint32_t get_u32(struct p9_reader *r)
{
	const uint8_t *p = take(r, 4);

	return p ? p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24 : 0;
}

static uint64_t get_u64(struct p9_reader *r)
{
	uint64_t lo = get_u32(r);

	return lo | (uint64_t)get_u32(r) << 32;
}

/* A string: len[2] then bytes.  One with a NUL is refused by p9_decode. */
static struct p9_str get_str(struct p9_reader *r)
{
	struct p9_str s = { .s = "", .len = 0 };
	uint16_t n = get_u16(r);
	const uint8_t *p = take(r, n);

	if (!p)
		return s;
	if (memchr(p, '\0', n))
		r->nul = true;
	s.s = (const char *)p;
	s.len = n;
	return s;
}

int p9_peek_header(const uint8_t *msg, size_t len, uint32_t *size,
		   uint8_t *type, uint16_t *tag)
{
	if (!msg || len < P9_HDR_SIZE)
		return -1;
	*size = msg[0] | msg[1] << 8 | msg[2] << 16 | (uint32_t)msg[3] << 24;
	*type = msg[4];
	*tag = (uint16_t)(msg[5] | msg[6] << 8);
	return 0;
}

static int decode_walk(struct p9_reader *r, struct p9_req *q)
{
	unsigned int i;

	q->walk.newfid = get_u32(r);
	q->walk.nwname = get_u16(r);
	if (q->walk.nwname > P9_MAXWELEM)
		return EINVAL;
	for (i = 0; i < q->walk.nwname; i++)
		q->walk.wname[i] = get_str(r);
	return 0;
}

static void decode_lock(struct p9_reader *r, struct p9_req *q, bool full)
{
	q->lock.type = get_u8(r);
	q->lock.flags = full ? get_u32(r) : 0;
	q->lock.start = get_u64(r);
	q->lock.length = get_u64(r);
	q->lock.proc_id = get_u32(r);
	q->lock.client_id = get_str(r);
}

static int decode_body(struct p9_reader *r, struct p9_req *q)
{
	switch (q->type) {
	case P9_TVERSION:
		q->version.msize = get_u32(r);
		q->version.version = get_str(r);
		return 0;
	case P9_TAUTH:
		q->fid = get_u32(r);		/* afid */
		q->attach.afid = q->fid;
		q->attach.uname = get_str(r);
		q->attach.aname = get_str(r);
		q->attach.n_uname = get_u32(r);
		return 0;
	case P9_TATTACH:
		q->fid = get_u32(r);
		q->attach.afid = get_u32(r);
		q->attach.uname = get_str(r);
		q->attach.aname = get_str(r);
		q->attach.n_uname = get_u32(r);
		return 0;
	case P9_TFLUSH:
		q->flush.oldtag = get_u16(r);
		return 0;
	}

	/* Everything else starts with a fid. */
	q->fid = get_u32(r);
	switch (q->type) {
	case P9_TWALK:
		return decode_walk(r, q);
	case P9_TREAD:
	case P9_TREADDIR:
		q->io.offset = get_u64(r);
		q->io.count = get_u32(r);
		return 0;
	case P9_TWRITE:
		q->io.offset = get_u64(r);
		q->io.count = get_u32(r);
		q->io.data = take(r, q->io.count);
		return 0;
	case P9_TCLUNK:
	case P9_TREMOVE:
	case P9_TSTATFS:
	case P9_TREADLINK:
		return 0;
	case P9_TLOPEN:
		q->lopen.flags = get_u32(r);
		return 0;
	case P9_TLCREATE:
		q->lcreate.name = get_str(r);
		q->lcreate.flags = get_u32(r);
		q->lcreate.mode = get_u32(r);
		q->lcreate.gid = get_u32(r);
		return 0;
	case P9_TSYMLINK:
		q->symlink.name = get_str(r);
		q->symlink.target = get_str(r);
		q->symlink.gid = get_u32(r);
		return 0;
	case P9_TMKNOD:
		q->mknod.name = get_str(r);
		q->mknod.mode = get_u32(r);
		q->mknod.major = get_u32(r);
		q->mknod.minor = get_u32(r);
		q->mknod.gid = get_u32(r);
		return 0;
	case P9_TRENAME:
		q->rename.dfid = get_u32(r);
		q->rename.name = get_str(r);
		return 0;
	case P9_TGETATTR:
		q->getattr.mask = get_u64(r);
		return 0;
	case P9_TSETATTR:
		q->setattr.valid = get_u32(r);
		q->setattr.mode = get_u32(r);
		q->setattr.uid = get_u32(r);
		q->setattr.gid = get_u32(r);
		q->setattr.size = get_u64(r);
		q->setattr.atime_sec = get_u64(r);
		q->setattr.atime_nsec = get_u64(r);
		q->setattr.mtime_sec = get_u64(r);
		q->setattr.mtime_nsec = get_u64(r);
		return 0;
	case P9_TXATTRWALK:
		q->xattrwalk.newfid = get_u32(r);
		q->xattrwalk.name = get_str(r);
		return 0;
	case P9_TXATTRCREATE:
		q->xattrcreate.name = get_str(r);
		q->xattrcreate.size = get_u64(r);
		q->xattrcreate.flags = get_u32(r);
		return 0;
	case P9_TFSYNC:
		q->fsync.datasync = get_u32(r);
		return 0;
	case P9_TLOCK:
		decode_lock(r, q, true);
		return 0;
	case P9_TGETLOCK:
		decode_lock(r, q, false);
		return 0;
	case P9_TLINK:
		q->link.fid = get_u32(r);
		q->link.name = get_str(r);
		return 0;
	case P9_TMKDIR:
		q->mkdir.name = get_str(r);
		q->mkdir.mode = get_u32(r);
		q->mkdir.gid = get_u32(r);
		return 0;
	case P9_TRENAMEAT:
		q->renameat.oldname = get_str(r);
		q->renameat.newdirfid = get_u32(r);
		q->renameat.newname = get_str(r);
		return 0;
	case P9_TUNLINKAT:
		q->unlinkat.name = get_str(r);
		q->unlinkat.flags = get_u32(r);
		return 0;
	}
	return EOPNOTSUPP;
}

int p9_decode(const uint8_t *msg, size_t len, struct p9_req *q)
{
	struct p9_reader r = { .p = msg, .len = len };
	uint32_t size;
	int ret;

	memset(q, 0, sizeof(*q));
	if (p9_peek_header(msg, len, &size, &q->type, &q->tag))
		return EPROTO;
	if (size != len)
		return EPROTO;
	r.off = P9_HDR_SIZE;
	ret = decode_body(&r, q);
	if (ret)
		return ret;
	if (r.err || r.off != r.len)
		return EPROTO;
	if (r.nul)
		return EINVAL;
	return 0;
}

bool p9_name_ok(const struct p9_str *s)
{
	if (!s->len || s->len > P9_NAME_MAX)
		return false;
	if (memchr(s->s, '/', s->len) || memchr(s->s, '\0', s->len))
		return false;
	if ((s->len == 1 && s->s[0] == '.') ||
	    (s->len == 2 && s->s[0] == '.' && s->s[1] == '.'))
		return false;
	return true;
}

void p9_begin(struct p9_writer *w, uint8_t *buf, size_t cap, uint8_t type,
	      uint16_t tag)
{
	w->buf = buf;
	w->cap = cap;
	w->off = 0;
	w->err = false;
	p9_put_u32(w, 0);		/* size, set by p9_finish() */
	p9_put_u8(w, type);
	p9_put_u16(w, tag);
}

uint8_t *p9_reserve(struct p9_writer *w, size_t len)
{
	uint8_t *p;

	if (w->err || len > w->cap - w->off) {
		w->err = true;
		return NULL;
	}
	p = w->buf + w->off;
	w->off += len;
	return p;
}

void p9_put_bytes(struct p9_writer *w, const void *src, size_t len)
{
	uint8_t *p = p9_reserve(w, len);

	if (p && len)
		memcpy(p, src, len);
}

void p9_put_u8(struct p9_writer *w, uint8_t v)
{
	p9_put_bytes(w, &v, 1);
}

void p9_put_u16(struct p9_writer *w, uint16_t v)
{
	uint8_t b[2] = { v, v >> 8 };

	p9_put_bytes(w, b, 2);
}

void p9_put_u32(struct p9_writer *w, uint32_t v)
{
	uint8_t b[4] = { v, v >> 8, v >> 16, v >> 24 };

	p9_put_bytes(w, b, 4);
}

void p9_put_u64(struct p9_writer *w, uint64_t v)
{
	p9_put_u32(w, (uint32_t)v);
	p9_put_u32(w, (uint32_t)(v >> 32));
}

void p9_put_str(struct p9_writer *w, const char *s, size_t len)
{
	if (len > UINT16_MAX) {
		w->err = true;
		return;
	}
	p9_put_u16(w, (uint16_t)len);
	p9_put_bytes(w, s, len);
}

void p9_put_qid(struct p9_writer *w, const struct p9_qid *q)
{
	p9_put_u8(w, q->type);
	p9_put_u32(w, q->version);
	p9_put_u64(w, q->path);
}

size_t p9_finish(struct p9_writer *w)
{
	size_t len = w->off;

	if (w->err || len > UINT32_MAX)
		return 0;
	w->buf[0] = len;
	w->buf[1] = len >> 8;
	w->buf[2] = len >> 16;
	w->buf[3] = len >> 24;
	return len;
}

size_t p9_encode_error(uint8_t *buf, size_t cap, uint16_t tag,
		       uint32_t ecode)
{
	struct p9_writer w;

	p9_begin(&w, buf, cap, P9_RLERROR, tag);
	p9_put_u32(&w, ecode);
	return p9_finish(&w);
}
