/*
 * Device model registry.  Each device lives in its own file and registers
 * itself with one device_register() call; the FDT generator and the MMIO
 * dispatcher only ever walk this list.  Devices are created from the
 * config alone, so a dry run builds exactly the DTB a launch would.
 */
#ifndef REALMVM_DEVICE_H
#define REALMVM_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

struct config;
struct guest_mem;

struct device {
	const char *name;
	uint64_t base;			/* MMIO window, IPA */
	uint64_t size;
	unsigned int spi;		/* GIC SPI number, as in the DTB */
	/* Add this device's node(s) under the root; < 0 with pr_err on error. */
	int (*fdt_node)(struct device *dev, void *fdt);
	/*
	 * Handle a guest MMIO access at offset (already checked to lie in
	 * [0, size)).  len is 1, 2, 4 or 8.  Must never trust data.
	 */
	void (*mmio)(struct device *dev, uint64_t offset, uint8_t *data,
		     unsigned int len, bool is_write);
	void *priv;
	struct device *next;
};

/* Called by each device's setup; keeps registration order. */
void device_register(struct device *dev);
struct device *device_first(void);
/* The device whose window holds [addr, addr+len), or NULL. */
struct device *device_find(uint64_t addr, unsigned int len);
/* Forget all devices (tests, and a fresh config). */
void device_reset_registry(void);

/*
 * Raise or lower a device's interrupt line.  Without KVM (dry run, unit
 * tests) this is a no-op hook that tests can replace.
 */
extern void (*device_irq_line)(struct device *dev, bool level);

/* Create every device the config asks for, in a fixed order. */
int devices_setup(const struct config *cfg, struct guest_mem *gm);

#endif
