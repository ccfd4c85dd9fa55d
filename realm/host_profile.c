/*
 * The host profiles and host capabilities.  Each profile records what one
 * family of the out-of-tree CCA KVM series lets a VMM choose and how it
 * drives the RMM (see docs/rim.md and the references it cites), so that
 * the rest of realmvm asks a question instead of testing a version.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "realm/host_profile.h"
#include "vmm/util.h"

static const struct host_profile profiles[HOST_ABI_COUNT] = {
	/* Host series v5..v11 with RMM 1.0: the VMM drives every step. */
	[HOST_CCA_V10] = {
		.abi = HOST_CCA_V10,
		.name = "cca-v10",
		.can_set_hash = true,
		.can_set_rpv = true,
		.can_set_pmu = true,
		.lpa2_from_host = false,
		.can_set_lpa2 = true,
		.ripas_measured = true,
		.vmm_drives_ripas = true,
		.kvm_creates_recs = false,
		.ripas_skip_hack = false,
	},
	/*
	 * v12 with RMM 1.0: the params page is zeroed (SHA-256, no RPV, LPA2
	 * never set); RECs, INIT_RIPAS (with the 4K skip hack) and ACTIVATE
	 * happen inside the first KVM_RUN.
	 */
	[HOST_CCA_V12] = {
		.abi = HOST_CCA_V12,
		.name = "cca-v12",
		.can_set_hash = false,
		.can_set_rpv = false,
		.can_set_pmu = true,
		.lpa2_from_host = false,
		.can_set_lpa2 = false,
		.ripas_measured = true,
		.vmm_drives_ripas = false,
		.kvm_creates_recs = true,
		.ripas_skip_hack = true,
	},
	/* v14 with RMM 2.0: INIT_RIPAS unmeasured, LPA2 from host, no PMU. */
	[HOST_CCA_V14] = {
		.abi = HOST_CCA_V14,
		.name = "cca-v14",
		.can_set_hash = false,
		.can_set_rpv = false,
		.can_set_pmu = false,
		.lpa2_from_host = true,
		.can_set_lpa2 = false,
		.ripas_measured = false,
		.vmm_drives_ripas = false,
		.kvm_creates_recs = true,
		.ripas_skip_hack = false,
	},
};

const struct host_profile *host_profile_get(enum host_abi abi)
{
	if ((unsigned int)abi >= HOST_ABI_COUNT)
		return NULL;
	return &profiles[abi];
}

const struct host_profile *host_profile_by_name(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < HOST_ABI_COUNT; i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

/*
 * Like the emulated FVP-style stack of the ground-truth run: 6 breakpoints
 * and 4 watchpoints (raw ID register fields 5 and 3), no SVE, no PMU, no
 * LPA2.  48 IPA bits is what a 4K-granule RMM accepts without LPA2.
 */
void host_caps_default(struct host_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->ipa_bits = 48;
	caps->num_bps = 6;
	caps->num_wps = 4;
	caps->sve_max_vl = 0;
	caps->pmu_num_ctrs = 0;
	caps->lpa2 = false;
}

struct caps_key {
	const char *name;
	unsigned int bit;	/* HOST_KEY_* */
	unsigned int min, max;
	size_t offset;		/* of the field in struct host_caps */
};

static const struct caps_key caps_keys[] = {
	{ "ipa_bits", HOST_KEY_IPA_BITS, 32, 52,
	  offsetof(struct host_caps, ipa_bits) },
	{ "num_bps", HOST_KEY_NUM_BPS, 2, 16,
	  offsetof(struct host_caps, num_bps) },
	{ "num_wps", HOST_KEY_NUM_WPS, 2, 16,
	  offsetof(struct host_caps, num_wps) },
	{ "sve_max_vl", HOST_KEY_SVE_MAX_VL, 0, 2048,
	  offsetof(struct host_caps, sve_max_vl) },
	{ "pmu_counters", HOST_KEY_PMU_COUNTERS, 0, 31,
	  offsetof(struct host_caps, pmu_num_ctrs) },
};

static unsigned int caps_field(const struct host_caps *caps,
			       const struct caps_key *k)
{
	return *(const unsigned int *)((const char *)caps + k->offset);
}

static const char *profile_names(void)
{
	return "cca-v10, cca-v12 or cca-v14";
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int parse_uint(const char *s, unsigned long *val)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*val = strtoul(s, &end, 10);
	if (errno || *end)
		return -1;
	return 0;
}

static int parse_line(char *line, const char *origin, unsigned int lineno,
		      struct host_caps *caps, unsigned int *seen)
{
	const struct host_profile *prof;
	char *eq, *key, *val;
	unsigned long v;
	size_t i;

	eq = strchr(line, '=');
	if (!eq)
		return pr_err("%s:%u: expected key=value", origin, lineno);
	*eq = '\0';
	key = trim(line);
	val = trim(eq + 1);
	if (!strcmp(key, "host")) {
		if (*seen & HOST_KEY_HOST)
			return pr_err("%s:%u: host: given twice", origin,
				      lineno);
		prof = host_profile_by_name(val);
		if (!prof)
			return pr_err("%s:%u: host: unknown profile '%s' (%s)",
				      origin, lineno, val, profile_names());
		caps->profile = prof->abi;
		*seen |= HOST_KEY_HOST;
		return 0;
	}
	if (!strcmp(key, "lpa2")) {
		if (*seen & HOST_KEY_LPA2)
			return pr_err("%s:%u: lpa2: given twice", origin,
				      lineno);
		*seen |= HOST_KEY_LPA2;
		if (!strcmp(val, "1") || !strcmp(val, "true"))
			caps->lpa2 = true;
		else if (!strcmp(val, "0") || !strcmp(val, "false"))
			caps->lpa2 = false;
		else
			return pr_err("%s:%u: lpa2: '%s' is not 0, 1, true or false",
				      origin, lineno, val);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(caps_keys); i++) {
		const struct caps_key *k = &caps_keys[i];

		if (strcmp(key, k->name))
			continue;
		if (*seen & k->bit)
			return pr_err("%s:%u: %s: given twice", origin, lineno,
				      key);
		*seen |= k->bit;
		if (parse_uint(val, &v))
			return pr_err("%s:%u: %s: '%s' is not a decimal number",
				      origin, lineno, key, val);
		if (v < k->min || v > k->max)
			return pr_err("%s:%u: %s: %lu is out of range %u..%u",
				      origin, lineno, key, v, k->min, k->max);
		if (!strcmp(key, "sve_max_vl") && v && (v < 128 || v % 128))
			return pr_err("%s:%u: sve_max_vl: %lu is not 0 or a multiple of 128 in 128..2048",
				      origin, lineno, v);
		*(unsigned int *)((char *)caps + k->offset) = v;
		return 0;
	}
	if (!*key)
		return pr_err("%s:%u: missing key before '='", origin, lineno);
	return pr_err("%s:%u: unknown key '%s'", origin, lineno, key);
}

/* Keys that are absent keep the value caps already holds. */
int host_caps_parse(const char *text, size_t len, const char *origin,
		    struct host_caps *caps)
{
	struct host_caps tmp = *caps;
	unsigned int lineno = 0, seen = 0;
	size_t pos = 0;
	char *line;

	if (memchr(text, '\0', len))
		return pr_err("%s: contains a NUL byte", origin);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *hash, *s;
		int ret = 0;

		lineno++;
		line = strndup(text + pos, n);
		if (!line)
			return pr_err("%s: out of memory", origin);
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		s = trim(line);
		if (*s)
			ret = parse_line(s, origin, lineno, &tmp, &seen);
		free(line);
		if (ret)
			return -1;
		pos += n + (nl ? 1 : 0);
	}
	tmp.given |= seen;
	*caps = tmp;
	return 0;
}

