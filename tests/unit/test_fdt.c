/*
 * Unit tests for the generated DTB and user DTB checks.  The tree is read
 * back with libfdt's read-only API and every value is compared with what
 * the bindings and docs/memory-map.md require; MPIDRs are recomputed here
 * from KVM's rule (Aff0 = index & 0xf, Aff1 = index >> 4).
 */
#include <libfdt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arm64/fdt.h"
#include "arm64/layout.h"
#include "vmm/util.h"
#include "devices/device.h"
#include "vmm/config.h"
#include "vmm/guest_mem.h"
#include "stderr_capture.h"

#define MiB (1ULL << 20)

static uint8_t fdt[FDT_GEN_SIZE];
static int node(const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		fail_msg("no node %s: %s", path, fdt_strerror(off));
	return off;
}

static const void *prop(const char *path, const char *name, int *len)
{
	const void *p = fdt_getprop(fdt, node(path), name, len);

	if (!p)
		fail_msg("no property %s in %s", name, path);
	return p;
}

static void assert_str(const char *path, const char *name, const char *v)
{
	int len;
	const char *p = prop(path, name, &len);

	assert_int_equal(len, strlen(v) + 1);
	assert_string_equal(p, v);
}

static void assert_cells(const char *path, const char *name,
			 const uint32_t *cells, int n)
{
	int len, i;
	const fdt32_t *p = prop(path, name, &len);

	assert_int_equal(len, 4 * n);
	for (i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(p[i]), cells[i]);
}

static void assert_u32(const char *path, const char *name, uint32_t v)
{
	assert_cells(path, name, &v, 1);
}

static void assert_u64s(const char *path, const char *name,
			const uint64_t *v, int n)
{
	uint32_t cells[16];
	int i;

	for (i = 0; i < n; i++) {
		cells[2 * i] = (uint32_t)(v[i] >> 32);
		cells[2 * i + 1] = (uint32_t)v[i];
	}
	assert_cells(path, name, cells, 2 * n);
}

static void assert_absent(const char *path, const char *name)
{
	assert_null(fdt_getprop(fdt, node(path), name, NULL));
}

static void make(struct config *cfg, struct layout *lay, bool realm,
		 unsigned int cpus, uint64_t initrd, unsigned int gic)
{
	struct guest_mem gm = { 0 };

	config_init(cfg);
	cfg->realm = realm;
	cfg->nr_cpus = cpus;
	cfg->cmdline = "console=ttyS0 earlycon";
	assert_int_equal(layout_compute(cfg, 0, MiB, 4 * MiB, initrd, 0, lay),
			 0);
	device_reset_registry();
	assert_int_equal(devices_setup(cfg, &gm), 0);
	assert_int_equal(dtb_generate(cfg, lay, gic, fdt, sizeof(fdt)), 0);
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
}

static void test_root_memory_chosen(void **state)
{
	struct config cfg;
	struct layout lay;
	uint64_t mem[2] = { 0x80000000ULL, 256 * MiB };

	(void)state;
	make(&cfg, &lay, false, 1, 0, 3);
	assert_str("/", "compatible", "linux,dummy-virt");
	assert_u32("/", "#address-cells", 2);
	assert_u32("/", "#size-cells", 2);
	assert_u32("/", "interrupt-parent",
		   fdt_get_phandle(fdt, node("/intc@8000000")));
	assert_true(fdt_get_phandle(fdt, node("/intc@8000000")) != 0);
	assert_str("/memory@80000000", "device_type", "memory");
	assert_u64s("/memory@80000000", "reg", mem, 2);
	assert_str("/chosen", "bootargs", "console=ttyS0 earlycon");
	assert_str("/chosen", "stdout-path", "/serial@9000000");
	assert_absent("/chosen", "linux,initrd-start");
	assert_absent("/chosen", "linux,initrd-end");
	/* No log outside realms. */
	assert_true(fdt_path_offset(fdt, "/reserved-memory") < 0);
	/* Packed: no slack at the end of the blob. */
	assert_true(fdt_totalsize(fdt) < sizeof(fdt));
}

