/*
 * Unit tests for `realmvm run` option parsing: what each option puts in
 * struct config (including the parts a dry run does not print, such as
 * disks and taps), and the results for help and errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "realm/realm_config.h"
#include "vmm/cli.h"
#include "vmm/cli_devices.h"
#include "vmm/config.h"
#include "stderr_capture.h"

/* Parse a NULL-terminated list of string literals (copied: cli edits). */
static int parse(struct config *cfg, const char *const *args)
{
	static char store[64][128];
	char *argv[65];
	int argc = 0;

	argv[argc] = strcpy(store[argc], "run");
	argc++;
	for (; *args; args++, argc++) {
		assert_true(argc < 64 && strlen(*args) < sizeof(store[0]));
		argv[argc] = strcpy(store[argc], *args);
	}
	argv[argc] = NULL;
	config_init(cfg);
	return cli_parse_run(argc, argv, cfg);
}

static void test_defaults(void **state)
{
	const char *const args[] = { "-k", "Image", NULL };
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, args), 0);
	assert_string_equal(cfg.kernel_path, "Image");
	assert_true(cfg.ram_size == 256ULL << 20);
	assert_int_equal(cfg.nr_cpus, 1);
	assert_int_equal(cfg.console, CONSOLE_SERIAL);
	assert_null(cfg.host_name);
	assert_null(cfg.measurement_algo);
	assert_null(cfg.name);		/* cmd_run gives guest-PID */
	assert_int_equal(cfg.nr_disks, 0);
	assert_int_equal(cfg.nr_nets, 0);
	assert_false(cfg.pmu || cfg.nodefaults || cfg.net_none);
	assert_true(cfg.measurement_log);
	assert_false(cfg.realm);
	assert_true(cfg.nr_threads >= 1 && cfg.nr_threads <= 64);
	assert_null(cfg.initrd_path);
	assert_null(cfg.cmdline);
}

static void test_machine_options(void **state)
{
	const char *const args[] = {
		"--kernel", "K", "-i", "I", "--dtb", "D", "-p", "console=ttyS0",
		"-m", "1G", "-c", "4", "--console", "virtio",
		"--disk", "a.img", "-d", "b.img,ro", "--network",
		"tap=tap0", "-n", "mode=tap,tapif=tap1,guest_mac=02:AB:cd:00:00:01",
		"--rng", "--no-reboot", "--threads", "3", "--name", "vm-1.a_b",
		"--pmu", "--nodefaults", "--dump-dtb", "out.dtb", NULL,
	};
	const uint8_t want_mac[MAC_LEN] = { 0x02, 0xab, 0xcd, 0, 0, 1 };
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, args), 0);
	assert_string_equal(cfg.initrd_path, "I");
	assert_string_equal(cfg.dtb_path, "D");
	assert_string_equal(cfg.cmdline, "console=ttyS0");
	assert_true(cfg.ram_size == 1ULL << 30);
	assert_int_equal(cfg.nr_cpus, 4);
	assert_int_equal(cfg.console, CONSOLE_VIRTIO);
	assert_int_equal(cfg.nr_disks, 2);
	assert_string_equal(cfg.disks[0].path, "a.img");
	assert_false(cfg.disks[0].readonly);
	assert_string_equal(cfg.disks[1].path, "b.img");
	assert_true(cfg.disks[1].readonly);
	assert_int_equal(cfg.nr_nets, 2);
	assert_int_equal(cfg.nets[0].mode, NET_MODE_TAP);
	assert_string_equal(cfg.nets[0].tapif, "tap0");
	assert_false(cfg.nets[0].mac_set);
	assert_int_equal(cfg.nets[1].mode, NET_MODE_TAP);
	assert_string_equal(cfg.nets[1].tapif, "tap1");
	assert_true(cfg.nets[1].mac_set);
	assert_memory_equal(cfg.nets[1].mac, want_mac, MAC_LEN);
	assert_string_equal(cfg.name, "vm-1.a_b");
	assert_string_equal(cfg.dtb_out, "out.dtb");
	assert_true(cfg.pmu && cfg.nodefaults);
	assert_true(cfg.rng);
	assert_true(cfg.no_reboot);
	assert_int_equal(cfg.nr_threads, 3);
}

