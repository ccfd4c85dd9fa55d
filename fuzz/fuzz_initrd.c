/*
 * Fuzz the initrd loader: the input is the initrd file (any bytes: it is
 * loaded as given, gzip or not),
 * handed over as a memfd because initrd_open() takes a path.  An accepted
 * initrd is loaded into a small guest RAM at an offset the input chooses,
 * so the fits-in-RAM check is exercised from both sides.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "arm64/layout.h"
#include "fuzz/fuzz_input.h"
#include "vmm/guest_mem.h"
#include "vmm/initrd_loader.h"

#define FUZZ_RAM	(4ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_mem gm;
	struct initrd rd;
	uint64_t where = 0;
	char path[64];
	int fd;

	if (!gm.host && guest_mem_alloc(&gm, RAM_BASE, FUZZ_RAM))
		abort();
	/* The last byte picks a load offset in 64 KiB steps. */
	if (size)
		where = (uint64_t)data[size - 1] << 16;
	fd = fz_memfd(data, size, path);
	if (fd < 0)
		return 0;
	if (initrd_open(path, &rd) == 0) {
		initrd_load(&rd, &gm, RAM_BASE + where);
		initrd_close(&rd);
	}
	close(fd);
	return 0;
}
