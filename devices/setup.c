/*
 * The machine's device list, created from the config alone and always in
 * the same order, because the order shapes the DTB (and a realm's RIM).
 */
#include <unistd.h>

#include "devices/device.h"
#include "devices/uart_8250.h"
#include "devices/virtio_mmio.h"
#include "vmm/config.h"

int devices_setup(const struct config *cfg, struct guest_mem *gm)
{
	(void)gm;
	if (cfg->console == CONSOLE_SERIAL)
		uart_8250_setup(STDOUT_FILENO);

	if (virtio_devices_setup(cfg, gm) < 0)
		return -1;

	return 0;
}
