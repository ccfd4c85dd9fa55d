/*
 * Small shared helpers: one-line error reporting, exit codes, checked
 * arithmetic and whole-file I/O.  Every user-facing failure goes through
 * pr_err() so that errors look the same everywhere and stay on one line.
 */
#ifndef REALMVM_UTIL_H
#define REALMVM_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit statuses: 2 for a command line we cannot accept, 1 for run time. */
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2

#define SZ_4K		0x1000ULL
#define SZ_64K		0x10000ULL
#define SZ_1M		0x100000ULL
#define SZ_2M		0x200000ULL
#define SZ_1G		0x40000000ULL
#define GRANULE_SIZE	SZ_4K

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)		(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((uint64_t)(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((uint64_t)(a) - 1)) == 0)
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

/*
 * Print "realmvm: <message>" on stderr and return -1, so callers can write
 * "return pr_err(...)".  The message must not contain a newline.
 */
int pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Informational line on stderr, suppressed when quiet. */
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern bool util_quiet;

/* a + b and a * b without wrapping; false when the result would overflow. */
static inline bool add_ok(uint64_t a, uint64_t b, uint64_t *res)
{
	return !__builtin_add_overflow(a, b, res);
}

static inline bool mul_ok(uint64_t a, uint64_t b, uint64_t *res)
{
	return !__builtin_mul_overflow(a, b, res);
}

/* True if [a, a+alen) and [b, b+blen) share a byte (lengths must not wrap). */
static inline bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
				  uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

/*
 * Open an input file (what names it in errors: "kernel", "initrd"...):
 * it must be a regular file of at most max_size bytes.  The open never
 * blocks (a named pipe is refused, not waited on).  Returns the fd,
 * with *size set, or -1 after a one-line error.
 */
int open_input_file(const char *path, const char *what, uint64_t max_size,
		    uint64_t *size);
/* pread() exactly len bytes at off, retrying short reads; -1 on error. */
int pread_full(int fd, void *buf, uint64_t len, uint64_t off,
	       const char *what, const char *path);

/*
 * MemAvailable of /proc/meminfo in bytes: what the host can give without
 * swapping.  -1 (and no message) when the kernel does not say.
 */
int host_mem_available(uint64_t *bytes);

/*
 * Read a whole file into a malloc'ed buffer.  Refuses files larger than
 * max_size with an error naming what (e.g. "kernel") was being read.
 */
int read_whole_file(const char *path, const char *what, size_t max_size,
		    uint8_t **buf, size_t *len);

/* Lowercase hex of len bytes into out (2*len+1 bytes). */
void hex_encode(const uint8_t *in, size_t len, char *out);
/* Parse hex (no prefix, even length) into at most max bytes; -1 on error. */
int hex_decode(const char *in, uint8_t *out, size_t max, size_t *len);

#endif
