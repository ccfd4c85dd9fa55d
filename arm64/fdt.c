/*
 * DTB generation with libfdt's read-write API, so that device models can
 * add their own nodes through the registry without knowing the order.
 * Nothing here is random or host dependent beyond the config, the layout
 * and the GIC version: a realm's DTB must be reproducible by a verifier.
 */
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm64/fdt.h"
#include "arm64/layout.h"
#include "devices/device.h"
#include "realm/plan.h"
#include "vmm/config.h"
#include "vmm/guest_mem.h"
#include "vmm/util.h"

int dtb_fail(const char *call, int err)
{
	if (err == -FDT_ERR_NOSPACE)
		return pr_err("building the DTB: %s: out of space in the DTB buffer",
			      call);
	return pr_err("building the DTB: %s: %s", call, fdt_strerror(err));
}

/* reg = <base size> with #address-cells = #size-cells = 2. */
static int set_reg(void *fdt, int node, const uint64_t *pairs, int n)
{
	fdt64_t reg[8];
	int i;

	if (n * 2 > (int)ARRAY_SIZE(reg))
		return pr_err("building the DTB: too many reg entries");
	for (i = 0; i < 2 * n; i++)
		reg[i] = cpu_to_fdt64(pairs[i]);
	FDT_TRY(fdt_setprop(fdt, node, "reg", reg, n * 2 * sizeof(reg[0])));
	return 0;
}

static int set_irq(void *fdt, int node, unsigned int type, unsigned int nr,
		   unsigned int flags)
{
	fdt32_t irq[3] = {
		cpu_to_fdt32(type), cpu_to_fdt32(nr), cpu_to_fdt32(flags),
	};

	FDT_TRY(fdt_setprop(fdt, node, "interrupts", irq, sizeof(irq)));
	return 0;
}

static int add_node(void *fdt, int parent, const char *name, uint64_t addr)
{
	char full[64];
	int node;

	snprintf(full, sizeof(full), "%s@%" PRIx64, name, addr);
	FDT_TRY(node = fdt_add_subnode(fdt, parent, full));
	return node;
}

int dtb_add_mmio_node(void *fdt, const char *name, uint64_t base,
		      uint64_t size, const char *compatible, unsigned int spi,
		      uint32_t clock_hz)
{
	uint64_t reg[2] = { base, size };
	int node = add_node(fdt, 0, name, base);

	if (node < 0)
		return -1;
	FDT_TRY(fdt_setprop_string(fdt, node, "compatible", compatible));
	if (set_reg(fdt, node, reg, 1) ||
	    set_irq(fdt, node, GIC_FDT_SPI, spi, IRQ_TYPE_LEVEL_HIGH))
		return -1;
	if (clock_hz)
		FDT_TRY(fdt_setprop_u32(fdt, node, "clock-frequency",
					clock_hz));
	/* Offsets move as nodes are added: look it up again. */
	{
		char full[64];

		snprintf(full, sizeof(full), "/%s@%" PRIx64, name, base);
		FDT_TRY(node = fdt_path_offset(fdt, full));
	}
	return node;
}

static int add_cells2(void *fdt, int node)
{
	FDT_TRY(fdt_setprop_u32(fdt, node, "#address-cells", 2));
	FDT_TRY(fdt_setprop_u32(fdt, node, "#size-cells", 2));
	return 0;
}

static int add_memory(void *fdt, const struct layout *lay)
{
	uint64_t reg[2] = { lay->ram_base, lay->ram_size };
	int node = add_node(fdt, 0, "memory", lay->ram_base);

	if (node < 0)
		return -1;
	FDT_TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
	return set_reg(fdt, node, reg, 1);
}

static int add_cpus(void *fdt, unsigned int nr_cpus)
{
	int cpus, node;
	unsigned int i;

	FDT_TRY(cpus = fdt_add_subnode(fdt, 0, "cpus"));
	FDT_TRY(fdt_setprop_u32(fdt, cpus, "#address-cells", 2));
	FDT_TRY(fdt_setprop_u32(fdt, cpus, "#size-cells", 0));
	for (i = 0; i < nr_cpus; i++) {
		uint64_t mpidr = vcpu_mpidr(i);

		node = add_node(fdt, cpus, "cpu", mpidr);
		if (node < 0)
			return -1;
		FDT_TRY(fdt_setprop_string(fdt, node, "device_type", "cpu"));
		FDT_TRY(fdt_setprop_string(fdt, node, "compatible",
					   "arm,arm-v8"));
		FDT_TRY(fdt_setprop_string(fdt, node, "enable-method", "psci"));
		FDT_TRY(fdt_setprop_u64(fdt, node, "reg", mpidr));
	}
	return 0;
}

