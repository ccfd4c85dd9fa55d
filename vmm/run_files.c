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
	in[n++] = (struct input){ "initrd", cfg->initrd_path };
	in[n++] = (struct input){ "DTB", cfg->dtb_path };
	in[n++] = (struct input){ "host config", cfg->host_config_path };
	for (i = 0; i < cfg->nr_disks; i++)
		in[n++] = (struct input){ "disk", cfg->disks[i].path };
	return n;
}

/* An output that already exists must not be any input. */
static int check_against_inputs(const struct config *cfg,
				const struct out_target *t)
{
	struct input in[4 + MAX_DISKS];
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
	memset(outs, 0, sizeof(*outs));
	if (cfg->dtb_out) {
		if (out_check("--dtb-out", cfg->dtb_out, &outs->dtb))
			return EXIT_RUNTIME;
		outs->has_dtb = true;
	}
	if (cfg->log_out) {
		if (out_check("--log-out", cfg->log_out, &outs->log))
			return EXIT_RUNTIME;
		outs->has_log = true;
	}
	if (outs->has_dtb && outs->has_log &&
	    out_same(&outs->dtb, &outs->log)) {
		pr_err("--dtb-out %s and --log-out %s name the same file",
		       cfg->dtb_out, cfg->log_out);
		return EXIT_USAGE;
	}
	if ((outs->has_dtb && check_against_inputs(cfg, &outs->dtb)) ||
	    (outs->has_log && check_against_inputs(cfg, &outs->log)))
		return EXIT_USAGE;
	return 0;
}
