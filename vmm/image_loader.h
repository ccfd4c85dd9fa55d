/*
 * The arm64 Linux Image: header parsing per the kernel's
 * Documentation/arch/arm64/booting.rst, optional gzip, and loading into
 * guest memory.
 */
#ifndef REALMVM_IMAGE_LOADER_H
#define REALMVM_IMAGE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct guest_mem;

/* The 64-byte header at the start of every arm64 Image. */
struct arm64_image_header {
	uint32_t code0;
	uint32_t code1;
	uint64_t text_offset;	/* LE since v3.17 */
	uint64_t image_size;	/* LE; 0 on kernels before v3.17 */
	uint64_t flags;		/* LE */
	uint64_t res2;
	uint64_t res3;
	uint64_t res4;
	uint32_t magic;		/* "ARM\x64" */
	uint32_t res5;		/* PE/COFF header offset on EFI kernels */
};

#define IH_OFF(f) offsetof(struct arm64_image_header, f)
_Static_assert(IH_OFF(code0) == 0x00, "Image header code0");
_Static_assert(IH_OFF(code1) == 0x04, "Image header code1");
_Static_assert(IH_OFF(text_offset) == 0x08, "Image header text_offset");
_Static_assert(IH_OFF(image_size) == 0x10, "Image header image_size");
_Static_assert(IH_OFF(flags) == 0x18, "Image header flags");
_Static_assert(IH_OFF(res2) == 0x20, "Image header res2");
_Static_assert(IH_OFF(res3) == 0x28, "Image header res3");
_Static_assert(IH_OFF(res4) == 0x30, "Image header res4");
_Static_assert(IH_OFF(magic) == 0x38, "Image header magic");
_Static_assert(IH_OFF(res5) == 0x3c, "Image header res5");
_Static_assert(sizeof(struct arm64_image_header) == 0x40, "Image header");
#undef IH_OFF

/* "ARM\x64" read as a little-endian u32 */
#define ARM64_IMAGE_MAGIC		0x644d5241U
#define ARM64_IMAGE_FLAG_BE		(1ULL << 0)
#define ARM64_IMAGE_FLAG_PAGE_SHIFT	1
#define ARM64_IMAGE_FLAG_PAGE_MASK	(3ULL << 1)
#define ARM64_IMAGE_FLAG_ANYWHERE	(1ULL << 3)
/* Pre-v3.17 kernels have image_size 0 and this implied text_offset. */
#define ARM64_OLD_TEXT_OFFSET		0x80000ULL

/* booting.rst / head.S: text_offset is 4 KiB aligned and below 2 MiB. */
#define ARM64_TEXT_OFFSET_ALIGN		0x1000ULL
#define ARM64_TEXT_OFFSET_MAX		0x200000ULL

/* Largest kernel file, and largest decompressed Image, we accept. */
#define KERNEL_MAX_SIZE			(512ULL << 20)

struct kernel_image {
	uint8_t *data;		/* image_from_buffer(): the Image; or NULL */
	int fd;			/* the file, read at load time; or -1 */
	const char *path;
	uint64_t file_size;	/* bytes in the file (compressed if gzip) */
	size_t size;		/* bytes to load */
	uint64_t text_offset;	/* from a 2 MiB aligned base */
	uint64_t image_size;	/* bytes the kernel owns, BSS included */
	uint64_t flags;
	unsigned int page_size;	/* from flags; 0 = unspecified */
	bool old_header;	/* image_size was 0 */
	bool gzipped;
};

/*
 * Check an in-memory Image and fill img's header fields (not data).
 * path names the file in errors.
 */
int image_parse(const uint8_t *buf, size_t len, const char *path,
		struct kernel_image *img);

/*
 * Take ownership of buf (malloc'ed, len bytes): gunzip it if it is gzip,
 * then parse.  On failure buf has been freed.
 */
int image_from_buffer(uint8_t *buf, size_t len, const char *path,
		      struct kernel_image *img);

/*
 * Open and parse a kernel file.  A plain Image is only opened and its
 * header read: its bytes go straight into guest memory at load time.  A
 * gzip one is inflated here only to read its header and count its size
 * (refused once it passes the header's image_size), and inflated again
 * straight into guest memory at load time.
 */
int image_load_file(const char *path, struct kernel_image *img);

/* Put the Image into guest memory at ipa (the layout's kernel.ipa). */
int image_copy_to_guest(const struct kernel_image *img, struct guest_mem *gm,
			uint64_t ipa);
/* The same for a dry run: a plain Image is mapped (file_map_to_guest()). */
int image_map_to_guest(const struct kernel_image *img, struct guest_mem *gm,
		       uint64_t ipa);

void image_free(struct kernel_image *img);

#endif
