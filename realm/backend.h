/*
 * Realm backends: turn a prepared struct boot (guest memory, DTB, plan)
 * into a realm on a CCA host, one backend per family of the out-of-tree
 * KVM series.  A backend executes exactly the plan's operations - the
 * same one the dry run measured - through struct kvm_ops, so the unit
 * tests can check the ioctl sequence without CCA hardware.
 */
#ifndef REALMVM_BACKEND_H
#define REALMVM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "realm/host_profile.h"
#include "realm/kvm_ops.h"
#include "realm/realm_config.h"

struct boot;
struct kvm_run;

/* The host series as far as the uAPI differs; see host-abi-sequences.md. */
enum cca_series {
	CCA_NONE,
	CCA_V5_V7,	/* KVM_CAP_ARM_RME 300, REC bit 8, PSCI 0xd2 */
	CCA_V8,		/* 240, REC bit 9, 0xd6 */
	CCA_V9,		/* 243 */
	CCA_V10,	/* 244 */
	CCA_V12,	/* KVM_CAP_ARM_RMI 247, populate _IOW returns bytes */
	CCA_V13,	/* 248, populate _IOWR advances the struct */
	CCA_V14,	/* 249, REALM = 1 << 30, no PSCI_COMPLETE */
};

struct cca_host {
	enum cca_series series;
	enum host_abi abi;		/* the profile this series follows */
	unsigned int cap;		/* capability number found */
	const char *name;		/* "KVM_CAP_ARM_RME 244" */
};

struct realm_vm {
	const struct kvm_ops *ops;
	struct cca_host host;
	struct boot *b;
	int kvm_fd;
	int vm_fd;
	int gmem_fd;
	int gic_fd;
	int its_fd;			/* -1: KVM has no ITS */
	unsigned int ipa_bits;		/* with the unprotected bit */
	unsigned int nr_vcpus;
	int vcpu_fd[MAX_VCPUS];
	uint64_t mpidr[MAX_VCPUS];
	struct kvm_run *run[MAX_VCPUS];	/* see realm_vm_map_runs() */
	size_t run_size;
};

/* Series facts (pure functions of the series). */
const char *cca_series_name(enum cca_series s);
enum host_abi cca_series_abi(enum cca_series s);
uint64_t cca_vm_type(enum cca_series s, unsigned int ipa_bits);
bool cca_series_multiplexed(enum cca_series s);
unsigned int cca_rec_feature(enum cca_series s);
struct rvm_vcpu_init;
/* KVM_ARM_VCPU_INIT of a realm vCPU, with the series' REC bit if any. */
int cca_vcpu_init(const struct kvm_ops *ops, int fd, enum cca_series s,
		  struct rvm_vcpu_init *init);
/* PSCI_COMPLETE ioctl number, or 0 when the series has none (v14). */
unsigned long cca_psci_complete_req(enum cca_series s);

/*
 * Find which CCA series KVM implements by probing KVM_CHECK_EXTENSION on
 * /dev/kvm (kvm_fd) for every known capability number, newest first.
 * With want_set, only that profile's numbers are accepted (--host), which
 * also resolves a number that a later mainline kernel reused.  On failure
 * prints which capability is missing and returns -1.
 */
int cca_probe(const struct kvm_ops *ops, int kvm_fd, bool want_set,
	      enum host_abi want, struct cca_host *host);

/*
 * Create the realm VM for b (its plan, params and guest memory) and run
 * every plan operation a VMM issues, up to the point where the first
 * KVM_RUN starts the realm.  rv->ops and rv->host must be set.  On
 * failure prints one line, releases what it made and returns -1.
 */
int realm_vm_prepare(struct realm_vm *rv, struct boot *b);
int realm_backend_v10(struct realm_vm *rv);	/* multiplexed series */
int realm_backend_rmi(struct realm_vm *rv);	/* v12, v13, v14 */
/* Map every vCPU's kvm_run area (not needed by the recording tests). */
int realm_vm_map_runs(struct realm_vm *rv);
void realm_vm_destroy(struct realm_vm *rv);

/*
 * Read this host's realm capabilities from KVM: IPA limit, SVE maximum
 * VL, breakpoints/watchpoints from ID_AA64DFR0_EL1, PMU counters from
 * PMCR_EL0.N.  Fails (after one line saying why) on a host without
 * /dev/kvm or without a CCA capability.  host may be NULL.
 */
int realm_host_caps(struct host_caps *caps);
int realm_host_caps_ops(const struct kvm_ops *ops, struct host_caps *caps,
			struct cca_host *host);

/*
 * realm_launch() (vmm/launch.h) with another KVM door: the unit tests run
 * the whole launch, vCPU threads included, against the recorder.
 */
int realm_launch_ops(struct boot *b, const struct kvm_ops *ops);

/* Helpers shared by the two backends (realm/backend_common.c). */
int rv_create_vm(struct realm_vm *rv, uint64_t type);
int rv_create_gic(struct realm_vm *rv);
int rv_init_gic(struct realm_vm *rv);
int rv_gmem_memslot(struct realm_vm *rv);
int rv_create_vcpus(struct realm_vm *rv);
int rv_set_rec_regs(struct realm_vm *rv, unsigned int vcpu, uint64_t pc,
		    const uint64_t gprs[8]);
int rv_check_plan_recs(struct realm_vm *rv);

#endif
