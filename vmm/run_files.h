/*
 * The files one `realmvm run` reads and writes, checked together before
 * any work: every output must be a place that may be written (see
 * out_check()), and no output may be one of the inputs or another output.
 * Files are compared by device and inode, not by the strings naming them.
 */
#ifndef REALMVM_RUN_FILES_H
#define REALMVM_RUN_FILES_H

#include "vmm/out_file.h"

struct config;

/* --dtb-out, --log-out, --corim-out, --comid-json */
#define RUN_OUTPUTS_MAX	4

struct run_outputs {
	struct out_target out[RUN_OUTPUTS_MAX];
	unsigned int nr;
};

/*
 * Returns 0, or the exit status to fail with after a one-line error:
 * EXIT_USAGE when two names on the command line are the same file,
 * EXIT_RUNTIME when an output's place cannot or must not be written.
 */
int run_files_check(const struct config *cfg, struct run_outputs *outs);

#endif
