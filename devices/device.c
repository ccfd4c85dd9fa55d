/*
 * Device registry: an ordered list, walked for DTB nodes and MMIO dispatch.
 */
#include <stddef.h>

#include "devices/device.h"

static struct device *dev_head;
static struct device **dev_tail = &dev_head;

static void irq_line_noop(struct device *dev, bool level)
{
	(void)dev;
	(void)level;
}

void (*device_irq_line)(struct device *dev, bool level) = irq_line_noop;

void device_register(struct device *dev)
{
	dev->next = NULL;
	*dev_tail = dev;
	dev_tail = &dev->next;
}

struct device *device_first(void)
{
	return dev_head;
}

struct device *device_find(uint64_t addr, unsigned int len)
{
	struct device *dev;

	for (dev = dev_head; dev; dev = dev->next) {
		if (addr >= dev->base && addr - dev->base < dev->size &&
		    len <= dev->size - (addr - dev->base))
			return dev;
	}
	return NULL;
}

void device_reset_registry(void)
{
	dev_head = NULL;
	dev_tail = &dev_head;
}
