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

#include "vmm/cli.h"
#include "vmm/config.h"

/* Parse a NULL-terminated list of string literals (copied: cli edits). */
static int parse(struct config *cfg, const char *const *args)
{
	static char store[32][128];
	char *argv[33];
	int argc = 0;

	argv[argc] = strcpy(store[argc], "run");
	argc++;
	for (; *args; args++, argc++)
		argv[argc] = strcpy(store[argc], *args);
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
	assert_int_equal(cfg.host, HOST_ABI_DEFAULT);
	assert_true(cfg.measurement_log);
	assert_false(cfg.realm);
	assert_true(cfg.nr_threads >= 1 && cfg.nr_threads <= 64);
	assert_null(cfg.initrd_path);
	assert_null(cfg.cmdline);
}

static void test_machine_options(void **state)
{
	const char *const args[] = {
		"--kernel", "K", "-i", "I", "-d", "D", "-p", "console=ttyS0",
		"-m", "1G", "-c", "4", "--console", "virtio",
		"--disk", "a.img", "--disk", "b,c.img,ro", "--network",
		"tap=tap0", "--rng", "--no-reboot", "--threads", "3", NULL,
	};
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
	assert_string_equal(cfg.disks[1].path, "b,c.img");
	assert_true(cfg.disks[1].readonly);
	assert_int_equal(cfg.nr_nets, 1);
	assert_string_equal(cfg.tap_names[0], "tap0");
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
	struct config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, args), 0);
	assert_true(cfg.realm && cfg.dry_run && cfg.trace && cfg.lpa2);
	assert_int_equal(cfg.hash_algo, HASH_SHA512);
	assert_true(cfg.hash_algo_set);
	assert_true(cfg.rpv_set);
	assert_memory_equal(cfg.rpv, want_rpv, RPV_SIZE);
	assert_int_equal(cfg.sve_vl, 512);
	assert_true(cfg.sve_vl_set);
	assert_int_equal(cfg.pmu_counters, 6);
	assert_true(cfg.pmu_counters_set);
	assert_int_equal(cfg.num_bps, 3);
	assert_int_equal(cfg.num_wps, 4);
	assert_true(cfg.num_bps_set && cfg.num_wps_set);
	assert_int_equal(cfg.host, HOST_CCA_V10);
	assert_true(cfg.host_set);
	assert_false(cfg.measurement_log);
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
		cmocka_unit_test(test_rpv_string_is_zero_padded),
		cmocka_unit_test(test_help_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
