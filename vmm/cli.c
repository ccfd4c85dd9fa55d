/*
 * `realmvm run` option parsing.  Every rejected command line ends in one
 * error line naming the option, and the caller exits with EXIT_USAGE.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "arm64/layout.h"
#include "attest/corim.h"
#include "vmm/cli.h"
#include "vmm/cli_devices.h"
#include "vmm/config.h"
#include "vmm/control.h"
#include "vmm/size_parse.h"
#include "vmm/util.h"

#define SVE_VL_MAX	2048
#define BPS_WPS_MAX	16	/* ID_AA64DFR0 BRPs/WRPs hold count - 1 */
#define PMU_CTRS_MAX	31	/* PMCR_EL0.N */

enum {
	OPT_CONSOLE = 256,
	OPT_DTB,
	OPT_9P,
	OPT_NAME,
	OPT_PMU_DEV,
	OPT_DUMP_DTB,
	OPT_NODEFAULTS,
	OPT_RNG,
	OPT_NO_REBOOT,
	OPT_DRY_RUN,
	OPT_JSON,
	OPT_TRACE,
	OPT_DTB_OUT,
	OPT_LOG_OUT,
	OPT_NO_LOG,
	OPT_THREADS,
	OPT_REALM,
	OPT_ALGO,
	OPT_RPV,
	OPT_RPV_HEX,
	OPT_SVE_VL,
	OPT_PMU_CTRS,
	OPT_BPS,
	OPT_WPS,
	OPT_LPA2,
	OPT_HOST,
	OPT_HOST_CONFIG,
	OPT_CORIM, OPT_CORIM_PROFILE, OPT_CORIM_REM, OPT_CORIM_KEY,
	OPT_CORIM_SIGNER, OPT_CORIM_CERT, OPT_COMID_JSON,
	OPT_SANDBOX,
};

