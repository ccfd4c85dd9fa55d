/*
 * Unit tests for the command line's number and size parsing: accepted
 * spellings, units computed here by shifts, and every malformed or
 * overflowing input refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vmm/size_parse.h"

static void test_u64_accepts(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_u64("0", 10, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("42", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_u64("0x2A", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_u64("0xffffffffffffffff", UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551615", UINT64_MAX, &v),
			 0);
	assert_true(v == UINT64_MAX);
}

static void test_u64_rejects(void **state)
{
	static const char *const bad[] = {
		"", " 1", "1 ", "-1", "+1", "1x", "0x", "0xg", "abc", "1.5",
		"18446744073709551616", "0x10000000000000000", "1e3",
	};
	uint64_t v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_u64(bad[i], UINT64_MAX, &v), -1);
		assert_int_equal(v, 7);		/* untouched on failure */
	}
	assert_int_equal(parse_u64("101", 100, &v), -1);
	assert_int_equal(parse_u64(NULL, 100, &v), -1);
}

static void test_size_units(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(parse_size("256", &v), 0);	/* bare = MiB */
	assert_true(v == 256ULL << 20);
	assert_int_equal(parse_size("256M", &v), 0);
	assert_true(v == 256ULL << 20);
	assert_int_equal(parse_size("256m", &v), 0);
	assert_true(v == 256ULL << 20);
	assert_int_equal(parse_size("4K", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(parse_size("4k", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(parse_size("3G", &v), 0);
	assert_true(v == 3ULL << 30);
	assert_int_equal(parse_size("0x100", &v), 0);
	assert_true(v == 0x100ULL << 20);
	assert_int_equal(parse_size("0x10G", &v), 0);
	assert_true(v == 0x10ULL << 30);
	/* the largest G count that fits: 2^34 - 1 */
	assert_int_equal(parse_size("17179869183G", &v), 0);
	assert_true(v == ((1ULL << 34) - 1) << 30);
	/* T: the help's upper bound for -m is 1T */
	assert_int_equal(parse_size("1T", &v), 0);
	assert_true(v == 1ULL << 40);
	assert_int_equal(parse_size("2t", &v), 0);
	assert_true(v == 2ULL << 40);
	assert_int_equal(parse_size("0x10T", &v), 0);
	assert_true(v == 0x10ULL << 40);
	/* the largest T count that fits: 2^24 - 1 */
	assert_int_equal(parse_size("16777215T", &v), 0);
	assert_true(v == ((1ULL << 24) - 1) << 40);
}

static void test_size_rejects(void **state)
{
	static const char *const bad[] = {
		"", "0", "0K", "0x0G", "M", "3X", "12MB", "1KK", "-1", " 1",
		"1 M", "1.5G", "0x", "17179869184G", "17592186044416M",
		"18014398509481984K", "99999999999999999999", "0T", "16777216T",
		"1TB", "1Ti", "T", "1.5T",
	};
	uint64_t v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_size(bad[i], &v), -1);
		assert_int_equal(v, 7);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64_accepts),
		cmocka_unit_test(test_u64_rejects),
		cmocka_unit_test(test_size_units),
		cmocka_unit_test(test_size_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
