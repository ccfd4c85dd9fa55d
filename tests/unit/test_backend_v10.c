/*
 * The multiplexed-cap backend (host series v5..v11) checked call by call.
 * No CCA hardware is available here, so it is tested at the KVM ioctl
 * boundary: a recording fake KVM (kvm_recorder.c) captures every ioctl
 * and its argument, and each test asserts the exact sequence that
 * docs/host-abi-sequences.md documents for the series ("v5-v11" table),
 * walking the plan itself so that every plan op maps to its ioctl(s).
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

/* Facts from host-abi-sequences.md, written out rather than reused. */
#define DOC_VM_TYPE_REALM	0x100ULL	/* bits [11:8] = 1 */
#define DOC_CAP_RME_V10		244
#define DOC_REC_BIT_V8		9
#define DOC_REC_BIT_V5		8

static void v10_params(struct realm_params *p, unsigned int ipa_bits)
{
	memset(p, 0, sizeof(*p));
	p->flags = REALM_FLAG_SVE | REALM_FLAG_PMU;
	p->s2sz = (uint8_t)ipa_bits;
	p->sve_vl = 1;		/* VQ 2: 256-bit vectors */
	p->num_bps = 1;		/* 2 breakpoints */
	p->num_wps = 2;		/* 3 watchpoints */
	p->pmu_num_ctrs = 4;
	p->hash_algo = HASH_SHA512;
	memcpy(p->rpv, "test-personalisation", 20);
}

static void setup_host(struct kvm_recorder *r, unsigned int cap)
{
	r->caps[r->nr_caps++] = cap;
	r->dfr0 = 0x6 | (5ULL << 12) | (3ULL << 20) | (1ULL << 28);
	r->pmcr = 0x41000000ULL | (6ULL << 11);
	r->sve_vls[0] = 0xf;	/* VQ 1..4 */
}

static void start(struct realm_fixture *f, unsigned int nr_cpus,
		  unsigned int cap, struct realm_vm *rv)
{
	struct realm_params p;
	int kvm_fd;

	v10_params(&p, layout_ipa_bits(RAM_BASE, 64ULL << 20, true));
	realm_fixture_init(f, HOST_CCA_V10, nr_cpus, &p);
	setup_host(&f->rec, cap);
	memset(rv, 0, sizeof(*rv));
	rv->ops = &f->rec.ops;
	kvm_fd = rv->ops->open_dev(rv->ops->ctx, "/dev/kvm");
	rv->kvm_fd = kvm_fd;
	assert_int_equal(cca_probe(rv->ops, kvm_fd, false, 0, &rv->host), 0);
}

/* ENABLE_CAP(RME, action) with its sub-struct. */
static const struct rec_call *expect_rme(const struct kvm_recorder *r,
					 size_t *i, uint64_t action)
{
	const struct rec_call *c = kr_expect_call(r, i, r->vm_fd,
						  KVM_ENABLE_CAP);
	const struct kvm_enable_cap *cap = (const void *)c->data;

	assert_int_equal(cap->cap, DOC_CAP_RME_V10);
	assert_int_equal(cap->args[0], action);
	return c;
}

