/*
 * What every realm backend shares: the series table (capability numbers,
 * VM type, REC feature bit), the probe that finds the series, and the
 * steps before the first RMI call that differ only in details (VM, GIC,
 * guest_memfd memslot, vCPUs with SVE/debug/PMU registers).  Every KVM
 * call goes through rv->ops; see docs/host-abi-sequences.md.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "arm64/layout.h"
#include "realm/backend.h"
#include "realm/kvm_cca_uapi.h"
#include "realm/plan.h"
#include "vmm/boot.h"
#include "vmm/util.h"

/* SPIs 0..95: the UART and every virtio-mmio slot fit (multiple of 32). */
#define GIC_NR_IRQS	128

/* Newest first: a kernel that has a later series never has an older one. */
static const struct {
	unsigned int cap;
	enum cca_series series;
	const char *what;
} probe_table[] = {
	{ RVM_CAP_ARM_RMI_V14, CCA_V14, "KVM_CAP_ARM_RMI 249" },
	{ RVM_CAP_ARM_RMI_V13, CCA_V13, "KVM_CAP_ARM_RMI 248" },
	{ RVM_CAP_ARM_RMI_V12, CCA_V12, "KVM_CAP_ARM_RMI 247" },
	{ RVM_CAP_ARM_RME_V10, CCA_V10, "KVM_CAP_ARM_RME 244" },
	{ RVM_CAP_ARM_RME_V9, CCA_V9, "KVM_CAP_ARM_RME 243" },
	{ RVM_CAP_ARM_RME_V8, CCA_V8, "KVM_CAP_ARM_RME 240" },
	{ RVM_CAP_ARM_RME_V5_V7, CCA_V5_V7, "KVM_CAP_ARM_RME 300" },
};

const char *cca_series_name(enum cca_series s)
{
	switch (s) {
	case CCA_V5_V7: return "cca-host v5-v7";
	case CCA_V8: return "cca-host v8";
	case CCA_V9: return "cca-host v9";
	case CCA_V10: return "cca-host v10";
	case CCA_V12: return "cca-host v12";
	case CCA_V13: return "cca-host v13";
	case CCA_V14: return "cca-host v14";
	default: return "no CCA";
	}
}

/*
 * v13 runs RMM 2.0 like v14 (unmeasured RIPAS) but keeps v12's VM type
 * and PSCI completion; those differences live here, not in the profile.
 */
enum host_abi cca_series_abi(enum cca_series s)
{
	switch (s) {
	case CCA_V12:
		return HOST_CCA_V12;
	case CCA_V13:
	case CCA_V14:
		return HOST_CCA_V14;
	default:
		return HOST_CCA_V10;
	}
}

bool cca_series_multiplexed(enum cca_series s)
{
	return s >= CCA_V5_V7 && s <= CCA_V10;
}

uint64_t cca_vm_type(enum cca_series s, unsigned int ipa_bits)
{
	if (s == CCA_V14)
		return RVM_VM_TYPE_REALM_V14 | RVM_VM_TYPE_IPA_SIZE(ipa_bits);
	return RVM_VM_TYPE_REALM_V6_V13 | RVM_VM_TYPE_IPA_SIZE(ipa_bits);
}

unsigned int cca_rec_feature(enum cca_series s)
{
	return s == CCA_V5_V7 ? RVM_ARM_VCPU_REC_V5_V7 : RVM_ARM_VCPU_REC_V8;
}

/*
 * KVM_ARM_VCPU_INIT of a realm vCPU.  v6-v11 mark a realm vCPU with the
 * REC feature bit here.  Series v5 shares v6/v7's numbers (cap 300, REC
 * 8) but knows no feature past bit 6, so it answers ENOENT - and only
 * for an unknown feature bit (arm.c, kvm_vcpu_init_check_features) -
 * and marks every vCPU of a realm VM as a realm vCPU by itself.  So for
 * cap 300 the bit is offered once and dropped on exactly that answer,
 * which changes nothing that the RMM measures.
 */
int cca_vcpu_init(const struct kvm_ops *ops, int fd, enum cca_series s,
		  struct rvm_vcpu_init *init)
{
	struct rvm_vcpu_init with_rec = *init;
	int ret;

