/*
 * Unit tests for the memory layout.  Expected addresses are worked out by
 * hand from the rules in docs/memory-map.md (which follow kvmtool: a DTB
 * slot of 64 KiB ends up at 0x8fe00000 whenever RAM >= 256 MiB).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "arm64/layout.h"
#include "vmm/config.h"
#include "stderr_capture.h"

#define MiB (1ULL << 20)

/* Run layout_compute with stderr captured into errbuf. */
static int lay_err(const struct config *cfg, uint64_t toff, uint64_t fsize,
		   uint64_t isize, uint64_t initrd, uint64_t dtb,
		   struct layout *lay)
{
	int ret;

	cap_begin();
	ret = layout_compute(cfg, toff, fsize, isize, initrd, dtb, lay);
	cap_end();
	return ret;
}

static int lay_fw(const struct config *cfg, uint64_t fw, uint64_t dtb,
		  struct layout *lay)
{
	int ret;

	cap_begin();
	ret = layout_compute_firmware(cfg, fw, dtb, lay);
	cap_end();
	return ret;
}

static void cfg_make(struct config *cfg, uint64_t ram, bool realm, bool log)
{
	config_init(cfg);
	cfg->ram_size = ram;
	cfg->realm = realm;
	cfg->measurement_log = log;
}

static void test_normal_256m(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, false, true);
	assert_int_equal(lay_err(&cfg, 0, 10 * MiB, 12 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.ram_base, 0x80000000ULL);
	assert_int_equal(lay.ram_size, 256 * MiB);
	assert_int_equal(lay.kernel.ipa, 0x80000000ULL);
	assert_int_equal(lay.kernel.size, 10 * MiB);
	assert_int_equal(lay.kernel_image_size, 12 * MiB);
	assert_int_equal(lay.entry, 0x80000000ULL);
	assert_int_equal(lay.dtb.ipa, 0x8fe00000ULL);
	assert_int_equal(lay.dtb_slot, 0x10000);
	assert_int_equal(lay.dtb.size, 0);
	/* The log exists only for realms. */
	assert_int_equal(lay.log.size, 0);
	assert_int_equal(lay.initrd.size, 0);
	assert_int_equal(lay.ipa_bits, 32);
}

static void test_realm_log(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, true, true);
	assert_int_equal(lay_err(&cfg, 0, 10 * MiB, 12 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.log.ipa, 0x8fff0000ULL);
	assert_int_equal(lay.log.size, 0x10000);
	assert_int_equal(lay.dtb.ipa, 0x8fe00000ULL);
	assert_int_equal(lay.ipa_bits, 33);

	cfg.measurement_log = false;
	assert_int_equal(lay_err(&cfg, 0, 10 * MiB, 12 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.log.size, 0);
	assert_int_equal(lay.dtb.ipa, 0x8fe00000ULL);
}

static void test_small_ram(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	/* Window end is RAM end: 0x84000000. */
	cfg_make(&cfg, 64 * MiB, true, true);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.log.ipa, 0x83ff0000ULL);
	assert_int_equal(lay.dtb.ipa, 0x83e00000ULL);
	cfg_make(&cfg, 32 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.dtb.ipa, 0x81e00000ULL);
}

static void test_big_ram_window(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	/* Blobs stay below RAM + 256 MiB however large RAM is. */
	cfg_make(&cfg, 4096 * MiB, true, true);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.log.ipa, 0x8fff0000ULL);
	assert_int_equal(lay.dtb.ipa, 0x8fe00000ULL);
	/* Last byte 0x17fffffff: 33 bits, plus the realm's top bit. */
	assert_int_equal(lay.ipa_bits, 34);
}

static void test_text_offset(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0x80000, MiB, 3 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.kernel.ipa, 0x80080000ULL);
	assert_int_equal(lay.entry, 0x80080000ULL);
	/* An image_size below the file size cannot shrink the kernel. */
	assert_int_equal(lay_err(&cfg, 0, 5 * MiB, 3 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.kernel_image_size, 5 * MiB);
}

static void test_initrd_placement(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0x100005, 0, &lay), 0);
	/* 0x8fe00000 - 0x100005 = 0x8fcffffb, down to 4 KiB. */
	assert_int_equal(lay.initrd.ipa, 0x8fcff000ULL);
	assert_int_equal(lay.initrd.size, 0x100005);
	assert_true(lay.initrd.ipa + lay.initrd.size <= lay.dtb.ipa);

	/* Exactly up to the kernel's end still fits. */
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB,
				 0x8fe00000ULL - 0x80200000ULL, 0, &lay), 0);
	assert_int_equal(lay.initrd.ipa, 0x80200000ULL);
}

static void test_initrd_errors(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 300 * MiB, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "initrd (314572800 bytes) does not fit"));
	/* Overlap with the kernel's BSS: 200 MiB kernel + 60 MiB initrd. */
	assert_int_equal(lay_err(&cfg, 0, MiB, 200 * MiB, 60 * MiB, 0, &lay),
			 -1);
	assert_non_null(strstr(errbuf, "does not fit"));
	/* One byte too many. */
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB,
				 0x8fe00000ULL - 0x80200000ULL + 1, 0, &lay),
			 -1);
}

