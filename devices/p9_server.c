/*
 * The 9P2000.L server behind virtio-9p (see p9_server.h).
 *
 * Confinement: a fid is a path relative to the share's root, built only
 * from elements that p9_name_ok() accepts ("..": one element up, never
 * above the root).  Every host access goes through either
 *  - openat2(root, path, ..., RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS),
 *    which fails rather than leave the root, whatever symlinks or renames
 *    the walk meets (the kernel checks it atomically), or
 *  - a *at() call on one checked element inside a directory opened that
 *    way, with AT_SYMLINK_NOFOLLOW or O_NOFOLLOW, so a symlink as the last
 *    element is acted on itself and never followed.
 * Opened files are opened with O_NOFOLLOW | O_NONBLOCK (a FIFO cannot
 * block the vCPU thread), set-user/group-ID bits are never set, device
 * nodes cannot be made, and files belong to the user running realmvm.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "devices/p9_codec.h"
#include "devices/p9_server.h"
#include "vmm/util.h"

/* Permission bits a guest may set: no set-user-ID or set-group-ID. */
#define P9_MODE_MASK	(S_ISVTX | 0777)

struct p9_fid {
	uint32_t id;
	char *path;		/* relative to the root; "" is the root */
	int fd;			/* -1 until Tlopen/Tlcreate */
};

struct p9_server {
	int root_fd;		/* O_PATH of the share */
	uint32_t msize;
	struct p9_fid *fids;
	unsigned int nr_fids, cap_fids, nr_open;
	uint8_t *scratch;	/* getdents64 buffer, P9_MSIZE_MAX bytes */
};

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Fill in a count reserved earlier in the reply. */
static void put_le32_p9(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static int sys_openat2(int dirfd, const char *path, uint64_t flags,
		       uint64_t mode)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.mode = mode,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

/* Open a share-relative path (never above the root). */
static int open_beneath(struct p9_server *s, const char *path, int flags,
			mode_t mode)
{
	return sys_openat2(s->root_fd, *path ? path : ".", flags, mode);
}

struct p9_server *p9_server_new(const char *dir, const char *what)
{
	struct p9_server *s;
	struct stat st;
	int fd;

	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("%s: %s: %s", what, dir, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISDIR(st.st_mode)) {
		pr_err("%s: %s is not a directory", what, dir);
		close(fd);
		return NULL;
	}
	/* Without openat2 the share could not be confined: refuse it. */
	{
		int t = sys_openat2(fd, ".", O_PATH | O_DIRECTORY, 0);

		if (t < 0) {
			pr_err("%s: openat2: %s (Linux 5.6 or later is needed to confine a shared directory)",
			       what, strerror(errno));
			close(fd);
			return NULL;
		}
		close(t);
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->scratch = malloc(P9_MSIZE_MAX);
	if (!s || !s->scratch) {
		pr_err("%s: out of memory", what);
		if (s)
			free(s);
		close(fd);
		return NULL;
	}
	s->root_fd = fd;
	s->msize = P9_MSIZE_MAX;
	return s;
}

static void fid_release(struct p9_server *s, struct p9_fid *f)
{
	if (f->fd >= 0) {
		close(f->fd);
		s->nr_open--;
	}
	free(f->path);
}

static void fids_clear(struct p9_server *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_fids; i++)
		fid_release(s, &s->fids[i]);
	s->nr_fids = 0;
}

void p9_server_free(struct p9_server *s)
{
	if (!s)
		return;
	fids_clear(s);
	free(s->fids);
	free(s->scratch);
	close(s->root_fd);
	free(s);
}

uint32_t p9_server_msize(const struct p9_server *s)
{
	return s->msize;
}

static struct p9_fid *fid_get(struct p9_server *s, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < s->nr_fids; i++)
		if (s->fids[i].id == id)
			return &s->fids[i];
	return NULL;
}

/* A new fid for path (taken over). Returns an errno on failure. */
static int fid_new(struct p9_server *s, uint32_t id, char *path)
{
	struct p9_fid *f;

	if (id == P9_NOFID || fid_get(s, id)) {
		free(path);
		return EBADF;
	}
	if (s->nr_fids == s->cap_fids) {
		unsigned int cap = s->cap_fids ? 2 * s->cap_fids : 16;

		if (s->cap_fids >= P9_MAX_FIDS) {
			free(path);
			return ENFILE;
		}
		f = realloc(s->fids, MIN(cap, P9_MAX_FIDS) * sizeof(*f));
		if (!f) {
			free(path);
			return ENOMEM;
		}
		s->fids = f;
		s->cap_fids = MIN(cap, P9_MAX_FIDS);
	}
	f = &s->fids[s->nr_fids++];
	f->id = id;
	f->path = path;
	f->fd = -1;
	return 0;
}

