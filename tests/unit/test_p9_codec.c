/*
 * Unit tests for the 9P2000.L codec: every T-message decodes field by
 * field from bytes laid out by hand per the 9P2000.L protocol text, and
 * malformed messages (short, long, cut strings, NULs, too many walk
 * elements, a write count past the end) are refused with the errno the
 * server puts in its Rlerror.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "devices/p9_codec.h"

/* Little-endian message builder, independent of the codec's writer. */
struct msg {
	uint8_t b[1024];
	size_t n;
};

static void m8(struct msg *m, uint8_t v) { m->b[m->n++] = v; }
static void m16(struct msg *m, uint16_t v) { m8(m, v); m8(m, v >> 8); }
static void m32(struct msg *m, uint32_t v) { m16(m, v); m16(m, v >> 16); }
static void m64(struct msg *m, uint64_t v) { m32(m, v); m32(m, v >> 32); }
static void mstr(struct msg *m, const char *s)
{
	m16(m, (uint16_t)strlen(s));
	memcpy(m->b + m->n, s, strlen(s));
	m->n += strlen(s);
}

static void mbegin(struct msg *m, uint8_t type, uint16_t tag)
{
	m->n = 0;
	m32(m, 0);
	m8(m, type);
	m16(m, tag);
}

/* Set the size field to the bytes written (plus delta, to break it). */
static size_t mend(struct msg *m, int delta)
{
	uint32_t size = (uint32_t)((int)m->n + delta);

	m->b[0] = size;
	m->b[1] = size >> 8;
	m->b[2] = size >> 16;
	m->b[3] = size >> 24;
	return m->n;
}

static bool str_is(const struct p9_str *s, const char *want)
{
	return s->len == strlen(want) && !memcmp(s->s, want, s->len);
}

static void test_version_attach(void **state)
{
	struct p9_req q;
	struct msg m;

	(void)state;
	mbegin(&m, P9_TVERSION, P9_NOTAG);
	m32(&m, 131072);
	mstr(&m, "9P2000.L");
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.type, P9_TVERSION);
	assert_int_equal(q.tag, P9_NOTAG);
	assert_int_equal(q.version.msize, 131072);
	assert_true(str_is(&q.version.version, "9P2000.L"));

	mbegin(&m, P9_TATTACH, 1);
	m32(&m, 7);
	m32(&m, P9_NOFID);
	mstr(&m, "root");
	mstr(&m, "");
	m32(&m, 0);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.tag, 1);
	assert_int_equal(q.fid, 7);
	assert_int_equal(q.attach.afid, P9_NOFID);
	assert_true(str_is(&q.attach.uname, "root"));
	assert_int_equal(q.attach.aname.len, 0);
}

static void test_walk(void **state)
{
	struct p9_req q;
	struct msg m;
	unsigned int i;

	(void)state;
	mbegin(&m, P9_TWALK, 2);
	m32(&m, 1);
	m32(&m, 2);
	m16(&m, 3);
	mstr(&m, "a");
	mstr(&m, "..");
	mstr(&m, "ccc");
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.fid, 1);
	assert_int_equal(q.walk.newfid, 2);
	assert_int_equal(q.walk.nwname, 3);
	assert_true(str_is(&q.walk.wname[0], "a"));
	assert_true(str_is(&q.walk.wname[1], ".."));
	assert_true(str_is(&q.walk.wname[2], "ccc"));

	/* 17 elements: more than the protocol allows. */
	mbegin(&m, P9_TWALK, 2);
	m32(&m, 1);
	m32(&m, 2);
	m16(&m, P9_MAXWELEM + 1);
	for (i = 0; i <= P9_MAXWELEM; i++)
		mstr(&m, "x");
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EINVAL);

	/* nwname says 2, one is there. */
	mbegin(&m, P9_TWALK, 2);
	m32(&m, 1);
	m32(&m, 2);
	m16(&m, 2);
	mstr(&m, "x");
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EPROTO);
}