	if (!cca_series_multiplexed(s))
		return kvm_ioctl_ptr(ops, fd, RVM_ARM_VCPU_INIT, init);
	with_rec.features[0] |= 1U << cca_rec_feature(s);
	ret = kvm_ioctl_ptr(ops, fd, RVM_ARM_VCPU_INIT, &with_rec);
	if (ret < 0 && errno == ENOENT && s == CCA_V5_V7)
		ret = kvm_ioctl_ptr(ops, fd, RVM_ARM_VCPU_INIT, init);
	return ret;
}

unsigned long cca_psci_complete_req(enum cca_series s)
{
	if (s == CCA_V5_V7)
		return RVM_PSCI_COMPLETE_V5_V7;
	if (s == CCA_NONE || s == CCA_V14)
		return 0;
	return RVM_PSCI_COMPLETE_V8;
}

int cca_probe(const struct kvm_ops *ops, int kvm_fd, bool want_set,
	      enum host_abi want, struct cca_host *host)
{
	size_t i;

	memset(host, 0, sizeof(*host));
	for (i = 0; i < ARRAY_SIZE(probe_table); i++) {
		enum cca_series s = probe_table[i].series;

		if (want_set && cca_series_abi(s) != want)
			continue;
		if (kvm_ioctl(ops, kvm_fd, KVM_CHECK_EXTENSION,
			      probe_table[i].cap) > 0) {
			host->series = s;
			host->abi = cca_series_abi(s);
			host->cap = probe_table[i].cap;
			host->name = probe_table[i].what;
			return 0;
		}
	}
	if (want_set)
		return pr_err("KVM lacks the CCA capability of host profile %s (%s)",
			      host_profile_get(want)->name,
			      want == HOST_CCA_V10 ?
			      "KVM_CAP_ARM_RME 244, 243, 240 or 300" :
			      want == HOST_CCA_V12 ? "KVM_CAP_ARM_RMI 247" :
			      "KVM_CAP_ARM_RMI 249 or 248");
	return pr_err("KVM has no Arm CCA realm support: neither KVM_CAP_ARM_RMI (249, 248, 247) nor KVM_CAP_ARM_RME (244, 243, 240, 300) is present");
}

int rv_create_vm(struct realm_vm *rv, uint64_t type)
{
	rv->vm_fd = kvm_ioctl(rv->ops, rv->kvm_fd, KVM_CREATE_VM, type);
	if (rv->vm_fd < 0)
		return pr_err("KVM refused a realm VM (KVM_CREATE_VM type %#llx, %s): %s",
			      (unsigned long long)type, rv->host.name,
			      strerror(errno));
	return 0;
}

static int set_attr(struct realm_vm *rv, int fd, uint32_t group, uint64_t attr,
		    const void *addr, const char *what)
{
	struct kvm_device_attr da;

	memset(&da, 0, sizeof(da));
	da.group = group;
	da.attr = attr;
	da.addr = (uint64_t)(uintptr_t)addr;
	if (kvm_ioctl_ptr(rv->ops, fd, KVM_SET_DEVICE_ATTR, &da) < 0)
		return pr_err("KVM refused %s: %s", what, strerror(errno));
	return 0;
}

/*
 * The generated DTB always describes an ITS for a GICv3, as for normal
 * VMs (arm64/gic.c): create it when KVM can, or the guest's probe of its
 * frame would be an unhandled access.  Without one KVM, it stays absent.
 */