static int add_psci(void *fdt, bool realm)
{
	/* Two strings in one property, NULs included. */
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int node;

	FDT_TRY(node = fdt_add_subnode(fdt, 0, "psci"));
	FDT_TRY(fdt_setprop(fdt, node, "compatible", compat, sizeof(compat)));
	/* A realm's PSCI calls go to the RMM, which only takes SMC. */
	FDT_TRY(fdt_setprop_string(fdt, node, "method",
				   realm ? "smc" : "hvc"));
	return 0;
}

static int add_gic(void *fdt, unsigned int gic_version, unsigned int nr_cpus)
{
	int node, its;

	if (gic_version == 2) {
		uint64_t reg[4] = { GIC_DIST_BASE, GIC_DIST_SIZE,
				    GIC_CPU_BASE, GIC_CPU_SIZE };

		node = add_node(fdt, 0, "intc", GIC_DIST_BASE);
		if (node < 0)
			return -1;
		FDT_TRY(fdt_setprop_string(fdt, node, "compatible",
					   "arm,cortex-a15-gic"));
		if (set_reg(fdt, node, reg, 2))
			return -1;
	} else {
		uint64_t reg[4] = { GIC_DIST_BASE, GIC_DIST_SIZE,
				    GIC_REDIST_BASE,
				    nr_cpus * GIC_REDIST_SIZE_PER_CPU };
		uint64_t its_reg[2] = { GIC_ITS_BASE, GIC_ITS_SIZE };

		node = add_node(fdt, 0, "intc", GIC_DIST_BASE);
		if (node < 0)
			return -1;
		FDT_TRY(fdt_setprop_string(fdt, node, "compatible",
					   "arm,gic-v3"));
		if (set_reg(fdt, node, reg, 2) || add_cells2(fdt, node))
			return -1;
		FDT_TRY(fdt_setprop(fdt, node, "ranges", NULL, 0));
		its = add_node(fdt, node, "msi-controller", GIC_ITS_BASE);
		if (its < 0)
			return -1;
		FDT_TRY(fdt_setprop_string(fdt, its, "compatible",
					   "arm,gic-v3-its"));
		FDT_TRY(fdt_setprop(fdt, its, "msi-controller", NULL, 0));
		FDT_TRY(fdt_setprop_u32(fdt, its, "#msi-cells", 1));
		FDT_TRY(fdt_setprop_u32(fdt, its, "phandle", PHANDLE_ITS));
		if (set_reg(fdt, its, its_reg, 1))
			return -1;
		FDT_TRY(node = fdt_parent_offset(fdt, its));
	}
	FDT_TRY(fdt_setprop_u32(fdt, node, "#interrupt-cells", 3));
	FDT_TRY(fdt_setprop(fdt, node, "interrupt-controller", NULL, 0));
	FDT_TRY(fdt_setprop_u32(fdt, node, "phandle", PHANDLE_GIC));
	return 0;
}

