/*
 * vCPU creation and boot register state on arm64 KVM.  Non-arm64 builds
 * get stubs: kvm_vm_create() already refused to run there.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "arm64/kvm_vcpu.h"
#include "arm64/layout.h"
#include "arm64/kvm_vm.h"
#include "vmm/util.h"

#ifdef __aarch64__
#include <sys/ioctl.h>
#include <linux/kvm.h>

/* PSTATE: EL1 using SP_EL1, with debug, SError, IRQ and FIQ masked. */
#define PSR_MODE_EL1H	0x5ULL
#define PSR_F		(1ULL << 6)
#define PSR_I		(1ULL << 7)
#define PSR_A		(1ULL << 8)
#define PSR_D		(1ULL << 9)
#define BOOT_PSTATE	(PSR_MODE_EL1H | PSR_F | PSR_I | PSR_A | PSR_D)

/* ONE_REG id of a 64-bit field of struct kvm_regs (in 32-bit words). */
#define CORE_REG(field) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
	 (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))

int kvm_vcpu_create(struct kvm_vm *vm, unsigned int id, struct kvm_vcpu *vcpu)
{
	void *run;

	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->id = id;
	vcpu->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (vcpu->fd < 0)
		return pr_err("cannot create vCPU %u: %s", id, strerror(errno));
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu->fd, 0);
	if (run == MAP_FAILED) {
		close(vcpu->fd);
		vcpu->fd = -1;
		return pr_err("cannot map vCPU %u's run area: %s", id,
			      strerror(errno));
	}
	vcpu->run = run;
	return 0;
}

int kvm_vcpu_init(struct kvm_vm *vm, struct kvm_vcpu *vcpu, bool boot_cpu,
		  bool pmu)
{
	struct kvm_vcpu_init init;

	if (pmu && ioctl(vm->vm_fd, KVM_CHECK_EXTENSION,
			 KVM_CAP_ARM_PMU_V3) <= 0)
		return pr_err("--pmu: this host's KVM offers guests no PMUv3 (KVM_CAP_ARM_PMU_V3); run without --pmu");
	memset(&init, 0, sizeof(init));
	if (ioctl(vm->vm_fd, KVM_ARM_PREFERRED_TARGET, &init) < 0)
		return pr_err("KVM_ARM_PREFERRED_TARGET failed: %s",
			      strerror(errno));
	memset(init.features, 0, sizeof(init.features));
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (!boot_cpu)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF;
	if (pmu)
		init.features[0] |= 1U << KVM_ARM_VCPU_PMU_V3;
	if (ioctl(vcpu->fd, KVM_ARM_VCPU_INIT, &init) < 0)
		return pr_err("cannot initialise vCPU %u: %s", vcpu->id,
			      strerror(errno));
	return 0;
}

int kvm_vcpu_pmu_init(struct kvm_vcpu *vcpu)
{
	int irq = PMU_PPI_INTID;
	struct kvm_device_attr attr = {
		.group = KVM_ARM_VCPU_PMU_V3_CTRL,
		.attr = KVM_ARM_VCPU_PMU_V3_IRQ,
		.addr = (uint64_t)(uintptr_t)&irq,
	};

	if (ioctl(vcpu->fd, KVM_SET_DEVICE_ATTR, &attr) < 0)
		return pr_err("--pmu: cannot set vCPU %u's PMU interrupt: %s",
			      vcpu->id, strerror(errno));
	attr.attr = KVM_ARM_VCPU_PMU_V3_INIT;
	attr.addr = 0;
	if (ioctl(vcpu->fd, KVM_SET_DEVICE_ATTR, &attr) < 0)
		return pr_err("--pmu: cannot initialise vCPU %u's PMU: %s",
			      vcpu->id, strerror(errno));
	return 0;
}

static int set_reg(struct kvm_vcpu *vcpu, uint64_t id, uint64_t val)
{
	struct kvm_one_reg reg = {
		.id = id,
		.addr = (uint64_t)(uintptr_t)&val,
	};

	if (ioctl(vcpu->fd, KVM_SET_ONE_REG, &reg) < 0)
		return pr_err("cannot set vCPU %u register 0x%llx: %s",
			      vcpu->id, (unsigned long long)id,
			      strerror(errno));
	return 0;
}

int kvm_vcpu_set_boot_regs(struct kvm_vcpu *vcpu, uint64_t entry,
			   uint64_t dtb_ipa)
{
	if (set_reg(vcpu, CORE_REG(regs.pstate), BOOT_PSTATE) ||
	    set_reg(vcpu, CORE_REG(regs.regs[0]), dtb_ipa) ||
	    set_reg(vcpu, CORE_REG(regs.regs[1]), 0) ||
	    set_reg(vcpu, CORE_REG(regs.regs[2]), 0) ||
	    set_reg(vcpu, CORE_REG(regs.regs[3]), 0) ||
	    set_reg(vcpu, CORE_REG(regs.pc), entry))
		return -1;
	return 0;
}

void kvm_vcpu_destroy(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	if (vcpu->run)
		munmap(vcpu->run, vm->run_size);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}

#else /* !__aarch64__ */

int kvm_vcpu_create(struct kvm_vm *vm, unsigned int id, struct kvm_vcpu *vcpu)
{
	(void)vm;
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->id = id;
	vcpu->fd = -1;
	return kvm_open_dev();
}

int kvm_vcpu_init(struct kvm_vm *vm, struct kvm_vcpu *vcpu, bool boot_cpu,
		  bool pmu)
{
	(void)vm;
	(void)vcpu;
	(void)boot_cpu;
	(void)pmu;
	return kvm_open_dev();
}

int kvm_vcpu_pmu_init(struct kvm_vcpu *vcpu)
{
	(void)vcpu;
	return kvm_open_dev();
}

int kvm_vcpu_set_boot_regs(struct kvm_vcpu *vcpu, uint64_t entry,
			   uint64_t dtb_ipa)
{
	(void)vcpu;
	(void)entry;
	(void)dtb_ipa;
	return kvm_open_dev();
}

void kvm_vcpu_destroy(struct kvm_vm *vm, struct kvm_vcpu *vcpu)
{
	(void)vm;
	vcpu->fd = -1;
}

#endif