static const struct option run_options[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "dtb", required_argument, NULL, OPT_DTB },
	{ "firmware", required_argument, NULL, 'f' },
	{ "params", required_argument, NULL, 'p' },
	{ "mem", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "console", required_argument, NULL, OPT_CONSOLE },
	{ "disk", required_argument, NULL, 'd' },
	{ "network", required_argument, NULL, 'n' },
	{ "9p", required_argument, NULL, OPT_9P },
	{ "rng", no_argument, NULL, OPT_RNG },
	{ "pmu", no_argument, NULL, OPT_PMU_DEV },
	{ "nodefaults", no_argument, NULL, OPT_NODEFAULTS },
	{ "no-reboot", no_argument, NULL, OPT_NO_REBOOT },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "trace", no_argument, NULL, OPT_TRACE },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "dtb-out", required_argument, NULL, OPT_DTB_OUT },
	{ "log-out", required_argument, NULL, OPT_LOG_OUT },
	{ "no-measurement-log", no_argument, NULL, OPT_NO_LOG },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "realm", no_argument, NULL, OPT_REALM },
	{ "measurement-algo", required_argument, NULL, OPT_ALGO },
	{ "realm-pv", required_argument, NULL, OPT_RPV },
	{ "realm-pv-hex", required_argument, NULL, OPT_RPV_HEX },
	{ "sve-vl", required_argument, NULL, OPT_SVE_VL },
	{ "pmu-counters", required_argument, NULL, OPT_PMU_CTRS },
	{ "num-bps", required_argument, NULL, OPT_BPS },
	{ "num-wps", required_argument, NULL, OPT_WPS },
	{ "lpa2", no_argument, NULL, OPT_LPA2 },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "host-config", required_argument, NULL, OPT_HOST_CONFIG },
	{ "corim", required_argument, NULL, OPT_CORIM },
	{ "corim-profile", required_argument, NULL, OPT_CORIM_PROFILE },
	{ "corim-rem", required_argument, NULL, OPT_CORIM_REM },
	{ "corim-key", required_argument, NULL, OPT_CORIM_KEY },
	{ "corim-signer", required_argument, NULL, OPT_CORIM_SIGNER },
	{ "corim-cert", required_argument, NULL, OPT_CORIM_CERT },
	{ "comid-json", required_argument, NULL, OPT_COMID_JSON },
	{ "sandbox", required_argument, NULL, OPT_SANDBOX },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void cli_run_usage(FILE *out)
{
	fputs(
"usage: realmvm run -k IMAGE [options]\n"
"       realmvm run -f FIRMWARE [options]\n"
"\n"
"Boot an arm64 Linux Image as a normal VM or an Arm CCA realm, or with\n"
"--dry-run predict what a launch would load and measure without KVM.\n"
"Options are spelled as lkvm (kvmtool) spells them.\n"
"\n"
"Payload:\n"
"  -k, --kernel IMAGE        arm64 Linux Image (plain or gzip), required\n"
"                            unless -f is given\n"
"  -i, --initrd FILE         initial ramdisk, loaded as is (never inflated)\n"
"      --dtb FILE            use this device tree as is (default: generated)\n"
"  -f, --firmware FILE       boot this firmware (e.g. UEFI) instead of a\n"
"                            kernel: loaded at the RAM base and entered\n"
"                            there, DTB at the next 2 MiB boundary\n"
"  -p, --params CMDLINE      kernel command line (bootargs)\n"
"\n"
"Machine:\n"
"      --name NAME           name for `realmvm list` and `realmvm stop`\n"
"                            (default guest-PID)\n"
"  -m, --mem SIZE            guest RAM (default 256M); SIZE is a number with\n"
"                            an optional K, M, G or T suffix, decimal or 0x\n"
"                            hex; a bare number means MiB, like lkvm -m.  A\n"
"                            multiple of 2 MiB, 32 MiB to 1 TiB (1T)\n"
"  -c, --cpus N              vCPUs, 1 to 64 (default 1)\n"
"      --console serial|virtio\n"
"                            guest console (default serial)\n"
"  -d, --disk FILE[,ro]      virtio-blk disk (repeatable, at most 8)\n"
"  -n, --network mode=tap|user|none[,tapif=NAME][,guest_mac=MAC]\n"
"                            virtio-net (repeatable, at most 4); mode=tap\n"
"                            needs tapif=NAME (tap=NAME is the same);\n"
"                            mode=user is libslirp's stack: guest\n"
"                            10.0.2.15, gateway and host 10.0.2.2, DNS\n"
"                            10.0.2.3, no root and no tap\n"
"      --9p DIR,TAG          share DIR with the guest over virtio-9p, to\n"
"                            mount with -t 9p -o trans=virtio TAG\n"
"                            (repeatable, at most 8)\n"
"      --rng                 virtio-rng device\n"
"      --pmu                 give the guest a PMUv3 (a realm: all the PMU\n"
"                            counters the host allows)\n"
"      --nodefaults          lkvm's switch; realmvm adds no implicit\n"
"                            devices or parameters, so it changes nothing\n"
"      --no-reboot           exit when the guest asks for a reboot\n"
"      --sandbox=on|off      seccomp filters and dropped capabilities once\n"
"                            the VM is set up (default on; off to debug)\n"
"\n"
"Realm (each of these needs --realm):\n"
"      --realm               run the guest as an Arm CCA realm\n"
"      --measurement-algo sha256|sha512 [host]\n"
"                            RIM hash algorithm (default sha256)\n"
"      --realm-pv STRING     [host] Realm Personalization Value, at most 64\n"
"                            bytes, zero padded (not measured: it changes\n"
"                            the token, not the RIM)\n"
"      --realm-pv-hex HEX    [host] the same, given as hex\n"
"      --sve-vl BITS         [host] SVE vector length (multiple of 128,\n"
"                            0 = off)\n"
"      --pmu-counters N      [host] PMU event counters for the realm\n"
"      --num-bps N           [host] breakpoints (2 to 16)\n"
"      --num-wps N           [host] watchpoints (2 to 16)\n"
"      --lpa2                [host] request LPA2\n"
"      --host cca-v10|cca-v12|cca-v14|all\n"
"                            CCA KVM series to follow (default: a launch\n"
"                            asks KVM, a dry run uses cca-v14); all: a dry\n"
"                            run for every series the options allow\n"
"      --host-config FILE    host capabilities for a dry run (the format\n"
"                            `realmvm caps` prints); default: built-in values\n"
"      --no-measurement-log  do not give the realm a measurement event log\n"
"      --log-out FILE        write the event log to FILE\n"
"      --trace               print every measured step before the RIM\n"
"\n"
"  [host]: what the host allows decides.  The profile (--host) decides\n"
"  sha512 and the RPV (cca-v10 only), a realm's PMU (--pmu,\n"
"  --pmu-counters) and --lpa2; the host's capabilities (KVM on a launch;\n"
"  for a dry run --host-config FILE, from `realmvm caps` on that host,\n"
"  else built-in values without SVE, PMU or LPA2) decide --sve-vl, the\n"
"  PMU counters, --num-bps, --num-wps and --lpa2.\n"
"\n"
"Modes and output:\n"
"      --dry-run             prepare everything, launch nothing; print the\n"
"                            layout, and for a realm the RIM\n"
"      --json                print the dry run as one JSON object\n"
"      --dump-dtb FILE       write the device tree the guest gets to FILE\n"
"      --dtb-out FILE        the same (realmvm's earlier name)\n"
"      --threads N           hashing threads for the RIM (default: online\n"
"                            CPUs, at most 64)\n"
"  -h, --help                show this help\n"
"\n"
"Reference values for verifiers (dry run of a realm; docs/corim.md):\n"
"      --corim FILE          write the RIM(s) as a CCA realm CoRIM\n"
"      --corim-profile cca-04|cca-03\n"
"                            profile URI (default cca-04; cca-03 is what\n"
"                            Veraison accepts today)\n"
"      --corim-rem N=HEX     add REM N (0-3) as a reference value\n"
"                            (repeatable; a missing REM matches any)\n"
"      --corim-key KEY.pem   sign the CoRIM (COSE_Sign1; P-256 or P-384)\n"
"      --corim-signer NAME   signer name in corim-meta (default realmvm)\n"
"      --corim-cert FILE     PEM certificate chain to add as x5chain\n"
"      --comid-json FILE     the same values as a Veraison JSON CoMID\n"
"                            template\n"
"\n"
"Exit status: 0 success, 1 run-time failure, 2 bad command line,\n"
"3 the guest asked for a reset under --no-reboot.\n",
	      out);
}

