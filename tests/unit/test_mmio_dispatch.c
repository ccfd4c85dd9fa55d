/*
 * MMIO exit dispatch as a hostile guest meets it: only whole accesses of
 * 1, 2, 4 or 8 bytes inside one device window reach a device, with the
 * offset inside that window; everything else reads as zero and changes
 * nothing, and a device never sees or returns more than len bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/device.h"
#include "vmm/mmio.h"
#include "vmm/util.h"

#define DEV_BASE	0x0a000000ULL
#define DEV_SIZE	0x200ULL

struct seen {
	unsigned int calls;
	uint64_t offset;
	unsigned int len;
	bool is_write;
	uint8_t data[8];
};

static struct seen seen;

/* Records the access; reads return bytes 0x10, 0x11, ... in all 8 slots. */
static void fake_mmio(struct device *dev, uint64_t offset, uint8_t *data,
		      unsigned int len, bool is_write)
{
	unsigned int i;

	(void)dev;
	seen.calls++;
	seen.offset = offset;
	seen.len = len;
	seen.is_write = is_write;
	memcpy(seen.data, data, 8);
	if (!is_write)
		for (i = 0; i < 8; i++)	/* deliberately past len */
			data[i] = (uint8_t)(0x10 + i);
}

static struct device fake = {
	.name = "fake",
	.base = DEV_BASE,
	.size = DEV_SIZE,
	.mmio = fake_mmio,
};

static struct device nomio = {
	.name = "no-mmio",
	.base = 0x0b000000ULL,
	.size = 0x1000ULL,
};

static int setup(void **state)
{
	(void)state;
	util_quiet = true;
	memset(&seen, 0, sizeof(seen));
	device_reset_registry();
	device_register(&fake);
	device_register(&nomio);
	mmio_reset_warnings();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	device_reset_registry();
	return 0;
}

static void read_in_window(void **state)
{
	uint8_t data[8];

	(void)state;
	memset(data, 0xaa, sizeof(data));
	assert_int_equal(mmio_dispatch(DEV_BASE + 0x70, data, 4, false),
			 MMIO_HANDLED);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.offset, 0x70);
	assert_int_equal(seen.len, 4);
	assert_false(seen.is_write);
	assert_int_equal(data[0], 0x10);
	assert_int_equal(data[3], 0x13);
	/* The device wrote 8 bytes; only len of them come back. */
	assert_int_equal(data[4], 0xaa);
	assert_int_equal(data[7], 0xaa);
}

static void write_in_window(void **state)
{
	uint8_t data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	(void)state;
	assert_int_equal(mmio_dispatch(DEV_BASE + DEV_SIZE - 2, data, 2, true),
			 MMIO_HANDLED);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.offset, DEV_SIZE - 2);
	assert_true(seen.is_write);
	assert_int_equal(seen.data[0], 1);
	assert_int_equal(seen.data[1], 2);
	/* Bytes past len never reach the device. */
	assert_int_equal(seen.data[2], 0);
	assert_int_equal(seen.data[7], 0);
}

static void all_lengths(void **state)
{
	static const unsigned int lens[] = { 1, 2, 4, 8 };
	uint8_t data[8];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		assert_int_equal(mmio_dispatch(DEV_BASE, data, lens[i], false),
				 MMIO_HANDLED);
		assert_int_equal(seen.len, lens[i]);
	}
	assert_int_equal(seen.calls, 4);
}

static void bad_lengths_read_zero(void **state)
{
	static const unsigned int lens[] = { 0, 3, 5, 7, 16, 0xffffffffU };
	uint8_t data[8];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		memset(data, 0xaa, sizeof(data));
		assert_int_equal(mmio_dispatch(DEV_BASE, data, lens[i], false),
				 MMIO_BAD_LEN);
		assert_int_equal(data[0], 0);
		assert_int_equal(data[7], 0);
		assert_int_equal(mmio_dispatch(DEV_BASE, data, lens[i], true),
				 MMIO_BAD_LEN);
	}
	assert_int_equal(seen.calls, 0);
}

