/*
 * Host profiles and host capabilities: the profile table's choices,
 * the documented defaults, and the --host-config parser (comments, blank
 * lines, ranges, and one-line errors naming file:line and the key).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "realm/host_profile.h"
#include "stderr_capture.h"

/* host_caps_parse() with what it printed on stderr in errbuf. */
static int parse_capture(const char *text, struct host_caps *caps)
{
	int ret;

	cap_begin();
	ret = host_caps_parse(text, strlen(text), "hc.conf", caps);
	cap_end();
	return ret;
}

static void expect_error(const char *text, const char *msg)
{
	struct host_caps caps, before;

	host_caps_default(&caps);
	before = caps;
	assert_int_equal(parse_capture(text, &caps), -1);
	if (!strstr(errbuf, msg))
		fail_msg("error '%s' lacks '%s'", errbuf, msg);
	/* one line, and nothing changed on failure */
	assert_true(strncmp(errbuf, "realmvm: ", 9) == 0);
	assert_ptr_equal(strchr(errbuf, '\n'),
			 errbuf + strlen(errbuf) - 1);
	assert_memory_equal(&caps, &before, sizeof(caps));
}

static void test_profiles(void **state)
{
	const struct host_profile *v10 = host_profile_get(HOST_CCA_V10);
	const struct host_profile *v12 = host_profile_get(HOST_CCA_V12);
	const struct host_profile *v14 = host_profile_get(HOST_CCA_V14);

	(void)state;
	assert_string_equal(v10->name, "cca-v10");
	assert_string_equal(v12->name, "cca-v12");
	assert_string_equal(v14->name, "cca-v14");
	assert_ptr_equal(host_profile_by_name("cca-v12"), v12);
	assert_null(host_profile_by_name("cca-v13"));
	assert_null(host_profile_by_name(NULL));
	assert_null(host_profile_get(HOST_ABI_COUNT));
	assert_int_equal(v14->abi, HOST_CCA_V14);

	assert_true(v10->can_set_hash && v10->can_set_rpv);
	assert_true(v10->ripas_measured && v10->vmm_drives_ripas);
	assert_false(v10->kvm_creates_recs || v10->ripas_skip_hack);

	assert_false(v12->can_set_hash || v12->can_set_rpv);
	assert_true(v12->ripas_measured && v12->ripas_skip_hack);
	assert_true(v12->kvm_creates_recs);
	assert_false(v12->vmm_drives_ripas || v12->lpa2_from_host);
	assert_false(v12->can_set_lpa2);

	assert_false(v14->can_set_hash || v14->can_set_rpv);
	assert_false(v14->ripas_measured || v14->ripas_skip_hack);
	assert_false(v14->can_set_pmu || v14->vmm_drives_ripas);
	assert_true(v14->lpa2_from_host && v14->kvm_creates_recs);
}

static void test_defaults(void **state)
{
	struct host_caps caps;

	(void)state;
	memset(&caps, 0x55, sizeof(caps));
	host_caps_default(&caps);
	assert_int_equal(caps.ipa_bits, 48);
	assert_int_equal(caps.num_bps, 6);
	assert_int_equal(caps.num_wps, 4);
	assert_int_equal(caps.sve_max_vl, 0);
	assert_int_equal(caps.pmu_num_ctrs, 0);
	assert_false(caps.lpa2);
}

static void test_parse_full(void **state)
{
	const char *text =
		"# a CCA host\n"
		"\n"
		"ipa_bits = 44\n"
		"num_bps=4   # trailing comment\n"
		"\tnum_wps=3\r\n"
		"sve_max_vl=512\n"
		"pmu_counters=31\n"
		"lpa2=true";
	struct host_caps caps;

	(void)state;
	host_caps_default(&caps);
	assert_int_equal(parse_capture(text, &caps), 0);
	assert_int_equal(caps.ipa_bits, 44);
	assert_int_equal(caps.num_bps, 4);
	assert_int_equal(caps.num_wps, 3);
	assert_int_equal(caps.sve_max_vl, 512);
	assert_int_equal(caps.pmu_num_ctrs, 31);
	assert_true(caps.lpa2);

	assert_int_equal(parse_capture("lpa2=0\nsve_max_vl=0\n", &caps), 0);
	assert_false(caps.lpa2);
	assert_int_equal(caps.sve_max_vl, 0);
	assert_int_equal(caps.ipa_bits, 44);	/* absent keys kept */
	assert_int_equal(parse_capture("lpa2=1\n", &caps), 0);
	assert_true(caps.lpa2);
	assert_int_equal(parse_capture("lpa2=false\n", &caps), 0);
	assert_false(caps.lpa2);
	assert_int_equal(parse_capture("", &caps), 0);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("ipa_bits=31\n", "hc.conf:1: ipa_bits");
	expect_error("# c\nipa_bits=53\n", "hc.conf:2: ipa_bits");
	expect_error("num_bps=1\n", "hc.conf:1: num_bps");
	expect_error("num_bps=17\n", "num_bps");
	expect_error("num_wps=1\n", "hc.conf:1: num_wps");
	expect_error("num_wps=17\n", "num_wps");
	expect_error("sve_max_vl=100\n", "hc.conf:1: sve_max_vl");
	expect_error("sve_max_vl=2176\n", "sve_max_vl");
	expect_error("sve_max_vl=64\n", "sve_max_vl");
	expect_error("pmu_counters=32\n", "hc.conf:1: pmu_counters");
	expect_error("lpa2=yes\n", "hc.conf:1: lpa2");
	expect_error("\n\nfoo=1\n", "hc.conf:3: unknown key 'foo'");
	expect_error("ipa_bits\n", "hc.conf:1: expected key=value");
	expect_error("=4\n", "hc.conf:1: missing key");
	expect_error("ipa_bits=\n", "hc.conf:1: ipa_bits");
	expect_error("ipa_bits=4x\n", "hc.conf:1: ipa_bits");
	expect_error("ipa_bits=-40\n", "ipa_bits");
	expect_error("ipa_bits=99999999999999999999999\n", "ipa_bits");
	expect_error("num_bps=4\nnum_bps=5\n", "hc.conf:2: num_bps: given twice");
	expect_error("lpa2=1\nlpa2=1\n", "hc.conf:2: lpa2");
}