static void test_io(void **state)
{
	struct p9_req q;
	struct msg m;

	(void)state;
	mbegin(&m, P9_TWRITE, 3);
	m32(&m, 5);
	m64(&m, 0x123456789aULL);
	m32(&m, 4);
	memcpy(m.b + m.n, "data", 4);
	m.n += 4;
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.fid, 5);
	assert_int_equal(q.io.offset, 0x123456789aULL);
	assert_int_equal(q.io.count, 4);
	assert_memory_equal(q.io.data, "data", 4);
	/* The data must be inside the message. */
	assert_ptr_equal(q.io.data, m.b + P9_HDR_SIZE + 16);

	/* A count that runs past the message. */
	mbegin(&m, P9_TWRITE, 3);
	m32(&m, 5);
	m64(&m, 0);
	m32(&m, 0xffffffff);
	m32(&m, 0);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EPROTO);

	mbegin(&m, P9_TREADDIR, 4);
	m32(&m, 9);
	m64(&m, 77);
	m32(&m, 8192);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.io.offset, 77);
	assert_int_equal(q.io.count, 8192);
}

static void test_create_and_friends(void **state)
{
	struct p9_req q;
	struct msg m;

	(void)state;
	mbegin(&m, P9_TLCREATE, 5);
	m32(&m, 1);
	mstr(&m, "new");
	m32(&m, 02);
	m32(&m, 0644);
	m32(&m, 100);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_true(str_is(&q.lcreate.name, "new"));
	assert_int_equal(q.lcreate.flags, 02);
	assert_int_equal(q.lcreate.mode, 0644);
	assert_int_equal(q.lcreate.gid, 100);

	mbegin(&m, P9_TRENAMEAT, 6);
	m32(&m, 1);
	mstr(&m, "old");
	m32(&m, 2);
	mstr(&m, "new");
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.fid, 1);
	assert_true(str_is(&q.renameat.oldname, "old"));
	assert_int_equal(q.renameat.newdirfid, 2);
	assert_true(str_is(&q.renameat.newname, "new"));

	mbegin(&m, P9_TSETATTR, 7);
	m32(&m, 3);
	m32(&m, P9_SETATTR_MODE | P9_SETATTR_SIZE);
	m32(&m, 0755);
	m32(&m, 1);
	m32(&m, 2);
	m64(&m, 4096);
	m64(&m, 10);
	m64(&m, 11);
	m64(&m, 12);
	m64(&m, 13);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.setattr.valid, P9_SETATTR_MODE | P9_SETATTR_SIZE);
	assert_int_equal(q.setattr.mode, 0755);
	assert_int_equal(q.setattr.size, 4096);
	assert_int_equal(q.setattr.atime_sec, 10);
	assert_int_equal(q.setattr.mtime_nsec, 13);

	mbegin(&m, P9_TLOCK, 8);
	m32(&m, 3);
	m8(&m, 1);
	m32(&m, 0);
	m64(&m, 0);
	m64(&m, 100);
	m32(&m, 42);
	mstr(&m, "guest");
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_int_equal(q.lock.type, 1);
	assert_int_equal(q.lock.length, 100);
	assert_int_equal(q.lock.proc_id, 42);
	assert_true(str_is(&q.lock.client_id, "guest"));

	mbegin(&m, P9_TSYMLINK, 9);
	m32(&m, 1);
	mstr(&m, "ln");
	mstr(&m, "/etc/passwd");
	m32(&m, 0);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), 0);
	assert_true(str_is(&q.symlink.target, "/etc/passwd"));
}