static const char *opt_name(int val)
{
	static char shortname[3];
	const struct option *o;

	for (o = run_options; o->name; o++)
		if (o->val == val)
			return o->name;
	shortname[0] = '-';
	shortname[1] = (char)val;
	shortname[2] = '\0';
	return shortname;
}

/* "--name" for messages, from an option's val. */
static const char *dashed(int val)
{
	static char buf[40];

	snprintf(buf, sizeof(buf), "--%s", opt_name(val));
	return buf;
}

static int bad_value(int val, const char *arg)
{
	return pr_err("invalid %s value '%s'", dashed(val), arg);
}

/* A count in [min, max] for option val. */
static int parse_count(int val, const char *arg, unsigned int min,
		       unsigned int max, unsigned int *out)
{
	uint64_t v;

	if (parse_u64(arg, UINT64_MAX, &v))
		return bad_value(val, arg);
	if (v < min || v > max)
		return pr_err("%s %s out of range (%u to %u)", dashed(val),
			      arg, min, max);
	*out = (unsigned int)v;
	return 0;
}

static int parse_mem(const char *arg, uint64_t *size)
{
	if (parse_size(arg, size))
		return pr_err("invalid --mem size '%s' (a number with an optional K, M, G or T suffix; bare numbers are MiB)",
			      arg);
	if (*size < RAM_MIN_SIZE)
		return pr_err("--mem %s is too small (at least %llu MiB)",
			      arg, RAM_MIN_SIZE >> 20);
	if (*size > RAM_MAX_SIZE)
		return pr_err("--mem %s is too large (at most %lluT)",
			      arg, RAM_MAX_SIZE >> 40);
	if (!IS_ALIGNED(*size, RAM_ALIGN))
		return pr_err("--mem %s is not a multiple of 2 MiB", arg);
	return 0;
}

static int parse_cpus(const char *arg, unsigned int *n)
{
	uint64_t v;

	if (parse_u64(arg, UINT64_MAX, &v))
		return bad_value('c', arg);
	if (!v)
		return pr_err("--cpus must be at least 1");
	if (v > MAX_VCPUS)
		return pr_err("too many vCPUs: %s (at most %u, the GICv3 redistributor region's limit)",
			      arg, MAX_VCPUS);
	*n = (unsigned int)v;
	return 0;
}