static void test_cpus_psci(void **state)
{
	struct config cfg;
	struct layout lay;
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	char path[64];
	unsigned int i;
	int len;
	const void *p;

	(void)state;
	make(&cfg, &lay, false, 20, 0, 3);
	assert_u32("/cpus", "#address-cells", 2);
	assert_u32("/cpus", "#size-cells", 0);
	for (i = 0; i < 20; i++) {
		uint64_t mpidr = ((uint64_t)(i >> 4) << 8) | (i & 0xf);

		snprintf(path, sizeof(path), "/cpus/cpu@%llx",
			 (unsigned long long)mpidr);
		assert_u64s(path, "reg", &mpidr, 1);
		assert_str(path, "device_type", "cpu");
		assert_str(path, "compatible", "arm,arm-v8");
		assert_str(path, "enable-method", "psci");
	}
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@104") < 0);
	assert_true(fdt_path_offset(fdt, "/cpus/cpu@103") >= 0);
	p = prop("/psci", "compatible", &len);
	assert_int_equal(len, sizeof(compat));
	assert_memory_equal(p, compat, sizeof(compat));
	assert_str("/psci", "method", "hvc");

	make(&cfg, &lay, true, 1, 0, 3);
	assert_str("/psci", "method", "smc");
}

static void test_gicv3_timer_uart(void **state)
{
	struct config cfg;
	struct layout lay;
	uint64_t gic_reg[4] = { 0x08000000ULL, 0x10000, 0x080a0000ULL,
				4 * 0x20000 };
	uint64_t its_reg[2] = { 0x08080000ULL, 0x20000 };
	uint64_t uart_reg[2] = { 0x09000000ULL, 0x1000 };
	uint32_t timer[12] = { 1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4 };
	uint32_t uart_irq[3] = { 0, 1, 4 };

	(void)state;
	make(&cfg, &lay, false, 4, 0, 3);
	assert_str("/intc@8000000", "compatible", "arm,gic-v3");
	assert_u64s("/intc@8000000", "reg", gic_reg, 4);
	assert_u32("/intc@8000000", "#interrupt-cells", 3);
	assert_non_null(prop("/intc@8000000", "interrupt-controller", NULL));
	assert_str("/intc@8000000/msi-controller@8080000", "compatible",
		   "arm,gic-v3-its");
	assert_non_null(prop("/intc@8000000/msi-controller@8080000",
			     "msi-controller", NULL));
	assert_u64s("/intc@8000000/msi-controller@8080000", "reg", its_reg, 2);
	assert_str("/timer", "compatible", "arm,armv8-timer");
	assert_cells("/timer", "interrupts", timer, 12);
	assert_str("/serial@9000000", "compatible", "ns16550a");
	assert_u64s("/serial@9000000", "reg", uart_reg, 2);
	assert_cells("/serial@9000000", "interrupts", uart_irq, 3);
	assert_u32("/serial@9000000", "clock-frequency", 1843200);
}

static void test_gicv2(void **state)
{
	struct config cfg;
	struct layout lay;
	uint64_t gic_reg[4] = { 0x08000000ULL, 0x10000, 0x08010000ULL,
				0x10000 };
	/* GICv2 PPI flags carry a mask of the 4 CPUs in bits 15:8. */
	uint32_t timer[12] = { 1, 13, 0xf04, 1, 14, 0xf04, 1, 11, 0xf04,
			       1, 10, 0xf04 };
	struct guest_mem gm = { 0 };
	int ret;

	(void)state;
	make(&cfg, &lay, false, 4, 0, 2);
	assert_str("/intc@8000000", "compatible", "arm,cortex-a15-gic");
	assert_u64s("/intc@8000000", "reg", gic_reg, 4);
	assert_cells("/timer", "interrupts", timer, 12);
	assert_true(fdt_path_offset(fdt, "/intc@8000000/msi-controller@8080000") < 0);

	cfg.nr_cpus = 9;
	device_reset_registry();
	assert_int_equal(devices_setup(&cfg, &gm), 0);
	cap_begin();
	ret = dtb_generate(&cfg, &lay, 2, fdt, sizeof(fdt));
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "GICv3"));
}