static void fid_del(struct p9_server *s, struct p9_fid *f)
{
	fid_release(s, f);
	*f = s->fids[--s->nr_fids];
}

/* path + "/" + name, or NULL if too long (or out of memory). */
static char *path_join(const char *path, const struct p9_str *name)
{
	size_t pl = strlen(path), len = pl + (pl ? 1 : 0) + name->len;
	char *p;

	if (len > P9_PATH_MAX)
		return NULL;
	p = malloc(len + 1);
	if (!p)
		return NULL;
	memcpy(p, path, pl);
	if (pl)
		p[pl++] = '/';
	memcpy(p + pl, name->s, name->len);
	p[len] = '\0';
	return p;
}

/* Drop the last element in place ("a/b" -> "a", "a" -> "", "" -> ""). */
static void path_up(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash)
		*slash = '\0';
	else
		path[0] = '\0';
}

/* A guest string as a C string (strings never hold NULs: p9_decode). */
static char *str_dup(const struct p9_str *s)
{
	char *p = malloc(s->len + 1U);

	if (p) {
		memcpy(p, s->s, s->len);
		p[s->len] = '\0';
	}
	return p;
}

/*
 * The directory holding path's object, opened beneath the root, and the
 * object's last element in *base.  The root is its own parent, ".".
 */
static int open_parent(struct p9_server *s, const char *path,
		       const char **base)
{
	const char *slash = strrchr(path, '/');
	char dir[P9_PATH_MAX + 1];
	size_t n;

	if (!*path) {
		*base = ".";
		return open_beneath(s, "", O_PATH | O_DIRECTORY, 0);
	}
	if (!slash) {
		*base = path;
		return open_beneath(s, "", O_PATH | O_DIRECTORY, 0);
	}
	n = (size_t)(slash - path);
	if (n > P9_PATH_MAX)
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	*base = slash + 1;
	return open_beneath(s, dir, O_PATH | O_DIRECTORY, 0);
}

/* A directory fid opened beneath the root (for *at() with one name). */
static int open_dir_fid(struct p9_server *s, const struct p9_fid *f)
{
	return open_beneath(s, f->path, O_PATH | O_DIRECTORY, 0);
}

static void qid_of(const struct stat *st, struct p9_qid *q)
{
	q->type = S_ISDIR(st->st_mode) ? P9_QTDIR :
		  S_ISLNK(st->st_mode) ? P9_QTSYMLINK : P9_QTFILE;
	q->version = 0;
	q->path = st->st_ino;
}

