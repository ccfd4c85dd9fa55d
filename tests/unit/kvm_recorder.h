/*
 * A fake KVM for the realm backend tests: a struct kvm_ops whose ioctl
 * records every call with a copy of what it pointed to, and answers with
 * plausible values for a configurable host series.  No CCA hardware is
 * available, so the backends are tested at this ioctl boundary.
 */
#ifndef REALMVM_TEST_KVM_RECORDER_H
#define REALMVM_TEST_KVM_RECORDER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "realm/kvm_ops.h"

#define REC_MAX_DATA	320

struct rec_call {
	int fd;
	unsigned long req;
	unsigned long arg;		/* the raw argument */
	uint8_t data[REC_MAX_DATA];	/* *arg, _IOC_SIZE(req) bytes */
	uint8_t sub[REC_MAX_DATA];	/* what a pointer in *arg held */
	size_t sub_len;
	int ret;			/* what the fake KVM returned */
};

struct kvm_recorder {
	struct kvm_ops ops;
	struct rec_call *calls;
	size_t nr_calls, cap_calls;
	int next_fd;
	int kvm_fd, vm_fd, gic_fd, its_fd;	/* its_fd -1: no ITS */
	bool no_its;			/* KVM refuses an ITS */
	/* the host being faked */
	unsigned int caps[8];		/* capabilities that answer 1 */
	size_t nr_caps;
	int ipa_limit;			/* KVM_CAP_ARM_VM_IPA_SIZE */
	uint64_t dfr0, pmcr;
	uint64_t sve_vls[8];
	/*
	 * KVM_VCPU_MAX_FEATURES of the faked kernel, 0 for no limit: VCPU_INIT
	 * with a feature bit at or past it fails with ENOENT, as arm.c does
	 * (series v5: 7, so its REC bit 8 is refused there).
	 */
	unsigned int vcpu_max_features;
	bool rmi_advance;		/* v13/v14 populate; else v12 */
	uint64_t populate_chunk;	/* bytes KVM does per populate call */
	unsigned long fail_req;		/* fails with fail_errno */
	int fail_errno;
	/* KVM_RUN: the exit every vCPU reports (mapped kvm_run areas) */
	uint32_t run_exit_reason;
	uint32_t run_event_type;
	struct { int fd; void *run; } maps[64];
	size_t nr_maps;
	pthread_mutex_t lock;		/* vCPU threads call at once */
};

void recorder_init(struct kvm_recorder *r);
void recorder_free(struct kvm_recorder *r);
/* Nth recorded call, or NULL past the end. */
const struct rec_call *recorder_call(const struct kvm_recorder *r, size_t n);

#endif

/* ---- A small realm for the backend tests ---- */

#include "vmm/boot.h"

struct realm_fixture {
	struct config cfg;
	struct boot b;
	struct kvm_recorder rec;
};

/*
 * A 64 MiB realm with nr_cpus vCPUs, a kernel, an initrd, a DTB and an
 * event log laid out by layout_compute() and planned by plan_build() for
 * profile abi with params.  Guest memory is real (the populate source).
 */
void realm_fixture_init(struct realm_fixture *f, enum host_abi abi,
		  unsigned int nr_cpus, const struct realm_params *params);
void realm_fixture_free(struct realm_fixture *f);

/* Assert that call *i is req on fd, return it and step *i. */
const struct rec_call *kr_expect_call(const struct kvm_recorder *r, size_t *i,
				   int fd, unsigned long req);
/* Assert the ITS creation attempt (and its address when KVM has one). */
void kr_expect_its(const struct kvm_recorder *r, size_t *i);
/* Assert a KVM_SET_ONE_REG of id with the 64-bit value val. */
void kr_expect_set_reg(const struct kvm_recorder *r, size_t *i, int fd,
		    uint64_t id, uint64_t val);
struct plan_op;
/* Assert the KVM_SET_ONE_REG calls that give a REC op's x0-x7 and PC. */
void kr_expect_rec_regs(const struct kvm_recorder *r, size_t *i, int fd,
			const struct plan_op *op);

/* What the implicit-series (v12..v14) sequence check expects. */
struct rmi_expect {
	uint64_t vm_type_bits;		/* 1 << 8 or 1 << 30 */
	unsigned long populate_req;	/* _IOW or _IOWR 0xd7 */
	uint32_t vcpu_features;		/* + POWER_OFF on secondaries */
	size_t nr_probes;		/* CHECK_EXTENSION calls before it */
	bool pmu;
	bool dfr0_set;			/* the plan's counts differ */
};

/*
 * Assert the whole recorded sequence of an implicit-series launch, walking
 * the plan: memory attributes and populate loop per DATA op, registers per
 * REC op, nothing for by_kvm ops.  Returns the number of populate calls.
 */
size_t check_rmi_sequence(struct realm_fixture *f, const int *vcpu_fd,
			  int gmem_fd, const struct rmi_expect *e);