static int parse_rpv(struct config *cfg, int val, const char *arg)
{
	size_t len;

	if (cfg->rpv_set)
		return pr_err("give one --realm-pv or --realm-pv-hex, not several");
	memset(cfg->rpv, 0, sizeof(cfg->rpv));
	if (val == OPT_RPV) {
		len = strlen(arg);
		if (!len || len > RPV_SIZE)
			return pr_err("--realm-pv must be 1 to %u bytes",
				      RPV_SIZE);
		memcpy(cfg->rpv, arg, len);
	} else {
		if (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2))
			arg += 2;
		if (!*arg || hex_decode(arg, cfg->rpv, RPV_SIZE, &len))
			return pr_err("invalid --realm-pv-hex value (1 to %u bytes as an even number of hex digits)",
				      RPV_SIZE);
	}
	cfg->rpv_set = true;
	return 0;
}

static int parse_sve_vl(const char *arg, unsigned int *vl)
{
	if (parse_count(OPT_SVE_VL, arg, 0, SVE_VL_MAX, vl))
		return -1;
	if (*vl % 128)
		return pr_err("--sve-vl %s is not a multiple of 128", arg);
	return 0;
}

/* --dump-dtb and --dtb-out are one option: give it once. */
static int parse_dtb_out(struct config *cfg, int c, const char *arg)
{
	if (cfg->dtb_out)
		return pr_err("%s: the DTB output is already given (--dump-dtb and --dtb-out are one option)",
			      dashed(c));
	cfg->dtb_out = arg;
	/* Errors about the file name the spelling the user typed. */
	cfg->dtb_out_opt = c == OPT_DUMP_DTB ? "--dump-dtb" : "--dtb-out";
	return 0;
}

/* N=HEX: REM N (0-3) as the verifier expects it, 32 or 64 bytes. */
static int parse_corim_rem(struct config *cfg, const char *arg)
{
	unsigned int n;

	if (arg[0] < '0' || arg[0] > '3' || arg[1] != '=')
		return pr_err("invalid --corim-rem '%s' (N=HEX with N 0 to 3)",
			      arg);
	n = (unsigned int)(arg[0] - '0');
	if (cfg->corim_rem_mask & (1U << n))
		return pr_err("--corim-rem %u given twice", n);
	arg += 2;
	if (!strncmp(arg, "0x", 2) || !strncmp(arg, "0X", 2))
		arg += 2;
	if (!*arg || hex_decode(arg, cfg->corim_rem[n], 64,
				&cfg->corim_rem_len[n]) ||
	    (cfg->corim_rem_len[n] != 32 && cfg->corim_rem_len[n] != 64))
		return pr_err("invalid --corim-rem %u value (32 or 64 bytes as hex, the size of the realm's hash)",
			      n);
	cfg->corim_rem_mask |= 1U << n;
	return 0;
}

