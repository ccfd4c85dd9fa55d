/*
 * Fuzz whole `realmvm run --dry-run` and `realmvm log` command lines with
 * real files: the paths that open, check and write files, which the
 * parser-level targets never reach.  Everything happens in one scratch
 * directory made per process.
 *
 * Input: byte 0 picks the command (even: run, odd: log); then four files,
 * each a little-endian u16 length and its bytes (f0..f3 in the scratch
 * directory); the rest is the argument list, split at NUL bytes, in
 * which "@0".."@3" name the files, "@o0"/"@o1" two output paths, "@fifo"
 * a named pipe, "@link" a symlink to f0, "@dir" the directory itself and
 * "@nodir" a path under a missing directory.  `run` always gets
 * --dry-run, so nothing is launched.  The harness runs as root: commands
 * run with the scratch directory as their working directory, and an
 * input whose own arguments hold a '/' is skipped, so no other file on
 * the machine can be named.
 *
 * Invariants, abort() when broken: the exit status is 0, 1 or 2; no
 * temporary file is ever left behind; a failed command leaves every file
 * exactly as it was and creates none (all or nothing); a successful one
 * changes a file only if every mention of it is as an output (--dtb-out,
 * --log-out, --corim, --comid-json) or a -p/--realm-pv string, so an
 * input is never overwritten; the pipe stays a pipe and the symlink a
 * symlink to f0.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz/fuzz_input.h"
#include "vmm/commands.h"

#define NFILES		4
#define MAX_ARGS	48
#define PATH_LEN	300

static char dir[PATH_LEN];
static char fpath[NFILES][PATH_LEN];
static char opath[2][PATH_LEN];
static char fifo[PATH_LEN], link_path[PATH_LEN], nodir[PATH_LEN];

static void cleanup(void)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	rmdir(dir);
}

static void setup_once(void)
{
	const char *tmp = getenv("TMPDIR");
	int i;

	if (dir[0])
		return;
	snprintf(dir, sizeof(dir), "%s/realmvm-fuzz-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	for (i = 0; i < NFILES; i++)
		snprintf(fpath[i], PATH_LEN, "%s/f%d", dir, i);
	for (i = 0; i < 2; i++)
		snprintf(opath[i], PATH_LEN, "%s/out%d", dir, i);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(link_path, sizeof(link_path), "%s/link", dir);
	snprintf(nodir, sizeof(nodir), "%s/missing/x", dir);
	if (mkfifo(fifo, 0600) || symlink(fpath[0], link_path) ||
	    atexit(cleanup))
		abort();
}

static void put_file(const char *path, const uint8_t *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		abort();
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			abort();
		p += w;
		n -= w;
	}
	close(fd);
}

/* Does path hold exactly p[0..n)? */
static int same_bytes(const char *path, const uint8_t *p, size_t n)
{
	uint8_t buf[4096];
	size_t off = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 1;

	if (fd < 0)
		return 0;
	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		if (off + r > n || memcmp(buf, p + off, r))
			ok = 0;
		off += r;
	}
	close(fd);
	return ok && off == n;
}

static bool fixed_name(const char *n)
{
	return !strcmp(n, ".") || !strcmp(n, "..") || !strcmp(n, "fifo") ||
	       !strcmp(n, "link") ||
	       (n[0] == 'f' && n[1] >= '0' && n[1] < '0' + NFILES && !n[2]);
}

/*
 * An output's temporary file, as vmm/out_file.c names it: the output's
 * name, ".tmp" and mkostemp's six characters.
 */
static bool temp_name(const char *n)
{
	size_t len = strlen(n), i;

	if (len < 10 || strncmp(n + len - 10, ".tmp", 4))
		return false;
	for (i = len - 6; i < len; i++)
		if (!isalnum((unsigned char)n[i]))
			return false;
	return true;
}

static bool out_opt(const char *a);

/* Is n an output the command line names, spelled as a separate token? */
static bool named_output(const char *n, char **raw, int nraw)
{
	int i;

	for (i = 1; i < nraw; i++)
		if (!strcmp(raw[i], n) && out_opt(raw[i - 1]))
			return true;
	return false;
}

/*
 * The names in the scratch directory other than the fixed ones: outputs
 * (also relative names like "x") only when the command succeeded, never
 * a temporary file.  An output the user named ".tmpX" is still an
 * output: found by the fuzzer, which named one so.  They are removed for
 * the next input.
 */
static void check_dir(int status, char **raw, int nraw)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		abort();
	while ((de = readdir(d))) {
		const char *n = de->d_name;

		if (fixed_name(n))
			continue;
		if (status == 0 &&
		    (named_output(n, raw, nraw) || !temp_name(n))) {
			unlinkat(dirfd(d), n, 0);
			continue;
		}
		fprintf(stderr, "fuzz_cmdline: %s left in the scratch directory (status %d)\n",
			n, status);
		abort();
	}
	closedir(d);
}

