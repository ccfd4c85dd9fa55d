/*
 * REALM_CREATE parameters from config + host caps + profile: RMM
 * encodings (count-1, VQ-1), and every request a profile or host cannot
 * honour rejected with one line that says why.  The default v10 launch
 * with FVP-like caps must give the parameters of the ground-truth run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "realm/plan.h"
#include "realm/rim.h"
#include "stderr_capture.h"

/* realm_params_from_config() with what it printed on stderr in errbuf. */
static int derive(const struct realm_config *cfg, const struct host_caps *caps,
		  enum host_abi abi, unsigned int ipa_bits,
		  struct realm_params *p)
{
	int ret;

	cap_begin();
	ret = realm_params_from_config(cfg, caps, host_profile_get(abi),
				       ipa_bits, p);
	cap_end();
	return ret;
}

static void base(struct realm_config *cfg, struct host_caps *caps)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_cpus = 1;
	cfg->host_set = true;		/* the tests name the profile */
	host_caps_default(caps);
}

static void expect_fail(const struct realm_config *cfg, const struct host_caps *caps,
			enum host_abi abi, const char *msg)
{
	struct realm_params p;

	assert_int_equal(derive(cfg, caps, abi, 33, &p), -1);
	if (!strstr(errbuf, msg))
		fail_msg("error '%s' lacks '%s'", errbuf, msg);
	assert_ptr_equal(strchr(errbuf, '\n'),
			 errbuf + strlen(errbuf) - 1);
}

static void test_defaults_like_ground_truth(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;
	enum host_abi abi;

	(void)state;
	base(&cfg, &caps);
	for (abi = 0; abi < HOST_ABI_COUNT; abi++) {
		assert_int_equal(derive(&cfg, &caps, abi, 33, &p), 0);
		assert_int_equal(p.flags, 0);
		assert_int_equal(p.s2sz, 33);
		assert_int_equal(p.sve_vl, 0);
		assert_int_equal(p.num_bps, 5);	/* 6 breakpoints */
		assert_int_equal(p.num_wps, 3);	/* 4 watchpoints */
		assert_int_equal(p.pmu_num_ctrs, 0);
		assert_int_equal(p.hash_algo, HASH_SHA256);
	}
}

/* Veraison tests/event_log.rs: s2sz 48, bps 5, wps 3 -> its base64 RIM. */
static void test_event_log_vector_from_config(void **state)
{
	static const uint8_t want[32] = {
		0x89, 0x60, 0xd5, 0x68, 0x26, 0x37, 0x0a, 0xaa,
		0x6f, 0xc9, 0xb3, 0xa0, 0x41, 0xd4, 0x24, 0x06,
		0x89, 0x58, 0x2b, 0xa4, 0x1e, 0x2a, 0xd8, 0xbb,
		0x8f, 0x9a, 0xdf, 0x6d, 0x2a, 0x0c, 0xd5, 0xe7,
	};	/* iWDVaCY3CqpvybOgQdQkBolYK6QeKti7j5rfbSoM1ec= */
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;
	uint8_t rim[RIM_MAX_SIZE];

	(void)state;
	base(&cfg, &caps);
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 48, &p), 0);
	assert_int_equal(rim_init(&p, rim), 0);
	assert_memory_equal(rim, want, 32);
}

static void test_ipa_bits(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;

	(void)state;
	base(&cfg, &caps);
	caps.ipa_bits = 40;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 40, &p), 0);
	assert_int_equal(p.s2sz, 40);
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 41, &p), -1);
	assert_non_null(strstr(errbuf, "41 IPA bits"));
	/* more than 48 bits needs LPA2 */
	caps.ipa_bits = 52;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 50, &p), -1);
	assert_non_null(strstr(errbuf, "LPA2"));
	caps.lpa2 = true;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 50, &p), 0);
	assert_int_equal(p.flags, REALM_FLAG_LPA2);
}

