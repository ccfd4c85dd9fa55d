/*
 * Synthetic arm64 Images for the tests: the 64-byte header written byte by
 * byte from the layout in Linux's booting.rst, independently of the loader
 * under test.  A header, not a .c file, because every helper .c in
 * tests/unit is linked into every test binary.
 */
#ifndef REALMVM_TEST_IMAGE_FIXTURE_H
#define REALMVM_TEST_IMAGE_FIXTURE_H

#include <stdint.h>
#include <string.h>

/* Little-endian, as every Image header field is. */
static inline void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Overwrite the first 64 bytes of p with an Image header. */
static inline void image_header(uint8_t *p, uint64_t text_offset,
				uint64_t image_size, uint64_t flags)
{
	memset(p, 0, 64);
	put64(p + 8, text_offset);
	put64(p + 16, image_size);
	put64(p + 24, flags);
	memcpy(p + 0x38, "ARM\x64", 4);		/* magic */
}

#endif
