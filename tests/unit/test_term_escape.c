/*
 * The console escape: Ctrl-A x quits, Ctrl-A Ctrl-A types one Ctrl-A,
 * Ctrl-A and any other key pass both bytes on, and an escape split across
 * two reads of stdin behaves like one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/term.h"

static size_t filter(struct term_escape *st, const char *in, size_t n,
		     uint8_t *out, bool *quit)
{
	return term_filter(st, (const uint8_t *)in, n, out, quit);
}

static void plain_bytes_pass(void **state)
{
	struct term_escape st = { 0 };
	uint8_t out[32];
	bool quit;

	(void)state;
	assert_int_equal(filter(&st, "ls\r\x03", 4, out, &quit), 4);
	assert_memory_equal(out, "ls\r\x03", 4);
	assert_false(quit);
}

static void ctrl_a_x_quits(void **state)
{
	struct term_escape st = { 0 };
	uint8_t out[32];
	bool quit;

	(void)state;
	assert_int_equal(filter(&st, "ab\x01xcd", 6, out, &quit), 2);
	assert_memory_equal(out, "ab", 2);
	assert_true(quit);

	st.pending = false;
	assert_int_equal(filter(&st, "\x01X", 2, out, &quit), 0);
	assert_true(quit);
}

static void ctrl_a_ctrl_a_is_literal(void **state)
{
	struct term_escape st = { 0 };
	uint8_t out[32];
	bool quit;

	(void)state;
	assert_int_equal(filter(&st, "\x01\x01z", 3, out, &quit), 2);
	assert_memory_equal(out, "\x01z", 2);
	assert_false(quit);
}

static void ctrl_a_other_passes_both(void **state)
{
	struct term_escape st = { 0 };
	uint8_t out[32];
	bool quit;

	(void)state;
	assert_int_equal(filter(&st, "\x01q", 2, out, &quit), 2);
	assert_memory_equal(out, "\x01q", 2);
	assert_false(quit);
}

static void split_escape(void **state)
{
	struct term_escape st = { 0 };
	uint8_t out[32];
	bool quit;

	(void)state;
	assert_int_equal(filter(&st, "a\x01", 2, out, &quit), 1);
	assert_false(quit);
	assert_true(st.pending);
	assert_int_equal(filter(&st, "x", 1, out, &quit), 0);
	assert_true(quit);
}

static void worst_case_output_size(void **state)
{
	struct term_escape st = { 0 };
	uint8_t out[8];
	bool quit;

	(void)state;
	/* Pairs give 2 bytes per 2 in; only a held Ctrl-A adds one more. */
	assert_int_equal(filter(&st, "\001a\001b", 4, out, &quit), 4);
	assert_memory_equal(out, "\001a\001b", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_bytes_pass),
		cmocka_unit_test(ctrl_a_x_quits),
		cmocka_unit_test(ctrl_a_ctrl_a_is_literal),
		cmocka_unit_test(ctrl_a_other_passes_both),
		cmocka_unit_test(split_escape),
		cmocka_unit_test(worst_case_output_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