static int parse_one(struct config *cfg, int c, char *arg)
{
	enum corim_profile profile;

	switch (c) {
	case 'k':
		cfg->kernel_path = arg;
		return 0;
	case 'i':
		cfg->initrd_path = arg;
		return 0;
	case OPT_DTB:
		cfg->dtb_path = arg;
		return 0;
	case 'f':
		cfg->firmware_path = arg;
		return 0;
	case OPT_NAME:
		if (control_name_check("--name", arg))
			return -1;
		cfg->name = arg;
		return 0;
	case 'p':
		/* The guest would cut a longer line short without a word. */
		if (strlen(arg) >= GUEST_CMDLINE_MAX)
			return pr_err("--params is %zu bytes; the arm64 kernel's command line holds at most %u (COMMAND_LINE_SIZE %u with its NUL)",
				      strlen(arg), GUEST_CMDLINE_MAX - 1,
				      GUEST_CMDLINE_MAX);
		cfg->cmdline = arg;
		return 0;
	case 'm':
		return parse_mem(arg, &cfg->ram_size);
	case 'c':
		return parse_cpus(arg, &cfg->nr_cpus);
	case OPT_CONSOLE:
		if (!strcmp(arg, "serial"))
			cfg->console = CONSOLE_SERIAL;
		else if (!strcmp(arg, "virtio"))
			cfg->console = CONSOLE_VIRTIO;
		else
			return pr_err("invalid --console '%s' (serial|virtio)",
				      arg);
		return 0;
	case 'd':
		return cli_parse_disk(cfg, arg);
	case 'n':
		return cli_parse_network(cfg, arg);
	case OPT_9P:
		return cli_parse_9p(cfg, arg);
	case OPT_RNG:
		cfg->rng = true;
		return 0;
	case OPT_PMU_DEV:
		cfg->pmu = true;
		return 0;
	case OPT_NODEFAULTS:
		cfg->nodefaults = true;
		return 0;
	case OPT_NO_REBOOT:
		cfg->no_reboot = true;
		return 0;
	case OPT_DRY_RUN:
		cfg->dry_run = true;
		return 0;
	case OPT_JSON:
		cfg->json = true;
		return 0;
	case OPT_TRACE:
		cfg->trace = true;
		return 0;
	case OPT_DTB_OUT:
	case OPT_DUMP_DTB:
		return parse_dtb_out(cfg, c, arg);
	case OPT_LOG_OUT:
		cfg->log_out = arg;
		return 0;
	case OPT_NO_LOG:
		cfg->measurement_log = false;
		return 0;
	case OPT_THREADS:
		return parse_count(c, arg, 1, MAX_HASH_THREADS,
				   &cfg->nr_threads);
	case OPT_REALM:
		cfg->realm = true;
		return 0;
	case OPT_ALGO:
		/* realm/realm_config.c knows the algorithms */
		cfg->measurement_algo = arg;
		return 0;
	case OPT_RPV:
	case OPT_RPV_HEX:
		return parse_rpv(cfg, c, arg);
	case OPT_SVE_VL:
		cfg->sve_vl_set = true;
		return parse_sve_vl(arg, &cfg->sve_vl);
	case OPT_PMU_CTRS:
		cfg->pmu_counters_set = true;
		return parse_count(c, arg, 0, PMU_CTRS_MAX,
				   &cfg->pmu_counters);
	case OPT_BPS:
		cfg->num_bps_set = true;
		return parse_count(c, arg, 2, BPS_WPS_MAX, &cfg->num_bps);
	case OPT_WPS:
		cfg->num_wps_set = true;
		return parse_count(c, arg, 2, BPS_WPS_MAX, &cfg->num_wps);
	case OPT_LPA2:
		cfg->lpa2 = true;
		return 0;
	case OPT_HOST:
		/* realm/realm_config.c knows the profiles */
		cfg->host_all = !strcmp(arg, "all");
		cfg->host_name = cfg->host_all ? NULL : arg;
		return 0;
	case OPT_HOST_CONFIG:
		cfg->host_config_path = arg;
		return 0;
	case OPT_CORIM_PROFILE:
		if (corim_profile_by_name(arg, &profile))
			return pr_err("unknown --corim-profile '%s' (cca-04 or cca-03)",
				      arg);
		cfg->corim_profile = profile;
		cfg->corim_profile_set = true;
		return 0;
	case OPT_CORIM_REM:
		return parse_corim_rem(cfg, arg);
	case OPT_CORIM: case OPT_CORIM_KEY: case OPT_CORIM_SIGNER:
	case OPT_CORIM_CERT: case OPT_COMID_JSON:
		*(c == OPT_CORIM ? &cfg->corim_out :
		  c == OPT_CORIM_KEY ? &cfg->corim_key :
		  c == OPT_CORIM_SIGNER ? &cfg->corim_signer :
		  c == OPT_CORIM_CERT ? &cfg->corim_cert :
		  &cfg->comid_json_out) = arg;
		return 0;
	case OPT_SANDBOX:
		if (!strcmp(arg, "on"))
			cfg->sandbox = true;
		else if (!strcmp(arg, "off"))
			cfg->sandbox = false;
		else
			return pr_err("invalid --sandbox '%s' (on or off)", arg);
		return 0;
	}
	return pr_err("internal error: option %d not handled", c);
}

static bool realm_only(int c)
{
	switch (c) {
	case OPT_ALGO: case OPT_RPV: case OPT_RPV_HEX: case OPT_SVE_VL:
	case OPT_PMU_CTRS: case OPT_BPS: case OPT_WPS: case OPT_LPA2:
	case OPT_HOST: case OPT_HOST_CONFIG: case OPT_NO_LOG:
	case OPT_LOG_OUT: case OPT_TRACE: case OPT_CORIM:
	case OPT_CORIM_PROFILE: case OPT_CORIM_REM: case OPT_CORIM_KEY:
	case OPT_CORIM_SIGNER: case OPT_CORIM_CERT: case OPT_COMID_JSON:
		return true;
	}
	return false;
}