static int rv_create_its(struct realm_vm *rv)
{
	struct kvm_create_device cd;
	uint64_t its = GIC_ITS_BASE;

	memset(&cd, 0, sizeof(cd));
	cd.type = RVM_DEV_TYPE_ARM_VGIC_ITS;
	if (kvm_ioctl_ptr(rv->ops, rv->vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return 0;
	rv->its_fd = cd.fd;
	return set_attr(rv, rv->its_fd, RVM_VGIC_GRP_ADDR, RVM_VGIC_ITS_ADDR,
			&its, "the GIC ITS address");
}

/* Realms need an in-kernel GICv3 (the RMM emulates only GICv3 for RECs). */
int rv_create_gic(struct realm_vm *rv)
{
	struct kvm_create_device cd;
	uint64_t dist = GIC_DIST_BASE, redist = GIC_REDIST_BASE;

	if (rv->b->gic_version != 3)
		return pr_err("a realm needs a GICv3 (this launch has GICv%u)",
			      rv->b->gic_version);
	memset(&cd, 0, sizeof(cd));
	cd.type = RVM_DEV_TYPE_ARM_VGIC_V3;
	if (kvm_ioctl_ptr(rv->ops, rv->vm_fd, KVM_CREATE_DEVICE, &cd) < 0)
		return pr_err("cannot create the in-kernel GICv3: %s",
			      strerror(errno));
	rv->gic_fd = cd.fd;
	if (set_attr(rv, rv->gic_fd, RVM_VGIC_GRP_ADDR, RVM_VGIC_V3_ADDR_DIST,
		     &dist, "the GIC distributor address") ||
	    set_attr(rv, rv->gic_fd, RVM_VGIC_GRP_ADDR, RVM_VGIC_V3_ADDR_REDIST,
		     &redist, "the GIC redistributor address"))
		return -1;
	return rv_create_its(rv);
}

/* After every vCPU exists: KVM sizes the redistributors from them. */
int rv_init_gic(struct realm_vm *rv)
{
	uint32_t nr_irqs = GIC_NR_IRQS;

	unsigned int i;
	int pmu_irq = PMU_PPI_INTID;

	if (set_attr(rv, rv->gic_fd, RVM_VGIC_GRP_NR_IRQS, 0, &nr_irqs,
		     "the GIC interrupt count") ||
	    set_attr(rv, rv->gic_fd, RVM_VGIC_GRP_CTRL, RVM_VGIC_CTRL_INIT,
		     NULL, "GIC initialisation"))
		return -1;
	if (rv->its_fd >= 0 &&
	    set_attr(rv, rv->its_fd, RVM_VGIC_GRP_CTRL, RVM_VGIC_CTRL_INIT,
		     NULL, "GIC ITS initialisation"))
		return -1;
	/* A vCPU PMU can only be initialised once the vGIC is. */
	if (!(rv->b->plan.params.flags & REALM_FLAG_PMU))
		return 0;
	for (i = 0; i < rv->nr_vcpus; i++)
		if (set_attr(rv, rv->vcpu_fd[i], RVM_VCPU_PMU_V3_CTRL,
			     RVM_VCPU_PMU_V3_IRQ, &pmu_irq, "the PMU interrupt") ||
		    set_attr(rv, rv->vcpu_fd[i], RVM_VCPU_PMU_V3_CTRL,
			     RVM_VCPU_PMU_V3_INIT, NULL, "PMU initialisation"))
			return -1;
	return 0;
}

/*
 * One guest_memfd-backed memslot over all RAM: the private pages live in
 * the guest_memfd, the shared alias and the populate source in b->gm.
 */
int rv_gmem_memslot(struct realm_vm *rv)
{
	const struct guest_mem *gm = &rv->b->gm;
	struct rvm_create_guest_memfd cg;
	struct rvm_memory_region2 mr;

	memset(&cg, 0, sizeof(cg));
	cg.size = gm->size;
	rv->gmem_fd = kvm_ioctl_ptr(rv->ops, rv->vm_fd, RVM_CREATE_GUEST_MEMFD,
				    &cg);
	if (rv->gmem_fd < 0)
		return pr_err("KVM_CREATE_GUEST_MEMFD failed (a realm needs guest_memfd): %s",
			      strerror(errno));
	memset(&mr, 0, sizeof(mr));
	mr.slot = 0;
	mr.flags = RVM_MEM_GUEST_MEMFD;
	mr.guest_phys_addr = gm->ipa_base;
	mr.memory_size = gm->size;
	mr.userspace_addr = (uint64_t)(uintptr_t)gm->host;
	mr.guest_memfd = (uint32_t)rv->gmem_fd;
	mr.guest_memfd_offset = 0;
	if (kvm_ioctl_ptr(rv->ops, rv->vm_fd, RVM_SET_USER_MEMORY_REGION2,
			  &mr) < 0)
		return pr_err("KVM_SET_USER_MEMORY_REGION2 (guest_memfd RAM) failed: %s",
			      strerror(errno));
	return 0;
}

static int one_reg(struct realm_vm *rv, int fd, bool set, uint64_t id,
		   void *val)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)val };

	return kvm_ioctl_ptr(rv->ops, fd, set ? KVM_SET_ONE_REG :
			     KVM_GET_ONE_REG, &reg);
}

