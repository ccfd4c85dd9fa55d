/*
 * Fuzz the 9P2000.L message decoder (devices/p9_codec.c) with whatever a
 * guest could put in a virtio-9p request.  The input is copied into an
 * exact-size heap block, so ASan flags any read past the message; every
 * string, name and write payload the decoder hands out must also lie
 * inside it.  The name checker and the reply writer run on the decoded
 * fields, with a reply buffer of a size the input chooses.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devices/p9_codec.h"

static const uint8_t *lo, *hi;

static void in_msg(const void *p, size_t len)
{
	const uint8_t *b = p;

	if (!len)
		return;
	if (b < lo || b > hi || len > (size_t)(hi - b))
		abort();
}

static void check_str(const struct p9_str *s)
{
	in_msg(s->s, s->len);
	if (memchr(s->s, '\0', s->len))
		abort();	/* p9_decode refuses NULs */
	(void)p9_name_ok(s);
}

static void check(const struct p9_req *q)
{
	unsigned int i;

	switch (q->type) {
	case P9_TVERSION:
		check_str(&q->version.version);
		break;
	case P9_TAUTH:
	case P9_TATTACH:
		check_str(&q->attach.uname);
		check_str(&q->attach.aname);
		break;
	case P9_TWALK:
		if (q->walk.nwname > P9_MAXWELEM)
			abort();
		for (i = 0; i < q->walk.nwname; i++)
			check_str(&q->walk.wname[i]);
		break;
	case P9_TWRITE:
		in_msg(q->io.data, q->io.count);
		break;
	case P9_TLCREATE:
		check_str(&q->lcreate.name);
		break;
	case P9_TSYMLINK:
		check_str(&q->symlink.name);
		check_str(&q->symlink.target);
		break;
	case P9_TMKNOD:
		check_str(&q->mknod.name);
		break;
	case P9_TRENAME:
		check_str(&q->rename.name);
		break;
	case P9_TXATTRWALK:
		check_str(&q->xattrwalk.name);
		break;
	case P9_TXATTRCREATE:
		check_str(&q->xattrcreate.name);
		break;
	case P9_TLOCK:
	case P9_TGETLOCK:
		check_str(&q->lock.client_id);
		break;
	case P9_TLINK:
		check_str(&q->link.name);
		break;
	case P9_TMKDIR:
		check_str(&q->mkdir.name);
		break;
	case P9_TRENAMEAT:
		check_str(&q->renameat.oldname);
		check_str(&q->renameat.newname);
		break;
	case P9_TUNLINKAT:
		check_str(&q->unlinkat.name);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *msg, reply[512];
	struct p9_writer w;
	struct p9_req q;
	size_t cap;
	int ret;

	if (size > P9_MSIZE_MAX)
		return 0;
	msg = malloc(size ? size : 1);
	if (!msg)
		return 0;
	memcpy(msg, data, size);
	lo = msg;
	hi = msg + size;
	ret = p9_decode(msg, size, &q);
	if (!ret) {
		check(&q);
		/* Echo the strings into a reply of an input-chosen size. */
		cap = size ? data[size - 1] : 0;
		p9_begin(&w, reply, cap, q.type + 1, q.tag);
		if (q.type == P9_TWALK && q.walk.nwname)
			p9_put_str(&w, q.walk.wname[0].s, q.walk.wname[0].len);
		if (q.type == P9_TWRITE)
			p9_put_bytes(&w, q.io.data, q.io.count);
		if (p9_finish(&w) > cap)
			abort();
	} else if (ret != EPROTO && ret != EINVAL && ret != EOPNOTSUPP) {
		abort();
	}
	if (p9_encode_error(reply, sizeof(reply), q.tag, (uint32_t)ret) !=
	    11)
		abort();
	free(msg);
	return 0;
}
