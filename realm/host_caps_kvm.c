/*
 * This host's realm capabilities as KVM reports them, for `realmvm caps`
 * and for a launch without --host-config.  Values come from a scratch
 * realm VM with one vCPU, so they are what the RMM lets a realm have, not
 * what a normal VM would get.
 */
#include <errno.h>
#include <string.h>

#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "vmm/util.h"

struct scratch {
	const struct kvm_ops *ops;
	int kvm_fd, vm_fd, vcpu_fd;
};

static void scratch_close(struct scratch *s)
{
	if (s->vcpu_fd >= 0)
		s->ops->close(s->ops->ctx, s->vcpu_fd);
	if (s->vm_fd >= 0)
		s->ops->close(s->ops->ctx, s->vm_fd);
	if (s->kvm_fd >= 0)
		s->ops->close(s->ops->ctx, s->kvm_fd);
}

static int get_reg(struct scratch *s, uint64_t id, void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return kvm_ioctl_ptr(s->ops, s->vcpu_fd, KVM_GET_ONE_REG, &reg);
}

static int read_vcpu_caps(struct scratch *s, const struct cca_host *h,
			  bool sve, bool pmu, struct host_caps *caps)
{
	struct rvm_vcpu_init init;
	uint64_t vls[RVM_SVE_VLS_WORDS], dfr0, pmcr;
	int vq;

	memset(&init, 0, sizeof(init));
	if (kvm_ioctl_ptr(s->ops, s->vm_fd, RVM_ARM_PREFERRED_TARGET,
			  &init) < 0)
		return pr_err("KVM_ARM_PREFERRED_TARGET failed: %s",
			      strerror(errno));
	init.features[0] = 1U << RVM_ARM_VCPU_PSCI_0_2;
	if (sve)
		init.features[0] |= 1U << RVM_ARM_VCPU_SVE;
	if (pmu)
		init.features[0] |= 1U << RVM_ARM_VCPU_PMU_V3;
	s->vcpu_fd = kvm_ioctl(s->ops, s->vm_fd, KVM_CREATE_VCPU, 0);
	if (s->vcpu_fd < 0 ||
	    cca_vcpu_init(s->ops, s->vcpu_fd, h->series, &init) < 0)
		return pr_err("cannot create a realm vCPU to read capabilities: %s",
			      strerror(errno));
	caps->sve_max_vl = 0;
	if (sve) {
		if (get_reg(s, RVM_REG_SVE_VLS, vls) < 0)
			return pr_err("cannot read the SVE vector lengths: %s",
				      strerror(errno));
		for (vq = RVM_SVE_VLS_WORDS * 64; vq > 0; vq--)
			if (vls[(vq - 1) / 64] & (1ULL << ((vq - 1) % 64)))
				break;
		caps->sve_max_vl = (unsigned int)vq * 128;
	}
	if (get_reg(s, RVM_REG_ID_AA64DFR0_EL1, &dfr0) < 0)
		return pr_err("cannot read ID_AA64DFR0_EL1: %s",
			      strerror(errno));
	caps->num_bps = ((dfr0 >> DFR0_BRPS_SHIFT) & 0xf) + 1;
	caps->num_wps = ((dfr0 >> DFR0_WRPS_SHIFT) & 0xf) + 1;
	caps->pmu_num_ctrs = 0;
	if (pmu) {
		if (get_reg(s, RVM_REG_PMCR_EL0, &pmcr) < 0)
			return pr_err("cannot read PMCR_EL0: %s",
				      strerror(errno));
		caps->pmu_num_ctrs = (pmcr >> PMCR_N_SHIFT) & PMCR_N_MASK;
	}
	return 0;
}

int realm_host_caps_ops(const struct kvm_ops *ops, struct host_caps *caps,
			struct cca_host *host)
{
	struct scratch s = { .ops = ops, .kvm_fd = -1, .vm_fd = -1,
			     .vcpu_fd = -1 };
	struct cca_host h;
	bool sve, pmu;
	int limit, ret = -1;

	s.kvm_fd = ops->open_dev(ops->ctx, "/dev/kvm");
	if (s.kvm_fd < 0)
		return pr_err("cannot open /dev/kvm: %s (no KVM on this host, so no realms)",
			      strerror(errno));
	/* arm64-only capability: keeps x86 caps that reuse 244.. out */
	limit = kvm_ioctl(ops, s.kvm_fd, KVM_CHECK_EXTENSION,
			  KVM_CAP_ARM_VM_IPA_SIZE);
	if (limit <= 0) {
		pr_err("this KVM is not an arm64 KVM with KVM_CAP_ARM_VM_IPA_SIZE, so it cannot run realms");
		goto out;
	}
	if (cca_probe(ops, s.kvm_fd, false, 0, &h))
		goto out;
	s.vm_fd = kvm_ioctl(ops, s.kvm_fd, KVM_CREATE_VM,
			    cca_vm_type(h.series, MIN(limit, 40)));
	if (s.vm_fd < 0) {
		pr_err("KVM answers %s but refused a realm VM (%s): a kernel without CCA may use that number, or no RMM is running",
		       h.name, strerror(errno));
		goto out;
	}
	sve = kvm_ioctl(ops, s.vm_fd, KVM_CHECK_EXTENSION,
			RVM_CAP_ARM_SVE) > 0;
	/* v14 dropped realm PMU support; a PMU there is not the realm's. */
	pmu = h.series != CCA_V14 &&
	      kvm_ioctl(ops, s.vm_fd, KVM_CHECK_EXTENSION,
			RVM_CAP_ARM_PMU_V3) > 0;
	if (read_vcpu_caps(&s, &h, sve, pmu, caps))
		goto out;
	caps->ipa_bits = (unsigned int)limit;
	/* Inference: an RMM with a 52-bit IPA limit runs with LPA2. */
	caps->lpa2 = limit >= 52;
	caps->profile = h.abi;
	caps->given = HOST_KEY_ALL;
	if (host)
		*host = h;
	ret = 0;
out:
	scratch_close(&s);
	return ret;
}

int realm_host_caps(struct host_caps *caps)
{
	return realm_host_caps_ops(&kvm_ops_real, caps, NULL);
}
