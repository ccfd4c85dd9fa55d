/*
 * REALM_CREATE parameters from the configuration and the host's
 * capabilities.  Anything the chosen host profile cannot honour is an
 * error rather than silently dropped: a realm that starts with other
 * parameters than the user asked for has another RIM.
 */
#include <string.h>

#include "realm/plan.h"
#include "realm/rim.h"
#include "vmm/util.h"

static int count_param(const char *what, const char *opt, bool set,
		       unsigned int user, unsigned int host, uint8_t *enc)
{
	unsigned int n = set ? user : host;

	if (host < 2)
		return pr_err("host reports %u %s; a realm needs at least 2",
			      host, what);
	if (n < 2 || n > host)
		return pr_err("%s %u: must be 2..%u on this host", opt, n,
			      host);
	*enc = n - 1;		/* like ID_AA64DFR0_EL1.BRPs/WRPs */
	return 0;
}

static int lpa2_param(const struct realm_config *cfg, const struct host_caps *caps,
		      const struct host_profile *prof, uint64_t *flags)
{
	if (prof->lpa2_from_host) {
		if (cfg->lpa2 && !caps->lpa2)
			return pr_err("--lpa2: %s takes LPA2 from the host, which does not use it",
				      prof->name);
		if (caps->lpa2)
			*flags |= REALM_FLAG_LPA2;
		return 0;
	}
	if (!cfg->lpa2)
		return 0;
	if (!prof->can_set_lpa2)
		return pr_err("--lpa2: %s never enables LPA2 for a realm",
			      prof->name);
	if (!caps->lpa2)
		return pr_err("--lpa2: the host does not support LPA2");
	*flags |= REALM_FLAG_LPA2;
	return 0;
}

int realm_params_from_config(const struct realm_config *cfg,
			     const struct host_caps *caps,
			     const struct host_profile *prof,
			     unsigned int ipa_bits,
			     struct realm_params *p)
{
	memset(p, 0, sizeof(*p));

	if (ipa_bits > caps->ipa_bits)
		return pr_err("realm needs %u IPA bits but the host allows at most %u",
			      ipa_bits, caps->ipa_bits);
	if (ipa_bits < 32)
		return pr_err("realm IPA size %u is below 32 bits", ipa_bits);
	p->s2sz = ipa_bits;

	p->hash_algo = HASH_SHA256;
	if (cfg->hash_algo_set) {
		if (!hash_size(cfg->hash_algo))
			return pr_err("unknown measurement algorithm id %d",
				      (int)cfg->hash_algo);
		if (!prof->can_set_hash && cfg->hash_algo != HASH_SHA256)
			return pr_err("%s cannot select the measurement algorithm: only sha256",
				      prof->name);
		p->hash_algo = cfg->hash_algo;
	}

	if (cfg->rpv_set) {
		if (!prof->can_set_rpv)
			return pr_err("%s cannot set a realm personalization value",
				      prof->name);
		memcpy(p->rpv, cfg->rpv, RPV_SIZE);
	}

	if (cfg->sve_vl_set && cfg->sve_vl) {
		if (cfg->sve_vl % 128 || cfg->sve_vl > 2048)
			return pr_err("--sve-vl %u: not a multiple of 128 in 128..2048",
				      cfg->sve_vl);
		if (!caps->sve_max_vl)
			return pr_err("--sve-vl %u: the host has no SVE for realms",
				      cfg->sve_vl);
		if (cfg->sve_vl > caps->sve_max_vl)
			return pr_err("--sve-vl %u: the host allows at most %u",
				      cfg->sve_vl, caps->sve_max_vl);
		p->flags |= REALM_FLAG_SVE;
		p->sve_vl = cfg->sve_vl / 128 - 1;
	}

	if (cfg->pmu_counters_set && cfg->pmu_counters) {
		if (!prof->can_set_pmu)
			return pr_err("--pmu-counters: %s gives realms no PMU",
				      prof->name);
		if (cfg->pmu_counters > caps->pmu_num_ctrs)
			return pr_err("--pmu-counters %u: the host allows at most %u",
				      cfg->pmu_counters, caps->pmu_num_ctrs);
		p->flags |= REALM_FLAG_PMU;
		p->pmu_num_ctrs = cfg->pmu_counters;
	}

	if (count_param("breakpoints", "--num-bps", cfg->num_bps_set,
			cfg->num_bps, caps->num_bps, &p->num_bps) ||
	    count_param("watchpoints", "--num-wps", cfg->num_wps_set,
			cfg->num_wps, caps->num_wps, &p->num_wps))
		return -1;

	if (lpa2_param(cfg, caps, prof, &p->flags))
		return -1;
	if (p->s2sz > 48 && !(p->flags & REALM_FLAG_LPA2))
		return pr_err("realm IPA size %u needs LPA2", p->s2sz);
	return 0;
}
