/*
 * Plan order per host profile (rim-and-eventlog.md section 5 for the
 * v5..v11 flow, kvm-v12-v14-first-run.md sections 1-3 for v12+), the blob
 * rounding to granules, overlap rejection and the step builders' checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arm64/layout.h"
#include "realm/plan.h"

#define RAM	0x80000000ULL
#define RAM_SZ	(256ULL << 20)

static void setup(struct realm_config *cfg, struct layout *lay,
		  struct realm_params *p, unsigned int cpus)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_cpus = cpus;
	memset(lay, 0, sizeof(*lay));
	lay->ram_base = RAM;
	lay->ram_size = RAM_SZ;
	lay->ipa_bits = 33;
	lay->kernel.ipa = RAM;
	lay->kernel.size = 0x123456;
	lay->kernel_image_size = 0x200000;
	lay->entry = RAM;
	lay->initrd.ipa = 0x88000000;
	lay->initrd.size = 0x10001;
	lay->dtb.ipa = 0x8fe00000;
	lay->dtb.size = 0x1234;
	lay->dtb_slot = 0x10000;
	lay->log.ipa = 0x8fff0000;
	lay->log.size = 0x10000;
	memset(p, 0, sizeof(*p));
	p->s2sz = 33;
	p->num_bps = 5;
	p->num_wps = 3;
}

static void check_data(const struct plan_op *op, uint64_t ipa, uint64_t size,
		       bool measure, enum blob_kind blob, uint64_t blob_ipa,
		       uint64_t blob_size)
{
	assert_int_equal(op->kind, PLAN_DATA);
	assert_false(op->by_kvm);
	assert_int_equal(op->data.ipa, ipa);
	assert_int_equal(op->data.size, size);
	assert_int_equal(op->data.measure, measure);
	assert_int_equal(op->data.blob, blob);
	assert_int_equal(op->data.blob_ipa, blob_ipa);
	assert_int_equal(op->data.blob_size, blob_size);
}

static void check_images(const struct plan_op *op)
{
	check_data(&op[0], RAM, 0x124000, true, BLOB_KERNEL, RAM, 0x123456);
	check_data(&op[1], 0x88000000, 0x11000, true, BLOB_INITRD, 0x88000000,
		   0x10001);
	check_data(&op[2], 0x8fe00000, 0x2000, true, BLOB_DTB, 0x8fe00000,
		   0x1234);
}

static void check_recs(const struct plan_op *op, unsigned int n, bool kvm)
{
	unsigned int i, g;

	for (i = 0; i < n; i++) {
		assert_int_equal(op[i].kind, PLAN_REC);
		assert_int_equal(op[i].by_kvm, kvm);
		assert_int_equal(op[i].rec.vcpu, i);
		assert_int_equal(op[i].rec.mpidr, i);	/* Aff0 for i < 16 */
		assert_int_equal(op[i].rec.flags, i ? 0 : REC_FLAG_RUNNABLE);
		assert_int_equal(op[i].rec.pc, i ? 0 : RAM);
		assert_int_equal(op[i].rec.gprs[0], i ? 0 : 0x8fe00000);
		for (g = 1; g < 8; g++)
			assert_int_equal(op[i].rec.gprs[g], 0);
	}
}

static void test_order_v10(void **state)
{
	struct realm_config cfg;
	struct layout lay;
	struct realm_params p;
	struct plan plan;
	size_t i, k;

	(void)state;
	setup(&cfg, &lay, &p, 3);
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(HOST_CCA_V10),
				    &p, &plan), 0);
	assert_ptr_equal(plan.profile, host_profile_get(HOST_CCA_V10));
	assert_int_equal(plan.params.s2sz, 33);
	/* CREATE, CALL, 128 RIPAS, 3 DATA, 3 REC, LOG, ACTIVATE */
	assert_int_equal(plan.nr_ops, 1 + 1 + 128 + 3 + 3 + 1 + 1);
	assert_int_equal(plan.ops[0].kind, PLAN_CREATE);
	assert_false(plan.ops[0].by_kvm);
	assert_int_equal(plan.ops[1].kind, PLAN_RIPAS_CALL);
	assert_int_equal(plan.ops[1].ripas.base, RAM);
	assert_int_equal(plan.ops[1].ripas.top, RAM + RAM_SZ);
	for (i = 2, k = 0; k < 128; i++, k++) {
		assert_int_equal(plan.ops[i].kind, PLAN_RIPAS);
		assert_false(plan.ops[i].by_kvm);
		assert_int_equal(plan.ops[i].ripas.base, RAM + k * 0x200000);
		assert_int_equal(plan.ops[i].ripas.top,
				 RAM + (k + 1) * 0x200000);
	}
	check_images(&plan.ops[130]);
	check_recs(&plan.ops[133], 3, false);
	check_data(&plan.ops[136], 0x8fff0000, 0x10000, false, BLOB_LOG,
		   0x8fff0000, 0x10000);
	assert_int_equal(plan.ops[137].kind, PLAN_ACTIVATE);
	assert_false(plan.ops[137].by_kvm);
	plan_free(&plan);
	assert_null(plan.ops);
	assert_int_equal(plan.nr_ops, 0);
}

