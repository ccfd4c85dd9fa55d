/*
 * initrd loading.  A large plain initrd is read directly into its final
 * place in guest RAM; only a gzip one goes through a buffer, because its
 * size is unknown until it has been inflated.
 */
#include <stdlib.h>
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
		uint8_t *buf;
		int ret;

		/* Bound the buffer it is read into before it is inflated. */
		if (rd->size > INITRD_GZIP_MAX_SIZE) {
			initrd_close(rd);
			return pr_err("initrd %s: gzip file too large (%llu bytes, at most %llu)",
				      path, (unsigned long long)rd->size,
				      INITRD_GZIP_MAX_SIZE);
		}
		buf = malloc(rd->size);
		if (!buf) {
			initrd_close(rd);
			return pr_err("initrd %s: out of memory", path);
		}
		ret = pread_full(rd->fd, buf, rd->size, 0, "initrd", path);
		close(rd->fd);
		rd->fd = -1;
		if (!ret) {
			size_t out_len;

			ret = gunzip_buffer(buf, rd->size, INITRD_GZIP_MAX_SIZE,
					    "initrd", path, &rd->data,
					    &out_len);
			rd->size = out_len;
		}
		free(buf);
		if (ret) {
			initrd_close(rd);
			return -1;
		}
		if (!rd->size) {
			initrd_close(rd);
			return pr_err("initrd %s: decompresses to nothing",
				      path);
		}
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
	if (rd->data) {
		memcpy(dst, rd->data, rd->size);
		return 0;
	}
	if (rd->fd < 0)
		return pr_err("initrd %s: not open", rd->path);
	return file_read_to_guest(rd->fd, "initrd", rd->path, rd->size, gm, ipa);
}

int initrd_map(struct initrd *rd, struct guest_mem *gm, uint64_t ipa)
{
	if (rd->data || rd->fd < 0)
		return initrd_load(rd, gm, ipa);
	return file_map_to_guest(rd->fd, "initrd", rd->path, rd->size, gm, ipa);
}

void initrd_close(struct initrd *rd)
{
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
	free(rd->data);
	rd->data = NULL;
}
