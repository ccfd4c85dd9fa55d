/*
 * The INIT_RIPAS split model against the cases the references work out
 * by hand (kvm-v12-v14-first-run.md section 2, rim-and-eventlog.md section
 * 5): the v10 ground truth (128 x 2 MiB), the v12 worked example (474 x 4K,
 * 122 x 2M, 60 x 4K, 496 x 4K), slot edges that are not 2 MiB aligned,
 * 1 GiB blocks at start level 1, and the host's failure cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "realm/plan.h"
#include "realm/ripas_split.h"

#define K4	0x1000ULL
#define M2	0x200000ULL
#define G1	0x40000000ULL

struct run {
	uint64_t base, size;	/* expected: count entries of size from base */
	size_t count;
};

static void start(struct plan *plan, enum host_abi abi, unsigned int s2sz)
{
	struct realm_params p;

	memset(&p, 0, sizeof(p));
	p.s2sz = s2sz;
	p.num_bps = 1;
	p.num_wps = 1;
	plan_begin(plan, host_profile_get(abi), &p, abi != HOST_CCA_V10);
}

static void populate(struct plan *plan, uint64_t base, uint64_t top)
{
	assert_int_equal(plan_add_data(plan, base, top - base, true,
				       BLOB_KERNEL, base, top - base), 0);
}

/* Check the RIPAS ops after the last RIPAS_CALL against runs. */
static void expect_runs(const struct plan *plan, const struct run *runs,
			size_t nr_runs)
{
	size_t i = plan->nr_ops, r, k;

	while (i && plan->ops[i - 1].kind != PLAN_RIPAS_CALL)
		i--;
	assert_true(i > 0);
	for (r = 0; r < nr_runs; r++) {
		for (k = 0; k < runs[r].count; k++, i++) {
			uint64_t b = runs[r].base + k * runs[r].size;

			assert_true(i < plan->nr_ops);
			assert_int_equal(plan->ops[i].kind, PLAN_RIPAS);
			assert_int_equal(plan->ops[i].ripas.base, b);
			assert_int_equal(plan->ops[i].ripas.top,
					 b + runs[r].size);
		}
	}
	assert_int_equal(i, plan->nr_ops);
}

static void test_start_level(void **state)
{
	(void)state;
	assert_int_equal(rtt_start_level(32), 2);
	assert_int_equal(rtt_start_level(33), 2);
	assert_int_equal(rtt_start_level(34), 2);
	assert_int_equal(rtt_start_level(35), 1);
	assert_int_equal(rtt_start_level(43), 1);
	assert_int_equal(rtt_start_level(44), 0);
	assert_int_equal(rtt_start_level(48), 0);
}

/* Ground truth: 256 MiB at 2 GiB, s2sz 33, before any DATA. */
static void test_v10_ground_truth(void **state)
{
	const struct run runs[] = { { 0x80000000, M2, 128 } };
	struct plan plan;

	(void)state;
	start(&plan, HOST_CCA_V10, 33);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x90000000, false),
			 0);
	assert_int_equal(plan.nr_ops, 1 + 1 + 128);
	assert_int_equal(plan.ops[1].kind, PLAN_RIPAS_CALL);
	assert_int_equal(plan.ops[1].ripas.base, 0x80000000);
	assert_int_equal(plan.ops[1].ripas.top, 0x90000000);
	assert_false(plan.ops[1].by_kvm);
	expect_runs(&plan, runs, 1);
	plan_free(&plan);
}

/* RMM 1.0 measures a second call over RAM again, with the same split. */
static void test_v10_redundant_call(void **state)
{
	const struct run runs[] = { { 0x80000000, M2, 128 } };
	struct plan plan;

	(void)state;
	start(&plan, HOST_CCA_V10, 33);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x90000000, false),
			 0);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x90000000, false),
			 0);
	assert_int_equal(plan.nr_ops, 1 + 2 * (1 + 128));
	expect_runs(&plan, runs, 1);
	plan_free(&plan);
}

static void worked_example(unsigned int s2sz)
{
	const struct run runs[] = {
		{ 0x80626000, K4, 474 },
		{ 0x80800000, M2, 122 },
		{ 0x8fc00000, K4, 60 },
		{ 0x8fe10000, K4, 496 },
	};
	struct plan plan;

	start(&plan, HOST_CCA_V12, s2sz);
	populate(&plan, 0x80000000, 0x80626000);
	populate(&plan, 0x8fc3c000, 0x8fe10000);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x90000000, true),
			 0);
	/* CREATE + 2 DATA + CALL + 1152 entries */
	assert_int_equal(plan.nr_ops, 1 + 2 + 1 + 1152);
	assert_true(plan.ops[3].by_kvm);
	assert_true(plan.ops[4].by_kvm);
	expect_runs(&plan, runs, 4);
	plan_free(&plan);
}