/* lstat() of a share path, beneath the root. Returns an errno or 0. */
static int stat_path(struct p9_server *s, const char *path, struct stat *st)
{
	int fd = open_beneath(s, path, O_PATH | O_NOFOLLOW, 0);
	int ret = 0;

	if (fd < 0)
		return errno;
	if (fstatat(fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		ret = errno;
	close(fd);
	return ret;
}

/* 9P2000.L open flags to this host's (arm64 and x86 differ). */
static int open_flags(uint32_t f)
{
	int o = (int)(f & P9_DOTL_ACCMODE);

	if ((f & P9_DOTL_ACCMODE) == P9_DOTL_ACCMODE)
		return -1;
	if (f & P9_DOTL_TRUNC)
		o |= O_TRUNC;
	if (f & P9_DOTL_APPEND)
		o |= O_APPEND;
	if (f & P9_DOTL_DSYNC)
		o |= O_DSYNC;
	if (f & P9_DOTL_SYNC)
		o |= O_SYNC;
	if (f & P9_DOTL_DIRECTORY)
		o |= O_DIRECTORY;
	return o | O_NOFOLLOW | O_NONBLOCK;
}

/* Context of one request: the reply being written. */
struct ctx {
	struct p9_server *s;
	const struct p9_req *q;
	struct p9_writer w;
	uint8_t *resp;
	size_t cap;
};

static void reply(struct ctx *c)
{
	p9_begin(&c->w, c->resp, c->cap, c->q->type + 1, c->q->tag);
}

static int do_version(struct ctx *c)
{
	const struct p9_req *q = c->q;
	static const char v[] = "9P2000.L";
	bool ok = q->version.version.len == sizeof(v) - 1 &&
		  !memcmp(q->version.version.s, v, sizeof(v) - 1);

	if (q->version.msize < P9_MSIZE_MIN)
		return EMSGSIZE;
	/* A new session: every fid of the old one is gone. */
	fids_clear(c->s);
	c->s->msize = MIN(q->version.msize, P9_MSIZE_MAX);
	reply(c);
	p9_put_u32(&c->w, c->s->msize);
	if (ok)
		p9_put_str(&c->w, v, sizeof(v) - 1);
	else
		p9_put_str(&c->w, "unknown", 7);
	return 0;
}

static int do_attach(struct ctx *c)
{
	struct p9_qid qid;
	struct stat st;
	char *root;
	int ret;

	if (c->q->attach.afid != P9_NOFID)
		return EBADF;
	ret = stat_path(c->s, "", &st);
	if (ret)
		return ret;
	root = strdup("");
	if (!root)
		return ENOMEM;
	ret = fid_new(c->s, c->q->fid, root);
	if (ret)
		return ret;
	qid_of(&st, &qid);
	reply(c);
	p9_put_qid(&c->w, &qid);
	return 0;
}

static int do_walk(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_qid qids[P9_MAXWELEM];
	struct p9_fid *f = fid_get(c->s, q->fid);
	unsigned int i, n = 0;
	char *path, *next;
	int err = 0;

	if (!f)
		return EBADF;
	if (q->walk.newfid != q->fid && fid_get(c->s, q->walk.newfid))
		return EBADF;
	path = strdup(f->path);
	if (!path)
		return ENOMEM;
	for (i = 0; i < q->walk.nwname; i++) {
		const struct p9_str *w = &q->walk.wname[i];
		struct stat st;

		if (w->len == 2 && w->s[0] == '.' && w->s[1] == '.') {
			path_up(path);	/* the root's ".." is the root */
		} else {
			if (!p9_name_ok(w)) {
				err = EINVAL;
				break;
			}
			next = path_join(path, w);
			if (!next) {
				err = ENAMETOOLONG;
				break;
			}
			free(path);
			path = next;
		}
		err = stat_path(c->s, path, &st);
		if (err)
			break;
		qid_of(&st, &qids[n++]);
	}
	/* A walk that fails at its first element is an error... */
	if (err && n == 0 && q->walk.nwname) {
		free(path);
		return err;
	}
	/* ...a partial one returns the qids it got and makes no fid. */
	if (n == q->walk.nwname) {
		if (q->walk.newfid == q->fid) {
			free(f->path);
			f->path = path;
		} else {
			err = fid_new(c->s, q->walk.newfid, path);
			if (err)
				return err;
		}
	} else {
		free(path);
	}
	reply(c);
	p9_put_u16(&c->w, (uint16_t)n);
	for (i = 0; i < n; i++)
		p9_put_qid(&c->w, &qids[i]);
	return 0;
}

static int do_getattr(struct ctx *c)
{
	struct p9_fid *f = fid_get(c->s, c->q->fid);
	struct p9_qid qid;
	struct stat st;
	int err;

	if (!f)
		return EBADF;
	if (f->fd >= 0)
		err = fstat(f->fd, &st) ? errno : 0;
	else
		err = stat_path(c->s, f->path, &st);
	if (err)
		return err;
	qid_of(&st, &qid);
	reply(c);
	p9_put_u64(&c->w, P9_GETATTR_BASIC);
	p9_put_qid(&c->w, &qid);
	p9_put_u32(&c->w, st.st_mode);
	p9_put_u32(&c->w, st.st_uid);
	p9_put_u32(&c->w, st.st_gid);
	p9_put_u64(&c->w, st.st_nlink);
	p9_put_u64(&c->w, st.st_rdev);
	p9_put_u64(&c->w, (uint64_t)st.st_size);
	p9_put_u64(&c->w, (uint64_t)st.st_blksize);
	p9_put_u64(&c->w, (uint64_t)st.st_blocks);
	p9_put_u64(&c->w, (uint64_t)st.st_atim.tv_sec);
	p9_put_u64(&c->w, (uint64_t)st.st_atim.tv_nsec);
	p9_put_u64(&c->w, (uint64_t)st.st_mtim.tv_sec);
	p9_put_u64(&c->w, (uint64_t)st.st_mtim.tv_nsec);
	p9_put_u64(&c->w, (uint64_t)st.st_ctim.tv_sec);
	p9_put_u64(&c->w, (uint64_t)st.st_ctim.tv_nsec);
	p9_put_u64(&c->w, 0);	/* btime: not in struct stat */
	p9_put_u64(&c->w, 0);
	p9_put_u64(&c->w, 0);	/* gen */
	p9_put_u64(&c->w, 0);	/* data_version */
	return 0;
}

static struct timespec set_time(bool set, bool given, uint64_t sec,
				uint64_t nsec)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = UTIME_OMIT };

	if (!set)
		return ts;
	if (!given) {
		ts.tv_nsec = UTIME_NOW;
		return ts;
	}
	ts.tv_sec = (time_t)sec;
	ts.tv_nsec = nsec < 1000000000ULL ? (long)nsec : 0;
	return ts;
}