/* The plan's REC op for a vCPU, or NULL. */
static const struct plan_op *rec_op(const struct plan *plan, unsigned int vcpu)
{
	size_t i;

	for (i = 0; i < plan->nr_ops; i++)
		if (plan->ops[i].kind == PLAN_REC &&
		    plan->ops[i].rec.vcpu == vcpu)
			return &plan->ops[i];
	return NULL;
}

/*
 * The plan must hold one REC per vCPU, in ascending MPIDR order (RMM 1.0
 * REC_CREATE rule), with exactly the boot vCPU runnable: KVM decides
 * RUNNABLE from the power state (v5-v11) or from vcpu_id 0 (v12+), so a
 * plan that says otherwise would predict a RIM the launch cannot give.
 */
int rv_check_plan_recs(struct realm_vm *rv)
{
	const struct plan *plan = &rv->b->plan;
	unsigned int seen = 0, vcpu;
	uint64_t last = 0;
	size_t i;

	for (i = 0; i < plan->nr_ops; i++) {
		const struct plan_op *op = &plan->ops[i];

		if (op->kind != PLAN_REC)
			continue;
		vcpu = op->rec.vcpu;
		if (vcpu >= rv->nr_vcpus || op->rec.mpidr != vcpu_mpidr(vcpu) ||
		    (seen && op->rec.mpidr <= last))
			return pr_err("the realm plan's REC %u does not match the vCPUs in ascending MPIDR order",
				      vcpu);
		if (!!(op->rec.flags & REC_FLAG_RUNNABLE) != (vcpu == 0))
			return pr_err("the realm plan makes vCPU %u %srunnable; KVM runs only vCPU 0 first",
				      vcpu, vcpu ? "" : "not ");
		last = op->rec.mpidr;
		seen++;
	}
	if (seen != rv->nr_vcpus)
		return pr_err("the realm plan has %u RECs for %u vCPUs", seen,
			      rv->nr_vcpus);
	return 0;
}

/* Keep the VQs the host offers up to the plan's, and demand the plan's. */
static int vcpu_sve(struct realm_vm *rv, unsigned int id, int fd)
{
	const struct realm_params *p = &rv->b->plan.params;
	uint64_t vls[RVM_SVE_VLS_WORDS];
	unsigned int vq, max_vq = p->sve_vl + 1u;
	int feat = RVM_ARM_VCPU_SVE;

	if (one_reg(rv, fd, false, RVM_REG_SVE_VLS, vls) < 0)
		return pr_err("cannot read vCPU %u's SVE vector lengths: %s", id,
			      strerror(errno));
	if (max_vq > RVM_SVE_VLS_WORDS * 64 ||
	    !(vls[(max_vq - 1) / 64] & (1ULL << ((max_vq - 1) % 64))))
		return pr_err("the host has no SVE vector length of %u bits",
			      max_vq * 128);
	for (vq = max_vq + 1; vq <= RVM_SVE_VLS_WORDS * 64; vq++)
		vls[(vq - 1) / 64] &= ~(1ULL << ((vq - 1) % 64));
	if (one_reg(rv, fd, true, RVM_REG_SVE_VLS, vls) < 0)
		return pr_err("KVM refused SVE vector length %u bits: %s",
			      max_vq * 128, strerror(errno));
	if (kvm_ioctl_ptr(rv->ops, fd, RVM_ARM_VCPU_FINALIZE, &feat) < 0)
		return pr_err("KVM_ARM_VCPU_FINALIZE(SVE) failed: %s",
			      strerror(errno));
	return 0;
}

/*
 * Breakpoint and watchpoint counts reach the RMM through the VM's
 * ID_AA64DFR0_EL1; written only when it differs, so that a kernel whose
 * ID registers are read-only still runs a realm with the host's counts.
 */