static void test_realm_log_initrd(void **state)
{
	struct config cfg;
	struct layout lay;
	uint64_t log_reg[2] = { 0x8fff0000ULL, 0x10000 };
	uint64_t start, end;

	(void)state;
	make(&cfg, &lay, true, 1, 12345, 3);
	assert_u32("/reserved-memory", "#address-cells", 2);
	assert_u32("/reserved-memory", "#size-cells", 2);
	assert_non_null(prop("/reserved-memory", "ranges", NULL));
	assert_str("/reserved-memory/event-log@8fff0000", "compatible",
		   "cc-event-log");
	assert_u64s("/reserved-memory/event-log@8fff0000", "reg", log_reg, 2);
	/* out of "System RAM", so STRICT_DEVMEM guests can map it */
	assert_non_null(prop("/reserved-memory/event-log@8fff0000", "no-map",
			     NULL));
	/* 0x8fe00000 - 12345, rounded down to 4 KiB. */
	start = 0x8fdfc000ULL;
	end = start + 12345;
	assert_int_equal(lay.initrd.ipa, start);
	assert_u64s("/chosen", "linux,initrd-start", &start, 1);
	assert_u64s("/chosen", "linux,initrd-end", &end, 1);
}

static void test_virtio_console_no_uart(void **state)
{
	struct config cfg;
	struct layout lay;
	struct guest_mem gm = { 0 };

	(void)state;
	config_init(&cfg);
	cfg.console = CONSOLE_VIRTIO;
	assert_int_equal(layout_compute(&cfg, 0, MiB, 4 * MiB, 0, 0, &lay), 0);
	device_reset_registry();
	assert_int_equal(devices_setup(&cfg, &gm), 0);
	assert_int_equal(dtb_generate(&cfg, &lay, 3, fdt, sizeof(fdt)), 0);
	assert_true(fdt_path_offset(fdt, "/serial@9000000") < 0);
	assert_absent("/chosen", "stdout-path");
	/* No command line: an empty bootargs. */
	assert_str("/chosen", "bootargs", "");
}

static void test_place_zeroes_slot(void **state)
{
	struct config cfg;
	struct layout lay;
	struct guest_mem gm;
	uint8_t *slot;
	uint32_t total;
	uint64_t i;

	(void)state;
	make(&cfg, &lay, true, 2, 0, 3);
	total = fdt_totalsize(fdt);
	assert_int_equal(guest_mem_alloc(&gm, lay.ram_base, lay.ram_size), 0);
	slot = gm.host + (lay.dtb.ipa - lay.ram_base);
	/* Garbage where the DTB goes, as stale bytes would be. */
	memset(slot, 0xa5, lay.dtb_slot);
	assert_int_equal(dtb_place(fdt, &lay, &gm), 0);
	assert_memory_equal(slot, fdt, total);
	for (i = total; i < lay.dtb_slot; i++)
		if (slot[i])
			fail_msg("byte %llu past totalsize is 0x%02x",
				 (unsigned long long)i, slot[i]);
	/* Bytes outside the slot are not touched. */
	assert_int_equal(slot[lay.dtb_slot], 0);
	assert_int_equal(slot[-1], 0);
	guest_mem_free(&gm);
}

/* A minimal valid DTB built with libfdt's sequential-write API. */
static size_t small_dtb(uint8_t *buf, size_t max)
{
	assert_int_equal(fdt_create(buf, max), 0);
	assert_int_equal(fdt_finish_reservemap(buf), 0);
	assert_int_equal(fdt_begin_node(buf, ""), 0);
	assert_int_equal(fdt_property_string(buf, "compatible", "test"), 0);
	assert_int_equal(fdt_end_node(buf), 0);
	assert_int_equal(fdt_finish(buf), 0);
	return fdt_totalsize(buf);
}

static int check(const void *buf, size_t len)
{
	int ret;

	cap_begin();
	ret = dtb_user_check(buf, len, "user.dtb");
	cap_end();
	return ret;
}

static void test_node_order(void **state)
{
	static const char *const want[] = {
		"chosen", "memory@80000000", "cpus", "psci", "intc@8000000",
		"timer", "serial@9000000", "reserved-memory",
	};
	struct config cfg;
	struct layout lay;
	unsigned int n = 0;
	const char *pname;
	char name[32];
	int off;

	(void)state;
	make(&cfg, &lay, true, 3, 0, 3);
	/* Nodes and CPUs appear in the order docs/memory-map.md lists. */
	fdt_for_each_subnode(off, fdt, 0) {
		assert_true(n < ARRAY_SIZE(want));
		assert_string_equal(fdt_get_name(fdt, off, NULL), want[n]);
		n++;
	}
	assert_int_equal(n, ARRAY_SIZE(want));
	n = 0;
	fdt_for_each_subnode(off, fdt, node("/cpus")) {
		snprintf(name, sizeof(name), "cpu@%u", n++);
		assert_string_equal(fdt_get_name(fdt, off, NULL), name);
	}
	assert_int_equal(n, 3);
	/* The first root property is compatible. */
	off = fdt_first_property_offset(fdt, 0);
	assert_true(off >= 0);
	assert_non_null(fdt_getprop_by_offset(fdt, off, &pname, NULL));
	assert_string_equal(pname, "compatible");
}

