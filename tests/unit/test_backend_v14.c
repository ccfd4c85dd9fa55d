/*
 * The implicit-uAPI backend on host series v14 (and v13, which shares its
 * populate ABI) checked call by call.  No CCA hardware is available here,
 * so it is tested at the KVM ioctl boundary: a recording fake KVM
 * captures every ioctl and its argument and the tests assert the sequence
 * docs/host-abi-sequences.md documents: VM type 1<<30 (v13: 1<<8),
 * KVM_ARM_RMI_POPULATE _IOWR 0xd7 advancing base/size/source_uaddr, no
 * PMU, and registers from the plan's REC ops before the first KVM_RUN.
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

#define DOC_POPULATE_V13	0xc020aed7UL	/* _IOWR(0xae, 0xd7, 32) */

static void start(struct realm_fixture *f, unsigned int cap,
		  unsigned int nr_cpus, struct realm_vm *rv)
{
	struct realm_params p;

	memset(&p, 0, sizeof(p));
	p.flags = REALM_FLAG_SVE;
	p.s2sz = 33;
	p.sve_vl = 3;		/* 512-bit vectors */
	p.num_bps = 5;		/* what the host has: DFR0 left alone */
	p.num_wps = 3;
	realm_fixture_init(f, HOST_CCA_V14, nr_cpus, &p);
	f->rec.caps[f->rec.nr_caps++] = cap;
	f->rec.dfr0 = (5ULL << 12) | (3ULL << 20) | (1ULL << 28);
	f->rec.sve_vls[0] = 0xb;	/* VQ 1, 2 and 4 */
	f->rec.rmi_advance = true;
	f->rec.populate_chunk = 4096;
	memset(rv, 0, sizeof(*rv));
	rv->ops = &f->rec.ops;
	rv->kvm_fd = rv->ops->open_dev(rv->ops->ctx, "/dev/kvm");
	assert_int_equal(cca_probe(rv->ops, rv->kvm_fd, false, 0, &rv->host),
			 0);
}

static void run_case(unsigned int cap, unsigned int nr_cpus, bool no_its)
{
	struct realm_fixture f;
	struct realm_vm rv;
	struct rmi_expect e = {
		.vm_type_bits = cap == 249 ? 1ULL << 30 : 1ULL << 8,
		.populate_req = DOC_POPULATE_V13,
		.vcpu_features = (1U << 2) | (1U << 4),
		.nr_probes = cap == 249 ? 1 : 2,
		.pmu = false,
	};
	size_t k, want = 0, i;
	uint64_t vls;

	start(&f, cap, nr_cpus, &rv);
	f.rec.no_its = no_its;
	assert_int_equal(rv.host.abi, HOST_CCA_V14);
	assert_int_equal(RVM_RMI_POPULATE_V13, DOC_POPULATE_V13);
	assert_int_equal(realm_vm_prepare(&rv, &f.b), 0);
	for (k = 0; k < f.b.plan.nr_ops; k++)
		if (f.b.plan.ops[k].kind == PLAN_DATA)
			want += f.b.plan.ops[k].data.size / 4096;
	assert_int_equal(check_rmi_sequence(&f, rv.vcpu_fd, rv.gmem_fd, &e),
			 want);
	for (i = 0; i < f.rec.nr_calls; i++) {
		const struct rec_call *c = &f.rec.calls[i];

		assert_int_not_equal(c->req, KVM_ENABLE_CAP);
		/* DFR0 already says 6 bps / 4 wps: never rewritten */
		if (c->req == KVM_SET_ONE_REG)
			assert_int_not_equal(((const struct kvm_one_reg *)
					      c->data)->id,
					     RVM_REG_ID_AA64DFR0_EL1);
		/* VLS keeps the host's VQs up to the plan's VQ 4 */
		if (c->req == KVM_SET_ONE_REG &&
		    ((const struct kvm_one_reg *)c->data)->id ==
		    RVM_REG_SVE_VLS) {
			memcpy(&vls, c->sub, 8);
			assert_int_equal(vls, 0xb);
		}
	}
	realm_vm_destroy(&rv);
	realm_fixture_free(&f);
}

static void test_v14_one_vcpu(void **state)
{
	(void)state;
	run_case(249, 1, false);
}

/* KVM without an ITS: the realm runs with wired interrupts only. */
static void test_v14_without_its(void **state)
{
	(void)state;
	run_case(249, 1, true);
}

static void test_v14_two_vcpus(void **state)
{
	(void)state;
	run_case(249, 2, false);
}

static void test_v13_type_and_populate(void **state)
{
	(void)state;
	run_case(248, 2, false);
}

/* v13/v14 report progress in the struct: none means failure, not a spin. */
static void test_v14_no_progress(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	size_t i, pops = 0;

	(void)state;
	start(&f, 249, 1, &rv);
	f.rec.populate_chunk = 0;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	for (i = 0; i < f.rec.nr_calls; i++)
		pops += f.rec.calls[i].req == DOC_POPULATE_V13;
	assert_int_equal(pops, 1);
	realm_fixture_free(&f);
}

/* The plan's vector length must be one the host offers. */
static void test_v14_sve_vl_missing(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;

	(void)state;
	start(&f, 249, 1, &rv);
	f.rec.sve_vls[0] = 0x3;		/* VQ 1, 2 only */
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	assert_int_equal(f.rec.calls[f.rec.nr_calls - 1].req,
			 KVM_GET_ONE_REG);
	realm_fixture_free(&f);
}

/* A host without realm support refuses CREATE_VM: one error, no more. */
static void test_v14_create_vm_refused(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;

	(void)state;
	start(&f, 249, 1, &rv);
	f.rec.fail_req = KVM_CREATE_VM;
	f.rec.fail_errno = 22;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	assert_int_equal(f.rec.calls[f.rec.nr_calls - 1].req, KVM_CREATE_VM);
	realm_fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v14_one_vcpu),
		cmocka_unit_test(test_v14_two_vcpus),
		cmocka_unit_test(test_v14_without_its),
		cmocka_unit_test(test_v13_type_and_populate),
		cmocka_unit_test(test_v14_no_progress),
		cmocka_unit_test(test_v14_sve_vl_missing),
		cmocka_unit_test(test_v14_create_vm_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