static int setattr_at(struct ctx *c, struct p9_fid *f, int dfd,
		      const char *base)
{
	const struct p9_req *q = c->q;
	uint32_t v = q->setattr.valid;

	if (v & P9_SETATTR_MODE &&
	    fchmodat(dfd, base, q->setattr.mode & P9_MODE_MASK,
		     AT_SYMLINK_NOFOLLOW))
		return errno;
	if (v & (P9_SETATTR_UID | P9_SETATTR_GID) &&
	    fchownat(dfd, base,
		     v & P9_SETATTR_UID ? q->setattr.uid : (uid_t)-1,
		     v & P9_SETATTR_GID ? q->setattr.gid : (gid_t)-1,
		     AT_SYMLINK_NOFOLLOW))
		return errno;
	if (v & P9_SETATTR_SIZE) {
		int fd;

		if (q->setattr.size > INT64_MAX)
			return EFBIG;
		fd = open_beneath(c->s, f->path, O_WRONLY | O_NOFOLLOW |
				  O_NONBLOCK, 0);
		if (fd < 0)
			return errno;
		if (ftruncate(fd, (off_t)q->setattr.size)) {
			int e = errno;

			close(fd);
			return e;
		}
		close(fd);
	}
	if (v & (P9_SETATTR_ATIME | P9_SETATTR_MTIME)) {
		struct timespec ts[2] = {
			set_time(v & P9_SETATTR_ATIME, v & P9_SETATTR_ATIME_SET,
				 q->setattr.atime_sec, q->setattr.atime_nsec),
			set_time(v & P9_SETATTR_MTIME, v & P9_SETATTR_MTIME_SET,
				 q->setattr.mtime_sec, q->setattr.mtime_nsec),
		};

		if (utimensat(dfd, base, ts, AT_SYMLINK_NOFOLLOW))
			return errno;
	}
	return 0;
}

static int do_setattr(struct ctx *c)
{
	struct p9_fid *f = fid_get(c->s, c->q->fid);
	const char *base;
	int dfd, err;

	if (!f)
		return EBADF;
	dfd = open_parent(c->s, f->path, &base);
	if (dfd < 0)
		return errno;
	err = setattr_at(c, f, dfd, base);
	close(dfd);
	if (err)
		return err;
	reply(c);
	return 0;
}

static int opened(struct ctx *c, struct p9_fid *f, int fd)
{
	struct p9_qid qid;
	struct stat st;

	if (fstat(fd, &st)) {
		int e = errno;

		close(fd);
		return e;
	}
	f->fd = fd;
	c->s->nr_open++;
	qid_of(&st, &qid);
	reply(c);
	p9_put_qid(&c->w, &qid);
	p9_put_u32(&c->w, c->s->msize - P9_IOHDR_SIZE);	/* iounit */
	return 0;
}

static int do_lopen(struct ctx *c)
{
	struct p9_fid *f = fid_get(c->s, c->q->fid);
	int flags = open_flags(c->q->lopen.flags);
	int fd;

	if (!f)
		return EBADF;
	if (f->fd >= 0 || flags < 0)
		return EINVAL;
	if (c->s->nr_open >= P9_MAX_OPEN)
		return ENFILE;
	fd = open_beneath(c->s, f->path, flags, 0);
	if (fd < 0)
		return errno;
	return opened(c, f, fd);
}

