/*
 * Backend for the multiplexed host series (v5..v11): every RMM step is a
 * KVM_ENABLE_CAP(KVM_CAP_ARM_RME) sub-command issued by the VMM, so this
 * file walks the plan and turns each op into its ioctl, in plan order:
 * CREATE -> CONFIG(hash), CONFIG(RPV), CREATE_RD; RIPAS_CALL -> INIT_RIPAS;
 * DATA -> POPULATE; REC -> PC/x0..x7 then FINALIZE(REC); ACTIVATE.
 */
#include <errno.h>
#include <string.h>

#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "vmm/boot.h"
#include "vmm/util.h"

static int rme_cap(struct realm_vm *rv, uint64_t action, const void *arg)
{
	struct kvm_enable_cap cap;

	memset(&cap, 0, sizeof(cap));
	cap.cap = rv->host.cap;
	cap.args[0] = action;
	cap.args[1] = (uint64_t)(uintptr_t)arg;
	return kvm_ioctl_ptr(rv->ops, rv->vm_fd, KVM_ENABLE_CAP, &cap);
}

static int create_rd(struct realm_vm *rv)
{
	const struct realm_params *p = &rv->b->plan.params;
	const struct host_profile *prof = rv->b->profile;
	struct rvm_rme_config cfg;

	if (prof->can_set_hash) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.cfg = RVM_RME_CFG_HASH_ALGO;
		cfg.hash_algo = p->hash_algo;
		if (rme_cap(rv, RVM_RME_CONFIG_REALM, &cfg) < 0)
			return pr_err("the host refused measurement algorithm %s: %s",
				      p->hash_algo == HASH_SHA512 ? "sha512" :
				      "sha256", strerror(errno));
	}
	if (prof->can_set_rpv) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.cfg = RVM_RME_CFG_RPV;
		memcpy(cfg.rpv, p->rpv, sizeof(cfg.rpv));
		if (rme_cap(rv, RVM_RME_CONFIG_REALM, &cfg) < 0)
			return pr_err("the host refused the realm personalisation value: %s",
				      strerror(errno));
	}
	if (rme_cap(rv, RVM_RME_CREATE_RD, NULL) < 0)
		return pr_err("creating the realm descriptor failed: %s",
			      strerror(errno));
	return 0;
}

static int init_ripas(struct realm_vm *rv, const struct plan_op *op)
{
	struct rvm_rme_init_ripas args;

	if (op->ripas.top <= op->ripas.base ||
	    !IS_ALIGNED(op->ripas.base, GRANULE_SIZE) ||
	    !IS_ALIGNED(op->ripas.top, GRANULE_SIZE) ||
	    !gm_contains(&rv->b->gm, op->ripas.base,
			 op->ripas.top - op->ripas.base))
		return pr_err("the realm plan's RIPAS range %#llx-%#llx is not granule-aligned RAM",
			      (unsigned long long)op->ripas.base,
			      (unsigned long long)op->ripas.top);
	memset(&args, 0, sizeof(args));
	args.base = op->ripas.base;
	args.size = op->ripas.top - op->ripas.base;
	if (rme_cap(rv, RVM_RME_INIT_RIPAS, &args) < 0)
		return pr_err("INIT_RIPAS of %#llx-%#llx failed: %s",
			      (unsigned long long)op->ripas.base,
			      (unsigned long long)op->ripas.top,
			      strerror(errno));
	return 0;
}

/* KVM copies from the memslot's userspace_addr, where boot_prepare wrote. */
static int populate(struct realm_vm *rv, const struct plan_op *op)
{
	struct rvm_rme_populate args;

	if (!op->data.size || !IS_ALIGNED(op->data.ipa, GRANULE_SIZE) ||
	    !IS_ALIGNED(op->data.size, GRANULE_SIZE) ||
	    !gm_contains(&rv->b->gm, op->data.ipa, op->data.size))
		return pr_err("the realm plan's populate range %#llx+%#llx is not granule-aligned RAM",
			      (unsigned long long)op->data.ipa,
			      (unsigned long long)op->data.size);
	memset(&args, 0, sizeof(args));
	args.base = op->data.ipa;
	args.size = op->data.size;
	args.flags = op->data.measure ? RVM_RME_POPULATE_MEASURE : 0;
	if (rme_cap(rv, RVM_RME_POPULATE, &args) < 0)
		return pr_err("populating %s at %#llx (%llu bytes) failed: %s",
			      blob_kind_name(op->data.blob),
			      (unsigned long long)op->data.ipa,
			      (unsigned long long)op->data.size,
			      strerror(errno));
	return 0;
}

static int create_rec(struct realm_vm *rv, const struct plan_op *op)
{
	int feat = (int)cca_rec_feature(rv->host.series);

	if (rv_set_rec_regs(rv, op->rec.vcpu, op->rec.pc, op->rec.gprs))
		return -1;
	if (kvm_ioctl_ptr(rv->ops, rv->vcpu_fd[op->rec.vcpu],
			  RVM_ARM_VCPU_FINALIZE, &feat) < 0)
		return pr_err("creating the REC of vCPU %u failed: %s",
			      op->rec.vcpu, strerror(errno));
	return 0;
}

static int run_op(struct realm_vm *rv, const struct plan_op *op)
{
	if (op->by_kvm)
		return pr_err("the realm plan leaves a step to KVM, which %s does not do",
			      cca_series_name(rv->host.series));
	switch (op->kind) {
	case PLAN_CREATE:
		return create_rd(rv);
	case PLAN_RIPAS_CALL:
		return init_ripas(rv, op);
	case PLAN_RIPAS:	/* what the RMM measures for the call above */
		return 0;
	case PLAN_DATA:
		return populate(rv, op);
	case PLAN_REC:
		return create_rec(rv, op);
	case PLAN_ACTIVATE:
		if (rme_cap(rv, RVM_RME_ACTIVATE, NULL) < 0)
			return pr_err("activating the realm failed: %s",
				      strerror(errno));
		return 0;
	}
	return pr_err("unknown realm plan operation %d", (int)op->kind);
}

int realm_backend_v10(struct realm_vm *rv)
{
	const struct plan *plan = &rv->b->plan;
	size_t i;

	if (!plan->nr_ops || plan->ops[0].kind != PLAN_CREATE ||
	    plan->ops[plan->nr_ops - 1].kind != PLAN_ACTIVATE)
		return pr_err("the realm plan must start with CREATE and end with ACTIVATE");
	if (rv_check_plan_recs(rv) ||
	    rv_create_vm(rv, cca_vm_type(rv->host.series, rv->ipa_bits)) ||
	    rv_create_gic(rv) || rv_gmem_memslot(rv) ||
	    rv_create_vcpus(rv) ||
	    rv_init_gic(rv))
		return -1;
	for (i = 0; i < plan->nr_ops; i++)
		if (run_op(rv, &plan->ops[i]))
			return -1;
	return 0;
}
