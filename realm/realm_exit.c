/*
 * Realm exit handling (see realm_exit.h).  Every KVM call goes through
 * rv->ops so the unit tests can drive hostile exits through a recorder.
 */
#include <errno.h>
#include <string.h>

#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/realm_exit.h"
#include "vmm/boot.h"
#include "vmm/mmio.h"
#include "vmm/util.h"

/*
 * The guest converts memory with RSI and KVM reports the disagreement with
 * the memory attributes; we only set the attribute it asked for, and only
 * inside RAM, so a hostile guest cannot make us touch anything else.
 */
static enum realm_exit memory_fault(struct realm_vm *rv, unsigned int vcpu,
				    struct kvm_run *run)
{
	struct rvm_memory_fault mf;
	struct rvm_memory_attributes attr;
	bool private;

	/* The payload sits at the start of the exit union, like mmio. */
	memcpy(&mf, &run->mmio, sizeof(mf));
	/* Attributes are per protected GPA; the alias is the same page. */
	if (rv->ipa_bits >= 2 && rv->ipa_bits <= 64)
		mf.gpa &= ~(1ULL << (rv->ipa_bits - 1));
	private = mf.flags & RVM_MEMORY_EXIT_FLAG_PRIVATE;
	if (!mf.size || !IS_ALIGNED(mf.gpa, GRANULE_SIZE) ||
	    !IS_ALIGNED(mf.size, GRANULE_SIZE) ||
	    !gm_contains(&rv->b->gm, mf.gpa, mf.size)) {
		pr_err("vCPU %u: realm asked to make %#llx+%#llx %s, which is not granule-aligned RAM",
		       vcpu, (unsigned long long)mf.gpa,
		       (unsigned long long)mf.size,
		       private ? "private" : "shared");
		return REALM_EXIT_ERROR;
	}
	memset(&attr, 0, sizeof(attr));
	attr.address = mf.gpa;
	attr.size = mf.size;
	attr.attributes = private ? RVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	if (kvm_ioctl_ptr(rv->ops, rv->vm_fd, RVM_SET_MEMORY_ATTRIBUTES,
			  &attr) < 0) {
		pr_err("vCPU %u: cannot make %#llx+%#llx %s: %s", vcpu,
		       (unsigned long long)mf.gpa, (unsigned long long)mf.size,
		       private ? "private" : "shared", strerror(errno));
		return REALM_EXIT_ERROR;
	}
	return REALM_EXIT_CONTINUE;
}

/* What kvmtool does for a realm access nobody handles: a synchronous EA. */
static enum realm_exit inject_sea(struct realm_vm *rv, unsigned int vcpu)
{
	struct rvm_vcpu_events ev;

	memset(&ev, 0, sizeof(ev));
	ev.exception.ext_dabt_pending = 1;
	if (kvm_ioctl_ptr(rv->ops, rv->vcpu_fd[vcpu], RVM_SET_VCPU_EVENTS,
			  &ev) < 0) {
		pr_err("vCPU %u: cannot inject an external abort: %s", vcpu,
		       strerror(errno));
		return REALM_EXIT_ERROR;
	}
	return REALM_EXIT_CONTINUE;
}

/* Shared (unprotected) IPAs alias protected ones with the top IPA bit. */
static enum realm_exit mmio(struct realm_vm *rv, unsigned int vcpu,
			    struct kvm_run *run)
{
	uint64_t addr = run->mmio.phys_addr;
	uint64_t alias = 1ULL << (rv->ipa_bits - 1);

	if (rv->ipa_bits >= 2 && rv->ipa_bits <= 64)
		addr &= ~alias;
	if (mmio_dispatch(addr, run->mmio.data, run->mmio.len,
			  run->mmio.is_write) == MMIO_HANDLED)
		return REALM_EXIT_CONTINUE;
	return inject_sea(rv, vcpu);
}

static int vcpu_by_mpidr(const struct realm_vm *rv, uint64_t mpidr)
{
	unsigned int i;

	for (i = 0; i < rv->nr_vcpus; i++)
		if (rv->mpidr[i] == (mpidr & 0xff00ffffffULL))
			return (int)i;
	return -1;
}