static void test_realm_options(void **state)
{
	const char *const args[] = {
		"-k", "K", "--realm", "--dry-run", "--measurement-algo",
		"sha512", "--realm-pv-hex", "0a0B", "--sve-vl", "512",
		"--pmu-counters", "6", "--num-bps", "3", "--num-wps", "4",
		"--lpa2", "--host", "cca-v10", "--no-measurement-log",
		"--trace", NULL,
	};
	const uint8_t want_rpv[RPV_SIZE] = { 0x0a, 0x0b };
	struct realm_config rc;
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, args), 0);
	assert_true(cfg.realm && cfg.dry_run && cfg.trace && cfg.lpa2);
	assert_string_equal(cfg.measurement_algo, "sha512");
	assert_string_equal(cfg.host_name, "cca-v10");
	assert_true(cfg.rpv_set);
	assert_memory_equal(cfg.rpv, want_rpv, RPV_SIZE);
	assert_int_equal(cfg.sve_vl, 512);
	assert_true(cfg.sve_vl_set);
	assert_int_equal(cfg.pmu_counters, 6);
	assert_true(cfg.pmu_counters_set);
	assert_int_equal(cfg.num_bps, 3);
	assert_int_equal(cfg.num_wps, 4);
	assert_true(cfg.num_bps_set && cfg.num_wps_set);
	assert_false(cfg.measurement_log);

	/* realm/ takes it from here: names resolved, numbers copied. */
	assert_int_equal(realm_config_from(&cfg, &rc), 0);
	assert_int_equal(rc.hash_algo, HASH_SHA512);
	assert_true(rc.hash_algo_set);
	assert_int_equal(rc.host, HOST_CCA_V10);
	assert_true(rc.host_set);
	assert_memory_equal(rc.rpv, want_rpv, RPV_SIZE);
	assert_true(rc.rpv_set && rc.lpa2);
	assert_int_equal(rc.sve_vl, 512);
	assert_int_equal(rc.pmu_counters, 6);
	assert_int_equal(rc.num_bps, 3);
	assert_int_equal(rc.num_wps, 4);
	assert_int_equal(rc.nr_cpus, cfg.nr_cpus);
	assert_true(rc.ram_size == cfg.ram_size);
}

static void test_realm_config_defaults_and_names(void **state)
{
	const char *const plain[] = { "-k", "K", "--realm", NULL };
	const char *const host[] = {
		"-k", "K", "--realm", "--host", "cca-v99", NULL,
	};
	const char *const algo[] = {
		"-k", "K", "--realm", "--measurement-algo", "md5", NULL,
	};
	struct realm_config rc;
	struct config cfg;
	int ret;

	(void)state;
	assert_int_equal(parse(&cfg, plain), 0);
	assert_int_equal(realm_config_from(&cfg, &rc), 0);
	assert_int_equal(rc.host, HOST_ABI_DEFAULT);
	assert_false(rc.host_set || rc.hash_algo_set || rc.rpv_set);
	assert_int_equal(rc.hash_algo, HASH_SHA256);

	assert_int_equal(parse(&cfg, host), 0);
	cap_begin();
	ret = realm_config_from(&cfg, &rc);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "unknown --host 'cca-v99'"));
	assert_int_equal(parse(&cfg, algo), 0);
	cap_begin();
	ret = realm_config_from(&cfg, &rc);
	cap_end();
	assert_int_equal(ret, -1);
	assert_non_null(strstr(errbuf, "invalid --measurement-algo 'md5'"));
}

/* parse() expecting CLI_ERROR and an error line containing want. */
static void expect_error(const char *const *args, const char *want)
{
	struct config cfg;
	int ret;

	cap_begin();
	ret = parse(&cfg, args);
	cap_end();
	assert_int_equal(ret, CLI_ERROR);
	if (!strstr(errbuf, want))
		fail_msg("want '%s' in: %s", want, errbuf);
	/* exactly one line */
	assert_non_null(strchr(errbuf, '\n'));
	assert_string_equal(strchr(errbuf, '\n') + 1, "");
}