static void test_malformed(void **state)
{
	struct p9_req q;
	struct msg m;

	(void)state;
	/* Shorter than a header. */
	assert_int_equal(p9_decode((const uint8_t *)"\x07\0\0", 3, &q), EPROTO);
	assert_int_equal(p9_decode(NULL, 0, &q), EPROTO);

	/* The size field disagrees with the bytes, either way. */
	mbegin(&m, P9_TCLUNK, 10);
	m32(&m, 1);
	assert_int_equal(p9_decode(m.b, mend(&m, 1), &q), EPROTO);
	assert_int_equal(q.tag, 10);	/* the tag is still known */
	assert_int_equal(p9_decode(m.b, mend(&m, -1), &q), EPROTO);

	/* Bytes left over after the last field. */
	mbegin(&m, P9_TCLUNK, 10);
	m32(&m, 1);
	m8(&m, 0);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EPROTO);

	/* A string whose length runs past the end. */
	mbegin(&m, P9_TMKDIR, 11);
	m32(&m, 1);
	m16(&m, 200);
	memcpy(m.b + m.n, "abc", 3);
	m.n += 3;
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EPROTO);

	/* A NUL inside a name. */
	mbegin(&m, P9_TMKDIR, 11);
	m32(&m, 1);
	m16(&m, 3);
	memcpy(m.b + m.n, "a\0b", 3);
	m.n += 3;
	m32(&m, 0755);
	m32(&m, 0);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EINVAL);

	/* Types this server does not speak: 9P2000 Topen, an R-message. */
	mbegin(&m, 112, 12);
	m32(&m, 1);
	m8(&m, 0);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EOPNOTSUPP);
	assert_int_equal(q.tag, 12);
	mbegin(&m, P9_TVERSION + 1, 12);
	assert_int_equal(p9_decode(m.b, mend(&m, 0), &q), EOPNOTSUPP);
}

static void test_name_ok(void **state)
{
	char big[P9_NAME_MAX + 2];
	struct p9_str s;

	(void)state;
#define NAME(str) (s.s = (str), s.len = (uint16_t)(sizeof(str) - 1), p9_name_ok(&s))
	assert_true(NAME("file"));
	assert_true(NAME("..."));
	assert_true(NAME(".hidden"));
	assert_false(NAME(""));
	assert_false(NAME("."));
	assert_false(NAME(".."));
	assert_false(NAME("a/b"));
	assert_false(NAME("/"));
	assert_false(NAME("a\0b"));
#undef NAME
	memset(big, 'n', sizeof(big));
	s.s = big;
	s.len = P9_NAME_MAX;
	assert_true(p9_name_ok(&s));
	s.len = P9_NAME_MAX + 1;
	assert_false(p9_name_ok(&s));
}

static void test_writer(void **state)
{
	static const uint8_t filler[20];
	uint8_t buf[32];
	struct p9_writer w;
	struct p9_qid qid = { .type = P9_QTDIR, .version = 1, .path = 2 };

	(void)state;
	p9_begin(&w, buf, sizeof(buf), P9_TATTACH + 1, 0x1234);
	p9_put_qid(&w, &qid);
	assert_int_equal(p9_finish(&w), 7 + 13);
	assert_memory_equal(buf, "\x14\0\0\0\x69\x34\x12\x80\1\0\0\0\2\0\0\0\0\0\0\0",
			    20);

	/* Overflow sticks and yields no message. */
	p9_begin(&w, buf, sizeof(buf), P9_TREAD + 1, 1);
	p9_put_bytes(&w, filler, sizeof(filler));
	p9_put_u64(&w, 1);
	assert_true(w.err);
	assert_int_equal(p9_finish(&w), 0);
	assert_null(p9_reserve(&w, 1));

	/* Rlerror: size 11, type 7, tag, ecode. */
	assert_int_equal(p9_encode_error(buf, sizeof(buf), 5, ENOENT), 11);
	assert_memory_equal(buf, "\x0b\0\0\0\x07\x05\0\x02\0\0\0", 11);
	assert_int_equal(p9_encode_error(buf, 10, 5, ENOENT), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_attach),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_io),
		cmocka_unit_test(test_create_and_friends),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_name_ok),
		cmocka_unit_test(test_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