/* The reference-value outputs: dry run only, and options that go along. */
static int check_refvals(const struct config *cfg)
{
	const char *outs[] = { cfg->corim_out, cfg->comid_json_out,
			       cfg->dtb_out, cfg->log_out };
	size_t i, j;

	if (cfg->host_all && !cfg->dry_run)
		return pr_err("--host all needs --dry-run (a launch runs on one host)");
	if (cfg->host_all && cfg->log_out)
		return pr_err("--log-out with --host all: the log names one host; give --host NAME");
	if ((cfg->corim_out || cfg->comid_json_out) && !cfg->dry_run)
		return pr_err("%s needs --dry-run", cfg->corim_out ?
			      "--corim" : "--comid-json");
	if (!cfg->corim_out && (cfg->corim_key || cfg->corim_cert ||
				cfg->corim_signer || cfg->corim_profile_set))
		return pr_err("--corim-key, --corim-signer, --corim-cert and --corim-profile need --corim FILE");
	if (!cfg->corim_out && !cfg->comid_json_out && cfg->corim_rem_mask)
		return pr_err("--corim-rem needs --corim FILE or --comid-json FILE");
	if (!cfg->corim_key && (cfg->corim_cert || cfg->corim_signer))
		return pr_err("--corim-signer and --corim-cert need --corim-key KEY.pem (they belong to a signed CoRIM)");
	for (i = 0; i < ARRAY_SIZE(outs); i++)
		for (j = i + 1; j < ARRAY_SIZE(outs); j++)
			if (outs[i] && outs[j] && !strcmp(outs[i], outs[j]))
				return pr_err("two outputs name the same file '%s'",
					      outs[i]);
	return 0;
}

/* Rules that involve more than one option. */
static int check_combination(const struct config *cfg, int realm_opt)
{
	if (realm_opt && !cfg->realm)
		return pr_err("%s needs --realm", dashed(realm_opt));
	if (cfg->firmware_path && cfg->kernel_path)
		return pr_err("--firmware replaces the kernel: give -k IMAGE or --firmware FILE, not both");
	if (cfg->firmware_path && cfg->initrd_path)
		return pr_err("--initrd needs a kernel (-k): with --firmware the firmware loads everything else");
	if (!cfg->kernel_path && !cfg->firmware_path)
		return pr_err("no kernel given (use -k IMAGE, or --firmware FILE)");
	if (cfg->json && !cfg->dry_run)
		return pr_err("--json needs --dry-run");
	if (cfg->log_out && cfg->dtb_out && !strcmp(cfg->log_out, cfg->dtb_out))
		return pr_err("--dump-dtb and --log-out name the same file");
	if (cfg->log_out && !cfg->measurement_log)
		return pr_err("--log-out and --no-measurement-log contradict each other");
	return check_refvals(cfg);
}

int cli_parse_run(int argc, char **argv, struct config *cfg)
{
	int c, realm_opt = 0;

	optind = 0;	/* glibc: full re-initialisation */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:k:i:d:f:n:p:m:c:h", run_options,
				NULL)) != -1) {
		if (c == 'h') {
			cli_run_usage(stdout);
			return CLI_HELP;
		}
		if (c == ':')
			return pr_err("option %s needs a value",
				      dashed(optopt));
		if (c == '?') {
			if (optopt >= 256)
				return pr_err("option %s takes no value",
					      dashed(optopt));
			if (optopt)
				return pr_err("unknown option '-%c' (see realmvm run --help)",
					      optopt);
			return pr_err("unknown or ambiguous option '%s' (see realmvm run --help)",
				      argv[optind - 1]);
		}
		if (parse_one(cfg, c, optarg))
			return CLI_ERROR;
		if (realm_only(c) && !realm_opt)
			realm_opt = c;
	}
	if (optind < argc)
		return pr_err("unexpected argument '%s' (see realmvm run --help)",
			      argv[optind]);
	if (check_combination(cfg, realm_opt))
		return CLI_ERROR;
	return 0;
}
