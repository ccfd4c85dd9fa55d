/*
 * Our own declaration of the out-of-tree Arm CCA KVM uAPI, for every host
 * series realmvm follows, plus the few mainline arm64/guest_memfd numbers
 * that the installed (v6.1, x86) linux headers lack.  Written from the
 * facts in docs/host-abi-sequences.md; numbers changed between series, so
 * everything series-specific carries the series in its name.  Names are
 * prefixed RVM_ so they never clash with a newer installed header.
 */
#ifndef REALMVM_KVM_CCA_UAPI_H
#define REALMVM_KVM_CCA_UAPI_H

#include <stddef.h>
#include <stdint.h>
#include <linux/ioctl.h>
#include <linux/kvm.h>

/* ---- Multiplexed era (v5..v11): KVM_ENABLE_CAP(KVM_CAP_ARM_RME) ---- */

/* Probe values of KVM_CAP_ARM_RME; v11 renamed it and its number is unknown. */
#define RVM_CAP_ARM_RME_V5_V7		300	/* "FIXME" placeholder */
#define RVM_CAP_ARM_RME_V8		240
#define RVM_CAP_ARM_RME_V9		243
#define RVM_CAP_ARM_RME_V10		244

/* args[0] of KVM_ENABLE_CAP(KVM_CAP_ARM_RME) */
#define RVM_RME_CONFIG_REALM		0
#define RVM_RME_CREATE_RD		1
#define RVM_RME_INIT_RIPAS		2
#define RVM_RME_POPULATE		3
#define RVM_RME_ACTIVATE		4

/* cfg of struct rvm_rme_config */
#define RVM_RME_CFG_RPV			0
#define RVM_RME_CFG_HASH_ALGO		1
#define RVM_RME_HASH_SHA256		0
#define RVM_RME_HASH_SHA512		1
#define RVM_RME_RPV_SIZE		64

#define RVM_RME_POPULATE_MEASURE	(1U << 0)

/* kvm_cap_arm_rme_config_item (v5/v6), arm_rme_config (v7+) */
struct rvm_rme_config {
	uint32_t cfg;
	union {
		uint8_t rpv[RVM_RME_RPV_SIZE];		/* CFG_RPV */
		uint32_t hash_algo;			/* CFG_HASH_ALGO */
		uint8_t reserved[256];
	};
};

_Static_assert(offsetof(struct rvm_rme_config, cfg) == 0, "cfg");
_Static_assert(offsetof(struct rvm_rme_config, rpv) == 4, "rpv");
_Static_assert(offsetof(struct rvm_rme_config, hash_algo) == 4, "hash");
_Static_assert(sizeof(struct rvm_rme_config) == 260, "config size");

/* kvm_cap_arm_rme_populate_realm_args (v5/v6), arm_rme_populate_realm */
struct rvm_rme_populate {
	uint64_t base;
	uint64_t size;
	uint32_t flags;
	uint32_t reserved[3];
};

_Static_assert(offsetof(struct rvm_rme_populate, base) == 0, "base");
_Static_assert(offsetof(struct rvm_rme_populate, size) == 8, "size");
_Static_assert(offsetof(struct rvm_rme_populate, flags) == 16, "flags");
_Static_assert(offsetof(struct rvm_rme_populate, reserved) == 20, "rsvd");
_Static_assert(sizeof(struct rvm_rme_populate) == 32, "populate size");

/* kvm_cap_arm_rme_init_ipa_args (v5/v6: u32 reserved[4]), arm_rme_init_ripas */
struct rvm_rme_init_ripas {
	uint64_t base;
	uint64_t size;
	uint64_t reserved[2];
};

_Static_assert(offsetof(struct rvm_rme_init_ripas, base) == 0, "base");
_Static_assert(offsetof(struct rvm_rme_init_ripas, size) == 8, "size");
_Static_assert(offsetof(struct rvm_rme_init_ripas, reserved) == 16, "rsvd");
_Static_assert(sizeof(struct rvm_rme_init_ripas) == 32, "init_ripas size");

/*
 * REC vCPU feature: 8 in v5-v7, 9 from v8 (EL2_E2H0 took 8); gone in v12.
 * v6-v11 want it in KVM_ARM_VCPU_INIT and as FINALIZE's argument.  Series
 * v5 (observed: KVM_VCPU_MAX_FEATURES = 7) takes it only in FINALIZE and
 * answers ENOENT to it in VCPU_INIT.
 */
#define RVM_ARM_VCPU_REC_V5_V7		8
#define RVM_ARM_VCPU_REC_V8		9

/* PSCI completion when userspace handles PSCI (v6..v13; removed in v14). */
struct rvm_psci_complete {
	uint64_t target_mpidr;
	uint32_t psci_status;
	uint32_t padding[3];
};

_Static_assert(offsetof(struct rvm_psci_complete, target_mpidr) == 0, "mpidr");
_Static_assert(offsetof(struct rvm_psci_complete, psci_status) == 8, "st");
_Static_assert(offsetof(struct rvm_psci_complete, padding) == 12, "pad");
_Static_assert(sizeof(struct rvm_psci_complete) == 24, "psci size");

