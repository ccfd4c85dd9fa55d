/*
 * The device tree the guest boots with: generated from the config and the
 * layout (no randomness, so a realm's DTB, and its RIM, depend only on the
 * inputs), or a user DTB checked and used as is.
 */
#ifndef REALMVM_FDT_H
#define REALMVM_FDT_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct guest_mem;
struct layout;

/* Interrupt specifier cells (#interrupt-cells = 3) of the GIC binding. */
#define GIC_FDT_SPI		0
#define GIC_FDT_PPI		1
#define IRQ_TYPE_EDGE_RISING	1
#define IRQ_TYPE_LEVEL_HIGH	4
#define IRQ_TYPE_LEVEL_LOW	8

#define PHANDLE_GIC		1
#define PHANDLE_ITS		2

/* Print "building the DTB: <call>: <libfdt reason>" and return -1. */
int dtb_fail(const char *call, int err);

/*
 * Every libfdt call goes through this, so any libfdt error becomes one
 * clear failure of the enclosing function (which returns -1).  The value
 * of exp is kept: FDT_TRY(node = fdt_add_subnode(fdt, 0, "x")).
 */
#define FDT_TRY(exp)							\
	do {								\
		int fdt_try_ret_ = (exp);				\
		if (fdt_try_ret_ < 0)					\
			return dtb_fail(#exp, fdt_try_ret_);		\
	} while (0)

/*
 * For device fdt_node() callbacks.  The tree is a libfdt read-write tree;
 * a device node is named "<dev->name>@<base in hex>" directly under the
 * root.  Adds such a node with compatible, reg <base size> and
 * interrupts <GIC_SPI spi LEVEL_HIGH>, plus clock-frequency if clock_hz.
 * Returns the node offset (valid until the next node is added) or -1.
 */
int dtb_add_mmio_node(void *fdt, const char *name, uint64_t base,
		      uint64_t size, const char *compatible, unsigned int spi,
		      uint32_t clock_hz);

/*
 * Build the packed DTB for cfg and lay (with the registered devices) into
 * buf of max bytes.  gic_version is 3 or 2.
 */
int dtb_generate(const struct config *cfg, const struct layout *lay,
		 unsigned int gic_version, void *buf, size_t max);

/*
 * Copy fdt (totalsize bytes) to lay->dtb.ipa and zero the rest of the
 * DTB slot: libfdt can leave stale bytes past totalsize, and for a realm
 * those would be measured yet impossible for a verifier to rebuild.
 */
int dtb_place(const void *fdt, const struct layout *lay,
	      struct guest_mem *gm);

/*
 * A user DTB (-d): header, full structure check, totalsize within the
 * file and at most DTB_MAX_SIZE.  Errors say "not a valid DTB".
 */
int dtb_user_check(const void *buf, size_t len, const char *path);
/* Read and check; *len is the DTB's totalsize (trailing bytes dropped). */
int dtb_user_load(const char *path, uint8_t **buf, size_t *len);

#endif
