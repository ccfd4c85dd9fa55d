/*
 * `realmvm run`: command line -> config -> host capabilities -> prepared
 * boot -> (realms) RIM -> outputs -> launch.  Output files are written
 * only once everything before them has succeeded, so a failed run never
 * leaves a DTB or log behind.
 */
#include <stdio.h>
#include <stdlib.h>
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
#include "vmm/control.h"
#include "vmm/launch.h"
#include "vmm/out_file.h"
#include "vmm/output.h"
#include "vmm/predict.h"
#include "vmm/run_files.h"
#include "vmm/sandbox.h"
#include "vmm/util.h"

/*
 * The host a realm is built for: a dry run (or a normal VM) uses
 * --host-config or the documented defaults and the --host profile; a
 * realm launch asks KVM for both, unless --host pins the profile.  A
 * host-config file's host= key picks the profile as --host would, so
 * that `realmvm caps > FILE` alone predicts the host's RIM; a launch
 * given the same file checks it against KVM rather than trusting it.
 * Returns 0 or the exit status to fail with.
 */
static int load_host(const struct config *cfg, struct realm_config *rc,
		     struct host_caps *caps)
{
	const char *file = cfg->host_config_path;
	struct host_caps kvm;

	host_caps_default(caps);
	if (file) {
		if (host_caps_load(file, caps))
			return EXIT_RUNTIME;
		if (caps->given & HOST_KEY_HOST) {
			if (rc->host_set && rc->host != caps->profile) {
				pr_err("--host %s contradicts host=%s in %s (drop one of them)",
				       host_profile_get(rc->host)->name,
				       host_profile_get(caps->profile)->name,
				       file);
				return EXIT_USAGE;
			}
			rc->host = caps->profile;
			rc->host_set = true;
		}
	}
	if (!cfg->realm || cfg->dry_run)
		return 0;
	if (realm_host_caps(&kvm))
		return EXIT_RUNTIME;
	if (file && host_caps_check(caps, file, &kvm))
		return EXIT_USAGE;
	if (!rc->host_set)
		rc->host = kvm.profile;
	if (rc->host != kvm.profile) {
		pr_err("--host %s: this host runs %s; use --host %s, or leave --host out",
		       host_profile_get(rc->host)->name,
		       host_profile_get(kvm.profile)->name,
		       host_profile_get(kvm.profile)->name);
		return EXIT_USAGE;
	}
	*caps = kvm;
	return 0;
}

/*
 * Realm options the host cannot honour (sha512 or an RPV on cca-v14, an
 * SVE length above the host's, ...) are a command line we cannot accept,
 * so check them here, where they can still become EXIT_USAGE, rather than
 * letting boot_prepare() report them as a run-time failure.
 */
static int check_realm_options(const struct realm_config *rc,
			       const struct host_caps *caps)
{
	const struct host_profile *prof = host_profile_get(rc->host);
	struct realm_params params;

	if (!prof)
		return pr_err("no host profile for ABI %d", (int)rc->host);
	return realm_params_from_config(rc, caps, prof,
					layout_ipa_bits(RAM_BASE,
							rc->ram_size, true),
					&params);
}

/*
 * A realm's RAM is private to it: every granule the guest touches is
 * delegated to the RMM and can be neither swapped nor reclaimed.  A realm
 * larger than what the host can give would not fail at launch but die
 * mid-boot at the OOM killer, so a launch refuses it up front.
 */
