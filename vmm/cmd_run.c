/*
 * `realmvm run`: command line -> config -> host capabilities -> prepared
 * boot -> (realms) RIM -> outputs -> launch.  Output files are written
 * only once everything before them has succeeded, so a failed run never
 * leaves a DTB or log behind.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arm64/gic.h"
#include "arm64/layout.h"
#include "realm/backend.h"
#include "realm/host_profile.h"
#include "realm/plan.h"
#include "realm/rim.h"
#include "vmm/boot.h"
#include "vmm/cli.h"
#include "vmm/commands.h"
#include "vmm/config.h"
#include "vmm/launch.h"
#include "vmm/out_file.h"
#include "vmm/output.h"
#include "vmm/run_files.h"
#include "vmm/sandbox.h"
#include "vmm/util.h"

/*
 * The host a realm is built for: a dry run (or a normal VM) uses
 * --host-config or the documented defaults and the --host profile; a
 * realm launch asks KVM for both, unless --host pins the profile.
 */
static int load_host(struct config *cfg, struct host_caps *caps)
{
	host_caps_default(caps);
	if (cfg->host_config_path)
		return host_caps_load(cfg->host_config_path, caps);
	if (!cfg->realm || cfg->dry_run)
		return 0;
	if (!cfg->host_set && realm_host_abi(&cfg->host))
		return -1;
	return realm_host_caps(caps);
}

/*
 * Realm options the host cannot honour (sha512 or an RPV on cca-v14, an
 * SVE length above the host's, ...) are a command line we cannot accept,
 * so check them here, where they can still become EXIT_USAGE, rather than
 * letting boot_prepare() report them as a run-time failure.
 */
static int check_realm_options(const struct config *cfg,
			       const struct host_caps *caps)
{
	const struct host_profile *prof = host_profile_get(cfg->host);
	struct realm_params params;

	if (!prof)
		return pr_err("no host profile for ABI %d", (int)cfg->host);
	return realm_params_from_config(cfg, caps, prof,
					layout_ipa_bits(RAM_BASE,
							cfg->ram_size, true),
					&params);
}

#define GICV2_MAX_CPUS	8

/*
 * The GIC the DTB must describe.  A dry run describes the GICv3 machine;
 * realms need GICv3; a normal launch asks KVM, and on a GICv2-only host
 * more than 8 vCPUs is a command line this host cannot accept.
 * Returns 0, or the exit status to fail with.
 */
static int pick_gic(const struct config *cfg, unsigned int *version)
{
	int v;

	*version = 3;
	if (cfg->dry_run || cfg->realm)
		return 0;
	v = gic_probe_version();
	if (v < 0)
		return EXIT_RUNTIME;
	if (v == 2 && cfg->nr_cpus > GICV2_MAX_CPUS) {
		pr_err("too many vCPUs: %u (this host's GICv2 takes at most %u)",
		       cfg->nr_cpus, GICV2_MAX_CPUS);
		return EXIT_USAGE;
	}
	*version = (unsigned int)v;
	return 0;
}

/*
 * All or nothing: both outputs are written and fsync'd under temporary
 * names before either is renamed into place, so a failure while writing
 * leaves neither behind (a DTB without its log would be stale).
 */
static int write_outputs(const struct config *cfg, const struct boot *b)
{
	struct out_stage dtb = { 0 }, log = { 0 };

	if (cfg->log_out && !b->log)
		return pr_err("--log-out: this realm has no event log");
	if (cfg->dtb_out &&
	    out_stage(&dtb, cfg->dtb_out, b->fdt, b->lay.dtb.size))
		return -1;
	if (cfg->log_out && out_stage(&log, cfg->log_out, b->log, b->log_len)) {
		out_abort(&dtb);
		return -1;
	}
	if (cfg->dtb_out && out_commit(&dtb)) {
		out_abort(&log);
		return -1;
	}
	if (cfg->log_out && out_commit(&log)) {
		/* The new DTB belongs with the log that failed: take it back. */
		if (cfg->dtb_out)
			unlink(cfg->dtb_out);
		return -1;
	}
	return 0;
}

static int launch(struct boot *b, const uint8_t *rim)
{
	if (rim) {
		char hex[2 * RIM_MAX_SIZE + 1];

		hex_encode(rim, hash_size(b->params.hash_algo), hex);
		pr_info("expected RIM %s (%s, host %s)", hex,
			hash_name(b->params.hash_algo), b->profile->name);
	}
	fflush(stdout);
	/* Entered by the run loop once the VM is set up. */
	sandbox_configure(b->cfg);
	return b->cfg->realm ? realm_launch(b) : vm_launch(b);
}

int cmd_run(int argc, char **argv)
{
	uint8_t rim[RIM_MAX_SIZE];
	unsigned int gic_version;
	struct run_outputs outs;
	struct host_caps caps;
	struct config cfg;
	struct boot b;
	FILE *report;
	int ret;

	config_init(&cfg);
	ret = cli_parse_run(argc, argv, &cfg);
	if (ret == CLI_HELP)
		return 0;
	if (ret)
		return EXIT_USAGE;
	/* Before any work: a refused output must not cost a measurement. */
	ret = run_files_check(&cfg, &outs);
	if (ret)
		return ret;

	if (load_host(&cfg, &caps))
		return EXIT_RUNTIME;
	if (cfg.realm && check_realm_options(&cfg, &caps))
		return EXIT_USAGE;

	ret = pick_gic(&cfg, &gic_version);
	if (ret)
		return ret;

	memset(&b, 0, sizeof(b));
	if (boot_prepare(&cfg, &caps, gic_version, &b))
		return EXIT_RUNTIME;

	/* With --json or a launch, stdout is not ours to fill with trace. */
	report = cfg.dry_run && !cfg.json ? stdout : stderr;
	ret = EXIT_RUNTIME;
	/* A thread already hashes the blobs for the event log. */
	if (cfg.realm &&
	    rim_measure_plan(&b.plan, &b.gm,
			     MAX(1U, cfg.nr_threads - (b.log_pending ? 1 : 0)),
			     cfg.trace ? output_trace_fn() : NULL, report,
			     rim))
		goto out;
	if (boot_finish_log(&b) || write_outputs(&cfg, &b))
		goto out;

	if (cfg.dry_run) {
		if (cfg.json)
			output_json(stdout, &b, cfg.realm ? rim : NULL);
		else
			output_text(stdout, &b, cfg.realm ? rim : NULL);
		ret = 0;
		if (fflush(stdout) || ferror(stdout)) {
			pr_err("cannot write the report to stdout");
			ret = EXIT_RUNTIME;
		}
	} else {
		ret = launch(&b, cfg.realm ? rim : NULL);
	}
out:
	boot_release(&b);
	return ret;
}
