/*
 * One KVM vCPU: its file descriptor, its shared kvm_run page and the
 * register state Linux's arm64 boot protocol asks for.
 */
#ifndef REALMVM_KVM_VCPU_H
#define REALMVM_KVM_VCPU_H

#include <stdbool.h>
#include <stdint.h>

struct kvm_vm;
struct kvm_run;

struct kvm_vcpu {
	unsigned int id;
	int fd;
	struct kvm_run *run;
};

/* KVM_CREATE_VCPU and map its kvm_run page. */
int kvm_vcpu_create(struct kvm_vm *vm, unsigned int id, struct kvm_vcpu *vcpu);

/*
 * KVM_ARM_VCPU_INIT with PSCI 0.2 for the host's preferred CPU type.
 * Secondary vCPUs start powered off and wait for PSCI CPU_ON.  With pmu,
 * the vCPU gets a PMUv3 (KVM_CAP_ARM_PMU_V3 is checked first).
 */
int kvm_vcpu_init(struct kvm_vm *vm, struct kvm_vcpu *vcpu, bool boot_cpu,
		  bool pmu);

/*
 * The PMUv3 of a vCPU initialised with pmu: its overflow interrupt
 * (PMU_PPI) and KVM_ARM_VCPU_PMU_V3_INIT.  KVM wants the vGIC initialised
 * first.
 */
int kvm_vcpu_pmu_init(struct kvm_vcpu *vcpu);

/*
 * Boot CPU state from booting.rst: PC at the kernel entry, x0 the DTB,
 * x1-x3 zero, EL1h with D, A, I and F masked.
 */
int kvm_vcpu_set_boot_regs(struct kvm_vcpu *vcpu, uint64_t entry,
			   uint64_t dtb_ipa);

void kvm_vcpu_destroy(struct kvm_vm *vm, struct kvm_vcpu *vcpu);

#endif
