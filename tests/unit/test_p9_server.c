/*
 * Unit tests for the 9P2000.L server on a scratch directory: a guest's
 * file work (create, write, read, readdir, mkdir, rename, unlink, setattr)
 * and every way out of the share we could think of - "..", names with
 * slashes, absolute and relative symlinks out, dangling symlinks used to
 * create files outside, chmod and truncate through symlinks, renames to
 * "../x", and a thread that swaps a directory for a symlink out while the
 * server looks paths up.  Beside the share sits "outside", whose files
 * must never be read, changed or joined by new ones.  Also the caps:
 * msize, fids, open files.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/p9_codec.h"
#include "devices/p9_server.h"
#include "stderr_capture.h"

#define ROOT	1	/* the fid attached to the share */

static char top[64], share[96], outside[96];
static struct p9_server *srv;
static uint8_t req[P9_MSIZE_MAX + 64], resp[P9_MSIZE_MAX];
static size_t resp_len;
static struct p9_writer w;

/* ---- a tiny client ---- */

static void t_begin(uint8_t type)
{
	p9_begin(&w, req, sizeof(req), type, 1);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Send; returns 0 for the expected R-type, else the Rlerror errno. */
static int t_call(void)
{
	size_t n = p9_finish(&w);
	uint8_t want = req[4] + 1;

	assert_int_not_equal(n, 0);
	resp_len = p9_server_handle(srv, req, n, resp, sizeof(resp));
	assert_true(resp_len >= P9_HDR_SIZE);
	assert_int_equal(le32(resp), resp_len);
	assert_int_equal(resp[5] | resp[6] << 8, 1);	/* our tag */
	if (resp[4] == P9_RLERROR) {
		assert_int_equal(resp_len, 11);
		return (int)le32(resp + 7);
	}
	assert_int_equal(resp[4], want);
	return 0;
}

static void t_str(const char *s)
{
	p9_put_str(&w, s, strlen(s));
}

static int t_version(uint32_t msize)
{
	t_begin(P9_TVERSION);
	p9_put_u32(&w, msize);
	t_str("9P2000.L");
	return t_call();
}

static int t_attach(uint32_t fid)
{
	t_begin(P9_TATTACH);
	p9_put_u32(&w, fid);
	p9_put_u32(&w, P9_NOFID);
	t_str("user");
	t_str("");
	p9_put_u32(&w, 0);
	return t_call();
}

/* Walk up to 4 names (NULL-terminated); *nq gets the qids returned. */
static int t_walk(uint32_t fid, uint32_t newfid, unsigned int *nq,
		  const char *a, const char *b, const char *c)
{
	const char *names[] = { a, b, c };
	unsigned int n = 0;
	int ret;

	while (n < 3 && names[n])
		n++;
	t_begin(P9_TWALK);
	p9_put_u32(&w, fid);
	p9_put_u32(&w, newfid);
	p9_put_u16(&w, (uint16_t)n);
	for (unsigned int i = 0; i < n; i++)
		t_str(names[i]);
	ret = t_call();
	if (nq)
		*nq = ret ? 0 : (unsigned int)(resp[7] | resp[8] << 8);
	return ret;
}

/* The qid path (inode) of the i-th qid of the last Rwalk. */
static uint64_t walk_qid_path(unsigned int i)
{
	return le64(resp + 9 + i * P9_QID_SIZE + 5);
}

static int t_clunk(uint32_t fid)
{
	t_begin(P9_TCLUNK);
	p9_put_u32(&w, fid);
	return t_call();
}

static int t_lopen(uint32_t fid, uint32_t flags)
{
	t_begin(P9_TLOPEN);
	p9_put_u32(&w, fid);
	p9_put_u32(&w, flags);
	return t_call();
}

static int t_lcreate(uint32_t fid, const char *name, uint32_t flags,
		     uint32_t mode)
{
	t_begin(P9_TLCREATE);
	p9_put_u32(&w, fid);
	t_str(name);
	p9_put_u32(&w, flags);
	p9_put_u32(&w, mode);
	p9_put_u32(&w, 0);
	return t_call();
}

static int t_write(uint32_t fid, uint64_t off, const char *data)
{
	t_begin(P9_TWRITE);
	p9_put_u32(&w, fid);
	p9_put_u64(&w, off);
	p9_put_u32(&w, (uint32_t)strlen(data));
	p9_put_bytes(&w, data, strlen(data));
	return t_call();
}

/* Read into buf (NUL-terminated); returns errno or 0. */
static int t_read(uint32_t fid, uint64_t off, uint32_t count, char *buf,
		  size_t cap)
{
	uint32_t n;
	int ret;

	t_begin(P9_TREAD);
	p9_put_u32(&w, fid);
	p9_put_u64(&w, off);
	p9_put_u32(&w, count);
	ret = t_call();
	if (ret)
		return ret;
	n = le32(resp + 7);
	assert_int_equal(resp_len, 11 + n);
	if (buf) {
		assert_true(n < cap);
		memcpy(buf, resp + 11, n);
		buf[n] = '\0';
	}
	return 0;
}

static int t_mkdir(uint32_t dfid, const char *name)
{
	t_begin(P9_TMKDIR);
	p9_put_u32(&w, dfid);
	t_str(name);
	p9_put_u32(&w, 0755);
	p9_put_u32(&w, 0);
	return t_call();
}

static int t_symlink(uint32_t dfid, const char *name, const char *target)
{
	t_begin(P9_TSYMLINK);
	p9_put_u32(&w, dfid);
	t_str(name);
	t_str(target);
	p9_put_u32(&w, 0);
	return t_call();
}

static int t_renameat(uint32_t ofid, const char *on, uint32_t nfid,
		      const char *nn)
{
	t_begin(P9_TRENAMEAT);
	p9_put_u32(&w, ofid);
	t_str(on);
	p9_put_u32(&w, nfid);
	t_str(nn);
	return t_call();
}

static int t_unlinkat(uint32_t dfid, const char *name, uint32_t flags)
{
	t_begin(P9_TUNLINKAT);
	p9_put_u32(&w, dfid);
	t_str(name);
	p9_put_u32(&w, flags);
	return t_call();
}

static int t_setattr(uint32_t fid, uint32_t valid, uint32_t mode,
		     uint64_t size)
{
	t_begin(P9_TSETATTR);
	p9_put_u32(&w, fid);
	p9_put_u32(&w, valid);
	p9_put_u32(&w, mode);
	p9_put_u32(&w, 0);
	p9_put_u32(&w, 0);
	p9_put_u64(&w, size);
	for (int i = 0; i < 4; i++)
		p9_put_u64(&w, 0);
	return t_call();
}

static int t_getattr(uint32_t fid, uint64_t *size, uint32_t *mode)
{
	int ret;

	t_begin(P9_TGETATTR);
	p9_put_u32(&w, fid);
	p9_put_u64(&w, P9_GETATTR_BASIC);
	ret = t_call();
	if (!ret) {
		/* valid[8] qid[13] mode[4] uid[4] gid[4] nlink[8] rdev[8] size[8] */
		*mode = le32(resp + 7 + 8 + 13);
		*size = le64(resp + 7 + 8 + 13 + 4 + 4 + 4 + 8 + 8);
	}
	return ret;
}

/* ---- the scratch tree ---- */

static void put_file(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void slurp(const char *dir, const char *name, char *buf, size_t cap)
{
	char p[256];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	assert_non_null(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static bool exists(const char *dir, const char *name)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return !lstat(p, &st);
}

static mode_t mode_of(const char *dir, const char *name)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

/* share/: file, sub/, sub/inner; symlinks out: abs, rel, relfile, dang. */
static int setup(void **state)
{
	char p[256], t[256];

	(void)state;
	snprintf(top, sizeof(top), "/tmp/realmvm-p9-XXXXXX");
	assert_non_null(mkdtemp(top));
	snprintf(share, sizeof(share), "%s/share", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	assert_int_equal(mkdir(share, 0755), 0);
	assert_int_equal(mkdir(outside, 0755), 0);
	put_file(outside, "secret", "SECRET");
	assert_int_equal(chmod(strcat(strcpy(p, outside), "/secret"), 0600), 0);
	put_file(share, "file", "hello");
	snprintf(p, sizeof(p), "%s/sub", share);
	assert_int_equal(mkdir(p, 0755), 0);
	put_file(p, "inner", "INSIDE");
	snprintf(p, sizeof(p), "%s/abs", share);
	assert_int_equal(symlink(outside, p), 0);
	snprintf(p, sizeof(p), "%s/rel", share);
	assert_int_equal(symlink("../outside", p), 0);
	snprintf(p, sizeof(p), "%s/relfile", share);
	assert_int_equal(symlink("../outside/secret", p), 0);
	snprintf(p, sizeof(p), "%s/dang", share);
	snprintf(t, sizeof(t), "%s/created", outside);
	assert_int_equal(symlink(t, p), 0);
	snprintf(p, sizeof(p), "%s/good", share);
	assert_int_equal(symlink("sub", p), 0);

	srv = p9_server_new(share, "test");
	assert_non_null(srv);
	assert_int_equal(t_version(P9_MSIZE_MAX), 0);
	assert_int_equal(t_attach(ROOT), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	p9_server_free(srv);
	srv = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Nothing outside changed: same files, same text, same mode. */
static void outside_intact(void)
{
	char buf[64];

	slurp(outside, "secret", buf, sizeof(buf));
	assert_string_equal(buf, "SECRET");
	assert_int_equal(mode_of(outside, "secret"), 0600);
	assert_false(exists(outside, "created"));
	assert_false(exists(top, "escaped"));
}

/* ---- tests ---- */

static void test_file_work(void **state)
{
	char buf[64];
	uint64_t size;
	uint32_t mode;
	unsigned int nq;

	(void)state;
	assert_int_equal(t_walk(ROOT, 2, &nq, NULL, NULL, NULL), 0);
	assert_int_equal(t_lcreate(2, "new.txt", 02, 0644), 0);
	assert_int_equal(t_write(2, 0, "written by the guest"), 0);
	assert_int_equal(le32(resp + 7), 20);
	assert_int_equal(t_clunk(2), 0);
	slurp(share, "new.txt", buf, sizeof(buf));
	assert_string_equal(buf, "written by the guest");

	assert_int_equal(t_walk(ROOT, 3, &nq, "sub", "inner", NULL), 0);
	assert_int_equal(nq, 2);
	assert_int_equal(t_lopen(3, 0), 0);
	assert_int_equal(t_read(3, 2, 100, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "SIDE");
	assert_int_equal(t_getattr(3, &size, &mode), 0);
	assert_int_equal(size, 6);
	assert_true(S_ISREG(mode));

	assert_int_equal(t_mkdir(ROOT, "d"), 0);
	assert_true(S_ISDIR(mode_of(share, "d") | S_IFDIR));
	assert_int_equal(t_walk(ROOT, 4, &nq, "new.txt", NULL, NULL), 0);
	assert_int_equal(t_setattr(4, P9_SETATTR_SIZE, 0, 7), 0);
	slurp(share, "new.txt", buf, sizeof(buf));
	assert_string_equal(buf, "written");
	assert_int_equal(t_setattr(4, P9_SETATTR_MODE, 0640, 0), 0);
	assert_int_equal(mode_of(share, "new.txt"), 0640);
	assert_int_equal(t_unlinkat(ROOT, "d", P9_DOTL_AT_REMOVEDIR), 0);
	assert_false(exists(share, "d"));
	assert_int_equal(t_unlinkat(ROOT, "new.txt", 0), 0);
	assert_false(exists(share, "new.txt"));
	/* The fid of a removed file fails cleanly. */
	assert_int_equal(t_getattr(4, &size, &mode), ENOENT);
}

static void test_readdir(void **state)
{
	unsigned int nq;
	uint64_t off = 0;
	char seen[512] = "";
	int rounds = 0;

	(void)state;
	assert_int_equal(t_walk(ROOT, 2, &nq, NULL, NULL, NULL), 0);
	assert_int_equal(t_lopen(2, P9_DOTL_DIRECTORY), 0);
	/* Small counts force several rounds, resumed by offset. */
	for (;;) {
		uint32_t n, pos = 0;

		t_begin(P9_TREADDIR);
		p9_put_u32(&w, 2);
		p9_put_u64(&w, off);
		p9_put_u32(&w, 40);
		assert_int_equal(t_call(), 0);
		n = le32(resp + 7);
		assert_true(n <= 40);
		if (!n)
			break;
		while (pos < n) {
			const uint8_t *e = resp + 11 + pos;
			uint16_t nl = e[P9_QID_SIZE + 9] |
				      e[P9_QID_SIZE + 10] << 8;

			off = le64(e + P9_QID_SIZE);
			strncat(seen, (const char *)e + P9_QID_SIZE + 11, nl);
			strcat(seen, " ");
			pos += P9_QID_SIZE + 11 + nl;
		}
		assert_int_equal(pos, n);
		assert_true(++rounds < 50);
	}
	assert_true(rounds > 1);
	assert_non_null(strstr(seen, "file "));
	assert_non_null(strstr(seen, "sub "));
	assert_non_null(strstr(seen, "relfile "));
	assert_null(strstr(seen, "secret"));
}

static void test_dotdot_stays_in(void **state)
{
	unsigned int nq;
	uint64_t root_ino;
	struct stat st;

	(void)state;
	assert_int_equal(stat(share, &st), 0);
	root_ino = st.st_ino;
	/* ".." of the root is the root. */
	assert_int_equal(t_walk(ROOT, 2, &nq, "..", NULL, NULL), 0);
	assert_int_equal(nq, 1);
	assert_int_equal(walk_qid_path(0), root_ino);
	/* Two ".." succeed (at the root), "outside" is not there. */
	assert_int_equal(t_walk(ROOT, 3, &nq, "..", "..", "outside"), 0);
	assert_int_equal(nq, 2);
	assert_int_equal(t_clunk(3), EBADF);
	assert_int_equal(t_walk(2, 3, &nq, "outside", NULL, NULL), ENOENT);
	/* sub/.. is the root again. */
	assert_int_equal(t_walk(ROOT, 3, &nq, "sub", "..", NULL), 0);
	assert_int_equal(walk_qid_path(1), root_ino);
	/* Names with slashes, ".", "": refused outright. */
	assert_int_equal(t_walk(ROOT, 4, &nq, "../outside", NULL, NULL), EINVAL);
	assert_int_equal(t_walk(ROOT, 4, &nq, "sub/../..", NULL, NULL), EINVAL);
	assert_int_equal(t_walk(ROOT, 4, &nq, ".", NULL, NULL), EINVAL);
	assert_int_equal(t_walk(ROOT, 4, &nq, "", NULL, NULL), EINVAL);
	assert_int_equal(t_walk(ROOT, 4, &nq, "/etc", NULL, NULL), EINVAL);
	/* No fid 4 was made by any of them. */
	assert_int_equal(t_clunk(4), EBADF);
	outside_intact();
}

static void test_symlinks_out(void **state)
{
	unsigned int nq;
	char buf[64];

	(void)state;
	/* The link itself can be walked to; through it, nothing. */
	assert_int_equal(t_walk(ROOT, 2, &nq, "abs", "secret", NULL), 0);
	assert_int_equal(nq, 1);			/* partial walk */
	assert_int_equal(t_clunk(2), EBADF);		/* so no new fid */
	assert_int_equal(t_walk(ROOT, 2, &nq, "rel", "secret", NULL), 0);
	assert_int_equal(nq, 1);
	/* Opening a link does not follow it. */
	assert_int_equal(t_walk(ROOT, 2, &nq, "relfile", NULL, NULL), 0);
	assert_int_equal(t_lopen(2, 0), ELOOP);
	assert_int_equal(t_lopen(2, 2 | P9_DOTL_TRUNC), ELOOP);
	/* chmod and truncate act on the link or fail, never on its target. */
	t_setattr(2, P9_SETATTR_MODE, 0666, 0);
	assert_int_equal(t_setattr(2, P9_SETATTR_SIZE, 0, 0), ELOOP);
	/* readlink only tells the text. */
	t_begin(P9_TREADLINK);
	p9_put_u32(&w, 2);
	assert_int_equal(t_call(), 0);
	assert_int_equal(resp[7], strlen("../outside/secret"));
	/* A link inside the share is followed, and stays inside. */
	assert_int_equal(t_walk(ROOT, 3, &nq, "good", "inner", NULL), 0);
	assert_int_equal(nq, 2);
	assert_int_equal(t_lopen(3, 0), 0);
	assert_int_equal(t_read(3, 0, 64, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "INSIDE");
	outside_intact();
}

static void test_create_through_links(void **state)
{
	unsigned int nq;

	(void)state;
	/* A dangling link to outside/created: creating it must not. */
	assert_int_equal(t_walk(ROOT, 2, &nq, NULL, NULL, NULL), 0);
	assert_int_not_equal(t_lcreate(2, "dang", 02, 0644), 0);
	assert_int_not_equal(t_lcreate(2, "relfile", 02 | P9_DOTL_TRUNC, 0644),
			     0);
	/* Directories reached through a link out cannot take new files. */
	assert_int_equal(t_walk(ROOT, 3, &nq, "rel", NULL, NULL), 0);
	assert_int_not_equal(t_lcreate(3, "created", 02, 0644), 0);
	assert_int_not_equal(t_mkdir(3, "created"), 0);
	assert_int_not_equal(t_symlink(3, "created", "x"), 0);
	/* Names that are paths. */
	assert_int_equal(t_lcreate(2, "../escaped", 02, 0644), EINVAL);
	assert_int_equal(t_mkdir(ROOT, "../escaped"), EINVAL);
	assert_int_equal(t_mkdir(ROOT, ".."), EINVAL);
	assert_int_equal(t_symlink(ROOT, "../escaped", "x"), EINVAL);
	assert_int_equal(t_renameat(ROOT, "file", ROOT, "../escaped"), EINVAL);
	assert_int_equal(t_renameat(ROOT, "..", ROOT, "x"), EINVAL);
	assert_int_equal(t_unlinkat(ROOT, "../outside/secret", 0), EINVAL);
	/* Unlinking a link removes the link only. */
	assert_int_equal(t_unlinkat(ROOT, "relfile", 0), 0);
	assert_false(exists(share, "relfile"));
	/* The share itself cannot be removed. */
	assert_int_equal(t_walk(ROOT, 4, &nq, NULL, NULL, NULL), 0);
	t_begin(P9_TREMOVE);
	p9_put_u32(&w, 4);
	assert_int_equal(t_call(), EBUSY);
	assert_true(exists(top, "share"));
	outside_intact();
}

static void test_no_setid_bits(void **state)
{
	unsigned int nq;

	(void)state;
	assert_int_equal(t_walk(ROOT, 2, &nq, NULL, NULL, NULL), 0);
	assert_int_equal(t_lcreate(2, "prog", 02, 06755), 0);
	assert_int_equal(mode_of(share, "prog"), 0755);
	assert_int_equal(t_setattr(2, P9_SETATTR_MODE, 04777, 0), 0);
	assert_int_equal(mode_of(share, "prog"), 0777);
}

/* A rename moves the fids below it: an open fid's path follows. */
static void test_rename_moves_fids(void **state)
{
	unsigned int nq;
	uint64_t size;
	uint32_t mode;

	(void)state;
	assert_int_equal(t_walk(ROOT, 2, &nq, "sub", "inner", NULL), 0);
	assert_int_equal(t_walk(ROOT, 3, &nq, "sub", NULL, NULL), 0);
	assert_int_equal(t_renameat(ROOT, "sub", ROOT, "moved"), 0);
	assert_true(exists(share, "moved/inner"));
	assert_int_equal(t_getattr(2, &size, &mode), 0);
	assert_int_equal(size, 6);
	assert_int_equal(t_setattr(2, P9_SETATTR_MODE, 0600, 0), 0);
	assert_int_equal(mode_of(share, "moved/inner"), 0600);
	/* Trename of a fid. */
	t_begin(P9_TRENAME);
	p9_put_u32(&w, 2);
	p9_put_u32(&w, ROOT);
	t_str("top-level");
	assert_int_equal(t_call(), 0);
	assert_true(exists(share, "top-level"));
	assert_int_equal(t_getattr(2, &size, &mode), 0);
	outside_intact();
}

static volatile bool stop_racer;

/* Swap share/sub between the real directory and a link to outside. */
static void *racer(void *arg)
{
	char sub[256], real[256], tmp[256];

	(void)arg;
	snprintf(sub, sizeof(sub), "%s/sub", share);
	snprintf(real, sizeof(real), "%s/sub.real", share);
	snprintf(tmp, sizeof(tmp), "%s/sub.link", share);
	unlink(tmp);
	if (symlink("../outside", tmp))
		return NULL;
	while (!stop_racer) {
		rename(sub, real);
		rename(tmp, sub);	/* sub -> ../outside */
		rename(sub, tmp);
		rename(real, sub);	/* sub is the directory again */
	}
	return NULL;
}

static void test_race_dir_swapped_for_link(void **state)
{
	unsigned int nq, i, opened = 0, refused = 0;
	mode_t before;
	pthread_t th;
	char buf[64];

	(void)state;
	/* The same name in both: inside says INSIDE, outside SECRET. */
	put_file(outside, "inner", "OUTSIDE");
	before = mode_of(outside, "inner");
	stop_racer = false;
	assert_int_equal(pthread_create(&th, NULL, racer, NULL), 0);
	/* Until both outcomes were seen often, or 100000 rounds. */
	for (i = 0; i < 100000 && (opened < 50 || refused < 50); i++) {
		int r = t_walk(ROOT, 2, &nq, "sub", "inner", NULL);

		if (r || nq != 2) {
			refused++;
			t_clunk(2);
			continue;
		}
		if (!t_lopen(2, 0)) {
			opened++;
			assert_int_equal(t_read(2, 0, 64, buf, sizeof(buf)),
					 0);
			assert_string_equal(buf, "INSIDE");
		} else {
			refused++;
		}
		t_clunk(2);
		/* A chmod racing the swap never reaches outside. */
		if (!t_walk(ROOT, 3, &nq, "sub", "inner", NULL) && nq == 2) {
			t_setattr(3, P9_SETATTR_MODE, 0640, 0);
			t_clunk(3);
		}
	}
	stop_racer = true;
	pthread_join(th, NULL);
	slurp(outside, "inner", buf, sizeof(buf));
	assert_string_equal(buf, "OUTSIDE");
	assert_int_equal(mode_of(outside, "inner"), before);
	outside_intact();
	/* Both outcomes happened, or the race proved nothing. */
	print_message("# %u rounds: %u opened inside, %u refused\n", i, opened,
		      refused);
	assert_true(opened > 0 && refused > 0);
}

static void test_caps(void **state)
{
	unsigned int nq, i;
	int ret = 0;

	(void)state;
	/* msize is lowered to our cap, and too small is refused. */
	assert_int_equal(t_version(1U << 20), 0);
	assert_int_equal(le32(resp + 7), P9_MSIZE_MAX);
	assert_int_equal(t_version(512), EMSGSIZE);
	assert_int_equal(t_version(8192), 0);
	assert_int_equal(p9_server_msize(srv), 8192);
	/* Tversion dropped the old fids. */
	assert_int_equal(t_clunk(ROOT), EBADF);
	assert_int_equal(t_attach(ROOT), 0);
	/* A request longer than msize. */
	t_begin(P9_TWRITE);
	p9_put_u32(&w, ROOT);
	p9_put_u64(&w, 0);
	p9_put_u32(&w, 9000);
	p9_reserve(&w, 9000);
	assert_int_equal(t_call(), EMSGSIZE);
	/* Reads never make a reply longer than msize. */
	assert_int_equal(t_walk(ROOT, 2, &nq, "file", NULL, NULL), 0);
	assert_int_equal(t_lopen(2, 0), 0);
	assert_int_equal(t_read(2, 0, 0xffffffff, NULL, 0), 0);
	assert_true(resp_len <= 8192);
	/* A reply buffer too small for even an error: nothing. */
	t_begin(P9_TCLUNK);
	p9_put_u32(&w, 2);
	assert_int_equal(p9_server_handle(srv, req, p9_finish(&w), resp, 10),
			 0);
	/* Fids: at most P9_MAX_FIDS. */
	for (i = 0; i < P9_MAX_FIDS + 5 && !ret; i++)
		ret = t_walk(ROOT, 1000 + i, &nq, NULL, NULL, NULL);
	assert_int_equal(ret, ENFILE);
	assert_int_equal(i, P9_MAX_FIDS - 2 + 1);	/* ROOT and 2 exist */
	/* Open files: at most P9_MAX_OPEN. */
	ret = 0;
	for (i = 0; i < P9_MAX_OPEN + 5 && !ret; i++)
		ret = t_lopen(1000 + i, 0);
	assert_int_equal(ret, ENFILE);
	assert_int_equal(i, P9_MAX_OPEN - 1 + 1);	/* fid 2 is open */
}

static void test_bad_share(void **state)
{
	(void)state;
	cap_begin();
	assert_null(p9_server_new("/nonexistent/realmvm-share", "--9p x"));
	cap_end();
	assert_string_equal(errbuf, "realmvm: --9p x: /nonexistent/realmvm-share: No such file or directory\n");
	cap_begin();
	assert_null(p9_server_new("/etc/hostname", "--9p x"));
	cap_end();
	assert_non_null(strstr(errbuf, "Not a directory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_file_work, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readdir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dotdot_stays_in, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_symlinks_out, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_create_through_links,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_setid_bits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_rename_moves_fids, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_race_dir_swapped_for_link,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
		cmocka_unit_test(test_bad_share),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