static void test_disk_suboptions(void **state)
{
	const char *const bogus[] = { "-k", "K", "--disk", "X,bogus", NULL };
	const char *const comma[] = { "-k", "K", "-d", "b,c.img,ro", NULL };
	const char *const empty[] = { "-k", "K", "-d", ",ro", NULL };
	const char *const trail[] = { "-k", "K", "-d", "x.img,", NULL };
	const char *const twice[] = { "-k", "K", "-d", "x.img,ro,ro", NULL };
	struct config cfg;

	(void)state;
	expect_error(bogus, "unknown --disk sub-option 'bogus' for X");
	expect_error(comma, "unknown --disk sub-option 'c.img'");
	expect_error(empty, "--disk needs a file name");
	expect_error(trail, "unknown --disk sub-option ''");
	/* ro twice is still read-only, not an error */
	assert_int_equal(parse(&cfg, twice), 0);
	assert_true(cfg.disks[0].readonly);
	assert_string_equal(cfg.disks[0].path, "x.img");
}

static void test_network_suboptions(void **state)
{
	const char *const none[] = { "-k", "K", "-n", "none", NULL };
	const char *const mode_none[] = { "-k", "K", "-n", "mode=none", NULL };
	const char *const tapif_only[] = { "-k", "K", "-n", "tapif=t0", NULL };
	const char *const user[] = { "-k", "K", "-n", "mode=user", NULL };
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, none), 0);
	assert_true(cfg.net_none);
	assert_int_equal(cfg.nr_nets, 0);
	assert_int_equal(parse(&cfg, mode_none), 0);
	assert_true(cfg.net_none);
	/* a tap interface alone means mode=tap */
	assert_int_equal(parse(&cfg, tapif_only), 0);
	assert_int_equal(cfg.nets[0].mode, NET_MODE_TAP);
	assert_string_equal(cfg.nets[0].tapif, "t0");
	/* mode=user parses on any build; without libslirp, launch refuses */
	assert_int_equal(parse(&cfg, user), 0);
	assert_int_equal(cfg.nr_nets, 1);
	assert_int_equal(cfg.nets[0].mode, NET_MODE_USER);
	assert_null(cfg.nets[0].tapif);

	{
		const char *const a[] = { "-k", "K", "-n", "mode=tap", NULL };
		const char *const b[] = { "-k", "K", "-n", "mode=bridge", NULL };
		const char *const c[] = { "-k", "K", "-n", "eth0", NULL };
		const char *const d[] = { "-k", "K", "-n", "mode=tap,tapif=t0,vhost=1", NULL };
		const char *const e[] = { "-k", "K", "-n", "tapif=t0,guest_mac=01:00:00:00:00:01", NULL };
		const char *const f[] = { "-k", "K", "-n", "tapif=t0,guest_mac=52:54:00:12:34", NULL };
		const char *const g[] = { "-k", "K", "-n", "none", "-n", "tap=t0", NULL };
		const char *const h[] = { "-k", "K", "-n", "tap=t0", "-n", "none", NULL };
		const char *const i[] = { "-k", "K", "-n", "mode=user,tapif=t0", NULL };
		const char *const j[] = { "-k", "K", "-n", "tap=t0,tapif=t1", NULL };
		const char *const k[] = { "-k", "K", "-n", "tapif=a/b", NULL };
		const char *const l[] = { "-k", "K", "-n", "tapif=abcdefghijklmnop", NULL };

		expect_error(a, "mode=tap needs tapif=NAME");
		expect_error(b, "invalid --network mode 'bridge'");
		expect_error(c, "invalid --network sub-option 'eth0'");
		expect_error(d, "unknown --network sub-option 'vhost'");
		expect_error(e, "multicast");
		expect_error(f, "invalid --network guest_mac '52:54:00:12:34'");
		expect_error(g, "contradicts");
		expect_error(h, "contradicts");
		expect_error(i, "mode=user takes no tapif");
		expect_error(j, "tap interface twice");
		expect_error(k, "invalid tap interface name 'a/b'");
		expect_error(l, "invalid tap interface name");
	}
}

static void test_mac(void **state)
{
	uint8_t mac[MAC_LEN];

	(void)state;
	assert_int_equal(cli_parse_mac("52:54:00:12:34:56", mac), 0);
	assert_int_equal(mac[0], 0x52);
	assert_int_equal(mac[5], 0x56);
	assert_int_equal(cli_parse_mac("52:54:00:12:34:56:", mac), -1);
	assert_int_equal(cli_parse_mac("52-54-00-12-34-56", mac), -1);
	assert_int_equal(cli_parse_mac("5:54:00:12:34:56", mac), -1);
	assert_int_equal(cli_parse_mac("52:54:00:12:34:5g", mac), -1);
	assert_int_equal(cli_parse_mac("", mac), -1);
}