/*
 * For start level 2 the v12 RIPAS entries are, in address order: one
 * 4K entry per unpopulated page of a 2 MiB block holding populated pages,
 * one 2 MiB entry per other block.  Checked here from that rule alone.
 */
static void check_v12_ripas(const struct plan *plan, size_t i,
			    const struct layout *lay)
{
	uint64_t a = lay->ram_base, end = lay->ram_base + lay->ram_size;
	size_t d;

	while (a < end) {
		uint64_t blk = a & ~0x1fffffULL;
		bool touched = false, populated = false;

		for (d = 0; d < plan->nr_ops; d++) {
			const struct plan_op *o = &plan->ops[d];

			if (o->kind != PLAN_DATA)
				continue;
			if (o->data.ipa < blk + 0x200000 &&
			    blk < o->data.ipa + o->data.size)
				touched = true;
			if (a >= o->data.ipa && a < o->data.ipa + o->data.size)
				populated = true;
		}
		if (populated) {
			a += 0x1000;
			continue;
		}
		assert_true(i < plan->nr_ops);
		assert_int_equal(plan->ops[i].kind, PLAN_RIPAS);
		assert_true(plan->ops[i].by_kvm);
		assert_int_equal(plan->ops[i].ripas.base, a);
		assert_int_equal(plan->ops[i].ripas.top,
				 a + (touched ? 0x1000 : 0x200000));
		a = plan->ops[i].ripas.top;
		i++;
	}
	assert_int_equal(plan->ops[i].kind, PLAN_ACTIVATE);
}

static void check_kvm_order(enum host_abi abi)
{
	struct realm_config cfg;
	struct layout lay;
	struct realm_params p;
	struct plan plan;

	setup(&cfg, &lay, &p, 2);
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(abi), &p,
				    &plan), 0);
	assert_int_equal(plan.ops[0].kind, PLAN_CREATE);
	assert_true(plan.ops[0].by_kvm);
	check_images(&plan.ops[1]);
	check_data(&plan.ops[4], 0x8fff0000, 0x10000, false, BLOB_LOG,
		   0x8fff0000, 0x10000);
	check_recs(&plan.ops[5], 2, true);
	assert_int_equal(plan.ops[7].kind, PLAN_RIPAS_CALL);
	assert_true(plan.ops[7].by_kvm);
	assert_int_equal(plan.ops[7].ripas.base, RAM);
	assert_int_equal(plan.ops[7].ripas.top, RAM + RAM_SZ);
	if (abi == HOST_CCA_V12) {
		check_v12_ripas(&plan, 8, &lay);
	} else {
		assert_int_equal(plan.nr_ops, 9);
		assert_int_equal(plan.ops[8].kind, PLAN_ACTIVATE);
	}
	assert_true(plan.ops[plan.nr_ops - 1].by_kvm);
	assert_int_equal(plan.ops[plan.nr_ops - 1].kind, PLAN_ACTIVATE);
	plan_free(&plan);
}

static void test_order_v12(void **state)
{
	(void)state;
	check_kvm_order(HOST_CCA_V12);
}

static void test_order_v14(void **state)
{
	(void)state;
	check_kvm_order(HOST_CCA_V14);
}

static void test_no_initrd_no_log(void **state)
{
	struct realm_config cfg;
	struct layout lay;
	struct realm_params p;
	struct plan plan;
	size_t i, data = 0;

	(void)state;
	setup(&cfg, &lay, &p, 1);
	lay.initrd.size = 0;
	lay.log.size = 0;
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(HOST_CCA_V14),
				    &p, &plan), 0);
	for (i = 0; i < plan.nr_ops; i++)
		data += plan.ops[i].kind == PLAN_DATA;
	assert_int_equal(data, 2);
	assert_int_equal(plan.nr_ops, 1 + 2 + 1 + 1 + 1);
	plan_free(&plan);
}

/*
 * --firmware: the firmware is populated measured in place of the kernel,
 * tagged FIRMWARE for the log, and the boot REC enters it with x0 = DTB.
 */
static void test_firmware(void **state)
{
	struct realm_config cfg;
	struct layout lay;
	struct realm_params p;
	struct plan plan;

	(void)state;
	setup(&cfg, &lay, &p, 2);
	lay.kernel.size = 0;
	lay.kernel_image_size = 0;
	lay.initrd.size = 0;
	lay.firmware.ipa = RAM;
	lay.firmware.size = 0x2001;
	lay.dtb.ipa = RAM + 0x200000;
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(HOST_CCA_V14),
				    &p, &plan), 0);
	assert_int_equal(plan.ops[0].kind, PLAN_CREATE);
	check_data(&plan.ops[1], RAM, 0x3000, true, BLOB_FIRMWARE, RAM,
		   0x2001);
	check_data(&plan.ops[2], RAM + 0x200000, 0x2000, true, BLOB_DTB,
		   RAM + 0x200000, 0x1234);
	check_data(&plan.ops[3], 0x8fff0000, 0x10000, false, BLOB_LOG,
		   0x8fff0000, 0x10000);
	assert_int_equal(plan.ops[4].kind, PLAN_REC);
	assert_int_equal(plan.ops[4].rec.pc, RAM);
	assert_int_equal(plan.ops[4].rec.gprs[0], RAM + 0x200000);
	assert_string_equal(blob_kind_name(plan.ops[1].data.blob), "FIRMWARE");
	plan_free(&plan);

	/* No DTB: refused, as for a kernel. */
	lay.dtb.size = 0;
	assert_int_not_equal(plan_build(&cfg, &lay,
					host_profile_get(HOST_CCA_V14), &p,
					&plan), 0);
}

