/*
 * struct config -> struct realm_config: the only file in realm/ that
 * reads the command line's configuration, so that the CLI can change its
 * spellings without realm/ noticing, and realm types stay out of vmm/.
 */
#include <string.h>

#include "realm/realm_config.h"
#include "vmm/util.h"

int realm_config_from(const struct config *cfg, struct realm_config *rc)
{
	const struct host_profile *prof;

	memset(rc, 0, sizeof(*rc));
	rc->ram_size = cfg->ram_size;
	rc->nr_cpus = cfg->nr_cpus;

	rc->host = HOST_ABI_DEFAULT;
	/* --host all: predict_pick_first_host() sets rc->host */
	rc->host_set = cfg->host_all;
	if (cfg->host_name) {
		prof = host_profile_by_name(cfg->host_name);
		if (!prof)
			return pr_err("unknown --host '%s' (cca-v10, cca-v12, cca-v14 or all)",
				      cfg->host_name);
		rc->host = prof->abi;
		rc->host_set = true;
	}

	rc->hash_algo = HASH_SHA256;
	if (cfg->measurement_algo) {
		if (!strcmp(cfg->measurement_algo, "sha256"))
			rc->hash_algo = HASH_SHA256;
		else if (!strcmp(cfg->measurement_algo, "sha512"))
			rc->hash_algo = HASH_SHA512;
		else
			return pr_err("invalid --measurement-algo '%s' (sha256 or sha512)",
				      cfg->measurement_algo);
		rc->hash_algo_set = true;
	}

	_Static_assert(sizeof(rc->rpv) == sizeof(cfg->rpv), "RPV sizes differ");
	memcpy(rc->rpv, cfg->rpv, sizeof(rc->rpv));
	rc->rpv_set = cfg->rpv_set;
	rc->sve_vl = cfg->sve_vl;
	rc->sve_vl_set = cfg->sve_vl_set;
	rc->pmu_counters = cfg->pmu_counters;
	rc->pmu_counters_set = cfg->pmu_counters_set;
	rc->num_bps = cfg->num_bps;
	rc->num_bps_set = cfg->num_bps_set;
	rc->num_wps = cfg->num_wps;
	rc->num_wps_set = cfg->num_wps_set;
	rc->lpa2 = cfg->lpa2;
	rc->pmu = cfg->pmu;

	if (cfg->host_config_path) {
		rc->caps_origin = CAPS_FILE;
		rc->caps_path = cfg->host_config_path;
	} else if (cfg->realm && !cfg->dry_run) {
		rc->caps_origin = CAPS_KVM;
	} else {
		rc->caps_origin = CAPS_BUILTIN;
	}
	return 0;
}