/*
 * Is a a spelling getopt_long takes for an output: --dtb-out, --log-out,
 * --corim or --comid-json?  (--corim only whole: its prefixes are also
 * those of --corim-key and the other --corim-* options.)
 */
static bool out_opt(const char *a)
{
	size_t n = strlen(a);

	return (n > 6 && !strncmp("--dtb-out", a, n)) ||
	       (n >= 4 && !strncmp("--log-out", a, n)) ||
	       !strcmp(a, "--corim") ||
	       (n >= 5 && !strncmp("--comid-json", a, n));
}

/* An option whose value is a string, not a file. */
static bool string_opt(const char *a)
{
	size_t n = strlen(a);

	return !strcmp(a, "-p") || !strcmp(a, "--realm-pv") ||
	       (n >= 4 && !strncmp("--params", a, n));
}

/* May a successful run have written file k? (args: the raw tokens) */
static bool may_write(char **raw, int nraw, int k)
{
	char tok[3] = { '@', (char)('0' + k), '\0' };
	bool written = false;
	int i;

	for (i = 0; i < nraw; i++) {
		if (strcmp(raw[i], tok))
			continue;
		if (i > 0 && out_opt(raw[i - 1]))
			written = true;
		else if (!(i > 0 && string_opt(raw[i - 1])))
			return false;	/* named as an input, say */
	}
	return written;
}

static const char *subst(const char *a)
{
	if (a[0] != '@')
		return a;
	if (a[1] >= '0' && a[1] < '0' + NFILES && !a[2])
		return fpath[a[1] - '0'];
	if (!strcmp(a, "@o0"))
		return opath[0];
	if (!strcmp(a, "@o1"))
		return opath[1];
	if (!strcmp(a, "@fifo"))
		return fifo;
	if (!strcmp(a, "@link"))
		return link_path;
	if (!strcmp(a, "@dir"))
		return dir;
	if (!strcmp(a, "@nodir"))
		return nodir;
	return a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	const uint8_t *fdata[NFILES];
	size_t flen[NFILES];
	char *argv[MAX_ARGS + 4], *raw[MAX_ARGS + 4], *text, *p, *end;
	char cwd[4096], target[PATH_LEN];
	int nraw = 0;
	struct stat st;
	bool run;
	int argc = 0, i, status;
	ssize_t tl;

	setup_once();
	run = !(fz_u8(&f) & 1);
	for (i = 0; i < NFILES; i++) {
		size_t n = fz_u16(&f);

		n = n < f.n ? n : f.n;
		fdata[i] = f.p;
		flen[i] = n;
		put_file(fpath[i], f.p, n);
		f.p += n;
		f.n -= n;
	}
	unlink(opath[0]);
	unlink(opath[1]);

	text = malloc(f.n + 1);
	if (!text)
		return 0;
	memcpy(text, f.p, f.n);
	text[f.n] = '\0';
	argv[argc++] = run ? "run" : "log";
	if (run)
		argv[argc++] = "--dry-run";
	for (p = text, end = text + f.n; p <= end && argc < MAX_ARGS + 2;
	     p += strlen(p) + 1) {
		if (strchr(p, '/')) {
			free(text);
			return 0;	/* could name a file elsewhere */
		}
		raw[nraw++] = p;
		argv[argc++] = (char *)subst(p);
	}
	argv[argc] = NULL;

	/* Relative names land in the scratch directory too. */
	if (getcwd(cwd, sizeof(cwd)) == NULL || chdir(dir))
		abort();
	status = run ? cmd_run(argc, argv) : cmd_log(argc, argv);
	if (chdir(cwd))
		abort();

	if (status < 0 || status > 2)
		abort();
	check_dir(status, raw, nraw);
	for (i = 0; i < NFILES; i++) {
		if (same_bytes(fpath[i], fdata[i], flen[i]))
			continue;
		/* Failed: nothing may change.  Succeeded: only outputs. */
		if (status || !run || !may_write(raw, nraw, i)) {
			fprintf(stderr, "fuzz_cmdline: f%d changed (status %d)\n",
				i, status);
			abort();
		}
	}
	free(text);
	if (lstat(fifo, &st) || !S_ISFIFO(st.st_mode))
		abort();
	tl = readlink(link_path, target, sizeof(target) - 1);
	if (tl < 0)
		abort();
	target[tl] = '\0';
	if (strcmp(target, fpath[0]))
		abort();
	return 0;
}