#define RVM_PSCI_COMPLETE_V5_V7 \
	_IOW(KVMIO, 0xd2, struct rvm_psci_complete)
#define RVM_PSCI_COMPLETE_V8 \
	_IOW(KVMIO, 0xd6, struct rvm_psci_complete)

/* ---- VM type encodings ---- */

/* v6..v13: machine type in bits [11:8]; IPA size in bits [7:0]. */
#define RVM_VM_TYPE_ARM_SHIFT		8
#define RVM_VM_TYPE_ARM_MASK		(0xfULL << RVM_VM_TYPE_ARM_SHIFT)
#define RVM_VM_TYPE_REALM_V6_V13	(1ULL << 8)
/* v14: type in bits [31:30]; both bits set is -EINVAL. */
#define RVM_VM_TYPE_REALM_V14		(1ULL << 30)
#define RVM_VM_TYPE_PROTECTED		(1ULL << 31)
#define RVM_VM_TYPE_IPA_SIZE(bits)	((uint64_t)(bits) & 0xffULL)

/* ---- Implicit era (v12..v14): KVM_ARM_RMI_POPULATE ---- */

#define RVM_CAP_ARM_RMI_V12		247
#define RVM_CAP_ARM_RMI_V13		248
#define RVM_CAP_ARM_RMI_V14		249

#define RVM_RMI_POPULATE_MEASURE	(1U << 0)

struct rvm_rmi_populate {
	uint64_t base;
	uint64_t size;
	uint64_t source_uaddr;
	uint32_t flags;
	uint32_t reserved;
};

_Static_assert(offsetof(struct rvm_rmi_populate, base) == 0, "base");
_Static_assert(offsetof(struct rvm_rmi_populate, size) == 8, "size");
_Static_assert(offsetof(struct rvm_rmi_populate, source_uaddr) == 16, "src");
_Static_assert(offsetof(struct rvm_rmi_populate, flags) == 24, "flags");
_Static_assert(offsetof(struct rvm_rmi_populate, reserved) == 28, "rsvd");
_Static_assert(sizeof(struct rvm_rmi_populate) == 32, "rmi populate size");

/* v12 returns bytes populated; v13/v14 advance the struct and return 0. */
#define RVM_RMI_POPULATE_V12	_IOW(KVMIO, 0xd7, struct rvm_rmi_populate)
#define RVM_RMI_POPULATE_V13	_IOWR(KVMIO, 0xd7, struct rvm_rmi_populate)

/* ---- Mainline guest_memfd / private memory (v6.8+), absent in v6.1 ---- */

#define RVM_CAP_USER_MEMORY2		231
#define RVM_CAP_MEMORY_ATTRIBUTES	233
#define RVM_CAP_GUEST_MEMFD		234

struct rvm_create_guest_memfd {
	uint64_t size;
	uint64_t flags;
	uint64_t reserved[6];
};

_Static_assert(offsetof(struct rvm_create_guest_memfd, flags) == 8, "flags");
_Static_assert(sizeof(struct rvm_create_guest_memfd) == 64, "gmem size");

#define RVM_MEM_GUEST_MEMFD		(1U << 2)

struct rvm_memory_region2 {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
	uint64_t guest_memfd_offset;
	uint32_t guest_memfd;
	uint32_t pad1;
	uint64_t pad2[14];
};

_Static_assert(offsetof(struct rvm_memory_region2, flags) == 4, "flags");
_Static_assert(offsetof(struct rvm_memory_region2, guest_phys_addr) == 8, "");
_Static_assert(offsetof(struct rvm_memory_region2, memory_size) == 16, "");
_Static_assert(offsetof(struct rvm_memory_region2, userspace_addr) == 24, "");
_Static_assert(offsetof(struct rvm_memory_region2, guest_memfd_offset) == 32,
	       "");
_Static_assert(offsetof(struct rvm_memory_region2, guest_memfd) == 40, "");
_Static_assert(offsetof(struct rvm_memory_region2, pad2) == 48, "");
_Static_assert(sizeof(struct rvm_memory_region2) == 160, "region2 size");

#define RVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)

struct rvm_memory_attributes {
	uint64_t address;
	uint64_t size;
	uint64_t attributes;
	uint64_t flags;
};

_Static_assert(offsetof(struct rvm_memory_attributes, attributes) == 16, "");
_Static_assert(sizeof(struct rvm_memory_attributes) == 32, "attrs size");

#define RVM_CREATE_GUEST_MEMFD \
	_IOWR(KVMIO, 0xd4, struct rvm_create_guest_memfd)
#define RVM_SET_USER_MEMORY_REGION2 \
	_IOW(KVMIO, 0x49, struct rvm_memory_region2)
#define RVM_SET_MEMORY_ATTRIBUTES \
	_IOW(KVMIO, 0xd2, struct rvm_memory_attributes)

/* KVM_EXIT_MEMORY_FAULT and its payload in the kvm_run exit union. */
#define RVM_EXIT_MEMORY_FAULT		39
#define RVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)

struct rvm_memory_fault {
	uint64_t flags;
	uint64_t gpa;
	uint64_t size;
};