static void test_v12_worked_example(void **state)
{
	(void)state;
	worked_example(33);
	worked_example(34);
	/* "the same result holds for any s2sz from 33 to 47" */
	worked_example(40);
	worked_example(47);
}

/* Slot edges not 2 MiB aligned: KVM creates L3 tables there. */
static void test_unaligned_edges(void **state)
{
	const struct run runs[] = {
		{ 0x80001000, K4, 511 },
		{ 0x80200000, M2, 1 },
		{ 0x80400000, K4, 1 },
	};
	struct plan plan;

	(void)state;
	start(&plan, HOST_CCA_V12, 33);
	assert_int_equal(plan_add_ripas(&plan, 0x80001000, 0x80401000, true),
			 0);
	expect_runs(&plan, runs, 3);
	plan_free(&plan);

	start(&plan, HOST_CCA_V10, 33);
	assert_int_equal(plan_add_ripas(&plan, 0x80001000, 0x80401000, false),
			 0);
	expect_runs(&plan, runs, 3);
	plan_free(&plan);
}

/* Start level 1: whole aligned GiBs become single 1 GiB entries. */
static void test_sl1_gigabyte_blocks(void **state)
{
	const struct run runs[] = {
		{ 0x80000000, G1, 3 },
		{ 0x140000000, M2, 1 },
	};
	const struct run runs12[] = {
		{ 0x80200000, M2, 511 },
		{ 0xc0000000, G1, 2 },
		{ 0x140000000, M2, 1 },
	};
	const struct run runs_sl2[] = {
		{ 0x80000000, M2, 3 * 512 + 1 },
	};
	struct plan plan;

	(void)state;
	start(&plan, HOST_CCA_V10, 36);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x140200000, false),
			 0);
	expect_runs(&plan, runs, 2);
	plan_free(&plan);

	/* a populated first 2 MiB puts an L2 table in the first GiB */
	start(&plan, HOST_CCA_V12, 36);
	populate(&plan, 0x80000000, 0x80200000);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x140200000, true),
			 0);
	expect_runs(&plan, runs12, 3);
	plan_free(&plan);

	/* the same RAM at start level 2 has no 1 GiB entries */
	start(&plan, HOST_CCA_V10, 34);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x140200000, false),
			 0);
	expect_runs(&plan, runs_sl2, 1);
	plan_free(&plan);
}

/* RMM 2.0 profile: the call is recorded, no entries are measured. */
static void test_v14_unmeasured(void **state)
{
	struct plan plan;

	(void)state;
	start(&plan, HOST_CCA_V14, 33);
	populate(&plan, 0x80000000, 0x80626000);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x90000000, true),
			 0);
	assert_int_equal(plan.nr_ops, 3);
	assert_int_equal(plan.ops[2].kind, PLAN_RIPAS_CALL);
	plan_free(&plan);
}

/* v7..v11 KVM fails INIT_RIPAS over populated pages (no skip hack). */
static void test_v10_after_data_fails(void **state)
{
	struct plan plan;

	(void)state;
	start(&plan, HOST_CCA_V10, 33);
	populate(&plan, 0x80000000, 0x80001000);
	assert_int_equal(plan_add_ripas(&plan, 0x80000000, 0x80200000, false),
			 -1);
	plan_free(&plan);
}

static void test_bad_ranges(void **state)
{
	struct plan plan;

	(void)state;
	start(&plan, HOST_CCA_V12, 33);
	assert_int_equal(plan_add_ripas(&plan, 0x80000800, 0x80200000, true),
			 -1);
	assert_int_equal(plan_add_ripas(&plan, 0x80200000, 0x80200000, true),
			 -1);
	/* above the protected half of a 33-bit IPA space */
	assert_int_equal(plan_add_ripas(&plan, 0x100000000, 0x100200000, true),
			 -1);
	assert_int_equal(plan.nr_ops, 1);
	plan_free(&plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_level),
		cmocka_unit_test(test_v10_ground_truth),
		cmocka_unit_test(test_v10_redundant_call),
		cmocka_unit_test(test_v12_worked_example),
		cmocka_unit_test(test_unaligned_edges),
		cmocka_unit_test(test_sl1_gigabyte_blocks),
		cmocka_unit_test(test_v14_unmeasured),
		cmocka_unit_test(test_v10_after_data_fails),
		cmocka_unit_test(test_bad_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
