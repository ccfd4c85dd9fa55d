/*
 * arm64 Linux Image loading.  Only the header fields that booting.rst
 * defines are trusted, and each is checked before it steers placement.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmm/file_to_guest.h"
#include "vmm/gunzip.h"
#include "vmm/guest_mem.h"
#include "vmm/image_loader.h"
#include "vmm/util.h"

int image_parse(const uint8_t *buf, size_t len, const char *path,
		struct kernel_image *img)
{
	struct arm64_image_header h;
	uint64_t page;

	if (len < sizeof(h))
		return pr_err("kernel %s: truncated (%zu bytes, an arm64 Image header needs %zu)",
			      path, len, sizeof(h));
	memcpy(&h, buf, sizeof(h));
	if (le32toh(h.magic) != ARM64_IMAGE_MAGIC)
		return pr_err("kernel %s: not an arm64 Image (bad magic)", path);

	img->flags = le64toh(h.flags);
	img->image_size = le64toh(h.image_size);
	img->text_offset = le64toh(h.text_offset);
	img->old_header = img->image_size == 0;
	if (img->old_header) {
		/*
		 * Before v3.17 text_offset had the kernel's endianness and
		 * flags did not exist: booting.rst says to assume 0x80000,
		 * and the file itself is all we know of the kernel's size.
		 */
		img->text_offset = ARM64_OLD_TEXT_OFFSET;
		img->flags = 0;
		img->image_size = len;
	} else {
		if (img->flags & ARM64_IMAGE_FLAG_BE)
			return pr_err("kernel %s: big-endian kernel, only little-endian is supported",
				      path);
		/*
		 * booting.rst: the Image sits text_offset bytes above a 2 MiB
		 * aligned base; head.S has always required text_offset to be
		 * 4 KiB aligned and below 2 MiB.  Anything else would put the
		 * entry point (measured in the REC) at a nonsense address.
		 */
		if (!IS_ALIGNED(img->text_offset, ARM64_TEXT_OFFSET_ALIGN))
			return pr_err("kernel %s: text_offset 0x%llx is not 4 KiB aligned",
				      path,
				      (unsigned long long)img->text_offset);
		if (img->text_offset >= ARM64_TEXT_OFFSET_MAX)
			return pr_err("kernel %s: text_offset 0x%llx is not below 2 MiB",
				      path,
				      (unsigned long long)img->text_offset);
		if (img->image_size < len)
			return pr_err("kernel %s: truncated or corrupt: header image_size %llu is smaller than the file (%zu bytes)",
				      path,
				      (unsigned long long)img->image_size,
				      len);
	}
	page = (img->flags & ARM64_IMAGE_FLAG_PAGE_MASK) >>
	       ARM64_IMAGE_FLAG_PAGE_SHIFT;
	img->page_size = page == 1 ? 4096 : page == 2 ? 16384 :
			 page == 3 ? 65536 : 0;
	return 0;
}

int image_from_buffer(uint8_t *buf, size_t len, const char *path,
		      struct kernel_image *img)
{
	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->path = path;
	if (is_gzip(buf, len)) {
		uint8_t *out;
		size_t out_len;
		int ret;

		ret = gunzip_buffer(buf, len, KERNEL_MAX_SIZE, "kernel", path,
				    &out, &out_len);
		free(buf);
		if (ret)
			return -1;
		buf = out;
		len = out_len;
		img->gzipped = true;
	}
	if (image_parse(buf, len, path, img)) {
		free(buf);
		return -1;
	}
	img->data = buf;
	img->size = len;
	return 0;
}

/*
 * A gzip kernel is read twice from its file and never buffered: once for
 * its header and size, refused as soon as it inflates past what the
 * header says the kernel occupies (image_size, which the layout reserves
 * in guest RAM), and again at load time straight into guest RAM.
 */
static int image_gzip_file(int fd, uint64_t size, const char *path,
			   struct kernel_image *img)
{
	struct gz_source src = {
		.fd = fd, .size = size, .what = "kernel", .path = path,
	};
	uint8_t hdr[sizeof(struct arm64_image_header)];
	uint64_t cap = KERNEL_MAX_SIZE, len;
	size_t got;

	if (gunzip_head(&src, hdr, sizeof(hdr), &got))
		return -1;
	if (image_parse(hdr, got, path, img))
		return -1;
	if (!img->old_header)
		cap = MIN(cap, img->image_size);
	if (gunzip_count(&src, cap, &len) || image_parse(hdr, len, path, img))
		return -1;
	img->fd = fd;
	img->file_size = size;
	img->size = len;
	img->gzipped = true;
	return 0;
}

int image_load_file(const char *path, struct kernel_image *img)
{
	uint8_t hdr[sizeof(struct arm64_image_header)];
	uint64_t size;
	size_t n;
	int fd;

	memset(img, 0, sizeof(*img));
	img->fd = -1;
	img->path = path;
	fd = open_input_file(path, "kernel", KERNEL_MAX_SIZE, &size);
	if (fd < 0)
		return -1;
	n = MIN(sizeof(hdr), size);
	if (pread_full(fd, hdr, n, 0, "kernel", path)) {
		close(fd);
		return -1;
	}
	if (is_gzip(hdr, n)) {
		if (image_gzip_file(fd, size, path, img)) {
			close(fd);
			img->fd = -1;
			return -1;
		}
		return 0;
	}
	if (image_parse(hdr, size, path, img)) {
		close(fd);
		return -1;
	}
	img->fd = fd;
	img->file_size = size;
	img->size = size;
	return 0;
}

static int image_to_guest(const struct kernel_image *img,
			  struct guest_mem *gm, uint64_t ipa, bool map)
{
	void *dst = gm_ptr(gm, ipa, img->size);

	if (!dst)
		return pr_err("kernel (%zu bytes) does not fit in RAM at 0x%llx",
			      img->size, (unsigned long long)ipa);
	if (img->data) {
		memcpy(dst, img->data, img->size);
		return 0;
	}
	if (img->fd < 0)
		return pr_err("kernel %s: not open", img->path);
	if (img->gzipped) {
		struct gz_source src = {
			.fd = img->fd, .size = img->file_size,
			.what = "kernel", .path = img->path,
		};

		return gunzip_to(&src, dst, img->size);
	}
	return (map ? file_map_to_guest : file_read_to_guest)(img->fd,
		"kernel", img->path, img->size, gm, ipa);
}

int image_copy_to_guest(const struct kernel_image *img, struct guest_mem *gm,
			uint64_t ipa)
{
	return image_to_guest(img, gm, ipa, false);
}

int image_map_to_guest(const struct kernel_image *img, struct guest_mem *gm,
		       uint64_t ipa)
{
	return image_to_guest(img, gm, ipa, true);
}

void image_free(struct kernel_image *img)
{
	free(img->data);
	if (img->fd >= 0)
		close(img->fd);
	memset(img, 0, sizeof(*img));
	img->fd = -1;
}