static int do_lcreate(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_fid *f = fid_get(c->s, q->fid);
	int flags = open_flags(q->lcreate.flags);
	char *path;
	int dfd, fd;

	if (!f)
		return EBADF;
	if (f->fd >= 0 || flags < 0)
		return EINVAL;
	if (!p9_name_ok(&q->lcreate.name))
		return EINVAL;
	if (c->s->nr_open >= P9_MAX_OPEN)
		return ENFILE;
	path = path_join(f->path, &q->lcreate.name);
	if (!path)
		return ENAMETOOLONG;
	dfd = open_dir_fid(c->s, f);
	if (dfd < 0) {
		int e = errno;

		free(path);
		return e;
	}
	/* One element, O_NOFOLLOW: never creates through a symlink. */
	fd = openat(dfd, path + strlen(path) - q->lcreate.name.len,
		    (flags & ~O_DIRECTORY) | O_CREAT | O_CLOEXEC |
		    (q->lcreate.flags & P9_DOTL_EXCL ? O_EXCL : 0),
		    q->lcreate.mode & P9_MODE_MASK);
	close(dfd);
	if (fd < 0) {
		int e = errno;

		free(path);
		return e;
	}
	free(f->path);
	f->path = path;
	return opened(c, f, fd);
}

static int do_read(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_fid *f = fid_get(c->s, q->fid);
	uint8_t *cnt, *data;
	size_t room;
	ssize_t n;

	if (!f)
		return EBADF;
	if (f->fd < 0)
		return EBADF;
	if (q->io.offset > INT64_MAX)
		return EINVAL;
	reply(c);
	cnt = p9_reserve(&c->w, 4);
	if (!cnt)
		return ENOBUFS;
	room = MIN((size_t)c->s->msize, c->cap) - c->w.off;
	room = MIN(room, (size_t)q->io.count);
	data = c->w.buf + c->w.off;
	n = pread(f->fd, data, room, (off_t)q->io.offset);
	if (n < 0)
		return errno;
	c->w.off += (size_t)n;
	put_le32_p9(cnt, (uint32_t)n);
	return 0;
}

static int do_write(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_fid *f = fid_get(c->s, q->fid);
	ssize_t n;

	if (!f)
		return EBADF;
	if (f->fd < 0)
		return EBADF;
	if (q->io.offset > INT64_MAX)
		return EINVAL;
	n = pwrite(f->fd, q->io.data, q->io.count, (off_t)q->io.offset);
	if (n < 0)
		return errno;
	reply(c);
	p9_put_u32(&c->w, (uint32_t)n);
	return 0;
}

static int do_readdir(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_fid *f = fid_get(c->s, q->fid);
	size_t room, got, pos = 0;
	uint8_t *cnt;
	long n;

	if (!f)
		return EBADF;
	if (f->fd < 0)
		return EBADF;
	if (q->io.offset > INT64_MAX)
		return EINVAL;
	if (lseek(f->fd, (off_t)q->io.offset, SEEK_SET) < 0)
		return errno;
	reply(c);
	cnt = p9_reserve(&c->w, 4);
	if (!cnt)
		return ENOBUFS;
	room = MIN((size_t)c->s->msize, c->cap) - c->w.off;
	room = MIN(room, (size_t)q->io.count);
	got = c->w.off;
	/* Reading more than fits is harmless: the next call reseeks. */
	n = syscall(SYS_getdents64, f->fd, c->s->scratch,
		    MIN(room + 256, (size_t)P9_MSIZE_MAX));
	if (n < 0)
		return errno;
	while (pos + sizeof(struct linux_dirent64) <= (size_t)n) {
		struct linux_dirent64 *d = (void *)(c->s->scratch + pos);
		size_t nl = strnlen(d->d_name, d->d_reclen -
				    offsetof(struct linux_dirent64, d_name));
		struct p9_qid qid = {
			.type = d->d_type == DT_DIR ? P9_QTDIR :
				d->d_type == DT_LNK ? P9_QTSYMLINK : P9_QTFILE,
			.path = d->d_ino,
		};

		if (P9_QID_SIZE + 8 + 1 + 2 + nl > room - (c->w.off - got))
			break;
		p9_put_qid(&c->w, &qid);
		p9_put_u64(&c->w, (uint64_t)d->d_off);
		p9_put_u8(&c->w, d->d_type);
		p9_put_str(&c->w, d->d_name, nl);
		pos += d->d_reclen;
	}
	put_le32_p9(cnt, (uint32_t)(c->w.off - got));
	return 0;
}