static void test_large_initrd(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	/* What fits in the 256 MiB window stays where kvmtool puts it. */
	cfg_make(&cfg, 4096 * MiB, true, true);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 100 * MiB, 0, &lay),
			 0);
	assert_int_equal(lay.log.ipa, 0x8fff0000ULL);
	assert_int_equal(lay.dtb.ipa, 0x8fe00000ULL);
	assert_int_equal(lay.initrd.ipa, 0x89a00000ULL);

	/* 2 GiB with -m 4G: log, DTB and initrd move to the top of RAM. */
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 2048 * MiB, 0, &lay),
			 0);
	assert_int_equal(lay.log.ipa, 0x17fff0000ULL);
	assert_int_equal(lay.log.size, 0x10000);
	assert_int_equal(lay.dtb.ipa, 0x17fe00000ULL);
	assert_int_equal(lay.initrd.ipa, 0xffe00000ULL);
	assert_int_equal(lay.initrd.size, 2048 * MiB);

	/* Without a log the DTB is the same 2 MiB block. */
	cfg_make(&cfg, 512 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 300 * MiB, 0, &lay),
			 0);
	assert_int_equal(lay.log.size, 0);
	assert_int_equal(lay.dtb.ipa, 0x9fe00000ULL);
	assert_int_equal(lay.initrd.ipa, 0x8d200000ULL);
	/* Up to the kernel's end, and not one byte more. */
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB,
				 0x9fe00000ULL - 0x80200000ULL, 0, &lay), 0);
	assert_int_equal(lay.initrd.ipa, 0x80200000ULL);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB,
				 0x9fe00000ULL - 0x80200000ULL + 1, 0, &lay),
			 -1);
	assert_non_null(strstr(errbuf, "and the DTB (0x9fe00000)"));

	/* Beyond 32 GiB of RAM the window still ends at RAM_BASE + 32 GiB. */
	cfg_make(&cfg, 64ULL << 30, true, true);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 20ULL << 30, 0, &lay),
			 0);
	assert_int_equal(lay.log.ipa, 0x87fff0000ULL);
	assert_int_equal(lay.dtb.ipa, 0x87fe00000ULL);
	assert_int_equal(lay.initrd.ipa, 0x37fe00000ULL);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 32ULL << 30, 0, &lay),
			 -1);
	assert_non_null(strstr(errbuf, "does not fit"));

	/* A kernel too large for the small window takes the large one too. */
	cfg_make(&cfg, 1024 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 300 * MiB, 0, 0, &lay), 0);
	assert_int_equal(lay.dtb.ipa, 0xbfe00000ULL);
}

static void test_ram_rules(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 33 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "is not a multiple of 2 MiB"));
	cfg_make(&cfg, 256 * MiB + 4096, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "is not a multiple of 2 MiB"));
	cfg_make(&cfg, 16 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "too small"));
	cfg_make(&cfg, 2ULL << 40, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), -1);
	cfg_make(&cfg, 34 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 0, &lay), 0);
}

static void test_kernel_errors(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 64 * MiB, false, false);
	assert_int_equal(lay_err(&cfg, 0, MiB, 65 * MiB, 0, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "exceeds RAM"));
	/* Hostile text_offset: no wrap-around. */
	assert_int_equal(lay_err(&cfg, ~0ULL - 10, MiB, 2 * MiB, 0, 0, &lay),
			 -1);
	assert_non_null(strstr(errbuf, "exceeds RAM"));
	assert_int_equal(lay_err(&cfg, 0, MiB, ~0ULL, 0, 0, &lay), -1);
	/* Fits RAM but runs into the DTB slot (0x83e00000). */
	assert_int_equal(lay_err(&cfg, 0, MiB, 63 * MiB, 0, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "DTB"));
	assert_int_equal(lay_err(&cfg, 0, 0, 0, 0, 0, &lay), -1);
}

static void test_user_dtb(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, true, true);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 5000, &lay), 0);
	assert_int_equal(lay.dtb_slot, 8192);
	assert_int_equal(lay.dtb.size, 5000);
	assert_int_equal(lay.dtb.ipa, 0x8fe00000ULL);
	/* A 2 MiB DTB below the log: 0x8fff0000 - 2 MiB, down to 2 MiB. */
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 2 * MiB, &lay), 0);
	assert_int_equal(lay.dtb.ipa, 0x8fc00000ULL);
	assert_int_equal(lay.dtb_slot, 2 * MiB);
	assert_int_equal(lay_err(&cfg, 0, MiB, 2 * MiB, 0, 2 * MiB + 1, &lay),
			 -1);
	assert_non_null(strstr(errbuf, "DTB is too large"));
}

