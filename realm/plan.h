/*
 * The realm plan: the ordered list of every operation the RMM can see for
 * one launch under one host profile.  It is built once, then walked by the
 * three consumers - the RIM computation, the event log writer and the KVM
 * backend - so none of them can disagree about what happens or in what
 * order.  Never compute a measurement from anything but a plan.
 */
#ifndef REALMVM_PLAN_H
#define REALMVM_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "realm/host_profile.h"
#include "realm/realm_config.h"

struct layout;
struct guest_mem;

/* Parameters of RMI_REALM_CREATE in RMM encoding (what is measured). */
struct realm_params {
	uint64_t flags;		/* bit0 LPA2, bit1 SVE, bit2 PMU */
	uint8_t s2sz;
	uint8_t sve_vl;		/* VQ - 1 */
	uint8_t num_bps;	/* count - 1 */
	uint8_t num_wps;	/* count - 1 */
	uint8_t pmu_num_ctrs;
	uint8_t hash_algo;	/* enum hash_algo */
	uint8_t rpv[RPV_SIZE];	/* not measured; reported in the token */
};

#define REALM_FLAG_LPA2		(1ULL << 0)
#define REALM_FLAG_SVE		(1ULL << 1)
#define REALM_FLAG_PMU		(1ULL << 2)
#define REC_FLAG_RUNNABLE	(1ULL << 0)

enum plan_kind {
	PLAN_CREATE,		/* RMI_REALM_CREATE */
	PLAN_RIPAS_CALL,	/* a host INIT_RIPAS request (not measured) */
	PLAN_RIPAS,		/* one RTT entry the RMM set to RAM (measured under RMM 1.0) */
	PLAN_DATA,		/* one populate call: one DATA per 4 KiB granule */
	PLAN_REC,		/* RMI_REC_CREATE for one vCPU */
	PLAN_ACTIVATE,		/* RMI_REALM_ACTIVATE (not measured) */
};

/* What a populated range holds, for the event log. */
enum blob_kind {
	BLOB_NONE,
	BLOB_KERNEL,
	BLOB_INITRD,
	BLOB_DTB,
	BLOB_LOG,
	BLOB_FIRMWARE,
};

struct plan_op {
	enum plan_kind kind;
	/* Done by KVM inside the first KVM_RUN (v12+), not by a VMM ioctl. */
	bool by_kvm;
	union {
		/* PLAN_RIPAS_CALL and PLAN_RIPAS: [base, top) */
		struct {
			uint64_t base;
			uint64_t top;
		} ripas;
		/* PLAN_DATA: [ipa, ipa+size), size a multiple of 4 KiB */
		struct {
			uint64_t ipa;
			uint64_t size;
			bool measure;
			enum blob_kind blob;
			uint64_t blob_ipa;	/* exact blob bytes, for the log */
			uint64_t blob_size;
		} data;
		/* PLAN_REC */
		struct {
			unsigned int vcpu;
			uint64_t mpidr;		/* not measured */
			uint64_t flags;
			uint64_t pc;
			uint64_t gprs[8];
		} rec;
	};
};

struct plan {
	const struct host_profile *profile;
	struct realm_params params;
	struct plan_op *ops;
	size_t nr_ops;
	size_t cap;
};

/*
 * Derive REALM_CREATE parameters from the realm config and host
 * capabilities for the chosen profile.  Rejects, with a one-line error
 * naming the profile or host capability and how to choose another,
 * anything the host cannot honour (e.g. sha512 on cca-v14) instead of
 * ignoring it.
 */
int realm_params_from_config(const struct realm_config *cfg,
			     const struct host_caps *caps,
			     const struct host_profile *prof,
			     unsigned int ipa_bits,
			     struct realm_params *params);

/*
 * Build the whole plan for a realm whose images are already in guest
 * memory at the places the layout gives.  Populated ranges are the blobs
 * rounded out to 4 KiB granules.
 */
int plan_build(const struct realm_config *cfg, const struct layout *lay,
	       const struct host_profile *prof,
	       const struct realm_params *params, struct plan *plan);
void plan_free(struct plan *plan);

/* Append one op verbatim. */
int plan_push(struct plan *plan, const struct plan_op *op);

/*
 * Step-by-step builders.  plan_build() is made of these, and `log verify`
 * uses the same ones to rebuild a plan from an event log, so a replay can
 * only reach the RIM a launch would.
 *
 * plan_begin() records the profile and params and appends CREATE.
 * plan_add_ripas() appends a RIPAS_CALL for [base, top) and then the RTT
 * entries the RMM would measure for it, split exactly as the host's
 * stage-2 walk would, given the DATA ops already in the plan (none for
 * RMM 2.0 profiles, where INIT_RIPAS is not measured).
 */
void plan_begin(struct plan *plan, const struct host_profile *prof,
		const struct realm_params *params, bool create_by_kvm);
int plan_add_data(struct plan *plan, uint64_t ipa, uint64_t size,
		  bool measure, enum blob_kind blob, uint64_t blob_ipa,
		  uint64_t blob_size);
int plan_add_ripas(struct plan *plan, uint64_t base, uint64_t top,
		   bool by_kvm);
int plan_add_rec(struct plan *plan, unsigned int vcpu, uint64_t mpidr,
		 uint64_t flags, uint64_t pc, const uint64_t gprs[8],
		 bool by_kvm);
int plan_add_activate(struct plan *plan, bool by_kvm);

/* KVM's default MPIDR for a vCPU index (Aff0 = id & 0xf, Aff1 = id >> 4). */
uint64_t vcpu_mpidr(unsigned int vcpu);

const char *blob_kind_name(enum blob_kind kind);	/* "KERNEL", ... */

#endif
