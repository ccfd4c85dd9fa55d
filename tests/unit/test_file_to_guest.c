/*
 * file_map_to_guest(): a file that cannot be mapped still lands in guest
 * RAM.  sysfs refuses mmap only after MAP_FIXED has unmapped what was
 * below, which on the real RMM made `log verify --dtb /sys/firmware/fdt`
 * inside a realm fail with EFAULT.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "vmm/file_to_guest.h"
#include "vmm/guest_mem.h"

#define SYSFS_FILE	"/sys/kernel/notes"	/* a kernfs binary file */
#define BASE		0x80000000ULL

static void test_sysfs_file(void **state)
{
	struct guest_mem gm = { 0 };
	uint8_t want[4096], *got;
	ssize_t n;
	int fd;

	(void)state;
	fd = open(SYSFS_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		skip();		/* no sysfs here: nothing to show */
	n = read(fd, want, sizeof(want));
	assert_true(n > 0);
	assert_int_equal(guest_mem_alloc(&gm, BASE, 4 << 20), 0);
	memset(gm_ptr(&gm, BASE + (2 << 20), 4096), 0xaa, 4096);
	assert_int_equal(file_map_to_guest(fd, "DTB", SYSFS_FILE, (uint64_t)n,
					   &gm, BASE + (2 << 20)), 0);
	got = gm_ptr(&gm, BASE + (2 << 20), (uint64_t)n);
	assert_non_null(got);
	assert_memory_equal(got, want, (size_t)n);
	/* and the rest of guest RAM is still there and writable */
	got[n] = 1;
	*(volatile uint8_t *)gm_ptr(&gm, BASE + (3 << 20), 1) = 2;
	close(fd);
	guest_mem_free(&gm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysfs_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