static void test_ipa_bits(void **state)
{
	(void)state;
	assert_int_equal(layout_ipa_bits(RAM_BASE, 256 * MiB, false), 32);
	assert_int_equal(layout_ipa_bits(RAM_BASE, 256 * MiB, true), 33);
	/* Last byte 0xffffffff still needs 32 bits. */
	assert_int_equal(layout_ipa_bits(RAM_BASE, 2048 * MiB, false), 32);
	assert_int_equal(layout_ipa_bits(RAM_BASE, 2050 * MiB, false), 33);
	assert_int_equal(layout_ipa_bits(RAM_BASE, 2050 * MiB, true), 34);
	assert_int_equal(layout_ipa_bits(0, MiB, false), 32);
	/* 0x80000000 + 1 TiB - 1 = 0x107fffffffff: 41 bits. */
	assert_int_equal(layout_ipa_bits(RAM_BASE, 1ULL << 40, true), 42);
}

/* --firmware: at the RAM base, entered there, DTB at the next 2 MiB. */
static void test_firmware(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, false, true);
	cap_begin();
	assert_int_equal(layout_compute_firmware(&cfg, 0x2000, 0, &lay), 0);
	cap_end();
	assert_int_equal(lay.firmware.ipa, RAM_BASE);
	assert_int_equal(lay.firmware.size, 0x2000);
	assert_int_equal(lay.entry, RAM_BASE);
	assert_int_equal(lay.kernel.size, 0);
	assert_int_equal(lay.initrd.size, 0);
	assert_int_equal(lay.dtb.ipa, RAM_BASE + 2 * MiB);
	assert_int_equal(lay.dtb_slot, FDT_GEN_SIZE);
	assert_int_equal(lay.log.size, 0);

	/* Exactly 2 MiB of firmware: the DTB starts right after it. */
	assert_int_equal(layout_compute_firmware(&cfg, 2 * MiB, 0, &lay), 0);
	assert_int_equal(lay.dtb.ipa, RAM_BASE + 2 * MiB);
	/* One byte more moves it a whole 2 MiB. */
	assert_int_equal(layout_compute_firmware(&cfg, 2 * MiB + 1, 0, &lay),
			 0);
	assert_int_equal(lay.dtb.ipa, RAM_BASE + 4 * MiB);

	/* A realm keeps its log at the end of the blob window. */
	cfg_make(&cfg, 512 * MiB, true, true);
	assert_int_equal(layout_compute_firmware(&cfg, 64 * MiB, 0x3001, &lay),
			 0);
	assert_int_equal(lay.ipa_bits, 33);
	assert_int_equal(lay.dtb.ipa, RAM_BASE + 64 * MiB);
	assert_int_equal(lay.dtb.size, 0x3001);
	assert_int_equal(lay.dtb_slot, 0x4000);
	assert_int_equal(lay.log.ipa, RAM_BASE + 256 * MiB - EVENT_LOG_SIZE);
	assert_int_equal(lay.log.size, EVENT_LOG_SIZE);
}

static void test_firmware_errors(void **state)
{
	struct config cfg;
	struct layout lay;

	(void)state;
	cfg_make(&cfg, 256 * MiB, false, true);
	assert_int_equal(lay_fw(&cfg, 0, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "firmware image is empty"));
	assert_int_equal(lay_fw(&cfg, FIRMWARE_MAX_SIZE + 1, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "too large"));
	/* 32 MiB of RAM, 31 MiB of firmware: no 2 MiB boundary left. */
	cfg_make(&cfg, 32 * MiB, false, true);
	assert_int_equal(lay_fw(&cfg, 31 * MiB, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "no room for the DTB"));
	/* A large user DTB at 62 MiB would run into a realm's log. */
	cfg_make(&cfg, 64 * MiB, true, true);
	assert_int_equal(lay_fw(&cfg, 62 * MiB - 1, 2 * MiB - 4096, &lay), -1);
	assert_non_null(strstr(errbuf, "no room for the DTB"));
	/* Firmware over the log itself. */
	assert_int_equal(lay_fw(&cfg, 64 * MiB - 4096, 0, &lay), -1);
	assert_non_null(strstr(errbuf, "overlaps the event log"));
	/* Without the log the same firmware and DTB fit at the RAM's end. */
	cfg_make(&cfg, 64 * MiB, true, false);
	assert_int_equal(lay_fw(&cfg, 62 * MiB - 1, 2 * MiB - 4096, &lay), 0);
	assert_int_equal(lay.dtb.ipa, RAM_BASE + 62 * MiB);
	assert_int_equal(lay_fw(&cfg, 4096, DTB_MAX_SIZE + 1, &lay), -1);
	assert_non_null(strstr(errbuf, "DTB is too large"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_256m),
		cmocka_unit_test(test_realm_log),
		cmocka_unit_test(test_small_ram),
		cmocka_unit_test(test_big_ram_window),
		cmocka_unit_test(test_text_offset),
		cmocka_unit_test(test_initrd_placement),
		cmocka_unit_test(test_initrd_errors),
		cmocka_unit_test(test_large_initrd),
		cmocka_unit_test(test_ram_rules),
		cmocka_unit_test(test_kernel_errors),
		cmocka_unit_test(test_user_dtb),
		cmocka_unit_test(test_ipa_bits),
		cmocka_unit_test(test_firmware),
		cmocka_unit_test(test_firmware_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
