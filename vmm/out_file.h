/*
 * Output files written by a process that runs as root: checked before any
 * work is done, written to a temporary file beside the target, fsync'd
 * and renamed over it, so that an output is all or nothing and never
 * replaces anything but a regular file.
 */
#ifndef REALMVM_OUT_FILE_H
#define REALMVM_OUT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where an output will land: its directory and name, and what is there. */
struct out_target {
	const char *opt;	/* "--dtb-out", ... for messages */
	const char *path;
	dev_t dir_dev;
	ino_t dir_ino;
	const char *name;	/* last component, inside path */
	bool exists;		/* a regular file is there now */
	dev_t dev;
	ino_t ino;
};

/*
 * Check that path may be written as an output: its directory exists and
 * the last component is absent or a regular file (not a symlink, device,
 * pipe or directory).  Fills t; returns 0 or -1 after a one-line error.
 */
int out_check(const char *opt, const char *path, struct out_target *t);

/* Do two outputs name the same file (same directory entry or inode)? */
bool out_same(const struct out_target *a, const struct out_target *b);

/* A staged output: the data is in tmp, fsync'd, not yet renamed. */
struct out_stage {
	const char *path;
	char *tmp;		/* NULL when nothing is staged */
};

/*
 * Write data to a new temporary file beside path, with mode 0666 less
 * the umask, and fsync it.  On failure nothing is left behind.
 */
int out_stage(struct out_stage *s, const char *path, const void *data,
	      size_t len);
/*
 * Rename the staged file over path (re-checking that path is not a
 * symlink or a non-regular file first) and fsync the directory.  On
 * failure the temporary file is removed.
 */
int out_commit(struct out_stage *s);
/* Remove a staged, uncommitted file. */
void out_abort(struct out_stage *s);

/* out_stage() then out_commit(). */
int write_file_atomic(const char *path, const void *data, size_t len);

#endif
