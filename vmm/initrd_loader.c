/*
 * initrd loading.  The file is loaded byte for byte as given, compressed
 * or not, as lkvm and QEMU do: the kernel unpacks it, and accepts forms
 * (gzip followed by padding, a cpio followed by a compressed one) that
 * inflating here would refuse.  It also keeps what is measured and logged
 * for a realm equal to the file a verifier holds.  Being plain, it is read
 * straight into its final place in guest RAM.
 */
#include <string.h>
#include <unistd.h>

#include "vmm/file_to_guest.h"
#include "vmm/guest_mem.h"
#include "vmm/initrd_loader.h"
#include "vmm/util.h"

int initrd_open(const char *path, struct initrd *rd)
{
	memset(rd, 0, sizeof(*rd));
	rd->path = path;
	rd->fd = open_input_file(path, "initrd", INITRD_MAX_SIZE, &rd->size);
	if (rd->fd < 0)
		return -1;
	if (rd->size == 0) {
		initrd_close(rd);
		return pr_err("initrd %s: empty file", path);
	}
	return 0;
}

int initrd_load(struct initrd *rd, struct guest_mem *gm, uint64_t ipa)
{
	if (!gm_ptr(gm, ipa, rd->size))
		return pr_err("initrd (%llu bytes) does not fit in RAM at 0x%llx",
			      (unsigned long long)rd->size,
			      (unsigned long long)ipa);
	if (rd->fd < 0)
		return pr_err("initrd %s: not open", rd->path);
	return file_read_to_guest(rd->fd, "initrd", rd->path, rd->size, gm, ipa);
}

int initrd_map(struct initrd *rd, struct guest_mem *gm, uint64_t ipa)
{
	if (rd->fd < 0)
		return initrd_load(rd, gm, ipa);
	return file_map_to_guest(rd->fd, "initrd", rd->path, rd->size, gm, ipa);
}

void initrd_close(struct initrd *rd)
{
	if (rd->fd >= 0)
		close(rd->fd);
	rd->fd = -1;
}