static void test_user_dtb(void **state)
{
	static uint8_t buf[4096];
	uint8_t *big, *loaded;
	size_t total, len;
	char path[] = "/tmp/realmvm-dtb-XXXXXX";
	int fd;

	(void)state;
	total = small_dtb(buf, sizeof(buf));
	assert_int_equal(check(buf, total), 0);
	/* Trailing bytes after totalsize are allowed. */
	assert_int_equal(check(buf, sizeof(buf)), 0);

	assert_int_equal(check(buf, total - 1), -1);
	assert_non_null(strstr(errbuf, "DTB user.dtb: not a valid DTB"));
	assert_non_null(strstr(errbuf, "exceeds the file size"));
	assert_int_equal(check(buf, 10), -1);
	assert_non_null(strstr(errbuf, "not a valid DTB"));

	buf[0] ^= 1;
	assert_int_equal(check(buf, total), -1);
	assert_non_null(strstr(errbuf, "not a valid DTB"));
	buf[0] ^= 1;

	/* Break the first structure tag. */
	buf[fdt_off_dt_struct(buf) + 3] = 0x7;
	assert_int_equal(check(buf, total), -1);
	assert_non_null(strstr(errbuf, "not a valid DTB"));

	big = calloc(1, DTB_MAX_SIZE + 4096);
	assert_int_equal(fdt_create_empty_tree(big, DTB_MAX_SIZE + 4096), 0);
	assert_int_equal(check(big, DTB_MAX_SIZE + 4096), -1);
	assert_non_null(strstr(errbuf, "too large"));
	free(big);

	/* From a file padded past totalsize: only totalsize is kept. */
	total = small_dtb(buf, sizeof(buf));
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	close(fd);
	assert_int_equal(dtb_user_load(path, &loaded, &len), 0);
	assert_int_equal(len, total);
	assert_memory_equal(loaded, buf, total);
	free(loaded);
	unlink(path);
}

/*
 * A realm with PMU counters has a vCPU PMU; its guest finds it only
 * through /pmu (found missing on the real RMM: the driver never probed).
 */
static void test_realm_pmu_node(void **state)
{
	struct guest_mem gm = { 0 };
	struct config cfg;
	struct layout lay;
	uint32_t pmu[3] = { 1, 7, 4 };	/* PPI 7, level high */

	(void)state;
	make(&cfg, &lay, true, 2, 0, 3);
	assert_true(fdt_path_offset(fdt, "/pmu") < 0);
	cfg.pmu_counters = 6;
	cfg.pmu_counters_set = true;
	device_reset_registry();
	assert_int_equal(devices_setup(&cfg, &gm), 0);
	assert_int_equal(dtb_generate(&cfg, &lay, 3, fdt, sizeof(fdt)), 0);
	assert_str("/pmu", "compatible", "arm,armv8-pmuv3");
	assert_cells("/pmu", "interrupts", pmu, 3);
	/* a normal VM with the same config gets none from this option */
	cfg.realm = false;
	device_reset_registry();
	assert_int_equal(devices_setup(&cfg, &gm), 0);
	assert_int_equal(dtb_generate(&cfg, &lay, 3, fdt, sizeof(fdt)), 0);
	assert_true(fdt_path_offset(fdt, "/pmu") < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realm_pmu_node),
		cmocka_unit_test(test_root_memory_chosen),
		cmocka_unit_test(test_cpus_psci),
		cmocka_unit_test(test_gicv3_timer_uart),
		cmocka_unit_test(test_gicv2),
		cmocka_unit_test(test_realm_log_initrd),
		cmocka_unit_test(test_virtio_console_no_uart),
		cmocka_unit_test(test_place_zeroes_slot),
		cmocka_unit_test(test_node_order),
		cmocka_unit_test(test_user_dtb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