static void test_hash(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;

	(void)state;
	base(&cfg, &caps);
	cfg.hash_algo = HASH_SHA512;
	cfg.hash_algo_set = true;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V10, 33, &p), 0);
	assert_int_equal(p.hash_algo, HASH_SHA512);
	expect_fail(&cfg, &caps, HOST_CCA_V14,
		    "--measurement-algo sha512: host profile cca-v14 cannot select the measurement algorithm: only sha256 (choose one that can with --host cca-v10)");
	expect_fail(&cfg, &caps, HOST_CCA_V12,
		    "host profile cca-v12 cannot select the measurement algorithm: only sha256");
	/* without --host a dry run uses the default profile, and says so */
	cfg.host_set = false;
	expect_fail(&cfg, &caps, HOST_CCA_V14,
		    "host profile cca-v14 (the default) cannot");
	cfg.caps_origin = CAPS_KVM;
	expect_fail(&cfg, &caps, HOST_CCA_V14,
		    "host profile cca-v14 (found on this host) cannot");
	cfg.host_set = true;
	cfg.caps_origin = CAPS_BUILTIN;
	cfg.hash_algo = HASH_SHA256;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 33, &p), 0);
	assert_int_equal(p.hash_algo, HASH_SHA256);
	cfg.hash_algo = (enum hash_algo)5;
	expect_fail(&cfg, &caps, HOST_CCA_V10, "unknown measurement algorithm");
}

static void test_rpv(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;

	(void)state;
	base(&cfg, &caps);
	memcpy(cfg.rpv, "hello", 5);
	cfg.rpv_set = true;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V10, 33, &p), 0);
	assert_memory_equal(p.rpv, cfg.rpv, RPV_SIZE);
	expect_fail(&cfg, &caps, HOST_CCA_V12, "--realm-pv: host profile cca-v12 cannot set a realm personalization value (choose one that can with --host cca-v10)");
	expect_fail(&cfg, &caps, HOST_CCA_V14, "cca-v14 cannot set");
}

static void test_sve(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;

	(void)state;
	base(&cfg, &caps);
	cfg.sve_vl_set = true;
	cfg.sve_vl = 256;
	/* the capability, where it came from, and the way out */
	expect_fail(&cfg, &caps, HOST_CCA_V14,
		    "--sve-vl 256: the host has no SVE for realms (the built-in host capabilities have sve_max_vl=0; describe the target host with --host-config FILE, from `realmvm caps` on it)");
	cfg.caps_origin = CAPS_FILE;
	cfg.caps_path = "h.conf";
	expect_fail(&cfg, &caps, HOST_CCA_V14,
		    "host config h.conf has sve_max_vl=0");
	cfg.caps_origin = CAPS_KVM;
	expect_fail(&cfg, &caps, HOST_CCA_V14,
		    "this host's KVM reports sve_max_vl=0");
	cfg.caps_origin = CAPS_BUILTIN;
	caps.sve_max_vl = 512;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 33, &p), 0);
	assert_int_equal(p.flags, REALM_FLAG_SVE);
	assert_int_equal(p.sve_vl, 1);
	cfg.sve_vl = 512;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V12, 33, &p), 0);
	assert_int_equal(p.sve_vl, 3);
	cfg.sve_vl = 640;
	expect_fail(&cfg, &caps, HOST_CCA_V14, "--sve-vl 640");
	cfg.sve_vl = 200;
	expect_fail(&cfg, &caps, HOST_CCA_V14, "multiple of 128");
	cfg.sve_vl = 0;		/* explicit 0: SVE off */
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 33, &p), 0);
	assert_int_equal(p.flags, 0);
}