/* ---- arm64 uAPI that the x86 build's headers do not declare ---- */

/* Upstream numbers, unchanged by every CCA series (v5 observed). */
#define RVM_CAP_ARM_SVE			170
#define RVM_CAP_ARM_PMU_V3		126

struct rvm_vcpu_init {
	uint32_t target;
	uint32_t features[7];
};

_Static_assert(sizeof(struct rvm_vcpu_init) == 32, "vcpu_init size");

#define RVM_ARM_VCPU_INIT	_IOW(KVMIO, 0xae, struct rvm_vcpu_init)
#define RVM_ARM_PREFERRED_TARGET _IOR(KVMIO, 0xaf, struct rvm_vcpu_init)
#define RVM_ARM_VCPU_FINALIZE	_IOW(KVMIO, 0xc2, int)

#define RVM_ARM_VCPU_PSCI_0_2		2
#define RVM_ARM_VCPU_PMU_V3		3
#define RVM_ARM_VCPU_SVE		4

/* arm64 struct kvm_vcpu_events: used to inject an external abort (SEA). */
struct rvm_vcpu_events {
	struct {
		uint8_t serror_pending;
		uint8_t serror_has_esr;
		uint8_t ext_dabt_pending;
		uint8_t pad[5];
		uint64_t serror_esr;
	} exception;
	uint32_t reserved[12];
};

_Static_assert(offsetof(struct rvm_vcpu_events, exception.ext_dabt_pending)
	       == 2, "ext_dabt");
_Static_assert(sizeof(struct rvm_vcpu_events) == 64, "vcpu_events size");

#define RVM_SET_VCPU_EVENTS	_IOW(KVMIO, 0xa0, struct rvm_vcpu_events)

/* ONE_REG ids (arm64) */
#define RVM_REG_ARM64			0x6000000000000000ULL
#define RVM_REG_SIZE_U64		0x0030000000000000ULL
#define RVM_REG_SIZE_U512		0x0060000000000000ULL
#define RVM_REG_ARM_CORE		(0x0010ULL << 16)
#define RVM_REG_ARM64_SYSREG		(0x0013ULL << 16)
#define RVM_REG_ARM64_SVE		(0x0015ULL << 16)

/* Core registers: offset in struct kvm_regs, in 32-bit words. */
#define RVM_REG_CORE(word) \
	(RVM_REG_ARM64 | RVM_REG_SIZE_U64 | RVM_REG_ARM_CORE | (word))
#define RVM_REG_X(n)		RVM_REG_CORE((uint64_t)(n) * 2)
#define RVM_REG_PC		RVM_REG_CORE(32 * 2)

#define RVM_REG_SYS(op0, op1, crn, crm, op2)				\
	(RVM_REG_ARM64 | RVM_REG_SIZE_U64 | RVM_REG_ARM64_SYSREG |	\
	 ((uint64_t)(op0) << 14) | ((uint64_t)(op1) << 11) |		\
	 ((uint64_t)(crn) << 7) | ((uint64_t)(crm) << 3) | (uint64_t)(op2))
#define RVM_REG_ID_AA64DFR0_EL1	RVM_REG_SYS(3, 0, 0, 5, 0)
#define RVM_REG_PMCR_EL0	RVM_REG_SYS(3, 3, 9, 12, 0)

/* Bitmap of supported vector lengths, one bit per VQ (128-bit units). */
#define RVM_REG_SVE_VLS \
	(RVM_REG_ARM64 | RVM_REG_ARM64_SVE | RVM_REG_SIZE_U512 | 0xffffULL)
#define RVM_SVE_VLS_WORDS	8

/* Field positions (Arm ARM) */
#define DFR0_BRPS_SHIFT		12
#define DFR0_WRPS_SHIFT		20
#define DFR0_CTX_CMPS_SHIFT	28
#define PMCR_N_SHIFT		11
#define PMCR_N_MASK		0x1fULL

/* GICv3 device (mainline arm64 numbers) */
#define RVM_DEV_TYPE_ARM_VGIC_V3	7
#define RVM_DEV_TYPE_ARM_VGIC_ITS	8
#define RVM_VGIC_GRP_ADDR		0
#define RVM_VGIC_GRP_NR_IRQS		3
#define RVM_VGIC_GRP_CTRL		4
#define RVM_VGIC_V3_ADDR_DIST		2
#define RVM_VGIC_V3_ADDR_REDIST		3
#define RVM_VGIC_ITS_ADDR		4
#define RVM_VGIC_CTRL_INIT		0

/* vCPU PMU device attributes */
#define RVM_VCPU_PMU_V3_CTRL		0
#define RVM_VCPU_PMU_V3_IRQ		0
#define RVM_VCPU_PMU_V3_INIT		1

/* PSCI function ids that may need userspace completion. */
#define RVM_PSCI_FN64_CPU_ON		0xc4000003U
#define RVM_PSCI_FN64_AFFINITY_INFO	0xc4000004U
#define RVM_PSCI_RET_SUCCESS		0
#define RVM_PSCI_RET_INVALID_PARAMS		(-2)

#endif