static void check_sequence(struct realm_fixture *f, struct realm_vm *rv)
{
	const struct kvm_recorder *r = &f->rec;
	const struct plan *plan = &f->b.plan;
	const struct rec_call *c;
	int vcpu_fd[MAX_VCPUS];
	size_t i = 0, k;
	unsigned int v;

	/* probe: newest first, stopping at the v10 number */
	for (k = 0; k < 4; k++) {
		static const unsigned long want[] = { 249, 248, 247, 244 };

		c = kr_expect_call(r, &i, r->kvm_fd, KVM_CHECK_EXTENSION);
		assert_int_equal(c->arg, want[k]);
	}
	/* CREATE_VM(REALM | IPA) */
	c = kr_expect_call(r, &i, r->kvm_fd, KVM_CREATE_VM);
	assert_int_equal(c->arg, DOC_VM_TYPE_REALM | f->b.lay.ipa_bits);
	assert_int_equal(f->b.lay.ipa_bits, 33);
	/* GICv3 with its two frames */
	c = kr_expect_call(r, &i, r->vm_fd, KVM_CREATE_DEVICE);
	assert_int_equal(((const struct kvm_create_device *)c->data)->type, 7);
	c = kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	assert_int_equal(((const struct kvm_device_attr *)c->data)->attr, 2);
	assert_memory_equal(c->sub, &(uint64_t){ GIC_DIST_BASE }, 8);
	c = kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	assert_int_equal(((const struct kvm_device_attr *)c->data)->attr, 3);
	assert_memory_equal(c->sub, &(uint64_t){ GIC_REDIST_BASE }, 8);
	kr_expect_its(r, &i);
	/* guest_memfd over all RAM, then the memslot backed by it */
	c = kr_expect_call(r, &i, r->vm_fd, RVM_CREATE_GUEST_MEMFD);
	assert_int_equal(((const struct rvm_create_guest_memfd *)c->data)->size,
			 64ULL << 20);
	{
		const struct rvm_memory_region2 *mr;

		c = kr_expect_call(r, &i, r->vm_fd,
				   RVM_SET_USER_MEMORY_REGION2);
		mr = (const void *)c->data;
		assert_int_equal(mr->slot, 0);
		assert_int_equal(mr->flags, 1U << 2);
		assert_int_equal(mr->guest_phys_addr, RAM_BASE);
		assert_int_equal(mr->memory_size, 64ULL << 20);
		assert_int_equal(mr->userspace_addr,
				 (uint64_t)(uintptr_t)f->b.gm.host);
		assert_int_equal(mr->guest_memfd, (uint32_t)rv->gmem_fd);
	}
	kr_expect_call(r, &i, r->vm_fd, RVM_ARM_PREFERRED_TARGET);
	/* vCPUs in ascending MPIDR order, each fully set up */
	for (v = 0; v < f->cfg.nr_cpus; v++) {
		const struct rvm_vcpu_init *init;
		uint32_t feat = (1U << 2) | (1U << DOC_REC_BIT_V8) |
				(1U << 4) | (1U << 3);

		c = kr_expect_call(r, &i, r->vm_fd, KVM_CREATE_VCPU);
		assert_int_equal(c->arg, v);
		vcpu_fd[v] = rv->vcpu_fd[v];
		c = kr_expect_call(r, &i, vcpu_fd[v], RVM_ARM_VCPU_INIT);
		init = (const void *)c->data;
		assert_int_equal(init->target, 5);
		/* secondaries start powered off: their REC is not runnable */
		assert_int_equal(init->features[0], feat | (v ? 1U : 0));
		c = kr_expect_call(r, &i, vcpu_fd[v], KVM_GET_ONE_REG);
		c = kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_ONE_REG);
		assert_int_equal(((const struct kvm_one_reg *)c->data)->id,
				 RVM_REG_SVE_VLS);
		assert_int_equal(c->sub_len, 64);
		assert_memory_equal(c->sub, &(uint64_t){ 0x3 }, 8); /* VQ 1,2 */
		c = kr_expect_call(r, &i, vcpu_fd[v], RVM_ARM_VCPU_FINALIZE);
		assert_memory_equal(c->data, &(int){ 4 }, sizeof(int));
		kr_expect_call(r, &i, vcpu_fd[v], KVM_GET_ONE_REG);
		kr_expect_set_reg(r, &i, vcpu_fd[v], RVM_REG_ID_AA64DFR0_EL1,
			       0x6 | (1ULL << 12) | (2ULL << 20) |
			       (1ULL << 28));
		kr_expect_call(r, &i, vcpu_fd[v], KVM_GET_ONE_REG);
		kr_expect_set_reg(r, &i, vcpu_fd[v], RVM_REG_PMCR_EL0,
			       0x41000000ULL | (4ULL << 11));
	}
	/* NR_IRQS */
	kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	/* CTRL_INIT */
	c = kr_expect_call(r, &i, r->gic_fd, KVM_SET_DEVICE_ATTR);
	assert_int_equal(((const struct kvm_device_attr *)c->data)->group, 4);
	if (r->its_fd >= 0) {
		c = kr_expect_call(r, &i, r->its_fd, KVM_SET_DEVICE_ATTR);
		assert_int_equal(((const struct kvm_device_attr *)c->data)
				 ->group, 4);
	}
	for (v = 0; v < f->cfg.nr_cpus; v++) {
		c = kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_DEVICE_ATTR);
		assert_memory_equal(c->sub, &(int){ 23 }, sizeof(int));
		c = kr_expect_call(r, &i, vcpu_fd[v], KVM_SET_DEVICE_ATTR);
		assert_int_equal(((const struct kvm_device_attr *)
				  c->data)->attr, 1);
	}

	/* Now the plan, op by op. */
	for (k = 0; k < plan->nr_ops; k++) {
		const struct plan_op *op = &plan->ops[k];
		const struct rvm_rme_config *cfg;
		const struct rvm_rme_populate *pop;
		const struct rvm_rme_init_ripas *ir;

		assert_false(op->by_kvm);
		switch (op->kind) {
		case PLAN_CREATE:
			c = expect_rme(r, &i, 0);
			cfg = (const void *)c->sub;
			assert_int_equal(cfg->cfg, 1);	/* HASH_ALGO */
			assert_int_equal(cfg->hash_algo, 1); /* SHA-512 */
			c = expect_rme(r, &i, 0);
			cfg = (const void *)c->sub;
			assert_int_equal(cfg->cfg, 0);		/* RPV */
			assert_memory_equal(cfg->rpv, plan->params.rpv, 64);
			expect_rme(r, &i, 1);	/* CREATE_RD */
			break;
		case PLAN_RIPAS_CALL:
			c = expect_rme(r, &i, 2);
			ir = (const void *)c->sub;
			assert_int_equal(ir->base, op->ripas.base);
			assert_int_equal(ir->size, op->ripas.top -
					 op->ripas.base);
			break;
		case PLAN_RIPAS:
			break;
		case PLAN_DATA:
			c = expect_rme(r, &i, 3);
			pop = (const void *)c->sub;
			assert_int_equal(pop->base, op->data.ipa);
			assert_int_equal(pop->size, op->data.size);
			assert_int_equal(pop->flags, op->data.measure ? 1 : 0);
			break;
		case PLAN_REC:
			v = op->rec.vcpu;
			kr_expect_rec_regs(r, &i, vcpu_fd[v], op);
			c = kr_expect_call(r, &i, vcpu_fd[v],
					RVM_ARM_VCPU_FINALIZE);
			assert_memory_equal(c->data, &(int){ DOC_REC_BIT_V8 },
					    sizeof(int));
			break;
		case PLAN_ACTIVATE:
			expect_rme(r, &i, 4);
			break;
		}
	}
	assert_int_equal(i, r->nr_calls);
}

