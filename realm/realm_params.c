/*
 * REALM_CREATE parameters from the realm config and the host's
 * capabilities.  Anything the chosen host profile cannot honour is an
 * error rather than silently dropped: a realm that starts with other
 * parameters than the user asked for has another RIM.  Each error names
 * what refused (the profile, or the capability and where it came from)
 * and how to choose otherwise.
 */
#include <stdio.h>
#include <string.h>

#include "realm/plan.h"
#include "realm/rim.h"
#include "vmm/util.h"

#define HINT_MAX	256

/* "cca-v14 (the default)" or "cca-v10" */
static const char *profile_label(const struct realm_config *cfg,
				 const struct host_profile *prof)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s", prof->name,
		 cfg->host_set ? "" :
		 cfg->caps_origin == CAPS_KVM ? " (found on this host)" :
		 " (the default)");
	return buf;
}

/* "--host cca-v10 or cca-v12": the profiles for which can() holds. */
static const char *profiles_that(bool (*can)(const struct host_profile *))
{
	static char buf[64];
	const struct host_profile *p;
	size_t len = 0;
	int abi, n = 0;

	buf[0] = '\0';
	for (abi = 0; abi < HOST_ABI_COUNT; abi++) {
		p = host_profile_get((enum host_abi)abi);
		if (!p || !can(p))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					n ? " or " : "--host ", p->name);
		n++;
		if (len >= sizeof(buf))
			break;
	}
	return buf;
}

static bool can_hash(const struct host_profile *p) { return p->can_set_hash; }
static bool can_rpv(const struct host_profile *p) { return p->can_set_rpv; }
static bool can_pmu(const struct host_profile *p) { return p->can_set_pmu; }
static bool can_lpa2(const struct host_profile *p)
{
	return p->can_set_lpa2 || p->lpa2_from_host;
}

/* A profile refuses opt: name it and the profiles that would not. */
static int profile_refuses(const struct realm_config *cfg,
			   const struct host_profile *prof, const char *opt,
			   const char *why,
			   bool (*can)(const struct host_profile *))
{
	return pr_err("%s: host profile %s %s (choose one that can with %s)",
		      opt, profile_label(cfg, prof), why, profiles_that(can));
}

/* Where key=val came from, and how to give other host capabilities. */
static const char *caps_hint(const struct realm_config *cfg, const char *key,
			     unsigned int val)
{
	static char buf[HINT_MAX];

	switch (cfg->caps_origin) {
	case CAPS_FILE:
		snprintf(buf, sizeof(buf),
			 "host config %s has %s=%u; edit it, or write it with `realmvm caps` on the target host",
			 cfg->caps_path, key, val);
		break;
	case CAPS_KVM:
		snprintf(buf, sizeof(buf),
			 "this host's KVM reports %s=%u; `realmvm caps` lists what it offers",
			 key, val);
		break;
	default:
		snprintf(buf, sizeof(buf),
			 "the built-in host capabilities have %s=%u; describe the target host with --host-config FILE, from `realmvm caps` on it",
			 key, val);
		break;
	}
	return buf;
}

static int count_param(const struct realm_config *cfg, const char *what,
		       const char *opt, const char *key, bool set,
		       unsigned int user, unsigned int host, uint8_t *enc)
{
	unsigned int n = set ? user : host;

	if (host < 2)
		return pr_err("host reports %u %s; a realm needs at least 2 (%s)",
			      host, what, caps_hint(cfg, key, host));
	if (n < 2 || n > host)
		return pr_err("%s %u: must be 2..%u on this host (%s)", opt, n,
			      host, caps_hint(cfg, key, host));
	*enc = n - 1;		/* like ID_AA64DFR0_EL1.BRPs/WRPs */
	return 0;
}

static int lpa2_param(const struct realm_config *cfg,
		      const struct host_caps *caps,
		      const struct host_profile *prof, uint64_t *flags)
{
	if (prof->lpa2_from_host) {
		if (cfg->lpa2 && !caps->lpa2)
			return pr_err("--lpa2: host profile %s takes LPA2 from the host, which does not use it (%s)",
				      profile_label(cfg, prof),
				      caps_hint(cfg, "lpa2", 0));
		if (caps->lpa2)
			*flags |= REALM_FLAG_LPA2;
		return 0;
	}
	if (!cfg->lpa2)
		return 0;
	if (!prof->can_set_lpa2)
		return profile_refuses(cfg, prof, "--lpa2",
				       "never enables LPA2 for a realm",
				       can_lpa2);
	if (!caps->lpa2)
		return pr_err("--lpa2: the host does not support LPA2 (%s)",
			      caps_hint(cfg, "lpa2", 0));
	*flags |= REALM_FLAG_LPA2;
	return 0;
}