int host_caps_load(const char *path, struct host_caps *caps)
{
	uint8_t *buf;
	size_t len;
	int ret;

	if (read_whole_file(path, "host config", 1 << 20, &buf, &len))
		return -1;
	ret = host_caps_parse((const char *)buf, len, path, caps);
	free(buf);
	return ret;
}

void host_caps_print(const struct host_caps *caps, FILE *out)
{
	if (caps->given & HOST_KEY_HOST)
		fprintf(out, "host=%s\n", host_profile_get(caps->profile)->name);
	fprintf(out, "ipa_bits=%u\n", caps->ipa_bits);
	fprintf(out, "num_bps=%u\n", caps->num_bps);
	fprintf(out, "num_wps=%u\n", caps->num_wps);
	fprintf(out, "sve_max_vl=%u\n", caps->sve_max_vl);
	fprintf(out, "pmu_counters=%u\n", caps->pmu_num_ctrs);
	fprintf(out, "lpa2=%d\n", caps->lpa2 ? 1 : 0);
}

int host_caps_check(const struct host_caps *file, const char *origin,
		    const struct host_caps *kvm)
{
	const char *redo = "write it again on this host with: realmvm caps >";
	size_t i;

	if ((file->given & HOST_KEY_HOST) && file->profile != kvm->profile)
		return pr_err("%s says host=%s but this host runs %s; %s %s",
			      origin, host_profile_get(file->profile)->name,
			      host_profile_get(kvm->profile)->name, redo,
			      origin);
	/* Keys the file leaves out take the dry run's defaults: those too
	 * must be this host's, or the launch would not give the RIM that a
	 * dry run with this file predicts. */
	for (i = 0; i < ARRAY_SIZE(caps_keys); i++) {
		const struct caps_key *k = &caps_keys[i];

		if (caps_field(file, k) != caps_field(kvm, k))
			return pr_err("%s %s %s=%u but this host has %u; %s %s",
				      origin, file->given & k->bit ? "says" :
				      "leaves out, so defaults to",
				      k->name, caps_field(file, k),
				      caps_field(kvm, k), redo, origin);
	}
	if (file->lpa2 != kvm->lpa2)
		return pr_err("%s %s lpa2=%d but this host has %d; %s %s",
			      origin, file->given & HOST_KEY_LPA2 ? "says" :
			      "leaves out, so defaults to", file->lpa2,
			      kvm->lpa2, redo, origin);
	return 0;
}