/* Unaligned blobs are rounded out; sharing a granule is an error. */
static void test_overlap_rejected(void **state)
{
	struct realm_config cfg;
	struct layout lay;
	struct realm_params p;
	struct plan plan;

	(void)state;
	setup(&cfg, &lay, &p, 1);
	lay.initrd.ipa = RAM + 0x123800;	/* in the kernel's last granule */
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(HOST_CCA_V12),
				    &p, &plan), -1);
	assert_int_equal(plan.nr_ops, 0);
	assert_null(plan.ops);

	lay.initrd.ipa = RAM + 0x124004;	/* next granule: fine */
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(HOST_CCA_V12),
				    &p, &plan), 0);
	check_data(&plan.ops[2], RAM + 0x124000, 0x11000, true, BLOB_INITRD,
		   RAM + 0x124004, 0x10001);
	plan_free(&plan);
}

static void test_bad_cpus(void **state)
{
	struct realm_config cfg;
	struct layout lay;
	struct realm_params p;
	struct plan plan;

	(void)state;
	setup(&cfg, &lay, &p, 0);
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(HOST_CCA_V14),
				    &p, &plan), -1);
	cfg.nr_cpus = MAX_VCPUS + 1;
	assert_int_equal(plan_build(&cfg, &lay, host_profile_get(HOST_CCA_V14),
				    &p, &plan), -1);
}

static void test_add_data_checks(void **state)
{
	struct realm_params p;
	struct plan plan;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.s2sz = 33;
	memset(&plan, 0, sizeof(plan));
	/* nothing before plan_begin */
	assert_int_equal(plan_add_data(&plan, RAM, 0x1000, true, BLOB_KERNEL,
				       RAM, 0x1000), -1);
	assert_int_equal(plan_add_activate(&plan, false), -1);
	plan_begin(&plan, host_profile_get(HOST_CCA_V14), &p, true);
	assert_int_equal(plan.nr_ops, 1);
	assert_int_equal(plan_add_data(&plan, RAM + 0x800, 0x1000, true,
				       BLOB_KERNEL, RAM + 0x800, 0x10), -1);
	assert_int_equal(plan_add_data(&plan, RAM, 0x1800, true, BLOB_KERNEL,
				       RAM, 0x10), -1);
	assert_int_equal(plan_add_data(&plan, RAM, 0, true, BLOB_KERNEL, RAM,
				       0), -1);
	assert_int_equal(plan_add_data(&plan, 0xfffffffffffff000ULL, 0x2000,
				       true, BLOB_KERNEL, 0xfffffffffffff000ULL,
				       0x10), -1);
	/* blob must lie within its range */
	assert_int_equal(plan_add_data(&plan, RAM, 0x1000, true, BLOB_KERNEL,
				       RAM + 0xff0, 0x20), -1);
	assert_int_equal(plan_add_data(&plan, RAM, 0x2000, true, BLOB_KERNEL,
				       RAM + 0x10, 0x1ff0), 0);
	assert_int_equal(plan_add_data(&plan, RAM + 0x1000, 0x1000, false,
				       BLOB_LOG, RAM + 0x1000, 0x1000), -1);
	assert_int_equal(plan.nr_ops, 2);
	plan_free(&plan);
}

static void test_names_and_mpidr(void **state)
{
	(void)state;
	assert_string_equal(blob_kind_name(BLOB_KERNEL), "KERNEL");
	assert_string_equal(blob_kind_name(BLOB_INITRD), "INITRD");
	assert_string_equal(blob_kind_name(BLOB_DTB), "DTB");
	assert_string_equal(blob_kind_name(BLOB_LOG), "LOG");
	assert_string_equal(blob_kind_name(BLOB_FIRMWARE), "FIRMWARE");
	assert_int_equal(vcpu_mpidr(0), 0);
	assert_int_equal(vcpu_mpidr(15), 0xf);
	assert_int_equal(vcpu_mpidr(16), 0x100);
	assert_int_equal(vcpu_mpidr(63), 0x30f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_v10),
		cmocka_unit_test(test_order_v12),
		cmocka_unit_test(test_order_v14),
		cmocka_unit_test(test_no_initrd_no_log),
		cmocka_unit_test(test_firmware),
		cmocka_unit_test(test_overlap_rejected),
		cmocka_unit_test(test_bad_cpus),
		cmocka_unit_test(test_add_data_checks),
		cmocka_unit_test(test_names_and_mpidr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