/*
 * v5..v13 only: when PSCI CPU_ON / AFFINITY_INFO reaches userspace, the
 * RMM waits for the host to say whether the target REC may be used.
 */
static enum realm_exit psci(struct realm_vm *rv, unsigned int vcpu,
			    struct kvm_run *run)
{
	unsigned long req = cca_psci_complete_req(rv->host.series);
	uint32_t fn = (uint32_t)run->hypercall.nr;
	struct rvm_psci_complete pc;
	struct kvm_one_reg reg;
	uint64_t target = 0;
	int t;

	if (!req || (fn != RVM_PSCI_FN64_CPU_ON &&
		     fn != RVM_PSCI_FN64_AFFINITY_INFO)) {
		pr_err("vCPU %u: unexpected hypercall %#x from the realm", vcpu,
		       fn);
		return REALM_EXIT_ERROR;
	}
	reg.id = RVM_REG_X(1);
	reg.addr = (uint64_t)(uintptr_t)&target;
	if (kvm_ioctl_ptr(rv->ops, rv->vcpu_fd[vcpu], KVM_GET_ONE_REG,
			  &reg) < 0) {
		pr_err("vCPU %u: cannot read the PSCI target: %s", vcpu,
		       strerror(errno));
		return REALM_EXIT_ERROR;
	}
	t = vcpu_by_mpidr(rv, target);
	memset(&pc, 0, sizeof(pc));
	pc.target_mpidr = target;
	pc.psci_status = (uint32_t)(t < 0 ? RVM_PSCI_RET_INVALID_PARAMS :
				    RVM_PSCI_RET_SUCCESS);
	if (kvm_ioctl_ptr(rv->ops, rv->vcpu_fd[vcpu], req, &pc) < 0) {
		pr_err("vCPU %u: PSCI completion failed: %s", vcpu,
		       strerror(errno));
		return REALM_EXIT_ERROR;
	}
	return REALM_EXIT_CONTINUE;
}

enum realm_exit realm_after_run(struct realm_vm *rv, unsigned int vcpu,
				int ret, int err, struct kvm_run *run)
{
	if (ret >= 0)
		return realm_handle_exit(rv, vcpu, run);
	if (err == EINTR || err == EAGAIN)
		return REALM_EXIT_CONTINUE;
	if ((err == EFAULT || err == EHWPOISON) &&
	    run->exit_reason == RVM_EXIT_MEMORY_FAULT)
		return memory_fault(rv, vcpu, run);
	pr_err("realm vCPU %u: KVM_RUN failed: %s", vcpu, strerror(err));
	return REALM_EXIT_ERROR;
}

enum realm_exit realm_handle_exit(struct realm_vm *rv, unsigned int vcpu,
				  struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_MMIO:
		return mmio(rv, vcpu, run);
	case RVM_EXIT_MEMORY_FAULT:	/* normally with ret -1 */
		return memory_fault(rv, vcpu, run);
	case KVM_EXIT_HYPERCALL:
		return psci(rv, vcpu, run);
	case KVM_EXIT_INTR:
		return REALM_EXIT_CONTINUE;
	case KVM_EXIT_SYSTEM_EVENT:
		if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
			return REALM_EXIT_POWEROFF;
		if (run->system_event.type == KVM_SYSTEM_EVENT_RESET)
			return REALM_EXIT_RESET;
		pr_err("vCPU %u: realm system event %u", vcpu,
		       run->system_event.type);
		return REALM_EXIT_ERROR;
	case KVM_EXIT_FAIL_ENTRY:
		pr_err("vCPU %u: KVM could not enter the realm (reason %#llx)",
		       vcpu, (unsigned long long)
		       run->fail_entry.hardware_entry_failure_reason);
		return REALM_EXIT_ERROR;
	case KVM_EXIT_INTERNAL_ERROR:
		pr_err("vCPU %u: KVM internal error %u", vcpu,
		       run->internal.suberror);
		return REALM_EXIT_ERROR;
	default:
		pr_err("vCPU %u: unexpected KVM exit reason %u from the realm",
		       vcpu, run->exit_reason);
		return REALM_EXIT_ERROR;
	}
}
