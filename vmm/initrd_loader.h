/*
 * The initrd: opened (and, if gzip, decompressed) before the layout is
 * known, loaded into guest memory once it is.  A gzip initrd is loaded
 * decompressed, so the bytes in guest memory, measured for a realm and
 * hashed into the event log, are the decompressed ones.
 */
#ifndef REALMVM_INITRD_LOADER_H
#define REALMVM_INITRD_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arm64/layout.h"

struct guest_mem;

/* The layout decides what fits in RAM; no initrd can pass this window. */
#define INITRD_MAX_SIZE		INITRD_WINDOW
/*
 * A gzip initrd is inflated twice from its file, so its compressed and
 * inflated sizes keep a tighter bound on that work.
 */
#define INITRD_GZIP_MAX_SIZE	BLOB_WINDOW

struct initrd {
	const char *path;
	int fd;			/* the file, read at load; or -1 */
	uint64_t file_size;	/* gzip: compressed bytes in the file */
	uint64_t size;		/* bytes to load (decompressed) */
	bool gzipped;
};

int initrd_open(const char *path, struct initrd *rd);
/*
 * Put the initrd at ipa.  A plain file is read straight into guest
 * memory, with no intermediate copy.
 */
int initrd_load(struct initrd *rd, struct guest_mem *gm, uint64_t ipa);
/*
 * The same for a dry run: a plain, page-aligned initrd is mapped from the
 * file over its place in guest memory, so measuring it hashes the page
 * cache directly, with no copy and no zeroing.  Not for launches: a guest
 * must not see later changes to the file.  Falls back to initrd_load().
 */
int initrd_map(struct initrd *rd, struct guest_mem *gm, uint64_t ipa);
void initrd_close(struct initrd *rd);

#endif
