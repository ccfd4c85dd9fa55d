/*
 * The implicit-uAPI backend on host series v12 checked call by call.
 * No CCA hardware is available here, so it is tested at the KVM ioctl
 * boundary: a recording fake KVM captures every ioctl and its argument
 * and the tests assert the sequence docs/host-abi-sequences.md documents
 * for v12 (VM type 1<<8, KVM_ARM_RMI_POPULATE _IOW 0xd7 returning the
 * bytes done, no CONFIG/INIT_RIPAS/REC finalize/ACTIVATE from the VMM).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arm64/layout.h"
#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "kvm_recorder.h"

#define DOC_CAP_RMI_V12		247
/* _IOW(0xae, 0xd7, 32 bytes) */
#define DOC_POPULATE_V12	0x4020aed7UL

static void start(struct realm_fixture *f, enum host_abi plan_abi,
		  unsigned int nr_cpus, struct realm_vm *rv)
{
	struct realm_params p;

	memset(&p, 0, sizeof(p));
	p.flags = REALM_FLAG_SVE | REALM_FLAG_PMU;
	p.s2sz = 33;
	p.sve_vl = 0;		/* 128-bit vectors */
	p.num_bps = 3;
	p.num_wps = 3;
	p.pmu_num_ctrs = 2;
	realm_fixture_init(f, plan_abi, nr_cpus, &p);
	f->rec.caps[f->rec.nr_caps++] = DOC_CAP_RMI_V12;
	f->rec.dfr0 = (5ULL << 12) | (3ULL << 20);
	f->rec.sve_vls[0] = 0x3;
	f->rec.populate_chunk = 8192;
	memset(rv, 0, sizeof(*rv));
	rv->ops = &f->rec.ops;
	rv->kvm_fd = rv->ops->open_dev(rv->ops->ctx, "/dev/kvm");
	assert_int_equal(cca_probe(rv->ops, rv->kvm_fd, false, 0, &rv->host),
			 0);
}

static void run_case(unsigned int nr_cpus)
{
	struct realm_fixture f;
	struct realm_vm rv;
	struct rmi_expect e = {
		.vm_type_bits = 1ULL << 8,
		.populate_req = DOC_POPULATE_V12,
		.vcpu_features = (1U << 2) | (1U << 4) | (1U << 3),
		.nr_probes = 3,
		.pmu = true,
		.dfr0_set = true,
	};
	size_t k, want = 0, i;

	start(&f, HOST_CCA_V12, nr_cpus, &rv);
	assert_int_equal(rv.host.series, CCA_V12);
	assert_int_equal(RVM_RMI_POPULATE_V12, DOC_POPULATE_V12);
	assert_int_equal(realm_vm_prepare(&rv, &f.b), 0);
	for (k = 0; k < f.b.plan.nr_ops; k++)
		if (f.b.plan.ops[k].kind == PLAN_DATA)
			want += (f.b.plan.ops[k].data.size + 8191) / 8192;
	assert_int_equal(check_rmi_sequence(&f, rv.vcpu_fd, rv.gmem_fd, &e),
			 want);
	/* nothing of the multiplexed era is left */
	for (i = 0; i < f.rec.nr_calls; i++)
		assert_int_not_equal(f.rec.calls[i].req, KVM_ENABLE_CAP);
	realm_vm_destroy(&rv);
	realm_fixture_free(&f);
}

static void test_v12_one_vcpu(void **state)
{
	(void)state;
	run_case(1);
}

static void test_v12_two_vcpus(void **state)
{
	(void)state;
	run_case(2);
}

/* A KVM that reports no progress ends the launch instead of spinning. */
static void test_v12_no_progress(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	size_t i, pops = 0;

	(void)state;
	start(&f, HOST_CCA_V12, 1, &rv);
	f.rec.populate_chunk = 0;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	for (i = 0; i < f.rec.nr_calls; i++)
		pops += f.rec.calls[i].req == DOC_POPULATE_V12;
	assert_int_equal(pops, 1);
	realm_fixture_free(&f);
}

/* A v10 plan (VMM-driven RIPAS, REC finalize) cannot run on v12. */
static void test_v12_rejects_v10_plan(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	size_t before;

	(void)state;
	start(&f, HOST_CCA_V10, 1, &rv);
	before = f.rec.nr_calls;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	assert_int_equal(f.rec.nr_calls, before);
	realm_fixture_free(&f);
}

/* KVM makes vCPU 0 alone RUNNABLE; a plan saying otherwise is refused. */
static void test_v12_rec_flags_checked(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	size_t k, before;

	(void)state;
	start(&f, HOST_CCA_V12, 2, &rv);
	for (k = 0; k < f.b.plan.nr_ops; k++)
		if (f.b.plan.ops[k].kind == PLAN_REC &&
		    f.b.plan.ops[k].rec.vcpu == 1)
			f.b.plan.ops[k].rec.flags = REC_FLAG_RUNNABLE;
	before = f.rec.nr_calls;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	assert_int_equal(f.rec.nr_calls, before);
	realm_fixture_free(&f);
}

/* The measured s2sz must be the IPA size the VM is created with. */
static void test_v12_s2sz_checked(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	size_t before;

	(void)state;
	start(&f, HOST_CCA_V12, 1, &rv);
	f.b.plan.params.s2sz = 40;
	before = f.rec.nr_calls;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	assert_int_equal(f.rec.nr_calls, before);
	realm_fixture_free(&f);
}

/* KVM refusing to make memory private stops before any populate. */
static void test_v12_attributes_refused(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;

	(void)state;
	start(&f, HOST_CCA_V12, 1, &rv);
	f.rec.fail_req = RVM_SET_MEMORY_ATTRIBUTES;
	f.rec.fail_errno = 22;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	assert_int_equal(f.rec.calls[f.rec.nr_calls - 1].req,
			 RVM_SET_MEMORY_ATTRIBUTES);
	realm_fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v12_one_vcpu),
		cmocka_unit_test(test_v12_two_vcpus),
		cmocka_unit_test(test_v12_no_progress),
		cmocka_unit_test(test_v12_rejects_v10_plan),
		cmocka_unit_test(test_v12_rec_flags_checked),
		cmocka_unit_test(test_v12_s2sz_checked),
		cmocka_unit_test(test_v12_attributes_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