static int do_clunk(struct ctx *c)
{
	struct p9_fid *f = fid_get(c->s, c->q->fid);

	if (!f)
		return EBADF;
	fid_del(c->s, f);
	reply(c);
	return 0;
}

static int do_remove(struct ctx *c)
{
	struct p9_fid *f = fid_get(c->s, c->q->fid);
	const char *base;
	struct stat st;
	int dfd, err = 0;

	if (!f)
		return EBADF;
	if (!*f->path) {
		err = EBUSY;		/* the share itself stays */
		goto out;
	}
	dfd = open_parent(c->s, f->path, &base);
	if (dfd < 0) {
		err = errno;
		goto out;
	}
	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) ||
	    unlinkat(dfd, base, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0))
		err = errno;
	close(dfd);
out:
	/* Tremove clunks the fid whether or not the removal worked. */
	fid_del(c->s, f);
	if (err)
		return err;
	reply(c);
	return 0;
}

static int do_statfs(struct ctx *c)
{
	struct statfs sf;

	if (!fid_get(c->s, c->q->fid))
		return EBADF;
	if (fstatfs(c->s->root_fd, &sf))
		return errno;
	reply(c);
	p9_put_u32(&c->w, (uint32_t)sf.f_type);
	p9_put_u32(&c->w, (uint32_t)sf.f_bsize);
	p9_put_u64(&c->w, sf.f_blocks);
	p9_put_u64(&c->w, sf.f_bfree);
	p9_put_u64(&c->w, sf.f_bavail);
	p9_put_u64(&c->w, sf.f_files);
	p9_put_u64(&c->w, sf.f_ffree);
	p9_put_u64(&c->w, (uint64_t)(uint32_t)sf.f_fsid.__val[0] |
			  (uint64_t)(uint32_t)sf.f_fsid.__val[1] << 32);
	p9_put_u32(&c->w, (uint32_t)sf.f_namelen);
	return 0;
}

static int do_readlink(struct ctx *c)
{
	struct p9_fid *f = fid_get(c->s, c->q->fid);
	char buf[P9_PATH_MAX + 1];
	const char *base;
	ssize_t n;
	int dfd;

	if (!f)
		return EBADF;
	dfd = open_parent(c->s, f->path, &base);
	if (dfd < 0)
		return errno;
	n = readlinkat(dfd, base, buf, sizeof(buf));
	close(dfd);
	if (n < 0)
		return errno;
	if ((size_t)n > P9_PATH_MAX)
		return ENAMETOOLONG;
	reply(c);
	p9_put_str(&c->w, buf, (size_t)n);
	return 0;
}

/*
 * The directory fid dfid opened, for a *at() call on name (checked).
 * Returns the fd or -errno.
 */
static int dir_and_name(struct ctx *c, uint32_t dfid, const struct p9_str *name)
{
	struct p9_fid *d = fid_get(c->s, dfid);
	int fd;

	if (!d)
		return -EBADF;
	if (!p9_name_ok(name))
		return -EINVAL;
	fd = open_dir_fid(c->s, d);
	return fd < 0 ? -errno : fd;
}

/* Reply with the qid of name in dfd (after mkdir, symlink). */
static int reply_qid_at(struct ctx *c, int dfd, const char *name)
{
	struct p9_qid qid;
	struct stat st;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno;
	qid_of(&st, &qid);
	reply(c);
	p9_put_qid(&c->w, &qid);
	return 0;
}

static int do_mkdir(struct ctx *c)
{
	const struct p9_req *q = c->q;
	char *name;
	int dfd, err = 0;

	dfd = dir_and_name(c, q->fid, &q->mkdir.name);
	if (dfd < 0)
		return -dfd;
	name = str_dup(&q->mkdir.name);
	if (!name)
		err = ENOMEM;
	else if (mkdirat(dfd, name, q->mkdir.mode & P9_MODE_MASK))
		err = errno;
	else
		err = reply_qid_at(c, dfd, name);
	free(name);
	close(dfd);
	return err;
}

static int do_symlink(struct ctx *c)
{
	const struct p9_req *q = c->q;
	char *name = NULL, *target = NULL;
	int dfd, err = 0;

	/* The target is only text: it is never followed out of the share. */
	if (!q->symlink.target.len || q->symlink.target.len > P9_PATH_MAX)
		return EINVAL;
	dfd = dir_and_name(c, q->fid, &q->symlink.name);
	if (dfd < 0)
		return -dfd;
	name = str_dup(&q->symlink.name);
	target = str_dup(&q->symlink.target);
	if (!name || !target)
		err = ENOMEM;
	else if (symlinkat(target, dfd, name))
		err = errno;
	else
		err = reply_qid_at(c, dfd, name);
	free(name);
	free(target);
	close(dfd);
	return err;
}

