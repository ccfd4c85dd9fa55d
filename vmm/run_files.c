/*
 * Cross-checks between the files of a run (see run_files.h).  realmvm
 * runs as root, so an output that names the kernel, a disk image or
 * /dev/null would silently destroy it: all of that is refused up front.
 */
#include <string.h>
#include <sys/stat.h>

#include "vmm/config.h"
#include "vmm/run_files.h"
#include "vmm/util.h"

struct input {
	const char *what;
	const char *path;
};

static unsigned int list_inputs(const struct config *cfg, struct input *in)
{
	unsigned int n = 0, i;

	in[n++] = (struct input){ "kernel", cfg->kernel_path };
	in[n++] = (struct input){ "firmware", cfg->firmware_path };
	in[n++] = (struct input){ "initrd", cfg->initrd_path };
	in[n++] = (struct input){ "DTB", cfg->dtb_path };
	in[n++] = (struct input){ "host config", cfg->host_config_path };
	in[n++] = (struct input){ "CoRIM key", cfg->corim_key };
	in[n++] = (struct input){ "CoRIM certificate", cfg->corim_cert };
	for (i = 0; i < cfg->nr_disks; i++)
		in[n++] = (struct input){ "disk", cfg->disks[i].path };
	return n;
}

/* An output that already exists must not be any input. */
static int check_against_inputs(const struct config *cfg,
				const struct out_target *t)
{
	struct input in[7 + MAX_DISKS];
	unsigned int n = list_inputs(cfg, in), i;
	struct stat st;

	if (!t->exists)
		return 0;
	for (i = 0; i < n; i++) {
		/* A missing input is the loader's error to report, later. */
		if (!in[i].path || stat(in[i].path, &st) < 0)
			continue;
		if (st.st_dev == t->dev && st.st_ino == t->ino)
			return pr_err("%s %s is the same file as the %s %s; refusing to overwrite an input",
				      t->opt, t->path, in[i].what, in[i].path);
	}
	return 0;
}

int run_files_check(const struct config *cfg, struct run_outputs *outs)
{
	const struct {
		const char *opt;
		const char *path;
	} names[RUN_OUTPUTS_MAX] = {
		{ cfg->dtb_out_opt ? cfg->dtb_out_opt : "--dtb-out",
		  cfg->dtb_out },
		{ "--log-out", cfg->log_out },
		{ "--corim", cfg->corim_out },
		{ "--comid-json", cfg->comid_json_out },
	};
	unsigned int i, j;

	memset(outs, 0, sizeof(*outs));
	for (i = 0; i < RUN_OUTPUTS_MAX; i++) {
		if (!names[i].path)
			continue;
		if (out_check(names[i].opt, names[i].path,
			      &outs->out[outs->nr]))
			return EXIT_RUNTIME;
		outs->nr++;
	}
	for (i = 0; i < outs->nr; i++)
		for (j = i + 1; j < outs->nr; j++)
			if (out_same(&outs->out[i], &outs->out[j])) {
				pr_err("%s %s and %s %s name the same file",
				       outs->out[i].opt, outs->out[i].path,
				       outs->out[j].opt, outs->out[j].path);
				return EXIT_USAGE;
			}
	for (i = 0; i < outs->nr; i++)
		if (check_against_inputs(cfg, &outs->out[i]))
			return EXIT_USAGE;
	return 0;
}