static int sve_param(const struct realm_config *cfg,
		     const struct host_caps *caps, struct realm_params *p)
{
	if (!cfg->sve_vl_set || !cfg->sve_vl)
		return 0;
	if (cfg->sve_vl % 128 || cfg->sve_vl > 2048)
		return pr_err("--sve-vl %u: not a multiple of 128 in 128..2048",
			      cfg->sve_vl);
	if (!caps->sve_max_vl)
		return pr_err("--sve-vl %u: the host has no SVE for realms (%s)",
			      cfg->sve_vl, caps_hint(cfg, "sve_max_vl", 0));
	if (cfg->sve_vl > caps->sve_max_vl)
		return pr_err("--sve-vl %u: the host allows at most %u (%s)",
			      cfg->sve_vl, caps->sve_max_vl,
			      caps_hint(cfg, "sve_max_vl", caps->sve_max_vl));
	p->flags |= REALM_FLAG_SVE;
	p->sve_vl = cfg->sve_vl / 128 - 1;
	return 0;
}

static int pmu_param(const struct realm_config *cfg,
		     const struct host_caps *caps,
		     const struct host_profile *prof, struct realm_params *p)
{
	if (cfg->pmu && !cfg->pmu_counters_set) {
		/* lkvm's --pmu: the PMU as the host offers it */
		if (!prof->can_set_pmu)
			return profile_refuses(cfg, prof, "--pmu",
					       "gives realms no PMU", can_pmu);
		if (!caps->pmu_num_ctrs)
			return pr_err("--pmu: the host has no PMU counters for realms (%s)",
				      caps_hint(cfg, "pmu_counters", 0));
		p->flags |= REALM_FLAG_PMU;
		p->pmu_num_ctrs = caps->pmu_num_ctrs;
		return 0;
	}
	if (!cfg->pmu_counters_set || !cfg->pmu_counters)
		return 0;
	if (!prof->can_set_pmu)
		return profile_refuses(cfg, prof, "--pmu-counters",
				       "gives realms no PMU", can_pmu);
	if (cfg->pmu_counters > caps->pmu_num_ctrs)
		return pr_err("--pmu-counters %u: the host allows at most %u (%s)",
			      cfg->pmu_counters, caps->pmu_num_ctrs,
			      caps_hint(cfg, "pmu_counters",
					caps->pmu_num_ctrs));
	p->flags |= REALM_FLAG_PMU;
	p->pmu_num_ctrs = cfg->pmu_counters;
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
		return pr_err("realm needs %u IPA bits but the host allows at most %u (%s)",
			      ipa_bits, caps->ipa_bits,
			      caps_hint(cfg, "ipa_bits", caps->ipa_bits));
	if (ipa_bits < 32)
		return pr_err("realm IPA size %u is below 32 bits", ipa_bits);
	p->s2sz = ipa_bits;

	p->hash_algo = HASH_SHA256;
	if (cfg->hash_algo_set) {
		if (!hash_size(cfg->hash_algo))
			return pr_err("unknown measurement algorithm id %d",
				      (int)cfg->hash_algo);
		if (!prof->can_set_hash && cfg->hash_algo != HASH_SHA256)
			return profile_refuses(cfg, prof,
					       "--measurement-algo sha512",
					       "cannot select the measurement algorithm: only sha256",
					       can_hash);
		p->hash_algo = cfg->hash_algo;
	}

	if (cfg->rpv_set) {
		if (!prof->can_set_rpv)
			return profile_refuses(cfg, prof, "--realm-pv",
					       "cannot set a realm personalization value",
					       can_rpv);
		memcpy(p->rpv, cfg->rpv, RPV_SIZE);
	}

	if (sve_param(cfg, caps, p) || pmu_param(cfg, caps, prof, p))
		return -1;

	if (count_param(cfg, "breakpoints", "--num-bps", "num_bps",
			cfg->num_bps_set, cfg->num_bps, caps->num_bps,
			&p->num_bps) ||
	    count_param(cfg, "watchpoints", "--num-wps", "num_wps",
			cfg->num_wps_set, cfg->num_wps, caps->num_wps,
			&p->num_wps))
		return -1;

	if (lpa2_param(cfg, caps, prof, &p->flags))
		return -1;
	if (p->s2sz > 48 && !(p->flags & REALM_FLAG_LPA2))
		return pr_err("realm IPA size %u needs LPA2 (%s)", p->s2sz,
			      caps_hint(cfg, "lpa2", 0));
	return 0;
}