static void straddling_window_end(void **state)
{
	uint8_t data[8];

	(void)state;
	memset(data, 0xaa, sizeof(data));
	/* 2 bytes inside, 2 past the end. */
	assert_int_equal(mmio_dispatch(DEV_BASE + DEV_SIZE - 2, data, 4, false),
			 MMIO_UNMAPPED);
	assert_int_equal(data[0], 0);
	assert_int_equal(data[3], 0);
	assert_int_equal(data[4], 0xaa);	/* past len: untouched */
	/* Starting just before the window. */
	assert_int_equal(mmio_dispatch(DEV_BASE - 1, data, 2, true),
			 MMIO_UNMAPPED);
	assert_int_equal(seen.calls, 0);
}

static void unmapped_reads_zero(void **state)
{
	uint8_t data[8];

	(void)state;
	memset(data, 0xaa, sizeof(data));
	assert_int_equal(mmio_dispatch(0x1000, data, 8, false), MMIO_UNMAPPED);
	assert_int_equal(data[0], 0);
	assert_int_equal(data[7], 0);
	assert_int_equal(mmio_dispatch(DEV_BASE + DEV_SIZE, data, 1, true),
			 MMIO_UNMAPPED);
	/* Repeats are reported once but still handled the same way. */
	memset(data, 0xaa, sizeof(data));
	assert_int_equal(mmio_dispatch(0x2000, data, 4, false), MMIO_UNMAPPED);
	assert_int_equal(data[0], 0);
	assert_int_equal(seen.calls, 0);
}

/* Count the lines of stderr that fn(state) prints. */
static int stderr_lines(void (*fn)(void **), void **state)
{
	FILE *tmp = tmpfile();
	int saved, c, lines = 0;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	dup2(fileno(tmp), STDERR_FILENO);
	fn(state);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(tmp);
	while ((c = fgetc(tmp)) != EOF)
		lines += c == '\n';
	fclose(tmp);
	return lines;
}

static void many_bad_accesses(void **state)
{
	uint8_t data[8];
	unsigned int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		mmio_dispatch(0x1000 + 8 * i, data, 8, i & 1);
		mmio_dispatch(DEV_BASE, data, 3, i & 1);
	}
}

static void reported_once_per_kind(void **state)
{
	/* 100 unmapped accesses and 100 bad lengths: two lines in all. */
	assert_int_equal(stderr_lines(many_bad_accesses, state), 2);
	/* A new VM (mmio_reset_warnings) reports again. */
	mmio_reset_warnings();
	assert_int_equal(stderr_lines(many_bad_accesses, state), 2);
	assert_int_equal(seen.calls, 0);
}

static void wrapping_address(void **state)
{
	uint8_t data[8];

	(void)state;
	assert_int_equal(mmio_dispatch(UINT64_MAX - 1, data, 4, false),
			 MMIO_UNMAPPED);
	assert_int_equal(mmio_dispatch(UINT64_MAX, data, 8, true),
			 MMIO_UNMAPPED);
	assert_int_equal(seen.calls, 0);
}

static void device_without_handler(void **state)
{
	uint8_t data[8];

	(void)state;
	memset(data, 0xaa, sizeof(data));
	assert_int_equal(mmio_dispatch(nomio.base, data, 4, false),
			 MMIO_UNMAPPED);
	assert_int_equal(data[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(read_in_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(write_in_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(all_lengths, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_lengths_read_zero, setup,
						teardown),
		cmocka_unit_test_setup_teardown(straddling_window_end, setup,
						teardown),
		cmocka_unit_test_setup_teardown(unmapped_reads_zero, setup,
						teardown),
		cmocka_unit_test_setup_teardown(wrapping_address, setup,
						teardown),
		cmocka_unit_test_setup_teardown(reported_once_per_kind, setup,
						teardown),
		cmocka_unit_test_setup_teardown(device_without_handler, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
