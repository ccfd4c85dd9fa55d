/*
 * initrd loading.  A plain initrd is read directly into its final place
 * in guest RAM.  A gzip one is inflated twice from its file, never into a
 * buffer of ours: once to count its size (refused past
 * INITRD_GZIP_MAX_SIZE) so that the layout can place it, then straight
 * into guest RAM.
 */
#include <string.h>
#include <unistd.h>

#include "vmm/file_to_guest.h"
#include "vmm/gunzip.h"
#include "vmm/guest_mem.h"
#include "vmm/initrd_loader.h"
#include "vmm/util.h"

int initrd_open(const char *path, struct initrd *rd)
{
	uint8_t magic[2];

	memset(rd, 0, sizeof(*rd));
	rd->path = path;
	rd->fd = open_input_file(path, "initrd", INITRD_MAX_SIZE, &rd->size);
	if (rd->fd < 0)
		return -1;
	if (rd->size == 0) {
		initrd_close(rd);
		return pr_err("initrd %s: empty file", path);
	}
	if (rd->size >= 2 &&
	    pread_full(rd->fd, magic, 2, 0, "initrd", path) == 0 &&
	    is_gzip(magic, 2)) {
		struct gz_source src = {
			.fd = rd->fd, .size = rd->size, .what = "initrd",
			.path = path,
		};
		uint64_t len;

		/*
		 * Inflated twice (counted, then into guest RAM): bound the
		 * work a small hostile file can cost, on both sides.
		 */
		if (rd->size > INITRD_GZIP_MAX_SIZE) {
			initrd_close(rd);
			return pr_err("initrd %s: gzip file too large (%llu bytes, at most %llu)",
				      path, (unsigned long long)rd->size,
				      INITRD_GZIP_MAX_SIZE);
		}
		/* Counted here, inflated into guest RAM by initrd_load(). */
		if (gunzip_count(&src, INITRD_GZIP_MAX_SIZE, &len)) {
			initrd_close(rd);
			return -1;
		}
		if (!len) {
			initrd_close(rd);
			return pr_err("initrd %s: decompresses to nothing",
				      path);
		}
		rd->file_size = rd->size;
		rd->size = len;
		rd->gzipped = true;
	}
	return 0;
}

int initrd_load(struct initrd *rd, struct guest_mem *gm, uint64_t ipa)
{
	uint8_t *dst = gm_ptr(gm, ipa, rd->size);

	if (!dst)
		return pr_err("initrd (%llu bytes) does not fit in RAM at 0x%llx",
			      (unsigned long long)rd->size,
			      (unsigned long long)ipa);
	if (rd->fd < 0)
		return pr_err("initrd %s: not open", rd->path);
	if (rd->gzipped) {
		struct gz_source src = {
			.fd = rd->fd, .size = rd->file_size, .what = "initrd",
			.path = rd->path,
		};

		return gunzip_to(&src, dst, rd->size);
	}
	return file_read_to_guest(rd->fd, "initrd", rd->path, rd->size, gm, ipa);
}

int initrd_map(struct initrd *rd, struct guest_mem *gm, uint64_t ipa)
{
	if (rd->fd < 0 || rd->gzipped)
		return initrd_load(rd, gm, ipa);
	return file_map_to_guest(rd->fd, "initrd", rd->path, rd->size, gm, ipa);
}

void initrd_close(struct initrd *rd)
{
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
}
