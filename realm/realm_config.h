/*
 * What a realm takes from the VM configuration.  struct config is filled
 * by the command line and knows no realm types; realm_config_from() is the
 * one place that turns its realm options (names as typed, plain numbers)
 * into the host profile and hash algorithm that realm/ works with.  Every
 * other file in realm/ reads struct realm_config, never struct config.
 */
#ifndef REALMVM_REALM_CONFIG_H
#define REALMVM_REALM_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "realm/host_profile.h"
#include "vmm/config.h"		/* MAX_VCPUS, RPV_SIZE: plain limits */

enum hash_algo {
	HASH_SHA256 = 0,	/* RmiHashAlgorithm encoding */
	HASH_SHA512 = 1,
};

/* Where the host capabilities come from, for errors that show the way out. */
enum caps_origin {
	CAPS_BUILTIN,		/* host_caps_default(): a dry run without a file */
	CAPS_FILE,		/* --host-config FILE */
	CAPS_KVM,		/* a launch asks this host's KVM */
};

struct realm_config {
	uint64_t ram_size;		/* bytes */
	unsigned int nr_cpus;
	enum host_abi host;
	bool host_set;			/* --host given: do not probe */
	enum hash_algo hash_algo;
	bool hash_algo_set;
	uint8_t rpv[RPV_SIZE];		/* zero-padded */
	bool rpv_set;
	unsigned int sve_vl;		/* bits; 0 = SVE off */
	bool sve_vl_set;
	unsigned int pmu_counters;
	bool pmu_counters_set;
	unsigned int num_bps;		/* counts, not RMM encodings */
	bool num_bps_set;
	unsigned int num_wps;
	bool num_wps_set;
	bool lpa2;
	bool pmu;			/* --pmu: every counter the host allows */
	enum caps_origin caps_origin;
	const char *caps_path;		/* CAPS_FILE: the file */
};

/*
 * Resolve cfg's realm options: --host and --measurement-algo by name.
 * A name not understood is a one-line usage error naming the option.
 * Without --host the profile is HOST_ABI_DEFAULT (a launch may later
 * replace it with what KVM reports).
 */
int realm_config_from(const struct config *cfg, struct realm_config *rc);

#endif