static void test_print_roundtrip(void **state)
{
	struct host_caps a, b;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	host_caps_default(&a);
	a.ipa_bits = 40;
	a.num_bps = 16;
	a.num_wps = 2;
	a.sve_max_vl = 2048;
	a.pmu_num_ctrs = 7;
	a.lpa2 = true;
	a.profile = HOST_CCA_V12;
	a.given = HOST_KEY_ALL;		/* as KVM fills it for `caps` */
	out = open_memstream(&buf, &len);
	host_caps_print(&a, out);
	fclose(out);
	assert_string_equal(buf, "host=cca-v12\nipa_bits=40\nnum_bps=16\n"
			    "num_wps=2\nsve_max_vl=2048\npmu_counters=7\n"
			    "lpa2=1\n");
	host_caps_default(&b);
	assert_int_equal(host_caps_parse(buf, len, "mem", &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	free(buf);
}

static void test_load(void **state)
{
	char path[] = "/tmp/realmvm-hcXXXXXX";
	struct host_caps caps;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "num_wps=5\n", 10), 10);
	close(fd);
	host_caps_default(&caps);
	assert_int_equal(host_caps_load(path, &caps), 0);
	assert_int_equal(caps.num_wps, 5);
	unlink(path);
	assert_int_equal(host_caps_load(path, &caps), -1);
}

static void test_nul_byte(void **state)
{
	struct host_caps caps;

	(void)state;
	host_caps_default(&caps);
	assert_int_equal(host_caps_parse("ipa_bits=40\0\n", 13, "x", &caps),
			 -1);
	assert_int_equal(caps.ipa_bits, 48);
}

/* host= names the profile, as `realmvm caps` writes it. */
static void test_parse_host_key(void **state)
{
	struct host_caps caps;

	(void)state;
	host_caps_default(&caps);
	assert_int_equal(caps.given, 0);
	assert_int_equal(parse_capture("host=cca-v12\nnum_bps=3\n", &caps), 0);
	assert_int_equal(caps.profile, HOST_CCA_V12);
	assert_int_equal(caps.given, HOST_KEY_HOST | HOST_KEY_NUM_BPS);
	expect_error("host=cca-v11\n", "hc.conf:1: host: unknown profile 'cca-v11' (cca-v10, cca-v12 or cca-v14)");
	expect_error("host=cca-v10\nhost=cca-v10\n", "hc.conf:2: host: given twice");
}

/* check_capture(): host_caps_check() with its stderr line in errbuf. */
static int check_capture(const struct host_caps *file,
			 const struct host_caps *kvm)
{
	int ret;

	cap_begin();
	ret = host_caps_check(file, "caps.conf", kvm);
	cap_end();
	return ret;
}

/* A launch's --host-config must describe the host it runs on. */
static void test_check_against_kvm(void **state)
{
	struct host_caps kvm, file;

	(void)state;
	host_caps_default(&kvm);
	kvm.ipa_bits = 52;
	kvm.sve_max_vl = 2048;
	kvm.pmu_num_ctrs = 6;
	kvm.lpa2 = true;
	kvm.profile = HOST_CCA_V10;
	kvm.given = HOST_KEY_ALL;
	file = kvm;		/* what `realmvm caps` wrote on this host */
	assert_int_equal(check_capture(&file, &kvm), 0);

	file.sve_max_vl = 512;
	assert_int_equal(check_capture(&file, &kvm), -1);
	assert_non_null(strstr(errbuf, "realmvm: caps.conf says sve_max_vl=512 but this host has 2048; write it again on this host with: realmvm caps > caps.conf"));

	file = kvm;
	file.profile = HOST_CCA_V14;
	assert_int_equal(check_capture(&file, &kvm), -1);
	assert_non_null(strstr(errbuf, "host=cca-v14 but this host runs cca-v10"));
	/* without host= the profile comes from --host, checked later */
	file.given &= ~HOST_KEY_HOST;
	assert_int_equal(check_capture(&file, &kvm), 0);

	/* a key left out takes the dry run's default, which must fit too */
	host_caps_default(&file);
	file.given = 0;
	assert_int_equal(check_capture(&file, &kvm), -1);
	assert_non_null(strstr(errbuf, "leaves out, so defaults to ipa_bits=48 but this host has 52"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_parse_full),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_print_roundtrip),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_parse_host_key),
		cmocka_unit_test(test_check_against_kvm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