static void test_v10_one_vcpu(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;

	(void)state;
	start(&f, 1, DOC_CAP_RME_V10, &rv);
	assert_int_equal(rv.host.series, CCA_V10);
	assert_int_equal(realm_vm_prepare(&rv, &f.b), 0);
	check_sequence(&f, &rv);
	realm_vm_destroy(&rv);
	realm_fixture_free(&f);
}

static void test_v10_two_vcpus(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	size_t k, data = 0, recs = 0;

	(void)state;
	start(&f, 2, DOC_CAP_RME_V10, &rv);
	assert_int_equal(realm_vm_prepare(&rv, &f.b), 0);
	check_sequence(&f, &rv);
	/* the plan really had images, a log and two RECs to drive */
	for (k = 0; k < f.b.plan.nr_ops; k++) {
		data += f.b.plan.ops[k].kind == PLAN_DATA;
		recs += f.b.plan.ops[k].kind == PLAN_REC;
	}
	assert_int_equal(data, 4);	/* kernel, initrd, DTB, log */
	assert_int_equal(recs, 2);
	realm_vm_destroy(&rv);
	realm_fixture_free(&f);
}

/*
 * Series v5 (cap 300, observed on TF-RMM): KVM_VCPU_MAX_FEATURES is 7, so
 * VCPU_INIT with REC bit 8 fails with ENOENT; REC 8 is only FINALIZE's
 * argument.  Every vCPU must end up initialised without it.
 */
