/*
 * Shared by the fuzz harnesses: a reader that hands out fuzzer bytes as
 * little-endian integers (zeros once the input runs out, so every input
 * is a valid script), and a memfd holding bytes for code that only
 * takes a file name.
 */
#ifndef REALMVM_FUZZ_INPUT_H
#define REALMVM_FUZZ_INPUT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct fz {
	const uint8_t *p;
	size_t n;
};

static inline uint64_t fz_take(struct fz *f, unsigned int bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < bytes && f->n; i++, f->p++, f->n--)
		v |= (uint64_t)*f->p << (8 * i);
	return v;
}

#define fz_u8(f)	((uint8_t)fz_take(f, 1))
#define fz_u16(f)	((uint16_t)fz_take(f, 2))
#define fz_u32(f)	((uint32_t)fz_take(f, 4))
#define fz_u64(f)	fz_take(f, 8)

/*
 * Put len bytes in an anonymous file; path receives a name that open()
 * accepts.  Returns the fd (close it when done) or -1.
 */
static inline int fz_memfd(const void *data, size_t len, char path[64])
{
	int fd = memfd_create("fuzz", MFD_CLOEXEC);
	const uint8_t *p = data;

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w <= 0) {
			close(fd);
			return -1;
		}
		p += w;
		len -= w;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