static int do_link(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_fid *src = fid_get(c->s, q->link.fid);
	const char *base;
	char *name;
	int dfd, sfd, err = 0;

	if (!src)
		return EBADF;
	if (!*src->path)
		return EPERM;
	dfd = dir_and_name(c, q->fid, &q->link.name);
	if (dfd < 0)
		return -dfd;
	sfd = open_parent(c->s, src->path, &base);
	name = str_dup(&q->link.name);
	if (sfd < 0)
		err = errno;
	else if (!name)
		err = ENOMEM;
	else if (linkat(sfd, base, dfd, name, 0))	/* never follows */
		err = errno;
	free(name);
	if (sfd >= 0)
		close(sfd);
	close(dfd);
	if (err)
		return err;
	reply(c);
	return 0;
}

/* After a rename of from to to, fids at or below from follow it. */
static void fids_renamed(struct p9_server *s, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to);
	unsigned int i;

	for (i = 0; i < s->nr_fids; i++) {
		struct p9_fid *f = &s->fids[i];
		size_t pl = strlen(f->path);
		char *p;

		if (strncmp(f->path, from, fl) ||
		    (f->path[fl] != '\0' && f->path[fl] != '/'))
			continue;
		if (tl + pl - fl > P9_PATH_MAX)
			continue;	/* stays stale: its lookups fail */
		p = malloc(tl + pl - fl + 1);
		if (!p)
			continue;
		memcpy(p, to, tl);
		memcpy(p + tl, f->path + fl, pl - fl + 1);
		free(f->path);
		f->path = p;
	}
}

/* rename (odir, oname) to (ndir, nname): both dirs are fids, names checked. */
static int rename_fids(struct ctx *c, struct p9_fid *od,
		       const struct p9_str *on, struct p9_fid *nd,
		       const struct p9_str *nn)
{
	char *from = NULL, *to = NULL;
	int ofd = -1, nfd = -1, err = 0;

	if (!p9_name_ok(on) || !p9_name_ok(nn))
		return EINVAL;
	from = path_join(od->path, on);
	to = path_join(nd->path, nn);
	if (!from || !to) {
		err = ENAMETOOLONG;
		goto out;
	}
	ofd = open_dir_fid(c->s, od);
	nfd = open_dir_fid(c->s, nd);
	if (ofd < 0 || nfd < 0) {
		err = errno;
		goto out;
	}
	if (renameat(ofd, from + strlen(from) - on->len, nfd,
		     to + strlen(to) - nn->len)) {
		err = errno;
		goto out;
	}
	fids_renamed(c->s, from, to);
out:
	if (ofd >= 0)
		close(ofd);
	if (nfd >= 0)
		close(nfd);
	free(from);
	free(to);
	return err;
}

static int do_renameat(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_fid *od = fid_get(c->s, q->fid);
	struct p9_fid *nd = fid_get(c->s, q->renameat.newdirfid);
	int err;

	if (!od || !nd)
		return EBADF;
	err = rename_fids(c, od, &q->renameat.oldname, nd,
			  &q->renameat.newname);
	if (err)
		return err;
	reply(c);
	return 0;
}

static int do_rename(struct ctx *c)
{
	const struct p9_req *q = c->q;
	struct p9_fid *f = fid_get(c->s, q->fid);
	struct p9_fid *nd = fid_get(c->s, q->rename.dfid);
	struct p9_fid parent = { .fd = -1 };
	const char *slash;
	struct p9_str on;
	int err;

	if (!f || !nd)
		return EBADF;
	if (!*f->path)
		return EBUSY;
	/* Express it as a renameat from f's parent directory. */
	slash = strrchr(f->path, '/');
	on.s = slash ? slash + 1 : f->path;
	on.len = (uint16_t)strlen(on.s);
	parent.path = strndup(f->path, slash ? (size_t)(slash - f->path) : 0);
	if (!parent.path)
		return ENOMEM;
	err = rename_fids(c, &parent, &on, nd, &q->rename.name);
	free(parent.path);
	if (err)
		return err;
	reply(c);
	return 0;
}