static void test_v5_rec_bit(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	const struct rec_call *c;
	size_t i, finalizes = 0, inits = 0;

	(void)state;
	start(&f, 2, 300, &rv);
	f.rec.vcpu_max_features = 7;
	assert_int_equal(rv.host.series, CCA_V5_V7);
	assert_int_equal(rv.host.cap, 300);
	assert_int_equal(realm_vm_prepare(&rv, &f.b), 0);
	for (i = 0; (c = recorder_call(&f.rec, i)); i++) {
		if (c->req == RVM_ARM_VCPU_INIT && c->ret == 0) {
			assert_int_equal(((const struct rvm_vcpu_init *)
					  c->data)->features[0] &
					 (3U << 8), 0);
			inits++;
		}
		if (c->req == RVM_ARM_VCPU_FINALIZE &&
		    *(const int *)c->data != 4) {
			assert_int_equal(*(const int *)c->data,
					 DOC_REC_BIT_V5);
			finalizes++;
		}
		if (c->req == KVM_ENABLE_CAP)
			assert_int_equal(((const struct kvm_enable_cap *)
					  c->data)->cap, 300);
	}
	assert_int_equal(inits, 2);
	assert_int_equal(finalizes, 2);
	realm_vm_destroy(&rv);
	realm_fixture_free(&f);
}

/* v6/v7 share cap 300 but take REC bit 8 in VCPU_INIT too. */
static void test_v6_rec_bit_at_init(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	const struct rec_call *c;
	size_t i, inits = 0;

	(void)state;
	start(&f, 1, 300, &rv);
	assert_int_equal(realm_vm_prepare(&rv, &f.b), 0);
	for (i = 0; (c = recorder_call(&f.rec, i)); i++) {
		if (c->req != RVM_ARM_VCPU_INIT)
			continue;
		assert_int_equal(c->ret, 0);
		assert_int_equal(((const struct rvm_vcpu_init *)c->data)
				 ->features[0] & (3U << 8),
				 1U << DOC_REC_BIT_V5);
		inits++;
	}
	assert_int_equal(inits, 1);
	realm_vm_destroy(&rv);
	realm_fixture_free(&f);
}

/* A plan made for another host family must not reach KVM at all. */
static void test_v10_wrong_profile(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	struct realm_params p;
	size_t before;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.s2sz = 33;
	realm_fixture_init(&f, HOST_CCA_V14, 1, &p);
	setup_host(&f.rec, DOC_CAP_RME_V10);
	memset(&rv, 0, sizeof(rv));
	rv.ops = &f.rec.ops;
	rv.kvm_fd = rv.ops->open_dev(rv.ops->ctx, "/dev/kvm");
	assert_int_equal(cca_probe(rv.ops, rv.kvm_fd, false, 0, &rv.host), 0);
	before = f.rec.nr_calls;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	assert_int_equal(f.rec.nr_calls, before);
	realm_fixture_free(&f);
}

/* The RMM refusing the hash stops the launch before CREATE_RD. */
static void test_v10_hash_refused(void **state)
{
	struct realm_fixture f;
	struct realm_vm rv;
	const struct rec_call *last;

	(void)state;
	start(&f, 1, DOC_CAP_RME_V10, &rv);
	f.rec.fail_req = KVM_ENABLE_CAP;
	f.rec.fail_errno = 22;
	assert_int_equal(realm_vm_prepare(&rv, &f.b), -1);
	last = recorder_call(&f.rec, f.rec.nr_calls - 1);
	assert_int_equal(last->req, KVM_ENABLE_CAP);
	assert_int_equal(((const struct kvm_enable_cap *)last->data)->args[0],
			 0);
	realm_fixture_free(&f);
}

/* No CCA capability at all: the probe says so. */
static void test_probe_none(void **state)
{
	struct kvm_recorder r;
	struct cca_host h;

	(void)state;
	recorder_init(&r);
	r.caps[r.nr_caps++] = 165;	/* an unrelated capability */
	assert_int_equal(cca_probe(&r.ops, 3, false, 0, &h), -1);
	assert_int_equal(r.nr_calls, 7);	/* every known number asked */
	assert_int_equal(cca_probe(&r.ops, 3, true, HOST_CCA_V10, &h), -1);
	recorder_free(&r);
}

