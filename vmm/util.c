/*
 * Shared helpers: error lines, whole-file reads and hex.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/util.h"

bool util_quiet;

int pr_err(const char *fmt, ...)
{
	va_list ap;

	fputs("realmvm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	if (util_quiet)
		return;
	fputs("realmvm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int open_input_file(const char *path, const char *what, uint64_t max_size,
		    uint64_t *size)
{
	struct stat st;
	int fd;

	/*
	 * O_NONBLOCK: a named pipe (or a tty) must not block the open; it is
	 * refused by the fstat check below.  It changes nothing for the
	 * regular files that pass.
	 */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return pr_err("%s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pr_err("%s %s: not a regular file", what, path);
	}
	if ((uint64_t)st.st_size > max_size) {
		close(fd);
		return pr_err("%s %s: too large (%lld bytes, at most %llu)",
			      what, path, (long long)st.st_size,
			      (unsigned long long)max_size);
	}
	*size = st.st_size;
	return fd;
}

int pread_full(int fd, void *buf, uint64_t len, uint64_t off,
	       const char *what, const char *path)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, MIN(len, SZ_1G), off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return pr_err("%s %s: read failed: %s", what, path,
				      r ? strerror(errno) : "file shrank");
		p += r;
		len -= r;
		off += r;
	}
	return 0;
}

int read_whole_file(const char *path, const char *what, size_t max_size,
		    uint8_t **buf, size_t *len)
{
	uint64_t size;
	uint8_t *p;
	int fd;

	fd = open_input_file(path, what, max_size, &size);
	if (fd < 0)
		return -1;
	p = malloc(size ? size : 1);
	if (!p) {
		close(fd);
		return pr_err("%s %s: out of memory", what, path);
	}
	if (pread_full(fd, p, size, 0, what, path)) {
		free(p);
		close(fd);
		return -1;
	}
	close(fd);
	*buf = p;
	*len = size;
	return 0;
}

void hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int hex_decode(const char *in, uint8_t *out, size_t max, size_t *len)
{
	size_t n = strlen(in), i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_nibble(in[2 * i]), lo = hex_nibble(in[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

int host_mem_available(uint64_t *bytes)
{
	unsigned long long kb;
	char line[128];
	FILE *f;
	int ret = -1;

	f = fopen("/proc/meminfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			*bytes = (uint64_t)kb << 10;
			ret = 0;
			break;
		}
	fclose(f);
	return ret;
}
