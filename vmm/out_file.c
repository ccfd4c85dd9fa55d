/*
 * Checked, atomic output files (see out_file.h).  rename() replaces the
 * directory entry itself, so it never follows a symlink at the last
 * component; the checks here make sure it does not replace one either,
 * nor a device node such as /dev/null.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/out_file.h"
#include "vmm/util.h"

/* The target must be absent or a regular file; lstat: never follow it. */
static int check_target(const char *opt, const char *path, struct stat *st,
			bool *exists)
{
	*exists = false;
	if (lstat(path, st) < 0) {
		if (errno == ENOENT)
			return 0;
		return pr_err("cannot create %s: %s", path, strerror(errno));
	}
	if (S_ISLNK(st->st_mode))
		return pr_err("%s %s: is a symbolic link; refusing to replace it",
			      opt, path);
	if (!S_ISREG(st->st_mode))
		return pr_err("%s %s: exists and is not a regular file; refusing to replace it",
			      opt, path);
	*exists = true;
	return 0;
}

int out_check(const char *opt, const char *path, struct out_target *t)
{
	struct stat st;
	char *copy;
	const char *slash;
	int ret;

	memset(t, 0, sizeof(*t));
	t->opt = opt;
	t->path = path;
	if (!*path)
		return pr_err("%s needs a file name", opt);
	slash = strrchr(path, '/');
	t->name = slash ? slash + 1 : path;
	if (!*t->name || !strcmp(t->name, ".") || !strcmp(t->name, ".."))
		return pr_err("%s %s: not a file name", opt, path);
	if (check_target(opt, path, &st, &t->exists))
		return -1;
	if (t->exists) {
		t->dev = st.st_dev;
		t->ino = st.st_ino;
	}
	copy = strdup(path);
	if (!copy)
		return pr_err("%s: out of memory", path);
	ret = stat(dirname(copy), &st);
	free(copy);
	if (ret < 0)
		return pr_err("cannot create %s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pr_err("cannot create %s: %s", path, strerror(ENOTDIR));
	t->dir_dev = st.st_dev;
	t->dir_ino = st.st_ino;
	return 0;
}

bool out_same(const struct out_target *a, const struct out_target *b)
{
	if (a->dir_dev == b->dir_dev && a->dir_ino == b->dir_ino &&
	    !strcmp(a->name, b->name))
		return true;
	return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
}

/*
 * The process umask, read without changing it for longer than two calls;
 * outputs are written only once the hashing threads have finished.
 */
static mode_t current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		len -= w;
	}
	return 0;
}

int out_stage(struct out_stage *s, const char *path, const void *data,
	      size_t len)
{
	size_t plen = strlen(path);
	int fd, err;

	s->path = path;
	s->tmp = malloc(plen + 16);
	if (!s->tmp)
		return pr_err("%s: out of memory", path);
	snprintf(s->tmp, plen + 16, "%s.tmpXXXXXX", path);
	/* mkstemp: O_EXCL on a fresh name, so nothing existing is opened. */
	fd = mkostemp(s->tmp, O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		free(s->tmp);
		s->tmp = NULL;
		return pr_err("cannot create %s: %s", path, strerror(err));
	}
	/* mkstemp creates 0600; an output gets what creat() would give. */
	if (fchmod(fd, 0666 & ~current_umask()) < 0 ||
	    write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		err = errno;
		close(fd);
		out_abort(s);
		return pr_err("cannot write %s: %s", path, strerror(err));
	}
	if (close(fd) < 0) {
		err = errno;
		out_abort(s);
		return pr_err("cannot write %s: %s", path, strerror(err));
	}
	return 0;
}

/* Make the rename itself durable: fsync the directory that holds it. */
static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return;
	fsync(fd);
	close(fd);
}

int out_commit(struct out_stage *s)
{
	struct stat st;
	bool exists;
	int err;

	if (!s->tmp)
		return pr_err("cannot write %s: nothing staged", s->path);
	/* Something may have appeared since out_check(): look again. */
	if (check_target("output", s->path, &st, &exists)) {
		out_abort(s);
		return -1;
	}
	if (rename(s->tmp, s->path) < 0) {
		err = errno;
		out_abort(s);
		return pr_err("cannot write %s: %s", s->path, strerror(err));
	}
	free(s->tmp);
	s->tmp = NULL;
	sync_dir(s->path);
	return 0;
}

void out_abort(struct out_stage *s)
{
	if (!s->tmp)
		return;
	unlink(s->tmp);
	free(s->tmp);
	s->tmp = NULL;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	struct out_stage s;

	if (out_stage(&s, path, data, len))
		return -1;
	return out_commit(&s);
}
