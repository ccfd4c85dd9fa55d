/*
 * Fuzz the kernel Image loader: raw Images and gzip streams go through
 * image_from_buffer() (gunzip with its output cap, then header checks),
 * and an accepted Image is copied into a small guest RAM, whose bounds
 * check must refuse anything that does not fit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/layout.h"
#include "vmm/guest_mem.h"
#include "vmm/image_loader.h"
#include "vmm/util.h"

#define FUZZ_RAM	(4ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_mem gm;
	struct kernel_image img;
	uint8_t *buf;

	if (!gm.host && guest_mem_alloc(&gm, RAM_BASE, FUZZ_RAM))
		abort();

	/* The header parser alone, on the bytes as given. */
	memset(&img, 0, sizeof(img));
	image_parse(data, size, "fuzz", &img);

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&img, 0, sizeof(img));
	if (image_from_buffer(buf, size, "fuzz", &img) == 0) {
		if (img.size > img.image_size)
			abort();	/* the loader promised otherwise */
		image_copy_to_guest(&img, &gm, RAM_BASE + img.text_offset);
		image_free(&img);
	}
	return 0;
}