static void test_9p_firmware_name(void **state)
{
	const char *const p9[] = {
		"-k", "K", "--9p", "/srv,share", "--9p", "/tmp,t2", NULL,
	};
	const char *const fw[] = { "-f", "fw.bin", NULL };
	const char *const notag[] = { "-k", "K", "--9p", "/srv", NULL };
	const char *const dup[] = {
		"-k", "K", "--9p", "/a,t", "--9p", "/b,t", NULL,
	};
	const char *const longtag[] = {
		"-k", "K", "--9p", "/a,abcdefghijklmnopqrstuvwxyz0123456", NULL,
	};
	const char *const space[] = { "-k", "K", "--9p", "/a,a b", NULL };
	const char *const fw_k[] = { "-f", "fw.bin", "-k", "K", NULL };
	const char *const fw_i[] = { "-f", "fw.bin", "-i", "I", NULL };
	const char *const name[] = { "-k", "K", "--name", "a/b", NULL };
	const char *const dot[] = { "-k", "K", "--name", ".hidden", NULL };
	const char *const dtbs[] = {
		"-k", "K", "--dump-dtb", "a", "--dtb-out", "b", NULL,
	};
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, p9), 0);
	assert_int_equal(cfg.nr_p9, 2);
	assert_string_equal(cfg.p9[0].dir, "/srv");
	assert_string_equal(cfg.p9[0].tag, "share");
	assert_string_equal(cfg.p9[1].tag, "t2");
	/* -f replaces -k */
	assert_int_equal(parse(&cfg, fw), 0);
	assert_string_equal(cfg.firmware_path, "fw.bin");
	assert_null(cfg.kernel_path);
	expect_error(fw_k, "--firmware replaces the kernel");
	expect_error(fw_i, "--initrd needs a kernel");
	expect_error(space, "has a space or control character");
	expect_error(notag, "--9p needs DIR,TAG");
	expect_error(dup, "--9p tag 't' is given twice");
	expect_error(longtag, "too long");
	expect_error(name, "invalid --name 'a/b'");
	expect_error(dot, "invalid --name '.hidden'");
	expect_error(dtbs, "already given");
}

static void test_mem_terabyte(void **state)
{
	const char *const one_t[] = { "-k", "K", "-m", "1T", NULL };
	const char *const two_t[] = { "-k", "K", "-m", "2T", NULL };
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, one_t), 0);
	assert_true(cfg.ram_size == 1ULL << 40);
	expect_error(two_t, "--mem 2T is too large (at most 1T)");
}

static void test_rpv_string_is_zero_padded(void **state)
{
	const char *const args[] = {
		"-k", "K", "--realm", "--realm-pv", "hi", NULL,
	};
	const uint8_t want[RPV_SIZE] = { 'h', 'i' };
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, args), 0);
	assert_memory_equal(cfg.rpv, want, RPV_SIZE);
}

static void test_help_and_errors(void **state)
{
	const char *const help[] = { "--help", NULL };
	const char *const no_kernel[] = { "--dry-run", NULL };
	const char *const realm_only[] = { "-k", "K", "--lpa2", NULL };
	const char *const bad_mem[] = { "-k", "K", "-m", "33", NULL };
	const char *const cpus[] = { "-k", "K", "-c", "65", NULL };
	struct config cfg;
	FILE *saved = stdout;

	(void)state;
	stdout = fopen("/dev/null", "w");
	assert_non_null(stdout);
	assert_int_equal(parse(&cfg, help), CLI_HELP);
	fclose(stdout);
	stdout = saved;
	assert_int_equal(parse(&cfg, no_kernel), CLI_ERROR);
	assert_int_equal(parse(&cfg, realm_only), CLI_ERROR);
	assert_int_equal(parse(&cfg, bad_mem), CLI_ERROR);
	assert_int_equal(parse(&cfg, cpus), CLI_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_machine_options),
		cmocka_unit_test(test_realm_options),
		cmocka_unit_test(test_realm_config_defaults_and_names),
		cmocka_unit_test(test_disk_suboptions),
		cmocka_unit_test(test_network_suboptions),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_9p_firmware_name),
		cmocka_unit_test(test_mem_terabyte),
		cmocka_unit_test(test_rpv_string_is_zero_padded),
		cmocka_unit_test(test_help_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