static void test_pmu(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;

	(void)state;
	base(&cfg, &caps);
	caps.pmu_num_ctrs = 8;
	cfg.pmu_counters_set = true;
	cfg.pmu_counters = 4;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V12, 33, &p), 0);
	assert_int_equal(p.flags, REALM_FLAG_PMU);
	assert_int_equal(p.pmu_num_ctrs, 4);
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V10, 33, &p), 0);
	assert_int_equal(p.pmu_num_ctrs, 4);
	expect_fail(&cfg, &caps, HOST_CCA_V14, "--pmu-counters: host profile cca-v14 gives realms no PMU (choose one that can with --host cca-v10 or cca-v12)");
	cfg.pmu_counters = 9;
	expect_fail(&cfg, &caps, HOST_CCA_V12, "at most 8 (the built-in host capabilities have pmu_counters=8");
	cfg.pmu_counters = 0;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 33, &p), 0);
	assert_int_equal(p.flags, 0);

	/* --pmu alone: every counter the host allows */
	cfg.pmu_counters_set = false;
	cfg.pmu = true;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V12, 33, &p), 0);
	assert_int_equal(p.flags, REALM_FLAG_PMU);
	assert_int_equal(p.pmu_num_ctrs, 8);
	expect_fail(&cfg, &caps, HOST_CCA_V14, "--pmu: host profile cca-v14 gives realms no PMU");
	caps.pmu_num_ctrs = 0;
	expect_fail(&cfg, &caps, HOST_CCA_V10, "--pmu: the host has no PMU counters for realms (the built-in host capabilities have pmu_counters=0");
	/* --pmu-counters N says how many */
	caps.pmu_num_ctrs = 8;
	cfg.pmu_counters_set = true;
	cfg.pmu_counters = 3;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V10, 33, &p), 0);
	assert_int_equal(p.pmu_num_ctrs, 3);
}

static void test_debug_counts(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;

	(void)state;
	base(&cfg, &caps);
	cfg.num_bps_set = true;
	cfg.num_bps = 2;
	cfg.num_wps_set = true;
	cfg.num_wps = 4;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 33, &p), 0);
	assert_int_equal(p.num_bps, 1);
	assert_int_equal(p.num_wps, 3);
	cfg.num_bps = 1;
	expect_fail(&cfg, &caps, HOST_CCA_V14, "--num-bps 1");
	cfg.num_bps = 7;
	expect_fail(&cfg, &caps, HOST_CCA_V14, "--num-bps 7: must be 2..6 on this host (the built-in host capabilities have num_bps=6");
	cfg.num_bps = 6;
	cfg.num_wps = 5;
	expect_fail(&cfg, &caps, HOST_CCA_V14, "--num-wps 5: must be 2..4");
}

static void test_lpa2(void **state)
{
	struct realm_config cfg;
	struct host_caps caps;
	struct realm_params p;

	(void)state;
	base(&cfg, &caps);
	cfg.lpa2 = true;
	expect_fail(&cfg, &caps, HOST_CCA_V12, "--lpa2: host profile cca-v12 never enables LPA2 for a realm (choose one that can with --host cca-v10 or cca-v14)");
	expect_fail(&cfg, &caps, HOST_CCA_V10, "host does not support LPA2 (the built-in host capabilities have lpa2=0");
	expect_fail(&cfg, &caps, HOST_CCA_V14, "--lpa2");
	caps.lpa2 = true;
	expect_fail(&cfg, &caps, HOST_CCA_V12, "cca-v12 never enables LPA2");
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V10, 33, &p), 0);
	assert_int_equal(p.flags, REALM_FLAG_LPA2);
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 33, &p), 0);
	assert_int_equal(p.flags, REALM_FLAG_LPA2);
	/* v14 follows the host even when the user says nothing */
	cfg.lpa2 = false;
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V14, 33, &p), 0);
	assert_int_equal(p.flags, REALM_FLAG_LPA2);
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V12, 33, &p), 0);
	assert_int_equal(p.flags, 0);
	assert_int_equal(derive(&cfg, &caps, HOST_CCA_V10, 33, &p), 0);
	assert_int_equal(p.flags, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_like_ground_truth),
		cmocka_unit_test(test_event_log_vector_from_config),
		cmocka_unit_test(test_ipa_bits),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_rpv),
		cmocka_unit_test(test_sve),
		cmocka_unit_test(test_pmu),
		cmocka_unit_test(test_debug_counts),
		cmocka_unit_test(test_lpa2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
