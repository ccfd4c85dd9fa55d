/*
 * Host profiles: which out-of-tree CCA KVM series realmvm follows, and what
 * that series lets a VMM choose.  The plan builder and the backends read
 * their behaviour from here instead of testing version numbers ad hoc.
 */
#ifndef REALMVM_HOST_PROFILE_H
#define REALMVM_HOST_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum host_abi {
	HOST_CCA_V10,	/* multiplexed KVM_CAP_ARM_RME, series v5..v11, RMM 1.0 */
	HOST_CCA_V12,	/* KVM_ARM_RMI_POPULATE, KVM does REC/RIPAS, RMM 1.0 */
	HOST_CCA_V14,	/* as v12, RMM 2.0: RIPAS is not measured */
	HOST_ABI_COUNT,
};

#define HOST_ABI_DEFAULT HOST_CCA_V14

struct host_profile {
	enum host_abi abi;
	const char *name;		/* "cca-v10" ... */
	bool can_set_hash;		/* CONFIG(HASH_ALGO) exists */
	bool can_set_rpv;		/* CONFIG(RPV) exists */
	bool can_set_pmu;		/* PMU counters can be given to a realm */
	bool lpa2_from_host;		/* flags.LPA2 follows the host, not the VMM */
	bool can_set_lpa2;		/* the VMM may ask for flags.LPA2 */
	bool ripas_measured;		/* RMM 1.0 INIT_RIPAS extends the RIM */
	bool vmm_drives_ripas;		/* VMM issues INIT_RIPAS (v10) vs KVM */
	bool kvm_creates_recs;		/* RECs made by KVM at first KVM_RUN */
	bool ripas_skip_hack;		/* v12/v13 skip populated pages 4K at a time */
};

/*
 * Host capabilities that feed REALM_CREATE: read from KVM on a CCA host,
 * from --host-config FILE elsewhere, or the documented defaults.
 * Values are counts/bits as a user writes them, not RMM encodings.
 */
struct host_caps {
	unsigned int ipa_bits;		/* largest IPA size the RMM accepts */
	unsigned int num_bps;		/* breakpoints (count) */
	unsigned int num_wps;		/* watchpoints (count) */
	unsigned int sve_max_vl;	/* bits; 0 = no SVE */
	unsigned int pmu_num_ctrs;	/* 0 = no PMU */
	bool lpa2;
	enum host_abi profile;		/* the host= key: the host's profile */
	unsigned int given;		/* HOST_KEY_* a file or KVM set */
};

/* Bits of host_caps.given, one per key of the file format. */
#define HOST_KEY_IPA_BITS	(1u << 0)
#define HOST_KEY_NUM_BPS	(1u << 1)
#define HOST_KEY_NUM_WPS	(1u << 2)
#define HOST_KEY_SVE_MAX_VL	(1u << 3)
#define HOST_KEY_PMU_COUNTERS	(1u << 4)
#define HOST_KEY_LPA2		(1u << 5)
#define HOST_KEY_HOST		(1u << 6)
#define HOST_KEY_ALL		((1u << 7) - 1)

const struct host_profile *host_profile_get(enum host_abi abi);
/* Look a profile up by its name; NULL if unknown. */
const struct host_profile *host_profile_by_name(const char *name);

/* Defaults used when neither KVM nor --host-config says otherwise. */
void host_caps_default(struct host_caps *caps);
/*
 * Parse key=value lines (host, ipa_bits, num_bps, num_wps, sve_max_vl,
 * pmu_counters, lpa2; '#' comments).  Unknown keys and bad values are
 * errors naming the line.  Every key read is added to caps->given.
 */
int host_caps_parse(const char *text, size_t len, const char *origin,
		    struct host_caps *caps);
int host_caps_load(const char *path, struct host_caps *caps);
/* The same format, for `realmvm caps`: host= only when given. */
void host_caps_print(const struct host_caps *caps, FILE *out);
/*
 * A launch given --host-config FILE checks it against what KVM reports
 * (kvm): every capability the dry run would use, from the file or its
 * defaults, must be the host's, and host= (if given) its profile.
 * Otherwise one line names the first that differs; -1.
 */
int host_caps_check(const struct host_caps *file, const char *origin,
		    const struct host_caps *kvm);

#endif
