/*
 * Predictions for one or all host profiles.  Every RIM comes from
 * plan_build() and boot_measure_plans(), the builders and walker a launch
 * uses: --host all only builds more plans over the images boot_prepare()
 * loaded once.  Which profiles "the options allow" is what each profile
 * can honour: a measurement algorithm, an RPV, PMU counters, LPA2.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arm64/layout.h"
#include "attest/comid_json.h"
#include "attest/corim.h"
#include "attest/cose_sign.h"
#include "realm/hash_algos.h"
#include "vmm/boot.h"
#include "vmm/out_file.h"
#include "vmm/predict.h"
#include "vmm/util.h"

static bool profile_allows(const struct host_profile *prof,
			   const struct realm_config *rc)
{
	if (rc->hash_algo_set && rc->hash_algo != HASH_SHA256 &&
	    !prof->can_set_hash)
		return false;
	if (rc->rpv_set && !prof->can_set_rpv)
		return false;
	if (((rc->pmu_counters_set && rc->pmu_counters) || rc->pmu) &&
	    !prof->can_set_pmu)
		return false;
	if (rc->lpa2 && !prof->can_set_lpa2)
		return false;
	return true;
}

int predict_pick_first_host(struct realm_config *rc)
{
	unsigned int abi;

	for (abi = 0; abi < HOST_ABI_COUNT; abi++) {
		if (profile_allows(host_profile_get(abi), rc)) {
			rc->host = abi;
			return 0;
		}
	}
	return pr_err("--host all: no host series allows these realm options");
}

int predict_rims(const struct config *cfg, struct boot *b,
		 rim_step_fn step, void *opaque, struct prediction *pr)
{
	struct plan extra[HOST_ABI_COUNT];
	const struct plan *plans[HOST_ABI_COUNT];
	struct realm_config one;
	unsigned int abi;
	size_t i, nr_extra = 0;
	int ret = -1;

	memset(pr, 0, sizeof(*pr));
	memset(extra, 0, sizeof(extra));
	pr->prof[0] = b->profile;
	pr->params[0] = b->params;
	plans[0] = &b->plan;
	pr->n = 1;
	for (abi = 0; cfg->host_all && abi < HOST_ABI_COUNT; abi++) {
		const struct host_profile *prof = host_profile_get(abi);

		if (prof == b->profile || !profile_allows(prof, &b->realm))
			continue;
		one = b->realm;
		one.host = abi;
		if (realm_params_from_config(&one, &b->caps, prof,
					     b->lay.ipa_bits,
					     &pr->params[pr->n]) ||
		    plan_build(&one, &b->lay, prof, &pr->params[pr->n],
			       &extra[nr_extra]))
			goto out;
		pr->prof[pr->n] = prof;
		plans[pr->n++] = &extra[nr_extra++];
	}
	ret = boot_measure_plans(b, plans, pr->n, step, opaque, pr->rim);
out:
	for (i = 0; i < nr_extra; i++)
		plan_free(&extra[i]);
	return ret;
}

/* One record per distinct RIM: profiles that agree share a record. */
static int to_refvals(const struct config *cfg, const struct prediction *pr,
		      struct corim_refval *rv, size_t *n)
{
	const struct hash_algo_info *algo;
	size_t i, j;
	unsigned int r;

	*n = 0;
	for (i = 0; i < pr->n; i++) {
		algo = hash_algo_by_rmm(pr->params[i].hash_algo);
		if (!algo)
			return pr_err("internal error: no hash algorithm %d",
				      (int)pr->params[i].hash_algo);
		for (j = 0; j < *n; j++)
			if (rv[j].algo == algo &&
			    !memcmp(rv[j].rim, pr->rim[i], algo->size))
				break;
		if (j < *n)
			continue;
		memset(&rv[*n], 0, sizeof(rv[*n]));
		rv[*n].algo = algo;
		memcpy(rv[*n].rim, pr->rim[i], algo->size);
		if (cfg->rpv_set) {
			rv[*n].has_rpv = true;
			memcpy(rv[*n].rpv, pr->params[i].rpv, RPV_SIZE);
		}
		for (r = 0; r < CORIM_NR_REMS; r++) {
			if (!(cfg->corim_rem_mask & (1U << r)))
				continue;
			if (cfg->corim_rem_len[r] != algo->size)
				return pr_err("--corim-rem %u has %zu bytes but the realm measures with %s (%zu bytes)",
					      r, cfg->corim_rem_len[r],
					      algo->name, algo->size);
			memcpy(rv[*n].rem[r], cfg->corim_rem[r], algo->size);
			rv[*n].rem_mask |= 1U << r;
		}
		(*n)++;
	}
	return 0;
}

int predict_write_refvals(const struct config *cfg,
			  const struct prediction *pr)
{
	struct corim_refval rv[HOST_ABI_COUNT];
	struct corim_params p;
	struct corim_signing sign = {
		.key_path = cfg->corim_key,
		.signer = cfg->corim_signer ? cfg->corim_signer : "realmvm",
		.cert_path = cfg->corim_cert,
	};
	uint8_t *corim = NULL, *signed_corim = NULL;
	size_t n, len, signed_len;
	int ret = -1;

	if (!cfg->corim_out && !cfg->comid_json_out)
		return 0;
	memset(&p, 0, sizeof(p));
	p.profile = (enum corim_profile)cfg->corim_profile;
	if (to_refvals(cfg, pr, rv, &n) || corim_derive_ids(&p, rv, n))
		return -1;
	if (cfg->corim_out) {
		if (corim_encode(&p, rv, n, &corim, &len))
			goto out;
		if (cfg->corim_key) {
			if (cose_sign_corim(corim, len, &sign, &signed_corim,
					    &signed_len))
				goto out;
			free(corim);
			corim = signed_corim;
			len = signed_len;
		}
	}
	/* Encode and sign first, so that a failure writes nothing. */
	if (cfg->comid_json_out && comid_json_write(cfg->comid_json_out, &p,
						    rv, n))
		goto out;
	if (cfg->corim_out && write_file_atomic(cfg->corim_out, corim, len)) {
		if (cfg->comid_json_out)
			unlink(cfg->comid_json_out);
		goto out;
	}
	ret = 0;
out:
	free(corim);
	return ret;
}
