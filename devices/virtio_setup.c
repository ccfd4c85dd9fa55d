/*
 * Which virtio devices a config gets, and in which order.  The order fixes
 * each device's MMIO slot and SPI, and so the DTB and a realm's RIM; it
 * depends on the config alone.
 */
#include "devices/virtio_mmio.h"
#include "vmm/config.h"

int virtio_devices_setup(const struct config *cfg, struct guest_mem *gm)
{
	unsigned int i;

	if (cfg->console == CONSOLE_VIRTIO && virtio_console_setup(cfg, gm) < 0)
		return -1;
	for (i = 0; i < cfg->nr_disks && i < MAX_DISKS; i++)
		if (virtio_blk_setup(cfg, gm, i) < 0)
			return -1;
	for (i = 0; i < cfg->nr_nets && i < MAX_NETS; i++)
		if (virtio_net_setup(cfg, gm, i) < 0)
			return -1;
	if (cfg->rng && virtio_rng_setup(cfg, gm) < 0)
		return -1;
	/* Last, so that adding a share moves no existing device's slot. */
	for (i = 0; i < cfg->nr_p9 && i < MAX_9P; i++)
		if (virtio_9p_setup(cfg, gm, i) < 0)
			return -1;
	return 0;
}
