/*
 * Unit tests for boot_prepare(): files on disk end up in guest memory at
 * the layout's addresses, the DTB describes them, and a realm gets a plan
 * and an event log.  Failures leave nothing allocated.
 */
#include <fcntl.h>
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
#include <zlib.h>

#include "devices/device.h"
#include "realm/host_profile.h"
#include "realm/realm_config.h"
#include "vmm/boot.h"
#include "vmm/config.h"
#include "image_fixture.h"

#define MiB (1ULL << 20)

static char kpath[] = "/tmp/realmvm-boot-k-XXXXXX";
static char ipath[] = "/tmp/realmvm-boot-i-XXXXXX";
static char zpath[] = "/tmp/realmvm-boot-z-XXXXXX";
static uint8_t kernel[100000], initrd[50000];
static uint8_t zbytes[60000];	/* the gzip initrd file */
static size_t zlen;

static void write_fd(int fd, const void *p, size_t len)
{
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, len), (ssize_t)len);
	close(fd);
}

static int setup(void **state)
{
	gzFile z;
	ssize_t n;
	size_t i;
	int zfd;

	(void)state;
	for (i = 0; i < sizeof(kernel); i++)
		kernel[i] = (uint8_t)(i * 3);
	image_header(kernel, 0x80000, 2 * MiB, 0xa);
	for (i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 11 + 1);
	write_fd(mkstemp(kpath), kernel, sizeof(kernel));
	write_fd(mkstemp(ipath), initrd, sizeof(initrd));
	close(mkstemp(zpath));
	z = gzopen(zpath, "wb");
	assert_non_null(z);
	assert_int_equal(gzwrite(z, initrd, sizeof(initrd)), sizeof(initrd));
	gzclose(z);
	zfd = open(zpath, O_RDONLY);
	assert_true(zfd >= 0);
	n = read(zfd, zbytes, sizeof(zbytes));
	assert_true(n > 0 && (size_t)n < sizeof(zbytes));
	zlen = (size_t)n;
	close(zfd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(kpath);
	unlink(ipath);
	unlink(zpath);
	return 0;
}

static void cfg_make(struct config *cfg, bool realm)
{
	config_init(cfg);
	cfg->kernel_path = kpath;
	cfg->initrd_path = ipath;
	cfg->cmdline = "console=ttyS0";
	cfg->realm = realm;
}

/* boot_prepare() with the realm config cmd_run would derive. */
static int prepare(const struct config *cfg, const struct host_caps *caps,
		   unsigned int gic_version, struct boot *b)
{
	struct realm_config rc;

	assert_int_equal(realm_config_from(cfg, &rc), 0);
	return boot_prepare(cfg, &rc, caps, gic_version, b);
}

static void *at(struct boot *b, uint64_t ipa)
{
	return b->gm.host + (ipa - b->gm.ipa_base);
}

static void test_normal(void **state)
{
	struct host_caps caps;
	struct config cfg;
	struct boot b;
	const void *p;
	fdt64_t v;
	int chosen;

	(void)state;
	host_caps_default(&caps);
	cfg_make(&cfg, false);
	assert_int_equal(prepare(&cfg, &caps, 3, &b), 0);
	assert_int_equal(b.lay.kernel.ipa, 0x80080000ULL);
	assert_int_equal(b.lay.entry, 0x80080000ULL);
	assert_memory_equal(at(&b, b.lay.kernel.ipa), kernel, sizeof(kernel));
	assert_int_equal(b.lay.initrd.size, sizeof(initrd));
	assert_memory_equal(at(&b, b.lay.initrd.ipa), initrd, sizeof(initrd));
	assert_int_equal(b.lay.dtb.ipa, 0x8fe00000ULL);
	assert_ptr_equal(b.fdt, at(&b, 0x8fe00000ULL));
	assert_int_equal(fdt_check_full(b.fdt, b.lay.dtb.size), 0);
	assert_int_equal(fdt_totalsize(b.fdt), b.lay.dtb.size);
	chosen = fdt_path_offset(b.fdt, "/chosen");
	assert_true(chosen >= 0);
	p = fdt_getprop(b.fdt, chosen, "linux,initrd-start", NULL);
	assert_non_null(p);
	memcpy(&v, p, sizeof(v));	/* properties are only 4-byte aligned */
	assert_int_equal(fdt64_to_cpu(v), b.lay.initrd.ipa);
	assert_null(b.log);
	assert_int_equal(b.plan.nr_ops, 0);
	/* The UART is registered for the run loop. */
	assert_non_null(device_find(0x09000000ULL, 1));
	boot_release(&b);
	assert_null(b.gm.host);
	assert_null(device_first());
}

static void test_realm_gzip_initrd(void **state)
{
	uint8_t rim[RIM_MAX_SIZE];
	struct host_caps caps;
	struct config cfg;
	struct boot b;
	int off;

	(void)state;
	host_caps_default(&caps);
	cfg_make(&cfg, true);
	cfg.initrd_path = zpath;
	assert_int_equal(prepare(&cfg, &caps, 3, &b), 0);
	/* Loaded as given: the gzip file's bytes, not inflated. */
	assert_int_equal(b.lay.initrd.size, zlen);
	assert_memory_equal(at(&b, b.lay.initrd.ipa), zbytes, zlen);
	assert_int_equal(b.lay.log.ipa, 0x8fff0000ULL);
	assert_true(b.plan.nr_ops > 0);
	/* The log is built with the measurement: a launch needs it. */
	assert_null(b.log);
	assert_int_equal(boot_measure(&b, NULL, NULL, rim), 0);
	assert_ptr_equal(b.log, at(&b, 0x8fff0000ULL));
	assert_true(b.log_len > 0 && b.log_len <= 0x10000);
	assert_non_null(b.profile);
	assert_int_equal(b.params.s2sz, 33);
	off = fdt_path_offset(b.fdt, "/reserved-memory/event-log@8fff0000");
	assert_true(off >= 0);
	off = fdt_path_offset(b.fdt, "/psci");
	assert_string_equal(fdt_getprop(b.fdt, off, "method", NULL), "smc");
	boot_release(&b);

	/* A second boot in the same process starts from a clean registry. */
	assert_int_equal(prepare(&cfg, &caps, 3, &b), 0);
	assert_non_null(device_first());
	assert_null(device_first()->next);
	boot_release(&b);
}

static void test_user_dtb(void **state)
{
	static uint8_t dtb[8192];
	char dpath[] = "/tmp/realmvm-boot-d-XXXXXX";
	struct host_caps caps;
	struct config cfg;
	struct boot b;
	uint8_t *slot;
	uint32_t total;
	uint64_t i;

	(void)state;
	assert_int_equal(fdt_create_empty_tree(dtb, 8192), 0);
	assert_int_equal(fdt_setprop_string(dtb, 0, "model", "user"), 0);
	assert_int_equal(fdt_pack(dtb), 0);
	total = fdt_totalsize(dtb);
	write_fd(mkstemp(dpath), dtb, total);
	host_caps_default(&caps);
	cfg_make(&cfg, true);
	cfg.dtb_path = dpath;
	assert_int_equal(prepare(&cfg, &caps, 3, &b), 0);
	assert_int_equal(b.lay.dtb.size, total);
	assert_int_equal(b.lay.dtb_slot, 4096);
	slot = at(&b, b.lay.dtb.ipa);
	assert_memory_equal(slot, dtb, total);
	for (i = total; i < b.lay.dtb_slot; i++)
		assert_int_equal(slot[i], 0);
	boot_release(&b);
	unlink(dpath);
}

static void test_failures_release(void **state)
{
	struct host_caps caps;
	struct config cfg;
	struct boot b;
	FILE *null = fopen("/dev/null", "w");
	int saved = dup(2);

	(void)state;
	host_caps_default(&caps);
	fflush(stderr);
	dup2(fileno(null), 2);

	cfg_make(&cfg, false);
	cfg.kernel_path = "/nonexistent/Image";
	assert_int_equal(prepare(&cfg, &caps, 3, &b), -1);
	assert_null(b.gm.host);

	cfg_make(&cfg, false);
	cfg.ram_size = 33 * MiB;
	assert_int_equal(prepare(&cfg, &caps, 3, &b), -1);
	assert_null(b.gm.host);

	cfg_make(&cfg, false);
	cfg.initrd_path = "/nonexistent/initrd";
	assert_int_equal(prepare(&cfg, &caps, 3, &b), -1);

	cfg_make(&cfg, false);
	cfg.dtb_path = ipath;		/* not a DTB */
	assert_int_equal(prepare(&cfg, &caps, 3, &b), -1);

	/* Fails after RAM is mapped: GICv2 with 9 vCPUs. */
	cfg_make(&cfg, false);
	cfg.nr_cpus = 9;
	assert_int_equal(prepare(&cfg, &caps, 2, &b), -1);
	assert_null(b.gm.host);
	assert_null(device_first());

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fclose(null);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal),
		cmocka_unit_test(test_realm_gzip_initrd),
		cmocka_unit_test(test_user_dtb),
		cmocka_unit_test(test_failures_release),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