static int do_unlinkat(struct ctx *c)
{
	const struct p9_req *q = c->q;
	char *name;
	int dfd, err = 0;

	if (q->unlinkat.flags & ~P9_DOTL_AT_REMOVEDIR)
		return EINVAL;
	dfd = dir_and_name(c, q->fid, &q->unlinkat.name);
	if (dfd < 0)
		return -dfd;
	name = str_dup(&q->unlinkat.name);
	if (!name)
		err = ENOMEM;
	else if (unlinkat(dfd, name, q->unlinkat.flags ? AT_REMOVEDIR : 0))
		err = errno;
	free(name);
	close(dfd);
	if (err)
		return err;
	reply(c);
	return 0;
}

static int do_fsync(struct ctx *c)
{
	struct p9_fid *f = fid_get(c->s, c->q->fid);

	if (!f || f->fd < 0)
		return EBADF;
	if ((c->q->fsync.datasync ? fdatasync : fsync)(f->fd))
		return errno;
	reply(c);
	return 0;
}

/* Locks are the guest's own business: every lock is granted. */
static int do_lock(struct ctx *c)
{
	const struct p9_req *q = c->q;

	if (!fid_get(c->s, q->fid))
		return EBADF;
	reply(c);
	if (q->type == P9_TLOCK) {
		p9_put_u8(&c->w, 0);	/* P9_LOCK_SUCCESS */
		return 0;
	}
	p9_put_u8(&c->w, 2);		/* F_UNLCK: nobody holds it */
	p9_put_u64(&c->w, q->lock.start);
	p9_put_u64(&c->w, q->lock.length);
	p9_put_u32(&c->w, q->lock.proc_id);
	p9_put_str(&c->w, q->lock.client_id.s, q->lock.client_id.len);
	return 0;
}

static int dispatch(struct ctx *c)
{
	switch (c->q->type) {
	case P9_TVERSION:	return do_version(c);
	case P9_TATTACH:	return do_attach(c);
	case P9_TFLUSH:		/* nothing to flush: all synchronous */
		reply(c);
		return 0;
	case P9_TWALK:		return do_walk(c);
	case P9_TGETATTR:	return do_getattr(c);
	case P9_TSETATTR:	return do_setattr(c);
	case P9_TLOPEN:		return do_lopen(c);
	case P9_TLCREATE:	return do_lcreate(c);
	case P9_TREAD:		return do_read(c);
	case P9_TWRITE:		return do_write(c);
	case P9_TREADDIR:	return do_readdir(c);
	case P9_TCLUNK:		return do_clunk(c);
	case P9_TREMOVE:	return do_remove(c);
	case P9_TSTATFS:	return do_statfs(c);
	case P9_TREADLINK:	return do_readlink(c);
	case P9_TMKDIR:		return do_mkdir(c);
	case P9_TSYMLINK:	return do_symlink(c);
	case P9_TLINK:		return do_link(c);
	case P9_TRENAME:	return do_rename(c);
	case P9_TRENAMEAT:	return do_renameat(c);
	case P9_TUNLINKAT:	return do_unlinkat(c);
	case P9_TFSYNC:		return do_fsync(c);
	case P9_TLOCK:
	case P9_TGETLOCK:	return do_lock(c);
	}
	/* Tauth, Tmknod, xattrs: not offered. */
	return EOPNOTSUPP;
}

size_t p9_server_handle(struct p9_server *s, const uint8_t *req, size_t len,
			uint8_t *resp, size_t cap)
{
	struct p9_req q;
	struct ctx c = { .s = s, .q = &q, .resp = resp };
	size_t n;
	int err;

	cap = MIN(cap, (size_t)s->msize);
	c.cap = cap;
	if (cap < P9_HDR_SIZE + 4)
		return 0;
	if (len > s->msize) {
		uint32_t size;
		uint8_t type;
		uint16_t tag = P9_NOTAG;

		p9_peek_header(req, len, &size, &type, &tag);
		return p9_encode_error(resp, cap, tag, EMSGSIZE);
	}
	err = p9_decode(req, len, &q);
	if (!err)
		err = dispatch(&c);
	if (!err) {
		n = p9_finish(&c.w);
		if (n)
			return n;
		/* The reply did not fit the guest's buffer. */
		err = ENOBUFS;
	}
	return p9_encode_error(resp, cap, q.tag, (uint32_t)err);
}
