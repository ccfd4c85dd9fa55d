/*
 * A DTB given with -d is used byte for byte (a realm measures it), so it
 * is only checked, never edited: a broken tree is refused before launch.
 */
#include <libfdt.h>
#include <stdlib.h>

#include "arm64/fdt.h"
#include "arm64/layout.h"
#include "vmm/util.h"

/*
 * libfdt 1.6.1's fdt_next_tag() adds a property's length to the offset
 * without a wrap check: a length of 0xfffffff4 sends it back to the same
 * tag, and fdt_check_full() then loops for ever (found by fuzz_dtb).
 * fdt_check_full() walks the tags in this same order, so a first walk
 * that insists on moving forward keeps it finite.  Returns the offset
 * of the first tag that does not, or -1.
 */
static int backward_tag(const void *fdt)
{
	int offset = 0, next;

	while (fdt_next_tag(fdt, offset, &next) != FDT_END) {
		if (next <= offset)
			return offset;
		offset = next;
	}
	return -1;
}

int dtb_user_check(const void *buf, size_t len, const char *path)
{
	uint32_t total;
	int err, bad;

	if (len < sizeof(struct fdt_header))
		return pr_err("DTB %s: not a valid DTB (%zu bytes, shorter than its header)",
			      path, len);
	err = fdt_check_header(buf);
	if (err)
		return pr_err("DTB %s: not a valid DTB: %s", path,
			      fdt_strerror(err));
	/*
	 * Before version 16 node names were full paths and the layout
	 * differed; libfdt 1.6.1's fdt_check_full() dereferences NULL on
	 * such a tree (found by fuzz_dtb).  dtc and the DT specification
	 * use version 17, Linux needs 16 or later: refuse older ones here.
	 */
	if (fdt_version(buf) < 16)
		return pr_err("DTB %s: not a valid DTB: version %u (at least 16 is needed)",
			      path, fdt_version(buf));
	total = fdt_totalsize(buf);
	if (total > len)
		return pr_err("DTB %s: not a valid DTB: totalsize %u exceeds the file size %zu",
			      path, total, len);
	if (total > DTB_MAX_SIZE)
		return pr_err("DTB %s: too large (totalsize %u, at most %llu)",
			      path, total, (unsigned long long)DTB_MAX_SIZE);
	bad = backward_tag(buf);
	if (bad >= 0)
		return pr_err("DTB %s: not a valid DTB: the tag at structure offset %d does not advance (bad property length)",
			      path, bad);
	err = fdt_check_full(buf, total);
	if (err)
		return pr_err("DTB %s: not a valid DTB: %s", path,
			      fdt_strerror(err));
	return 0;
}

int dtb_user_load(const char *path, uint8_t **buf, size_t *len)
{
	uint8_t *p;
	size_t n;

	/* Allow a padded file; only totalsize bytes are used. */
	if (read_whole_file(path, "DTB", 2 * DTB_MAX_SIZE, &p, &n))
		return -1;
	if (dtb_user_check(p, n, path)) {
		free(p);
		return -1;
	}
	*buf = p;
	*len = fdt_totalsize(p);
	return 0;
}