/* --host cca-v10 picks the v10 number even where a newer one answers. */
static void test_probe_forced(void **state)
{
	struct kvm_recorder r;
	struct cca_host h;

	(void)state;
	recorder_init(&r);
	r.caps[r.nr_caps++] = 249;
	r.caps[r.nr_caps++] = 244;
	assert_int_equal(cca_probe(&r.ops, 3, false, 0, &h), 0);
	assert_int_equal(h.series, CCA_V14);
	assert_int_equal(cca_probe(&r.ops, 3, true, HOST_CCA_V10, &h), 0);
	assert_int_equal(h.series, CCA_V10);
	assert_int_equal(h.cap, 244);
	recorder_free(&r);
}

/* `realmvm caps` reads a scratch realm vCPU's registers. */
static void test_host_caps(void **state)
{
	struct kvm_recorder r;
	struct host_caps caps;
	struct cca_host h;
	const struct rec_call *c;
	size_t i;
	bool inited = false;

	(void)state;
	recorder_init(&r);
	setup_host(&r, DOC_CAP_RME_V10);
	r.caps[r.nr_caps++] = 170;	/* KVM_CAP_ARM_SVE (upstream, and v5) */
	r.caps[r.nr_caps++] = 126;	/* KVM_CAP_ARM_PMU_V3 */
	r.ipa_limit = 52;
	assert_int_equal(realm_host_caps_ops(&r.ops, &caps, &h), 0);
	assert_int_equal(h.series, CCA_V10);
	assert_int_equal(caps.ipa_bits, 52);
	assert_int_equal(caps.sve_max_vl, 512);		/* VQ 4 */
	assert_int_equal(caps.num_bps, 6);		/* BRPs 5 + 1 */
	assert_int_equal(caps.num_wps, 4);		/* WRPs 3 + 1 */
	assert_int_equal(caps.pmu_num_ctrs, 6);		/* PMCR_EL0.N */
	assert_true(caps.lpa2);
	for (i = 0; (c = recorder_call(&r, i)); i++) {
		if (c->req == KVM_CREATE_VM)
			assert_int_equal(c->arg, DOC_VM_TYPE_REALM | 40);
		if (c->req == RVM_ARM_VCPU_INIT) {
			assert_int_equal(((const struct rvm_vcpu_init *)
					  c->data)->features[0],
					 (1U << 2) | (1U << 9) | (1U << 4) |
					 (1U << 3));
			inited = true;
		}
		/* reading capabilities never changes anything */
		assert_int_not_equal(c->req, KVM_SET_ONE_REG);
		assert_int_not_equal(c->req, KVM_ENABLE_CAP);
	}
	assert_true(inited);
	recorder_free(&r);

	/*
	 * Series v5 as observed on TF-RMM: cap 300, SVE at upstream's 170,
	 * and no feature past bit 6 in VCPU_INIT.  The scratch vCPU must
	 * still come up, and caps names the profile for the dry run.
	 */
	recorder_init(&r);
	setup_host(&r, 300);
	r.caps[r.nr_caps++] = 170;
	r.vcpu_max_features = 7;
	r.ipa_limit = 52;
	assert_int_equal(realm_host_caps_ops(&r.ops, &caps, &h), 0);
	assert_int_equal(h.series, CCA_V5_V7);
	assert_int_equal(caps.profile, HOST_CCA_V10);
	assert_int_equal(caps.given, HOST_KEY_ALL);
	assert_int_equal(caps.sve_max_vl, 512);
	recorder_free(&r);

	/* a KVM without the arm64 IPA capability (e.g. x86) is refused */
	recorder_init(&r);
	r.ipa_limit = 0;
	r.caps[r.nr_caps++] = 244;
	assert_int_equal(realm_host_caps_ops(&r.ops, &caps, &h), -1);
	assert_int_equal(r.nr_calls, 1);
	recorder_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v10_one_vcpu),
		cmocka_unit_test(test_v10_two_vcpus),
		cmocka_unit_test(test_v5_rec_bit),
		cmocka_unit_test(test_v6_rec_bit_at_init),
		cmocka_unit_test(test_v10_wrong_profile),
		cmocka_unit_test(test_v10_hash_refused),
		cmocka_unit_test(test_probe_none),
		cmocka_unit_test(test_probe_forced),
		cmocka_unit_test(test_host_caps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