static int vcpu_debug(struct realm_vm *rv, unsigned int id, int fd)
{
	const struct realm_params *p = &rv->b->plan.params;
	uint64_t dfr0, want, ctx;

	if (one_reg(rv, fd, false, RVM_REG_ID_AA64DFR0_EL1, &dfr0) < 0)
		return pr_err("cannot read vCPU %u's ID_AA64DFR0_EL1: %s", id,
			      strerror(errno));
	ctx = (dfr0 >> DFR0_CTX_CMPS_SHIFT) & 0xf;
	want = dfr0 & ~((0xfULL << DFR0_BRPS_SHIFT) |
			(0xfULL << DFR0_WRPS_SHIFT) |
			(0xfULL << DFR0_CTX_CMPS_SHIFT));
	want |= (uint64_t)(p->num_bps & 0xf) << DFR0_BRPS_SHIFT;
	want |= (uint64_t)(p->num_wps & 0xf) << DFR0_WRPS_SHIFT;
	want |= MIN(ctx, (uint64_t)(p->num_bps & 0xf)) << DFR0_CTX_CMPS_SHIFT;
	if (want == dfr0)
		return 0;
	if (one_reg(rv, fd, true, RVM_REG_ID_AA64DFR0_EL1, &want) < 0)
		return pr_err("KVM refused %u breakpoints / %u watchpoints (ID_AA64DFR0_EL1): %s",
			      p->num_bps + 1u, p->num_wps + 1u,
			      strerror(errno));
	return 0;
}

static int vcpu_pmu(struct realm_vm *rv, unsigned int id, int fd)
{
	const struct realm_params *p = &rv->b->plan.params;
	uint64_t pmcr, want;

	if (one_reg(rv, fd, false, RVM_REG_PMCR_EL0, &pmcr) < 0)
		return pr_err("cannot read vCPU %u's PMCR_EL0: %s", id,
			      strerror(errno));
	want = (pmcr & ~(PMCR_N_MASK << PMCR_N_SHIFT)) |
	       ((uint64_t)p->pmu_num_ctrs << PMCR_N_SHIFT);
	if (want == pmcr)
		return 0;
	if (one_reg(rv, fd, true, RVM_REG_PMCR_EL0, &want) < 0)
		return pr_err("KVM refused %u PMU counters (PMCR_EL0.N): %s",
			      p->pmu_num_ctrs, strerror(errno));
	return 0;
}

/* Create and initialise every vCPU in ascending MPIDR (= index) order. */
int rv_create_vcpus(struct realm_vm *rv)
{
	const struct realm_params *p = &rv->b->plan.params;
	struct rvm_vcpu_init target, init;
	unsigned int i;

	memset(&target, 0, sizeof(target));
	if (kvm_ioctl_ptr(rv->ops, rv->vm_fd, RVM_ARM_PREFERRED_TARGET,
			  &target) < 0)
		return pr_err("KVM_ARM_PREFERRED_TARGET failed: %s",
			      strerror(errno));
	for (i = 0; i < rv->nr_vcpus; i++) {
		const struct plan_op *rec = rec_op(&rv->b->plan, i);
		int fd;

		fd = kvm_ioctl(rv->ops, rv->vm_fd, KVM_CREATE_VCPU, i);
		if (fd < 0)
			return pr_err("cannot create vCPU %u: %s", i,
				      strerror(errno));
		rv->vcpu_fd[i] = fd;
		rv->mpidr[i] = vcpu_mpidr(i);

		init = target;
		memset(init.features, 0, sizeof(init.features));
		init.features[0] = 1U << RVM_ARM_VCPU_PSCI_0_2;
		if (p->flags & REALM_FLAG_SVE)
			init.features[0] |= 1U << RVM_ARM_VCPU_SVE;
		if (p->flags & REALM_FLAG_PMU)
			init.features[0] |= 1U << RVM_ARM_VCPU_PMU_V3;
		/* KVM_ARM_VCPU_POWER_OFF: a REC that is not RUNNABLE */
		if (rec && !(rec->rec.flags & REC_FLAG_RUNNABLE))
			init.features[0] |= 1U << 0;
		if (cca_vcpu_init(rv->ops, fd, rv->host.series, &init) < 0)
			return pr_err("KVM_ARM_VCPU_INIT of realm vCPU %u failed: %s",
				      i, strerror(errno));
		if ((p->flags & REALM_FLAG_SVE) && vcpu_sve(rv, i, fd))
			return -1;
		if (vcpu_debug(rv, i, fd))
			return -1;
		if ((p->flags & REALM_FLAG_PMU) && vcpu_pmu(rv, i, fd))
			return -1;
	}
	return 0;
}