static int check_realm_memory(const struct config *cfg)
{
	uint64_t avail;

	if (cfg->dry_run || host_mem_available(&avail))
		return 0;
	if (cfg->ram_size > avail)
		return pr_err("-m %llu MiB: a realm's memory cannot be swapped or shared, and this host has %llu MiB available; use a smaller -m",
			      (unsigned long long)(cfg->ram_size >> 20),
			      (unsigned long long)(avail >> 20));
	return 0;
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
 * All or nothing: the DTB and the log are written and fsync'd under
 * temporary names before either is renamed into place, so a failure while
 * writing leaves neither behind (a DTB without its log would be stale).
 * The reference values go first and are taken back on any failure.
 */
static int write_outputs(const struct config *cfg, const struct boot *b,
			 const struct prediction *pr)
{
	struct out_stage dtb = { 0 }, log = { 0 };

	if (cfg->log_out && !b->log)
		return pr_err("--log-out: this realm has no event log");
	if (cfg->realm && predict_write_refvals(cfg, pr))
		return -1;
	if (cfg->dtb_out &&
	    out_stage(&dtb, cfg->dtb_out, b->fdt, b->lay.dtb.size))
		goto fail;
	if (cfg->log_out && out_stage(&log, cfg->log_out, b->log, b->log_len)) {
		out_abort(&dtb);
		goto fail;
	}
	if (cfg->dtb_out && out_commit(&dtb)) {
		out_abort(&log);
		goto fail;
	}
	if (cfg->log_out && out_commit(&log)) {
		/* The new DTB belongs with the log that failed: take it back. */
		if (cfg->dtb_out)
			unlink(cfg->dtb_out);
		goto fail;
	}
	return 0;
fail:
	if (cfg->corim_out)
		unlink(cfg->corim_out);
	if (cfg->comid_json_out)
		unlink(cfg->comid_json_out);
	return -1;
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
	return b->cfg->realm ? realm_launch(b) : vm_launch(b);
}

/*
 * Parse, find the host, check and prepare the boot: everything before
 * the RIM.  Returns 0 (with *done set when --help was answered), or the
 * exit status to fail with.
 */
static int prepare(int argc, char **argv, struct config *cfg,
		   struct boot *b, bool *done, bool predict_only)
{
	static char default_name[VM_NAME_MAX];
	unsigned int gic_version;
	struct realm_config rc;
	struct run_outputs outs;
	struct host_caps caps;
	int ret;

	*done = false;
	config_init(cfg);
	ret = cli_parse_run(argc, argv, cfg);
	if (ret == CLI_HELP)
		*done = true;
	if (ret)
		return ret == CLI_HELP ? 0 : EXIT_USAGE;
	if (realm_config_from(cfg, &rc))
		return EXIT_USAGE;
	if (!cfg->name) {
		control_default_name(default_name, sizeof(default_name));
		cfg->name = default_name;
	}
	if (predict_only && (!cfg->realm || !cfg->dry_run)) {
		pr_err("the command line to predict from needs --realm --dry-run");
		return EXIT_USAGE;
	}
	if (cfg->host_all && predict_pick_first_host(&rc))
		return EXIT_USAGE;
	/* Before any work: a refused output must not cost a measurement. */
	ret = run_files_check(cfg, &outs);
	if (ret)
		return ret;

	ret = load_host(cfg, &rc, &caps);
	if (ret)
		return ret;
	if (cfg->realm && (check_realm_options(&rc, &caps) ||
			   check_realm_memory(cfg)))
		return EXIT_USAGE;

	ret = pick_gic(cfg, &gic_version);
	if (ret)
		return ret;

	memset(b, 0, sizeof(*b));
	if (boot_prepare(cfg, &rc, &caps, gic_version, b))
		return EXIT_RUNTIME;
	return 0;
}

/* The RIM(s) and, through boot_measure_plans(), the event log. */
static int rims(const struct config *cfg, struct boot *b, FILE *report,
		struct prediction *pr)
{
	return predict_rims(cfg, b, cfg->trace ? output_trace_fn() : NULL,
			    report, pr);
}

int run_predict(int argc, char **argv, struct prediction *pr)
{
	struct config cfg;
	struct boot b;
	bool done;
	int ret;

	ret = prepare(argc, argv, &cfg, &b, &done, true);
	if (ret || done)
		return ret ? ret : EXIT_USAGE;
	/* token verify compares the dry run's log, --log-out or not. */
	b.log_wanted = true;
	if (rims(&cfg, &b, stderr, pr)) {
		ret = EXIT_RUNTIME;
	} else if (b.log && b.log_len) {
		pr->log = malloc(b.log_len);
		if (pr->log) {
			memcpy(pr->log, b.log, b.log_len);
			pr->log_len = b.log_len;
		} else {
			ret = pr_err("out of memory for the dry run's event log") ?
			      EXIT_RUNTIME : 0;
		}
	}
	boot_release(&b);
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct prediction pr;
	struct config cfg;
	struct boot b;
	FILE *report;
	bool done;
	int ret;

	ret = prepare(argc, argv, &cfg, &b, &done, false);
	if (ret || done)
		return ret;
	if (!cfg.dry_run && cfg.sandbox && sandbox_check_kernel()) {
		boot_release(&b);
		return EXIT_RUNTIME;
	}

	/* With --json or a launch, stdout is not ours to fill with trace. */
	report = cfg.dry_run && !cfg.json ? stdout : stderr;
	ret = EXIT_RUNTIME;
	if (cfg.realm && rims(&cfg, &b, report, &pr))
		goto out;
	/*
	 * Entered by the run loop once the VM is set up, but the control
	 * socket's thread starts now and sandboxes itself at once.
	 */
	if (!cfg.dry_run)
		sandbox_configure(&cfg);
	/* Before the outputs: a name already in use fails the run early. */
	if (!cfg.dry_run && control_open(cfg.name, cfg.realm))
		goto out;
	if (write_outputs(&cfg, &b, &pr))
		goto out;

	if (cfg.dry_run) {
		if (cfg.json)
			output_json(stdout, &b, cfg.realm ? &pr : NULL);
		else
			output_text(stdout, &b, cfg.realm ? &pr : NULL);
		ret = 0;
		if (fflush(stdout) || ferror(stdout)) {
			pr_err("cannot write the report to stdout");
			ret = EXIT_RUNTIME;
		}
	} else {
		ret = launch(&b, cfg.realm ? pr.rim[0] : NULL);
	}
out:
	control_close();
	boot_release(&b);
	return ret;
}