/* A node NAME, compatible COMPAT, whose interrupts are level PPIs. */
static int add_ppi_node(void *fdt, const char *name, const char *compat,
			const unsigned int *ppis, unsigned int nr,
			unsigned int gic_version, unsigned int nr_cpus)
{
	fdt32_t irqs[3 * 4];
	uint32_t flags = IRQ_TYPE_LEVEL_HIGH;
	unsigned int i;
	int node;

	if (nr > ARRAY_SIZE(irqs) / 3)
		return pr_err("building the DTB: too many PPIs for /%s", name);
	/* The GICv2 binding carries a CPU mask for PPIs; v3 has none. */
	if (gic_version == 2)
		flags |= ((1U << nr_cpus) - 1) << 8;
	for (i = 0; i < nr; i++) {
		irqs[3 * i] = cpu_to_fdt32(GIC_FDT_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(flags);
	}
	FDT_TRY(node = fdt_add_subnode(fdt, 0, name));
	FDT_TRY(fdt_setprop_string(fdt, node, "compatible", compat));
	FDT_TRY(fdt_setprop(fdt, node, "interrupts", irqs, 3 * nr * 4));
	return 0;
}

static int add_timer(void *fdt, unsigned int gic_version,
		     unsigned int nr_cpus)
{
	static const unsigned int ppis[] = {
		TIMER_PPI_SEC, TIMER_PPI_NONSEC, TIMER_PPI_VIRT, TIMER_PPI_HYP,
	};

	return add_ppi_node(fdt, "timer", "arm,armv8-timer", ppis,
			    ARRAY_SIZE(ppis), gic_version, nr_cpus);
}

/*
 * --pmu gives a VM or realm a vCPU PMU, and so does a realm given PMU
 * counters (realm/backend_common.c); the guest's driver finds it only
 * through this node.
 */
static int add_pmu(void *fdt, const struct config *cfg,
		   unsigned int gic_version)
{
	static const unsigned int ppi = PMU_PPI;

	if (!cfg->pmu &&
	    (!cfg->realm || !cfg->pmu_counters_set || !cfg->pmu_counters))
		return 0;
	return add_ppi_node(fdt, "pmu", "arm,armv8-pmuv3", &ppi, 1,
			    gic_version, cfg->nr_cpus);
}

static int add_reserved(void *fdt, const struct layout *lay)
{
	uint64_t reg[2] = { lay->log.ipa, lay->log.size };
	int rsv, node;

	if (!lay->log.size)
		return 0;
	FDT_TRY(rsv = fdt_add_subnode(fdt, 0, "reserved-memory"));
	if (add_cells2(fdt, rsv))
		return -1;
	FDT_TRY(fdt_setprop(fdt, rsv, "ranges", NULL, 0));
	node = add_node(fdt, rsv, "event-log", lay->log.ipa);
	if (node < 0)
		return -1;
	FDT_TRY(fdt_setprop_string(fdt, node, "compatible", "cc-event-log"));
	/*
	 * no-map keeps the log out of the guest's linear map and out of
	 * "System RAM", so a kernel with CONFIG_STRICT_DEVMEM (every
	 * distribution kernel) still lets root map it through /dev/mem.
	 */
	FDT_TRY(fdt_setprop(fdt, node, "no-map", NULL, 0));
	return set_reg(fdt, node, reg, 1);
}

static int add_chosen(void *fdt, const struct config *cfg,
		      const struct layout *lay)
{
	struct device *dev;
	int node;

	FDT_TRY(node = fdt_add_subnode(fdt, 0, "chosen"));
	FDT_TRY(fdt_setprop_string(fdt, node, "bootargs",
				   cfg->cmdline ? cfg->cmdline : ""));
	if (lay->initrd.size) {
		FDT_TRY(fdt_setprop_u64(fdt, node, "linux,initrd-start",
					lay->initrd.ipa));
		FDT_TRY(fdt_setprop_u64(fdt, node, "linux,initrd-end",
					lay->initrd.ipa + lay->initrd.size));
	}
	if (cfg->console != CONSOLE_SERIAL)
		return 0;
	for (dev = device_first(); dev; dev = dev->next) {
		if (dev->name && !strcmp(dev->name, "serial")) {
			char path[64];

			snprintf(path, sizeof(path), "/serial@%" PRIx64,
				 dev->base);
			FDT_TRY(fdt_setprop_string(fdt, node, "stdout-path",
						   path));
			break;
		}
	}
	return 0;
}

/*
 * Copy node and its subtree into a sequential-write tree, reversing the
 * order of properties and of subnodes: libfdt's read-write API inserts
 * each new property and subnode before its siblings, so this gives back
 * the order in which they were added.
 */
static int emit_reversed(const void *src, int node, void *dst, int depth)
{
	int offs[160], n = 0, off, len;
	const char *name;
	const void *val;

	if (depth > 8)
		return pr_err("building the DTB: nodes nested too deeply");
	FDT_TRY(fdt_begin_node(dst, fdt_get_name(src, node, NULL)));
	fdt_for_each_property_offset(off, src, node) {
		if (n == (int)ARRAY_SIZE(offs))
			return pr_err("building the DTB: too many properties");
		offs[n++] = off;
	}
	while (n--) {
		val = fdt_getprop_by_offset(src, offs[n], &name, &len);
		if (!val)
			return dtb_fail("fdt_getprop_by_offset", len);
		FDT_TRY(fdt_property(dst, name, val, len));
	}
	n = 0;
	fdt_for_each_subnode(off, src, node) {
		if (n == (int)ARRAY_SIZE(offs))
			return pr_err("building the DTB: too many nodes");
		offs[n++] = off;
	}
	while (n--)
		if (emit_reversed(src, offs[n], dst, depth + 1))
			return -1;
	FDT_TRY(fdt_end_node(dst));
	return 0;
}

static int emit_tree(const void *src, void *dst, int max)
{
	FDT_TRY(fdt_create(dst, max));
	FDT_TRY(fdt_finish_reservemap(dst));
	if (emit_reversed(src, 0, dst, 0))
		return -1;
	FDT_TRY(fdt_finish(dst));
	return 0;
}

/* The tree, in a read-write buffer, with every node in reverse order. */
static int build_tree(const struct config *cfg, const struct layout *lay,
		      unsigned int gic_version, void *fdt, int max)
{
	struct device *dev;

	FDT_TRY(fdt_create_empty_tree(fdt, max));
	FDT_TRY(fdt_setprop_string(fdt, 0, "compatible", "linux,dummy-virt"));
	if (add_cells2(fdt, 0))
		return -1;
	FDT_TRY(fdt_setprop_u32(fdt, 0, "interrupt-parent", PHANDLE_GIC));
	if (add_chosen(fdt, cfg, lay) || add_memory(fdt, lay) ||
	    add_cpus(fdt, cfg->nr_cpus) || add_psci(fdt, cfg->realm) ||
	    add_gic(fdt, gic_version, cfg->nr_cpus) ||
	    add_timer(fdt, gic_version, cfg->nr_cpus) ||
	    add_pmu(fdt, cfg, gic_version))
		return -1;
	for (dev = device_first(); dev; dev = dev->next)
		if (dev->fdt_node && dev->fdt_node(dev, fdt) < 0)
			return -1;
	return add_reserved(fdt, lay);
}

int dtb_generate(const struct config *cfg, const struct layout *lay,
		 unsigned int gic_version, void *buf, size_t max)
{
	void *tmp;
	int ret;

	if (!cfg->nr_cpus || cfg->nr_cpus > MAX_VCPUS)
		return pr_err("building the DTB: %u vCPUs (1 to %u)",
			      cfg->nr_cpus, MAX_VCPUS);
	if (gic_version != 2 && gic_version != 3)
		return pr_err("building the DTB: GIC version %u is not supported",
			      gic_version);
	if (gic_version == 2 && cfg->nr_cpus > 8)
		return pr_err("%u vCPUs need a GICv3 (GICv2 handles at most 8)",
			      cfg->nr_cpus);
	if (max > INT32_MAX)
		max = INT32_MAX;
	tmp = calloc(1, max);
	if (!tmp)
		return pr_err("building the DTB: out of memory");
	memset(buf, 0, max);
	ret = build_tree(cfg, lay, gic_version, tmp, (int)max);
	if (!ret)
		ret = emit_tree(tmp, buf, (int)max);
	free(tmp);
	return ret;
}

int dtb_place(const void *fdt, const struct layout *lay,
	      struct guest_mem *gm)
{
	uint32_t size = fdt_totalsize(fdt);
	uint8_t *dst;

	if (size > lay->dtb_slot)
		return pr_err("DTB (%u bytes) does not fit its %llu-byte slot",
			      size, (unsigned long long)lay->dtb_slot);
	dst = gm_ptr(gm, lay->dtb.ipa, lay->dtb_slot);
	if (!dst)
		return pr_err("DTB slot at 0x%llx is outside RAM",
			      (unsigned long long)lay->dtb.ipa);
	memcpy(dst, fdt, size);
	memset(dst + size, 0, lay->dtb_slot - size);
	return 0;
}