/* A REC starts from the vCPU's PC and x0..x7 as they are at REC creation. */
int rv_set_rec_regs(struct realm_vm *rv, unsigned int vcpu, uint64_t pc,
		    const uint64_t gprs[8])
{
	uint64_t v;
	unsigned int r;

	if (vcpu >= rv->nr_vcpus)
		return pr_err("the realm plan names vCPU %u of %u", vcpu,
			      rv->nr_vcpus);
	for (r = 0; r < 8; r++) {
		v = gprs[r];
		if (one_reg(rv, rv->vcpu_fd[vcpu], true, RVM_REG_X(r), &v) < 0)
			return pr_err("cannot set x%u of realm vCPU %u: %s", r,
				      vcpu, strerror(errno));
	}
	v = pc;
	if (one_reg(rv, rv->vcpu_fd[vcpu], true, RVM_REG_PC, &v) < 0)
		return pr_err("cannot set the PC of realm vCPU %u: %s", vcpu,
			      strerror(errno));
	return 0;
}

int realm_vm_prepare(struct realm_vm *rv, struct boot *b)
{
	unsigned int i;
	int ret;

	rv->b = b;
	rv->vm_fd = rv->gmem_fd = rv->gic_fd = rv->its_fd = -1;
	for (i = 0; i < MAX_VCPUS; i++) {
		rv->vcpu_fd[i] = -1;
		rv->run[i] = NULL;
	}
	rv->nr_vcpus = b->cfg->nr_cpus;
	rv->ipa_bits = b->lay.ipa_bits;
	if (!b->profile || b->plan.profile != b->profile)
		return pr_err("the realm has no plan for its host profile");
	if (b->profile->abi != rv->host.abi)
		return pr_err("this host runs %s (%s) but the realm was planned for %s; use --host %s",
			      cca_series_name(rv->host.series), rv->host.name,
			      b->profile->name,
			      host_profile_get(rv->host.abi)->name);
	/* KVM takes s2sz from the VM type: a plan with another measured
	 * value would predict a RIM this launch cannot produce. */
	if (b->plan.params.s2sz != rv->ipa_bits)
		return pr_err("the realm plan measures s2sz %u but the VM gets %u IPA bits",
			      b->plan.params.s2sz, rv->ipa_bits);
	if (rv->nr_vcpus == 0 || rv->nr_vcpus > MAX_VCPUS)
		return pr_err("bad vCPU count %u", rv->nr_vcpus);
	if (cca_series_multiplexed(rv->host.series))
		ret = realm_backend_v10(rv);
	else
		ret = realm_backend_rmi(rv);
	if (ret)
		realm_vm_destroy(rv);
	return ret;
}

int realm_vm_map_runs(struct realm_vm *rv)
{
	unsigned int i;
	int sz;

	sz = kvm_ioctl(rv->ops, rv->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0)
		return pr_err("KVM_GET_VCPU_MMAP_SIZE failed: %s",
			      strerror(errno));
	rv->run_size = (size_t)sz;
	for (i = 0; i < rv->nr_vcpus; i++) {
		void *p = rv->ops->mmap(rv->ops->ctx, rv->run_size,
					rv->vcpu_fd[i]);

		if (p == MAP_FAILED)
			return pr_err("cannot map realm vCPU %u's run area: %s",
				      i, strerror(errno));
		rv->run[i] = p;
	}
	return 0;
}

void realm_vm_destroy(struct realm_vm *rv)
{
	unsigned int i;

	for (i = 0; i < MAX_VCPUS; i++) {
		if (rv->run[i])
			rv->ops->munmap(rv->ops->ctx, rv->run[i], rv->run_size);
		rv->run[i] = NULL;
		if (rv->vcpu_fd[i] >= 0)
			rv->ops->close(rv->ops->ctx, rv->vcpu_fd[i]);
		rv->vcpu_fd[i] = -1;
	}
	if (rv->its_fd >= 0)
		rv->ops->close(rv->ops->ctx, rv->its_fd);
	if (rv->gic_fd >= 0)
		rv->ops->close(rv->ops->ctx, rv->gic_fd);
	if (rv->gmem_fd >= 0)
		rv->ops->close(rv->ops->ctx, rv->gmem_fd);
	if (rv->vm_fd >= 0)
		rv->ops->close(rv->ops->ctx, rv->vm_fd);
	rv->its_fd = rv->gic_fd = rv->gmem_fd = rv->vm_fd = -1;
}
