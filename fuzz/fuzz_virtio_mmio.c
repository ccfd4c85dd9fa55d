/*
 * Fuzz the virtio-mmio transport and the device models behind it as a
 * hostile guest: register accesses of any width and offset to three
 * devices (rng, blk on a 64 KiB memfd disk, console), with the guest
 * changing its RAM (rings, requests) between them.  QueueNotify runs the
 * device model synchronously, so requests are parsed and served here.
 * Guest RAM is an exact-size heap block so that ASan sees any stray
 * access; console output goes to stdout, which run.sh discards.
 *
 * Input: flags u8 (bit 0: realm), then a script of ops (see the switch
 * below).  RAM starts zeroed and the script writes it, which keeps small
 * inputs meaningful.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arm64/layout.h"
#include "devices/device.h"
#include "devices/virtio_mmio.h"
#include "fuzz/fuzz_input.h"
#include "vmm/util.h"
#include "vmm/config.h"
#include "vmm/guest_mem.h"
#include "vmm/mmio.h"

#define FUZZ_RAM	(64 * 1024)
#define DISK_SIZE	(64 * 1024)
#define NR_DEVS		3
#define MAX_OPS		4096

static int disk_fd = -1;
static char disk_path[64];

static void no_irq(struct device *dev, bool level)
{
	(void)dev;
	(void)level;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = { data, size };
	struct guest_mem gm;
	struct config cfg;
	unsigned int ops = 0;

	if (disk_fd < 0) {
		static uint8_t zero[DISK_SIZE];

		disk_fd = fz_memfd(zero, sizeof(zero), disk_path);
		if (disk_fd < 0)
			abort();
	}
	gm.ipa_base = RAM_BASE;
	gm.size = FUZZ_RAM;
	gm.host = calloc(1, FUZZ_RAM);
	if (!gm.host)
		return 0;

	config_init(&cfg);
	cfg.realm = fz_u8(&f) & 1;
	cfg.disks[0].path = disk_path;
	cfg.nr_disks = 1;
	device_reset_registry();
	mmio_reset_warnings();
	device_irq_line = no_irq;
	if (virtio_rng_setup(&cfg, &gm) || virtio_blk_setup(&cfg, &gm, 0) ||
	    virtio_console_setup(&cfg, &gm))
		abort();

	while (f.n && ops++ < MAX_OPS) {
		uint8_t op = fz_u8(&f), buf[8];
		unsigned int dev = fz_u8(&f) % NR_DEVS;
		uint16_t reg = fz_u16(&f);
		uint64_t addr = VIRTIO_MMIO_BASE + dev * VIRTIO_MMIO_SIZE +
				reg % (VIRTIO_MMIO_SIZE + 16);
		/* Mostly 4-byte accesses, as the spec asks; any width too. */
		unsigned int len = op & 8 ? (op >> 4) % 10 : 4;

		switch (op & 7) {
		case 0:
		case 1:
		case 2: {
			uint64_t v = fz_u32(&f);

			memcpy(buf, &v, sizeof(buf));
			mmio_dispatch(addr, buf, len, true);
			break;
		}
		case 3:
		case 4:
			mmio_dispatch(addr, buf, len, false);
			break;
		case 5:
		case 6: {	/* guest stores up to 64 bytes into RAM */
			uint32_t off = fz_u32(&f) % FUZZ_RAM;
			size_t n = fz_u8(&f) % 65;

			/* MIN() evaluates twice: no fz_*() inside it. */
			n = MIN(MIN(n, f.n), (size_t)(FUZZ_RAM - off));

			memcpy(gm.host + off, f.p, n);
			f.p += n;
			f.n -= n;
			break;
		}
		case 7:		/* a notify, the usual way to kick a queue */
			memset(buf, 0, sizeof(buf));
			buf[0] = reg & 3;
			mmio_dispatch(VIRTIO_MMIO_BASE + dev * VIRTIO_MMIO_SIZE +
				      VIRTIO_MMIO_QUEUE_NOTIFY, buf, 4, true);
			break;
		}
	}
	device_reset_registry();
	virtio_mmio_destroy_all();
	free(gm.host);
	/* The disk starts empty for every input. */
	if (ftruncate(disk_fd, 0) || ftruncate(disk_fd, DISK_SIZE))
		abort();
	return 0;
}
